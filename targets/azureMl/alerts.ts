import * as pulumi from "@pulumi/pulumi";
import * as monitor from "@pulumi/azure-native/monitor";
import { DEFAULT_OBSERVABILITY, ObservabilityConfig } from "../../config/observability";
import type { NotificationsConfig } from "../../config/notifications";
import { azureActionGroups } from "../../components/notify/azure";

/**
 * Issue #18 on Azure ML: a managed online endpoint exposes no model-server /metrics to scrape; Azure
 * Monitor collects its platform metrics without setup. These metric alerts watch them and notify
 * the stack's action groups. Names from Azure Monitor's supported-metrics reference
 * (learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/, pages
 * microsoft-machinelearningservices-workspaces-onlineendpoints-deployments-metrics and
 * ...-onlineendpoints-metrics). No queue-depth or time-to-first-token metric exists there: GPU
 * utilization stands for saturation (it is also what the autoscale setting scales on), GPU memory
 * for KV-cache pressure, request latency (whole request, milliseconds) for latency.
 */
export const DEPLOYMENT_METRICS_NAMESPACE = "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments";
export const ENDPOINT_METRICS_NAMESPACE = "Microsoft.MachineLearningServices/workspaces/onlineEndpoints";

/** The platform metrics the alerts name, per resource (what the metric-names test checks). */
export const AML_METRICS = {
    deployment: ["DeploymentCapacity", "GpuUtilizationPercentage", "GpuMemoryUtilizationPercentage"],
    endpoint: ["RequestLatency"],
} as const;

export interface AmlAlert {
    readonly id: "no-healthy-instance" | "gpu-saturated" | "gpu-memory-full" | "request-latency";
    readonly on: "deployment" | "endpoint";
    readonly metricName: string;
    readonly operator: "GreaterThan" | "LessThan";
    readonly threshold: number;
    readonly timeAggregation: "Average" | "Minimum" | "Maximum";
    readonly windowMinutes: number;
    readonly severity: 0 | 2;
    readonly description: string;
}

/**
 * The alerts, from the stack's thresholds. Latency: a whole request (prompt and answer) of up to
 * max tokens, so the page fires at 10x the time-to-first-token target, averaged over 15 minutes.
 */
export function amlAlerts(t: ObservabilityConfig = DEFAULT_OBSERVABILITY): AmlAlert[] {
    return [
        { id: "no-healthy-instance", on: "deployment", metricName: "DeploymentCapacity", operator: "LessThan", threshold: 1, timeAggregation: "Minimum", windowMinutes: 5, severity: 0, description: "No instance of the deployment is running: the endpoint serves nothing." },
        { id: "gpu-saturated", on: "deployment", metricName: "GpuUtilizationPercentage", operator: "GreaterThan", threshold: 95, timeAggregation: "Average", windowMinutes: Math.max(5, t.queueMinutes), severity: 2, description: "GPUs above 95% on average: requests queue; autoscale is at its maximum or not keeping up." },
        { id: "gpu-memory-full", on: "deployment", metricName: "GpuMemoryUtilizationPercentage", operator: "GreaterThan", threshold: Math.round(t.kvCacheUsage * 100), timeAggregation: "Maximum", windowMinutes: 5, severity: 2, description: `GPU memory above ${Math.round(t.kvCacheUsage * 100)}% on an instance (vLLM's KV cache lives there).` },
        { id: "request-latency", on: "endpoint", metricName: "RequestLatency", operator: "GreaterThan", threshold: t.ttftP95Seconds * 10 * 1000, timeAggregation: "Average", windowMinutes: 15, severity: 2, description: `Average request latency above ${t.ttftP95Seconds * 10} s for 15 minutes.` },
    ];
}

/** One MetricAlert's inputs (single resource, one static criterion). */
export function metricAlertArgs<S>(a: AmlAlert, scope: S, actionGroupIds: ReadonlyArray<string>) {
    return {
        location: "global",
        description: a.description,
        severity: a.severity,
        enabled: true,
        scopes: [scope],
        evaluationFrequency: "PT1M",
        windowSize: `PT${a.windowMinutes}M`,
        autoMitigate: true,
        targetResourceType: a.on === "deployment" ? DEPLOYMENT_METRICS_NAMESPACE : ENDPOINT_METRICS_NAMESPACE,
        criteria: {
            odataType: "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria" as const,
            allOf: [
                {
                    criterionType: "StaticThresholdCriterion" as const,
                    name: a.id,
                    metricName: a.metricName,
                    metricNamespace: a.on === "deployment" ? DEPLOYMENT_METRICS_NAMESPACE : ENDPOINT_METRICS_NAMESPACE,
                    operator: a.operator,
                    threshold: a.threshold,
                    timeAggregation: a.timeAggregation,
                },
            ],
        },
        actions: actionGroupIds.map((actionGroupId) => ({ actionGroupId })),
    };
}

export interface AmlAlertsArgs {
    readonly resourceGroupName: pulumi.Input<string>;
    readonly endpointId: pulumi.Input<string>;
    readonly deploymentId: pulumi.Input<string>;
    readonly observability?: ObservabilityConfig;
    readonly notifications?: NotificationsConfig;
    readonly tags: Readonly<Record<string, string>>;
}

export function azureMlAlerts(parent: pulumi.Resource, name: string, a: AmlAlertsArgs): void {
    const opts = { parent };
    const groups = azureActionGroups(`${name}-obs`, a.resourceGroupName, a.notifications, opts, { tags: a.tags });
    for (const alert of amlAlerts(a.observability)) {
        const scope = alert.on === "deployment" ? a.deploymentId : a.endpointId;
        const args = metricAlertArgs(alert, scope, []);
        new monitor.MetricAlert(
            `${name}-${alert.id}`,
            { ...args, resourceGroupName: a.resourceGroupName, actions: groups.apply((ids) => ids.map((actionGroupId) => ({ actionGroupId }))), tags: { ...a.tags } },
            opts,
        );
    }
}
