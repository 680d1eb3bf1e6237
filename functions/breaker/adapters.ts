// Per-target adapters at the SDK boundary: each reads the stack's groups (by the label/tag
// app=llm-serving, environment=<stack> the program writes, and llm-serving-baseline for the
// bound) and lowers a group's maximum, writing the breaker's state beside it. The clients are the
// narrow slices of each cloud SDK they call, so tests stub exactly those calls:
//   GCP MIG:        @google-cloud/compute RegionAutoscalersClient list/patch (autoscalingPolicy.maxNumReplicas)
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
    patch(req: { project: string; region: string; autoscaler: string; autoscalerResource: { name: string; autoscalingPolicy: { maxNumReplicas: number }; description: string } }): Promise<void>;
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
                autoscalerResource: { name: step.group.id, autoscalingPolicy: { maxNumReplicas: step.to }, description: Object.entries(kv).map(([k, v]) => `${k}=${v}`).join(" ") },
            });
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
