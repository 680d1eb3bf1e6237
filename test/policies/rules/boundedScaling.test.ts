import { boundedScaling } from "../../../policies/rules/boundedScaling";
import { assertNoViolations, assertOneViolation, runStackPolicy } from "../../helpers/policyArgs";
import { gcpStack, inf2NodePool, mutated, mutatedIn } from "../../helpers/policyFixtures";

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
