// Which managed instance groups a gcpSpotL4 target runs (issue 19): per region a spot group and,
// with `onDemandBase`/`onDemandFallback`, an on-demand group beside it, both behind the one backend
// service. Pure: the component only turns this plan into resources.
//
// What GCP can do when spot runs dry: a MIG has one provisioning model (no spot-to-standard
// fallback inside a group), and its autoscaler sees only its own group, so nothing in Compute
// Engine caps the sum of two groups. The on-demand group therefore gets a fixed share of the
// region's maximum: the floor always runs, and the fallback headroom is what it grows into when
// the spot group cannot. Both autoscalers scale on requests in flight per replica, and the load
// balancer spreads a region's requests over both groups by capacity, so both see about the same
// load per replica; the on-demand group aims at a higher target (ON_DEMAND_TARGET_MULTIPLE in
// GcpSpotL4Replicas.ts), so the spot group grows first and holds the load under the on-demand
// target, and the on-demand group grows only once spot is at its maximum or gets no capacity.
// An on-demand group needs a replica to report that load: fallback therefore needs a floor of at
// least one (config.ts refuses fallback without one). The spot group's maximum is what is left,
// so spot, floor and fallback never exceed `replicas.max` together.
import { CapacityRole, CapacityShare, capacityShareLabels } from "../../policies/contract/capacityShare";
import { GcpRegion, GcpSpotL4Config } from "./config";

/** Fixed per region, so adding or reordering regions never changes a subnet's range (a replacement). */
export const SUBNET_RANGES: Record<GcpRegion, string> = {
    "us-central1": "10.20.0.0/20",
    "us-east1": "10.20.16.0/20",
};

export interface ReplicaGroup {
    readonly region: GcpRegion;
    readonly zones: readonly string[];
    readonly role: CapacityRole;
    /** Logical-name prefix of the group's template, MIG and autoscaler. */
    readonly prefix: string;
    readonly min: number;
    readonly max: number;
    /** Share labels for the template (none for a spot-only region, so such stacks keep their plans). */
    readonly shareLabels: Readonly<Record<string, string>>;
}

/**
 * Child-name prefix of a region's resources. The first region keeps the unsuffixed names a
 * single-region stack always had, so adding a region never replaces the first one's resources.
 */
export function regionPrefix(name: string, config: Pick<GcpSpotL4Config, "regions">, region: GcpRegion): string {
    return region === config.regions[0] ? name : `${name}-${region}`;
}

/** The groups of every region: spot first, then the on-demand group when there is one. */
export function replicaGroups(name: string, config: GcpSpotL4Config): ReplicaGroup[] {
    const { min, max } = config.replicas;
    const onDemand = config.onDemandBase + config.onDemandFallback;
    return config.regions.flatMap((region): ReplicaGroup[] => {
        const prefix = regionPrefix(name, config, region);
        const zones = config.zones[region] ?? [];
        if (onDemand === 0) {
            return [{ region, zones, role: "spot", prefix, min, max, shareLabels: {} }];
        }
        const share = (role: CapacityRole): CapacityShare => ({ role, share: prefix, max });
        const onDemandRole: CapacityRole = config.onDemandBase > 0 ? "on-demand-floor" : "on-demand-fallback";
        return [
            { region, zones, role: "spot", prefix, min: Math.max(min - config.onDemandBase, 0), max: max - onDemand, shareLabels: capacityShareLabels(share("spot")) },
            {
                region,
                zones,
                role: onDemandRole,
                prefix: `${prefix}-ondemand`,
                min: config.onDemandBase,
                max: onDemand,
                shareLabels: capacityShareLabels(share(onDemandRole)),
            },
        ];
    });
}
