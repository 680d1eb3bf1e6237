// GCP: managed instance groups (priced through their templates and autoscalers), single VMs,
// GKE cluster fees and load-balancer forwarding rules.
import { fee, usagePrice } from "./catalog";
import { diskHourly } from "./gcpDisk";
import { StackIndex } from "./graph";
import { Purchase, Sink, describeCount, gcpRegionOfZone, priceSku } from "./pricing";
import { CostInputResource } from "./types";
import { kindsOf } from "../model";
import { GCE, GCE_AUTOSCALERS, GCE_TEMPLATES } from "../model/gcp/compute";
import { GKE } from "../model/gcp/gke";
import { GCP_IAM } from "../model/gcp/iam";
import { GCP_NET } from "../model/gcp/network";
import { readArray, readBoolean, readCount, readNumber, readString, readStringList, Typed } from "../model/read";

/** The GCP type tokens the engine prices, by the names the tests use (owned by policies/model/gcp/). */
export const GCP_TYPES = {
    template: GCE.template,
    regionTemplate: GCE.regionTemplate,
    regionGroup: GCE.regionGroup,
    zoneGroup: GCE.zoneGroup,
    regionAutoscaler: GCE.regionAutoscaler,
    zoneAutoscaler: GCE.zoneAutoscaler,
    instance: GCE.instance,
    gkeCluster: GKE.cluster,
    globalForwardingRule: GCP_NET.globalForwardingRule,
    forwardingRule: GCP_NET.forwardingRule,
    routerNat: GCP_NET.routerNat,
    globalAddress: GCP_NET.globalAddress,
    address: GCP_NET.address,
    backendService: GCP_NET.backendService,
    securityPolicy: GCP_NET.securityPolicy,
    secretVersion: GCP_IAM.secretVersion,
    disk: GCE.disk,
} as const;

const TEMPLATES = GCE_TEMPLATES;
const AUTOSCALERS = GCE_AUTOSCALERS;

/** VMs per region the groups and instances of the stack may run (for Cloud NAT's per-VM fee). */
type VmCounts = Map<string | undefined, { min: number; max: number }>;

export function priceGcp(index: StackIndex, sink: Sink): void {
    const vms: VmCounts = new Map();
    const count = (region: string | undefined, min: number, max: number) => {
        const c = vms.get(region) ?? { min: 0, max: 0 };
        vms.set(region, { min: c.min + min, max: c.max + max });
    };
    for (const group of index.ofType(GCP_TYPES.regionGroup, GCP_TYPES.zoneGroup)) priceGroup(group, index, sink, count);
    for (const vm of index.ofType(GCP_TYPES.instance)) priceInstance(vm, sink, count);
    for (const d of index.ofType(GCP_TYPES.disk)) priceStandaloneDisk(d, sink);
    // Kinds that price themselves (GKE), after the machines so they may count VMs for Cloud NAT.
    for (const kind of kindsOf("gcp")) kind.price?.(index, sink, { countVms: count });
    priceForwardingRules(index.ofType(GCP_TYPES.globalForwardingRule, GCP_TYPES.forwardingRule), sink);
    for (const nat of index.ofType(GCP_TYPES.routerNat)) priceCloudNat(nat, vms, sink);
    for (const a of index.ofType(GCP_TYPES.globalAddress, GCP_TYPES.address)) priceAddress(a, sink);
    for (const b of index.ofType(GCP_TYPES.backendService)) priceBackendUsage(b, sink);
    for (const p of index.ofType(GCP_TYPES.securityPolicy)) priceSecurityPolicy(p, sink);
    for (const v of index.ofType(GCP_TYPES.secretVersion)) {
        const f = fee("gcp-secret-version");
        sink.line(v, { kind: "fixed", sku: f.name, region: "-", countMin: 1, countMax: 1, hourlyUsd: f.hourlyUsd, pricing: "fee", basis: "one active Secret Manager secret version, $0.06/month" });
    }
}

/** The disks of an instance template (disks[]), each priced per instance. */
function templateDisks(t: CostInputResource, region: string | undefined, sink: Sink): Array<{ hourly: number; desc: string }> | undefined {
    const disks = readArray(t.props, ["disks"]);
    if (sink.unusable(t, disks, "disks")) return undefined;
    if (disks.state !== "known") return [];
    const out: Array<{ hourly: number; desc: string }> = [];
    for (let i = 0; i < disks.value.length; i++) {
        // An instance template's disks default to pd-standard, which the catalog does not price.
        const d = diskHourly(t, readString(t.props, ["disks", i, "diskType"]), readNumber(t.props, ["disks", i, "diskSizeGb"]), region, "pd-standard", sink);
        if (!d) return undefined;
        out.push(d);
    }
    return out;
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

/**
 * Surge instances of a rolling update: updatePolicy.maxSurgeFixed, or maxSurgePercent of the
 * group's maximum (rounded up); unset, GCP surges a regional group by its number of zones (3 by
 * default) and a zonal one by 1.
 */
function readSurge(group: CostInputResource, max: number, sink: Sink): { surge: number; how: string } | undefined {
    const fixed = readCount(group.props, ["updatePolicy", "maxSurgeFixed"]);
    const pct = readCount(group.props, ["updatePolicy", "maxSurgePercent"]);
    const zones = readArray(group.props, ["distributionPolicyZones"]);
    if (sink.unusable(group, fixed, "maxSurgeFixed") || sink.unusable(group, pct, "maxSurgePercent") || sink.unusable(group, zones, "distribution zones")) return undefined;
    if (fixed.state === "known") return { surge: fixed.value, how: `updatePolicy.maxSurgeFixed ${fixed.value}` };
    if (pct.state === "known") return { surge: Math.ceil((max * pct.value) / 100), how: `updatePolicy.maxSurgePercent ${pct.value}% of ${max}` };
    if (group.type === GCP_TYPES.zoneGroup) return { surge: 1, how: "GCP default maxSurge 1 for a zonal group" };
    const n = zones.state === "known" ? zones.value.length : 3;
    return { surge: n, how: `GCP default maxSurge = ${n} zones of a regional group` };
}

/** One line per group: count from its autoscaler (or targetSize) x its dearest template. */
function priceGroup(group: CostInputResource, index: StackIndex, sink: Sink, count: (region: string | undefined, min: number, max: number) => void): void {
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
    count(price.region, size.min, size.max);
    const notes = [price.unit.note, size.how, price.regionNote, candidates.length > 1 ? "dearest of its templates/machine types" : ""].filter((s) => s !== "");
    sink.line(group, {
        kind: "capacity",
        sku: dearest.sku,
        region: price.region,
        countMin: size.min,
        countMax: size.max,
        hourlyUsd: price.unit.hourlyUsd,
        expectedHourlyUsd: price.unit.expectedHourlyUsd,
        pricing: price.unit.pricing,
        basis: `${describeCount(size.min, size.max)} x ${dearest.sku} in ${price.region}: ${notes.join("; ")}`,
    });
    // Every instance carries its template's disks; the dearest template's set is priced.
    let disks: Array<{ hourly: number; desc: string }> = [];
    for (const t of templates) {
        const these = templateDisks(t, price.region, sink);
        if (!these) return;
        if (these.reduce((a, d) => a + d.hourly, 0) > disks.reduce((a, d) => a + d.hourly, 0)) disks = these;
    }
    const diskHourlyTotal = disks.reduce((a, d) => a + d.hourly, 0);
    if (disks.length > 0) {
        sink.line(group, {
            kind: "storage", sku: "gcp-disk", region: price.region, countMin: size.min, countMax: size.max, hourlyUsd: diskHourlyTotal, pricing: "fee",
            basis: `${describeCount(size.min, size.max)} instances x their disks (${disks.map((d) => d.desc).join(" + ")}), $${Number((diskHourlyTotal * 730).toFixed(4))}/month each`,
        });
    }
    const surge = readSurge(group, size.max, sink);
    if (!surge || surge.surge === 0) return;
    const hours = sink.transientHours.migRollingUpdate;
    const unit = price.unit.hourlyUsd + diskHourlyTotal;
    sink.line(group, {
        kind: "transient", sku: `${dearest.sku} surge`, region: price.region, countMin: 0, countMax: surge.surge, hourlyUsd: unit, hoursPerMonth: hours, pricing: price.unit.pricing,
        basis: `rolling-update surge: ${surge.surge} extra instance(s) (${surge.how}) x $${Number(unit.toFixed(6))}/h (machine + disks) x ${hours} h/month (transientHoursPerMonth.migRollingUpdate)`,
    });
}

function priceInstance(vm: CostInputResource, sink: Sink, count: (region: string | undefined, min: number, max: number) => void): void {
    const machine = readMachine(vm, sink);
    const zone = readString(vm.props, ["zone"]);
    if (!machine || sink.unusable(vm, zone, "zone")) return;
    const region = zone.state === "known" ? gcpRegionOfZone(zone.value) : undefined;
    const price = priceSku("gcp", machine.sku, region, machine.purchase, sink.spotMargin);
    if (!price.ok) {
        sink.issue(vm, "unpriced", price.message, "machineType");
        return;
    }
    count(price.region, 1, 1);
    const notes = [price.unit.note, price.regionNote].filter((s) => s !== "");
    sink.line(vm, { kind: "capacity", sku: machine.sku, region: price.region, countMin: 1, countMax: 1, hourlyUsd: price.unit.hourlyUsd, expectedHourlyUsd: price.unit.expectedHourlyUsd, pricing: price.unit.pricing, basis: `1 x ${machine.sku} in ${price.region}: ${notes.join("; ")}` });
    const boot = diskHourly(vm, readString(vm.props, ["bootDisk", "initializeParams", "type"]), readNumber(vm.props, ["bootDisk", "initializeParams", "size"]), price.region, "pd-standard", sink);
    if (boot) sink.line(vm, { kind: "storage", sku: "gcp-disk", region: price.region, countMin: 1, countMax: 1, hourlyUsd: boot.hourly, pricing: "fee", basis: `boot disk ${boot.desc}` });
}

function priceStandaloneDisk(d: CostInputResource, sink: Sink): void {
    const zone = readString(d.props, ["zone"]);
    if (sink.unusable(d, zone, "zone")) return;
    const region = zone.state === "known" ? gcpRegionOfZone(zone.value) : undefined;
    const disk = diskHourly(d, readString(d.props, ["type"]), readNumber(d.props, ["size"]), region, "pd-standard", sink);
    if (disk) sink.line(d, { kind: "storage", sku: "gcp-disk", region: region ?? "-", countMin: 1, countMax: 1, hourlyUsd: disk.hourly, pricing: "fee", basis: `persistent disk ${disk.desc}` });
}

/**
 * Cloud NAT bills $0.0014 per VM-hour for the VMs using it (capped at $0.044/h from 32 VMs), plus
 * $0.005/h per external address it uses, plus $0.045/GiB processed. The VMs are the stack's groups
 * and instances in the gateway's region, between their bounds.
 */
function priceCloudNat(nat: CostInputResource, vms: VmCounts, sink: Sink): void {
    const regionRead = readString(nat.props, ["region"]);
    const alloc = readString(nat.props, ["natIpAllocateOption"]);
    const manual = readArray(nat.props, ["natIps"]);
    const minPorts = readCount(nat.props, ["minPortsPerVm"]);
    const maxPorts = readCount(nat.props, ["maxPortsPerVm"]);
    const dynamic = readBoolean(nat.props, ["enableDynamicPortAllocation"]);
    if ([regionRead, alloc, minPorts, maxPorts].some((r) => sink.unusable(nat, r as Typed<unknown>, "Cloud NAT setting")) || sink.unusable(nat, manual, "NAT addresses") || sink.unusable(nat, dynamic, "dynamic port allocation")) return;
    const region = regionRead.state === "known" ? regionRead.value : undefined;
    const c = vms.get(region) ?? [...vms.values()].reduce((a, b) => ({ min: a.min + b.min, max: a.max + b.max }), { min: 0, max: 0 });
    const perVm = fee("gcp-cloud-nat-vm");
    const cap = fee("gcp-cloud-nat-max");
    const capped = (n: number) => Math.min(n * perVm.hourlyUsd, cap.hourlyUsd);
    sink.line(nat, {
        kind: "fixed", sku: perVm.name, region: region ?? "-", countMin: c.min, countMax: c.max, hourlyUsd: perVm.hourlyUsd, pricing: "fee",
        basis: `Cloud NAT gateway: ${describeCount(c.min, c.max)} VMs of this stack in ${region ?? "its region"} x $${perVm.hourlyUsd}/VM-hour (capped at $${cap.hourlyUsd}/h from 32 VMs: ${c.max > 32 ? "capped" : "under the cap"})`,
    });
    if (c.max > 32) {
        // Replace the per-VM line's worst case by the cap.
        const l = sink.lines[sink.lines.length - 1];
        l.worstCaseMonthlyUsd = Math.round(capped(c.max) * 730 * 100) / 100;
        l.baselineMonthlyUsd = Math.round(capped(c.min) * 730 * 100) / 100;
    }
    // AUTO_ONLY: one address holds 64,512 ports, i.e. the VMs at their ports per VM (64 by default).
    const ports = dynamic.state === "known" && dynamic.value ? (maxPorts.state === "known" ? maxPorts.value : 65_536) : minPorts.state === "known" ? minPorts.value : 64;
    const auto = alloc.state !== "known" || alloc.value === "AUTO_ONLY";
    const ipsMax = auto ? Math.max(1, Math.ceil((c.max * ports) / 64_512)) : manual.state === "known" ? manual.value.length : 0;
    const ipsMin = auto ? Math.max(1, Math.ceil((c.min * ports) / 64_512)) : ipsMax;
    const ip = fee("gcp-external-ip");
    if (ipsMax > 0) {
        sink.line(nat, {
            kind: "fixed", sku: "gcp-nat-ip", region: region ?? "-", countMin: ipsMin, countMax: ipsMax, hourlyUsd: ip.hourlyUsd, pricing: "fee",
            basis: auto
                ? `NAT external addresses allocated automatically: ${ports} ports per VM x ${c.max} VMs / 64,512 ports per address = ${ipsMax}, $${ip.hourlyUsd}/h each`
                : `${ipsMax} manual NAT addresses, $${ip.hourlyUsd}/h each`,
        });
    }
    const u = usagePrice("gcp-nat-processed");
    sink.usageLine(nat, { sku: u.name, region: region ?? "-", quantity: sink.usage.natProcessedGb, unitUsd: u.usd, unit: "GiB", basis: "data processed by Cloud NAT (usage.natProcessedGb)" });
}

/** A reserved external address is billed while it exists; internal ones are free. */
function priceAddress(a: CostInputResource, sink: Sink): void {
    const type = readString(a.props, ["addressType"]);
    if (sink.unusable(a, type, "address type")) return;
    if (type.state === "known" && type.value === "INTERNAL") return;
    const f = fee("gcp-external-ip");
    sink.line(a, { kind: "fixed", sku: "gcp-static-ip", region: a.type === GCP_TYPES.globalAddress ? "global" : "-", countMin: 1, countMax: 1, hourlyUsd: f.hourlyUsd, pricing: "fee", basis: `static external address held by a forwarding rule, $${f.hourlyUsd}/h` });
}

/** An external backend service carries the endpoint's load-balancer processing and internet egress. */
function priceBackendUsage(b: CostInputResource, sink: Sink): void {
    const scheme = readString(b.props, ["loadBalancingScheme"]);
    if (sink.unusable(b, scheme, "load-balancing scheme")) return;
    const s = scheme.state === "known" ? scheme.value : "EXTERNAL";
    if (!s.startsWith("EXTERNAL")) return;
    const lb = usagePrice("gcp-lb-processed");
    const out = usagePrice("gcp-internet-egress");
    sink.usageLine(b, { sku: lb.name, region: "global", quantity: sink.usage.loadBalancerProcessedGb, unitUsd: lb.usd, unit: "GiB", basis: "data processed by the external load balancer (usage.loadBalancerProcessedGb)" });
    sink.usageLine(b, { sku: out.name, region: "global", quantity: sink.usage.internetEgressGb, unitUsd: out.usd, unit: "GiB", basis: "responses leaving Google's network (usage.internetEgressGb)" });
}

/** Cloud Armor Standard: $5 a policy-month, $1 a rule-month, $0.75 per million requests. */
function priceSecurityPolicy(p: CostInputResource, sink: Sink): void {
    const rules = readArray(p.props, ["rules"]);
    if (sink.unusable(p, rules, "security policy rules")) return;
    const n = rules.state === "known" ? rules.value.length : 1;
    const policy = fee("gcp-cloud-armor-policy");
    const rule = fee("gcp-cloud-armor-rule");
    sink.line(p, { kind: "fixed", sku: policy.name, region: "global", countMin: 1, countMax: 1, hourlyUsd: policy.hourlyUsd, pricing: "fee", basis: "Cloud Armor security policy, $5/month" });
    sink.line(p, { kind: "fixed", sku: rule.name, region: "global", countMin: n, countMax: n, hourlyUsd: rule.hourlyUsd, pricing: "fee", basis: `${n} Cloud Armor rules (the default rule included), $1/month each` });
    const u = usagePrice("gcp-cloud-armor-requests");
    sink.usageLine(p, { sku: u.name, region: "global", quantity: sink.usage.wafRequestsMillions, unitUsd: u.usd, unit: "million requests", basis: "requests Cloud Armor evaluates (usage.wafRequestsMillions)" });
}

/** The first 5 forwarding rules of a project cost $0.025/h each, every further one $0.01/h. */
function priceForwardingRules(rules: CostInputResource[], sink: Sink): void {
    const first = fee("gcp-lb-forwarding-rule-first5");
    const extra = fee("gcp-lb-forwarding-rule-additional");
    rules.forEach((rule, i) => {
        const f = i < 5 ? first : extra;
        const region = rule.type === GCP_TYPES.globalForwardingRule ? "global" : "-";
        sink.line(rule, {
            kind: "fixed", sku: f.name, region, countMin: 1, countMax: 1, hourlyUsd: f.hourlyUsd, pricing: "fee",
            basis: `forwarding rule ${i + 1} of ${rules.length} in the stack at $${f.hourlyUsd}/h (${i < 5 ? "first 5" : "beyond the first 5"})`,
        });
    });
}
