import * as pulumi from "@pulumi/pulumi";
import * as alertsmanagement from "@pulumi/azure-native/alertsmanagement";
import * as authorization from "@pulumi/azure-native/authorization";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as monitor from "@pulumi/azure-native/monitor";
import { CustomResource } from "@pulumi/kubernetes/apiextensions";
import { DEFAULT_OBSERVABILITY, ObservabilityConfig, targetInFlight } from "../../config/observability";
import type { NotificationsConfig } from "../../config/notifications";
import { azureActionGroups } from "../../components/notify/azure";
import { BUILTIN_ROLES, roleDefinitionId } from "../../components/azure/roles";
import { inFlightScaledObject, ScaledObjectSpec } from "../../components/observability/keda";
import { alertRules, MetricServer } from "../../components/observability/signals";
import { azureDashboardPanels, azureGrafanaDashboard, AzurePanel, azurePrometheusRule, azureReplicaHourlyPrice, costRatePanel } from "../../components/observability/azureDashboard";

// Shared with gpuVm's rule group (components/observability/azureDashboard.ts); its tests import it from here.
export { azurePrometheusRule };
import { POD_SCRAPE_INTERVAL_SECONDS } from "../../components/observability/podMonitoring";
import { MODEL_PORT_NAME, selectorLabels } from "../../components/k8s/modelServer";
import { serviceAccountSubject, WORKLOAD_IDENTITY_AUDIENCE } from "./acme";
import { aksCapacity } from "./capacity";
import { AksGpuConfig } from "./config";

/**
 * Issue #18 on AKS: Azure Monitor managed Prometheus collects the model pods' /metrics inside the
 * cluster (the public path stays the route guard's `/v1/`), five Prometheus alert rules watch them
 * and notify the stack's action groups, and AKS's managed KEDA add-on scales the model Deployment
 * on requests in flight per replica, queried from the same workspace.
 */

/**
 * Cluster settings the metrics add-on (ama-metrics) and the managed KEDA add-on need; the OIDC
 * issuer and workload identity let KEDA's operator sign in to the workspace without a secret.
 */
export function clusterObservabilityProfile() {
    return {
        azureMonitorProfile: { metrics: { enabled: true } },
        workloadAutoScalerProfile: { keda: { enabled: true } },
        oidcIssuerProfile: { enabled: true },
        securityProfile: { workloadIdentity: { enabled: true } },
    };
}

/** The managed KEDA add-on's operator service account (it makes the scaler's queries). */
export const KEDA_OPERATOR_SERVICE_ACCOUNT = { namespace: "kube-system", name: "keda-operator" } as const;

/** Azure Monitor managed Prometheus's PodMonitor (ama-metrics reads azmonitoring.coreos.com). */
export function azurePodMonitor(app: string, namespace: string, labels?: Readonly<Record<string, string>>) {
    return {
        apiVersion: "azmonitoring.coreos.com/v1",
        kind: "PodMonitor",
        metadata: { name: `${app}-metrics`, namespace, ...(labels ? { labels: { ...labels } } : {}) },
        spec: {
            selector: { matchLabels: selectorLabels(app) },
            podMetricsEndpoints: [{ port: MODEL_PORT_NAME, path: "/metrics", interval: `${POD_SCRAPE_INTERVAL_SECONDS}s` }],
        },
    } as const;
}

/** PromQL selector of what the PodMonitor collects (ama-metrics sets job to podMonitor/<ns>/<name>... only on request; namespace and pod labels are always there). */
export function azurePodMonitorSelector(app: string, namespace: string): string {
    return `namespace="${namespace}",pod=~"${app}-.*"`;
}

/**
 * Replicas KEDA may set on the main Deployment: from its configured replicas up to what the pools
 * can hold beyond the on-demand floor's replicas: one replica per GPU node (each takes every GPU of
 * its node), `podsPerNode` per node of llama.cpp's CPU pool. The pack prices the pools at their
 * maximum, so this never asks for more.
 */
export function scaledReplicaBounds(config: Pick<AksGpuConfig, "replicas" | "nodes" | "onDemandBase" | "onDemandFallback">, podsPerNode = 1): { min: number; max: number } {
    const cap = aksCapacity(config);
    const floor = cap.onDemand ? config.onDemandBase : 0;
    const min = config.replicas - floor;
    const max = config.nodes.max * podsPerNode - floor;
    return { min, max: Math.max(min, max) };
}

/**
 * What the AKS target's model server is, for its metrics: vLLM on the GPU pool, or llama.cpp on
 * the CPU pool (`serverKind: llamacpp`) with its pool's size, pods per node and `--parallel` slots.
 */
export type AksModelServer =
    | { readonly kind: "vllm"; readonly accelerator: string | undefined }
    | { readonly kind: "llamacpp"; readonly vmSize: string; readonly podsPerNode: number; readonly parallel: number };

/** The metrics build of the server (metrics.data.json). */
export function metricServerOf(s: AksModelServer): MetricServer {
    return s.kind === "llamacpp" ? "llamacpp" : "vllm";
}

/**
 * Requests in flight per replica KEDA aims for, unless the stack sets one: vLLM's from its
 * accelerator's throughput figure (config/observability.ts); llama.cpp's is its `--parallel` slots,
 * so a replica scales out once every slot is busy and requests start to wait (llama-server defers
 * a request when no slot is free; the measured setting, 2 slots, gives 6.16 tokens/s in all).
 */
export function aksTargetInFlight(obs: ObservabilityConfig, s: AksModelServer): number {
    if (s.kind === "vllm") return targetInFlight(obs, s.accelerator);
    return obs.targetInFlightPerReplica ?? s.parallel;
}

/**
 * The dashboard's panels: the server's golden signals over the model pods, and the cost rate of
 * their nodes: for vLLM one replica per GPU node, so replicas scraped = GPU nodes serving; for
 * llama.cpp a CPU node's price shared by the pods it holds (on-demand: the CPU pool is never spot).
 * The system pool and the cluster fee are not in it.
 */
export function aksDashboardPanels(
    config: Pick<AksGpuConfig, "location" | "vmSize" | "spot" | "spotMaxPrice" | "namespace">,
    app: string,
    server: AksModelServer = { kind: "vllm", accelerator: undefined },
): AzurePanel[] {
    const selector = azurePodMonitorSelector(app, config.namespace);
    const node = server.kind === "llamacpp" ? { location: config.location, vmSize: server.vmSize, spot: false } : config;
    const price = azureReplicaHourlyPrice(node);
    // The config schema admits only sizes the catalog prices (test/targets/priced.test.ts); a backstop.
    if (!price) throw new Error(`no catalog price for ${node.vmSize} in ${config.location}`);
    if (server.kind === "llamacpp") {
        const perPod = price.usd / server.podsPerNode;
        return azureDashboardPanels("llamacpp", selector, costRatePanel(selector, perPod, `CPU nodes, ${price.basis}, ${server.podsPerNode} pod(s) each`));
    }
    return azureDashboardPanels("vllm", selector, costRatePanel(selector, price.usd, `GPU nodes, ${price.basis}`));
}

/** The KEDA TriggerAuthentication: the operator's workload identity, federated to `clientId`. */
export function workloadIdentityTriggerAuth(name: string, namespace: string, clientId: string, labels?: Readonly<Record<string, string>>) {
    return {
        apiVersion: "keda.sh/v1alpha1",
        kind: "TriggerAuthentication",
        metadata: { name, namespace, ...(labels ? { labels: { ...labels } } : {}) },
        spec: { podIdentity: { provider: "azure-workload", identityId: clientId } },
    } as const;
}

export interface AksObservabilityArgs {
    readonly config: AksGpuConfig;
    readonly app: string;
    /** The main (spot-preferring) Deployment KEDA scales. */
    readonly deployment: string;
    readonly resourceGroupName: pulumi.Input<string>;
    readonly clusterId: pulumi.Input<string>;
    readonly clusterName: pulumi.Input<string>;
    readonly oidcIssuerUrl: pulumi.Input<string>;
    /** The model server the pods run (vLLM, or llama.cpp in the CPU mode). */
    readonly server: AksModelServer;
    readonly observability?: ObservabilityConfig;
    readonly notifications?: NotificationsConfig;
    readonly tags: Readonly<Record<string, string>>;
    readonly k8sOpts: pulumi.CustomResourceOptions;
    readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

/** Creates the workspace, its collection rule, the alert rules, and KEDA's objects; returns the ScaledObject it applied. */
export function aksObservability(parent: pulumi.Resource, name: string, a: AksObservabilityArgs): ScaledObjectSpec {
    const opts = { parent };
    const obs = a.observability ?? DEFAULT_OBSERVABILITY;
    const { config, tags } = a;
    const workspace = new monitor.AzureMonitorWorkspace(`${name}-amw`, { resourceGroupName: a.resourceGroupName, location: config.location, tags }, opts);
    // What the AKS docs create when the metrics add-on is enabled from the API: a Linux DCE and a
    // DCR forwarding the Microsoft-PrometheusMetrics stream to the workspace, associated with the cluster.
    const dce = new monitor.DataCollectionEndpoint(`${name}-dce`, { resourceGroupName: a.resourceGroupName, location: config.location, kind: "Linux", tags }, opts);
    const dcr = new monitor.DataCollectionRule(
        `${name}-dcr`,
        {
            resourceGroupName: a.resourceGroupName,
            location: config.location,
            kind: "Linux",
            dataCollectionEndpointId: dce.id,
            dataSources: { prometheusForwarder: [{ name: "PrometheusDataSource", streams: ["Microsoft-PrometheusMetrics"], labelIncludeFilter: {} }] },
            destinations: { monitoringAccounts: [{ name: "MonitoringAccount1", accountResourceId: workspace.id }] },
            dataFlows: [{ streams: ["Microsoft-PrometheusMetrics"], destinations: ["MonitoringAccount1"] }],
            tags,
        },
        opts,
    );
    new monitor.DataCollectionRuleAssociation(`${name}-dcra`, { resourceUri: a.clusterId, associationName: "ContainerInsightsMetricsExtension", dataCollectionRuleId: dcr.id }, opts);

    const pm = azurePodMonitor(a.app, config.namespace, tags);
    new CustomResource(`${name}-pod-monitor`, { ...pm, metadata: { ...pm.metadata }, spec: pm.spec as unknown as Record<string, unknown> }, { ...a.k8sOpts, dependsOn: a.dependsOn });

    const selector = azurePodMonitorSelector(a.app, config.namespace);
    const actionGroups = azureActionGroups(`${name}-obs`, a.resourceGroupName, a.notifications, opts, { tags });
    new alertsmanagement.PrometheusRuleGroup(
        `${name}-alerts`,
        {
            resourceGroupName: a.resourceGroupName,
            location: config.location,
            clusterName: a.clusterName,
            scopes: [workspace.id, a.clusterId],
            interval: "PT1M",
            enabled: true,
            description: `llm-serving ${name}: model-server alerts (issue #18)`,
            // The list is known at preview (the pack counts the rules); only each rule's actions wait for the groups.
            rules: alertRules(metricServerOf(a.server), selector, obs).map((r) => ({ ...azurePrometheusRule(r, []), actions: actionGroups.apply((ids) => ids.map((actionGroupId) => ({ actionGroupId }))) })),
            tags,
        },
        opts,
    );

    azureGrafanaDashboard(name, { resourceGroupName: a.resourceGroupName, location: config.location, title: `llm-serving ${name}: LLM serving`, panels: aksDashboardPanels(config, a.app, a.server), tags }, opts);

    // KEDA's operator queries the workspace as a user-assigned identity federated with its service account.
    const identity = new managedidentity.UserAssignedIdentity(`${name}-keda`, { resourceGroupName: a.resourceGroupName, location: config.location, tags }, opts);
    const federation = new managedidentity.FederatedIdentityCredential(
        `${name}-keda`,
        {
            resourceGroupName: a.resourceGroupName,
            resourceName: identity.name,
            federatedIdentityCredentialResourceName: "keda-operator",
            issuer: a.oidcIssuerUrl,
            subject: serviceAccountSubject(KEDA_OPERATOR_SERVICE_ACCOUNT.namespace, KEDA_OPERATOR_SERVICE_ACCOUNT.name),
            audiences: [WORKLOAD_IDENTITY_AUDIENCE],
        },
        opts,
    );
    const reader = new authorization.RoleAssignment(
        `${name}-keda-reader`,
        {
            principalId: identity.principalId,
            principalType: "ServicePrincipal",
            roleDefinitionId: authorization.getClientConfigOutput(opts).subscriptionId.apply((sub) => roleDefinitionId(sub, BUILTIN_ROLES.monitoringDataReader)),
            scope: workspace.id,
        },
        opts,
    );
    const authName = `${a.app}-prometheus`;
    const auth = identity.clientId.apply((clientId) => workloadIdentityTriggerAuth(authName, config.namespace, clientId, tags));
    const triggerAuth = new CustomResource(
        `${name}-keda-auth`,
        { apiVersion: "keda.sh/v1alpha1", kind: "TriggerAuthentication", metadata: { name: authName, namespace: config.namespace, labels: { ...tags } }, spec: auth.spec },
        { ...a.k8sOpts, dependsOn: [...a.dependsOn, federation, reader] },
    );
    const bounds = scaledReplicaBounds(config, a.server.kind === "llamacpp" ? a.server.podsPerNode : 1);
    const scaled = inFlightScaledObject({
        name: a.deployment,
        namespace: config.namespace,
        deployment: a.deployment,
        server: metricServerOf(a.server),
        selector,
        minReplicas: bounds.min,
        maxReplicas: bounds.max,
        targetInFlightPerReplica: aksTargetInFlight(obs, a.server),
        serverAddress: "https://placeholder.invalid",
        authenticationRef: authName,
        labels: tags,
    });
    const trigger = scaled.spec.triggers[0];
    new CustomResource(
        `${name}-scaled-object`,
        {
            apiVersion: scaled.apiVersion,
            kind: scaled.kind,
            metadata: scaled.metadata,
            spec: {
                ...scaled.spec,
                triggers: [{ ...trigger, metadata: { ...trigger.metadata, serverAddress: workspace.metrics.apply((m) => m?.prometheusQueryEndpoint ?? "") } }],
            },
        },
        { ...a.k8sOpts, dependsOn: [...a.dependsOn, triggerAuth] },
    );
    return scaled;
}
