// Cloud-side limits, field by field (config/limits.ts): each names a real schema key and the schema
// refuses the listed just-past-the-limit value at that key.
import * as assert from "node:assert/strict";
import { stackConfigSchema } from "../../stack";
import { FIELD_LIMITS } from "../../config/limits";
import { describeIssue } from "../../stack";

const VALID = {
    tags: { owner: "ml-platform", costCenter: "cc-1234" },
    targets: {
        gcpSpotL4: { project: "acme-llm-dev", region: "us-central1", replicas: { min: 2, max: 3 } },
        eksInf2: { region: "us-west-2", apiAccessCidrs: ["203.0.113.0/24"], maxNodes: 2, replicas: { min: 1, max: 2 }, image: "123456789012.dkr.ecr.us-west-2.amazonaws.com/llm-serving/neuron-ray-serve:vllm0.9.1-ray2.46.0" },
        aksGpu: { location: "eastus", nodes: { min: 1, max: 2 }, apiServerAuthorizedRanges: ["203.0.113.0/24"] },
        azureMl: { location: "eastus", instanceType: "Standard_NC24ads_A100_v4", instances: { min: 1, max: 2 } },
        gpuVm: { location: "eastus", sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJfoWyC9ZHstsumTKS3eh/fuQYXsbvuvDYGhGjnDN5/H a@b", allowedCidrs: ["203.0.113.0/24"] },
    },
};

function withValue(key: string, value: unknown): Record<string, unknown> {
    const doc = structuredClone(VALID) as Record<string, unknown>;
    const parts = key.split(".");
    let at = doc;
    for (const p of parts.slice(0, -1)) at = (at[p] ??= p === "existingNetwork" ? { vpcId: "vpc-0123abcd", privateSubnetIds: ["subnet-0123abcd", "subnet-0123abce"], publicSubnetIds: ["subnet-0123abcf", "subnet-0123abc0"] } : {}) as Record<string, unknown>;
    at[parts[parts.length - 1]] = value;
    return doc;
}

describe("cloud-side limits, field by field", () => {
    it("the valid base document passes (negative control)", () => {
        const result = stackConfigSchema.safeParse(VALID);
        assert.ok(result.success, JSON.stringify(result.error?.issues));
    });
    for (const limit of FIELD_LIMITS) {
        it(`${limit.key}: ${limit.limit} (${limit.source})`, () => {
            const result = stackConfigSchema.safeParse(withValue(limit.key, limit.refused), { reportInput: true });
            assert.ok(!result.success, "accepted a value past the limit");
            const lines = result.error.issues.map(describeIssue);
            assert.ok(lines.some((l) => l.startsWith(`llm-serving:${limit.key}`)), lines.join("\n"));
        });
    }
});
