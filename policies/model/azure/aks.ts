// Azure Kubernetes Service: managed clusters (with their inline pools) and agent pools.
import { Capacity, CapacitySpec, Kind } from "../kind";
import { equalsAny, nonAbsent } from "../common";
import { asString, readAt, readElements } from "../read";

export const AKS = {
    managedCluster: "azure-native:containerservice:ManagedCluster",
    agentPool: "azure-native:containerservice:AgentPool",
} as const;

const POOL = "aks-agent-pool";
const HOW_TO_SPOT = 'set scaleSetPriority to "Spot" with scaleSetEvictionPolicy "Delete" (this replaces the pool)';

function pool(props: unknown, path: ReadonlyArray<string | number>, at: string): Capacity {
    return {
        cloud: "azure",
        kind: POOL,
        at,
        skus: nonAbsent([asString(readAt(props, [...path, "vmSize"]))]),
        skuField: at === "" ? "vmSize" : `${at}.vmSize`,
        spot: equalsAny(readAt(props, [...path, "scaleSetPriority"]), ["spot"]),
        spotField: at === "" ? "scaleSetPriority" : `${at}.scaleSetPriority`,
        families: [],
        hasGuestAccelerators: false,
    };
}

/** A ManagedCluster's inline pools are capacity too (the system pool at least). */
function clusterPools(props: unknown): Capacity[] {
    const pools = readElements(props, ["agentPoolProfiles"]);
    if (!Array.isArray(pools)) {
        // Unknown pool list: report it as one pool whose SKU is unknown, so it cannot slip through.
        return pools.state === "unknown" ? [{ ...pool(undefined, [], "agentPoolProfiles"), skus: [pools], spot: pools }] : [];
    }
    return pools.map((_, i) => pool(props, ["agentPoolProfiles", i], `agentPoolProfiles[${i}]`));
}

const clusterCapacity: CapacitySpec = { kind: POOL, howToSpot: HOW_TO_SPOT, read: clusterPools };
const poolCapacity: CapacitySpec = { kind: POOL, howToSpot: HOW_TO_SPOT, read: (props) => [pool(props, [], "")] };

export const AKS_KINDS: ReadonlyArray<Kind> = [
    {
        name: "aks-managed-cluster",
        provider: "azure",
        types: [AKS.managedCluster],
        compute: "priced",
        capacity: clusterCapacity,
        apiServer: (props) => {
            const isPrivate = readAt(props, ["apiServerAccessProfile", "enablePrivateCluster"]);
            if (isPrivate.state === "known" && isPrivate.value === true) {
                return { state: "private" };
            }
            return {
                state: "public",
                ranges: readAt(props, ["apiServerAccessProfile", "authorizedIPRanges"]),
                fix: "Set apiServerAccessProfile.authorizedIPRanges to the admin CIDRs, or enablePrivateCluster: true.",
            };
        },
    },
    { name: "aks-agent-pool", provider: "azure", types: [AKS.agentPool], compute: "priced", capacity: poolCapacity },
];
