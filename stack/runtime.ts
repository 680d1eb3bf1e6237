// The cap carried into run time (issue 16): the budgets (and, opted in, the breaker) the program
// declares after its targets, with amounts from the guard's figures or the equal split.
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "./config";
import { budgetPlan, readBudgetSettings } from "./budgetPlan";
import { budgetClouds, budgetScopes, RuntimeBudgets } from "./budgets";
import type { GuardFigures } from "./guard";
import { checkGcpBillingAccount, OFFLINE_PLAN_MARKER, previewWorstByCloud } from "./guard";

/** Refuses, at a real preview/up, a budget config the clouds would reject (stack/guard.ts). */
export function checkBudgetConfig(config: StackConfig): void {
    checkGcpBillingAccount(config.stack, config.budgets?.gcpBillingAccount, budgetScopes(config).gcp !== undefined);
}

/** Declares the stack's run-time budgets; nothing when its policy config has no enabled cap. */
export function deployRuntimeBudgets(config: StackConfig, guard: GuardFigures | undefined): RuntimeBudgets | undefined {
    const settings = readBudgetSettings(config.stack);
    if (settings === undefined) return undefined;
    const scopes = budgetScopes(config);
    const clouds = budgetClouds(scopes);
    if (clouds.length === 0) return undefined;
    const worst = guard?.byCloud ?? previewWorstByCloud();
    const plan = budgetPlan(settings, clouds, worst);
    // The offline plan resolves the amounts itself (plan/budgets.ts); anywhere else an equal split
    // means the figures could not be had (a skipped check, a failed child plan): say so.
    if (plan.split === "equal" && clouds.length > 1 && (globalThis as Record<symbol, unknown>)[OFFLINE_PLAN_MARKER] !== true) {
        void pulumi.log.warn(
            `llm-serving run-time budgets: no worst case per cloud (cost check skipped or its plan failed), so the cap is split equally across ${clouds.join(", ")}: it sums to at most the cap, and the pack's runtime-budget-share checks each share`,
        );
    }
    return new RuntimeBudgets("runtime-budgets", { config, plan, scopes });
}
