import { MODEL_PORT_NAME, selectorLabels } from "../k8s/modelServer";

/**
 * Google Managed Prometheus's managed collection (on by default in GKE Standard clusters since
 * 1.27) scrapes pods a PodMonitoring selects. This one selects the model-server pods and scrapes
 * vLLM's /metrics on the pod's model port, inside the cluster: the public path stays the route
 * guard's `/v1/` only. Every series carries `job` = this object's name and its `namespace`,
 * which the alert and dashboard selectors use (podMonitoringSelector).
 */
export interface PodMonitoringObject {
    readonly apiVersion: "monitoring.googleapis.com/v1";
    readonly kind: "PodMonitoring";
    readonly metadata: { readonly name: string; readonly namespace: string; readonly labels?: Record<string, string> };
    readonly spec: {
        readonly selector: { readonly matchLabels: Record<string, string> };
        readonly endpoints: ReadonlyArray<{ readonly port: string; readonly path: string; readonly interval: string }>;
    };
}

/** Seconds between scrapes (the same as the gcpSpotL4 collector's, so samples price alike). */
export const POD_SCRAPE_INTERVAL_SECONDS = 30;

export function modelPodMonitoring(app: string, namespace: string, labels?: Readonly<Record<string, string>>): PodMonitoringObject {
    return {
        apiVersion: "monitoring.googleapis.com/v1",
        kind: "PodMonitoring",
        metadata: { name: `${app}-metrics`, namespace, ...(labels ? { labels: { ...labels } } : {}) },
        spec: {
            selector: { matchLabels: selectorLabels(app) },
            endpoints: [{ port: MODEL_PORT_NAME, path: "/metrics", interval: `${POD_SCRAPE_INTERVAL_SECONDS}s` }],
        },
    };
}

/** PromQL selector of what a PodMonitoring collects. */
export function podMonitoringSelector(pm: PodMonitoringObject): string {
    return `namespace="${pm.metadata.namespace}",job="${pm.metadata.name}"`;
}
