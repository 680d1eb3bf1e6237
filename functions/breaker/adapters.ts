// Per-target adapters at the SDK boundary: each reads the stack's groups (by the label/tag
// app=llm-serving, environment=<stack> the program writes, and llm-serving-baseline for the
// bound) and lowers a group's maximum, writing the breaker's state beside it. The clients are the
// narrow slices of each cloud SDK they call, so tests stub exactly those calls:
//   GCP MIG:        the Compute API's regionAutoscalers list/patch (autoscalingPolicy.maxNumReplicas)
//   GKE pool:       the Kubernetes Engine API's clusters list, nodePools setAutoscaling (the pool's total
//                   maximum) and clusters setResourceLabels (the breaker's state on the cluster)
//   AKS pool:       ARM agentPools GET/PUT (maxCount; the cluster autoscaler removes nodes above it;
//                   functions/breaker/entry/azure.ts)
//   Ray Serve:      the Kubernetes API, RayService patch of serveConfigV2 max_replicas, so pods leave and
//                   Karpenter consolidates (lowering NodePool limits alone removes no node)
//   Azure ML:       the online deployment scales through an Azure Monitor autoscale setting
//                   (targets/azureMl; its own scaleSettings is Default), so ARM autoscalesettings
//                   GET/PUT of every profile's capacity.maximum (functions/breaker/entry/azure.ts)
import { Group, GroupKind, Step, stateLabels } from "./decide";

export interface GroupAdapter {
    readonly kind: GroupKind;
    list(): Promise<Group[]>;
    apply(step: Step, labels: Record<string, string>): Promise<void>;
}

const BASELINE = "llm-serving-baseline";
const STATE = "llm-serving-breaker";
const trippedOf = (labels: Record<string, string> | undefined): Group["tripped"] =>
    labels?.[STATE] === "tripped-baseline" ? "baseline" : labels?.[STATE] === "tripped-zero" ? "zero" : undefined;
/** The recorded crossing and period of a trip (absent or malformed: none, so no second step). */
const tripOf = (labels: Record<string, string> | undefined): Pick<Group, "tripped" | "trippedThreshold" | "trippedPeriod"> => {
    const tripped = trippedOf(labels);
    if (!tripped) return {};
    const threshold = Number(labels?.["llm-serving-breaker-threshold"]);
    const period = labels?.["llm-serving-breaker-period"];
    return {
        tripped,
        ...(Number.isFinite(threshold) && labels?.["llm-serving-breaker-threshold"] !== undefined ? { trippedThreshold: threshold } : {}),
        ...(period !== undefined && /^[0-9]{4}-[0-9]{2}$/.test(period) ? { trippedPeriod: period } : {}),
    };
};

/** The slice of RegionAutoscalersClient the GCP adapter calls. */
export interface GcpAutoscalers {
    list(req: { project: string; region: string; filter: string }): Promise<Array<{ name: string; autoscalingPolicy: { maxNumReplicas: number }; description?: string }>>;
    patch(req: { project: string; region: string; autoscaler: string; autoscalerResource: { name: string; autoscalingPolicy: { maxNumReplicas: number; minNumReplicas?: number }; description: string } }): Promise<void>;
}

/**
 * GCP: autoscalers carry no labels, so the baseline and the breaker's state live in the
 * autoscaler's description as key=value pairs the program writes (llm-serving-baseline=<n>).
 */
export function gcpMigAdapter(client: GcpAutoscalers, scope: { project: string; region: string; stack: string }): GroupAdapter {
    const parse = (d: string | undefined) => Object.fromEntries((d ?? "").split(/\s+/).filter((p) => p.includes("=")).map((p) => p.split("=", 2) as [string, string]));
    return {
        kind: "gcp-mig-autoscaler",
        async list() {
            const found = await client.list({ project: scope.project, region: scope.region, filter: `description:"environment=${scope.stack}"` });
            return found.flatMap((a) => {
                const kv = parse(a.description);
                const baseline = Number(kv[BASELINE]);
                return Number.isInteger(baseline) ? [{ kind: "gcp-mig-autoscaler" as const, id: a.name, max: a.autoscalingPolicy.maxNumReplicas, baseline, ...tripOf(kv) }] : [];
            });
        },
        async apply(step, labels) {
            const found = await client.list({ project: scope.project, region: scope.region, filter: `name=${step.group.id}` });
            const kv = { ...parse(found[0]?.description), ...labels };
            await client.patch({
                project: scope.project,
                region: scope.region,
                autoscaler: step.group.id,
                autoscalerResource: {
                    name: step.group.id,
                    // A maximum below the minimum is refused: the step to zero lowers the minimum with it.
                    autoscalingPolicy: { maxNumReplicas: step.to, ...(step.to < step.group.baseline ? { minNumReplicas: step.to } : {}) },
                    description: Object.entries(kv).map(([k, v]) => `${k}=${v}`).join(" "),
                },
            });
        },
    };
}

/** A GKE node pool's autoscaling as the Kubernetes Engine API reads and writes it (NodePoolAutoscaling). */
export interface GkeAutoscaling {
    enabled?: boolean;
    minNodeCount?: number;
    maxNodeCount?: number;
    totalMinNodeCount?: number;
    totalMaxNodeCount?: number;
    locationPolicy?: string;
    autoprovisioned?: boolean;
}

/** The slice of the Kubernetes Engine API (v1) the GKE adapter calls. */
export interface GkeClusters {
    /** projects.locations.clusters.list with location "-": every cluster of the project, its node pools inline. */
    list(project: string): Promise<
        Array<{
            /** projects/<p>/locations/<l>/clusters/<c> */
            name: string;
            resourceLabels?: Record<string, string>;
            labelFingerprint?: string;
            nodePools?: Array<{ name: string; autoscaling?: GkeAutoscaling; config?: { resourceLabels?: Record<string, string> } }>;
        }>
    >;
    /** projects.locations.clusters.nodePools.setAutoscaling (container.clusters.update). */
    setAutoscaling(nodePool: string, autoscaling: GkeAutoscaling): Promise<void>;
    /** projects.locations.clusters.setResourceLabels (container.clusters.update). */
    setResourceLabels(cluster: string, labels: Record<string, string>, labelFingerprint: string | undefined): Promise<void>;
}

/** The pool's maximum: the total bound across zones when set (gkeL4 sets it), else GKE's per-zone one. */
const poolMax = (a: GkeAutoscaling | undefined): number | undefined => a?.totalMaxNodeCount ?? a?.maxNodeCount;

/**
 * GKE: a node pool whose resource labels carry llm-serving-baseline=<n> (the program writes it on
 * gkeL4's GPU pool) in a cluster labelled app=llm-serving, environment=<stack>. Its maximum is
 * lowered through setAutoscaling (the cluster autoscaler then removes nodes above it); the
 * breaker's state goes on the CLUSTER's resource labels, which change without recreating a node
 * (a node pool's labels are part of its node template). One bounded pool per cluster (gkeL4 has
 * one GPU pool), so the cluster's labels describe it.
 */
export function gkePoolAdapter(client: GkeClusters, scope: { project: string; stack: string }): GroupAdapter {
    const ours = (labels: Record<string, string> | undefined) => labels?.app === "llm-serving" && labels?.environment === scope.stack;
    const pools = async () =>
        (await client.list(scope.project)).filter((c) => ours(c.resourceLabels)).flatMap((c) => (c.nodePools ?? []).map((p) => ({ cluster: c, pool: p, id: `${c.name}/nodePools/${p.name}` })));
    return {
        kind: "gke-node-pool",
        async list() {
            return (await pools()).flatMap(({ cluster, pool, id }) => {
                const baseline = Number(pool.config?.resourceLabels?.[BASELINE]);
                const max = poolMax(pool.autoscaling);
                if (!Number.isInteger(baseline) || max === undefined || pool.autoscaling?.enabled === false) return [];
                return [{ kind: "gke-node-pool" as const, id, max, baseline, ...tripOf(cluster.resourceLabels) }];
            });
        },
        async apply(step, labels) {
            const found = (await pools()).find((p) => p.id === step.group.id);
            if (!found) return;
            const current = found.pool.autoscaling ?? {};
            const total = current.totalMaxNodeCount !== undefined;
            const min = total ? current.totalMinNodeCount : current.minNodeCount;
            const lowered: GkeAutoscaling = {
                ...current,
                enabled: true,
                ...(total ? { totalMaxNodeCount: step.to } : { maxNodeCount: step.to }),
                // The minimum may not exceed the maximum: the step to zero lowers both.
                ...(min !== undefined && min > step.to ? (total ? { totalMinNodeCount: step.to } : { minNodeCount: step.to }) : {}),
            };
            await client.setAutoscaling(step.group.id, lowered);
            await client.setResourceLabels(found.cluster.name, { ...(found.cluster.resourceLabels ?? {}), ...labels }, found.cluster.labelFingerprint);
        },
    };
}

/** The slice of an SDK the tag-carrying adapters call (AKS AgentPools, ML OnlineDeployments, the Kubernetes API for a RayService). */
export interface TaggedScaled {
    list(): Promise<Array<{ id: string; max: number; tags: Record<string, string> }>>;
    update(id: string, max: number, tags: Record<string, string>): Promise<void>;
}

function taggedAdapter(kind: GroupKind, client: TaggedScaled): GroupAdapter {
    return {
        kind,
        async list() {
            return (await client.list()).flatMap((g) => {
                const baseline = Number(g.tags[BASELINE]);
                return Number.isInteger(baseline) ? [{ kind, id: g.id, max: g.max, baseline, ...tripOf(g.tags) }] : [];
            });
        },
        async apply(step, labels) {
            const current = (await client.list()).find((g) => g.id === step.group.id);
            await client.update(step.group.id, step.to, { ...(current?.tags ?? {}), ...labels });
        },
    };
}

/** AKS: the agent pool's maxCount (and its tags). A pool at 0 needs a User pool; the system pool is never listed (no baseline tag). */
export const aksPoolAdapter = (client: TaggedScaled) => taggedAdapter("aks-node-pool", client);
/** Azure ML: the deployment's autoscale setting's capacity.maximum (and the setting's tags). */
export const azureMlAdapter = (client: TaggedScaled) => taggedAdapter("azureml-deployment", client);
/** Ray Serve on EKS: the RayService's Serve max_replicas, its labels on the object's metadata. */
export const rayServeAdapter = (client: TaggedScaled) => taggedAdapter("ray-serve", client);

export { stateLabels };
