// What the breaker does with a notification: pure, so every rule is tested without a cloud.
// Least harmful first: every scaled group of the stack steps its maximum down to its baseline
// (the bound the stack always runs at), so capacity above it leaves; a second step to zero is
// separately opted in and taken only on a NEW, HIGHER forecast crossing in the same budget period
// than the one that tripped the group to baseline: GCP republishes the same
// forecastThresholdExceeded several times a day, and a repeat must never stop serving.
import type { BudgetNotification } from "./notification";

/** The group kinds the breaker bounds, one per target that scales. */
export type GroupKind = "gcp-mig-autoscaler" | "gke-node-pool" | "aks-node-pool" | "ray-serve" | "azureml-deployment";

/** A scaled group as its adapter reads it. */
export interface Group {
    readonly kind: GroupKind;
    /** The cloud's id of the object whose bound is changed (autoscaler, agent pool, RayService, deployment). */
    readonly id: string;
    /** Its current maximum (autoscaler max replicas, pool max count, Serve max_replicas, scale max instances). */
    readonly max: number;
    /** Its baseline bound, from the label/tag the program wrote (llm-serving-baseline). */
    readonly baseline: number;
    /** The breaker's state on the group, when tripped before. */
    readonly tripped?: "baseline" | "zero";
    /** The forecast percent that tripped it, as recorded (llm-serving-breaker-threshold). */
    readonly trippedThreshold?: number;
    /** The budget period (UTC "YYYY-MM") it was tripped in (llm-serving-breaker-period). */
    readonly trippedPeriod?: string;
}

/** The monthly budget period a notification falls in, UTC "YYYY-MM" (every budget here is monthly). */
export function budgetPeriod(at: Date): string {
    return `${at.getUTCFullYear()}-${String(at.getUTCMonth() + 1).padStart(2, "0")}`;
}

export interface BreakerSettings {
    /** Forecast percent of the budget at which the breaker acts. @default 100 */
    readonly forecastPercent: number;
    readonly stepToZero: boolean;
}

export interface Step {
    readonly group: Group;
    readonly from: number;
    readonly to: number;
    readonly state: "baseline" | "zero";
    /** The crossing that caused it and its period, recorded on the group. */
    readonly threshold: number;
    readonly period: string;
}

/**
 * The steps for one notification; [] when below the threshold or nothing is left to lower.
 * ACTUAL spend at or over the breaker's percent trips to baseline too: a forecast needs history
 * ("AWS requires approximately 5 weeks of usage data to generate budget forecasts", AWS Cost
 * Management user guide, budgets), so on a new account or stack a forecast-only breaker would do
 * nothing for a month while actual spend ran past the budget. An actual crossing never steps to
 * zero: that second step stays on a new, higher FORECAST crossing, separately opted in.
 */
export function decide(n: BudgetNotification, groups: ReadonlyArray<Group>, settings: BreakerSettings, at: Date = new Date()): Step[] {
    if (n.thresholdPercent < settings.forecastPercent) return [];
    // The notification's own period when it names one (GCP's months follow the billing account's
    // Pacific time zone), else the UTC month of the run.
    const period = n.period ?? budgetPeriod(at);
    const threshold = n.thresholdPercent;
    const steps: Step[] = [];
    for (const g of groups) {
        if (g.max > g.baseline) {
            steps.push({ group: g, from: g.max, to: g.baseline, state: "baseline", threshold, period });
        } else if (
            n.forecast &&
            settings.stepToZero &&
            g.tripped === "baseline" &&
            g.max > 0 &&
            g.trippedPeriod === period &&
            g.trippedThreshold !== undefined &&
            threshold > g.trippedThreshold + 1e-9
        ) {
            // Tripped to baseline earlier this period and forecast spend has since crossed a HIGHER
            // threshold: the second step. A repeat of the same crossing (GCP republishes it), a
            // crossing from an earlier period, or a trip without a recorded crossing holds baseline.
            steps.push({ group: g, from: g.max, to: 0, state: "zero", threshold, period });
        }
        // At or below its target already: nothing (a repeated notification is idempotent).
    }
    return steps;
}

/** The labels/tags the breaker leaves on a group it changed, where operators look. */
export function stateLabels(step: Step, at: Date): Record<string, string> {
    return {
        "llm-serving-breaker": `tripped-${step.state}`,
        // GCP label values allow lower-case letters, digits, - and _: the time in seconds since the epoch.
        "llm-serving-breaker-at": String(Math.floor(at.getTime() / 1000)),
        "llm-serving-breaker-was": String(step.from),
        // The crossing (whole percent) and budget period that tripped it: the second step needs a higher one in the same period.
        "llm-serving-breaker-threshold": String(Math.floor(step.threshold)),
        "llm-serving-breaker-period": step.period,
    };
}
