// GCP: managed instance groups (priced through their templates and autoscalers), single VMs,
// GKE cluster fees and load-balancer forwarding rules.
import { fee } from "./catalog";
import { StackIndex } from "./graph";
import { Purchase, Sink, describeCount, gcpRegionOfZone, priceSku } from "./pricing";
import { CostInputResource } from "./types";
import { readArray, readBoolean, readCount, readString, readStringList, Typed } from "./values";

export const GCP_TYPES = {
    template: "gcp:compute/instanceTemplate:InstanceTemplate",
    regionTemplate: "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate",
    regionGroup: "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager",
    zoneGroup: "gcp:compute/instanceGroupManager:InstanceGroupManager",
    regionAutoscaler: "gcp:compute/regionAutoscaler:RegionAutoscaler",
    zoneAutoscaler: "gcp:compute/autoscaler:Autoscaler",
    instance: "gcp:compute/instance:Instance",
    gkeCluster: "gcp:container/cluster:Cluster",
    globalForwardingRule: "gcp:compute/globalForwardingRule:GlobalForwardingRule",
    forwardingRule: "gcp:compute/forwardingRule:ForwardingRule",
} as const;

const TEMPLATES = [GCP_TYPES.template, GCP_TYPES.regionTemplate];
const AUTOSCALERS = [GCP_TYPES.regionAutoscaler, GCP_TYPES.zoneAutoscaler];

export function priceGcp(index: StackIndex, sink: Sink): void {
    for (const group of index.ofType(GCP_TYPES.regionGroup, GCP_TYPES.zoneGroup)) priceGroup(group, index, sink);
    for (const vm of index.ofType(GCP_TYPES.instance)) priceInstance(vm, sink);
    for (const cluster of index.ofType(GCP_TYPES.gkeCluster)) {
        const f = fee("gke-cluster");
        sink.line(cluster, { sku: f.name, region: "-", countMin: 1, countMax: 1, hourlyUsd: f.hourlyUsd, pricing: "fee", basis: `GKE cluster management fee $${f.hourlyUsd}/h (the free-tier credit is not counted)` });
    }
    priceForwardingRules(index.ofType(GCP_TYPES.globalForwardingRule, GCP_TYPES.forwardingRule), sink);
}

/** What a machine is, read from an instance template or an instance. */
interface Machine {
    readonly sku: string;
    readonly purchase: Purchase;
}

/**
 * The catalog SKU of a machine: its type, plus any attached guest accelerators (so an n1 with a T4
 * is priced as that pair, and a g2 with extra GPUs is not priced as a bare g2).
 */
function readMachine(res: CostInputResource, sink: Sink): Machine | undefined {
    const machineType = readString(res.props, ["machineType"]);
    if (sink.unusable(res, machineType, "machine type")) return undefined;
    if (machineType.state !== "known") {
        sink.issue(res, "unpriced", "machineType is not set, so the machine cannot be priced", "machineType");
        return undefined;
    }
    const accelerators = readGuestAccelerators(res, sink);
    if (accelerators === undefined) return undefined;
    const purchase = readGcpPurchase(res, sink);
    if (purchase === undefined) return undefined;
    return { sku: [machineType.value, ...accelerators].join("+"), purchase };
}

function readGuestAccelerators(res: CostInputResource, sink: Sink): string[] | undefined {
    const list = readArray(res.props, ["guestAccelerators"]);
    if (sink.unusable(res, list, "guest accelerators")) return undefined;
    if (list.state !== "known") return [];
    const out: string[] = [];
    for (let i = 0; i < list.value.length; i++) {
        const type = readString(res.props, ["guestAccelerators", i, "type"]);
        const count = readCount(res.props, ["guestAccelerators", i, "count"]);
        if (sink.unusable(res, type, "guest accelerator type") || sink.unusable(res, count, "guest accelerator count")) return undefined;
        if (type.state !== "known" || count.state !== "known") continue;
        if (count.value > 0) out.push(`${count.value}x${type.value}`);
    }
    return out.sort();
}

/** SPOT provisioning or legacy preemptible VMs are spot capacity. */
function readGcpPurchase(res: CostInputResource, sink: Sink): Purchase | undefined {
    const model = readString(res.props, ["scheduling", "provisioningModel"]);
    const preemptible = readBoolean(res.props, ["scheduling", "preemptible"]);
    if (sink.unusable(res, model, "provisioning model") || sink.unusable(res, preemptible, "preemptible flag")) return undefined;
    const spot = (model.state === "known" && model.value.toUpperCase() === "SPOT") || (preemptible.state === "known" && preemptible.value);
    return spot ? { kind: "spot" } : { kind: "on-demand" };
}

interface GroupSize {
    readonly min: number;
    readonly max: number;
    readonly how: string;
}

/** Counts from the autoscalers that target the group, else its fixed targetSize. */
function readGroupSize(group: CostInputResource, autoscalers: CostInputResource[], sink: Sink): GroupSize | undefined {
    if (autoscalers.length === 0) {
        const size = readCount(group.props, ["targetSize"]);
        if (sink.unusable(group, size, "target size")) return undefined;
        const n = size.state === "known" ? size.value : 0;
        return { min: n, max: n, how: size.state === "known" ? "fixed targetSize" : "no autoscaler and no targetSize (0)" };
    }
    let min = Infinity;
    let max = 0;
    let ok = true;
    for (const a of autoscalers) {
        const lo = readCount(a.props, ["autoscalingPolicy", "minReplicas"]);
        const hi = readCount(a.props, ["autoscalingPolicy", "maxReplicas"]);
        if (sink.unusable(a, lo, "autoscaler minimum") || sink.unusable(a, hi, "autoscaler maximum")) {
            ok = false;
            continue;
        }
        if (hi.state !== "known") {
            sink.issue(a, "unbounded", "autoscaler has no autoscalingPolicy.maxReplicas, so the group has no maximum; set one", "autoscalingPolicy.maxReplicas");
            ok = false;
            continue;
        }
        min = Math.min(min, lo.state === "known" ? lo.value : 0);
        max = Math.max(max, hi.value);
    }
    return ok ? { min: Math.min(min, max), max, how: "autoscaler minReplicas/maxReplicas" } : undefined;
}

/**
 * The group's region: the first KNOWN of the group's region/zone, its autoscalers' and its
 * templates' region. At preview a region left to the provider default is unknown on some of them.
 */
function resolveGroupRegion(group: CostInputResource, autoscalers: CostInputResource[], templates: CostInputResource[], sink: Sink): { region: string | undefined } | undefined {
    const candidates: Array<{ res: CostInputResource; read: Typed<string>; zone: boolean }> = [];
    for (const r of [group, ...autoscalers]) {
        candidates.push({ res: r, read: readString(r.props, ["region"]), zone: false });
        candidates.push({ res: r, read: readString(r.props, ["zone"]), zone: true });
    }
    for (const t of templates) candidates.push({ res: t, read: readString(t.props, ["region"]), zone: false });
    const known = candidates.find((c) => c.read.state === "known");
    if (known && known.read.state === "known") return { region: known.zone ? gcpRegionOfZone(known.read.value) : known.read.value };
    const blocked = candidates.find((c) => c.read.state === "unknown" || c.read.state === "invalid");
    if (blocked) {
        sink.unusable(blocked.res, blocked.read, "region");
        return undefined;
    }
    return { region: undefined };
}

/** Machine types a regional group may use besides its template's (instance flexibility). */
function readFlexibleMachineTypes(group: CostInputResource, sink: Sink): string[] | undefined {
    const selections = readArray(group.props, ["instanceFlexibilityPolicy", "instanceSelections"]);
    if (sink.unusable(group, selections, "instance flexibility")) return undefined;
    if (selections.state !== "known") return [];
    const out: string[] = [];
    for (let i = 0; i < selections.value.length; i++) {
        const types = readStringList(group.props, ["instanceFlexibilityPolicy", "instanceSelections", i, "machineTypes"]);
        if (sink.unusable(group, types, "flexible machine types")) return undefined;
        if (types.state === "known") out.push(...types.value);
    }
    return out;
}

/** One line per group: count from its autoscaler (or targetSize) x its dearest template. */
function priceGroup(group: CostInputResource, index: StackIndex, sink: Sink): void {
    const templates = index.dependenciesOf(group, "versions", TEMPLATES);
    const autoscalers = index.dependentsOf(group, "target", AUTOSCALERS);
    if (templates.length === 0) {
        sink.issue(group, "unknown", "no instance template of this stack is linked through versions[].instanceTemplate, so the machine type cannot be known", "versions");
        return;
    }
    const machines = templates.map((t) => readMachine(t, sink));
    const size = readGroupSize(group, autoscalers, sink);
    const region = resolveGroupRegion(group, autoscalers, templates, sink);
    const flexible = readFlexibleMachineTypes(group, sink);
    if (machines.some((m) => m === undefined) || !size || !region || !flexible) return;

    const candidates = (machines as Machine[]).flatMap((m) => [m, ...flexible.map((sku) => ({ sku, purchase: m.purchase }))]);
    let dearest: { sku: string; price: Extract<ReturnType<typeof priceSku>, { ok: true }> } | undefined;
    for (const m of candidates) {
        const price = priceSku("gcp", m.sku, region.region, m.purchase, sink.spotMargin);
        if (!price.ok) {
            sink.issue(group, "unpriced", `${price.message}; an unpriced machine is never counted as $0`, "versions");
            return;
        }
        if (!dearest || price.unit.hourlyUsd > dearest.price.unit.hourlyUsd) dearest = { sku: m.sku, price };
    }
    if (!dearest) return;
    const { price } = dearest;
    const notes = [price.unit.note, size.how, price.regionNote, candidates.length > 1 ? "dearest of its templates/machine types" : ""].filter((s) => s !== "");
    sink.line(group, {
        sku: dearest.sku,
        region: price.region,
        countMin: size.min,
        countMax: size.max,
        hourlyUsd: price.unit.hourlyUsd,
        pricing: price.unit.pricing,
        basis: `${describeCount(size.min, size.max)} x ${dearest.sku} in ${price.region}: ${notes.join("; ")}`,
    });
}

function priceInstance(vm: CostInputResource, sink: Sink): void {
    const machine = readMachine(vm, sink);
    const zone = readString(vm.props, ["zone"]);
    if (!machine || sink.unusable(vm, zone, "zone")) return;
    const region = zone.state === "known" ? gcpRegionOfZone(zone.value) : undefined;
    const price = priceSku("gcp", machine.sku, region, machine.purchase, sink.spotMargin);
    if (!price.ok) {
        sink.issue(vm, "unpriced", price.message, "machineType");
        return;
    }
    const notes = [price.unit.note, price.regionNote].filter((s) => s !== "");
    sink.line(vm, { sku: machine.sku, region: price.region, countMin: 1, countMax: 1, hourlyUsd: price.unit.hourlyUsd, pricing: price.unit.pricing, basis: `1 x ${machine.sku} in ${price.region}: ${notes.join("; ")}` });
}

/** The first 5 forwarding rules of a project cost $0.025/h each, every further one $0.01/h. */
function priceForwardingRules(rules: CostInputResource[], sink: Sink): void {
    const first = fee("gcp-lb-forwarding-rule-first5");
    const extra = fee("gcp-lb-forwarding-rule-additional");
    rules.forEach((rule, i) => {
        const f = i < 5 ? first : extra;
        const region = rule.type === GCP_TYPES.globalForwardingRule ? "global" : "-";
        sink.line(rule, {
            sku: f.name, region, countMin: 1, countMax: 1, hourlyUsd: f.hourlyUsd, pricing: "fee",
            basis: `forwarding rule ${i + 1} of ${rules.length} in the stack at $${f.hourlyUsd}/h (${i < 5 ? "first 5" : "beyond the first 5"})`,
        });
    });
}
