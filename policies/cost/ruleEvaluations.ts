// What an alert rule evaluated every minute costs where the cloud bills the samples it processes
// (Azure Monitor managed Prometheus, Amazon Managed Service for Prometheus): one assumption and one
// line shape for both.
import { MINUTES_PER_MONTH } from "./types";

/** One-minute evaluations in a 730-hour month. */
export const RULE_EVALUATIONS_PER_MONTH = MINUTES_PER_MONTH;
/** Samples one rule evaluation processes (assumed: one replica set's series over a 5-15 minute window). */
export const SAMPLES_PER_RULE_EVALUATION = 1000;

/** The usage line of `rules` rules evaluated every minute, at `price.usd` per million samples processed. */
export function ruleEvaluationLine(rules: number, price: { readonly name: string; readonly usd: number }, region: string, unit: string) {
    return {
        sku: price.name,
        region,
        quantity: (rules * RULE_EVALUATIONS_PER_MONTH * SAMPLES_PER_RULE_EVALUATION) / 1_000_000,
        unitUsd: price.usd,
        unit,
        basis: `rule evaluations: ${rules} rule(s) x ${RULE_EVALUATIONS_PER_MONTH.toLocaleString("en-US")} one-minute evaluations x ${SAMPLES_PER_RULE_EVALUATION.toLocaleString("en-US")} samples each (assumed)`,
    };
}
