// Run-time budgets (issue 16): what the program declares and the pack checks, named once. The cap
// lives in policies/config/<stack>.json (monthly-cost-cap); the clouds' own budgets watch the same
// number, split across the clouds the stack bills in by each cloud's worst case. This file imports
// nothing.

export type BudgetCloud = "gcp" | "aws" | "azure";
export const BUDGET_CLOUDS: ReadonlyArray<BudgetCloud> = ["gcp", "aws", "azure"];

/** The budget resource each cloud gets, one per cloud the stack bills in. */
export const BUDGET_TYPES: Readonly<Record<BudgetCloud, string>> = {
    gcp: "gcp:billing/budget:Budget",
    aws: "aws:budgets/budget:Budget",
    azure: "azure-native:consumption:Budget",
};

/** The policy config entry that holds the alert thresholds (and the pack's coverage check). */
export const RUNTIME_BUDGET_POLICY = "runtime-budget";
/** The pack's check that each budget is at or under its cloud's share of the cap (mandatory: fails closed). */
export const RUNTIME_BUDGET_SHARE_POLICY = "runtime-budget-share";

/** Alert thresholds, in percent of a budget, on actual and on forecast spend. */
export interface BudgetThresholds {
    readonly actual: ReadonlyArray<number>;
    readonly forecast: ReadonlyArray<number>;
}
export const DEFAULT_BUDGET_THRESHOLDS: BudgetThresholds = { actual: [50, 80, 100], forecast: [100] };

/**
 * The most alert thresholds (actual + forecast together) one budget may carry, the smallest any of
 * the three clouds accepts: an Azure consumption budget takes at most five notifications
 * (Budgets - Create Or Update, `notifications`, learn.microsoft.com/en-us/rest/api/consumption);
 * an AWS budget up to ten (AWS Budgets API, Notification); each threshold is one notification.
 */
export const MAX_BUDGET_THRESHOLDS = 5;

/** Why `t` cannot be declared on every cloud's budget, or undefined when it can. */
export function thresholdsProblem(t: BudgetThresholds): string | undefined {
    const n = t.actual.length + t.forecast.length;
    if (n <= MAX_BUDGET_THRESHOLDS) return undefined;
    return `${RUNTIME_BUDGET_POLICY}.thresholds: got ${n} thresholds (actual ${JSON.stringify(t.actual)}, forecast ${JSON.stringify(t.forecast)}); allowed: at most ${MAX_BUDGET_THRESHOLDS} in all, actual and forecast together (an Azure budget takes at most ${MAX_BUDGET_THRESHOLDS} notifications, one per threshold)`;
}

/**
 * A GCP billing account id (BillingAccount.name without "billingAccounts/"): three groups of six
 * upper-case hex digits.
 */
export const GCP_BILLING_ACCOUNT_PATTERN = /^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$/;
/**
 * The placeholder a stack may carry until billing is wired up: the program declares no GCP budget
 * for it (runtime-budget then reports the missing budget), and the pack flags a budget that names it.
 */
export const GCP_BILLING_ACCOUNT_PLACEHOLDER = "000000-000000-000000";
/**
 * The documented EXAMPLE id committed stacks carry so their plans show a GCP budget: the Billing
 * API rejects it after everything else was created, so the program refuses it at a real
 * `pulumi preview`/`up` before registering anything (stack/guard.ts), never in the offline plan.
 */
export const GCP_BILLING_ACCOUNT_EXAMPLE = "01A2B3-C4D5E6-F7A8B9";

/**
 * Whole dollars per cloud: the cap split in proportion to each cloud's worst case, rounded DOWN
 * so the shares never sum past the cap. Clouds with no worst case get none. Without worst cases
 * (`worst` undefined: the cost engine was not run) the cap is split equally among `clouds`,
 * still rounded down: a split that is safe (sums to at most the cap) without knowing the costs.
 */
export function splitCap(cap: number, clouds: ReadonlyArray<BudgetCloud>, worst?: Readonly<Partial<Record<BudgetCloud, number>>>): Partial<Record<BudgetCloud, number>> {
    if (!Number.isFinite(cap) || cap <= 0) throw new RangeError(`cap must be a positive number of USD, got ${cap}`);
    const shares: Partial<Record<BudgetCloud, number>> = {};
    if (worst === undefined) {
        for (const c of clouds) shares[c] = Math.floor(cap / clouds.length);
        return shares;
    }
    const total = clouds.reduce((s, c) => s + Math.max(0, worst[c] ?? 0), 0);
    if (total <= 0) {
        for (const c of clouds) shares[c] = Math.floor(cap / clouds.length);
        return shares;
    }
    // Cents first, so 0.1 + 0.2 style float error cannot round a share up across a whole dollar.
    for (const c of clouds) shares[c] = Math.floor(Math.floor((cap * 100 * Math.max(0, worst[c] ?? 0)) / total) / 100);
    return shares;
}

/** Which cloud a Pulumi type bills in, by its provider; Kubernetes objects are decided by the caller. */
export function cloudOfType(type: string): BudgetCloud | undefined {
    if (type.startsWith("gcp:")) return "gcp";
    if (type.startsWith("aws:")) return "aws";
    if (type.startsWith("azure-native:")) return "azure";
    return undefined;
}

/**
 * Tag (label on GCP) on each cloud's breaker function naming what it steps down to, so the plan
 * and operators can tell it is there: "baseline", or "baseline-then-zero" when step-to-zero is on.
 */
export const BREAKER_TAG = "llm-serving-breaker";

/**
 * The percent of its budget at which every cloud's breaker steps down (forecast or actual spend,
 * functions/breaker/decide.ts): the functions are told it, the plan's line prints it.
 */
export const BREAKER_PERCENT = 100;
export type BreakerMode = "baseline" | "baseline-then-zero";

/** The mode a breaker function carries in its BREAKER_TAG label or tag. */
export function breakerModeOf(stepToZero: boolean): BreakerMode {
    return stepToZero ? "baseline-then-zero" : "baseline";
}
