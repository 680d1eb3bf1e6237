import { z } from "zod";
import { GCP_BILLING_ACCOUNT_PATTERN } from "../policies/contract/budgets";

/**
 * Run-time budgets (`llm-serving:budgets`, issue 16). The amounts and thresholds are NOT here:
 * they come from the cap in policies/config/<stack>.json, owned apart from the program. What the
 * program needs and only the stack knows is here: the GCP billing account the GCP budget lives in,
 * and whether the circuit breaker may act. Optional: a stack without it is still planned, and the
 * pack's runtime-budget policy reports the missing billing account.
 */
export const breakerSchema = z.strictObject(
    {
        /**
         * Deploy the breaker (stack/breaker): at 100% forecast of a cloud's budget, scaled groups step
         * down to their baseline; the next pulumi up --refresh restores the declared bounds (README, "Circuit breaker").
         */
        enabled: z.boolean({ error: "must be true or false" }),
        /**
         * Also step to zero when forecast spend passes the budget again after the step to baseline
         * (a second, separately opted-in step: it stops serving). @default false
         */
        stepToZero: z.boolean({ error: "must be true or false" }).default(false),
    },
    { error: "must be an object { enabled, stepToZero }" },
);

export const budgetsSchema = z.strictObject(
    {
        /** The Cloud Billing account the GCP budget is created in (XXXXXX-XXXXXX-XXXXXX). */
        gcpBillingAccount: z
            .string({ error: "must be a billing account id such as 01A2B3-C4D5E6-F7A8B9" })
            .regex(GCP_BILLING_ACCOUNT_PATTERN, { error: "must be a billing account id such as 01A2B3-C4D5E6-F7A8B9 (three groups of six upper-case hex digits)" })
            .optional(),
        breaker: breakerSchema.optional(),
    },
    { error: "must be an object { gcpBillingAccount, breaker }" },
);

export type BudgetsConfig = z.output<typeof budgetsSchema>;
export type BreakerConfig = z.output<typeof breakerSchema>;
