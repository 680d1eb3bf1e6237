// The circuit breaker's infrastructure (issue 16), per cloud the stack deploys to: a trigger the
// cloud's budget notifies (GCP Pub/Sub topic, AWS SNS topic, Azure action group) and the function
// it runs (functions/breaker, bundled by functions/breaker/bundle.ts). Declared before the budgets,
// which add each trigger to their notifications (stack/budgets.ts).
import type { BudgetScopes } from "../budgets";
import type { BreakerTriggers } from "./triggers";
import type { BreakerArgs } from "./types";
import type { StackConfig } from "../config";
import { awsBreaker } from "./aws";
import { azureBreaker } from "./azure";
import { gcpBreaker } from "./gcp";

// The contract types live apart (triggers.ts, types.ts), so the per-cloud modules and
// stack/budgets.ts import them without an import cycle through this file.
export type { BreakerTriggers } from "./triggers";
export type { BreakerArgs } from "./types";

/** Declares the breaker for each cloud in scope when llm-serving:budgets.breaker.enabled; the triggers for the budgets. */
export function deployBreaker(config: StackConfig, scopes: BudgetScopes): BreakerTriggers {
    const breaker = config.budgets?.breaker;
    if (breaker?.enabled !== true) return {};
    const args: BreakerArgs = { config, scopes, stepToZero: breaker.stepToZero };
    return {
        ...(scopes.gcp ? gcpBreaker("breaker-gcp", args) : {}),
        ...(scopes.aws ? awsBreaker("breaker-aws", args) : {}),
        ...(scopes.azure ? azureBreaker("breaker-azure", args) : {}),
    };
}
