// Fail closed on what the policies do not recognise: every resource type of @pulumi/aws, @pulumi/gcp,
// @pulumi/azure-native and @pulumi/kubernetes whose inputs carry a machine/VM size, a node count, a
// public API endpoint or (GCP) a service account is listed by a script over the SDKs' type
// definitions (test/helpers/policyGuarded.ts), fed through the pack in process, and shown either
// checked by the guarding policy or refused by it as not understood.
import * as assert from "node:assert/strict";
import devConfig from "../../../policies/config/dev.json";
import { evaluatePolicies } from "../../../policies/evaluate";
import data from "../../../policies/guarded.data.json";
import { guardedKinds } from "../../../policies/guarded";
import { KINDS } from "../../../policies/model";
import { capacitiesOf, understandsCapacity } from "../../../policies/resources";
import { GUARDED_PROVIDERS, guardedTypesFromSdk } from "../../helpers/policyGuarded";

/** The kinds that say how their API server is exposed are checked; AKS and EKS at least. */
const CHECKED_API_SERVERS = KINDS.filter((k) => k.apiServer !== undefined).flatMap((k) => k.types);
/** The GCP kinds that say which account their machines run as are checked; templates and VMs at least. */
const CHECKED_GCP_MACHINES = KINDS.filter((k) => k.gcpIdentity !== undefined).flatMap((k) => k.types);

function resource(type: string, props: Record<string, unknown> = {}) {
    const name = "probe";
    return { urn: `urn:pulumi:dev::llm-serving::${type}::${name}`, type, name, parent: null, inputs: props, propertyDependencies: {} };
}

/** Which guarding policies report on a bare resource of `type` as not understood, and which report at all. */
async function outcome(type: string): Promise<{ refused: Set<string>; reported: Set<string> }> {
    const { violations } = await evaluatePolicies([resource(type)], devConfig);
    const mine = violations.filter((v) => v.enforcementLevel === "mandatory");
    return {
        refused: new Set(mine.filter((v) => v.message.includes("refused as not understood")).map((v) => v.policy)),
        reported: new Set(mine.map((v) => v.policy)),
    };
}

describe("policies fail closed on resource types they do not read (SDK scan)", function () {
    this.timeout(300000);
    const all = Object.entries(data.types as Record<string, Record<string, string[]>>).flatMap(([, byType]) => Object.keys(byType));

    it("guarded.data.json is exactly what the installed SDKs' Args types declare (all four SDKs scanned)", () => {
        const fresh = guardedTypesFromSdk();
        assert.deepEqual(fresh, data);
        assert.deepEqual(Object.keys(fresh.source).sort(), [...GUARDED_PROVIDERS].sort());
        for (const provider of ["aws", "azure-native", "gcp"] as const) assert.ok(Object.keys(fresh.types[provider]).length >= 20, provider);
        // The committed stacks' own compute is among them, so the scan finds what matters.
        for (const t of ["gcp:compute/instanceTemplate:InstanceTemplate", "azure-native:compute:VirtualMachine", "aws:eks/nodeGroup:NodeGroup", "gcp:container/nodePool:NodePool", "azure-native:machinelearningservices:Compute"]) {
            assert.ok(all.includes(t), t);
        }
    });

    it(`every type carrying a size or a node count (${all.filter((t) => guardedKinds(t).some((k) => k === "size" || k === "count")).length}) is checked by allowed-instance-types or refused by it`, async () => {
        const problems: string[] = [];
        for (const type of all.filter((t) => guardedKinds(t).some((k) => k === "size" || k === "count"))) {
            const { refused, reported } = await outcome(type);
            if (understandsCapacity(type)) {
                // Checked: its reader runs (a bare resource pins no SKU and is reported, or takes its SKU elsewhere).
                if (refused.has("allowed-instance-types")) problems.push(`${type}: checked, yet refused`);
                if (capacitiesOf({ type, props: {} }).length > 0 && !reported.has("allowed-instance-types")) problems.push(`${type}: checked, yet a resource with no SKU passes`);
            } else if (!refused.has("allowed-instance-types")) {
                problems.push(`${type}: neither checked nor refused`);
            }
        }
        assert.deepEqual(problems, []);
    });

    it("every type carrying a Kubernetes API endpoint is checked by api-server-not-public or refused by it", async () => {
        for (const t of ["azure-native:containerservice:ManagedCluster", "aws:eks/cluster:Cluster"]) assert.ok(CHECKED_API_SERVERS.includes(t), `${t} is checked`);
        const types = all.filter((t) => guardedKinds(t).includes("api-endpoint"));
        assert.ok(types.length >= 4, types.join(", "));
        for (const type of types) {
            const { refused, reported } = await outcome(type);
            if (CHECKED_API_SERVERS.includes(type)) {
                assert.ok(reported.has("api-server-not-public") && !refused.has("api-server-not-public"), `${type}: a bare cluster is public and must be reported`);
            } else {
                assert.ok(refused.has("api-server-not-public"), `${type}: neither checked nor refused`);
            }
        }
    });

    it("every GCP type running machines as a service account is checked by gcp-no-default-service-account or refused by it", async () => {
        const types = all.filter((t) => t.startsWith("gcp:") && guardedKinds(t).includes("service-account") && guardedKinds(t).some((k) => k === "size" || k === "count"));
        assert.ok(types.includes("gcp:container/nodePool:NodePool"), types.join(", "));
        for (const type of types) {
            if (CHECKED_GCP_MACHINES.includes(type)) {
                // The default account where templates and VMs name it (serviceAccount) and where GKE does (nodeConfig).
                const defaultAccount = "1-compute@developer.gserviceaccount.com";
                const { violations } = await evaluatePolicies([resource(type, { serviceAccount: { email: defaultAccount }, nodeConfig: { serviceAccount: defaultAccount } })], devConfig);
                assert.ok(violations.some((v) => v.policy === "gcp-no-default-service-account" && v.message.includes("default compute service account")), type);
            } else {
                const { refused } = await outcome(type);
                assert.ok(refused.has("gcp-no-default-service-account"), `${type}: neither checked nor refused`);
            }
        }
    });

    it("negative control: a type outside the scan (a plain bucket) is neither refused nor reported by these policies", async () => {
        const { reported } = await outcome("gcp:storage/bucket:Bucket");
        for (const p of ["allowed-instance-types", "api-server-not-public", "gcp-no-default-service-account"]) assert.ok(!reported.has(p), p);
    });

    it("the Karpenter reader agrees with the cost engine on NotIn and families", async () => {
        const pool = (requirements: unknown[]) => capacitiesOf({ type: "kubernetes:karpenter.sh/v1:NodePool", props: { spec: { template: { spec: { requirements } } } } })[0];
        const skus = (reqs: unknown[]) => pool(reqs).skus.map((s) => (s.state === "known" ? s.value : s.state)).sort();
        assert.deepEqual(skus([{ key: "node.kubernetes.io/instance-type", operator: "In", values: ["inf2.8xlarge", "inf2.48xlarge"] }, { key: "node.kubernetes.io/instance-type", operator: "NotIn", values: ["inf2.48xlarge"] }]), ["inf2.8xlarge"]);
        assert.ok(skus([{ key: "karpenter.k8s.aws/instance-family", operator: "In", values: ["inf2"] }]).includes("inf2.48xlarge"));
        const spot = pool([{ key: "karpenter.sh/capacity-type", operator: "NotIn", values: ["on-demand", "reserved"] }, { key: "node.kubernetes.io/instance-type", operator: "In", values: ["inf2.8xlarge"] }]).spot;
        assert.deepEqual(spot.state === "known" && spot.value, true);
    });
});
