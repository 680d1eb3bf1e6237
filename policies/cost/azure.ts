// Azure (azure-native v3): AKS clusters and agent pools, Azure ML managed online deployments
// (with their Azure Monitor autoscale settings), VMs, public IPs, load balancers and managed disks.
import { AGENT_POOL_REGION_TAG } from "../contract/keys";
import { CatalogEntry, FeeName, azureDiskTier, fee, findPrice, usagePrice } from "./catalog";
import { readSelector, workloadFloor } from "./floors";
import { StackIndex } from "./graph";
import { Purchase, Sink, describeCount, normalizeAzureLocation, priceSku } from "./pricing";
import { CostInputResource } from "./types";
import { kindsOf } from "../model";
import { AKS } from "../model/azure/aks";
import { AZURE_COMPUTE } from "../model/azure/compute";
import { AZURE_ML } from "../model/azure/ml";
import { AZURE_NET } from "../model/azure/network";
import { AZURE_PLATFORM } from "../model/azure/platform";
import { PathKey, Typed, readArray, readBoolean, readCount, readField, readNumber, readString } from "../model/read";

/** The Azure type tokens the engine prices, by the names the tests use (owned by policies/model/azure/). */
export const AZURE_TYPES = {
    managedCluster: AKS.managedCluster,
    agentPool: AKS.agentPool,
    onlineDeployment: AZURE_ML.onlineDeployment,
    onlineEndpoint: AZURE_ML.onlineEndpoint,
    workspace: AZURE_ML.workspace,
    autoscaleSetting: AZURE_PLATFORM.autoscaleSetting,
    virtualMachine: AZURE_COMPUTE.virtualMachine,
    disk: AZURE_COMPUTE.disk,
    publicIp: AZURE_NET.publicIp,
    loadBalancer: AZURE_NET.loadBalancer,
    registry: AZURE_PLATFORM.registry,
    logWorkspace: AZURE_PLATFORM.logWorkspace,
} as const;

export function priceAzure(index: StackIndex, sink: Sink): void {
    for (const c of index.ofType(AZURE_TYPES.managedCluster)) priceManagedCluster(c, index, sink);
    for (const p of index.ofType(AZURE_TYPES.agentPool)) priceAgentPool(p, index, sink);
    for (const r of index.ofType(AZURE_TYPES.registry)) priceRegistry(r, sink);
    for (const w of index.ofType(AZURE_TYPES.logWorkspace)) priceLogWorkspace(w, sink);
    for (const d of index.ofType(AZURE_TYPES.onlineDeployment)) priceOnlineDeployment(d, index, sink);
    for (const vm of index.ofType(AZURE_TYPES.virtualMachine)) priceVirtualMachine(vm, sink);
    for (const d of index.ofType(AZURE_TYPES.disk)) priceDisk(d, d.props, [], sink);
    for (const ip of index.ofType(AZURE_TYPES.publicIp)) pricePublicIp(ip, sink);
    for (const lb of index.ofType(AZURE_TYPES.loadBalancer)) priceLoadBalancer(lb, sink);
    // Kinds that price themselves (Azure Monitor observability, issue #18).
    for (const kind of kindsOf("azure")) kind.price?.(index, sink, { countVms: () => undefined }); // no Azure kind here counts VMs
}

/**
 * A Log Analytics workspace bills what it ingests: at the stack's log assumption
 * (usage.logIngestionGb), or, when it sets a daily cap (workspaceCapping.dailyQuotaGb, after which
 * the workspace stops collecting until the next day), at that cap x 31 days when lower: the
 * breaker's workspace is capped at 0.1 GB a day. A cap unknown at preview falls back to the assumption.
 */
export function logWorkspaceGb(dailyQuotaGb: number | undefined, assumedGb: number): { gb: number; capped: boolean } {
    if (dailyQuotaGb !== undefined && dailyQuotaGb > 0 && dailyQuotaGb * 31 < assumedGb) return { gb: Math.round(dailyQuotaGb * 31 * 1000) / 1000, capped: true };
    return { gb: assumedGb, capped: false };
}

function priceLogWorkspace(w: CostInputResource, sink: Sink): void {
    const u = usagePrice("azure-log-analytics-ingestion");
    const cap = readNumber(w.props, ["workspaceCapping", "dailyQuotaGb"]);
    const { gb, capped } = logWorkspaceGb(cap.state === "known" ? cap.value : undefined, sink.usage.logIngestionGb);
    const basis = capped ? `its daily cap, ${cap.state === "known" ? cap.value : "?"} GB x 31 days (workspaceCapping.dailyQuotaGb), under the stack's log assumption` : "logs ingested into the workspace (usage.logIngestionGb)";
    sink.usageLine(w, { sku: u.name, region: "-", quantity: gb, unitUsd: u.usd, unit: "GB", basis });
}

type Region = { region: string | undefined };

/**
 * The first KNOWN location among the candidates (own location first, then what it depends on).
 * None known but some unknown: report unknown. None at all: undefined (dearest catalog region).
 */
function firstKnownLocation(candidates: Array<{ res: CostInputResource; read: Typed<string> }>, sink: Sink): Region | undefined {
    for (const c of candidates) if (c.read.state === "known") return { region: normalizeAzureLocation(c.read.value) };
    const blocked = candidates.find((c) => c.read.state === "unknown" || c.read.state === "invalid");
    if (blocked) {
        sink.unusable(blocked.res, blocked.read, "location");
        return undefined;
    }
    return { region: undefined };
}

const location = (res: CostInputResource) => ({ res, read: readString(res.props, ["location"]) });

/** Spot priority with its max price; absent max price is Azure's default -1 (up to on-demand). */
function readAzurePurchase(res: CostInputResource, root: unknown, prefix: string, priorityPath: PathKey[], maxPricePath: PathKey[], sink: Sink): Purchase | undefined {
    const priority = readString(root, priorityPath, prefix);
    if (sink.unusable(res, priority, "priority")) return undefined;
    const isSpot = priority.state === "known" && ["spot", "low"].includes(priority.value.toLowerCase());
    if (!isSpot) return { kind: "on-demand" };
    const max = readNumber(root, maxPricePath, prefix);
    if (sink.unusable(res, max, "spot max price")) return undefined;
    return { kind: "spot-max-price", maxPriceUsd: max.state === "known" ? max.value : undefined };
}

interface Counts {
    min: number;
    max: number;
    how: string;
}

/** AKS pool size: minCount..maxCount when autoscaling, else `count` (AKS default 1). */
function readPoolCounts(res: CostInputResource, root: unknown, prefix: string, sink: Sink): Counts | undefined {
    const autoscale = readBoolean(root, ["enableAutoScaling"], prefix);
    if (sink.unusable(res, autoscale, "enableAutoScaling")) return undefined;
    if (autoscale.state === "known" && autoscale.value) {
        const lo = readCount(root, ["minCount"], prefix);
        const hi = readCount(root, ["maxCount"], prefix);
        if (sink.unusable(res, lo, "pool minimum") || sink.unusable(res, hi, "pool maximum")) return undefined;
        if (hi.state !== "known") {
            sink.issue(res, "unbounded", "autoscaling pool has no maxCount, so it has no maximum; set one", hi.field);
            return undefined;
        }
        const min = lo.state === "known" ? Math.min(lo.value, hi.value) : 0;
        return { min, max: hi.value, how: "autoscaling minCount/maxCount" };
    }
    const count = readCount(root, ["count"], prefix);
    if (sink.unusable(res, count, "node count")) return undefined;
    const n = count.state === "known" ? count.value : 1;
    return { min: n, max: n, how: count.state === "known" ? "fixed count" : "count not set (AKS default 1)" };
}

/**
 * A pool node's managed OS disk: osDiskType Ephemeral lives on the VM's own cache (no disk bill);
 * Managed, or unset (AKS picks Ephemeral only when the VM's cache holds the disk), is priced as a
 * Premium SSD (the dearer of the types AKS uses) of osDiskSizeGB (AKS default 128 GB).
 */
function poolOsDisk(res: CostInputResource, root: unknown, prefix: string, region: string, sink: Sink): { hourly: number; desc: string } | null | undefined {
    const type = readString(root, ["osDiskType"], prefix);
    const size = readCount(root, ["osDiskSizeGB"], prefix);
    if (sink.unusable(res, type, "OS disk type") || sink.unusable(res, size, "OS disk size")) return undefined;
    if (type.state === "known" && type.value === "Ephemeral") return null;
    const gb = size.state === "known" ? size.value : 128;
    const tier = azureDiskTier(region, "Premium_LRS", gb);
    if (!tier) {
        sink.issue(res, "unpriced", `a ${gb} GB Premium SSD OS disk has no catalog price in ${region}; an unpriced disk is never counted as $0`, size.field);
        return undefined;
    }
    return { hourly: tier.monthlyUsd / 730, desc: `${gb} GB${size.state === "known" ? "" : " (AKS default)"} managed OS disk billed as ${tier.type} $${tier.monthlyUsd}/month` };
}

/** Surge nodes of an upgrade: upgradeSettings.maxSurge ("33%" of the pool's maximum, or a count); AKS default 10%, at least 1. */
function poolSurge(res: CostInputResource, root: unknown, prefix: string, max: number, sink: Sink): { nodes: number; how: string } | undefined {
    const surge = readField(root, ["upgradeSettings", "maxSurge"], prefix);
    if (surge.state === "unknown") {
        sink.issue(res, "unknown", `maxSurge (${surge.field}) is unknown until the update runs, so the cost cannot be bounded at preview; set it from a known value`, surge.field);
        return undefined;
    }
    const raw = surge.state === "known" ? String(surge.value) : "10%";
    const pct = /^(\d+)%$/.exec(raw);
    const nodes = pct ? Math.max(1, Math.ceil((max * Number(pct[1])) / 100)) : Number(raw);
    if (!Number.isInteger(nodes) || nodes < 0) {
        sink.issue(res, "unknown", `maxSurge (${surge.field}) is neither a count nor a percentage, so the surge cannot be priced`, surge.field);
        return undefined;
    }
    return { nodes, how: `maxSurge ${raw}${surge.state === "known" ? "" : " (AKS default)"} of ${max} nodes` };
}

/** One AKS pool, standalone (AgentPool) or inline (agentPoolProfiles[i]). */
function pricePool(res: CostInputResource, root: unknown, prefix: string, region: Region, sink: Sink, index?: StackIndex): void {
    const vmSize = readString(root, ["vmSize"], prefix);
    if (sink.unusable(res, vmSize, "VM size")) return;
    const counts = readPoolCounts(res, root, prefix, sink);
    const purchase = readAzurePurchase(res, root, prefix, ["scaleSetPriority"], ["spotMaxPrice"], sink);
    if (vmSize.state !== "known") {
        sink.issue(res, "unpriced", "vmSize is not set (AKS would choose a default size the catalog does not price); set it", vmSize.field);
        return;
    }
    if (!counts || !purchase) return;
    const price = priceSku("azure", vmSize.value, region.region, purchase, sink.spotMargin);
    if (!price.ok) {
        sink.issue(res, "unpriced", `${price.message}; an unpriced pool is never counted as $0`, vmSize.field);
        return;
    }
    // What always runs decides the baseline: the workloads' replicas on this node shape.
    const entry: CatalogEntry | undefined = findPrice("azure", price.region, vmSize.value);
    const floor = index && entry ? workloadFloor(index, readSelector(root, ["nodeLabels"]), entry) : undefined;
    const min = floor ? Math.min(Math.max(counts.min, floor.nodes), counts.max) : counts.min;
    const notes = [price.unit.note, counts.how, floor ? `baseline: ${floor.why}` : "", price.regionNote].filter((s) => s !== "");
    const label = prefix === "" ? "" : `${prefix}: `;
    sink.line(res, {
        kind: "capacity", sku: vmSize.value, region: price.region, countMin: min, countMax: counts.max, hourlyUsd: price.unit.hourlyUsd, expectedHourlyUsd: price.unit.expectedHourlyUsd, pricing: price.unit.pricing,
        basis: `${label}${describeCount(min, counts.max)} x ${vmSize.value} in ${price.region}: ${notes.join("; ")}`,
    });
    const disk = poolOsDisk(res, root, prefix, price.region, sink);
    if (disk === undefined) return;
    if (disk) sink.line(res, { kind: "storage", sku: "azure-managed-disk", region: price.region, countMin: min, countMax: counts.max, hourlyUsd: disk.hourly, pricing: "fee", basis: `${label}${describeCount(min, counts.max)} nodes x ${disk.desc}` });
    const surge = poolSurge(res, root, prefix, counts.max, sink);
    if (!surge || surge.nodes === 0) return;
    const hours = sink.transientHours.aksUpgradeSurge;
    const unit = price.unit.hourlyUsd + (disk ? disk.hourly : 0);
    sink.line(res, {
        kind: "transient", sku: `${vmSize.value} upgrade surge`, region: price.region, countMin: 0, countMax: surge.nodes, hourlyUsd: unit, hoursPerMonth: hours, pricing: price.unit.pricing,
        basis: `${label}upgrade surge: ${surge.nodes} extra node(s) (${surge.how}) x $${Number(unit.toFixed(6))}/h (node + OS disk) x ${hours} h/month (transientHoursPerMonth.aksUpgradeSurge)`,
    });
}

function priceManagedCluster(cluster: CostInputResource, index: StackIndex, sink: Sink): void {
    const tier = readString(cluster.props, ["sku", "tier"]);
    if (!sink.unusable(cluster, tier, "AKS tier") && tier.state === "known") {
        const name: FeeName | undefined = { standard: "aks-standard-tier" as const, premium: "aks-premium-tier" as const }[tier.value.toLowerCase()];
        if (name) {
            const f = fee(name);
            sink.line(cluster, { kind: "fixed", sku: f.name, region: "-", countMin: 1, countMax: 1, hourlyUsd: f.hourlyUsd, pricing: "fee", basis: `AKS ${tier.value} tier $${f.hourlyUsd} per cluster-hour` });
        }
    }
    priceClusterOutboundLoadBalancer(cluster, sink);
    const pools = readArray(cluster.props, ["agentPoolProfiles"]);
    if (sink.unusable(cluster, pools, "agent pool profiles") || pools.state !== "known") return;
    const region = firstKnownLocation([location(cluster)], sink);
    if (!region) return;
    for (const profile of pools.value) {
        if (profile.state === "unknown") sink.unusable(cluster, profile, "agent pool profile");
        if (profile.state === "known") pricePool(cluster, profile.value, profile.field, region, sink, index);
    }
}

// An AgentPool has no location of its own: a pool whose cluster is not in the stack (an existing
// cluster) names its region in the AGENT_POOL_REGION_TAG tag.

function priceAgentPool(pool: CostInputResource, index: StackIndex, sink: Sink): void {
    const clusters = index.dependenciesOf(pool, "resourceName", [AZURE_TYPES.managedCluster]);
    const candidates = clusters.length > 0 ? clusters.map(location) : [{ res: pool, read: readString(pool.props, ["tags", AGENT_POOL_REGION_TAG]) }];
    if (clusters.length === 0 && candidates[0].read.state === "absent") {
        sink.issue(
            pool,
            "unknown",
            `agent pool is not linked to a ManagedCluster of this stack through resourceName and has no ${AGENT_POOL_REGION_TAG} tag, so its region is unknown`,
            "resourceName",
        );
        return;
    }
    const region = firstKnownLocation(candidates, sink);
    if (!region) return;
    pricePool(pool, pool.props, "", region, sink, index);
}

/** Min of minimums and max of maximums over an autoscale setting's profiles. */
function readAutoscaleBounds(setting: CostInputResource, sink: Sink): { min: number; max: number } | undefined {
    const profiles = readArray(setting.props, ["profiles"]);
    if (sink.unusable(setting, profiles, "autoscale profiles")) return undefined;
    if (profiles.state !== "known" || profiles.value.length === 0) {
        sink.issue(setting, "unbounded", "autoscale setting has no profiles with capacity.maximum; set one", "profiles");
        return undefined;
    }
    let min = Infinity;
    let max = 0;
    for (let i = 0; i < profiles.value.length; i++) {
        // Azure Monitor types capacities as strings ("1", "2").
        const lo = readCount(setting.props, ["profiles", i, "capacity", "minimum"], "", { numericString: true });
        const hi = readCount(setting.props, ["profiles", i, "capacity", "maximum"], "", { numericString: true });
        if (sink.unusable(setting, lo, "autoscale minimum") || sink.unusable(setting, hi, "autoscale maximum")) return undefined;
        if (hi.state !== "known") {
            sink.issue(setting, "unbounded", "autoscale profile has no capacity.maximum; set one", hi.field);
            return undefined;
        }
        min = Math.min(min, lo.state === "known" ? lo.value : 0);
        max = Math.max(max, hi.value);
    }
    return { min, max };
}

/**
 * A managed online deployment's instance count: the Azure Monitor autoscale settings that target
 * it (Azure ML reserves quota for their maximum), else its own sku.capacity (default 1).
 */
function readDeploymentCounts(dep: CostInputResource, index: StackIndex, sink: Sink): Counts | undefined {
    const capacity = readCount(dep.props, ["sku", "capacity"]);
    if (sink.unusable(dep, capacity, "instance count")) return undefined;
    const fixed = capacity.state === "known" ? capacity.value : 1;
    const settings = index.dependentsOf(dep, "targetResourceUri", [AZURE_TYPES.autoscaleSetting]);
    if (settings.length === 0) {
        const scaleType = readString(dep.props, ["properties", "scaleSettings", "scaleType"]);
        if (sink.unusable(dep, scaleType, "scale type")) return undefined;
        if (scaleType.state === "known" && scaleType.value === "TargetUtilization") {
            const lo = readCount(dep.props, ["properties", "scaleSettings", "minInstances"]);
            const hi = readCount(dep.props, ["properties", "scaleSettings", "maxInstances"]);
            if (sink.unusable(dep, lo, "minimum instances") || sink.unusable(dep, hi, "maximum instances")) return undefined;
            if (hi.state !== "known") {
                sink.issue(dep, "unbounded", "target-utilization scaling has no maxInstances; set one", hi.field);
                return undefined;
            }
            return { min: lo.state === "known" ? lo.value : 1, max: Math.max(hi.value, fixed), how: "scaleSettings min/maxInstances" };
        }
        return { min: fixed, max: fixed, how: capacity.state === "known" ? "fixed sku.capacity" : "sku.capacity not set (default 1)" };
    }
    let min = Infinity;
    let max = fixed;
    for (const s of settings) {
        const b = readAutoscaleBounds(s, sink);
        if (!b) return undefined;
        min = Math.min(min, b.min);
        max = Math.max(max, b.max);
    }
    return { min: Math.min(min, max), max, how: "autoscale setting min of minimums / max of maximums" };
}

function priceOnlineDeployment(dep: CostInputResource, index: StackIndex, sink: Sink): void {
    const computeType = readString(dep.props, ["properties", "endpointComputeType"]);
    if (sink.unusable(dep, computeType, "endpoint compute type")) return;
    // Kubernetes deployments run on an attached cluster, which is priced as that cluster.
    if (computeType.state === "known" && computeType.value === "Kubernetes") return;
    const instanceType = readString(dep.props, ["properties", "instanceType"]);
    if (sink.unusable(dep, instanceType, "instance type")) return;
    const counts = readDeploymentCounts(dep, index, sink);
    const endpoints = index.dependenciesOf(dep, "endpointName", [AZURE_TYPES.onlineEndpoint]);
    const workspaces = index.dependenciesOf(dep, "workspaceName", [AZURE_TYPES.workspace]);
    const region = firstKnownLocation([dep, ...endpoints, ...workspaces].map(location), sink);
    if (instanceType.state !== "known") {
        sink.issue(dep, "unpriced", "properties.instanceType is not set, so the deployment cannot be priced; set it", instanceType.field);
        return;
    }
    if (!counts || !region) return;
    // Managed online endpoints have no spot option and no surcharge: the VM's on-demand price.
    const price = priceSku("azure", instanceType.value, region.region, { kind: "on-demand" }, sink.spotMargin);
    if (!price.ok) {
        sink.issue(dep, "unpriced", `${price.message}; an unpriced deployment is never counted as $0`, instanceType.field);
        return;
    }
    const notes = [price.unit.note, counts.how, price.regionNote].filter((s) => s !== "");
    sink.line(dep, {
        kind: "capacity", sku: instanceType.value, region: price.region, countMin: counts.min, countMax: counts.max, hourlyUsd: price.unit.hourlyUsd, pricing: "on-demand",
        basis: `${describeCount(counts.min, counts.max)} x ${instanceType.value} in ${price.region}: ${notes.join("; ")}`,
    });
}

function priceVirtualMachine(vm: CostInputResource, sink: Sink): void {
    const vmSize = readString(vm.props, ["hardwareProfile", "vmSize"]);
    if (sink.unusable(vm, vmSize, "VM size")) return;
    const purchase = readAzurePurchase(vm, vm.props, "", ["priority"], ["billingProfile", "maxPrice"], sink);
    const region = firstKnownLocation([location(vm)], sink);
    priceDisk(vm, vm.props, ["storageProfile", "osDisk"], sink);
    if (vmSize.state !== "known") {
        sink.issue(vm, "unpriced", "hardwareProfile.vmSize is not set, so the VM cannot be priced; set it", vmSize.field);
        return;
    }
    if (!purchase || !region) return;
    const price = priceSku("azure", vmSize.value, region.region, purchase, sink.spotMargin);
    if (!price.ok) {
        sink.issue(vm, "unpriced", `${price.message}; an unpriced VM is never counted as $0`, vmSize.field);
        return;
    }
    const notes = [price.unit.note, price.regionNote].filter((s) => s !== "");
    sink.line(vm, { kind: "capacity", sku: vmSize.value, expectedHourlyUsd: price.unit.expectedHourlyUsd, region: price.region, countMin: 1, countMax: 1, hourlyUsd: price.unit.hourlyUsd, pricing: price.unit.pricing, basis: `1 x ${vmSize.value} in ${price.region}: ${notes.join("; ")}` });
}

/**
 * Managed disks bill by the tier their size rounds up to (P10 = 128 GiB Premium SSD, E20 = 512 GiB
 * Standard SSD, ...). A VM's OS disk (path storageProfile.osDisk) or a Disk resource (path []).
 * An account type, size or region the catalog does not price fails closed (`unpriced`).
 */
function priceDisk(res: CostInputResource, root: unknown, path: PathKey[], sink: Sink): void {
    const isVm = path.length > 0;
    const account = readString(root, isVm ? [...path, "managedDisk", "storageAccountType"] : ["sku", "name"]);
    const size = readNumber(root, [...path, "diskSizeGB"]);
    const loc = readString(res.props, ["location"]);
    if (sink.unusable(res, account, "disk account type") || sink.unusable(res, size, "disk size") || sink.unusable(res, loc, "location")) return;
    if (size.state !== "known") {
        sink.issue(res, "unpriced", `${size.field} is not set, so the disk takes its image's size, which the pack cannot see; set it`, size.field);
        return;
    }
    // Azure's default for a VM OS disk and a Disk is Standard HDD, which the catalog does not price.
    const type = account.state === "known" ? account.value : "Standard_LRS";
    const region = loc.state === "known" ? normalizeAzureLocation(loc.value) : "(not set)";
    const tier = azureDiskTier(region, type, size.value);
    if (!tier) {
        sink.issue(res, "unpriced", `a ${size.value} GB ${type} managed disk has no catalog price in ${region}; an unpriced disk is never counted as $0`, account.field);
        return;
    }
    sink.line(res, { kind: "storage", sku: `azure-managed-disk-${tier.type.toLowerCase()}`, region, countMin: 1, countMax: 1, hourlyUsd: tier.monthlyUsd / 730, pricing: "fee", basis: `${isVm ? "OS disk " : ""}${type} ${size.value} GB bills as ${tier.type}, $${tier.monthlyUsd.toFixed(2)}/month` });
}

/** ACR bills a daily fee by tier; only Basic is priced. */
function priceRegistry(r: CostInputResource, sink: Sink): void {
    const sku = readString(r.props, ["sku", "name"]);
    if (sink.unusable(r, sku, "registry SKU")) return;
    if (sku.state !== "known" || sku.value !== "Basic") {
        sink.issue(r, "unpriced", `Container Registry tier ${sku.state === "known" ? sku.value : "(not set)"} has no catalog price; use Basic or add a sourced price`, "sku.name");
        return;
    }
    const f = fee("azure-acr-basic");
    sink.line(r, { kind: "fixed", sku: f.name, region: "-", countMin: 1, countMax: 1, hourlyUsd: f.hourlyUsd, pricing: "fee", basis: "Basic registry, $0.167/day (10 GB included)" });
}

/** Standard public IPs cost $0.005/h; Basic ones are retired and not priced. */
/**
 * AKS creates a Standard load balancer and an outbound public IP for every cluster whose
 * outboundType is loadBalancer (the default), at run time, outside the stack. Its first five
 * rules are covered by the base fee, so LoadBalancer Services add only their own public IPs
 * (priced in kubernetes.ts).
 */
function priceClusterOutboundLoadBalancer(cluster: CostInputResource, sink: Sink): void {
    const outbound = readString(cluster.props, ["networkProfile", "outboundType"]);
    if (sink.unusable(cluster, outbound, "outbound type")) return;
    if (outbound.state === "known" && outbound.value !== "loadBalancer") return;
    const lb = fee("azure-standard-lb-first5-rules");
    const ip = fee("azure-standard-public-ip");
    sink.line(cluster, {
        kind: "fixed", sku: lb.name, region: "-", countMin: 1, countMax: 1, hourlyUsd: lb.hourlyUsd, pricing: "fee",
        basis: `AKS's own Standard load balancer for outbound traffic and LoadBalancer Services, created at run time: $${lb.hourlyUsd}/h for its first 5 rules`,
    });
    sink.line(cluster, {
        kind: "fixed", sku: ip.name, region: "-", countMin: 1, countMax: 1, hourlyUsd: ip.hourlyUsd, pricing: "fee",
        basis: `the cluster's outbound public IP, created by AKS at run time: $${ip.hourlyUsd}/h`,
    });
}

function pricePublicIp(ip: CostInputResource, sink: Sink): void {
    const sku = readString(ip.props, ["sku", "name"]);
    if (sku.state === "known" && sku.value.toLowerCase() !== "standard") return;
    const f = fee("azure-standard-public-ip");
    sink.line(ip, { kind: "fixed", sku: f.name, region: "-", countMin: 1, countMax: 1, hourlyUsd: f.hourlyUsd, pricing: "fee", basis: `Standard public IP $${f.hourlyUsd}/h${sku.state === "known" ? "" : " (SKU not known, priced as Standard)"}` });
    const out = usagePrice("azure-internet-egress");
    sink.usageLine(ip, { sku: out.name, region: "-", quantity: sink.usage.internetEgressGb, unitUsd: out.usd, unit: "GB", basis: "responses leaving Azure through this address (usage.internetEgressGb)" });
}

/** Standard load balancer: $0.025/h covers 5 rules, $0.01/h per further rule. */
function priceLoadBalancer(lb: CostInputResource, sink: Sink): void {
    const sku = readString(lb.props, ["sku", "name"]);
    if (sink.unusable(lb, sku, "load balancer SKU")) return;
    if (sku.state !== "known" || sku.value.toLowerCase() !== "standard") return;
    const lbRules = readArray(lb.props, ["loadBalancingRules"]);
    const outRules = readArray(lb.props, ["outboundRules"]);
    if (sink.unusable(lb, lbRules, "load-balancing rules") || sink.unusable(lb, outRules, "outbound rules")) return;
    const rules = (lbRules.state === "known" ? lbRules.value.length : 0) + (outRules.state === "known" ? outRules.value.length : 0);
    const base = fee("azure-standard-lb-first5-rules");
    const extra = fee("azure-standard-lb-additional-rule");
    const hourly = base.hourlyUsd + extra.hourlyUsd * Math.max(0, rules - 5);
    sink.line(lb, { kind: "fixed", sku: "azure-standard-lb", region: "-", countMin: 1, countMax: 1, hourlyUsd: hourly, pricing: "fee", basis: `Standard load balancer with ${rules} rules: $${base.hourlyUsd}/h for the first 5 + $${extra.hourlyUsd}/h per further rule` });
}
