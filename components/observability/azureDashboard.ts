import * as pulumi from "@pulumi/pulumi";
import * as dashboard from "@pulumi/azure-native/dashboard";
import { AZURE_REPLICA_HOURLY_USD } from "./replicaPrices";
import { AlertRule, dashboardPanels, MetricServer, Panel } from "./signals";

/**
 * The golden-signals dashboard of an Azure target as an "Azure Monitor dashboard with Grafana":
 * Grafana JSON held by Azure itself (Microsoft.Dashboard/dashboards and its definition), which the
 * portal renders over the Azure Monitor workspace's PromQL at no charge and with no Grafana
 * instance to run. Chosen over Azure Managed Grafana (Standard: an hourly instance fee plus a fee
 * per active user, for a dashboard nobody may open for days) and over the classic portal dashboard
 * (its metric tiles chart platform metrics, not PromQL over a workspace). Sources (read 2026-12-02):
 * learn.microsoft.com/azure/azure-monitor/visualize/visualize-grafana-overview ("no cost and no
 * configuration requirements"; "manage Grafana dashboards as native Azure resources").
 */

/** A panel of an Azure dashboard: a golden signal, or the cost rate (USD per hour). */
export interface AzurePanel {
    readonly title: string;
    readonly query: string;
    readonly unit: Panel["unit"] | "USD/h";
}

/** Grafana's unit ids for the panels' units. */
const GRAFANA_UNITS: Readonly<Record<AzurePanel["unit"], string>> = { "1": "short", s: "s", "1/s": "short", "USD/h": "currencyUSD" };

/**
 * Cost rate of the replicas answering scrapes, from the plan's catalog price of one replica's
 * capacity: `count(up)` counts the replicas the collector scrapes (answering or not: `up` is 0 for
 * a replica that fails its scrape, and it is still billed).
 */
export function costRatePanel(selector: string, usdPerReplicaHour: number, basis: string): AzurePanel {
    return {
        title: `Cost rate (USD/h: ${basis} at $${usdPerReplicaHour.toFixed(4)}/h per replica)`,
        query: `count(up{${selector}}) * ${usdPerReplicaHour}`,
        unit: "USD/h",
    };
}

/**
 * What one replica's VM costs an hour at the plan's catalog price (the pack's figure): spot with a
 * max price below on-demand at that price (the most Azure bills), else on-demand. Undefined when
 * the catalog has no price for the size there.
 */
export function azureReplicaHourlyPrice(c: { location: string; vmSize: string; spot: boolean; spotMaxPrice?: number }): { usd: number; basis: string } | undefined {
    const onDemand = AZURE_REPLICA_HOURLY_USD[c.location.replace(/\s+/g, "").toLowerCase()]?.[c.vmSize];
    if (onDemand === undefined) return undefined;
    if (c.spot && c.spotMaxPrice !== undefined && c.spotMaxPrice > 0 && c.spotMaxPrice < onDemand) {
        return { usd: c.spotMaxPrice, basis: `${c.vmSize} spot at its max price` };
    }
    return { usd: onDemand, basis: `${c.vmSize} on-demand` };
}

/** The panels of one Azure target's dashboard: the golden signals, then the cost rate. */
export function azureDashboardPanels(server: MetricServer, selector: string, cost: AzurePanel): AzurePanel[] {
    return [...dashboardPanels(server, selector), cost];
}

/** One panel of a Grafana dashboard: its title, unit, data source queries and any client-side transformations. */
export interface GrafanaPanel {
    readonly title: string;
    readonly unit: string;
    readonly targets: ReadonlyArray<Record<string, unknown>>;
    readonly transformations?: ReadonlyArray<unknown>;
}

/**
 * A Grafana dashboard's JSON around its panels, two a row: the data source is a template variable
 * of `source.type`, picked in the portal, so the dashboard names no data source of its own.
 */
export function grafanaDashboard(title: string, source: { readonly type: string; readonly label: string }, panels: ReadonlyArray<GrafanaPanel>): string {
    const datasource = { type: source.type, uid: "${datasource}" };
    return JSON.stringify({
        title,
        tags: ["llm-serving"],
        timezone: "utc",
        schemaVersion: 39,
        time: { from: "now-6h", to: "now" },
        refresh: "1m",
        templating: { list: [{ name: "datasource", label: source.label, type: "datasource", query: source.type }] },
        panels: panels.map((p, i) => ({
            id: i + 1,
            type: "timeseries",
            title: p.title,
            gridPos: { x: (i % 2) * 12, y: Math.floor(i / 2) * 8, w: 12, h: 8 },
            datasource,
            fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
            targets: p.targets.map(({ refId, ...query }) => ({ refId, datasource, ...query })),
            ...(p.transformations !== undefined ? { transformations: p.transformations } : {}),
        })),
    });
}

/** Grafana dashboard JSON over the Azure Monitor workspace's PromQL (pure; tests parse every query in it). */
export function grafanaDashboardJson(title: string, panels: ReadonlyArray<AzurePanel>): string {
    return grafanaDashboard(
        title,
        { type: "prometheus", label: "Azure Monitor workspace" },
        panels.map((p) => ({ title: p.title, unit: GRAFANA_UNITS[p.unit], targets: [{ refId: "A", expr: p.query }] })),
    );
}

/** One Prometheus rule of an Azure rule group from a shared alert (severity: 0 critical .. 4 verbose). */
export function azurePrometheusRule(rule: AlertRule, actionGroupIds: ReadonlyArray<string>) {
    return {
        alert: rule.id,
        expression: rule.expr,
        for: `PT${rule.forMinutes}M`,
        severity: rule.severity === "critical" ? 0 : 2,
        enabled: true,
        annotations: { summary: rule.summary, title: rule.title },
        resolveConfiguration: { autoResolved: true, timeToResolve: "PT10M" },
        actions: actionGroupIds.map((actionGroupId) => ({ actionGroupId })),
    };
}

/** Creates the dashboard and its Grafana definition (PromQL panels) in `resourceGroupName`. */
export function azureGrafanaDashboard(
    name: string,
    args: { resourceGroupName: pulumi.Input<string>; location: string; title: string; panels: ReadonlyArray<AzurePanel>; tags: Readonly<Record<string, string>> },
    opts: pulumi.CustomResourceOptions,
): dashboard.Dashboard {
    return azureGrafanaDashboardOf(name, { ...args, serializedData: grafanaDashboardJson(args.title, args.panels) }, opts);
}

/**
 * Creates the dashboard and its definition from Grafana JSON (which may name resources known only
 * at deployment, as the azureMl target's Azure Monitor queries do).
 */
export function azureGrafanaDashboardOf(
    name: string,
    args: { resourceGroupName: pulumi.Input<string>; location: string; serializedData: pulumi.Input<string>; tags: Readonly<Record<string, string>> },
    opts: pulumi.CustomResourceOptions,
): dashboard.Dashboard {
    // API versions: @pulumi/azure-native 3.28 ships the dashboard at 2024-11-01-preview and its
    // definition at 2025-09-01-preview only (their classes' "Uses Azure REST API version"); the GA
    // 2025-08-01 has no definition, and any other version of either needs a locally generated SDK
    // (`pulumi package add azure-native dashboard <version>`), which this offline build cannot make.
    // So the two cannot share a version yet; test/components/observability/azureDashboard.test.ts
    // fails when an upgrade changes either, to pin both to 2025-09-01-preview (or a GA with both) then.
    const board = new dashboard.Dashboard(`${name}-dashboard`, { resourceGroupName: args.resourceGroupName, location: args.location, tags: { ...args.tags } }, opts);
    new dashboard.DashboardDefinition(
        `${name}-dashboard-definition`,
        {
            resourceGroupName: args.resourceGroupName,
            dashboardName: board.name,
            // A fixed name: an autoname of this logical name would pass the 30 characters the API allows.
            definitionName: "golden-signals",
            properties: { serializedData: args.serializedData },
        },
        opts,
    );
    return board;
}
