// Budgets as the program declares them, in each cloud's own shape, for the runtime-budget tests.
import { BUDGET_TYPES } from "../../policies/contract/budgets";
import type { PlannedResource } from "../../policies/validationArgs";
import { gcpRuntimeBudget, gcpStack, planned } from "../helpers/policyFixtures";

export function gcpBudget(amount: number, extra: Record<string, unknown> = {}): PlannedResource {
    return gcpRuntimeBudget(amount, extra);
}

export function awsBudget(amount: number, extra: Record<string, unknown> = {}): PlannedResource {
    const n = (notificationType: string, threshold: number) => ({
        notificationType,
        threshold,
        thresholdType: "PERCENTAGE",
        comparisonOperator: "GREATER_THAN",
        subscriberSnsTopicArns: ["arn:aws:sns:us-west-2:123456789012:oncall"],
    });
    return planned(BUDGET_TYPES.aws, "rb-aws", {
        budgetType: "COST",
        timeUnit: "MONTHLY",
        limitUnit: "USD",
        limitAmount: String(amount),
        // The fixtures' stack is "test" (urn:pulumi:test::...), its environment tag value.
        costFilters: [{ name: "TagKeyValue", values: ["user:environment$test"] }],
        notifications: [n("ACTUAL", 50), n("ACTUAL", 80), n("ACTUAL", 100), n("FORECASTED", 100)],
        ...extra,
    });
}

export function azureBudget(amount: number, extra: Record<string, unknown> = {}): PlannedResource {
    const n = (thresholdType: string, threshold: number) => ({ enabled: true, operator: "GreaterThan", threshold, thresholdType, contactEmails: ["oncall@example.com"], contactGroups: [] });
    return planned(BUDGET_TYPES.azure, "rb-azure", {
        scope: "/subscriptions/00000000-0000-4000-8000-00000000c003",
        amount,
        category: "Cost",
        timeGrain: "Monthly",
        timePeriod: { startDate: "2026-12-01T00:00:00Z" },
        filter: { and: [{ tags: { name: "environment", operator: "In", values: ["test"] } }] },
        notifications: { actual_50: n("Actual", 50), actual_80: n("Actual", 80), actual_100: n("Actual", 100), forecast_100: n("Forecasted", 100) },
        ...extra,
    });
}

/**
 * GCP: the dev-like group (2..3 spot g2-standard-4, worst case $1,574.69: 3 x 0.70683 x 730 =
 * 1547.96, forwarding rule 0.025 x 730 = 18.25, surge 3 x 0.70683 x 4 = 8.48); AWS: an EKS control
 * plane in standard support, $0.10 x 730 = $73.00. Stack worst case $1,647.69.
 */
export function twoCloudStack(): PlannedResource[] {
    return [...gcpStack(), planned("aws:eks/cluster:Cluster", "eks", { region: "us-west-2", version: "1.35", roleArn: "arn", vpcConfig: { subnetIds: ["a", "b"] } })];
}
/** Under a $2,000 cap: gcp floor(2000 x 1574.69 / 1647.69) = floor(1911.39) = 1911; aws floor(2000 x 73 / 1647.69) = floor(88.61) = 88. */
export const SHARES_AT_2000 = { gcp: 1911, aws: 88 } as const;
