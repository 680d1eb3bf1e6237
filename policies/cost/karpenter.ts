// Karpenter NodePools: the nodes are made at run time, so the worst case is bounded by spec.limits
// over the instance types the requirements allow, priced at the dearest of them (DESIGN §4).
import { REGION_ANNOTATION } from "../contract/keys";
import { CatalogEntry, CATALOG } from "./catalog";
import { dearestAwsType, ebsHourly } from "./aws";
import { readSelector, workloadFloor } from "./floors";
import { GIB, parseQuantity } from "./quantity";
import { Purchase, Sink } from "./pricing";
import { StackIndex } from "./graph";
import { CostInputResource } from "./types";
import { readArray, readCount, readField, readKeys, readString } from "../model/read";
import { EC2_NODE_CLASS_TYPES, NODE_POOL_TYPES, Requirements, readRequirements, allowedInstanceTypes, spotOnly } from "../model/kubernetes/karpenter";


/**
 * Karpenter counts a node's memory as the instance's memory less its VM overhead estimate
 * (vmMemoryOverheadPercent, default 7.5%). Dividing a memory limit by the smaller figure gives the
 * larger, hence safe, node count.
 */
export const KARPENTER_VM_MEMORY_OVERHEAD = 0.075;

export function priceKarpenter(index: StackIndex, sink: Sink): void {
    for (const pool of index.ofType(...NODE_POOL_TYPES)) priceNodePool(pool, index, sink);
}

/**
 * The volumes of each node: the EC2NodeClass the pool's nodeClassRef names (matched by
 * metadata.name in this stack); with no blockDeviceMappings, Karpenter's AL2023 default 20 GiB gp3.
 */
function nodeVolumes(pool: CostInputResource, index: StackIndex, region: string, sink: Sink): { hourly: number; desc: string } | undefined {
    const ref = readString(pool.props, ["spec", "template", "spec", "nodeClassRef", "name"]);
    if (sink.unusable(pool, ref, "nodeClassRef")) return undefined;
    const cls = index.ofType(...EC2_NODE_CLASS_TYPES).find((c) => {
        const n = readString(c.props, ["metadata", "name"]);
        return n.state === "known" && ref.state === "known" && n.value === ref.value;
    });
    if (!cls) {
        sink.issue(pool, "unpriced", `the EC2NodeClass ${ref.state === "known" ? ref.value : "(not named)"} its nodes use is not in this stack, so their volumes cannot be priced; declare it in the stack`, "spec.template.spec.nodeClassRef");
        return undefined;
    }
    const mappings = readArray(cls.props, ["spec", "blockDeviceMappings"]);
    if (sink.unusable(cls, mappings, "block device mappings")) return undefined;
    if (mappings.state !== "known" || mappings.value.length === 0) {
        const d = ebsHourly(pool, { size: 20, type: "gp3" }, [], ["size"], ["type"], region, "gp3", sink);
        return d ? { hourly: d.hourly, desc: `${d.desc} (Karpenter's AL2023 default root volume)` } : undefined;
    }
    let hourly = 0;
    const desc: string[] = [];
    for (let i = 0; i < mappings.value.length; i++) {
        const v = ebsHourly(cls, cls.props, ["spec", "blockDeviceMappings", i, "ebs"], ["volumeSize"], ["volumeType"], region, "gp3", sink);
        if (!v) return undefined;
        hourly += v.hourly;
        desc.push(v.desc);
    }
    return { hourly, desc: desc.join(" + ") };
}

/** The requirements as the model reads them; the first unreadable one blocks the estimate. */
function requirementsOf(pool: CostInputResource, sink: Sink): Requirements | undefined {
    const reqs = readRequirements(pool.props);
    const blocked = reqs.problems[0];
    if (blocked) {
        sink.unusable(pool, blocked.read, blocked.what);
        return undefined;
    }
    return reqs.constraints;
}

/** Spot pricing only when the requirements allow spot and nothing else. */
function purchaseOf(reqs: Requirements): Purchase {
    return spotOnly(reqs) ? { kind: "spot" } : { kind: "on-demand" };
}

/** Capacity of one node in a limit's dimension; 0 means the dimension does not bound that type. */
export function perNodeCapacity(entry: CatalogEntry, dimension: string): number {
    const acc = entry.accelerators;
    switch (dimension) {
        case "cpu":
            return entry.vcpu;
        case "memory":
            return entry.memoryGb * GIB * (1 - KARPENTER_VM_MEMORY_OVERHEAD);
        case "aws.amazon.com/neuron":
            return acc?.kind === "AWS Inferentia2" ? acc.count : 0;
        case "aws.amazon.com/neuroncore": // 2 NeuronCore-v2 per Inferentia2 chip
            return acc?.kind === "AWS Inferentia2" ? acc.count * 2 : 0;
        case "nvidia.com/gpu":
            return acc?.kind.startsWith("NVIDIA") ? acc.count : 0;
        case "nodes":
            return 1;
        default:
            return 0;
    }
}

export const LIMIT_DIMENSIONS = ["cpu", "memory", "aws.amazon.com/neuron", "aws.amazon.com/neuroncore", "nvidia.com/gpu", "nodes"];

/**
 * The most nodes the pool can hold, for any mix of the allowed types: for each limited dimension,
 * limit / (smallest per-node capacity among the types), and the tightest of those. A dimension in
 * which some allowed type has no capacity (neuron on a GPU type) bounds nothing.
 */
export function nodeCountBound(limits: ReadonlyMap<string, number>, entries: ReadonlyArray<CatalogEntry>): { count: number; dimension: string } | undefined {
    let best: { count: number; dimension: string } | undefined;
    for (const [dimension, limit] of limits) {
        const smallest = Math.min(...entries.map((e) => perNodeCapacity(e, dimension)));
        if (!(smallest > 0)) continue;
        // The epsilon keeps an exact fit (1184Gi / 118.4Gi) from flooring one node short.
        const count = Math.floor(limit / smallest + 1e-9);
        if (!best || count < best.count) best = { count, dimension };
    }
    return best;
}

function readLimits(pool: CostInputResource, sink: Sink): Map<string, number> | undefined {
    const keys = readKeys(pool.props, ["spec", "limits"]);
    if (sink.unusable(pool, keys, "limits")) return undefined;
    const limits = new Map<string, number>();
    if (keys.state !== "known") return limits;
    for (const dimension of LIMIT_DIMENSIONS.filter((d) => keys.value.includes(d))) {
        const raw = readField(pool.props, ["spec", "limits", dimension]);
        if (sink.unusable(pool, raw, `limit ${dimension}`)) return undefined;
        const value = raw.state === "known" ? parseQuantity(raw.value) : undefined;
        if (value === undefined || value < 0) {
            sink.issue(pool, "unknown", `limit ${dimension} (${raw.field}) is not a Kubernetes quantity, so the pool cannot be bounded`, raw.field);
            return undefined;
        }
        limits.set(dimension, value);
    }
    return limits;
}

function priceNodePool(pool: CostInputResource, index: StackIndex, sink: Sink): void {
    const reqs = requirementsOf(pool, sink);
    const region = readString(pool.props, ["metadata", "annotations", REGION_ANNOTATION]);
    const limits = readLimits(pool, sink);
    const replicas = readCount(pool.props, ["spec", "replicas"]);
    if (sink.unusable(pool, region, "region annotation") || sink.unusable(pool, replicas, "static replicas") || !reqs || !limits) return;
    const allowed = allowedInstanceTypes(reqs);
    if ("reason" in allowed) {
        sink.issue(pool, "unpriced", allowed.reason, "spec.template.spec.requirements");
        return;
    }
    const purchase = purchaseOf(reqs);
    const regionName = region.state === "known" ? region.value : undefined;
    const dearest = dearestAwsType(pool, allowed.types, regionName, purchase, "spec.template.spec.requirements", sink);
    if (!dearest) return;
    // Per-node capacities do not depend on region; take them from any catalog row of each type.
    const entries = allowed.types.map((t) => CATALOG.find((e) => e.cloud === "aws" && e.sku === t)!);

    let countMin = 0;
    let countMax: number;
    let how: string;
    if (replicas.state === "known") {
        countMin = replicas.value;
        countMax = replicas.value;
        how = "static spec.replicas";
    } else {
        const bound = nodeCountBound(limits, entries);
        if (!bound) {
            const what = limits.size === 0 ? "has no spec.limits on cpu, memory, accelerators or nodes" : "has limits that do not bound every allowed type";
            sink.issue(pool, "unbounded", `NodePool ${what}, so Karpenter may launch nodes without end; set spec.limits`, "spec.limits");
            return;
        }
        countMax = bound.count;
        how = `at most ${bound.count} nodes under limits.${bound.dimension}`;
    }
    const { price } = dearest;
    // What always runs decides the baseline: the workloads' minimum replicas on this node shape.
    const entry = CATALOG.find((e) => e.cloud === "aws" && e.sku === dearest.sku)!;
    const floor = replicas.state === "known" ? undefined : workloadFloor(index, readSelector(pool.props, ["spec", "template", "metadata", "labels"]), entry);
    if (floor) countMin = Math.min(Math.max(countMin, floor.nodes), countMax);
    const regionNote = regionName === undefined ? `no ${REGION_ANNOTATION} annotation, so each type is priced at its dearest catalog region` : "";
    const notes = [price.unit.note, how, `priced at the dearest of ${allowed.types.length} allowed types`, floor ? `baseline: ${floor.why}` : "", regionNote].filter((s) => s !== "");
    sink.line(pool, {
        kind: "capacity", sku: dearest.sku, region: price.region, countMin, countMax, hourlyUsd: price.unit.hourlyUsd, expectedHourlyUsd: price.unit.expectedHourlyUsd, pricing: price.unit.pricing,
        basis: `${countMin} to ${countMax} x ${dearest.sku} in ${price.region}: ${notes.join("; ")}`,
    });
    const volumes = nodeVolumes(pool, index, price.region, sink);
    if (!volumes) return;
    sink.line(pool, { kind: "storage", sku: "aws-ebs", region: price.region, countMin, countMax, hourlyUsd: volumes.hourly, pricing: "fee", basis: `${countMin} to ${countMax} nodes x ${volumes.desc}` });
    const unit = price.unit.hourlyUsd + volumes.hourly;
    const over = sink.transientHours.karpenterOvershoot;
    const replace = sink.transientHours.karpenterReplacement;
    sink.line(pool, {
        kind: "transient", sku: `${dearest.sku} overshoot`, region: price.region, countMin: 0, countMax: 1, hourlyUsd: unit, hoursPerMonth: over, pricing: price.unit.pricing,
        basis: `limit overshoot: Karpenter checks limits before it launches, so a scale-out can pass them by a node; 1 x $${Number(unit.toFixed(6))}/h x ${over} h/month (transientHoursPerMonth.karpenterOvershoot)`,
    });
    sink.line(pool, {
        kind: "transient", sku: `${dearest.sku} replacement`, region: price.region, countMin: 0, countMax, hourlyUsd: unit, hoursPerMonth: replace, pricing: price.unit.pricing,
        basis: `replace-before-remove on drift or expiry: each of up to ${countMax} nodes gets a replacement that overlaps it, ${countMax} x $${Number(unit.toFixed(6))}/h x ${replace} h/month (transientHoursPerMonth.karpenterReplacement)`,
    });
}
