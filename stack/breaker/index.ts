// The circuit breaker's infrastructure (issue 16), per cloud the stack deploys to: a trigger the
// cloud's budget notifies (GCP Pub/Sub topic, AWS SNS topic, Azure action group) and the function
// it runs (functions/breaker, bundled by functions/breaker/bundle.ts). Declared before the budgets,
// which add each trigger to their notifications (stack/budgets.ts).
import * as pulumi from "@pulumi/pulumi";
import type { BudgetScopes } from "../budgets";
import type { StackConfig } from "../config";
import { awsBreaker } from "./aws";
import { azureBreaker } from "./azure";
import { gcpBreaker } from "./gcp";

/** What a cloud's breaker hands its budget: the trigger the budget must notify. */
export interface BreakerTriggers {
    /** GCP: the Pub/Sub topic the billing budget publishes every update to (one per budget). */
    readonly gcpPubsubTopic?: pulumi.Input<string>;
    /** AWS: SNS topic ARNs the budget's notifications add to their subscribers. */
    readonly awsSnsTopicArns?: pulumi.Input<string>[];
    /** Azure: action group ids the budget's notifications add to their contact groups. */
    readonly azureActionGroupIds?: pulumi.Input<string>[];
}

export interface BreakerArgs {
    readonly config: StackConfig;
    readonly scopes: BudgetScopes;
    /** Also step to zero on a second, higher forecast crossing (llm-serving:budgets.breaker.stepToZero). */
    readonly stepToZero: boolean;
}

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
