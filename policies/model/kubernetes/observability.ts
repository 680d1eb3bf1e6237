// Scrape configurations a managed Prometheus reads in a cluster (model-server-observability's
// SCRAPE_CONFIG_TYPES). They run nothing the stack pays for by themselves: the collectors are the
// managed service's (GKE managed collection runs its own collector pods on the nodes the stack
// already pays for), and the samples they write are priced where the target's dashboard is
// (policies/model/gcp/monitoring.ts, usage.metricSamplesMillions). Known, $0 by knowledge.
import { Kind } from "../kind";

export const K8S_SCRAPE_CONFIG_TYPES: ReadonlyArray<string> = [
    "kubernetes:monitoring.googleapis.com/v1:PodMonitoring",
    "kubernetes:azmonitoring.coreos.com/v1:PodMonitor",
    "kubernetes:monitoring.coreos.com/v1:PodMonitor",
    "kubernetes:monitoring.coreos.com/v1:ServiceMonitor",
];

/**
 * KEDA's objects (AKS's managed add-on runs the operator on the system pool the stack already
 * pays for). A ScaledObject bills nothing itself, but it sets its Deployment's replicas: the pack
 * reads its maxReplicaCount as the Deployment's maximum (policies/cost/tokens.ts, bounded-scaling).
 */
export const KEDA = {
    scaledObject: "kubernetes:keda.sh/v1alpha1:ScaledObject",
    triggerAuthentication: "kubernetes:keda.sh/v1alpha1:TriggerAuthentication",
} as const;

export const K8S_OBSERVABILITY_KINDS: ReadonlyArray<Kind> = [
    { name: "kubernetes-scrape-config", provider: "kubernetes", types: K8S_SCRAPE_CONFIG_TYPES },
    { name: "keda", provider: "kubernetes", types: [KEDA.scaledObject, KEDA.triggerAuthentication] },
];
