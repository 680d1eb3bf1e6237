// The AWS breaker's least-privilege check (issue 16), for the pack's breaker-least-privilege rule:
// what the program declared for the breaker (stack/breaker/aws.ts) against its rights
// (policies/contract/breakerAws.ts), so a widened right is caught whether it came from the shared
// definition or was written beside it.
import type { BreakerCheck } from "./check";
import { AWS_BREAKER_ACTIONS, BREAKER_K8S_GROUP, IamStatement, LAMBDA_VPC_ENI_ACTIONS, OWN_LOG_STREAMS } from "../contract/breakerAws";

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** What is wrong with an IAM policy document as the breaker's role policy; [] when it is exactly within the rights above. */
export function awsBreakerIamProblems(policy: unknown): string[] {
    let doc: unknown = policy;
    if (typeof doc === "string") {
        try {
            doc = JSON.parse(doc);
        } catch {
            return ["its policy is not JSON"];
        }
    }
    const statements = typeof doc === "object" && doc !== null ? list((doc as { Statement?: unknown }).Statement) : [];
    if (statements.length === 0) return ["its policy has no statements it can read (unknown at preview, or empty)"];
    const problems: string[] = [];
    statements.forEach((raw, i) => {
        const s = (typeof raw === "object" && raw !== null ? raw : {}) as IamStatement;
        const where = `statement ${s.Sid ?? i}`;
        if (s.Effect !== "Allow") return; // a Deny only narrows
        if (s.NotAction !== undefined || s.NotResource !== undefined) problems.push(`${where} uses NotAction/NotResource (grants everything else)`);
        const actions = list(s.Action);
        const resources = list(s.Resource);
        for (const a of actions) {
            if (typeof a !== "string") problems.push(`${where}: an action it cannot read`);
            else if (a.includes("*") || a.includes("?")) problems.push(`${where}: wildcard action ${a}`);
            else if (/^iam:/i.test(a)) problems.push(`${where}: IAM action ${a}`);
            else if (!AWS_BREAKER_ACTIONS.has(a)) problems.push(`${where}: action ${a} is not one the breaker needs (${[...AWS_BREAKER_ACTIONS].join(", ")})`);
        }
        const logActions = actions.filter((a) => typeof a === "string" && a.startsWith("logs:"));
        for (const r of resources) {
            if (typeof r !== "string") {
                problems.push(`${where}: a resource it cannot read`);
                continue;
            }
            if (logActions.length > 0 && !OWN_LOG_STREAMS.test(r)) problems.push(`${where}: ${logActions.join(", ")} on ${r}, not the breaker's own log group (arn:aws:logs:<region>:<account>:log-group:/aws/lambda/llm-serving-breaker-<stack>:*)`);
            // "*" only for the ENI actions (no resource-level permission on Describe; AWS's own policy).
            if (r.includes("*") && logActions.length === 0 && actions.some((a) => typeof a === "string" && !(LAMBDA_VPC_ENI_ACTIONS as readonly string[]).includes(a))) {
                problems.push(`${where}: resource ${r} is a wildcard for actions other than Lambda's VPC network interfaces`);
            }
        }
        if (resources.length === 0) problems.push(`${where}: no Resource`);
    });
    return problems;
}

/** What is wrong with a Kubernetes Role's rules as the breaker's. */
export function awsBreakerRbacProblems(rules: unknown): string[] {
    const problems: string[] = [];
    const all = list(rules);
    if (all.length === 0) return ["its rules cannot be read"];
    all.forEach((raw, i) => {
        const r = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
        const verbs = list(r.verbs);
        const bad = verbs.filter((v) => v !== "get" && v !== "patch");
        if (bad.length > 0) problems.push(`rule ${i}: verbs ${bad.join(", ")} (only get and patch)`);
        if (JSON.stringify(list(r.apiGroups)) !== '["ray.io"]' || JSON.stringify(list(r.resources)) !== '["rayservices"]') problems.push(`rule ${i}: only ray.io rayservices`);
        const names = list(r.resourceNames);
        if (names.length === 0 || names.some((n) => typeof n !== "string" || n.includes("*"))) problems.push(`rule ${i}: no resourceNames (every RayService of the namespace)`);
    });
    return problems;
}

/** One resource as the pack sees it (PolicyResource's fields the check reads). */
export interface BreakerResource {
    readonly type: string;
    readonly urn: string;
    readonly props: Record<string, unknown>;
}
export interface BreakerRightsProblem {
    readonly urn: string;
    readonly message: string;
}

/** The AWS breaker's component type: its children are the resources checked. */
export const AWS_BREAKER_COMPONENT = "llm-serving:breaker:AwsBreaker";
const underBreaker = (urn: string) => urn.includes(`${AWS_BREAKER_COMPONENT}$`);

/**
 * The least-privilege check of the AWS breaker over a stack's resources: every IAM role policy under
 * the breaker is exactly within its rights; no managed policy is attached to its role (a managed
 * policy is outside this check's reading); no EKS access policy is associated (the namespaced Role
 * is its only right in the cluster), its access entry is STANDARD with only the breaker's group;
 * its Kubernetes Role gets and patches one RayService; no ClusterRole or ClusterRoleBinding.
 */
export function awsBreakerRightsProblems(resources: ReadonlyArray<BreakerResource>): BreakerRightsProblem[] {
    const out: BreakerRightsProblem[] = [];
    for (const r of resources) {
        if (!underBreaker(r.urn)) continue;
        const add = (message: string) => out.push({ urn: r.urn, message: `AWS breaker: ${message}` });
        switch (r.type) {
            case "aws:iam/rolePolicy:RolePolicy":
                for (const p of awsBreakerIamProblems(r.props.policy)) add(`role policy: ${p}`);
                break;
            case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
            case "aws:iam/policyAttachment:PolicyAttachment":
                add(`managed policy ${String(r.props.policyArn ?? "")} attached to its role; declare its rights inline (policies/breaker/aws.ts)`);
                break;
            case "aws:eks/accessPolicyAssociation:AccessPolicyAssociation":
                add(`EKS access policy ${String(r.props.policyArn ?? "")} associated; its only cluster right is the namespaced Role`);
                break;
            case "aws:eks/accessEntry:AccessEntry": {
                const groups = list(r.props.kubernetesGroups);
                if (r.props.type !== undefined && r.props.type !== "STANDARD") add(`access entry type ${String(r.props.type)} (STANDARD only)`);
                if (groups.length !== 1 || groups[0] !== BREAKER_K8S_GROUP) add(`access entry groups ${JSON.stringify(groups)} (only ${BREAKER_K8S_GROUP})`);
                if (groups.some((g) => typeof g === "string" && g.startsWith("system:"))) add("access entry in a system: group");
                break;
            }
            case "kubernetes:rbac.authorization.k8s.io/v1:Role":
                for (const p of awsBreakerRbacProblems(r.props.rules)) add(`Kubernetes Role: ${p}`);
                break;
            case "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole":
            case "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding":
                add(`${r.type.split(":").pop()} (cluster-wide rights; a namespaced Role only)`);
                break;
            case "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": {
                const ref = (r.props.roleRef ?? {}) as Record<string, unknown>;
                if (ref.kind !== "Role") add(`RoleBinding to a ${String(ref.kind)} (a Role only)`);
                break;
            }
        }
    }
    return out;
}

/** breaker-least-privilege's AWS check (policies/rules/breakerLeastPrivilege.ts). */
export const checkAwsBreaker: BreakerCheck = (resources, report) => {
    for (const p of awsBreakerRightsProblems(resources.map((r) => ({ type: r.type, urn: r.urn, props: r.props as Record<string, unknown> })))) report(p.message, p.urn);
};
