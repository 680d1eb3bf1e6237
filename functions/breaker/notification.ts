// Budget notifications as each cloud delivers them to the breaker, read into one shape. Anything
// that does not parse is `malformed` with a reason (logged and ignored by the handler): a breaker
// must never act on a message it does not understand.
//   GCP:   Pub/Sub push to a Cloud Function (gen2, CloudEvent google.cloud.pubsub.topic.v1.messagePublished):
//          message.data is base64 JSON of the budget notification format, schemaVersion 1.0
//          (cloud.google.com/billing/docs/how-to/budgets-programmatic-notifications): costAmount,
//          budgetAmount, alertThresholdExceeded (a fraction), forecastThresholdExceeded (present
//          when a forecast threshold was crossed), currencyCode, budgetDisplayName.
//   AWS:   SNS to Lambda: Records[].Sns.Message is the Budgets alert text, whose lines include
//          "Budget Name:", "Alert Type: ACTUAL|FORECASTED", "Budgeted Amount: $x", "Alert
//          Threshold: > $y", "<type> Amount: $z" (AWS Budgets User Guide, SNS notifications).
//   Azure: action group -> Azure Function (HTTP), common alert schema: data.essentials
//          (monitoringService "CostAlerts") and data.alertContext.AlertData (BudgetName,
//          ThresholdType Actual|Forecasted, BudgetThreshold, NotificationThresholdAmount,
//          SpentAmount, Unit, and ForecastedTotalForPeriod on Forecasted alerts) (Azure Monitor,
//          "Common alert schema" and "Sample alert payloads", Actual/Forecasted Budget).

export type Cloud = "gcp" | "aws" | "azure";

export interface BudgetNotification {
    readonly cloud: Cloud;
    readonly budget: string;
    /** Forecast spend (true) or actual spend (false) crossed the threshold. */
    readonly forecast: boolean;
    /** Percent of the budget the crossed threshold stands at (100 = the whole budget). */
    readonly thresholdPercent: number;
    /** The spend the notification reports (actual or forecast), in the budget's currency. */
    readonly amount: number;
    readonly budgetAmount: number;
    /**
     * The budget period the notification is about, "YYYY-MM", when it says (GCP: costIntervalStart,
     * the start of the period in the billing account's time zone, US Pacific: 2026-12-01T08:00:00Z
     * is December). Without it the breaker takes the UTC month of the run, which near a month's
     * edge can differ from GCP's.
     */
    readonly period?: string;
}

export type Parsed = { readonly ok: true; readonly notification: BudgetNotification } | { readonly ok: false; readonly reason: string };

const bad = (reason: string): Parsed => ({ ok: false, reason });
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const money = (v: unknown): number | undefined => {
    const n = typeof v === "number" ? v : typeof v === "string" ? Number(v.replace(/[$,\s]/g, "")) : NaN;
    return Number.isFinite(n) ? n : undefined;
};

/**
 * The Pub/Sub message of a GCP event: the CloudEvent's data is { message: { data, attributes } },
 * but a function run without the CloudEvent signature (or a test harness, or a push
 * subscription's unwrapped payload) hands over the message itself, { data, attributes }: both read.
 */
export function gcpMessageOf(event: unknown): Record<string, unknown> | undefined {
    if (!isObj(event)) return undefined;
    if (isObj(event.message)) return event.message;
    return typeof event.data === "string" ? event : undefined;
}

/** GCP: the CloudEvent's data ({ message: { data: base64, attributes } }) or the message itself ({ data, attributes }). */
export function parseGcp(event: unknown): Parsed {
    const message = gcpMessageOf(event);
    if (!message || typeof message.data !== "string") return bad("no message.data in the Pub/Sub event");
    let body: unknown;
    try {
        body = JSON.parse(Buffer.from(message.data, "base64").toString("utf8"));
    } catch {
        return bad("message.data is not base64 JSON");
    }
    if (!isObj(body)) return bad("the budget notification is not a JSON object");
    const attributes = isObj(message.attributes) ? message.attributes : {};
    if (attributes.schemaVersion !== undefined && attributes.schemaVersion !== "1.0") return bad(`schemaVersion ${String(attributes.schemaVersion)} is not 1.0`);
    const costAmount = money(body.costAmount);
    const budgetAmount = money(body.budgetAmount);
    if (costAmount === undefined || budgetAmount === undefined || budgetAmount <= 0) return bad("costAmount or budgetAmount missing");
    const forecastAt = money(body.forecastThresholdExceeded);
    const actualAt = money(body.alertThresholdExceeded);
    const budget = typeof body.budgetDisplayName === "string" ? body.budgetDisplayName : "";
    // The period's start as an instant: its UTC month is the billing month (a Pacific midnight is 07:00/08:00 UTC on the 1st).
    const start = typeof body.costIntervalStart === "string" ? new Date(body.costIntervalStart) : undefined;
    const period = start !== undefined && Number.isFinite(start.getTime()) ? { period: `${start.getUTCFullYear()}-${String(start.getUTCMonth() + 1).padStart(2, "0")}` } : {};
    // A notification without a crossed threshold is the periodic status update GCP sends several times a day.
    if (forecastAt !== undefined) return { ok: true, notification: { cloud: "gcp", budget, forecast: true, thresholdPercent: forecastAt * 100, amount: costAmount, budgetAmount, ...period } };
    return { ok: true, notification: { cloud: "gcp", budget, forecast: false, thresholdPercent: (actualAt ?? costAmount / budgetAmount) * 100, amount: costAmount, budgetAmount, ...period } };
}

/** AWS: one SNS record's Message text. */
export function parseAws(message: unknown): Parsed {
    if (typeof message !== "string" || message.length === 0) return bad("the SNS message is empty");
    const field = (name: string) => new RegExp(`^\\s*${name}:\\s*(.+?)\\s*$`, "mi").exec(message)?.[1];
    const type = field("Alert Type");
    const budget = field("Budget Name");
    const budgeted = money(field("Budgeted Amount"));
    const threshold = money(field("Alert Threshold")?.replace(/^[><=\s]+/, ""));
    if (type !== "ACTUAL" && type !== "FORECASTED") return bad("no Alert Type ACTUAL or FORECASTED");
    const amount = money(field(`${type} Amount`));
    if (!budget || budgeted === undefined || budgeted <= 0 || threshold === undefined || amount === undefined) return bad("Budget Name, Budgeted Amount, Alert Threshold or the amount is missing");
    return { ok: true, notification: { cloud: "aws", budget, forecast: type === "FORECASTED", thresholdPercent: (threshold / budgeted) * 100, amount, budgetAmount: budgeted } };
}

/** Azure: the action group's common alert schema payload. */
export function parseAzure(payload: unknown): Parsed {
    if (!isObj(payload) || payload.schemaId !== "azureMonitorCommonAlertSchema" || !isObj(payload.data)) return bad("not a common alert schema payload");
    const context = isObj(payload.data.alertContext) ? payload.data.alertContext : undefined;
    const data = context && isObj(context.AlertData) ? context.AlertData : undefined;
    if (!data) return bad("no alertContext.AlertData (not a budget alert)");
    const budgetAmount = money(data.BudgetThreshold);
    const at = money(data.NotificationThresholdAmount);
    const spent = money(data.SpentAmount);
    const type = data.ThresholdType;
    if (typeof data.BudgetName !== "string" || budgetAmount === undefined || budgetAmount <= 0 || at === undefined || spent === undefined || (type !== "Actual" && type !== "Forecasted")) {
        return bad("BudgetName, BudgetThreshold, NotificationThresholdAmount, SpentAmount or ThresholdType is missing");
    }
    // A Forecasted alert carries the forecast beside the spend so far (ForecastedTotalForPeriod, in
    // Microsoft's "Forecasted Budget" sample payload): the amount is the forecast when present.
    const forecastTotal = type === "Forecasted" ? money(data.ForecastedTotalForPeriod) : undefined;
    return { ok: true, notification: { cloud: "azure", budget: data.BudgetName, forecast: type === "Forecasted", thresholdPercent: (at / budgetAmount) * 100, amount: forecastTotal ?? spent, budgetAmount } };
}
