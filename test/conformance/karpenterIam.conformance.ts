import { strict as assert } from "node:assert";
import { parse } from "yaml";
import { resourcesOfType } from "./plans";
import { readUpstream } from "./upstream";

/**
 * The Karpenter controller's IAM policy, as planned, against Karpenter's reference policy at the
 * pinned version (the getting-started CloudFormation): the same statements (by Sid), effects,
 * actions, resources and conditions. The reference's `${...}` placeholders (partition, region,
 * account, cluster name, queue and node role ARNs) match any value, the same value at every
 * occurrence; the cluster name and region must then be the planned cluster's.
 */
const REFERENCE = "karpenter-provider-aws/v1.8.1/website/content/en/v1.8/getting-started/getting-started-with-karpenter/cloudformation.yaml";

type Statement = Record<string, unknown>;
interface Policy {
    Statement: Statement[];
}

/** The controller policy document of the reference template (a `!Sub` JSON string). */
export function referencePolicy(): Policy {
    const scalar = (tag: string) => ({ tag, resolve: (s: string) => s });
    const template = parse(readUpstream(REFERENCE), {
        customTags: [scalar("!Sub"), scalar("!Ref"), scalar("!GetAtt")],
    }) as { Resources: { KarpenterControllerPolicy: { Properties: { PolicyDocument: string } } } };
    return JSON.parse(template.Resources.KarpenterControllerPolicy.Properties.PolicyDocument) as Policy;
}

const sortedList = (v: unknown): unknown => (Array.isArray(v) ? [...v].map(String).sort() : v);

/** A statement with every list sorted and every object's keys sorted, so equal policies print equal. */
function canonical(value: unknown, key = ""): unknown {
    if (Array.isArray(value)) return key === "Statement" ? value.map((v) => canonical(v)) : sortedList(value);
    if (value && typeof value === "object") {
        return Object.fromEntries(
            Object.keys(value)
                .sort()
                .map((k) => [k, canonical((value as Record<string, unknown>)[k], k)]),
        );
    }
    return value;
}

/** Normalizes one statement: Action/Resource always lists; condition values always lists. */
function normalize(s: Statement): Statement {
    const out: Statement = { ...s, Action: [s.Action].flat(), Resource: [s.Resource].flat() };
    if (s.Condition) {
        out.Condition = Object.fromEntries(
            Object.entries(s.Condition as Record<string, Record<string, unknown>>).map(([op, kv]) => [op, Object.fromEntries(Object.entries(kv).map(([k, v]) => [k, [v].flat().map(String)]))]),
        );
    }
    return canonical(out) as Statement;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Matches `ours` against `reference` with placeholder unification; returns the problems (per Sid)
 * and the values the placeholders took.
 */
export function comparePolicies(ours: Policy, reference: Policy): { problems: string[]; bindings: Record<string, string> } {
    const problems: string[] = [];
    const bySid = (p: Policy) => new Map(p.Statement.map((s) => [String(s.Sid), normalize(s)]));
    const mine = bySid(ours);
    const theirs = bySid(reference);
    for (const sid of theirs.keys()) if (!mine.has(sid)) problems.push(`${sid}: missing (the reference grants it)`);
    for (const sid of mine.keys()) if (!theirs.has(sid)) problems.push(`${sid}: not in the reference policy`);
    const sids = [...theirs.keys()].filter((s) => mine.has(s)).sort();
    // One regex over all shared statements, so a placeholder means one value everywhere.
    const names = new Map<string, string>();
    const toPattern = (text: string) =>
        escape(text).replace(/\\\$\\\{([^}]+)\\\}/g, (_, raw: string) => {
            const placeholder = raw.replace(/\\/g, "");
            const seen = names.has(placeholder);
            if (!seen) names.set(placeholder, `p${names.size}`);
            return seen ? `\\k<${names.get(placeholder)}>` : `(?<${names.get(placeholder)}>[^"]+?)`;
        });
    const theirText = JSON.stringify(sids.map((s) => theirs.get(s)));
    const myText = JSON.stringify(sids.map((s) => mine.get(s)));
    const match = new RegExp(`^${toPattern(theirText)}$`).exec(myText);
    const bindings: Record<string, string> = {};
    if (match) {
        for (const [placeholder, group] of names) bindings[placeholder] = match.groups![group];
    } else {
        // Say which statements differ: each on its own (bindings may then disagree across statements).
        for (const sid of sids) {
            const local = new Map<string, string>();
            const pattern = escape(JSON.stringify(theirs.get(sid))).replace(/\\\$\\\{([^}]+)\\\}/g, (_, raw: string) => {
                const p = raw.replace(/\\/g, "");
                if (local.has(p)) return `\\k<${local.get(p)}>`;
                local.set(p, `q${local.size}`);
                return `(?<${local.get(p)}>[^"]+?)`;
            });
            if (!new RegExp(`^${pattern}$`).test(JSON.stringify(mine.get(sid)))) {
                problems.push(`${sid}: differs from the reference\n  ours:      ${JSON.stringify(mine.get(sid))}\n  reference: ${JSON.stringify(theirs.get(sid))}`);
            }
        }
        if (problems.length === 0) problems.push("a placeholder takes different values in different statements");
    }
    return { problems, bindings };
}

describe("conformance: the Karpenter controller policy against the reference policy at v1.8.1", () => {
    let planned: Array<{ plan: string; policy: Policy; clusterName: string; region: string }>;
    before(async () => {
        const policies = (await resourcesOfType("aws:iam/rolePolicy:RolePolicy")).filter((p) => p.resource.name.endsWith("-karpenter-controller"));
        const clusters = await resourcesOfType("aws:eks/cluster:Cluster");
        planned = policies.map(({ plan, resource }) => {
            const cluster = clusters.find((c) => c.plan === plan)!.resource.inputs;
            return { plan, policy: JSON.parse(String(resource.inputs.policy)) as Policy, clusterName: String(cluster.name), region: String(cluster.region) };
        });
    });

    it("every planned controller policy grants exactly the reference's statements, scoped to its own cluster and region", () => {
        assert.ok(planned.length >= 2, `only ${planned.length} Karpenter controller policies planned`);
        const reference = referencePolicy();
        for (const p of planned) {
            const { problems, bindings } = comparePolicies(p.policy, reference);
            assert.deepEqual(problems, [], p.plan);
            assert.equal(bindings.ClusterName, p.clusterName, `${p.plan}: cluster name`);
            assert.equal(bindings["AWS::Region"], p.region, `${p.plan}: region`);
            assert.equal(bindings["AWS::Partition"], "aws", `${p.plan}: partition`);
            assert.match(bindings["AWS::AccountId"], /^\d{12}$/, `${p.plan}: account`);
        }
        console.log(`      ${planned.length} policies, ${reference.Statement.length} statements each`);
    });

    it("negative control: the old unscoped iam:TagInstanceProfile, a dropped condition and an extra action are refused", () => {
        const reference = referencePolicy();
        const ours = planned[0].policy;
        const clone = () => JSON.parse(JSON.stringify(ours)) as Policy;

        const oldTagging = clone();
        const creation = oldTagging.Statement.find((s) => s.Sid === "AllowScopedInstanceProfileCreationActions")!;
        creation.Action = ["iam:CreateInstanceProfile", "iam:TagInstanceProfile"];
        assert.match(comparePolicies(oldTagging, reference).problems.join("\n"), /AllowScopedInstanceProfileCreationActions: differs/);

        const dropped = clone();
        const launch = dropped.Statement.find((s) => s.Sid === "AllowScopedEC2InstanceActionsWithTags")!;
        delete (launch.Condition as Record<string, Record<string, unknown>>).StringEquals[`aws:RequestTag/eks:eks-cluster-name`];
        assert.match(comparePolicies(dropped, reference).problems.join("\n"), /AllowScopedEC2InstanceActionsWithTags: differs/);

        const extra = clone();
        extra.Statement.push({ Sid: "Everything", Effect: "Allow", Action: "ec2:*", Resource: "*" });
        assert.deepEqual(comparePolicies(extra, reference).problems, ["Everything: not in the reference policy"]);

        const otherCluster = clone();
        const deletion = otherCluster.Statement.find((s) => s.Sid === "AllowScopedDeletion")!;
        (deletion.Condition as Record<string, Record<string, unknown>>).StringEquals = { "aws:ResourceTag/kubernetes.io/cluster/someone-else": "owned" };
        assert.ok(comparePolicies(otherCluster, reference).problems.length > 0, "a statement scoped to another cluster must not match");
    });
});
