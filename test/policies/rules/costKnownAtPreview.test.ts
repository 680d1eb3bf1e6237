import * as assert from "node:assert/strict";
import { costKnownAtPreview } from "../../../policies/rules/costKnownAtPreview";
import { evaluatePolicies } from "../../../policies/evaluate";
import { UNKNOWN_STRING_SENTINEL } from "../../../policies/contract/keys";
import { unknown } from "@pulumi/pulumi/output";
import devConfig from "../../../policies/config/dev.json";
import { assertNoViolations, assertOneViolation, runStackPolicy } from "../../helpers/policyArgs";
import { gcpStack, mutatedIn } from "../../helpers/policyFixtures";

/** The dev stack as preview sees it when maxReplicas comes from another resource's output. */
function stackWithUnknownMax(value: unknown = UNKNOWN_STRING_SENTINEL) {
    return mutatedIn(gcpStack(), "llm-autoscaler", (i) => ((i.autoscalingPolicy as Record<string, unknown>).maxReplicas = value));
}

describe("policy cost-known-at-preview", () => {
    it("passes when every cost-relevant value is known at preview", async () => {
        assertNoViolations(await runStackPolicy(costKnownAtPreview, gcpStack(), {}, { preview: true }));
    });

    it("reports an unknown maxReplicas (the engine's sentinel, under the proxy) instead of throwing", async () => {
        const stack = stackWithUnknownMax();
        const autoscaler = stack.find((r) => r.name === "llm-autoscaler");
        assertOneViolation(await runStackPolicy(costKnownAtPreview, stack, {}, { preview: true }), ["llm-autoscaler", "maxReplicas", "unknown at preview"], autoscaler?.urn);
    });

    it("makes it a MANDATORY violation in a full evaluation, with no policy downgraded to advisory", async () => {
        for (const value of [UNKNOWN_STRING_SENTINEL, unknown]) {
            const { violations } = await evaluatePolicies(stackWithUnknownMax(value), devConfig, { preview: true });
            const known = violations.filter((v) => v.policy === "cost-known-at-preview");
            assert.equal(known.length, 1, JSON.stringify(violations, null, 2));
            assert.equal(known[0].enforcementLevel, "mandatory");
            assert.deepEqual(violations.filter((v) => v.message.includes("can't run policy")), []);
        }
    });
});
