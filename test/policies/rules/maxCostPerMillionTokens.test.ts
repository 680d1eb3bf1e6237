import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { MODEL_ACCESS_INPUT } from "../../../policies/contract/modelAccess";
import { DEFAULT_MAX_USD_PER_MILLION_TOKENS, maxCostPerMillionTokens } from "../../../policies/rules/maxCostPerMillionTokens";
import { assertNoViolations, assertOneViolation, runStackPolicy } from "../../helpers/policyArgs";
import { gcpFallbackStack, gcpStack, planned, STACK_URN_PREFIX } from "../../helpers/policyFixtures";
import { targetCapacities } from "../../../policies/cost/tokens";
import { estimateCosts } from "../../../policies/cost/estimate";
import type { PlannedResource } from "../../../policies/evaluate";

const COMPONENT = "llm-serving:gcp:GcpSpotL4Replicas";

/**
 * The GCP fixture stack (2..3 spot g2-standard-4 behind a forwarding rule) as children of a serving
 * component that carries the model-access marker, as the program registers them.
 */
function servingStack(modelId = "HuggingFaceH4/zephyr-7b-beta", stack: PlannedResource[] = gcpStack()): PlannedResource[] {
    const rename = (urn: string) => urn.replace(STACK_URN_PREFIX, `${STACK_URN_PREFIX}${COMPONENT}$`);
    const component = planned(COMPONENT, "gcp-spot-l4", { [MODEL_ACCESS_INPUT]: { modelId, gated: false, hfToken: false } });
    const children = stack.map((r) => ({
        ...r,
        urn: rename(r.urn),
        parent: component.urn,
        propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, v]) => [k, v.map(rename)])),
    }));
    return [component, ...children];
}

// Worst case of the fixture (test/policies/rules/monthlyCostCap.test.ts): 3 x 0.70683 x 730 = 1547.96,
// + 18.25 forwarding rule + 8.48 surge = $1,574.69 a month. At its bound, 3 replicas x 513.2 tokens/s
// (vLLM on one L4, bf16: the catalog's equivalent figure) = 1,539.6 tokens/s, x 2,628,000 s a month
// = 4,046.0688 million tokens: 1574.69 / 4046.0688 = $0.3892 per million.
const WORST_PER_MILLION = 0.3892;

describe("policy max-cost-per-million-tokens", () => {
    it("passes a target whose worst case per million tokens is under the threshold", async () => {
        assertNoViolations(await runStackPolicy(maxCostPerMillionTokens, servingStack(), { maxUsdPerMillionTokens: 0.39 }));
    });

    it("flags the same target under a threshold just below its hand-computed figure, on the component", async () => {
        const stack = servingStack();
        const reported = await runStackPolicy(maxCostPerMillionTokens, stack, { maxUsdPerMillionTokens: 0.389 });
        assertOneViolation(reported, ["gcp-spot-l4", `$${WORST_PER_MILLION.toFixed(2)}`, "$0.39", "$1574.69", "1539.6 tokens/s", "Llama-3.1-8B", "maxUsdPerMillionTokens"], stack[0].urn);
    });

    it("says a target with no sourced figure was not judged, and why (a model outside the class), on the component", async () => {
        const stack = servingStack("Qwen/Qwen2.5-7B-Instruct");
        // Even under a threshold nothing could meet, the verdict is "not judged", not a figure over it.
        const reported = await runStackPolicy(maxCostPerMillionTokens, stack, { maxUsdPerMillionTokens: 0.01 });
        assertOneViolation(reported, ["gcp-spot-l4: not judged: no sourced throughput figure (", "Qwen/Qwen2.5-7B-Instruct is not in the 7-8B grouped-query-attention class"], stack[0].urn);
        assert.doesNotMatch(reported[0].message, /over the threshold/);
        // Negative control: a class model under a generous threshold is judged and passes, with no verdict.
        assertNoViolations(await runStackPolicy(maxCostPerMillionTokens, servingStack(), { maxUsdPerMillionTokens: 100 }));
    });

    it("says not judged for a configuration the catalog has no figure for (two L4s per server), naming the nearest figure and why it is not used", async () => {
        const twoL4 = gcpStack().map((r) => (r.name === "llm-template" ? { ...r, inputs: { ...(r.inputs as Record<string, unknown>), machineType: "g2-standard-24" } } : r));
        const stack = servingStack("HuggingFaceH4/zephyr-7b-beta", twoL4);
        const reported = await runStackPolicy(maxCostPerMillionTokens, stack, { maxUsdPerMillionTokens: 100 });
        assertOneViolation(reported, ["gcp-spot-l4: not judged: no sourced throughput figure (vllm on 2 x NVIDIA L4 (bf16); nearest published: ", "not used: "], stack[0].urn);
    });

    it("judges a spot group beside an on-demand floor of the same machine type as one pool, the shared maximum counted once (issue 19)", async () => {
        // gcpFallbackStack: spot MIG 1-2 and on-demand floor MIG 1-2 of g2-standard-4 in us-central1,
        // one share of maximum 4. Worst: 4 x 0.70683 x 730 = 2063.94 (two lines of 1031.97) + two
        // surge lines of 8.48 + 18.25 forwarding rule = $2,099.15; baseline 2 x 515.99 + 18.25 =
        // $1,050.23. Replicas 2-4 x 513.2 tokens/s = 1,026.4-2,052.8 tokens/s; x 2.628 million s a
        // month: 2099.15 / 5394.7584 = $0.3891 and 1050.23 / 2697.3792 = $0.3894 per million.
        const stack = servingStack("HuggingFaceH4/zephyr-7b-beta", gcpFallbackStack());
        const inputs = stack.map((r) => ({ urn: r.urn, type: r.type, name: r.name, props: r.inputs as Record<string, unknown>, propertyDependencies: r.propertyDependencies }));
        const est = estimateCosts(inputs);
        assert.deepEqual(est.issues, []);
        const [target] = targetCapacities(inputs, est);
        assert.equal(target.worstCaseMonthlyUsd, 2099.15);
        assert.equal(target.baselineMonthlyUsd, 1050.23);
        assert.deepEqual([target.replicasBaseline, target.replicasMax], [2, 4]);
        assert.deepEqual([target.tokensPerSecondBaseline, target.tokensPerSecondMax], [1026.4, 2052.8]);
        assert.deepEqual([target.usdPerMillionTokensBaseline, target.usdPerMillionTokensWorst], [0.3894, 0.3891]);
        assert.match(target.basis, /2–4 x g2-standard-4 in 2 groups: spot 1–2 us-central1 \+ on-demand 1–2 us-central1/);
        // Judged by the policy: passes just above the figure, flagged just below it.
        assertNoViolations(await runStackPolicy(maxCostPerMillionTokens, stack, { maxUsdPerMillionTokens: 0.39 }));
        assertOneViolation(await runStackPolicy(maxCostPerMillionTokens, stack, { maxUsdPerMillionTokens: 0.388 }), ["gcp-spot-l4", "$2099.15", "2052.8 tokens/s"], stack[0].urn);
    });

    it("negative control: two machine types under one target stay unknown", async () => {
        const mixed = gcpFallbackStack().map((r) => (r.name === "llm-floor-template" ? { ...r, inputs: { ...(r.inputs as Record<string, unknown>), machineType: "g2-standard-8" } } : r));
        const reported = await runStackPolicy(maxCostPerMillionTokens, servingStack("HuggingFaceH4/zephyr-7b-beta", mixed), { maxUsdPerMillionTokens: 100 });
        assertOneViolation(reported, ["not judged", "more than one machine type"]);
    });

    it("ignores machines that belong to no serving component", async () => {
        assertNoViolations(await runStackPolicy(maxCostPerMillionTokens, gcpStack(), { maxUsdPerMillionTokens: 0.01 }));
    });

    it("is advisory by default, with a $3.50 threshold when the config names none (older policy configs still load)", async () => {
        assert.equal(maxCostPerMillionTokens.enforcementLevel, "advisory");
        assertNoViolations(await runStackPolicy(maxCostPerMillionTokens, servingStack(), {}));
        // Negative control: the default is a threshold, not "off": a dear enough target is flagged.
        assert.equal(DEFAULT_MAX_USD_PER_MILLION_TOKENS, 3.5);
        assert.equal((await runStackPolicy(maxCostPerMillionTokens, servingStack(), { maxUsdPerMillionTokens: 0.3 })).length, 1);
    });
});

describe("max-cost-per-million-tokens in the committed policy configs", () => {
    for (const env of ["dev", "prod", "staging"]) {
        it(`${env}: is advisory, and prices with the same settings as monthly-cost-cap (the same lines as the cap)`, () => {
            const config = JSON.parse(fs.readFileSync(path.resolve(__dirname, `../../../policies/config/${env}.json`), "utf8")) as Record<string, Record<string, unknown>>;
            const mine = config["max-cost-per-million-tokens"];
            const cap = config["monthly-cost-cap"];
            assert.equal(mine.enforcementLevel, "advisory");
            assert.equal(typeof mine.maxUsdPerMillionTokens, "number");
            for (const k of ["spotMargin", "transientHoursPerMonth", "usage"]) assert.deepEqual(mine[k], cap[k], k);
        });
    }
});
