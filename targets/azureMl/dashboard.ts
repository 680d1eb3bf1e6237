import platformMetrics from "../../components/observability/azurePlatformMetrics.data.json";
import { azureReplicaHourlyPrice, grafanaDashboard } from "../../components/observability/azureDashboard";
import { DEPLOYMENT_METRICS_NAMESPACE, ENDPOINT_METRICS_NAMESPACE } from "./alerts";

/**
 * Issue #18's dashboard for the azureMl target. A managed online endpoint has no /metrics page to
 * scrape and no Azure Monitor workspace: its signals are Azure Monitor PLATFORM metrics of the
 * endpoint, the deployment and the autoscale setting, collected without setup or charge. So the
 * dashboard is the same free "Azure Monitor dashboard with Grafana" (Microsoft.Dashboard) the other
 * Azure targets use, with Grafana's Azure Monitor data source instead of PromQL: Microsoft lists
 * Azure Monitor metrics among its data sources, and client-side transformations, which the cost
 * panel uses (learn.microsoft.com/azure/azure-monitor/visualize/visualize-grafana-overview, read
 * 2026-12-02). Not the classic portal dashboard (azure-native:portal:Dashboard): it is free too and
 * charts platform metrics, but its tiles cannot multiply a metric by a price, so it would show no
 * cost rate, and it would be a second dashboard type to price, name and check.
 *
 * What Azure ML does not expose is not faked: no queue depth, KV-cache or time-to-first-token
 * metric exists for an endpoint; GPU memory stands for KV-cache pressure (vLLM preallocates it),
 * GPU utilisation for saturation (the autoscale signal), request latency for end-to-end latency.
 */

export const AUTOSCALE_METRICS_NAMESPACE = "Microsoft.Insights/autoscalesettings";

/** Which resource a query reads. */
export type AmlMetricSource = "endpoint" | "deployment" | "autoscale";

export const AML_METRIC_NAMESPACES: Readonly<Record<AmlMetricSource, string>> = {
    endpoint: ENDPOINT_METRICS_NAMESPACE,
    deployment: DEPLOYMENT_METRICS_NAMESPACE,
    autoscale: AUTOSCALE_METRICS_NAMESPACE,
};

/** One platform-metric query of a panel. */
export interface AmlMetricQuery {
    readonly on: AmlMetricSource;
    readonly metric: string;
    readonly aggregation: "Average" | "Maximum" | "Minimum";
    /** A dimension to split the series by (a Grafana dimension filter with no values). */
    readonly splitBy?: string;
    /** The series' display name (Grafana alias; {{ dimensionvalue }} names a split series by its value); the cost transformation multiplies the field of this name. */
    readonly alias: string;
}

export interface AmlPanel {
    readonly title: string;
    /** Grafana unit id. */
    readonly unit: "short" | "ms" | "percent" | "currencyUSD";
    readonly queries: ReadonlyArray<AmlMetricQuery>;
    /** Cost panel: the first query's value times this price (USD per instance hour). */
    readonly usdPerInstanceHour?: number;
}

/** Names of the resources the queries read, resolved at deployment (the Grafana JSON needs them). */
export interface AmlDashboardScope {
    readonly subscription: string;
    readonly resourceGroup: string;
    readonly region: string;
    readonly workspace: string;
    readonly endpoint: string;
    readonly deployment: string;
    readonly autoscale: string;
}

const INSTANCES: AmlMetricQuery = { on: "autoscale", metric: "ObservedCapacity", aggregation: "Average", alias: "instances" };

/**
 * The panels: requests, errors (requests by status class: 4xx and 5xx are the errors), latency
 * p50/p95, GPU utilisation and memory, CPU, instances, and the cost rate. Instances are the
 * autoscale setting's ObservedCapacity (one series, the count it scales): the deployment's
 * DeploymentCapacity has a series per instance and no Sum aggregation to add them up.
 * The cost rate is instances x the catalog's hourly price of the instance type (managed online
 * endpoints bill the VM only; the pack prices the deployment the same way).
 */
export function amlDashboardPanels(c: { location: string; instanceType: string }): AmlPanel[] {
    const price = azureReplicaHourlyPrice({ location: c.location, vmSize: c.instanceType, spot: false });
    if (!price) throw new Error(`no catalog price for ${c.instanceType} in ${c.location}: the dashboard's cost rate has no figure`);
    return [
        { title: "Requests per minute", unit: "short", queries: [{ on: "endpoint", metric: "RequestsPerMinute", aggregation: "Average", alias: "requests/min" }] },
        {
            title: "Requests per minute by status class (errors: 4xx, 5xx)",
            unit: "short",
            queries: [{ on: "endpoint", metric: "RequestsPerMinute", aggregation: "Average", splitBy: "statusCodeClass", alias: "{{ dimensionvalue }}" }],
        },
        {
            title: "Request latency p50 / p95 (end to end)",
            unit: "ms",
            queries: [
                { on: "endpoint", metric: "RequestLatency_P50", aggregation: "Average", alias: "p50" },
                { on: "endpoint", metric: "RequestLatency_P95", aggregation: "Average", alias: "p95" },
            ],
        },
        { title: "GPU utilization (autoscale signal)", unit: "percent", queries: [{ on: "deployment", metric: "GpuUtilizationPercentage", aggregation: "Average", splitBy: "instanceId", alias: "{{ dimensionvalue }}" }] },
        { title: "GPU memory (vLLM's KV cache lives there)", unit: "percent", queries: [{ on: "deployment", metric: "GpuMemoryUtilizationPercentage", aggregation: "Maximum", splitBy: "instanceId", alias: "{{ dimensionvalue }}" }] },
        { title: "CPU utilization", unit: "percent", queries: [{ on: "deployment", metric: "CpuUtilizationPercentage", aggregation: "Average", splitBy: "instanceId", alias: "{{ dimensionvalue }}" }] },
        { title: "Instances", unit: "short", queries: [INSTANCES] },
        { title: `Cost rate (USD/h: ${price.basis} at $${price.usd.toFixed(4)}/h per instance)`, unit: "currencyUSD", queries: [INSTANCES], usdPerInstanceHour: price.usd },
    ];
}

/** The resource a source's metrics belong to, as Grafana names it (nested names joined by "/"). */
export function amlResourceName(on: AmlMetricSource, s: AmlDashboardScope): string {
    if (on === "endpoint") return `${s.workspace}/${s.endpoint}`;
    if (on === "deployment") return `${s.workspace}/${s.endpoint}/${s.deployment}`;
    return s.autoscale;
}

/** Every metric name a panel list reads, by namespace (what the metric-names test checks). */
export function amlPanelMetrics(panels: ReadonlyArray<AmlPanel>): Array<{ namespace: string; metric: string; splitBy?: string }> {
    return panels.flatMap((p) => p.queries.map((q) => ({ namespace: AML_METRIC_NAMESPACES[q.on], metric: q.metric, splitBy: q.splitBy })));
}

/** Metrics (and split dimensions) that the provenance list does not have for their namespace. */
export function unknownPlatformMetrics(reads: ReadonlyArray<{ namespace: string; metric: string; splitBy?: string }>): string[] {
    const known = platformMetrics.namespaces as Record<string, { metrics: Record<string, string[]> }>;
    const out: string[] = [];
    for (const r of reads) {
        const dims = known[r.namespace]?.metrics[r.metric];
        if (!dims) out.push(`${r.namespace}:${r.metric}`);
        else if (r.splitBy && !dims.includes(r.splitBy)) out.push(`${r.namespace}:${r.metric} by ${r.splitBy}`);
    }
    return out;
}

/**
 * Grafana dashboard JSON over Azure Monitor platform metrics (pure). Each query names its resource
 * by subscription, group, namespace and name, as Grafana's Azure Monitor data source builds the
 * metrics URL from them (nested names interleaved with the namespace's types). The data source is
 * a template variable: the portal supplies its Azure Monitor source, with the viewer's own access.
 */
export function amlGrafanaDashboardJson(title: string, panels: ReadonlyArray<AmlPanel>, scope: AmlDashboardScope): string {
    return grafanaDashboard(
        title,
        { type: "grafana-azure-monitor-datasource", label: "Azure Monitor" },
        panels.map((p) => ({
            title: p.title,
            unit: p.unit,
            targets: p.queries.map((q, j) => ({
                refId: String.fromCharCode(65 + j),
                queryType: "Azure Monitor",
                subscription: scope.subscription,
                azureMonitor: {
                    resources: [{ subscription: scope.subscription, resourceGroup: scope.resourceGroup, metricNamespace: AML_METRIC_NAMESPACES[q.on], resourceName: amlResourceName(q.on, scope), region: scope.region }],
                    metricNamespace: AML_METRIC_NAMESPACES[q.on],
                    metricName: q.metric,
                    aggregation: q.aggregation,
                    timeGrain: "auto",
                    dimensionFilters: q.splitBy ? [{ dimension: q.splitBy, operator: "eq", filters: [] }] : [],
                    alias: q.alias,
                },
            })),
            // Grafana's calculateField transformation (client side): instances x price, replacing the series.
            transformations:
                p.usdPerInstanceHour === undefined
                    ? []
                    : [{ id: "calculateField", options: { mode: "binary", binary: { left: p.queries[0].alias, operator: "*", right: String(p.usdPerInstanceHour) }, alias: "USD/h", replaceFields: true } }],
        })),
    );
}
