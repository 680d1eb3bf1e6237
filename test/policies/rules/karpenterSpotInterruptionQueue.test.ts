import { karpenterSpotInterruptionQueue } from "../../../policies/rules/karpenterSpotInterruptionQueue";
import { UNKNOWN_STRING_SENTINEL } from "../../../policies/contract/keys";
import { assertNoViolations, assertOneViolation, runStackPolicy } from "../../helpers/policyArgs";
import { mutated, setPath } from "../../helpers/policyFixtures";
import { interruptionQueue, karpenterRelease, spotNodePool } from "../../helpers/policySecurityFixtures";

const stack = () => [spotNodePool(), interruptionQueue(), karpenterRelease()];

describe("policy karpenter-spot-interruption-queue", () => {
    it("passes spot with an encrypted queue the Karpenter chart reads", async () => {
        assertNoViolations(await runStackPolicy(karpenterSpotInterruptionQueue, stack()));
    });

    it("accepts a queue name unknown at preview (wired from the queue)", async () => {
        const release = mutated(karpenterRelease(), (i) => setPath(i, ["values", "settings", "interruptionQueue"], UNKNOWN_STRING_SENTINEL));
        assertNoViolations(await runStackPolicy(karpenterSpotInterruptionQueue, [spotNodePool(), interruptionQueue(), release], {}, { preview: true }));
    });

    it("blocks spot with no interruption queue", async () => {
        const pool = spotNodePool();
        assertOneViolation(await runStackPolicy(karpenterSpotInterruptionQueue, [pool, karpenterRelease()]), ["no SQS interruption queue"], pool.urn);
    });

    it("blocks a Karpenter release that does not set settings.interruptionQueue", async () => {
        const release = mutated(karpenterRelease(), (i) => setPath(i, ["values", "settings"], { clusterName: "llm-dev", interruptionQueueName: "q" }));
        assertOneViolation(await runStackPolicy(karpenterSpotInterruptionQueue, [spotNodePool(), interruptionQueue(), release]), ["settings.interruptionQueue"]);
    });

    it("blocks an unencrypted queue", async () => {
        const queue = mutated(interruptionQueue(), (i) => delete i.sqsManagedSseEnabled);
        assertOneViolation(await runStackPolicy(karpenterSpotInterruptionQueue, [spotNodePool(), queue, karpenterRelease()]), ["not encrypted"], queue.urn);
    });

    it("asks nothing of an on-demand pool", async () => {
        const pool = mutated(spotNodePool(), (i) => setPath(i, ["spec", "template", "spec", "requirements", 1, "values"], ["on-demand"]));
        assertNoViolations(await runStackPolicy(karpenterSpotInterruptionQueue, [pool]));
    });
});
