import { AlertThresholds } from "../../components/observability/signals";

/**
 * gkeL4 scales the model Deployment on vLLM's own load (issue #18): a HorizontalPodAutoscaler on
 * two per-pod gauges Managed Service for Prometheus already collects (the PodMonitoring):
 * requests running and requests waiting, each averaged over the pods. The HPA takes the larger of
 * the two proposals, so it adds a replica when the running batch is at the replica's saturated
 * figure or when requests queue. A new replica stays Pending until the GPU pool's autoscaler adds
 * a node (the pool's total bounds, builders.ts); one replica per node, so the HPA's maximum is the
 * pool's maximum.
 *
 * The metrics reach the HPA through the Custom Metrics Stackdriver Adapter, Google's adapter that
 * serves Managed Prometheus series as custom metrics (from its v0.13.1;
 * cloud.google.com/stackdriver/docs/managed-prometheus/hpa, read 2026-12-02). GKE's built-in
 * managed metrics adapter would need no install, but it needs GKE 1.37.0-gke.3100000 (preview from
 * 1.36.4; cloud.google.com/kubernetes-engine/docs/how-to/autoscale-using-metrics, read 2026-12-02)
 * while this cluster's floor is 1.34 (MIN_MASTER_VERSION): once the floor reaches 1.37, the
 * adapter below can go and the HPA stays.
 */

/** The adapter's pinned image: the release Google's production manifest deploys. */
export const METRICS_ADAPTER_IMAGE = "gcr.io/gke-release/custom-metrics-stackdriver-adapter:v0.15.1-gke.0";
export const METRICS_ADAPTER_NAMESPACE = "custom-metrics";
export const METRICS_ADAPTER_SA = "custom-metrics-stackdriver-adapter";
/**
 * The port the adapter serves on: 10250. The API server calls an aggregated API at the Service's
 * endpoint, the pod's own IP and targetPort, and this cluster's nodes are private (builders.ts,
 * enablePrivateNodes): GKE's default firewall rule lets the control plane reach nodes on TCP 443
 * and 10250 only (cloud.google.com/kubernetes-engine/docs/how-to/private-clusters, "Adding
 * firewall rules for specific use cases"), so on 6443 every custom-metrics call times out and the
 * HPA never scales. 10250 is above 1024, so the pod stays non-root; the Service still answers on
 * 443, as the APIService calls it.
 */
export const METRICS_ADAPTER_PORT = 10250;
/** Ports GKE's default firewall rule opens from a private cluster's control plane to its nodes. */
export const PRIVATE_CONTROL_PLANE_PORTS: ReadonlyArray<number> = [443, 10250];

/**
 * A Managed Prometheus series as the adapter names it for the custom metrics API: the Cloud
 * Monitoring type `prometheus.googleapis.com/<name>/<kind>` with `|` for `/`.
 */
export function gmpCustomMetric(name: string, kind: "gauge" | "counter"): string {
    return `prometheus.googleapis.com|${name}|${kind}`;
}

/**
 * Requests waiting per replica the HPA aims for: half the queue that pages (at least 1), so a
 * replica is on its way before the alert fires. A sustained queue means the running batch has no
 * KV-cache room left (vLLM queues only then), so the replica count, not patience, is the fix.
 */
export function scaleOnWaitingPerReplica(t: Pick<AlertThresholds, "queueWaitingPerReplica">): number {
    return Math.max(1, Math.floor(t.queueWaitingPerReplica / 2));
}

export interface ModelHpaArgs {
    readonly name: string;
    readonly namespace: string;
    readonly deployment: string;
    readonly minReplicas: number;
    readonly maxReplicas: number;
    /** Requests running per replica to aim for (targetInFlight: the replica's saturated figure). */
    readonly runningPerReplica: number;
    readonly waitingPerReplica: number;
    readonly labels?: Readonly<Record<string, string>>;
    /** e.g. the cloud that bills its metric reads (CLOUD_ANNOTATION), for the pack's per-cloud shares. */
    readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * The HPA (autoscaling/v2). Scale-up adds one replica at a time and scale-down waits 15 minutes:
 * a replica takes minutes to get a spot node and load the model, so flapping would only pay for
 * nodes that never serve.
 */
export function modelServerHpa(a: ModelHpaArgs) {
    if (a.minReplicas < 1 || a.maxReplicas < a.minReplicas) {
        throw new Error(`replicas: got min ${a.minReplicas}, max ${a.maxReplicas}; need 1 <= min <= max`);
    }
    const pods = (metric: string, averageValue: number) => ({
        type: "Pods" as const,
        pods: { metric: { name: gmpCustomMetric(metric, "gauge") }, target: { type: "AverageValue" as const, averageValue: String(averageValue) } },
    });
    return {
        apiVersion: "autoscaling/v2",
        kind: "HorizontalPodAutoscaler",
        metadata: { name: a.name, namespace: a.namespace, ...(a.labels ? { labels: { ...a.labels } } : {}), ...(a.annotations ? { annotations: { ...a.annotations } } : {}) },
        spec: {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: a.deployment },
            minReplicas: a.minReplicas,
            maxReplicas: a.maxReplicas,
            metrics: [pods("vllm:num_requests_running", a.runningPerReplica), pods("vllm:num_requests_waiting", a.waitingPerReplica)],
            behavior: {
                scaleUp: { stabilizationWindowSeconds: 60, policies: [{ type: "Pods", value: 1, periodSeconds: 120 }] },
                scaleDown: { stabilizationWindowSeconds: 900, policies: [{ type: "Pods", value: 1, periodSeconds: 300 }] },
            },
        },
    } as const;
}

/**
 * The adapter's objects, after Google's production manifest
 * (GoogleCloudPlatform/k8s-stackdriver, custom-metrics-stackdriver-adapter/deploy/production/
 * adapter_new_resource_model.yaml), with the pod hardened: non-root on an unprivileged port (10250: METRICS_ADAPTER_PORT),
 * read-only root filesystem (its serving certificate goes to an emptyDir), no capabilities.
 * Its service account reads Cloud Monitoring through Workload Identity (roles/monitoring.viewer,
 * granted by the component).
 */
export function metricsAdapterObjects(labels: Readonly<Record<string, string>> = {}): Array<Record<string, any>> {
    const ns = METRICS_ADAPTER_NAMESPACE;
    const meta = (name: string, namespace?: string) => ({ name, ...(namespace ? { namespace } : {}), labels: { ...labels } });
    const subject = [{ kind: "ServiceAccount", name: METRICS_ADAPTER_SA, namespace: ns }];
    const app = { "k8s-app": METRICS_ADAPTER_SA };
    const apiService = (group: string, version: string, versionPriority: number) => ({
        apiVersion: "apiregistration.k8s.io/v1",
        kind: "APIService",
        metadata: meta(`${version}.${group}`),
        spec: { insecureSkipTLSVerify: true, group, groupPriorityMinimum: 100, versionPriority, service: { name: METRICS_ADAPTER_SA, namespace: ns }, version },
    });
    return [
        { apiVersion: "v1", kind: "Namespace", metadata: meta(ns) },
        { apiVersion: "v1", kind: "ServiceAccount", metadata: meta(METRICS_ADAPTER_SA, ns) },
        {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "ClusterRoleBinding",
            metadata: meta("custom-metrics:system:auth-delegator"),
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "system:auth-delegator" },
            subjects: subject,
        },
        {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "RoleBinding",
            metadata: meta("custom-metrics-auth-reader", "kube-system"),
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "extension-apiserver-authentication-reader" },
            subjects: subject,
        },
        {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "ClusterRole",
            metadata: meta("custom-metrics-resource-reader"),
            rules: [{ apiGroups: [""], resources: ["pods", "nodes", "nodes/stats"], verbs: ["get", "list", "watch"] }],
        },
        {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "ClusterRoleBinding",
            metadata: meta("custom-metrics-resource-reader"),
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "custom-metrics-resource-reader" },
            subjects: subject,
        },
        {
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: meta(METRICS_ADAPTER_SA, ns),
            spec: {
                replicas: 1,
                selector: { matchLabels: app },
                template: {
                    metadata: { labels: { ...labels, ...app } },
                    spec: {
                        serviceAccountName: METRICS_ADAPTER_SA,
                        securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
                        containers: [
                            {
                                name: "adapter",
                                image: METRICS_ADAPTER_IMAGE,
                                command: ["/adapter", "--use-new-resource-model=true", "--fallback-for-container-metrics=true", `--secure-port=${METRICS_ADAPTER_PORT}`, "--cert-dir=/tmp/certs"],
                                ports: [{ name: "https", containerPort: METRICS_ADAPTER_PORT }],
                                resources: { requests: { cpu: "250m", memory: "400Mi" }, limits: { cpu: "250m", memory: "400Mi" } },
                                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                            },
                        ],
                        volumes: [{ name: "tmp", emptyDir: {} }],
                    },
                },
            },
        },
        {
            apiVersion: "v1",
            kind: "Service",
            metadata: meta(METRICS_ADAPTER_SA, ns),
            spec: { type: "ClusterIP", selector: app, ports: [{ port: 443, protocol: "TCP", targetPort: METRICS_ADAPTER_PORT }] },
        },
        apiService("custom.metrics.k8s.io", "v1beta1", 100),
        apiService("custom.metrics.k8s.io", "v1beta2", 200),
        apiService("external.metrics.k8s.io", "v1beta1", 100),
        {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "ClusterRole",
            metadata: meta("external-metrics-reader"),
            rules: [{ apiGroups: ["external.metrics.k8s.io"], resources: ["*"], verbs: ["list", "get", "watch"] }],
        },
        {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "ClusterRoleBinding",
            metadata: meta("external-metrics-reader"),
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "external-metrics-reader" },
            subjects: [{ kind: "ServiceAccount", name: "horizontal-pod-autoscaler", namespace: "kube-system" }],
        },
    ];
}
