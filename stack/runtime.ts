// The cap carried into run time (issue 16): the budgets (and, opted in, the breaker) the program
// declares after its targets, with amounts from the guard's figures or the equal split.
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "./config";
import type { BudgetCloud } from "../policies/contract/budgets";
import { BUDGET_AMOUNTS_OUTPUT, budgetPlan, fallbackPlan, readBudgetSettings } from "./budgetPlan";
import { budgetClouds, budgetScopes, RuntimeBudgets } from "./budgets";
import { deployBreaker } from "./breaker";
import type { GuardFigures } from "./guard";
import { checkGcpBillingAccount, OFFLINE_PLAN_MARKER, previewWorstByCloud } from "./guard";

/** Refuses, at a real preview/up, a budget config the clouds would reject (stack/guard.ts). */
export function checkBudgetConfig(config: StackConfig): void {
    checkGcpBillingAccount(config.stack, config.budgets?.gcpBillingAccount, budgetScopes(config).gcp !== undefined);
}

/** Reads the previous update's BUDGET_AMOUNTS_OUTPUT through a reference to this stack; undefined when there is none. */
export type PreviousAmounts = () => Promise<unknown>;

const readPrevious: PreviousAmounts = async () => {
    const ref = new pulumi.StackReference("runtime-budgets-previous", { name: `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}` });
    const details = await ref.getOutputDetails(BUDGET_AMOUNTS_OUTPUT);
    return details.value;
};

/**
 * Declares the stack's run-time budgets; nothing when its policy config has no enabled cap.
 * Returns the amounts declared (the stack output BUDGET_AMOUNTS_OUTPUT, read back when a later
 * update has no figures).
 */
export function deployRuntimeBudgets(
    config: StackConfig,
    guard: GuardFigures | undefined,
    previous: PreviousAmounts = readPrevious,
): pulumi.Output<Partial<Record<BudgetCloud, number>>> | undefined {
    const settings = readBudgetSettings(config.stack);
    if (settings === undefined) return undefined;
    const scopes = budgetScopes(config);
    const clouds = budgetClouds(scopes);
    if (clouds.length === 0) return undefined;
    const worst = guard?.byCloud ?? previewWorstByCloud();
    const plan = budgetPlan(settings, clouds, worst);
    const triggers = deployBreaker(config, scopes);
    // The offline plan resolves the amounts itself (plan/budgets.ts); anywhere else an equal split
    // means the figures could not be had (a skipped check, a failed child plan): keep what exists.
    if (plan.split === "equal" && (globalThis as Record<symbol, unknown>)[OFFLINE_PLAN_MARKER] !== true) {
        return pulumi.output(
            previous()
                .catch(() => undefined)
                .then((prev) => {
                    const kept = fallbackPlan(settings, clouds, prev);
                    const missing = clouds.filter((c) => kept.amounts[c] === undefined);
                    void pulumi.log.warn(
                        "llm-serving run-time budgets: no worst case per cloud (cost check skipped or its plan failed), so no new split of the cap is made: " +
                            `existing budgets keep their amounts (${Object.entries(kept.amounts).map(([c, a]) => `${c} $${a}`).join(", ") || "none"})` +
                            (missing.length > 0 ? `; no budget is declared for ${missing.join(", ")} until an update with the figures (runtime-budget reports it)` : ""),
                    );
                    new RuntimeBudgets("runtime-budgets", { config, plan: kept, scopes, triggers });
                    return kept.amounts;
                }),
        );
    }
    new RuntimeBudgets("runtime-budgets", { config, plan, scopes, triggers });
    // Under the offline plan these are the equal split over the stack's clouds, which the plan
    // replaces with the worst-case split it resolves after pricing (plan/report.ts).
    return pulumi.output(plan.amounts);
}
