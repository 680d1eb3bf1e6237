// breaker-least-privilege on GCP: the breaker's service account (accountId llm-breaker-<stack>,
// stack/breaker/gcp.ts) may hold only
//   - its custom role (roleId llmServingBreaker_*), whose permissions are all among those its
//     adapters call (BREAKER_GCP_ALLOWED_PERMISSIONS), granted by projects IAMMember in the
//     role's own project, a project the stack deploys to;
//   - roles/run.invoker on a Cloud Run service (its own function's), and roles/pubsub.publisher on
//     a topic (the operator's, which it forwards to), each by a resource-level IAM member.
// Its build account (accountId llm-brkbuild-<stack>, buildConfig.serviceAccount) may hold only
//   - roles/logging.logWriter and roles/artifactregistry.writer by projects IAMMember on a project
//     the stack deploys to, and roles/storage.objectViewer by a BucketIAMMember on the source bucket
//     of a breaker function (its buildConfig.source.storageSource.bucket);
// and a breaker function must be built as it (else the default compute account builds it: Editor
// in old projects, no role at all in organizations created after May 2024, so the build fails).
// Anything else granted to either (roles/editor, a predefined project role, an authoritative binding or
// policy, a folder or organization grant) is a violation, and so is a breaker function that does
// not run as it (the default compute account holds Editor). Unknown values fail closed.
import type { PolicyResource } from "@pulumi/policy";
import { isUnknownSentinel } from "../contract/keys";
import { BREAKER_TAG } from "../contract/budgets";
import {
    BREAKER_GCP_ACCOUNT_PREFIX,
    BREAKER_GCP_ALLOWED_PERMISSIONS,
    BREAKER_GCP_BUILD_ACCOUNT_PREFIX,
    BREAKER_GCP_BUILD_BUCKET_ROLE,
    BREAKER_GCP_BUILD_PROJECT_ROLES,
    BREAKER_GCP_RESOURCE_ROLES,
    BREAKER_GCP_ROLE_PREFIX,
} from "../contract/breaker";
import { urnName } from "../stackCost";
import type { BreakerCheck } from "./check";

const ACCOUNT = "gcp:serviceaccount/account:Account";
const CUSTOM_ROLE = "gcp:projects/iAMCustomRole:IAMCustomRole";
const PROJECT_MEMBER = "gcp:projects/iAMMember:IAMMember";
const FUNCTION = "gcp:cloudfunctionsv2/function:Function";
const BUCKET_MEMBER = "gcp:storage/bucketIAMMember:BucketIAMMember";

interface BreakerAccount {
    readonly urn: string;
    /** serviceAccount:<id>@<project>.iam.gserviceaccount.com, or its prefix when the project is unknown. */
    readonly member: string;
    readonly exact: boolean;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && !isUnknownSentinel(v) ? v : undefined);
const props = (r: PolicyResource) => (r.props ?? {}) as Record<string, unknown>;

function breakerAccounts(resources: ReadonlyArray<PolicyResource>, prefix: string = BREAKER_GCP_ACCOUNT_PREFIX): BreakerAccount[] {
    return resources.flatMap((r) => {
        if (r.type !== ACCOUNT) return [];
        const id = str(props(r).accountId);
        if (id === undefined || !id.startsWith(prefix)) return [];
        const project = str(props(r).project);
        return [project !== undefined ? { urn: r.urn, member: `serviceAccount:${id}@${project}.iam.gserviceaccount.com`, exact: true } : { urn: r.urn, member: `serviceAccount:${id}@`, exact: false }];
    });
}

/** An IAM grant resource (member, binding or policy at any level) of the GCP provider. */
const isGrant = (type: string) => type.startsWith("gcp:") && /(IAMMember|IamMember|IAMBinding|IamBinding|IAMPolicy|IamPolicy)$/.test(type);

/** The grant names the account: its member(s) or policy data; unknown members are checked by dependency. */
function namesAccount(grant: PolicyResource, account: BreakerAccount): boolean | "unknown" {
    const p = props(grant);
    const values = [p.member, ...(Array.isArray(p.members) ? p.members : []), p.policyData];
    let unknown = false;
    for (const v of values) {
        if (v === undefined) continue;
        const s = str(v);
        if (s === undefined) {
            unknown = true;
            continue;
        }
        if (account.exact ? s === account.member || s.includes(`"${account.member}"`) : s.includes(account.member)) return true;
    }
    if (unknown && dependsOn(grant, account.urn)) return "unknown";
    return false;
}

function dependsOn(r: PolicyResource, urn: string): boolean {
    const direct = (r.dependencies ?? []).some((d) => d.urn === urn);
    return direct || Object.values(r.propertyDependencies ?? {}).some((ds) => ds.some((d) => d.urn === urn));
}

/** The breaker's custom roles by their role path (projects/<p>/roles/<id>), each checked for extra permissions. */
function checkRoles(resources: ReadonlyArray<PolicyResource>, report: (m: string, urn?: string) => void): Map<string, PolicyResource> {
    const roles = new Map<string, PolicyResource>();
    for (const r of resources.filter((x) => x.type === CUSTOM_ROLE)) {
        const id = str(props(r).roleId);
        if (id === undefined || !id.startsWith(BREAKER_GCP_ROLE_PREFIX)) continue;
        const project = str(props(r).project);
        const name = `${urnName(r.urn)} [${r.type}]`;
        const permissions = props(r).permissions;
        if (!Array.isArray(permissions) || permissions.length === 0 || permissions.some((x) => str(x) === undefined)) {
            report(`${name}: the breaker's role has permissions unknown at preview or none; list them from policies/contract/breaker.ts.`, r.urn);
        } else {
            const extra = permissions.filter((x) => !BREAKER_GCP_ALLOWED_PERMISSIONS.has(String(x)));
            if (extra.length > 0) {
                report(`${name}: the breaker's role holds ${extra.join(", ")}, which no breaker adapter calls; it may hold only ${[...BREAKER_GCP_ALLOWED_PERMISSIONS].join(", ")}.`, r.urn);
            }
        }
        if (project !== undefined) roles.set(`projects/${project}/roles/${id}`, r);
    }
    return roles;
}

/** The projects the stack deploys something to, other than the breaker's own grants. */
function stackProjects(resources: ReadonlyArray<PolicyResource>): Set<string> {
    return new Set(resources.flatMap((r) => (r.type.startsWith("gcp:") && !isGrant(r.type) && r.type !== CUSTOM_ROLE ? [str(props(r).project)].filter((p): p is string => p !== undefined) : [])));
}

const breakerFunctions = (resources: ReadonlyArray<PolicyResource>) =>
    resources.filter((r) => r.type === FUNCTION && typeof (props(r).labels as Record<string, unknown> | undefined)?.[BREAKER_TAG] === "string");

/** The source buckets the breaker's functions are built from (unknown ones are left out: their grants then fail closed). */
function sourceBuckets(resources: ReadonlyArray<PolicyResource>): Set<string> {
    return new Set(
        breakerFunctions(resources).flatMap((fn) => {
            const build = props(fn).buildConfig as { source?: { storageSource?: { bucket?: unknown } } } | undefined;
            const bucket = str(build?.source?.storageSource?.bucket);
            return bucket !== undefined ? [bucket] : [];
        }),
    );
}

/**
 * The grants to `account` whose role is known, each with its inputs and a printable name; a grant
 * whose member or role is unknown at preview is reported (fails closed) and left out.
 */
function* grantsTo(
    resources: ReadonlyArray<PolicyResource>,
    account: BreakerAccount,
    who: string,
    report: (m: string, urn?: string) => void,
): Generator<{ grant: PolicyResource; p: Record<string, unknown>; role: string; name: string }> {
    for (const grant of resources.filter((r) => isGrant(r.type))) {
        const named = namesAccount(grant, account);
        if (named === false) continue;
        const p = props(grant);
        const role = str(p.role);
        const name = `${urnName(grant.urn)} [${grant.type}]`;
        if (named === "unknown" || role === undefined) {
            report(`${name}: a grant to ${who} whose member or role is unknown at preview cannot be checked; name the account and role as known strings.`, grant.urn);
            continue;
        }
        yield { grant, p, role, name };
    }
}

/** The build account's grants: exactly the build's roles, where the build needs them; and every breaker function built as it. */
function checkBuildAccounts(resources: ReadonlyArray<PolicyResource>, projects: ReadonlySet<string>, report: (m: string, urn?: string) => void): void {
    const accounts = breakerAccounts(resources, BREAKER_GCP_BUILD_ACCOUNT_PREFIX);
    const buckets = sourceBuckets(resources);
    for (const account of accounts) {
        for (const { grant, p, role, name } of grantsTo(resources, account, "the breaker's build account", report)) {
            if (grant.type === PROJECT_MEMBER && BREAKER_GCP_BUILD_PROJECT_ROLES.includes(role)) {
                const project = str(p.project);
                if (project === undefined || !projects.has(project)) report(`${name}: grants the build account ${role} on project ${project ?? "unknown at preview"}, not one the stack deploys to.`, grant.urn);
                continue;
            }
            if (grant.type === BUCKET_MEMBER && role === BREAKER_GCP_BUILD_BUCKET_ROLE) {
                const bucket = str(p.bucket);
                if (bucket === undefined || !buckets.has(bucket)) report(`${name}: grants the build account ${role} on bucket ${bucket ?? "unknown at preview"}, not a breaker function's source bucket.`, grant.urn);
                continue;
            }
            report(
                `${name}: grants the breaker's build account ${role}; it may hold only ${BREAKER_GCP_BUILD_PROJECT_ROLES.join(" and ")} on the function's project and ${BREAKER_GCP_BUILD_BUCKET_ROLE} on its source bucket.`,
                grant.urn,
            );
        }
    }
    for (const fn of breakerFunctions(resources)) {
        const build = props(fn).buildConfig as Record<string, unknown> | undefined;
        const sa = build?.serviceAccount;
        const known = str(sa);
        const ok = known !== undefined ? new RegExp(`^projects/[^/]+/serviceAccounts/${BREAKER_GCP_BUILD_ACCOUNT_PREFIX}[a-z0-9-]*@`).test(known) : sa !== undefined && accounts.some((a) => dependsOn(fn, a.urn));
        if (!ok) {
            report(
                `${urnName(fn.urn)} [${fn.type}]: the breaker function must be built as its own build account (buildConfig.serviceAccount projects/<p>/serviceAccounts/${BREAKER_GCP_BUILD_ACCOUNT_PREFIX}<stack>@...); the default compute account has no role in organizations created after May 2024 (the build fails) and Editor in older ones.`,
                fn.urn,
            );
        }
    }
}

export const checkGcpBreaker: BreakerCheck = (resources, report) => {
    const accounts = breakerAccounts(resources);
    const roles = checkRoles(resources, report);
    const projects = stackProjects(resources);
    for (const account of accounts) {
        for (const { grant, p, role, name } of grantsTo(resources, account, "the breaker's account", report)) {
            if (grant.type === PROJECT_MEMBER) {
                const custom = roles.get(role);
                const project = str(p.project);
                if (!custom) {
                    report(`${name}: grants the breaker's account ${role}; it may hold only its own custom role (${BREAKER_GCP_ROLE_PREFIX}_*), whose permissions are what its adapters call.`, grant.urn);
                } else if (project === undefined || !role.startsWith(`projects/${project}/`) || !projects.has(project)) {
                    report(`${name}: the breaker's role is granted on project ${project ?? "unknown at preview"}, which is not the role's project or not one the stack deploys to.`, grant.urn);
                }
                continue;
            }
            const allowed = BREAKER_GCP_RESOURCE_ROLES[grant.type];
            if (allowed !== role) {
                report(`${name}: grants the breaker's account ${role}; it may hold only its custom role on the stack's projects, ${Object.entries(BREAKER_GCP_RESOURCE_ROLES).map(([t, r]) => `${r} by ${t.split(":").pop()}`).join(" and ")}.`, grant.urn);
            }
        }
    }
    checkBuildAccounts(resources, projects, report);
    // A breaker function must run as the breaker's account: without one it runs as the default compute account (Editor).
    for (const fn of breakerFunctions(resources)) {
        const config = props(fn).serviceConfig as Record<string, unknown> | undefined;
        const email = config?.serviceAccountEmail;
        const name = `${urnName(fn.urn)} [${fn.type}]`;
        const known = str(email);
        const ok =
            known !== undefined
                ? known.startsWith(BREAKER_GCP_ACCOUNT_PREFIX)
                : email !== undefined && accounts.some((a) => dependsOn(fn, a.urn));
        if (!ok) report(`${name}: the breaker function must run as its own account (${BREAKER_GCP_ACCOUNT_PREFIX}<stack>, serviceConfig.serviceAccountEmail); without it, it runs as the default compute account, which holds Editor.`, fn.urn);
    }
};
