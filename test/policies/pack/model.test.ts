// The pack's resource model: one registry of kinds from which the known types, the unpriced
// compute, the capacity readers and the fail-closed refusals are derived.
import * as assert from "node:assert/strict";
import { estimateCosts } from "../../../policies/cost/estimate";
import type { PlannedResource } from "../../../policies/evaluate";
import { CAPACITY_KINDS, KINDS, KNOWN_TYPES, SPOT_CAPABLE_KINDS, UNPRICED_COMPUTE_TYPES, capacitiesOf, kindOf, understandsCapacity } from "../../../policies/model";
import { GKE } from "../../../policies/model/gcp/gke";
import { allowedInstanceTypes } from "../../../policies/rules/allowedInstanceTypes";
import { pricedResourcesOnly } from "../../../policies/rules/pricedResourcesOnly";
import { assertNoViolations, runResourcePolicy, runStackPolicy } from "../../helpers/policyArgs";
import { ec2SpotInstance, inf2NodePool, mutated } from "../../helpers/policyFixtures";

/** A type no kind knows, whose SDK inputs carry a machine size and a node count (guarded.data.json). */
const UNKNOWN_COMPUTE = "aws:emr/instanceGroup:InstanceGroup";

function planned(type: string, name: string, inputs: Record<string, unknown>): PlannedResource {
    return { urn: `urn:pulumi:dev::llm-serving::${type}::${name}`, type, name, parent: null, inputs, propertyDependencies: {} };
}

describe("the pack's resource model", () => {
    it("gives every type token to exactly one kind", () => {
        const seen = new Map<string, string>();
        for (const kind of KINDS) {
            for (const type of kind.types) {
                assert.ok(!seen.has(type), `${type} is in ${seen.get(type)} and ${kind.name}`);
                seen.set(type, kind.name);
            }
        }
        assert.equal(new Set(KINDS.map((k) => k.name)).size, KINDS.length, "kind names are unique");
        assert.equal(KNOWN_TYPES.size, seen.size);
    });

    it("derives the unpriced compute from the kinds: the list the engine reported before the model", () => {
        assert.deepEqual([...UNPRICED_COMPUTE_TYPES].sort(), [
            "aws:autoscaling/group:Group",
            "aws:batch/computeEnvironment:ComputeEnvironment",
            "aws:ec2/fleet:Fleet",
            "aws:ec2/spotFleetRequest:SpotFleetRequest",
            "aws:ec2/spotInstanceRequest:SpotInstanceRequest",
            "aws:eks/fargateProfile:FargateProfile",
            "aws:sagemaker/endpoint:Endpoint",
            "azure-native:compute:VirtualMachineScaleSet",
            "azure-native:containerinstance:ContainerGroup",
            "azure-native:machinelearningservices:Compute",
            "azure-native:machinelearningservices:ServerlessEndpoint",
            "gcp:compute/instanceFromMachineImage:InstanceFromMachineImage",
            "gcp:compute/instanceFromTemplate:InstanceFromTemplate",
        ]);
    });

    it("prices what it says it prices: a bare resource of every kind marked compute \"priced\" gets a cost line or an issue, never nothing", () => {
        const priced = KINDS.filter((k) => k.compute === "priced").flatMap((k) => k.types);
        assert.ok(priced.length >= 9, priced.join(", "));
        for (const type of priced) {
            const est = estimateCosts([{ urn: `urn:${type}`, type, name: "bare", props: {}, propertyDependencies: {} }]);
            assert.ok(est.lines.length + est.issues.length > 0, `${type} is marked priced but the engine says nothing about it`);
        }
        // Negative control: a kind that runs no compute of its own (an autoscaler) may be silent.
        assert.deepEqual(estimateCosts([{ urn: "urn:a", type: "gcp:compute/regionAutoscaler:RegionAutoscaler", name: "a", props: {}, propertyDependencies: {} }]).issues, []);
    });

    it("derives the capacity kinds config names, in the order the spot-required schema lists them", () => {
        assert.deepEqual(CAPACITY_KINDS, ["gcp-instance-template", "gcp-instance", "gke-node-pool", "azure-vm", "aks-agent-pool", "azure-ml-deployment", "eks-node-group", "ec2-instance", "ec2-launch-template", "elasticache", "karpenter-node-pool"]);
        // Azure ML has no spot option, nor ElastiCache (on-demand or reserved nodes only).
        assert.deepEqual(SPOT_CAPABLE_KINDS, CAPACITY_KINDS.filter((k) => k !== "azure-ml-deployment" && k !== "elasticache"));
    });

    it("has a GKE module that owns the cluster and the node pool, and reads and prices the pool", () => {
        assert.equal(kindOf(GKE.cluster)?.name, "gke-cluster");
        assert.equal(kindOf(GKE.nodePool)?.name, "gke-node-pool");
        assert.equal(kindOf(GKE.nodePool)?.compute, "priced");
        assert.equal(understandsCapacity(GKE.nodePool), true);
        // A bare pool names no machine type: reported unpriced, never $0.
        const est = estimateCosts([{ urn: "urn:pool", type: GKE.nodePool, name: "pool", props: {}, propertyDependencies: {} }]);
        assert.deepEqual(est.issues.map((i) => i.kind), ["unpriced"]);
        assert.deepEqual(est.lines, []);
    });

    it("refuses a kind it does not know (SKU allow-list and cost cap) and passes a known one", async () => {
        assert.equal(kindOf(UNKNOWN_COMPUTE), undefined, "the probe type must stay outside the model");
        const unknown = planned(UNKNOWN_COMPUTE, "emr-core", { instanceType: "inf2.xlarge", instanceCount: 2, clusterId: "j-1" });
        // A priced EC2 instance: its root volume sized, so the engine prices all of it.
        const known = mutated(ec2SpotInstance(), (i) => Object.assign(i, { region: "us-east-1", rootBlockDevice: { volumeSize: 100, volumeType: "gp3" } }));
        const allowed = { allowed: { aws: ["inf2.xlarge"] } };

        const refusedSku = await runResourcePolicy(allowedInstanceTypes, unknown, allowed);
        assert.equal(refusedSku.length, 1);
        assert.ok(refusedSku[0].message.includes("refused as not understood"), refusedSku[0].message);
        assertNoViolations(await runResourcePolicy(allowedInstanceTypes, known, allowed));

        const refusedCost = await runStackPolicy(pricedResourcesOnly, [unknown]);
        assert.equal(refusedCost.length, 1);
        assert.ok(refusedCost[0].message.includes(`resource type ${UNKNOWN_COMPUTE} runs compute the cost engine does not price`), refusedCost[0].message);
        assertNoViolations(await runStackPolicy(pricedResourcesOnly, [known]));
    });

    it("negative control: a type that carries no compute stays unreported by the cost engine though no kind knows it", () => {
        const bucket = "aws:s3/bucket:Bucket";
        assert.equal(kindOf(bucket), undefined);
        assert.deepEqual(estimateCosts([{ urn: "urn:b", type: bucket, name: "b", props: {}, propertyDependencies: {} }]).issues, []);
    });

    describe("a Karpenter NodePool's requirements, read once", () => {
        const FAMILY_NOT_BIG = [
            { key: "karpenter.k8s.aws/instance-family", operator: "In", values: ["inf2"] },
            { key: "node.kubernetes.io/instance-type", operator: "NotIn", values: ["inf2.24xlarge", "inf2.48xlarge"] },
            { key: "karpenter.sh/capacity-type", operator: "In", values: ["spot"] },
        ];
        const pool = (requirements: unknown[]) =>
            mutated(inf2NodePool(), (i) => {
                const spec = i.spec as { template: { spec: { requirements: unknown[] } } };
                spec.template.spec.requirements = requirements;
                i.metadata = { name: "inf2", annotations: { "llm-serving.dev/region": "us-east-1" } };
            });
        const nodeClass = planned("kubernetes:karpenter.k8s.aws/v1:EC2NodeClass", "inf2-class", { metadata: { name: "inf2" }, spec: {} });

        /** The SKUs allowed-instance-types checks: with an empty allow-list, each is reported by name. */
        async function skusTheAllowListChecks(resource: PlannedResource): Promise<string[]> {
            const reported = await runResourcePolicy(allowedInstanceTypes, resource, { allowed: { aws: [] } });
            return reported.map((r) => /SKU (\S+) /.exec(r.message)?.[1] ?? r.message).sort();
        }

        /** The SKU the cost engine prices (the dearest it may launch) and how many types it chose from. */
        function whatTheEnginePrices(resource: PlannedResource): { sku: string; of: number } {
            const est = estimateCosts([resource, nodeClass].map((r) => ({ urn: r.urn, type: r.type, name: r.name, props: r.inputs, propertyDependencies: {} })));
            assert.deepEqual(est.issues, []);
            const line = est.lines.find((l) => l.kind === "capacity")!;
            return { sku: line.sku, of: Number(/dearest of (\d+) allowed types/.exec(line.basis)?.[1]) };
        }

        it("a NotIn on instance types gives the allow-list and the cost engine the same SKUs", async () => {
            const resource = pool(FAMILY_NOT_BIG);
            const checked = await skusTheAllowListChecks(resource);
            assert.deepEqual(checked, ["inf2.8xlarge", "inf2.xlarge"]);
            assert.deepEqual(capacitiesOf({ type: resource.type, props: resource.inputs })[0].skus.map((s) => (s.state === "known" ? s.value : s.state)).sort(), checked);
            // The engine chooses among the same two, so it prices the dearer of them, not inf2.48xlarge.
            assert.deepEqual(whatTheEnginePrices(resource), { sku: "inf2.8xlarge", of: checked.length });
        });

        it("negative control: without the NotIn both see the whole family, and the engine prices its largest", async () => {
            const resource = pool(FAMILY_NOT_BIG.filter((r) => r.operator !== "NotIn"));
            const checked = await skusTheAllowListChecks(resource);
            assert.deepEqual(checked, ["inf2.24xlarge", "inf2.48xlarge", "inf2.8xlarge", "inf2.xlarge"]);
            assert.deepEqual(whatTheEnginePrices(resource), { sku: "inf2.48xlarge", of: checked.length });
        });
    });
});
