import * as assert from "node:assert/strict";
import { monthlyCostCap } from "../../../policies/rules/monthlyCostCap";
import { assertNoSecretsIn, assertNoViolations, assertOneViolation, runStackPolicy } from "../../helpers/policyArgs";
import { gcpStack, mutatedIn } from "../../helpers/policyFixtures";

// Catalog prices (us-central1): g2-standard-4 spot 0.28184, on-demand 0.70683; forwarding rule 0.025/h.
const REPLICA_WORST_HOURLY = Math.min(0.28184 * 1.25, 0.70683);
const FORWARDING_RULE_MONTHLY = 0.025 * 730;
const devWorstCase = 3 * REPLICA_WORST_HOURLY * 730 + FORWARDING_RULE_MONTHLY; // ≈ 789.79

describe("policy monthly-cost-cap", () => {
    it("passes the dev stack (2..3 spot g2-standard-4, worst case ≈ $790) under a $1000 cap", async () => {
        assertNoViolations(await runStackPolicy(monthlyCostCap, gcpStack(), { maxMonthlyUsd: 1000 }));
    });

    it("blocks the same stack with maxReplicas 4, naming total, cap and the dearest lines", async () => {
        const stack = mutatedIn(gcpStack(), "llm-autoscaler", (i) => ((i.autoscalingPolicy as Record<string, unknown>).maxReplicas = 4));
        const worst = 4 * REPLICA_WORST_HOURLY * 730 + FORWARDING_RULE_MONTHLY; // ≈ 1046.97
        const reported = await runStackPolicy(monthlyCostCap, stack, { maxMonthlyUsd: 1000 });
        assertOneViolation(reported, [`$${worst.toFixed(2)}`, "$1000.00", "g2-standard-4", "llm-https", "maxMonthlyUsd"]);
        assertNoSecretsIn(reported);
    });

    it("blocks at a cap just under the hand-computed worst case, and passes just over it", async () => {
        assert.ok(Math.abs(devWorstCase - 789.79) < 0.01);
        assertOneViolation(await runStackPolicy(monthlyCostCap, gcpStack(), { maxMonthlyUsd: 789 }), ["$789.79", "$789.00"]);
        assertNoViolations(await runStackPolicy(monthlyCostCap, gcpStack(), { maxMonthlyUsd: 790 }));
    });

    it("prices spot at most at on-demand, however large the margin", async () => {
        // 3 * min(0.28184 * 3, 0.70683) * 730 + 18.25 = 1566.21
        const worst = 3 * Math.min(0.28184 * 3, 0.70683) * 730 + FORWARDING_RULE_MONTHLY;
        assertOneViolation(await runStackPolicy(monthlyCostCap, gcpStack(), { maxMonthlyUsd: 1500, spotMargin: 3 }), [`$${worst.toFixed(2)}`]);
        assertNoViolations(await runStackPolicy(monthlyCostCap, gcpStack(), { maxMonthlyUsd: 1567, spotMargin: 3 }));
    });

    it("requires maxMonthlyUsd in its config, as the CLI does", async () => {
        await assert.rejects(runStackPolicy(monthlyCostCap, gcpStack(), {}), /monthly-cost-cap: maxMonthlyUsd is required/);
    });
});
