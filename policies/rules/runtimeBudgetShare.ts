import { StackValidationPolicy } from "@pulumi/policy";
import { BUDGET_CLOUDS, BudgetCloud, RUNTIME_BUDGET_SHARE_POLICY, splitCap } from "../contract/budgets";
import { readBudget } from "../budgets";
import { worstCaseByCloud } from "../cost/byCloud";
import { estimateStack, spotMarginSchema, transientHoursSchema, urnName, usageSchema, usd, SpotMarginConfig } from "../stackCost";
import { toCostInput } from "../resources";

export interface RuntimeBudgetShareConfig extends SpotMarginConfig {
    maxMonthlyUsd: number;
}

/**
 * Each run-time budget is at or under its cloud's share of the cap: the cap split in proportion to
 * each cloud's worst case, in whole dollars rounded down (policies/contract/budgets.ts splitCap,
 * the function the program declares the amounts with), so the budgets sum to at most the cap. The
 * pack holds the costs, so it is the one that checks: a budget it cannot read, or a worst case it
 * cannot place under a cloud, is a violation (fails closed), never a pass.
 */
export const runtimeBudgetShare: StackValidationPolicy = {
    name: RUNTIME_BUDGET_SHARE_POLICY,
    description: "Each cloud's run-time budget is at most its share of the cap (the cap split by each cloud's worst case), so the budgets sum to at most the cap.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            maxMonthlyUsd: { type: "number", exclusiveMinimum: 0, description: "The stack's cap, as in monthly-cost-cap (the budgets split it)." },
            spotMargin: spotMarginSchema,
            transientHoursPerMonth: transientHoursSchema,
            usage: usageSchema,
        },
        required: ["maxMonthlyUsd"],
    },
    validateStack: (args, reportViolation) => {
        const budgets = args.resources.flatMap((r) => {
            const reading = readBudget(r.type, r.props);
            return reading ? [{ urn: r.urn, reading }] : [];
        });
        if (budgets.length === 0) return; // no budget, nothing to bound (runtime-budget asks for them)
        // Shapes the cloud refuses at create fail the deployment whatever the stage, so this is here,
        // mandatory everywhere, not in runtime-budget (advisory in dev).
        for (const { urn, reading } of budgets) {
            if (reading.refused.length > 0) reportViolation(`Budget ${urnName(urn)} (${reading.cloud}) would be refused by the cloud: ${reading.refused.join("; ")}. Route the alerts through one topic.`, urn);
        }
        const { maxMonthlyUsd: cap } = args.getConfig<RuntimeBudgetShareConfig>();
        if (typeof cap !== "number") {
            reportViolation(`No cap is configured: set maxMonthlyUsd for ${RUNTIME_BUDGET_SHARE_POLICY} (the same as monthly-cost-cap's) in policies/config/<stack>.json.`);
            return;
        }
        const result = estimateStack(args);
        if (!result.ok) {
            reportViolation(`The clouds' shares of the cap cannot be computed at preview: ${result.unknownField} is unknown.`);
            return;
        }
        if (result.estimate.issues.length > 0) {
            reportViolation(`The clouds' shares of the cap cannot be computed: the worst case is not known (${result.estimate.issues.length} cost issue(s), e.g. ${result.estimate.issues[0].message}).`);
            return;
        }
        const { byCloud, unattributed } = worstCaseByCloud(result.estimate.lines, args.resources.map(toCostInput));
        if (unattributed.length > 0) {
            reportViolation(`The clouds' shares of the cap cannot be computed: no cloud is known to bill for ${unattributed.map((l) => `${urnName(l.urn)} (${l.resourceType})`).join(", ")}.`);
            return;
        }
        const clouds = BUDGET_CLOUDS.filter((c) => (byCloud[c] ?? 0) > 0);
        const shares: Partial<Record<BudgetCloud, number>> = clouds.length > 0 ? splitCap(cap, clouds, byCloud) : {};
        let sum = 0;
        for (const { urn, reading } of budgets) {
            const name = `${urnName(urn)} (${reading.cloud})`;
            if (reading.amount.state !== "known") {
                reportViolation(`Budget ${name}: its amount cannot be read (${reading.amount.field}: ${reading.amount.why}).`, urn);
                continue;
            }
            sum += reading.amount.value;
            const share = shares[reading.cloud] ?? 0;
            if (reading.amount.value > share) {
                reportViolation(
                    `Budget ${name} is ${usd(reading.amount.value)}/month, over its cloud's share of the cap, ${usd(share)} ` +
                        `(cap ${usd(cap)} x ${reading.cloud} worst case ${usd(byCloud[reading.cloud] ?? 0)} / stack worst case ${usd(clouds.reduce((s, c) => s + (byCloud[c] ?? 0), 0))}, rounded down to whole dollars). ` +
                        "Declare the amount the program computes from the plan (stack/budgets.ts), or lower it.",
                    urn,
                );
            }
        }
        if (sum > cap + 1e-9) reportViolation(`The run-time budgets sum to ${usd(sum)}/month, over the cap of ${usd(cap)}.`);
    },
};
