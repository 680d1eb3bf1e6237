// What each cloud's breaker is given (stack/breaker/<cloud>.ts).
import type { BudgetScopes } from "../budgets";
import type { StackConfig } from "../config";

export interface BreakerArgs {
    readonly config: StackConfig;
    readonly scopes: BudgetScopes;
    /** Also step to zero on a second, higher forecast crossing (llm-serving:budgets.breaker.stepToZero). */
    readonly stepToZero: boolean;
}
