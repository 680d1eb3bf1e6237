// The run-time budgets (issue 16): one native budget per cloud the stack deploys to, scoped to the
// stack's resources in that cloud's unit, alerting the stack's notification targets at the policy
// config's thresholds of actual and forecast spend, with amounts from the cap (stack/budgetPlan.ts).
//   GCP:   a Cloud Billing budget on the stack's projects (the project is GCP's unit: Cloud NAT,
//          load-balancer and network SKUs carry no resource labels, so a label filter would miss
//          them); needs llm-serving:budgets.gcpBillingAccount, without which none is declared and
//          the pack's runtime-budget reports it.
//   AWS:   an AWS Budgets cost budget filtered on the tag environment=<stack> (TagKeyValue
//          "user:environment$<stack>"); the tag must be activated as a cost-allocation tag in the
//          payer account first (README, prerequisites), or the budget sees nothing.
//   Azure: a consumption budget at the subscription, filtered on the tags app=llm-serving and
//          environment=<stack> (the program's targets live in resource groups of their own, one
//          per target, so the subscription with a tag filter is the one scope that covers them all).
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as consumption from "@pulumi/azure-native/consumption";
import * as resources from "@pulumi/azure-native/resources";
import * as budgets from "@pulumi/aws/budgets";
import * as billing from "@pulumi/gcp/billing";
import { costLabels } from "../components/costLabels";
import { awsAlertTopics } from "../components/notify/aws";
import { azureActionGroups } from "../components/notify/azure";
import { gcpEmailChannels } from "../components/notify/gcp";
import type { BudgetCloud } from "../policies/contract/budgets";
import { ALL_TARGETS } from "../targets";
import type { BudgetPlan } from "./budgetPlan";
import type { StackConfig } from "./config";

/** Where each cloud's budget looks and its channels live, from the targets the config names. */
export interface BudgetScopes {
    readonly gcp?: { readonly projects: string[] };
    readonly aws?: { readonly region: string };
    readonly azure?: { readonly location: string };
}

const CLOUD_OF_README: Readonly<Record<string, BudgetCloud>> = { GCP: "gcp", AWS: "aws", Azure: "azure" };

/** The clouds the stack deploys to and their scopes, in the table's order. */
export function budgetScopes(config: Pick<StackConfig, "targets">): BudgetScopes {
    const projects: string[] = [];
    let region: string | undefined;
    let location: string | undefined;
    for (const target of ALL_TARGETS) {
        const value = (config.targets as Record<string, Record<string, unknown> | undefined>)[target.key];
        if (value === undefined) continue;
        const cloud = CLOUD_OF_README[target.readme.cloud];
        if (cloud === "gcp" && typeof value.project === "string" && !projects.includes(value.project)) projects.push(value.project);
        if (cloud === "aws" && region === undefined && typeof value.region === "string") region = value.region;
        if (cloud === "azure" && location === undefined && typeof value.location === "string") location = value.location;
    }
    return {
        ...(projects.length > 0 ? { gcp: { projects } } : {}),
        ...(region !== undefined ? { aws: { region } } : {}),
        ...(location !== undefined ? { azure: { location } } : {}),
    };
}

export function budgetClouds(scopes: BudgetScopes): BudgetCloud[] {
    return (["gcp", "aws", "azure"] as const).filter((c) => scopes[c] !== undefined);
}

/**
 * An Azure budget's period must start on the first of a month, at most twelve months ahead
 * (Budgets REST API, BudgetTimePeriod). A fixed date keeps the plan stable; the period is ignored
 * after creation so a later month never shows a change.
 */
export const AZURE_BUDGET_START = "2026-12-01T00:00:00Z";

export interface RuntimeBudgetsArgs {
    readonly config: StackConfig;
    readonly plan: BudgetPlan;
    readonly scopes: BudgetScopes;
    /** Extra Pub/Sub topic the GCP budget publishes to instead of notifications.gcpPubsubTopic (the breaker's). */
    readonly gcpPubsubTopic?: pulumi.Input<string>;
}

export class RuntimeBudgets extends pulumi.ComponentResource {
    /** Per cloud: the budget's URN-stable resource, for the breaker. */
    public readonly gcp?: billing.Budget;
    public readonly aws?: budgets.Budget;
    public readonly azure?: consumption.Budget;
    /** The AWS topics the budget notifies (the breaker subscribes to them). */
    public readonly awsTopics?: pulumi.Output<string[]>;
    /** The Azure action groups the budget notifies. */
    public readonly azureGroups?: pulumi.Output<string[]>;

    constructor(name: string, args: RuntimeBudgetsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("llm-serving:budgets:RuntimeBudgets", name, {}, opts);
        const childOpts = { parent: this };
        const { config, plan, scopes } = args;
        const n = config.notifications;
        const labels = costLabels(config);
        const { actual, forecast } = plan.thresholds;
        const stack = config.stack;

        if (scopes.gcp && config.budgets?.gcpBillingAccount !== undefined && plan.amounts.gcp !== undefined) {
            const channels = gcpEmailChannels(`${name}-gcp`, scopes.gcp.projects[0], n, childOpts, { labels });
            const pubsubTopic = args.gcpPubsubTopic ?? n?.gcpPubsubTopic;
            this.gcp = new billing.Budget(
                `${name}-gcp`,
                {
                    billingAccount: config.budgets.gcpBillingAccount,
                    displayName: `llm-serving ${stack}`.slice(0, 60),
                    budgetFilter: {
                        projects: scopes.gcp.projects.map((p) => `projects/${p}`),
                        calendarPeriod: "MONTH",
                        // Credits (free trial, committed-use) lower the bill; the cap is on the gross worst case.
                        creditTypesTreatment: "EXCLUDE_ALL_CREDITS",
                    },
                    amount: { specifiedAmount: { currencyCode: "USD", units: String(plan.amounts.gcp) } },
                    thresholdRules: [
                        ...actual.map((t) => ({ thresholdPercent: t / 100, spendBasis: "CURRENT_SPEND" })),
                        ...forecast.map((t) => ({ thresholdPercent: t / 100, spendBasis: "FORECASTED_SPEND" })),
                    ],
                    allUpdatesRule: {
                        monitoringNotificationChannels: channels,
                        ...(pubsubTopic !== undefined ? { pubsubTopic, schemaVersion: "1.0" } : {}),
                    },
                },
                childOpts,
            );
        }

        if (scopes.aws && plan.amounts.aws !== undefined) {
            const topics = awsAlertTopics(`${name}-aws`, n, childOpts, { region: scopes.aws.region, tags: labels });
            // A notification needs at least one subscriber: without targets the budget alerts no one (runtime-budget says so).
            const routed = (n?.emails?.length ?? 0) > 0 || n?.awsSnsTopicArn !== undefined;
            this.awsTopics = topics;
            this.aws = new budgets.Budget(
                `${name}-aws`,
                {
                    budgetType: "COST",
                    timeUnit: "MONTHLY",
                    limitAmount: String(plan.amounts.aws),
                    limitUnit: "USD",
                    costFilters: [{ name: "TagKeyValue", values: [`user:environment$${stack}`] }],
                    notifications: routed
                        ? [
                              ...actual.map((t) => ({ notificationType: "ACTUAL", comparisonOperator: "GREATER_THAN", threshold: t, thresholdType: "PERCENTAGE", subscriberSnsTopicArns: topics })),
                              ...forecast.map((t) => ({ notificationType: "FORECASTED", comparisonOperator: "GREATER_THAN", threshold: t, thresholdType: "PERCENTAGE", subscriberSnsTopicArns: topics })),
                          ]
                        : [],
                    tags: labels,
                },
                childOpts,
            );
        }

        if (scopes.azure && plan.amounts.azure !== undefined) {
            const group = new resources.ResourceGroup(`${name}-azure`, { location: scopes.azure.location, tags: labels }, childOpts);
            const groups = azureActionGroups(`${name}-azure`, group.name, n, childOpts, { tags: labels });
            this.azureGroups = groups;
            const emails = [...(n?.emails ?? [])];
            const subscriptionId = authorization.getClientConfigOutput({ parent: this }).subscriptionId;
            const notification = (threshold: number, thresholdType: "Actual" | "Forecasted") => ({
                enabled: true,
                operator: "GreaterThan",
                threshold,
                thresholdType,
                contactEmails: emails,
                contactGroups: groups,
            });
            const notifications: Record<string, ReturnType<typeof notification>> = {};
            // Keys are the notification names (at most 128 characters, letters, digits, _ and -).
            for (const t of actual) notifications[`actual_${t}`] = notification(t, "Actual");
            for (const t of forecast) notifications[`forecast_${t}`] = notification(t, "Forecasted");
            const routed = emails.length > 0 || n?.azureActionGroupId !== undefined;
            this.azure = new consumption.Budget(
                `${name}-azure`,
                {
                    scope: pulumi.interpolate`/subscriptions/${subscriptionId}`,
                    amount: plan.amounts.azure,
                    category: "Cost",
                    timeGrain: "Monthly",
                    timePeriod: { startDate: AZURE_BUDGET_START },
                    filter: {
                        and: [
                            { tags: { name: "app", operator: "In", values: [labels.app] } },
                            { tags: { name: "environment", operator: "In", values: [stack] } },
                        ],
                    },
                    notifications: routed ? notifications : {},
                },
                { ...childOpts, ignoreChanges: ["timePeriod"] },
            );
        }
        this.registerOutputs({});
    }
}
