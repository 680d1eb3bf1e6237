import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { stringReads } from "../inspect";
import { guardedKinds } from "../guarded";
import { GcpIdentity, kindOf } from "../model";
import { GCP_IAM } from "../model/gcp/iam";
import { urnName } from "../stackCost";

const SERVICE_ACCOUNT = GCP_IAM.serviceAccount;
const FULL_ACCESS = /^(https:\/\/www\.googleapis\.com\/auth\/)?cloud-platform$/;

/**
 * GCP VMs run as a dedicated service account with narrow scopes (origin: CKV_GCP_30 default
 * service account, CKV_GCP_31 full-access scope). The default compute account holds Editor on the
 * project, and `cloud-platform` lets any process on the VM use all of it. A stack policy, so that
 * an account email unknown at preview can be traced to a dedicated Account in the same stack
 * (the normal case on a first preview) instead of being reported.
 */
export const gcpNoDefaultServiceAccount: StackValidationPolicy = {
    name: "gcp-no-default-service-account",
    description: "GCP instance templates and VMs must use a dedicated service account, not the default compute account, and no cloud-platform scope (CKV_GCP_30, CKV_GCP_31).",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        // The kinds that say which account their machines run as are checked; the rest are refused.
        const identityOf = (type: string) => kindOf(type)?.gcpIdentity;
        for (const resource of args.resources.filter((r) => !identityOf(r.type) && runsAsAccount(r.type))) {
            // Fail closed: GKE node pools, Dataproc, notebooks... run machines as an account this policy does not read.
            reportViolation(
                `${urnName(resource.urn)} [${resource.type}]: this resource type runs GCP machines as a service account that this policy does not read, so it is refused as not understood. Use an instance template, VM or GKE node pool, or add a gcpIdentity reader to its kind in policies/model/.`,
                resource.urn,
            );
        }
        for (const resource of args.resources) {
            const readIdentity = identityOf(resource.type);
            if (!readIdentity) {
                continue;
            }
            const identity: GcpIdentity = readIdentity(resource.props);
            const report = (message: string) => reportViolation(`${urnName(resource.urn)} [${resource.type}]: ${message}`, resource.urn);
            if (identity.account.state === "absent") {
                continue; // no identity at all
            }
            const email = identity.email;
            const fix = "Create a gcp.serviceaccount.Account for the VMs and set serviceAccount.email to it.";
            if (email.state === "unknown") {
                if (!dependsOnAccount(resource, identity.dependencyProp)) {
                    report(`${email.field} is unknown at preview and does not come from a service account in this stack. ${fix}`);
                }
            } else if (email.state === "absent" || email.value === "default" || /-compute@developer\.gserviceaccount\.com$/.test(String(email.value))) {
                report(`${email.field} is the default compute service account, which holds Editor on the project. ${fix}`);
            }
            const scopes = identity.scopes;
            for (const scope of scopes.state === "absent" ? [] : stringReads(scopes)) {
                if (scope.state === "unknown") {
                    report(`${scope.field} is unknown at preview. List the scopes from config (logging.write, monitoring.write, ...).`);
                } else if (scope.state === "known" && FULL_ACCESS.test(String(scope.value))) {
                    report(`${scope.field} is the cloud-platform scope (every API the account can use). List only the scopes the VM needs.`);
                }
            }
        }
    },
};

function dependsOnAccount(resource: PolicyResource, prop: string): boolean {
    return (resource.propertyDependencies[prop] ?? []).some((d) => d.type === SERVICE_ACCOUNT);
}

/** GCP types whose inputs carry both machines (a size or a node count) and a service account. */
function runsAsAccount(type: string): boolean {
    const kinds = guardedKinds(type);
    return type.startsWith("gcp:") && kinds.includes("service-account") && (kinds.includes("size") || kinds.includes("count"));
}
