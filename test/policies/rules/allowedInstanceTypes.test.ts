import * as assert from "node:assert/strict";
import { allowedInstanceTypes } from "../../../policies/rules/allowedInstanceTypes";
import { UNKNOWN_STRING_SENTINEL } from "../../../policies/contract/keys";
import type { PlannedResource } from "../../../policies/evaluate";
import { assertNoSecretsIn, assertNoViolations, assertOneViolation, runResourcePolicy } from "../../helpers/policyArgs";
import { aksCluster, aksGpuPool, azureSpotVm, ec2SpotInstance, eksNodeGroup, gcpSpotVm, gcpStack, inf2NodePool, mlDeployment, mutated, planned, setPath } from "../../helpers/policyFixtures";

const ALLOWED = {
    allowed: {
        gcp: ["g2-standard-4", "n1-standard-8+1xnvidia-tesla-t4"],
        azure: ["Standard_D4s_v5", "Standard_NC4as_T4_v3", "Standard_NC8as_T4_v3"],
        aws: ["m5.large", "inf2.xlarge", "inf2.8xlarge", "cache.t4g.small"],
    },
};

/** The Ray GCS store eksInf2 creates with gcsFaultTolerance: an ElastiCache node type is a machine size too. */
const cache = (): PlannedResource => planned("aws:elasticache/replicationGroup:ReplicationGroup", "llm-redis", { description: "Ray GCS", nodeType: "cache.t4g.small", numCacheClusters: 1, region: "us-west-2" });

const template = (): PlannedResource => gcpStack()[0];

/** Each kind of capacity, compliant, with the path to its SKU and a SKU that is not allowed. */
const CASES: ReadonlyArray<{ kind: string; resource: () => PlannedResource; skuPath: Array<string | number>; disallowed: unknown }> = [
    { kind: "GCP instance template", resource: template, skuPath: ["machineType"], disallowed: "a2-highgpu-1g" },
    { kind: "GCP VM", resource: gcpSpotVm, skuPath: ["machineType"], disallowed: "g2-standard-24" },
    { kind: "Azure VM", resource: azureSpotVm, skuPath: ["hardwareProfile", "vmSize"], disallowed: "Standard_ND96asr_v4" },
    { kind: "AKS agent pool", resource: aksGpuPool, skuPath: ["vmSize"], disallowed: "Standard_NC24ads_A100_v4" },
    { kind: "AKS cluster's inline pool", resource: aksCluster, skuPath: ["agentPoolProfiles", 0, "vmSize"], disallowed: "Standard_D32s_v5" },
    { kind: "Azure ML deployment", resource: mlDeployment, skuPath: ["properties", "instanceType"], disallowed: "Standard_NC48ads_A100_v4" },
    { kind: "EKS node group", resource: eksNodeGroup, skuPath: ["instanceTypes"], disallowed: ["m5.large", "p4d.24xlarge"] },
    { kind: "EC2 instance", resource: ec2SpotInstance, skuPath: ["instanceType"], disallowed: "p5.48xlarge" },
    { kind: "ElastiCache replication group", resource: cache, skuPath: ["nodeType"], disallowed: "cache.r7g.16xlarge" },
    { kind: "Karpenter NodePool", resource: inf2NodePool, skuPath: ["spec", "template", "spec", "requirements", 0, "values"], disallowed: ["inf2.48xlarge"] },
];

describe("policy allowed-instance-types", () => {
    for (const c of CASES) {
        it(`passes a ${c.kind} on an allowed SKU`, async () => {
            assertNoViolations(await runResourcePolicy(allowedInstanceTypes, c.resource(), ALLOWED));
        });

        it(`blocks a ${c.kind} on a SKU not on the environment's list`, async () => {
            const resource = mutated(c.resource(), (i) => setPath(i, c.skuPath, c.disallowed));
            const skus = Array.isArray(c.disallowed) ? c.disallowed : [c.disallowed];
            const reported = await runResourcePolicy(allowedInstanceTypes, resource, ALLOWED);
            assertOneViolation(reported, [String(skus[skus.length - 1]), "not allowed"], resource.urn);
            assertNoSecretsIn(reported);
        });
    }

    it("blocks a SKU that is unknown at preview, without throwing", async () => {
        const resource = mutated(template(), (i) => (i.machineType = UNKNOWN_STRING_SENTINEL));
        assertOneViolation(await runResourcePolicy(allowedInstanceTypes, resource, ALLOWED, { preview: true }), ["machineType", "unknown at preview"]);
    });

    it("blocks a GPU bolted onto an allowed host: the SKU is host plus accelerators", async () => {
        const resource = mutated(template(), (i) => {
            i.machineType = "n1-standard-8";
            i.guestAccelerators = [{ type: "nvidia-tesla-v100", count: 8 }];
        });
        assertOneViolation(await runResourcePolicy(allowedInstanceTypes, resource, ALLOWED), ["n1-standard-8+8xnvidia-tesla-v100"]);
        const t4 = mutated(template(), (i) => {
            i.machineType = "n1-standard-8";
            i.guestAccelerators = [{ type: "nvidia-tesla-t4", count: 1 }];
        });
        assertNoViolations(await runResourcePolicy(allowedInstanceTypes, t4, ALLOWED));
    });

    it("reads a NodePool that pins only an instance family as the cost engine does: every size of the family, each checked", async () => {
        const pool = mutated(inf2NodePool(), (i) =>
            setPath(i, ["spec", "template", "spec", "requirements", 0], { key: "karpenter.k8s.aws/instance-family", operator: "In", values: ["inf2"] }),
        );
        const reported = await runResourcePolicy(allowedInstanceTypes, pool, ALLOWED);
        assert.deepEqual(reported.map((r) => /SKU (\S+)/.exec(r.message)?.[1]).sort(), ["inf2.24xlarge", "inf2.48xlarge"]);
        // Narrowed to allowed sizes with NotIn, it passes: the same reading the cost cap prices.
        const narrowed = mutated(pool, (i) =>
            (((i.spec as Record<string, any>).template.spec.requirements) as unknown[]).push({ key: "node.kubernetes.io/instance-type", operator: "NotIn", values: ["inf2.24xlarge", "inf2.48xlarge"] }),
        );
        assertNoViolations(await runResourcePolicy(allowedInstanceTypes, narrowed, ALLOWED));
    });

    it("allows nothing on a cloud the environment does not list", async () => {
        const reported = await runResourcePolicy(allowedInstanceTypes, eksNodeGroup(), { allowed: { gcp: ["g2-standard-4"] } });
        assertOneViolation(reported, ["m5.large", "none on aws"]);
    });

    it("ignores resources that carry no compute SKU", async () => {
        assertNoViolations(await runResourcePolicy(allowedInstanceTypes, gcpStack()[3], ALLOWED));
    });
});
