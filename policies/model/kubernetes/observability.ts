// Scrape configurations a managed Prometheus reads in a cluster (model-server-observability's
// SCRAPE_CONFIG_TYPES). They run nothing the stack pays for by themselves: the collectors are the
// managed service's (GKE managed collection runs its own collector pods on the nodes the stack
// already pays for), and the samples they write are priced where the target's dashboard is
// (policies/model/gcp/monitoring.ts, usage.metricSamplesMillions). Known, $0 by knowledge.
import { usagePrice } from "../../cost/catalog";
import { StackIndex } from "../../cost/graph";
import { Sink } from "../../cost/pricing";
import { MINUTES_PER_MONTH } from "../../cost/types";
import { Kind } from "../kind";
import { readArray, readCount, readString } from "../read";

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

/**
 * A HorizontalPodAutoscaler (autoscaling/v2). It runs nothing itself (the control plane's
 * controller does), and it sets its Deployment's replicas: the pack reads its maxReplicas as the
 * Deployment's maximum (policies/cost/tokens.ts). One whose metrics are Managed Prometheus series
 * (`prometheus.googleapis.com|<name>|<kind>`, served by the Custom Metrics Stackdriver Adapter,
 * gkeL4) makes the adapter read Cloud Monitoring at every HPA sync: each read returns one series
 * per pod. Assumed: the HPA controller's default 15-second sync (4 a minute), every pod of the
 * maximum, 43,800 minutes a month; billed as Monitoring API reads (usage line, unverified price).
 */
export const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
export const HPA_SYNCS_PER_MINUTE = 4;

function priceHpas(index: StackIndex, sink: Sink): void {
    const u = usagePrice("gcp-monitoring-read-series");
    for (const h of index.ofType(HPA)) {
        const metrics = readArray(h.props, ["spec", "metrics"]);
        const max = readCount(h.props, ["spec", "maxReplicas"]);
        if (sink.unusable(h, metrics, "spec.metrics") || sink.unusable(h, max, "spec.maxReplicas")) continue;
        if (metrics.state !== "known" || max.state !== "known") continue;
        const names = metrics.value.map((_, i) => readString(h.props, ["spec", "metrics", i, "pods", "metric", "name"]));
        const gmp = names.filter((n) => n.state === "known" && /^prometheus\.googleapis\.com\|/.test(n.value));
        if (gmp.length === 0) continue;
        const series = gmp.length * max.value * HPA_SYNCS_PER_MINUTE * MINUTES_PER_MONTH;
        sink.usageLine(h, {
            sku: u.name,
            region: "global",
            quantity: series / 1_000_000,
            unitUsd: u.usd,
            unit: "million series read",
            basis: `${gmp.length} Managed Prometheus metric(s) x ${max.value} pods (maxReplicas) x ${HPA_SYNCS_PER_MINUTE} reads a minute (HPA sync, assumed) x ${MINUTES_PER_MONTH.toLocaleString("en-US")} minutes`,
        });
    }
}

export const K8S_OBSERVABILITY_KINDS: ReadonlyArray<Kind> = [
    { name: "kubernetes-scrape-config", provider: "kubernetes", types: K8S_SCRAPE_CONFIG_TYPES },
    { name: "keda", provider: "kubernetes", types: [KEDA.scaledObject, KEDA.triggerAuthentication] },
    { name: "kubernetes-hpa", provider: "kubernetes", types: [HPA], price: priceHpas },
];
