// An on-demand floor and fallback beside the AKS spot GPU pool (issue 19). Pure builders; the
// component wires them. With `onDemandBase: N` and `onDemandFallback: F` (spot pools only):
//  - the spot pool scales between nodes.min - N and nodes.max - N - F, a Regular (on-demand) pool
//    "gpuod" between N and N + F: their maxima fill nodes.max, the one maximum they share (no
//    cluster autoscaler setting caps a sum across pools, so the split is what bounds it);
//  - a floor Deployment of N replicas that can only land on the on-demand pool (a required node
//    selector on it and no toleration of AKS's spot taint), so N replicas survive any eviction;
//  - the main Deployment (replicas - N) prefers spot nodes and tolerates both, so it falls back to
//    the on-demand pool when spot runs dry;
//  - with F > 0, the cluster autoscaler's priority expander scales the spot pool first and the
//    on-demand pool only when the spot pool cannot grow (AKS autoScalerProfile.expander
//    "priority" plus the cluster-autoscaler-priority-expander ConfigMap in kube-system, the
//    namespace the expander reads, per the cluster autoscaler's priority expander readme).
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { IIoK8sApiCoreV1Affinity } from "kubernetes-models/v1/Affinity";
import { CapacityRole, capacityShareLabels, ENDPOINT_POD_LABEL } from "../../policies/contract/capacityShare";
import type { Built, BuiltWithSpec } from "../../components/k8s/modelServer";
import { GPU_NODE_LABELS, GPU_POOL_NAME, gpuPoolSpec, gpuTolerations, SPOT_TAINT } from "./aks";
import { AksGpuConfig } from "./config";

/** The on-demand GPU pool's name (lowercase, at most 12 characters for Linux pools). */
export const ON_DEMAND_POOL_NAME = "gpuod";
/** Our node label saying how a GPU node is bought; the floor selects on it. */
export const CAPACITY_NODE_LABEL = "llm-serving/capacity";
/** Pod label both Deployments carry; the Service selects it when there is a floor. */
export { ENDPOINT_POD_LABEL };
/** The cluster autoscaler reads its priority expander's config from this ConfigMap. */
export const PRIORITY_EXPANDER_CONFIGMAP = "cluster-autoscaler-priority-expander";

export interface AksCapacity {
    readonly spot: { readonly min: number; readonly max: number };
    readonly onDemand?: { readonly min: number; readonly max: number; readonly role: CapacityRole };
}

/** The pools' bounds; without a floor or fallback the spot pool keeps `nodes` as it always had. */
export function aksCapacity(config: Pick<AksGpuConfig, "nodes" | "onDemandBase" | "onDemandFallback">): AksCapacity {
    const n = config.onDemandBase;
    const f = config.onDemandFallback;
    if (n + f === 0) return { spot: { min: config.nodes.min, max: config.nodes.max } };
    return {
        spot: { min: Math.max(config.nodes.min - n, 0), max: config.nodes.max - n - f },
        onDemand: { min: n, max: n + f, role: n > 0 ? "on-demand-floor" : "on-demand-fallback" },
    };
}

/** Share tags for a pool (none without an on-demand pool, so such stacks keep their plans). */
export function shareTags(name: string, config: AksGpuConfig, role: CapacityRole): Record<string, string> {
    return aksCapacity(config).onDemand ? capacityShareLabels({ role, share: `${name}-gpu`, max: config.nodes.max }) : {};
}

/** The spot pool: the GPU pool of gpuPoolSpec, bounded by its part of the shared maximum. */
export function spotPoolSpec(config: AksGpuConfig) {
    const base = gpuPoolSpec(config);
    const cap = aksCapacity(config);
    if (!cap.onDemand) return base;
    return { ...base, minCount: cap.spot.min, maxCount: cap.spot.max, count: cap.spot.min, nodeLabels: { ...base.nodeLabels, [CAPACITY_NODE_LABEL]: "spot" } };
}

/** The on-demand GPU pool beside the spot pool: same size and taint, Regular priority. */
export function onDemandPoolSpec(config: AksGpuConfig) {
    const cap = aksCapacity(config);
    if (!cap.onDemand) throw new Error("onDemandPoolSpec: no on-demand floor or fallback configured");
    const base = gpuPoolSpec({ ...config, spot: false });
    return {
        ...base,
        agentPoolName: ON_DEMAND_POOL_NAME,
        minCount: cap.onDemand.min,
        maxCount: cap.onDemand.max,
        count: cap.onDemand.min,
        // Same pool label as the spot pool (the workload's node selector and the device plugin's), plus how it is bought.
        nodeLabels: { ...GPU_NODE_LABELS, [CAPACITY_NODE_LABEL]: "on-demand" },
    };
}

/**
 * Prefer spot nodes; on-demand ones stay allowed. On our pool label rather than AKS's spot label:
 * the same nodes, but one the pools declare, so the cost engine can see where the pods run.
 */
export function preferSpotAffinity(): IIoK8sApiCoreV1Affinity {
    return {
        nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
                { weight: 100, preference: { matchExpressions: [{ key: CAPACITY_NODE_LABEL, operator: "In", values: ["spot"] }] } },
            ],
        },
    };
}

/**
 * The spot-preferring main Deployment (replicas - N) and the floor Deployment (N) from the one
 * built model-server Deployment. The floor's own name gives it its own selector, so the two never
 * claim each other's pods; both carry ENDPOINT_POD_LABEL, which the Service selects.
 */
export function splitDeployments(built: BuiltWithSpec<IDeployment>, endpoint: string, floor: number): { main: BuiltWithSpec<IDeployment>; floor?: BuiltWithSpec<IDeployment> } {
    const template = built.spec.template;
    const podSpec = template.spec!;
    const withEndpoint = { ...(template.metadata?.labels ?? {}), [ENDPOINT_POD_LABEL]: endpoint };
    const main: BuiltWithSpec<IDeployment> = {
        ...built,
        spec: {
            ...built.spec,
            replicas: (built.spec.replicas ?? 1) - floor,
            template: { ...template, metadata: { ...template.metadata, labels: withEndpoint }, spec: { ...podSpec, affinity: preferSpotAffinity() } },
        },
    };
    if (floor === 0) return { main };
    const floorName = `${built.metadata.name}-floor`;
    const floorSelector = { ...(built.spec.selector.matchLabels ?? {}), "app.kubernetes.io/name": floorName };
    const floorLabels = { ...withEndpoint, ...floorSelector };
    return {
        main,
        floor: {
            ...built,
            metadata: { ...built.metadata, name: floorName, labels: { ...built.metadata.labels, "app.kubernetes.io/name": floorName } },
            spec: {
                ...built.spec,
                replicas: floor,
                selector: { matchLabels: floorSelector },
                template: {
                    ...template,
                    metadata: { ...template.metadata, labels: floorLabels },
                    spec: {
                        ...podSpec,
                        // Only the on-demand pool: required by selector, and spot nodes' taint is not tolerated.
                        nodeSelector: { ...(podSpec.nodeSelector ?? {}), [CAPACITY_NODE_LABEL]: "on-demand" },
                        tolerations: gpuTolerations(false),
                    },
                },
            },
        },
    };
}

/** The floor's own disruption budget: voluntary disruptions take at most one floor replica. */
export function floorPdb(floor: BuiltWithSpec<IDeployment>): BuiltWithSpec<IPodDisruptionBudget> {
    return {
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: { name: floor.metadata.name!, namespace: floor.metadata.namespace, labels: floor.metadata.labels },
        spec: { maxUnavailable: 1, selector: { matchLabels: floor.spec.selector.matchLabels } },
    };
}

/**
 * The priority expander's config: the spot pool's scale sets (AKS names them aks-<pool>-<id>-vmss)
 * above everything else; a higher number is a higher priority.
 */
export function priorityExpanderConfigMap(): Built<IConfigMap> {
    return {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: PRIORITY_EXPANDER_CONFIGMAP, namespace: "kube-system" },
        data: { priorities: `50:\n  - ^aks-${GPU_POOL_NAME}-.*\n10:\n  - .*\n` },
    };
}

/** A GPU pool as the scheduler sees its nodes: labels (ours and AKS's) and NoSchedule taints. */
export interface PoolView {
    readonly name: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly taints: ReadonlyArray<{ key: string; value?: string; effect: string }>;
}

type PodSpec = NonNullable<NonNullable<IDeployment["spec"]>["template"]["spec"]>;

/** The pools of the target: AKS adds its spot label and taint to every node of a spot pool. */
export function poolViews(config: AksGpuConfig): PoolView[] {
    const taintsOf = (list: readonly string[] | undefined) =>
        (list ?? []).map((t) => {
            const [kv, effect] = t.split(":");
            const [key, value] = kv.split("=");
            return { key, value, effect };
        });
    const spot = spotPoolSpec(config);
    const views: PoolView[] = [
        {
            name: spot.agentPoolName,
            labels: { ...spot.nodeLabels, ...(config.spot ? { [SPOT_TAINT.key]: SPOT_TAINT.value } : {}) },
            taints: [...taintsOf(spot.nodeTaints), ...(config.spot ? [{ ...SPOT_TAINT }] : [])],
        },
    ];
    if (aksCapacity(config).onDemand) {
        const od = onDemandPoolSpec(config);
        views.push({ name: od.agentPoolName, labels: od.nodeLabels, taints: taintsOf(od.nodeTaints) });
    }
    return views;
}

/** Pools a pod may land on (node selector and tolerations), and those its preferred affinity favours. */
export function placement(pod: PodSpec, pools: readonly PoolView[]): { may: string[]; preferred: string[] } {
    const selects = (p: PoolView) => Object.entries(pod.nodeSelector ?? {}).every(([k, v]) => p.labels[k] === v);
    const tolerates = (p: PoolView) =>
        p.taints.every((t) =>
            (pod.tolerations ?? []).some((tol) => tol.key === t.key && (tol.effect === undefined || tol.effect === t.effect) && (tol.operator === "Exists" || tol.value === t.value)),
        );
    const may = pools.filter((p) => selects(p) && tolerates(p));
    const terms = pod.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
    const matches = (p: PoolView) =>
        terms.some((term) => (term.preference.matchExpressions ?? []).every((e) => e.operator === "In" && (e.values ?? []).includes(p.labels[e.key])));
    return { may: may.map((p) => p.name), preferred: may.filter(matches).map((p) => p.name) };
}

/**
 * Placement proven by construction: the floor lands only on the on-demand pool; the main
 * Deployment may land on both and prefers spot. Problems worded to say what to change.
 */
export function placementProblems(config: AksGpuConfig, deployments: { main: BuiltWithSpec<IDeployment>; floor?: BuiltWithSpec<IDeployment> }): string[] {
    const cap = aksCapacity(config);
    if (!cap.onDemand) return [];
    const pools = poolViews(config);
    const problems: string[] = [];
    const main = placement(deployments.main.spec.template.spec!, pools);
    if (main.may.join() !== [GPU_POOL_NAME, ON_DEMAND_POOL_NAME].join()) {
        problems.push(`the main Deployment may land on [${main.may.join(", ")}], not on both GPU pools: it must tolerate the spot taint and select only the shared pool label`);
    }
    if (main.preferred.join() !== GPU_POOL_NAME) problems.push(`the main Deployment prefers [${main.preferred.join(", ")}], not the spot pool alone`);
    if (config.onDemandBase > 0) {
        const floor = deployments.floor ? placement(deployments.floor.spec.template.spec!, pools).may : [];
        if (floor.join() !== ON_DEMAND_POOL_NAME) {
            problems.push(`the floor Deployment may land on [${floor.join(", ")}], not on the on-demand pool alone: select ${CAPACITY_NODE_LABEL}=on-demand and do not tolerate ${SPOT_TAINT.key}`);
        }
    }
    return problems;
}

/**
 * Each GPU pool's baseline (the llm-serving-baseline tag the circuit breaker steps maxCount down
 * to): what always runs there, as the cost engine counts it (DESIGN §4): the pool's minimum, or
 * the nodes the replicas it always carries need (one GPU node each), never above its maximum.
 * With an on-demand pool, the floor replicas sit on it (its minimum) and the rest prefer spot;
 * the fallback nodes above the on-demand minimum are not baseline.
 */
export function aksPoolBaselines(config: Pick<AksGpuConfig, "nodes" | "onDemandBase" | "onDemandFallback" | "replicas">): { spot: number; onDemand?: number } {
    const cap = aksCapacity(config);
    const clamp = (min: number, need: number, max: number) => Math.min(max, Math.max(min, need));
    if (!cap.onDemand) return { spot: clamp(cap.spot.min, config.replicas, cap.spot.max) };
    return { spot: clamp(cap.spot.min, config.replicas - cap.onDemand.min, cap.spot.max), onDemand: cap.onDemand.min };
}
