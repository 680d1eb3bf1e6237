// What the run-time budgets are declared with (issue 16): the cap and the alert thresholds from the
// stack's policy config (owned apart from the program: raising the stack's own config cannot lift
// them), and each cloud's share of the cap. The shares need each cloud's worst case, which only the
// pack's cost engine computes, and the program may not import the pack: so
//   - `pulumi up`: the program's cost check (stack/guard.ts) already plans the stack in a child
//     process; its report carries the worst case per cloud;
//   - a real `pulumi preview`: the same child plan runs once for the figures (never to refuse);
//   - the offline plan: no child (that would double its run time); the budgets are declared with the
//     equal split below and the plan resolves their amounts after pricing the other resources
//     (plan/budgets.ts), with the same splitCap, so its verdicts are those of a real preview;
//   - a skipped check (LLM_SERVING_SKIP_COST_CHECK=1), or a child plan that failed: no figures, so
//     no new split is made (an equal split would be over some cloud's share in a lopsided stack and
//     blocked by the mandatory runtime-budget-share): each budget the stack already has keeps the
//     amount the last update exported (stack output runtimeBudgetAmounts, read back through a
//     reference to the stack itself), and a cloud without one gets no budget this time
//     (runtime-budget reports it; the next update with figures declares it). See fallbackPlan.
import * as fs from "node:fs";
import * as path from "node:path";
import { BudgetCloud, BudgetThresholds, DEFAULT_BUDGET_THRESHOLDS, RUNTIME_BUDGET_POLICY, splitCap, thresholdsProblem } from "../policies/contract/budgets";
import { ConfigError } from "../config/errors";

export interface BudgetPlan {
    readonly cap: number;
    readonly thresholds: BudgetThresholds;
    /** Whole USD per cloud. */
    readonly amounts: Partial<Record<BudgetCloud, number>>;
    /** Where the split came from: each cloud's worst case, the equal split (offline plan, resolved there), or the previous update's amounts. */
    readonly split: "worst-case" | "equal" | "kept";
}

const PROJECT_DIR = path.resolve(__dirname, "..");

/** The cap and thresholds of `stack`'s policy config; undefined when it has no enabled cap. */
export function readBudgetSettings(stack: string, projectDir = PROJECT_DIR): { cap: number; thresholds: BudgetThresholds } | undefined {
    const file = path.join(projectDir, "policies", "config", `${stack}.json`);
    if (!fs.existsSync(file)) return undefined;
    const config = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
    const capEntry = config["monthly-cost-cap"] as { enforcementLevel?: string; maxMonthlyUsd?: unknown } | string | undefined;
    if (capEntry === undefined || capEntry === "disabled" || typeof capEntry === "string" || capEntry.enforcementLevel === "disabled") return undefined;
    if (typeof capEntry.maxMonthlyUsd !== "number" || !(capEntry.maxMonthlyUsd > 0)) return undefined;
    const entry = config[RUNTIME_BUDGET_POLICY] as { thresholds?: Partial<BudgetThresholds> } | string | undefined;
    const given = typeof entry === "object" ? entry.thresholds : undefined;
    const thresholds = { actual: given?.actual ?? DEFAULT_BUDGET_THRESHOLDS.actual, forecast: given?.forecast ?? DEFAULT_BUDGET_THRESHOLDS.forecast };
    // More than every cloud accepts would fail at apply, after the rest was created: refused here,
    // before any resource (the pack's schema and runtime-budget say the same).
    const problem = thresholdsProblem(thresholds);
    if (problem) throw new ConfigError([`${path.relative(projectDir, file)}: ${problem}`]);
    return { cap: capEntry.maxMonthlyUsd, thresholds };
}

/** The stack output that carries the declared amounts, read back when no figures are available. */
export const BUDGET_AMOUNTS_OUTPUT = "runtimeBudgetAmounts";

/**
 * The plan without figures: the amounts the last update declared, for the clouds that still bill,
 * never more than the cap in all (a lowered cap scales them down, rounded down); none for a cloud
 * without a previous amount. `previous` is the read-back stack output (anything unreadable: none).
 */
export function fallbackPlan(settings: { cap: number; thresholds: BudgetThresholds }, clouds: ReadonlyArray<BudgetCloud>, previous: unknown): BudgetPlan {
    const kept: Partial<Record<BudgetCloud, number>> = {};
    const prev = typeof previous === "object" && previous !== null ? (previous as Record<string, unknown>) : {};
    for (const c of clouds) {
        const v = prev[c];
        if (typeof v === "number" && Number.isFinite(v) && v > 0) kept[c] = Math.floor(v);
    }
    const sum = Object.values(kept).reduce((s, v) => s + (v ?? 0), 0);
    if (sum > settings.cap) for (const c of Object.keys(kept) as BudgetCloud[]) kept[c] = Math.floor((kept[c]! * settings.cap) / sum);
    return { ...settings, amounts: kept, split: "kept" };
}

/** The amounts for `clouds`: by each cloud's worst case when known, else the equal split. */
export function budgetPlan(settings: { cap: number; thresholds: BudgetThresholds }, clouds: ReadonlyArray<BudgetCloud>, worst?: Partial<Record<BudgetCloud, number>>): BudgetPlan {
    const known = worst !== undefined && clouds.every((c) => typeof worst[c] === "number");
    return { ...settings, amounts: splitCap(settings.cap, clouds, known ? worst : undefined), split: known ? "worst-case" : "equal" };
}
