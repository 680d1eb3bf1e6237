// The inf2 target's on-demand floor and fallback (issue 19), as pure builders: a spot NodePool
// weighted over an on-demand NodePool, both bounded under one shared maximum and declaring it to
// the policy pack, and the floor as a Ray worker group that always runs and selects on-demand
// nodes. EksInf2Pool wires them when the config sets `onDemandBase` or `onDemandFallback`.
//
// What Karpenter does: it tries NodePools in descending `spec.weight`; when the spot pool cannot
// launch (no spot capacity for the allowed types, an insufficient-capacity error) it falls back
// to the next pool that fits the pending pods, here the on-demand one. Each NodePool's
// `spec.limits` bound only that pool, nothing bounds their sum, so the shared maximum is split:
// spot gets `maxNodes - onDemandNodes`, on-demand `onDemandNodes`, and the share labels let the
// pack check that split and price the whole maximum on-demand in the worst case.
import { CapacityRole, capacityShareLabels } from "../../policies/contract/capacityShare";
import { CAPACITY_TYPE_LABEL } from "./labels";
import { NodePoolInput } from "./karpenter";

/** Spot first: Karpenter tries the higher weight first (NodePool `spec.weight`, 1-100). */
export const SPOT_POOL_WEIGHT = 100;
export const ON_DEMAND_POOL_WEIGHT = 10;

export interface CapacityPoolsInput {
    /** The spot pool's input; its `maxNodes` is the shared maximum of both pools. */
    readonly pool: Omit<NodePoolInput, "capacityType" | "weight" | "labels">;
    /** On-demand nodes always running (the floor). */
    readonly onDemandBase: number;
    /** Further on-demand nodes Karpenter may launch when spot cannot be had. */
    readonly onDemandFallback: number;
}

/**
 * The NodePools: spot alone without a floor or fallback (as before, no labels); else the spot
 * pool and an on-demand pool `<name>-ondemand`, their limits adding up to the shared maximum.
 */
export function capacityNodePools(input: CapacityPoolsInput): NodePoolInput[] {
    const { pool, onDemandBase, onDemandFallback } = input;
    const onDemand = onDemandBase + onDemandFallback;
    if (onDemand === 0) return [{ ...pool, capacityType: "spot" }];
    if (pool.maxNodes - onDemand < 1) {
        throw new RangeError(`onDemandBase + onDemandFallback (${onDemand}) must leave at least one spot node under maxNodes (${pool.maxNodes})`);
    }
    const share = (role: CapacityRole) => capacityShareLabels({ role, share: pool.name, max: pool.maxNodes });
    return [
        { ...pool, capacityType: "spot", maxNodes: pool.maxNodes - onDemand, weight: SPOT_POOL_WEIGHT, labels: share("spot") },
        {
            ...pool,
            name: `${pool.name}-ondemand`,
            capacityType: "on-demand",
            maxNodes: onDemand,
            weight: ON_DEMAND_POOL_WEIGHT,
            labels: share(onDemandBase > 0 ? "on-demand-floor" : "on-demand-fallback"),
        },
    ];
}

/** A RayService worker group, as far as the floor needs it. */
interface WorkerGroup {
    readonly groupName: string;
    readonly minReplicas: number;
    readonly maxReplicas: number;
    readonly template: { readonly spec: { readonly nodeSelector?: Readonly<Record<string, string>> } & Record<string, unknown> } & Record<string, unknown>;
    readonly [key: string]: unknown;
}

/**
 * The floor: a copy of the serving worker group, `<group>-floor`, with exactly `replicas` workers
 * (min = max, so the autoscaler never removes them) that select on-demand nodes. A worker on such
 * a node serves like any other; Ray Serve places replicas on it first since it always runs.
 */
export function floorWorkerGroup<G extends WorkerGroup>(group: G, replicas: number): G {
    if (!Number.isInteger(replicas) || replicas < 1) throw new RangeError(`a floor needs at least one worker, got ${replicas}`);
    return {
        ...group,
        groupName: `${group.groupName}-floor`,
        // KubeRay's `replicas` (the current count) too, when the group sets it: else it would keep the serving group's.
        ...("replicas" in group ? { replicas } : {}),
        minReplicas: replicas,
        maxReplicas: replicas,
        template: {
            ...group.template,
            spec: { ...group.template.spec, nodeSelector: { ...(group.template.spec.nodeSelector ?? {}), [CAPACITY_TYPE_LABEL]: "on-demand" } },
        },
    };
}
