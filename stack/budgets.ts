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
import { getProjectOutput } from "@pulumi/gcp/organizations/getProject";
import * as projects from "@pulumi/gcp/projects";
import { Provider as GcpProvider } from "@pulumi/gcp/provider";
import { costLabels } from "../components/costLabels";
import { azureActionGroups } from "../components/notify/azure";
import { gcpEmailChannels } from "../components/notify/gcp";
import { GCP_BILLING_ACCOUNT_PLACEHOLDER, type BudgetCloud } from "../policies/contract/budgets";
import { ALL_TARGETS } from "../targets";
import type { BudgetPlan } from "./budgetPlan";
import type { BreakerTriggers } from "./breaker/triggers";
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

/**
 * The billing account the GCP budget is declared in: none when absent or the placeholder (the
 * pack's runtime-budget then reports the missing budget: advisory in dev, mandatory in prod).
 */
export function gcpBillingAccountOf(config: Pick<StackConfig, "budgets">): string | undefined {
    const account = config.budgets?.gcpBillingAccount;
    return account === undefined || account === GCP_BILLING_ACCOUNT_PLACEHOLDER ? undefined : account;
}

/** The AWS budget's cost filter: the cost-allocation tag environment=<value> the program sets. */
export function awsBudgetTagFilter(environment: string): string {
    return `user:environment$${environment}`;
}

/** The API the GCP budget is created through, enabled in the stack's first GCP project. */
export const GCP_BUDGETS_API = "billingbudgets.googleapis.com";

export function budgetClouds(scopes: BudgetScopes): BudgetCloud[] {
    return (["gcp", "aws", "azure"] as const).filter((c) => scopes[c] !== undefined);
}

/**
 * An Azure budget's period must start on the first of a month, and the API refuses a start date
 * in the past outside the current period (BudgetTimePeriod, Consumption REST API): a fixed date
 * would make every new stack fail from the month after it was written. So the first day of the
 * current UTC month, computed at run time; the period is ignored after creation so a later month
 * never shows a change. AWS needs no such date: without timePeriodStart AWS Budgets starts the
 * budget at the start of the current period (the program sets none).
 */
export function budgetPeriodStart(now: Date = new Date()): string {
    return `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, "0")}-01T00:00:00Z`;
}

/**
 * Where an AWS budget notification goes. AWS Budgets allows ONE SNS subscriber per notification
 * and up to 10 e-mail subscribers ("A notification can have one SNS subscriber and up to 10 email
 * subscribers", AWS Budgets API reference, NotificationWithSubscribers): a list of two topics is
 * refused at create. So: the addresses are the notification's own e-mail subscribers (Budgets mails
 * them itself, no SNS subscription to confirm; runtime-budget blocks more than 10), and the one SNS
 * topic is the breaker's when it is on (its Lambda subscribes to the user's awsSnsTopicArn instead
 * when that is set, so the breaker's trigger IS that topic), else the user's awsSnsTopicArn.
 * undefined when there is nobody to notify (runtime-budget reports the silent budget).
 */
export function awsBudgetRoute(
    n: Pick<NonNullable<StackConfig["notifications"]>, "emails" | "awsSnsTopicArn"> | undefined,
    breakerTopic: pulumi.Input<string> | undefined,
): { subscriberEmailAddresses?: string[]; subscriberSnsTopicArns?: pulumi.Input<string>[] } | undefined {
    const emails = [...(n?.emails ?? [])];
    const topic = breakerTopic ?? n?.awsSnsTopicArn;
    if (emails.length === 0 && topic === undefined) return undefined;
    return { ...(emails.length > 0 ? { subscriberEmailAddresses: emails } : {}), ...(topic !== undefined ? { subscriberSnsTopicArns: [topic] } : {}) };
}

export interface RuntimeBudgetsArgs {
    readonly config: StackConfig;
    readonly plan: BudgetPlan;
    readonly scopes: BudgetScopes;
    /** The breaker's triggers (stack/breaker): each cloud's budget notifies its trigger too. */
    readonly triggers?: BreakerTriggers;
    /** The clock the Azure budget's period starts from (tests fix it). @default now */
    readonly now?: Date;
}

export class RuntimeBudgets extends pulumi.ComponentResource {
    /** Per cloud: the budget's URN-stable resource, for the breaker. */
    public readonly gcp?: billing.Budget;
    public readonly aws?: budgets.Budget;
    public readonly azure?: consumption.Budget;
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

        const billingAccount = gcpBillingAccountOf(config);
        if (scopes.gcp && billingAccount !== undefined && plan.amounts.gcp !== undefined) {
            // With user ADC credentials the Billing Budgets API answers 403 unless the request names a
            // quota project (billingProject + userProjectOverride on the provider; the provider's
            // billing_budget docs), and the API must be on in that project: the stack's first GCP
            // project, with the API enabled here (never disabled on destroy: others may use it).
            const billingProject = scopes.gcp.projects[0];
            const api = new projects.Service(
                `${name}-gcp-api-billing-budgets`,
                { project: billingProject, service: GCP_BUDGETS_API, disableOnDestroy: false, disableDependentServices: false },
                childOpts,
            );
            const provider = new GcpProvider(`${name}-gcp-billing`, { billingProject, userProjectOverride: true }, childOpts);
            const channels = gcpEmailChannels(`${name}-gcp`, billingProject, n, childOpts, { labels });
            // The filter names projects by NUMBER (projects/<number>): an id is accepted on create but
            // read back as a number, a perpetual diff and a 400 on update (pulumi/pulumi-gcp#514).
            const numbers = scopes.gcp.projects.map((projectId) => getProjectOutput({ projectId }, { parent: this }).number);
            const pubsubTopic = args.triggers?.gcpPubsubTopic ?? n?.gcpPubsubTopic;
            this.gcp = new billing.Budget(
                `${name}-gcp`,
                {
                    billingAccount,
                    displayName: `llm-serving ${stack}`.slice(0, 60),
                    budgetFilter: {
                        projects: numbers.map((num) => pulumi.interpolate`projects/${num}`),
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
                { ...childOpts, provider, dependsOn: [api] },
            );
        }

        if (scopes.aws && plan.amounts.aws !== undefined) {
            const route = awsBudgetRoute(n, args.triggers?.awsSnsTopicArn);
            this.aws = new budgets.Budget(
                `${name}-aws`,
                {
                    budgetType: "COST",
                    timeUnit: "MONTHLY",
                    limitAmount: String(plan.amounts.aws),
                    limitUnit: "USD",
                    costFilters: [{ name: "TagKeyValue", values: [awsBudgetTagFilter(labels.environment)] }],
                    notifications: route
                        ? [
                              ...actual.map((t) => ({ notificationType: "ACTUAL", comparisonOperator: "GREATER_THAN", threshold: t, thresholdType: "PERCENTAGE", ...route })),
                              ...forecast.map((t) => ({ notificationType: "FORECASTED", comparisonOperator: "GREATER_THAN", threshold: t, thresholdType: "PERCENTAGE", ...route })),
                          ]
                        : [],
                    tags: labels,
                },
                // The breaker's topic ARN carries its topic policy as a dependency: Budgets may publish before the budget exists.
                childOpts,
            );
        }

        if (scopes.azure && plan.amounts.azure !== undefined) {
            const group = new resources.ResourceGroup(`${name}-azure`, { location: scopes.azure.location, tags: labels }, childOpts);
            const groups = azureActionGroups(`${name}-azure`, group.name, n, childOpts, { tags: labels });
            this.azureGroups = groups;
            const emails = [...(n?.emails ?? [])];
            const breakerGroups = args.triggers?.azureActionGroupIds ?? [];
            // One path per address: the action group mails n.emails already (when there are any), so
            // the budget's own contactEmails stay empty, or each address got every alert twice.
            const subscriptionId = authorization.getClientConfigOutput({ parent: this }).subscriptionId;
            const notification = (threshold: number, thresholdType: "Actual" | "Forecasted") => ({
                enabled: true,
                operator: "GreaterThan",
                threshold,
                thresholdType,
                contactEmails: [] as string[],
                contactGroups: breakerGroups.length > 0 ? pulumi.all([groups, pulumi.all(breakerGroups)]).apply(([own, breaker]) => [...own, ...breaker]) : groups,
            });
            const notifications: Record<string, ReturnType<typeof notification>> = {};
            // Keys are the notification names (at most 128 characters, letters, digits, _ and -).
            for (const t of actual) notifications[`actual_${t}`] = notification(t, "Actual");
            for (const t of forecast) notifications[`forecast_${t}`] = notification(t, "Forecasted");
            const routed = emails.length > 0 || n?.azureActionGroupId !== undefined || breakerGroups.length > 0;
            this.azure = new consumption.Budget(
                `${name}-azure`,
                {
                    scope: pulumi.interpolate`/subscriptions/${subscriptionId}`,
                    amount: plan.amounts.azure,
                    category: "Cost",
                    timeGrain: "Monthly",
                    timePeriod: { startDate: budgetPeriodStart(args.now) },
                    filter: {
                        and: [
                            { tags: { name: "app", operator: "In", values: [labels.app] } },
                            { tags: { name: "environment", operator: "In", values: [labels.environment] } },
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
