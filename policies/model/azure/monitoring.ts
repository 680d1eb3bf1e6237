// What the stack's Azure Monitor observability costs (issue #18; targets/aksGpu/observability.ts).
// - An Azure Monitor workspace bills the Prometheus samples ingested into it ($0.16 per 10 million,
//   i.e. $0.016 per million) and the samples its queries process; it bills nothing for existing. It
//   carries the ingestion line, at the stack's usage.metricSamplesMillions (the samples one target's
//   collectors write, as on GCP).
// - A Prometheus rule group bills no fee per rule: its evaluations are queries, billed per sample
//   processed ($0.001 per 10 million). Each rule here aggregates one replica set's series once a
//   minute; 1,000 samples processed per evaluation is an assumption stated on the line.
// - Data collection endpoints, rules and associations bill nothing themselves: the samples they
//   forward are billed on the workspace. Known, $0 by knowledge.
// - A metric alert rule bills per time series it monitors ($0.10 a month each); each rule here
//   watches one metric of one resource without dimensions, so one series per criterion.
// - An Azure Monitor dashboard with Grafana (Microsoft.Dashboard/dashboards and its definition)
//   bills nothing: "no cost and no configuration requirements"
//   (learn.microsoft.com/azure/azure-monitor/visualize/visualize-grafana-overview, read 2026-12-02).
//   Its queries read the workspace and are billed there as query samples, like any PromQL query;
//   a dashboard nobody opens queries nothing, so no usage line is assumed for it. Known, $0.
//   (Azure Managed Grafana, Microsoft.Dashboard/grafana, is billed per instance hour and active
//   user; the stacks use none, so it stays unknown to the pack and would fail closed.)
// Figures: azure.microsoft.com/pricing/details/monitor/ (Metrics: managed Prometheus ingestion and
// query; Alert rules: metric alerts per time series). The stored pages read here did not show them:
// unverified (policies/cost/catalog.ts).
import { usagePrice } from "../../cost/catalog";
import { StackIndex } from "../../cost/graph";
import { Sink } from "../../cost/pricing";
import { ruleEvaluationLine } from "../../cost/ruleEvaluations";
import { Kind } from "../kind";
import { readArray } from "../read";

export const AZURE_MONITORING = {
    workspace: "azure-native:monitor:AzureMonitorWorkspace",
    dataCollectionEndpoint: "azure-native:monitor:DataCollectionEndpoint",
    dataCollectionRule: "azure-native:monitor:DataCollectionRule",
    dataCollectionRuleAssociation: "azure-native:monitor:DataCollectionRuleAssociation",
    prometheusRuleGroup: "azure-native:alertsmanagement:PrometheusRuleGroup",
    metricAlert: "azure-native:monitor:MetricAlert",
    /** The v1 SDK's token for the same resource (still an alias of it). */
    metricAlertV1: "azure-native:insights:MetricAlert",
    grafanaDashboard: "azure-native:dashboard:Dashboard",
    grafanaDashboardDefinition: "azure-native:dashboard:DashboardDefinition",
} as const;

function priceWorkspaces(index: StackIndex, sink: Sink): void {
    const u = usagePrice("azure-prometheus-samples");
    for (const w of index.ofType(AZURE_MONITORING.workspace)) {
        sink.usageLine(w, {
            sku: u.name,
            region: "global",
            quantity: sink.usage.metricSamplesMillions,
            unitUsd: u.usd,
            unit: "million samples",
            basis: "managed Prometheus samples the target's ama-metrics pods write (usage.metricSamplesMillions); the workspace itself is free",
        });
    }
}

function priceRuleGroups(index: StackIndex, sink: Sink): void {
    const u = usagePrice("azure-prometheus-query-samples");
    for (const g of index.ofType(AZURE_MONITORING.prometheusRuleGroup)) {
        const rules = readArray(g.props, ["rules"]);
        if (sink.unusable(g, rules, "rules")) continue;
        const n = rules.state === "known" ? rules.value.length : 1;
        sink.usageLine(g, ruleEvaluationLine(n, u, "global", "million samples processed"));
    }
}

function priceMetricAlerts(index: StackIndex, sink: Sink): void {
    const u = usagePrice("azure-metric-alert-series");
    for (const a of [...index.ofType(AZURE_MONITORING.metricAlert), ...index.ofType(AZURE_MONITORING.metricAlertV1)]) {
        const criteria = readArray(a.props, ["criteria", "allOf"]);
        if (sink.unusable(a, criteria, "criteria.allOf")) continue;
        const n = criteria.state === "known" ? criteria.value.length : 1;
        sink.usageLine(a, {
            sku: u.name,
            region: "global",
            quantity: n,
            unitUsd: u.usd,
            unit: "time series monitored a month",
            basis: `${n} criterion(s), one series each (no dimensions)`,
        });
    }
}

export const AZURE_MONITORING_KINDS: ReadonlyArray<Kind> = [
    { name: "azure-monitor-workspace", provider: "azure", types: [AZURE_MONITORING.workspace], price: priceWorkspaces },
    {
        name: "azure-data-collection",
        provider: "azure",
        types: [AZURE_MONITORING.dataCollectionEndpoint, AZURE_MONITORING.dataCollectionRule, AZURE_MONITORING.dataCollectionRuleAssociation],
    },
    { name: "azure-prometheus-rule-group", provider: "azure", types: [AZURE_MONITORING.prometheusRuleGroup], price: priceRuleGroups },
    { name: "azure-grafana-dashboard", provider: "azure", types: [AZURE_MONITORING.grafanaDashboard, AZURE_MONITORING.grafanaDashboardDefinition] },
    { name: "azure-metric-alert", provider: "azure", types: [AZURE_MONITORING.metricAlert, AZURE_MONITORING.metricAlertV1], price: priceMetricAlerts },
];
