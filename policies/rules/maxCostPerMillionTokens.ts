import { StackValidationPolicy } from "@pulumi/policy";
import { targetCapacities } from "../cost/tokens";
import { toCostInput } from "../resources";
import { SpotMarginConfig, estimateStack, spotMarginSchema, transientHoursSchema, usageSchema, usd } from "../stackCost";

export interface MaxCostPerMillionTokensConfig extends SpotMarginConfig {
    maxUsdPerMillionTokens?: number;
}

/**
 * HF's SageMaker benchmark (2023-09) priced Llama-2-7B GPTQ on ml.g5.2xlarge at 5 concurrent
 * requests at $3.50 per million output tokens: a target dearer than that at full use costs more
 * than a managed endpoint did. A default, so a policy config written before this policy still loads.
 */
export const DEFAULT_MAX_USD_PER_MILLION_TOKENS = 3.5;

/**
 * Flags a serving target whose worst-case dollars per million output tokens at full use exceed the
 * environment's threshold: the target's worst-case monthly cost (the engine's own lines, the same
 * the cap checks) over the tokens its bounds can produce in a month at the throughput catalog's
 * sourced per-replica figure. A target with no sourced figure cannot be judged, and says so in its
 * own verdict ("not judged: no sourced throughput figure (why)") rather than pass in silence: a
 * reader of the plan sees which targets the threshold did not cover. Advisory by default, and in
 * every committed environment including prod: it points at poor value, not at overspend, which
 * monthly-cost-cap already blocks, and its figures are rough equivalents (another model of the
 * class, another vLLM version, the source's load; README, "Sizing from tokens or dollars"), not
 * precise enough to refuse a deploy on. An environment that makes it mandatory also refuses every
 * target it cannot judge: a target that cannot be shown under the threshold is not let through. Its estimate takes the same spotMargin, transient hours
 * and usage settings as monthly-cost-cap; set them alike so both see the same lines.
 */
export const maxCostPerMillionTokens: StackValidationPolicy = {
    name: "max-cost-per-million-tokens",
    description: "A serving target's worst-case dollars per million output tokens at full use must not exceed maxUsdPerMillionTokens.",
    enforcementLevel: "advisory",
    configSchema: {
        properties: {
            maxUsdPerMillionTokens: {
                type: "number",
                exclusiveMinimum: 0,
                default: DEFAULT_MAX_USD_PER_MILLION_TOKENS,
                description: "Threshold, in USD per million output tokens, on each target's worst-case cost at full use.",
            },
            spotMargin: spotMarginSchema,
            transientHoursPerMonth: transientHoursSchema,
            usage: usageSchema,
        },
    },
    validateStack: (args, reportViolation) => {
        const maxUsdPerMillionTokens = args.getConfig<MaxCostPerMillionTokensConfig>().maxUsdPerMillionTokens ?? DEFAULT_MAX_USD_PER_MILLION_TOKENS;
        const result = estimateStack(args);
        // An unknown cost field is cost-known-at-preview's to report; nothing to judge here.
        if (!result.ok) return;
        const resources = args.resources.map(toCostInput);
        for (const t of targetCapacities(resources, result.estimate)) {
            const worst = t.usdPerMillionTokensWorst;
            const urn = resources.find((r) => r.name === t.component && r.type === t.componentType)?.urn;
            if (worst === null) {
                reportViolation(`${t.component}: not judged: no sourced throughput figure (${t.basis.replace(/^unknown: /, "")}).`, urn);
                continue;
            }
            if (worst <= maxUsdPerMillionTokens) continue;
            reportViolation(
                `${t.component}: worst case ${usd(worst)} per million output tokens at full use, over the threshold of ${usd(maxUsdPerMillionTokens)} ` +
                    `(${usd(t.worstCaseMonthlyUsd)}/month for ${t.tokensPerSecondMax} tokens/s: ${t.basis}). ` +
                    "Choose a machine with more tokens per dollar (npm run size compares them), remove cost that adds no tokens, " +
                    "or raise maxUsdPerMillionTokens in this stack's policies/config/<stack>.json.",
                urn,
            );
        }
    },
};
