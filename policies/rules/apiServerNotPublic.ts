import { ResourceValidationPolicy } from "@pulumi/policy";
import { sourceBreadth } from "../contract/cidr";
import { guardedKinds } from "../guarded";
import { stringReads } from "../inspect";
import { kindOf } from "../model";
import { Read } from "../model/read";

/**
 * Kubernetes API servers are private or limited to named CIDRs (origin: CKV_AZURE_6,
 * CKV_AZURE_115, AVD-AZU-0041, AVD-AZU-0065 for AKS; CKV_AWS_38, CKV_AWS_39 for EKS; CKV_GCP_20
 * for GKE master authorized networks). An EKS endpoint with public access on and no
 * publicAccessCidrs is open to 0.0.0.0/0 (AWS's default). Which fields say so is each cluster
 * kind's `apiServer` reader in policies/model/.
 */
export const apiServerNotPublic: ResourceValidationPolicy = {
    name: "api-server-not-public",
    description: "AKS, EKS and GKE API servers must be private or restricted to named CIDRs, never 0.0.0.0/0 (CKV_AZURE_6/115, AVD-AZU-0041/0065, CKV_AWS_38/39, CKV_GCP_20).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        const report = (message: string) => reportViolation(`${args.name} [${args.type}]: ${message}`, args.urn);
        const readAccess = kindOf(args.type)?.apiServer;
        if (readAccess) {
            const access = readAccess(args.props);
            if (access.state === "unknown") {
                report(`${access.field} is unknown at preview. Set it from config.`);
            } else if (access.state === "public") {
                checkRanges(access.ranges, report, access.fix);
            }
        } else if (guardedKinds(args.type).includes("api-endpoint")) {
            // Fail closed: another kind of cluster (an AKS fleet, EKS Anywhere...) may expose its API server.
            report("this resource type carries a Kubernetes API endpoint that this policy does not read, so it is refused as not understood. Use AKS (ManagedCluster), EKS (Cluster) or GKE (Cluster), or add an apiServer reader to its kind in policies/model/.");
        }
    },
};

function checkRanges(ranges: Read, report: (m: string) => void, fix: string): void {
    const list = ranges.state === "absent" ? [] : stringReads(ranges);
    if (list.length === 0) {
        report(`the API server is public and ${ranges.field} is empty, so it is reachable from anywhere. ${fix}`);
        return;
    }
    const known: string[] = [];
    for (const range of list) {
        if (range.state === "unknown") {
            report(`${range.field} is unknown at preview. ${fix}`);
            return;
        }
        if (range.state === "known") known.push(typeof range.value === "string" ? range.value : "(not a string)");
    }
    const why = sourceBreadth(known, "admin");
    if (why !== undefined) {
        report(`${ranges.field} admits ${why}; API access comes from a few named networks (each range /16 or narrower, a /16's worth in all). ${fix}`);
    }
}
