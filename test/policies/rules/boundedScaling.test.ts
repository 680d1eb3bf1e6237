import assert from "node:assert/strict";
import { boundedScaling } from "../../../policies/rules/boundedScaling";
import { assertNoViolations, assertOneViolation, runStackPolicy } from "../../helpers/policyArgs";
import { gcpFallbackStack, gcpStack, inf2NodePool, karpenterFallbackStack, mutated, mutatedIn } from "../../helpers/policyFixtures";

describe("policy bounded-scaling", () => {
    it("passes an autoscaler with maxReplicas and a NodePool with spec.limits", async () => {
        assertNoViolations(await runStackPolicy(boundedScaling, [...gcpStack(), inf2NodePool()]));
    });

    it("blocks an autoscaler without maxReplicas", async () => {
        const stack = mutatedIn(gcpStack(), "llm-autoscaler", (i) => delete (i.autoscalingPolicy as Record<string, unknown>).maxReplicas);
        const autoscaler = stack.find((r) => r.name === "llm-autoscaler");
        assertOneViolation(await runStackPolicy(boundedScaling, stack), ["llm-autoscaler", "maxReplicas"], autoscaler?.urn);
    });

    it("blocks a Karpenter NodePool without spec.limits", async () => {
        const pool = mutated(inf2NodePool(), (i) => delete (i.spec as Record<string, unknown>).limits);
        assertOneViolation(await runStackPolicy(boundedScaling, [...gcpStack(), pool]), ["llm-inf2", "spec.limits"], pool.urn);
    });
});

describe("policy bounded-scaling: shared capacity (issue 19)", () => {
    it("passes a spot group and an on-demand floor that share one maximum", async () => {
        assertNoViolations(await runStackPolicy(boundedScaling, gcpFallbackStack()));
    });

    it("blocks a floor whose shared maximum is removed", async () => {
        const stack = mutatedIn(gcpFallbackStack(), "llm-floor-template", (i) => delete (i.labels as Record<string, unknown>)["llm-serving-capacity-max"]);
        const floor = stack.find((r) => r.name === "llm-floor-mig");
        assertOneViolation(await runStackPolicy(boundedScaling, stack), ["llm-floor-mig", "llm-serving-capacity-max", "no maximum"], floor?.urn);
    });

    it("blocks a floor whose autoscaler maximum is removed", async () => {
        const stack = mutatedIn(gcpFallbackStack(), "llm-floor-autoscaler", (i) => delete (i.autoscalingPolicy as Record<string, unknown>).maxReplicas);
        assertOneViolation(await runStackPolicy(boundedScaling, stack), ["llm-floor-autoscaler", "maxReplicas"]);
    });

    it("blocks a floor labelled into a share whose maximum it can exceed", async () => {
        const stack = mutatedIn(gcpFallbackStack(), "llm-floor-autoscaler", (i) => ((i.autoscalingPolicy as Record<string, unknown>).maxReplicas = 6));
        const reported = await runStackPolicy(boundedScaling, stack);
        assert.ok(reported.some((r) => r.message.includes("llm-floor-mig") && r.message.includes("may scale to 6, above the shared maximum 4")));
        assert.ok(reported.every((r) => r.message.includes("shared capacity")));
    });
});

describe("policy bounded-scaling: Karpenter spot NodePool over an on-demand floor NodePool (issue 19, eksInf2)", () => {
    it("passes the spot and on-demand NodePools whose limits fill one shared maximum", async () => {
        assertNoViolations(await runStackPolicy(boundedScaling, [...gcpStack(), ...karpenterFallbackStack()]));
    });

    it("blocks the floor NodePool whose limits are removed", async () => {
        const stack = mutatedIn([...gcpStack(), ...karpenterFallbackStack()], "llm-inf2-ondemand", (i) => delete (i.spec as Record<string, unknown>).limits);
        const floor = stack.find((r) => r.name === "llm-inf2-ondemand");
        const reported = await runStackPolicy(boundedScaling, stack);
        assert.ok(reported.length >= 1, "removing the floor's limits must be blocked");
        assert.ok(reported.some((r) => r.message.includes("llm-inf2-ondemand") && r.message.includes("spec.limits") && r.urn === floor?.urn), reported.map((r) => r.message).join("\n"));
    });

    it("blocks a floor NodePool whose limits exceed its share of the maximum", async () => {
        const stack = mutatedIn([...gcpStack(), ...karpenterFallbackStack()], "llm-inf2-ondemand", (i) => (((i.spec as Record<string, Record<string, string>>).limits.cpu = "160"), ((i.spec as Record<string, Record<string, string>>).limits.memory = "640Gi"), ((i.spec as Record<string, Record<string, string>>).limits["aws.amazon.com/neuron"] = "5")));
        const reported = await runStackPolicy(boundedScaling, stack);
        assert.ok(reported.some((r) => r.message.includes("shared capacity")), reported.map((r) => r.message).join("\n"));
    });
});
