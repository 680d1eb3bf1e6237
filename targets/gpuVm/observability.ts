import * as pulumi from "@pulumi/pulumi";
import * as alertsmanagement from "@pulumi/azure-native/alertsmanagement";
import * as authorization from "@pulumi/azure-native/authorization";
import * as monitor from "@pulumi/azure-native/monitor";
import { BUILTIN_ROLES, roleDefinitionId } from "../../components/azure/roles";
import { azureActionGroups } from "../../components/notify/azure";
import { azureDashboardPanels, azureGrafanaDashboard, AzurePanel, azurePrometheusRule, azureReplicaHourlyPrice, costRatePanel } from "../../components/observability/azureDashboard";
import { alertRules } from "../../components/observability/signals";
import { DEFAULT_OBSERVABILITY, ObservabilityConfig } from "../../config/observability";
import type { NotificationsConfig } from "../../config/notifications";
import { GpuVmConfig } from "./config";
import { ingestionUrl, PROMETHEUS_STREAM, vmMetricServer, VM_SELECTOR } from "./metrics";
import { isGpuSize } from "../../config/azure";

/**
 * Issue #18 on the single VM: an Azure Monitor workspace with its own data collection endpoint and
 * rule (the collector on the VM remote-writes to them, metrics.ts), the five alerts as a
 * Prometheus rule group on the workspace routed to the stack's action groups, and the dashboard;
 * on vLLM's names on GPU sizes, on llama.cpp's (started with --metrics) on CPU sizes.
 * One VM has nothing to autoscale: the alerts say when it is not enough.
 */

/** The dashboard's panels: the golden signals of the VM's server (vLLM, or llama.cpp on a CPU size) and the VM's cost rate. */
export function vmDashboardPanels(config: Pick<GpuVmConfig, "location" | "vmSize" | "spot" | "spotMaxPrice">): AzurePanel[] {
    const price = azureReplicaHourlyPrice(config);
    // The config schema admits only sizes the catalog prices (test/targets/priced.test.ts); a backstop.
    if (!price) throw new Error(`no catalog price for ${config.vmSize} in ${config.location}`);
    return azureDashboardPanels(vmMetricServer(isGpuSize(config.vmSize)), VM_SELECTOR, costRatePanel(VM_SELECTOR, price.usd, price.basis));
}

export interface VmObservabilityArgs {
    readonly config: GpuVmConfig;
    readonly resourceGroupName: pulumi.Input<string>;
    /** The VM's user-assigned identity: it publishes to the collection rule. */
    readonly identityPrincipalId: pulumi.Input<string>;
    readonly subscriptionId: pulumi.Input<string>;
    readonly observability?: ObservabilityConfig;
    readonly notifications?: NotificationsConfig;
    readonly tags: Readonly<Record<string, string>>;
}

/** Creates the workspace, the collection endpoint and rule, the publisher grant, the alerts and the dashboard; returns the ingestion URL and the grant. */
export function vmObservability(parent: pulumi.Resource, name: string, a: VmObservabilityArgs): { ingestionUrl: pulumi.Output<string>; publisher: authorization.RoleAssignment } {
    const opts = { parent };
    const { config, tags } = a;
    const obs = a.observability ?? DEFAULT_OBSERVABILITY;
    const location = config.location;
    const workspace = new monitor.AzureMonitorWorkspace(`${name}-amw`, { resourceGroupName: a.resourceGroupName, location, tags }, opts);
    const dce = new monitor.DataCollectionEndpoint(`${name}-dce`, { resourceGroupName: a.resourceGroupName, location, kind: "Linux", tags }, opts);
    const dcr = new monitor.DataCollectionRule(
        `${name}-dcr`,
        {
            resourceGroupName: a.resourceGroupName,
            location,
            kind: "Linux",
            dataCollectionEndpointId: dce.id,
            // The data source that declares the Microsoft-PrometheusMetrics stream the flow below
            // routes: without it the rule has no source for that stream and remote-written samples
            // are not forwarded. The same shape as the rule aksGpu's metrics add-on uses
            // (targets/aksGpu/observability.ts, the Azure docs' DCR for managed Prometheus).
            dataSources: { prometheusForwarder: [{ name: "PrometheusDataSource", streams: [PROMETHEUS_STREAM], labelIncludeFilter: {} }] },
            destinations: { monitoringAccounts: [{ name: "MonitoringAccount1", accountResourceId: workspace.id }] },
            dataFlows: [{ streams: [PROMETHEUS_STREAM], destinations: ["MonitoringAccount1"] }],
            tags,
        },
        opts,
    );
    // Remote write needs Monitoring Metrics Publisher on the rule (the remote-write docs' one grant).
    const publisher = new authorization.RoleAssignment(
        `${name}-metrics-publisher`,
        {
            principalId: a.identityPrincipalId,
            principalType: "ServicePrincipal",
            roleDefinitionId: roleDefinitionId(a.subscriptionId, BUILTIN_ROLES.monitoringMetricsPublisher),
            scope: dcr.id,
        },
        opts,
    );
    const actionGroups = azureActionGroups(`${name}-obs`, a.resourceGroupName, a.notifications, opts, { tags });
    new alertsmanagement.PrometheusRuleGroup(
        `${name}-alerts`,
        {
            resourceGroupName: a.resourceGroupName,
            location,
            scopes: [workspace.id],
            interval: "PT1M",
            enabled: true,
            description: `llm-serving ${name}: model-server alerts (issue #18)`,
            // The list is known at preview (the pack counts the rules); only each rule's actions wait for the groups.
            rules: alertRules(vmMetricServer(isGpuSize(config.vmSize)), VM_SELECTOR, obs).map((r) => ({ ...azurePrometheusRule(r, []), actions: actionGroups.apply((ids) => ids.map((actionGroupId) => ({ actionGroupId }))) })),
            tags,
        },
        opts,
    );
    azureGrafanaDashboard(name, { resourceGroupName: a.resourceGroupName, location, title: `llm-serving ${name}: LLM serving`, panels: vmDashboardPanels(config), tags }, opts);
    const url = pulumi
        .all([dce.metricsIngestion, dcr.immutableId])
        .apply(([ingestion, immutableId]) => ingestionUrl(ingestion?.endpoint ?? "", immutableId));
    return { ingestionUrl: url, publisher };
}
