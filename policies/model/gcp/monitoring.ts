// What the stack's GCP alerting and dashboards cost (components/observability/gcp.ts).
// - An alerting policy bills per condition ($1.50/month each) and per time series its condition
//   queries return ($0.35 per million): each condition here is PromQL aggregated to one series,
//   evaluated once a minute, so 43,800 series a month per condition (an assumption stated on the line).
// - A dashboard bills nothing itself (Cloud Monitoring lists no dashboard charge,
//   cloud.google.com/stackdriver/pricing); the dashboard stands for the target's metrics collection,
//   so it carries the Managed Prometheus ingestion line, at the stack's usage.metricSamplesMillions.
import { fee, usagePrice } from "../../cost/catalog";
import { StackIndex } from "../../cost/graph";
import { Sink } from "../../cost/pricing";
import { MINUTES_PER_MONTH } from "../../cost/types";
import { Kind } from "../kind";
import { readArray } from "../read";

export const GCP_MONITORING = {
    alertPolicy: "gcp:monitoring/alertPolicy:AlertPolicy",
    dashboard: "gcp:monitoring/dashboard:Dashboard",
} as const;

/** PromQL conditions evaluated once a minute, one series each: evaluations in a 730-hour month. */
export const SERIES_PER_CONDITION_MONTH = MINUTES_PER_MONTH;

function priceAlertPolicies(index: StackIndex, sink: Sink): void {
    const f = fee("gcp-alert-condition");
    const u = usagePrice("gcp-alert-time-series");
    for (const p of index.ofType(GCP_MONITORING.alertPolicy)) {
        const conditions = readArray(p.props, ["conditions"]);
        if (sink.unusable(p, conditions, "alert conditions")) continue;
        const n = conditions.state === "known" ? conditions.value.length : 1;
        sink.line(p, { kind: "fixed", sku: f.name, region: "global", countMin: n, countMax: n, hourlyUsd: f.hourlyUsd, pricing: "fee", basis: `${n} alerting-policy condition(s), $1.50/month each` });
        sink.usageLine(p, {
            sku: u.name,
            region: "global",
            quantity: (n * SERIES_PER_CONDITION_MONTH) / 1_000_000,
            unitUsd: u.usd,
            unit: "million series",
            basis: `time series returned: ${n} condition(s) x 1 aggregated series x ${SERIES_PER_CONDITION_MONTH.toLocaleString("en-US")} one-minute evaluations a month (assumed)`,
        });
    }
}

function priceDashboards(index: StackIndex, sink: Sink): void {
    const u = usagePrice("gcp-prometheus-samples");
    for (const d of index.ofType(GCP_MONITORING.dashboard)) {
        sink.usageLine(d, {
            sku: u.name,
            region: "global",
            quantity: sink.usage.metricSamplesMillions,
            unitUsd: u.usd,
            unit: "million samples",
            basis: "Managed Prometheus samples the target's collectors write (usage.metricSamplesMillions); the dashboard itself is free",
        });
    }
}

export const GCP_MONITORING_KINDS: ReadonlyArray<Kind> = [
    { name: "gcp-alert-policy", provider: "gcp", types: [GCP_MONITORING.alertPolicy], price: priceAlertPolicies },
    { name: "gcp-dashboard", provider: "gcp", types: [GCP_MONITORING.dashboard], price: priceDashboards },
];
