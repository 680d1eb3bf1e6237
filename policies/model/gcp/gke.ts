// Google Kubernetes Engine: clusters and node pools.
//
// A node pool is a set of managed instance groups (one per zone) that GKE's cluster autoscaler
// sizes between the pool's bounds. It is read and priced like a group: its SKU and spot setting
// (allowed-instance-types, spot-required), the account its nodes run as
// (gcp-no-default-service-account), nodes between its bounds x the machine's catalog price (spot
// is uncapped on GCP, so its worst case is on-demand, as for instance groups), each node's boot
// disk, the surge nodes of an upgrade, and its nodes counted for Cloud NAT. A cluster prices its
// management fee and says how its control plane is reachable (api-server-not-public); a default
// node pool it keeps, or inline nodePools, are reported unpriced: declare pools as NodePools.
//
// Capacity GKE makes at run time without a NodePool resource is never $0: Autopilot (billed per
// pod request) is unpriced; node auto-provisioning (clusterAutoscaling.enabled) is unpriced, or
// unbounded without CPU and memory limits; a pool's local SSDs are unpriced, the catalog having no
// sourced local-SSD price. The cost policies make each of these a mandatory violation.
import { fee, pricesAcrossRegions } from "../../cost/catalog";
import { diskHourly } from "../../cost/gcpDisk";
import { StackIndex } from "../../cost/graph";
import { Purchase, Sink, describeCount, gcpRegionOfZone, priceSku } from "../../cost/pricing";
import { CostInputResource } from "../../cost/types";
import { ApiServerAccess, Capacity, GcpIdentity, Kind, PriceContext } from "../kind";
import { nonAbsent } from "../common";
import { PathKey, Read, Typed, asNumber, fieldName, asString, readAt, readArray, readCount, readElements, readNumber, readString, readStringList } from "../read";

export const GKE = {
    cluster: "gcp:container/cluster:Cluster",
    nodePool: "gcp:container/nodePool:NodePool",
    /** GKE's ComputeClass custom resource (a Kubernetes object the stack may apply to the cluster). */
    computeClass: "kubernetes:cloud.google.com/v1:ComputeClass",
} as const;

const POOL = "gke-node-pool";
const HOW_TO_SPOT = "set nodeConfig.spot to true (this replaces the pool)";
/** What GKE gives a node whose nodeConfig leaves them out (GKE node pool defaults). */
const GKE_DEFAULT_DISK = { sizeGb: 100, type: "pd-balanced" } as const;

/**
 * The SKU the catalog prices: the machine type alone when its guest accelerators are the ones the
 * machine family always carries (a g2-standard-4 with its one L4, declared so GKE installs the
 * driver), else the machine type plus its accelerators (`n1-standard-8+1xnvidia-tesla-t4`), so an
 * extra GPU is never priced as the bare host.
 */
function poolSku(machineType: Read<string>, accelerators: Read<string[]>, builtIn: Read<boolean>): Read<string> {
    if (machineType.state !== "known") return machineType;
    if (accelerators.state !== "known") return accelerators;
    if (builtIn.state === "known" && builtIn.value) return machineType;
    return { state: "known", value: [machineType.value, ...accelerators.value].join("+"), field: machineType.field };
}

/** `nodeConfig.guestAccelerators` as sorted `<count>x<type>`; unknown if any part is. */
function guestAccelerators(props: unknown, prefix: ReadonlyArray<PathKey>): Read<string[]> {
    const list = readElements(props, [...prefix, "guestAccelerators"]);
    if (!Array.isArray(list)) return list.state === "unknown" ? list : { state: "known", value: [], field: list.field };
    const out: string[] = [];
    for (const element of list) {
        if (element.state === "unknown") return element;
        const value = element.state === "known" ? element.value : undefined;
        const type = asString(readAt(value, ["type"], element.field));
        const count = asNumber(readAt(value, ["count"], element.field));
        if (type.state === "unknown") return type;
        if (count.state === "unknown") return count;
        if (type.state === "known" && count.state === "known" && count.value > 0) out.push(`${count.value}x${type.value}`);
    }
    return { state: "known", value: out.sort(), field: fieldName([...prefix, "guestAccelerators"]) };
}

/**
 * True when `accelerators` are exactly what the machine type comes with (its catalog entry's
 * accelerators, e.g. g2-standard-4: 1 NVIDIA L4, spelled `nvidia-l4` by GKE).
 */
function acceleratorsBuiltIn(machineType: Read<string>, accelerators: Read<string[]>): Read<boolean> {
    if (machineType.state !== "known" || accelerators.state !== "known") return { state: "known", value: false, field: machineType.field };
    const entry = pricesAcrossRegions("gcp", machineType.value)[0];
    const own = entry?.accelerators;
    if (!own || accelerators.value.length !== 1) return { state: "known", value: false, field: machineType.field };
    const want = `${own.count}x${own.kind.toLowerCase().replace(/\s+/g, "-")}`;
    return { state: "known", value: accelerators.value[0] === want, field: machineType.field };
}

/** nodeConfig.spot, or the older nodeConfig.preemptible. */
function poolSpot(props: unknown, prefix: ReadonlyArray<PathKey>): Read<boolean> {
    const spot = readAt(props, [...prefix, "spot"]);
    if (spot.state === "unknown") return spot;
    if (spot.state === "known" && spot.value === true) return { state: "known", value: true, field: spot.field };
    const preemptible = readAt(props, [...prefix, "preemptible"]);
    if (preemptible.state === "unknown") return preemptible;
    return { state: "known", value: preemptible.state === "known" && preemptible.value === true, field: fieldName([...prefix, "spot"]) };
}

/** The capacity of a nodeConfig block (a NodePool's, or a cluster's default pool's). */
function nodeConfigCapacity(props: unknown, prefix: ReadonlyArray<PathKey>, at: string): Capacity {
    const machineType = asString(readAt(props, [...prefix, "machineType"]));
    const accelerators = guestAccelerators(props, prefix);
    const field = fieldName([...prefix, "machineType"]);
    return {
        cloud: "gcp",
        kind: POOL,
        at,
        // No machineType: GKE's default (e2-medium), which nobody allowed: reported as unset.
        skus: nonAbsent([poolSku(machineType, accelerators, acceleratorsBuiltIn(machineType, accelerators))]),
        skuField: field,
        spot: poolSpot(props, prefix),
        spotField: fieldName([...prefix, "spot"]),
        families: [],
        hasGuestAccelerators: accelerators.state !== "known" || accelerators.value.length > 0,
    };
}

/** True when the cluster removes its default pool at creation (it then runs for minutes only). */
function removesDefaultPool(props: unknown): Read<boolean> {
    const removed = readAt(props, ["removeDefaultNodePool"]);
    if (removed.state === "unknown") return removed;
    return { state: "known", value: removed.state === "known" && removed.value === true, field: "removeDefaultNodePool" };
}

/** A cluster's lasting capacity: its default pool unless removed, and any inline nodePools. */
function clusterCapacity(props: unknown): Capacity[] {
    const removed = removesDefaultPool(props);
    const out: Capacity[] = [];
    if (removed.state === "unknown") {
        out.push({ ...nodeConfigCapacity(props, ["nodeConfig"], "nodeConfig"), skus: [removed], spot: removed });
    } else if (removed.state === "known" && !removed.value) {
        out.push(nodeConfigCapacity(props, ["nodeConfig"], "nodeConfig"));
    }
    const inline = readElements(props, ["nodePools"]);
    if (Array.isArray(inline)) {
        inline.forEach((_, i) => out.push(nodeConfigCapacity(props, ["nodePools", i, "nodeConfig"], `nodePools[${i}]`)));
    } else if (inline.state === "unknown") {
        out.push({ ...nodeConfigCapacity(undefined, [], "nodePools"), skus: [inline], spot: inline });
    }
    return out;
}

/** The account GKE nodes run as: nodeConfig { serviceAccount, oauthScopes }; no email means the default compute account. */
function nodeIdentity(props: unknown): GcpIdentity {
    return {
        // A nodeConfig is always there in effect: GKE fills in the default account when it is absent.
        account: { state: "known", value: readAt(props, ["nodeConfig"]), field: "nodeConfig" },
        email: readAt(props, ["nodeConfig", "serviceAccount"]),
        scopes: readAt(props, ["nodeConfig", "oauthScopes"]),
        dependencyProp: "nodeConfig",
    };
}

/**
 * The control plane's endpoint: private with `privateClusterConfig.enablePrivateEndpoint`; else
 * public to `masterAuthorizedNetworksConfig.cidrBlocks` (absent: to anyone), and to every Google
 * Cloud address unless `gcpPublicCidrsAccessEnabled` is false.
 */
function clusterApiServer(props: unknown): ApiServerAccess {
    const privateEndpoint = readAt(props, ["privateClusterConfig", "enablePrivateEndpoint"]);
    if (privateEndpoint.state === "unknown") return { state: "unknown", field: privateEndpoint.field };
    if (privateEndpoint.state === "known" && privateEndpoint.value === true) return { state: "private" };
    const fix = "Set masterAuthorizedNetworksConfig.cidrBlocks to the admin CIDRs with gcpPublicCidrsAccessEnabled: false, or privateClusterConfig.enablePrivateEndpoint: true.";
    const network = readAt(props, ["masterAuthorizedNetworksConfig"]);
    if (network.state === "unknown") return { state: "unknown", field: network.field };
    if (network.state === "absent") return { state: "public", ranges: network, fix };
    const googleCloud = readAt(props, ["masterAuthorizedNetworksConfig", "gcpPublicCidrsAccessEnabled"]);
    if (googleCloud.state === "unknown") return { state: "unknown", field: googleCloud.field };
    if (!(googleCloud.state === "known" && googleCloud.value === false)) {
        // Every Google Cloud VM's address, anyone's: as good as the whole internet.
        return { state: "public", ranges: { state: "known", value: ["0.0.0.0/0"], field: googleCloud.field }, fix };
    }
    const blocks = readElements(props, ["masterAuthorizedNetworksConfig", "cidrBlocks"]);
    if (!Array.isArray(blocks)) return blocks.state === "unknown" ? { state: "unknown", field: blocks.field } : { state: "public", ranges: blocks, fix };
    const ranges: Read[] = blocks.map((b) => (b.state === "known" ? readAt(b.value, ["cidrBlock"], b.field) : b));
    const unknown = ranges.find((r) => r.state === "unknown");
    if (unknown) return { state: "unknown", field: unknown.field };
    return {
        state: "public",
        ranges: { state: "known", value: ranges.map((r) => (r.state === "known" ? r.value : undefined)), field: "masterAuthorizedNetworksConfig.cidrBlocks" },
        fix,
    };
}

/** Where a pool runs: its `location` (a region, or a zone), else its cluster's. */
function poolRegion(pool: CostInputResource, index: StackIndex, sink: Sink): { region: string | undefined } | undefined {
    const clusters = index.dependenciesOf(pool, "cluster", [GKE.cluster]);
    for (const r of [pool, ...clusters]) {
        const location = readString(r.props, ["location"]);
        if (sink.unusable(r, location, "location")) return undefined;
        if (location.state === "known") return { region: /-[a-z]$/.test(location.value) ? gcpRegionOfZone(location.value) : location.value };
    }
    return { region: undefined };
}

/** Zones the pool spreads over: its nodeLocations, else its cluster's; undefined when neither is known. */
function poolZones(pool: CostInputResource, index: StackIndex, sink: Sink): { zones: number | undefined } | undefined {
    for (const r of [pool, ...index.dependenciesOf(pool, "cluster", [GKE.cluster])]) {
        const zones = readStringList(r.props, ["nodeLocations"]);
        if (sink.unusable(r, zones, "node locations")) return undefined;
        if (zones.state === "known" && zones.value.length > 0) return { zones: zones.value.length };
    }
    return { zones: undefined };
}

/**
 * Nodes between the pool's bounds: the autoscaler's total bounds (totalMin/MaxNodeCount, across
 * zones), or its per-zone bounds (min/maxNodeCount) times the zones; a pool without autoscaling
 * holds nodeCount (per zone) in every zone.
 */
function poolSize(pool: CostInputResource, zones: number | undefined, sink: Sink): { min: number; max: number; how: string } | undefined {
    const read = (path: string[]): Typed<number> | undefined => {
        const r = readCount(pool.props, path);
        return sink.unusable(pool, r, path.join(".")) ? undefined : r;
    };
    const autoscaling = readAt(pool.props, ["autoscaling"]);
    if (autoscaling.state === "unknown") {
        sink.unusable(pool, autoscaling, "autoscaling");
        return undefined;
    }
    const needZones = (what: string): number | undefined => {
        if (zones === undefined) sink.issue(pool, "unknown", `${what} is per zone and the pool's zones are not known (nodeLocations); set nodeLocations, or the total bounds`, "nodeLocations");
        return zones;
    };
    if (autoscaling.state === "known") {
        const [totalMin, totalMax, min, max] = [read(["autoscaling", "totalMinNodeCount"]), read(["autoscaling", "totalMaxNodeCount"]), read(["autoscaling", "minNodeCount"]), read(["autoscaling", "maxNodeCount"])];
        if (!totalMin || !totalMax || !min || !max) return undefined;
        if (totalMax.state === "known") {
            const lo = totalMin.state === "known" ? totalMin.value : 0;
            return { min: Math.min(lo, totalMax.value), max: totalMax.value, how: "autoscaling totalMinNodeCount/totalMaxNodeCount (whole pool)" };
        }
        if (max.state === "known") {
            const n = needZones("autoscaling.maxNodeCount");
            if (n === undefined) return undefined;
            const lo = min.state === "known" ? min.value : 0;
            return { min: Math.min(lo, max.value) * n, max: max.value * n, how: `autoscaling minNodeCount/maxNodeCount per zone x ${n} zones` };
        }
        sink.issue(pool, "unbounded", "autoscaling has no totalMaxNodeCount (or maxNodeCount), so the pool has no maximum; set totalMaxNodeCount", "autoscaling.totalMaxNodeCount");
        return undefined;
    }
    const fixed = read(["nodeCount"]);
    const initial = read(["initialNodeCount"]);
    if (!fixed || !initial) return undefined;
    const perZone = fixed.state === "known" ? fixed.value : initial.state === "known" ? initial.value : 1;
    const n = needZones("nodeCount");
    if (n === undefined) return undefined;
    return { min: perZone * n, max: perZone * n, how: `no autoscaling: ${perZone} node(s) per zone x ${n} zones` };
}

/**
 * Where a pool's nodeConfig attaches local SSDs: raw-block NVMe, ephemeral storage (and GKE Data
 * Cache on it), the older ephemeral-storage block, and the legacy count. A machine type that bundles
 * local SSDs (the -lssd shapes) takes them with a count of 0; none of those is in the catalog, so
 * its machine is unpriced already.
 */
const LOCAL_SSD_COUNTS: ReadonlyArray<ReadonlyArray<string>> = [
    ["nodeConfig", "localSsdCount"],
    ["nodeConfig", "ephemeralStorageLocalSsdConfig", "localSsdCount"],
    ["nodeConfig", "ephemeralStorageLocalSsdConfig", "dataCacheCount"],
    ["nodeConfig", "localNvmeSsdBlockConfig", "localSsdCount"],
    ["nodeConfig", "ephemeralStorageConfig", "localSsdCount"],
];

/**
 * Reports a pool's local SSDs as unpriced: Compute Engine bills them per GB-month on top of the
 * machine, and the catalog has no sourced price for them, so they are never counted as $0.
 */
function reportLocalSsds(pool: CostInputResource, sink: Sink): void {
    for (const path of LOCAL_SSD_COUNTS) {
        const count = readCount(pool.props, path);
        if (sink.unusable(pool, count, "local SSD count")) continue;
        if (count.state === "known" && count.value > 0) {
            sink.issue(
                pool,
                "unpriced",
                `${count.field} attaches ${count.value} local SSD(s) to every node, which the catalog has no price for; a local SSD is never counted as $0: remove it (the boot disk caches the weights) or add a sourced local-SSD price to the catalog`,
                count.field,
            );
        }
    }
}

function pricePool(pool: CostInputResource, index: StackIndex, sink: Sink, context: PriceContext): void {
    reportLocalSsds(pool, sink);
    const [capacity] = [nodeConfigCapacity(pool.props, ["nodeConfig"], "")];
    const sku = capacity.skus[0];
    if (sku === undefined) {
        sink.issue(pool, "unpriced", "nodeConfig.machineType is not set, so the nodes run GKE's default machine type, which the catalog does not price; set it", "nodeConfig.machineType");
        return;
    }
    if (sink.unusable(pool, sku, "machine type") || sink.unusable(pool, capacity.spot, "spot setting")) return;
    if (sku.state !== "known") return;
    const location = poolRegion(pool, index, sink);
    const zones = poolZones(pool, index, sink);
    if (!location || !zones) return;
    const size = poolSize(pool, zones.zones, sink);
    if (!size) return;
    const purchase: Purchase = capacity.spot.state === "known" && capacity.spot.value ? { kind: "spot" } : { kind: "on-demand" };
    const price = priceSku("gcp", sku.value, location.region, purchase, sink.spotMargin);
    if (!price.ok) {
        sink.issue(pool, "unpriced", `${price.message}; an unpriced machine is never counted as $0`, "nodeConfig.machineType");
        return;
    }
    context.countVms(price.region, size.min, size.max);
    sink.line(pool, {
        kind: "capacity",
        sku: sku.value,
        region: price.region,
        countMin: size.min,
        countMax: size.max,
        hourlyUsd: price.unit.hourlyUsd,
        expectedHourlyUsd: price.unit.expectedHourlyUsd,
        pricing: price.unit.pricing,
        basis: `${describeCount(size.min, size.max)} nodes x ${sku.value} in ${price.region}: ${[price.unit.note, size.how, price.regionNote].filter((s) => s !== "").join("; ")}`,
    });
    // Every node's boot disk; GKE gives a node 100 GB of pd-balanced when nodeConfig leaves them out.
    const sizeGb = readNumber(pool.props, ["nodeConfig", "diskSizeGb"]);
    const defaulted = sizeGb.state === "absent" || readString(pool.props, ["nodeConfig", "diskType"]).state === "absent";
    const disk = diskHourly(
        pool,
        readString(pool.props, ["nodeConfig", "diskType"]),
        sizeGb.state === "absent" ? { state: "known", value: GKE_DEFAULT_DISK.sizeGb, field: sizeGb.field } : sizeGb,
        price.region,
        GKE_DEFAULT_DISK.type,
        sink,
    );
    if (!disk) return;
    sink.line(pool, {
        kind: "storage", sku: "gcp-disk", region: price.region, countMin: size.min, countMax: size.max, hourlyUsd: disk.hourly, pricing: "fee",
        basis: `${describeCount(size.min, size.max)} nodes x a ${disk.desc} boot disk${defaulted ? " (GKE's default size or type)" : ""}, $${Number((disk.hourly * 730).toFixed(4))}/month each`,
    });
    const diskHourlyUsd = disk.hourly;
    // Upgrades add surge nodes (per zone) while they roll; blue-green doubles the pool.
    const strategy = readString(pool.props, ["upgradeSettings", "strategy"]);
    const maxSurge = readCount(pool.props, ["upgradeSettings", "maxSurge"]);
    if (sink.unusable(pool, strategy, "upgrade strategy") || sink.unusable(pool, maxSurge, "maxSurge")) return;
    const blueGreen = strategy.state === "known" && strategy.value === "BLUE_GREEN";
    const perZone = maxSurge.state === "known" ? maxSurge.value : 1;
    const surge = blueGreen ? size.max : perZone * (zones.zones ?? 1);
    if (surge === 0) return;
    const hours = sink.transientHours.migRollingUpdate;
    const unit = price.unit.hourlyUsd + diskHourlyUsd;
    sink.line(pool, {
        kind: "transient", sku: `${sku.value} surge`, region: price.region, countMin: 0, countMax: surge, hourlyUsd: unit, hoursPerMonth: hours, pricing: price.unit.pricing,
        basis: `upgrade surge: ${surge} extra node(s) (${blueGreen ? "blue-green: a second pool at its maximum" : `maxSurge ${perZone} per zone x ${zones.zones ?? 1} zone(s)`}) x $${Number(unit.toFixed(6))}/h (machine + disk) x ${hours} h/month (transientHoursPerMonth.migRollingUpdate: a node pool's zones are managed instance groups, rolled like one)`,
    });
}

/**
 * Node auto-provisioning (https://cloud.google.com/kubernetes-engine/docs/concepts/node-auto-provisioning):
 * GKE creates and deletes node pools itself, of machine types it picks for pending pods, bounded
 * only by the cluster-wide `resourceLimits` (cpu, memory, each accelerator type). Those limits
 * are not priceable honestly: the catalog prices no CPU-only GCP machine, and not every machine
 * that carries a given GPU (g2-standard-16 and larger, for one), so accelerator limit x the
 * dearest machine it knows would understate the bill. Reported unpriced; with no CPU or memory
 * maximum, unbounded.
 */
function reportAutoProvisioning(cluster: CostInputResource, sink: Sink): void {
    const enabled = readAt(cluster.props, ["clusterAutoscaling", "enabled"]);
    if (sink.unusable(cluster, enabled, "node auto-provisioning")) return;
    if (!(enabled.state === "known" && enabled.value === true)) return;
    const fix = "set clusterAutoscaling.enabled to false and declare each pool as a gcp.container.NodePool, which the pack prices";
    const limits = readElements(cluster.props, ["clusterAutoscaling", "resourceLimits"]);
    const maxima = new Map<string, number>();
    if (Array.isArray(limits)) {
        for (const element of limits) {
            if (sink.unusable(cluster, element, "node auto-provisioning limits")) return;
            const value = element.state === "known" ? element.value : undefined;
            const type = asString(readAt(value, ["resourceType"], element.field));
            const maximum = asNumber(readAt(value, ["maximum"], element.field));
            if (sink.unusable(cluster, type, "resource limit type") || sink.unusable(cluster, maximum, "resource limit maximum")) return;
            if (type.state === "known" && maximum.state === "known") maxima.set(type.value, maximum.value);
        }
    } else if (sink.unusable(cluster, limits, "node auto-provisioning limits")) {
        return;
    }
    if (!maxima.has("cpu") || !maxima.has("memory")) {
        sink.issue(cluster, "unbounded", `node auto-provisioning (clusterAutoscaling.enabled) lets GKE create node pools with no CPU or memory maximum in clusterAutoscaling.resourceLimits; ${fix}`, "clusterAutoscaling.resourceLimits");
        return;
    }
    const declared = [...maxima].map(([type, max]) => `${type} <= ${max}`).join(", ");
    sink.issue(
        cluster,
        "unpriced",
        `node auto-provisioning (clusterAutoscaling.enabled) lets GKE create node pools of machine types it picks, up to the cluster-wide limits (${declared}), which the catalog cannot price as machines; ${fix}`,
        "clusterAutoscaling.enabled",
    );
}

/**
 * A ComputeClass with `spec.nodePoolAutoCreation.enabled` lets GKE create node pools for the pods
 * that select it, even on a cluster without node auto-provisioning
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/node-auto-provisioning): the same run-time
 * capacity as auto-provisioning, so the same verdict (unpriced; unknown at preview is unknown). A
 * ComputeClass that only ranks existing pools creates nothing and costs nothing.
 */
function reportComputeClassAutoCreation(computeClass: CostInputResource, sink: Sink): void {
    const enabled = readAt(computeClass.props, ["spec", "nodePoolAutoCreation", "enabled"]);
    if (sink.unusable(computeClass, enabled, "node pool auto-creation")) return;
    if (enabled.state === "known" && enabled.value === true) {
        sink.issue(
            computeClass,
            "unpriced",
            "this ComputeClass lets GKE create node pools of machine types it picks (spec.nodePoolAutoCreation.enabled), which the catalog cannot price as machines; set it to false and declare each pool as a gcp.container.NodePool, which the pack prices",
            "spec.nodePoolAutoCreation.enabled",
        );
    }
}

function priceCluster(cluster: CostInputResource, sink: Sink): void {
    const f = fee("gke-cluster");
    sink.line(cluster, { kind: "fixed", sku: f.name, region: "-", countMin: 1, countMax: 1, hourlyUsd: f.hourlyUsd, pricing: "fee", basis: `GKE cluster management fee $${f.hourlyUsd}/h (the free-tier credit is not counted)` });
    // Autopilot bills the pods' CPU, memory and GPU requests, not machines: nothing the catalog prices.
    const autopilot = readAt(cluster.props, ["enableAutopilot"]);
    if (sink.unusable(cluster, autopilot, "enableAutopilot")) return;
    if (autopilot.state === "known" && autopilot.value === true) {
        sink.issue(cluster, "unpriced", "an Autopilot cluster (enableAutopilot) bills the CPU, memory and GPUs its pods request, which the catalog does not price; use a Standard cluster with declared node pools", "enableAutopilot");
        return;
    }
    reportAutoProvisioning(cluster, sink);
    const removed = removesDefaultPool(cluster.props);
    if (sink.unusable(cluster, removed, "removeDefaultNodePool")) return;
    const inline = readArray(cluster.props, ["nodePools"]);
    if (sink.unusable(cluster, inline, "inline node pools")) return;
    if ((removed.state === "known" && !removed.value) || (inline.state === "known" && inline.value.length > 0)) {
        // The default pool (and inline pools) run GKE's default machine, outside what the pack prices.
        sink.issue(cluster, "unpriced", "the cluster keeps node pools of its own (the default pool, or nodePools), which the cost engine does not price; set removeDefaultNodePool: true and declare each pool as a gcp.container.NodePool", "removeDefaultNodePool");
    }
}

export const GKE_KINDS: ReadonlyArray<Kind> = [
    {
        name: "gke-cluster",
        provider: "gcp",
        types: [GKE.cluster],
        compute: "priced",
        capacity: { kind: POOL, howToSpot: HOW_TO_SPOT, read: clusterCapacity },
        gcpIdentity: nodeIdentity,
        apiServer: clusterApiServer,
        price: (index, sink) => {
            for (const cluster of index.ofType(GKE.cluster)) priceCluster(cluster, sink);
        },
    },
    {
        name: POOL,
        provider: "gcp",
        types: [GKE.nodePool],
        compute: "priced",
        capacity: { kind: POOL, howToSpot: HOW_TO_SPOT, read: (props) => [nodeConfigCapacity(props, ["nodeConfig"], "")] },
        gcpIdentity: nodeIdentity,
        price: (index, sink, context) => {
            for (const pool of index.ofType(GKE.nodePool)) pricePool(pool, index, sink, context);
        },
    },
    {
        // Not compute itself, but may make GKE create pools at run time: reported when it does.
        name: "gke-compute-class",
        provider: "gcp",
        types: [GKE.computeClass],
        price: (index, sink) => {
            for (const computeClass of index.ofType(GKE.computeClass)) reportComputeClassAutoCreation(computeClass, sink);
        },
    },
];
