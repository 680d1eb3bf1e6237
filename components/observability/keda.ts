import { inFlightQuery, MetricServer } from "./signals";

/**
 * A KEDA ScaledObject that scales a model-server Deployment on requests in flight per replica,
 * read from a Prometheus-compatible query endpoint (Azure Monitor managed Prometheus on AKS, Google
 * Managed Prometheus's API on GKE) with KEDA's Prometheus scaler. AverageValue: KEDA's HPA divides
 * the query's value by the replica count and aims for `targetInFlightPerReplica`. The cluster
 * autoscaler then adds GPU nodes for replicas that do not fit.
 *
 * Pure builder: validated against @kubernetes-models/keda in test/components/observability/keda.test.ts.
 * Not yet wired into aksGpu or gkeL4 (each needs the managed Prometheus workspace, KEDA itself and a
 * workload identity allowed to query it; see the closing note of issue #18).
 */
export interface ScaledObjectArgs {
    readonly name: string;
    readonly namespace: string;
    /** The Deployment to scale. */
    readonly deployment: string;
    readonly server: MetricServer;
    /** PromQL selector of the Deployment's series, e.g. `namespace="llm",job="model-server-metrics"`. */
    readonly selector: string;
    readonly minReplicas: number;
    readonly maxReplicas: number;
    readonly targetInFlightPerReplica: number;
    /** The Prometheus query endpoint (HTTPS). */
    readonly serverAddress: string;
    /** A TriggerAuthentication in the namespace (workload identity). */
    readonly authenticationRef: string;
    readonly labels?: Readonly<Record<string, string>>;
}

export interface ScaledObjectSpec {
    readonly apiVersion: "keda.sh/v1alpha1";
    readonly kind: "ScaledObject";
    readonly metadata: { name: string; namespace: string; labels?: Record<string, string> };
    readonly spec: {
        scaleTargetRef: { apiVersion: string; kind: string; name: string };
        minReplicaCount: number;
        maxReplicaCount: number;
        pollingInterval: number;
        cooldownPeriod: number;
        advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: number; policies: Array<{ type: string; value: number; periodSeconds: number }> } } } };
        triggers: Array<{ type: "prometheus"; metricType: "AverageValue"; metadata: Record<string, string>; authenticationRef: { name: string } }>;
    };
}

export function inFlightScaledObject(a: ScaledObjectArgs): ScaledObjectSpec {
    if (a.minReplicas < 1 || a.maxReplicas < a.minReplicas) {
        throw new Error(`replicas: got min ${a.minReplicas}, max ${a.maxReplicas}; need 1 <= min <= max (a model server never scales to zero here: a cold start loads the model for minutes)`);
    }
    return {
        apiVersion: "keda.sh/v1alpha1",
        kind: "ScaledObject",
        metadata: { name: a.name, namespace: a.namespace, ...(a.labels ? { labels: { ...a.labels } } : {}) },
        spec: {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: a.deployment },
            minReplicaCount: a.minReplicas,
            maxReplicaCount: a.maxReplicas,
            pollingInterval: 30,
            cooldownPeriod: 600,
            // Like the GCP group: at most one replica removed per 10 minutes (streams end mid-answer otherwise).
            advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: 600, policies: [{ type: "Pods", value: 1, periodSeconds: 600 }] } } } },
            triggers: [
                {
                    type: "prometheus",
                    metricType: "AverageValue",
                    metadata: { serverAddress: a.serverAddress, query: inFlightQuery(a.server, a.selector), threshold: String(a.targetInFlightPerReplica) },
                    authenticationRef: { name: a.authenticationRef },
                },
            ],
        },
    };
}
