import { StackValidationPolicy } from "@pulumi/policy";
import { BUDGET_CLOUDS, BUDGET_TYPES, DEFAULT_BUDGET_THRESHOLDS, MAX_BUDGET_THRESHOLDS, thresholdsProblem, GCP_BILLING_ACCOUNT_PATTERN, GCP_BILLING_ACCOUNT_PLACEHOLDER, RUNTIME_BUDGET_POLICY } from "../contract/budgets";
import { readBudget } from "../budgets";
import { budgetScopeProblems, stackFacts } from "../budgetScope";
import { worstCaseByCloud } from "../cost/byCloud";
import { estimateStack, spotMarginSchema, transientHoursSchema, urnName, usageSchema, usd, SpotMarginConfig } from "../stackCost";
import { toCostInput } from "../resources";

export interface RuntimeBudgetConfig extends SpotMarginConfig {
    thresholds?: { actual?: number[]; forecast?: number[] };
}

const percentList = (what: string, dflt: ReadonlyArray<number>) => ({
    type: "array" as const,
    items: { type: "number" as const, exclusiveMinimum: 0, maximum: 1000 },
    uniqueItems: true,
    // Each threshold is one notification on the budget, and an Azure budget takes at most five
    // (contract/budgets.ts MAX_BUDGET_THRESHOLDS); the actual + forecast total is checked below.
    maxItems: MAX_BUDGET_THRESHOLDS,
    default: [...dflt],
    description: `${what} At most ${MAX_BUDGET_THRESHOLDS} thresholds in all, actual and forecast together: an Azure budget takes at most ${MAX_BUDGET_THRESHOLDS} notifications.`,
});

/**
 * The cap carried into run time (issue 16): every cloud that bills for the stack has a native
 * budget (AWS Budgets, a GCP billing budget, an Azure consumption budget) that alerts someone at
 * the configured thresholds of actual and forecast spend. What it cannot have before billing is
 * wired up (a GCP billing account id, a notification target) is reported here, not refused by the
 * program's config, so a stack can be planned first: advisory in dev, mandatory in prod. That each
 * budget is at or under its cloud's share of the cap is runtime-budget-share's (mandatory).
 */
export const runtimeBudget: StackValidationPolicy = {
    name: RUNTIME_BUDGET_POLICY,
    description: "Every cloud billing for the stack has a run-time budget with alerts on actual and forecast spend at the configured thresholds, sent to a notification target.",
    enforcementLevel: "advisory",
    configSchema: {
        properties: {
            thresholds: {
                type: "object",
                additionalProperties: false,
                properties: {
                    actual: percentList("Percent of the budget at which actual spend alerts.", DEFAULT_BUDGET_THRESHOLDS.actual),
                    forecast: percentList("Percent of the budget at which forecast spend alerts (the breaker listens to these).", DEFAULT_BUDGET_THRESHOLDS.forecast),
                },
            },
            spotMargin: spotMarginSchema,
            transientHoursPerMonth: transientHoursSchema,
            usage: usageSchema,
        },
    },
    validateStack: (args, reportViolation) => {
        const config = args.getConfig<RuntimeBudgetConfig>();
        const wantActual = config.thresholds?.actual ?? DEFAULT_BUDGET_THRESHOLDS.actual;
        const wantForecast = config.thresholds?.forecast ?? DEFAULT_BUDGET_THRESHOLDS.forecast;
        const tooMany = thresholdsProblem({ actual: wantActual, forecast: wantForecast });
        if (tooMany) reportViolation(`${tooMany}: lower the list in policies/config/<stack>.json.`);
        const result = estimateStack(args);
        // An unknown cost field is cost-known-at-preview's (mandatory); which clouds bill is still
        // read from the lines the engine could price.
        if (!result.ok) return;
        const { byCloud } = worstCaseByCloud(result.estimate.lines, args.resources.map(toCostInput));
        const budgets = args.resources.flatMap((r) => {
            const reading = readBudget(r.type, r.props);
            return reading ? [{ urn: r.urn, reading }] : [];
        });
        for (const cloud of BUDGET_CLOUDS) {
            const worst = byCloud[cloud] ?? 0;
            if (worst > 0 && !budgets.some((b) => b.reading.cloud === cloud)) {
                const fix = cloud === "gcp" ? `set llm-serving:budgets.gcpBillingAccount to the stack's billing account (\`gcloud billing accounts list\`; the program declares no GCP budget without one or with the placeholder ${GCP_BILLING_ACCOUNT_PLACEHOLDER})` : "the program declares one per cloud; check llm-serving:budgets";
                reportViolation(`${cloud} bills up to ${usd(worst)}/month for this stack and has no run-time budget (${BUDGET_TYPES[cloud]}): ${fix}.`);
            }
        }
        for (const { urn, reading } of budgets) {
            const name = `${urnName(urn)} (${reading.cloud})`;
            if (!reading.notifies) {
                reportViolation(`Budget ${name} notifies no one: set llm-serving:notifications (emails, or an existing SNS topic / Pub/Sub topic / action group).`, urn);
            }
            // A budget that covers nothing of the stack guards nothing, whatever its amount.
            const r = args.resources.find((x) => x.urn === urn);
            const facts = stackFacts(urn, args.resources);
            if (!facts) reportViolation(`Budget ${name}: the stack's name cannot be read from its URN, so its filter cannot be checked.`, urn);
            else {
                const problems = budgetScopeProblems(reading.cloud, r?.props, facts);
                if (problems.length > 0) reportViolation(`Budget ${name} does not cover the stack ${facts.environment}: ${problems.join("; ")}.`, urn);
            }
            if (reading.thresholdsUnknown) {
                reportViolation(`Budget ${name}: its alert thresholds are not known at preview; set them from the policy config, not from other resources' outputs.`, urn);
            }
            const missing = [
                ...wantActual.filter((t) => !reading.actual.includes(t)).map((t) => `${t}% actual`),
                ...wantForecast.filter((t) => !reading.forecast.includes(t)).map((t) => `${t}% forecast`),
            ];
            if (missing.length > 0) {
                reportViolation(`Budget ${name} lacks the alerts ${missing.join(", ")} that ${RUNTIME_BUDGET_POLICY}.thresholds asks for.`, urn);
            }
            if (reading.cloud === "gcp") {
                const account = reading.billingAccount;
                if (!account || account.state === "absent" || account.state === "invalid") {
                    reportViolation(`Budget ${name} has no billing account: set llm-serving:budgets.gcpBillingAccount.`, urn);
                } else if (account.state === "unknown") {
                    reportViolation(`Budget ${name}: its billing account is not known at preview; set llm-serving:budgets.gcpBillingAccount.`, urn);
                } else if (account.value === GCP_BILLING_ACCOUNT_PLACEHOLDER) {
                    reportViolation(`Budget ${name} names the placeholder billing account ${GCP_BILLING_ACCOUNT_PLACEHOLDER}: set llm-serving:budgets.gcpBillingAccount to the stack's billing account before deploying (the API refuses the placeholder).`, urn);
                } else if (!GCP_BILLING_ACCOUNT_PATTERN.test(account.value)) {
                    reportViolation(`Budget ${name}: billing account is not of the form XXXXXX-XXXXXX-XXXXXX (upper-case hex).`, urn);
                }
            }
        }
    },
};
