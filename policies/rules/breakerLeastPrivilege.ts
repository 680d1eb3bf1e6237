import { StackValidationPolicy } from "@pulumi/policy";
import { checkAwsBreaker } from "../breaker/aws";
import { checkAzureBreaker } from "../breaker/azure";
import { checkGcpBreaker } from "../breaker/gcp";
import { BREAKER_LEAST_PRIVILEGE_POLICY } from "../contract/breaker";

/**
 * The circuit breaker (issue 16) changes the stack's scaled groups on its own, from a budget
 * notification: its identity must hold only what its adapters call, so a compromised or buggy
 * function can lower a group's maximum and nothing else. One check per cloud (policies/breaker/);
 * a stack without a breaker passes.
 */
export const breakerLeastPrivilege: StackValidationPolicy = {
    name: BREAKER_LEAST_PRIVILEGE_POLICY,
    description: "The circuit breaker's identity (GCP service account, AWS Lambda role, Azure managed identity) holds only the permissions its adapters call.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const check of [checkGcpBreaker, checkAwsBreaker, checkAzureBreaker]) check(args.resources, reportViolation);
    },
};
