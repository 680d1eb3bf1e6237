// How the pack reads a run-time budget (issue 16), whatever its cloud: the monthly amount in USD,
// its alert thresholds on actual and on forecast spend (percent), whether it notifies anyone, and
// (GCP) its billing account. Reads through model/read so an unknown value is data, never a throw.
import { BUDGET_CLOUDS, BUDGET_TYPES, BudgetCloud } from "./contract/budgets";
import { readArray, readField, readKeys, readNumber, readString, FieldRead, Typed } from "./model/read";

export type Known<T> = { readonly state: "known"; readonly value: T } | { readonly state: "unknown" | "invalid"; readonly field: string; readonly why: string };

export interface BudgetReading {
    readonly cloud: BudgetCloud;
    /** Monthly USD amount. */
    readonly amount: Known<number>;
    /** Percent thresholds, per basis (unknown entries are left out and flagged by `thresholdsUnknown`). */
    readonly actual: number[];
    readonly forecast: number[];
    readonly thresholdsUnknown: boolean;
    /** Someone is notified: an address, topic, channel or action group (an unknown one counts: it exists at apply). */
    readonly notifies: boolean;
    /** Notification shapes the cloud's API refuses at create (AWS: more than one SNS topic or 10 addresses per notification). */
    readonly refused: string[];
    /** GCP only: the billing account id, when known. */
    readonly billingAccount?: Typed<string>;
}

/** The cloud whose budget type `type` is, or undefined for any other type. */
export function budgetCloudOf(type: string): BudgetCloud | undefined {
    return BUDGET_CLOUDS.find((c) => BUDGET_TYPES[c] === type);
}

const nonEmpty = (r: FieldRead): boolean => r.state === "unknown" || (r.state === "known" && (typeof r.value === "string" ? r.value.length > 0 : Array.isArray(r.value) ? r.value.length > 0 : r.value !== undefined && r.value !== null));

function known<T>(r: Typed<T>, why: string): Known<T> {
    if (r.state === "known") return { state: "known", value: r.value };
    return { state: r.state === "unknown" ? "unknown" : "invalid", field: r.field, why };
}

/**
 * AWS Budgets' limits on one notification's subscribers: "A notification can have one SNS
 * subscriber and up to 10 email subscribers" (AWS Budgets API reference,
 * NotificationWithSubscribers); CreateBudget refuses more.
 */
export const AWS_BUDGET_SUBSCRIBER_LIMITS = { sns: 1, email: 10 } as const;

/** What AWS refuses in one notification's subscribers (an unknown list is not counted: it cannot be judged). */
export function awsNotificationRefusals(notification: unknown, index: number): string[] {
    const count = (r: FieldRead): number => (r.state === "known" && Array.isArray(r.value) ? r.value.length : 0);
    const sns = count(readField(notification, ["subscriberSnsTopicArns"]));
    const email = count(readField(notification, ["subscriberEmailAddresses"]));
    return [
        ...(sns > AWS_BUDGET_SUBSCRIBER_LIMITS.sns ? [`notification ${index} lists ${sns} SNS topics (AWS Budgets takes ${AWS_BUDGET_SUBSCRIBER_LIMITS.sns})`] : []),
        ...(email > AWS_BUDGET_SUBSCRIBER_LIMITS.email ? [`notification ${index} lists ${email} e-mail addresses (AWS Budgets takes ${AWS_BUDGET_SUBSCRIBER_LIMITS.email})`] : []),
    ];
}

export function readBudget(type: string, props: unknown): BudgetReading | undefined {
    const cloud = budgetCloudOf(type);
    if (cloud === undefined) return undefined;
    const actual: number[] = [];
    const forecast: number[] = [];
    let thresholdsUnknown = false;
    let notifies = false;
    const refused: string[] = [];
    if (cloud === "aws") {
        const unit = readString(props, ["limitUnit"]);
        const time = readString(props, ["timeUnit"]);
        const type_ = readString(props, ["budgetType"]);
        let amount = known(readNumber(props, ["limitAmount"], "", { numericString: true }), "limitAmount must be a known number of USD");
        if (amount.state === "known" && (unit.state !== "known" || unit.value !== "USD" || time.state !== "known" || time.value !== "MONTHLY" || type_.state !== "known" || type_.value !== "COST")) {
            amount = { state: "invalid", field: "limitUnit/timeUnit/budgetType", why: "the budget must be a COST budget in USD per MONTHLY period" };
        }
        const list = readArray(props, ["notifications"]);
        if (list.state === "unknown") thresholdsUnknown = true;
        if (list.state === "known") {
            for (const [i, n] of list.value.entries()) {
                if (n.state === "known") refused.push(...awsNotificationRefusals(n.value, i));
                const kind = readString(n.state === "known" ? n.value : undefined, ["notificationType"]);
                const thr = readNumber(n.state === "known" ? n.value : undefined, ["threshold"]);
                const tt = readString(n.state === "known" ? n.value : undefined, ["thresholdType"]);
                if (kind.state !== "known" || thr.state !== "known" || tt.state !== "known") {
                    thresholdsUnknown = true;
                    continue;
                }
                if (tt.value !== "PERCENTAGE") continue;
                (kind.value === "FORECASTED" ? forecast : kind.value === "ACTUAL" ? actual : []).push(thr.value);
                const base = n.state === "known" ? n.value : undefined;
                if (nonEmpty(readField(base, ["subscriberEmailAddresses"])) || nonEmpty(readField(base, ["subscriberSnsTopicArns"]))) notifies = true;
            }
        }
        return { cloud, amount, actual, forecast, thresholdsUnknown, notifies, refused };
    }
    if (cloud === "gcp") {
        const currency = readString(props, ["amount", "specifiedAmount", "currencyCode"]);
        const units = readNumber(props, ["amount", "specifiedAmount", "units"], "", { numericString: true });
        const nanos = readNumber(props, ["amount", "specifiedAmount", "nanos"]);
        let amount: Known<number> = known(units, "amount.specifiedAmount.units must be a known number (a last-period amount follows spend, not the cap)");
        if (amount.state === "known") {
            if (currency.state !== "known" || currency.value !== "USD") amount = { state: "invalid", field: "amount.specifiedAmount.currencyCode", why: "the amount must be in USD, the cap's currency" };
            else if (nanos.state === "unknown") amount = { state: "unknown", field: nanos.field, why: "nanos must be known" };
            else amount = { state: "known", value: amount.value + (nanos.state === "known" ? nanos.value / 1e9 : 0) };
        }
        const rules = readArray(props, ["thresholdRules"]);
        if (rules.state === "unknown") thresholdsUnknown = true;
        if (rules.state === "known") {
            for (const r of rules.value) {
                const base = r.state === "known" ? r.value : undefined;
                const pct = readNumber(base, ["thresholdPercent"]);
                const basis = readString(base, ["spendBasis"]);
                if (pct.state !== "known") {
                    thresholdsUnknown = true;
                    continue;
                }
                // The API takes a fraction (1.0 = 100%); CURRENT_SPEND is its default basis.
                const percent = Math.round(pct.value * 10000) / 100;
                if (basis.state === "known" && basis.value === "FORECASTED_SPEND") forecast.push(percent);
                else if (basis.state === "unknown") thresholdsUnknown = true;
                else actual.push(percent);
            }
        }
        notifies = nonEmpty(readField(props, ["allUpdatesRule", "monitoringNotificationChannels"])) || nonEmpty(readField(props, ["allUpdatesRule", "pubsubTopic"]));
        return { cloud, amount, actual, forecast, thresholdsUnknown, notifies, refused, billingAccount: readString(props, ["billingAccount"]) };
    }
    // azure
    const grain = readString(props, ["timeGrain"]);
    const category = readString(props, ["category"]);
    let amount = known(readNumber(props, ["amount"]), "amount must be a known number");
    if (amount.state === "known" && (grain.state !== "known" || grain.value !== "Monthly" || category.state !== "known" || category.value !== "Cost")) {
        amount = { state: "invalid", field: "timeGrain/category", why: "the budget must be a Cost budget with a Monthly time grain" };
    }
    const keys = readKeys(props, ["notifications"]);
    if (keys.state === "unknown") thresholdsUnknown = true;
    if (keys.state === "known") {
        for (const k of keys.value) {
            const base = readField(props, ["notifications", k]);
            const b = base.state === "known" ? base.value : undefined;
            const enabled = readField(b, ["enabled"]);
            const thr = readNumber(b, ["threshold"]);
            const tt = readString(b, ["thresholdType"]);
            if (thr.state !== "known" || tt.state === "unknown" || enabled.state === "unknown") {
                thresholdsUnknown = true;
                continue;
            }
            if (enabled.state === "known" && enabled.value === false) continue;
            (tt.state === "known" && tt.value === "Forecasted" ? forecast : actual).push(thr.value);
            if (nonEmpty(readField(b, ["contactEmails"])) || nonEmpty(readField(b, ["contactGroups"]))) notifies = true;
        }
    }
    return { cloud, amount, actual, forecast, thresholdsUnknown, notifies, refused };
}
