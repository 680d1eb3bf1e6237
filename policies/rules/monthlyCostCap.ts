import { StackValidationPolicy } from "@pulumi/policy";
import type { CostLine } from "../cost/estimate";
import { SpotMarginConfig, estimateStack, spotMarginSchema, transientHoursSchema, urnName, usageSchema, usd } from "../stackCost";

export interface MonthlyCostCapConfig extends SpotMarginConfig {
    maxMonthlyUsd: number;
}

/** How many of the dearest cost lines a violation lists, so the fix is obvious. */
const DEAREST_LINES = 3;

/**
 * The stack's worst-case monthly cost must stay under the environment's cap: capacity at its
 * maxima (uncapped spot at on-demand, Azure spot at its max price), every disk, everything billed
 * for existing, transient hours and usage at the assumed volumes (DESIGN §4).
 */
export const monthlyCostCap: StackValidationPolicy = {
    name: "monthly-cost-cap",
    description: "The stack's worst-case monthly cost must not exceed the environment's cap (maxMonthlyUsd).",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            maxMonthlyUsd: {
                type: "number",
                exclusiveMinimum: 0,
                description: "Cap, in USD per month (730 h), on the stack's worst-case cost.",
            },
            spotMargin: spotMarginSchema,
            transientHoursPerMonth: transientHoursSchema,
            usage: usageSchema,
        },
        required: ["maxMonthlyUsd"],
    },
    validateStack: (args, reportViolation) => {
        const { maxMonthlyUsd } = args.getConfig<MonthlyCostCapConfig>();
        if (typeof maxMonthlyUsd !== "number") {
            // The CLI rejects config without it; a direct caller gets a violation, never a pass.
            reportViolation("No cap is configured: set maxMonthlyUsd for monthly-cost-cap in policies/config/<stack>.json.");
            return;
        }
        const result = estimateStack(args);
        if (!result.ok) {
            reportViolation(
                `The worst-case cost cannot be computed at preview: ${result.unknownField} is unknown. ` +
                    "Set cost-relevant fields (SKUs, counts, maxima) from config, not from other resources' outputs.",
            );
            return;
        }
        const { estimate } = result;
        if (estimate.worstCaseMonthlyUsd <= maxMonthlyUsd) {
            return;
        }
        reportViolation(
            `Worst-case monthly cost ${usd(estimate.worstCaseMonthlyUsd)} exceeds the cap of ${usd(maxMonthlyUsd)} ` +
                `(baseline ${usd(estimate.baselineMonthlyUsd)}). Dearest: ${dearestLines(estimate.lines)}. ` +
                "Lower the maxima (replicas, node counts, NodePool limits), choose cheaper or spot SKUs, " +
                "or raise maxMonthlyUsd in this stack's policies/config/<stack>.json with the budget owner's approval.",
        );
    },
};

function dearestLines(lines: ReadonlyArray<CostLine>): string {
    return [...lines]
        .sort((a, b) => b.worstCaseMonthlyUsd - a.worstCaseMonthlyUsd)
        .slice(0, DEAREST_LINES)
        .map((l) => `${urnName(l.urn)} ${l.sku} (${l.kind}) ${usd(l.worstCaseMonthlyUsd)}/month`)
        .join("; ");
}
