// The run-time budgets in the offline plan (issue 16). The plan runs the program once; the program
// cannot know each cloud's worst case there (only the pack's engine does, and a child plan per
// plan would double its run time), so it declares its budgets with the equal split of the cap, and
// the plan resolves their amounts here, after pricing, with the same splitCap the program uses at
// `pulumi up`/`preview` on the child plan's figures (stack/budgetPlan.ts). Budgets bill the same
// whatever their amount, so the estimate made before resolving stands.
import { BREAKER_PERCENT, BREAKER_TAG, BUDGET_CLOUDS, BudgetCloud, splitCap } from "../policies/contract/budgets";
import { readBudget } from "../policies/budgets";
import { BUDGET_AMOUNTS_OUTPUT, budgetPlan, readBudgetSettings } from "../stack/budgetPlan";
import { PlannedResource, UNKNOWN_PLACEHOLDER } from "./mocks";

/** One budget as the plan reports it. */
export interface PlanBudget {
    readonly cloud: BudgetCloud;
    readonly urn: string;
    /** Whole USD a month, as resolved (null when it cannot be read). */
    readonly amountUsd: number | null;
    readonly actualThresholds: number[];
    readonly forecastThresholds: number[];
}

export interface PlanRuntime {
    readonly budgets: PlanBudget[];
    /** Per cloud with a breaker: what it steps down to. */
    readonly breaker: Partial<Record<BudgetCloud, string>>;
}

/** Writes a budget's amount in its cloud's own field. */
function withAmount(r: PlannedResource, cloud: BudgetCloud, amount: number): PlannedResource {
    const inputs = { ...r.inputs };
    if (cloud === "aws") inputs.limitAmount = String(amount);
    else if (cloud === "azure") inputs.amount = amount;
    else inputs.amount = { specifiedAmount: { ...((inputs.amount as { specifiedAmount?: object } | undefined)?.specifiedAmount ?? {}), units: String(amount) } };
    return { ...r, inputs };
}

/**
 * The resources with each budget's amount set to its cloud's share of `cap` by `byCloud`. Left as
 * declared when the shares cannot be had (no cap, a cloud without a worst case): the pack's
 * runtime-budget-share then judges the declared amounts.
 */
export function resolveBudgetAmounts(resources: readonly PlannedResource[], byCloud: Partial<Record<BudgetCloud, number>>, cap: number | null): PlannedResource[] {
    if (cap === null) return [...resources];
    const clouds = BUDGET_CLOUDS.filter((c) => (byCloud[c] ?? 0) > 0);
    if (clouds.length === 0) return [...resources];
    const shares = splitCap(cap, clouds, byCloud);
    return resources.map((r) => {
        const reading = readBudget(r.type, r.inputs);
        const share = reading ? shares[reading.cloud] : undefined;
        return reading && share !== undefined ? withAmount(r, reading.cloud, share) : r;
    });
}

/**
 * The stack outputs as `pulumi up` would export them. runtimeBudgetAmounts: under the offline plan
 * the program exports the equal split over the clouds it budgets (it cannot price the stack,
 * stack/runtime.ts); at `pulumi up` it splits its cap, from the stack's own policy config, by
 * its cost check's worst case per cloud, which is this report's byCloud. The same budgetPlan is
 * run here on the same inputs. Where it finds no worst-case split (a cloud the plan could not
 * price), `pulumi up` keeps the last update's amounts, which only the deployed stack knows:
 * unknown. No export (no cap, no cloud to budget) stays none.
 */
export function withBudgetAmounts(stack: string, outputs: Record<string, unknown>, byCloud: Partial<Record<BudgetCloud, number>>): Record<string, unknown> {
    const declared = outputs[BUDGET_AMOUNTS_OUTPUT];
    if (declared === null || typeof declared !== "object" || Array.isArray(declared)) return outputs;
    const settings = readBudgetSettings(stack);
    if (settings === undefined) return outputs;
    const clouds = BUDGET_CLOUDS.filter((c) => c in declared);
    const split = budgetPlan(settings, clouds, byCloud);
    return { ...outputs, [BUDGET_AMOUNTS_OUTPUT]: split.split === "worst-case" ? split.amounts : UNKNOWN_PLACEHOLDER };
}

/** The budgets and breakers the stack declares. */
export function planRuntime(resources: readonly PlannedResource[]): PlanRuntime {
    const budgets: PlanBudget[] = [];
    const breaker: Partial<Record<BudgetCloud, string>> = {};
    for (const r of resources) {
        const reading = readBudget(r.type, r.inputs);
        if (reading) {
            budgets.push({
                cloud: reading.cloud,
                urn: r.urn,
                amountUsd: reading.amount.state === "known" ? reading.amount.value : null,
                actualThresholds: reading.actual,
                forecastThresholds: reading.forecast,
            });
        }
        const tags = (r.inputs.tags ?? r.inputs.labels) as Record<string, unknown> | undefined;
        const mode = tags?.[BREAKER_TAG];
        if (typeof mode === "string") {
            const cloud = r.type.startsWith("gcp:") ? "gcp" : r.type.startsWith("aws:") ? "aws" : r.type.startsWith("azure-native:") ? "azure" : undefined;
            if (cloud) breaker[cloud] = mode;
        }
    }
    return { budgets, breaker };
}

const money = (x: number) => `$${x.toLocaleString("en-US", { maximumFractionDigits: 0 })}`;

/**
 * The sentence beside the cost table: "cap $3,500: enforced at preview by the pack, at run time by
 * 3 budgets (gcp $1,245, aws $1,637, azure $617); breaker (gcp, aws, azure) steps down to baseline at 100% of forecast or actual spend; ...".
 */
export function runtimeSentence(cap: number | null, runtime: PlanRuntime): string {
    if (cap === null) return "no cap: no run-time budgets";
    const list = runtime.budgets.map((b) => `${b.cloud} ${b.amountUsd === null ? "unknown" : money(b.amountUsd)}`).join(", ");
    const n = runtime.budgets.length;
    const budgets = n === 0 ? "at run time by no budget" : `at run time by ${n} budget${n === 1 ? "" : "s"} (${list})`;
    // The breaker's own percent, not the budgets' highest forecast threshold (a stepToZero stack's
    // forecast: [100, 120] would have printed 120, where the first step is taken at 100).
    const at = ` at ${BREAKER_PERCENT}% of forecast or actual spend`;
    const modes = [...new Set(Object.values(runtime.breaker))];
    const clouds = Object.keys(runtime.breaker).join(", ");
    const breaker =
        modes.length === 0
            ? "breaker off"
            : `breaker (${clouds}) steps down to baseline${at}${modes.includes("baseline-then-zero") ? ", then to zero if spend keeps climbing" : ""}; the next pulumi up --refresh restores the declared bounds (a human decision)`;
    return `cap ${money(cap)}: enforced at preview by the pack, ${budgets}; ${breaker}`;
}
