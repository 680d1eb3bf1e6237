// AWS (pulumi-aws v7, which takes a per-resource `region`): EKS control planes and managed node
// groups, EC2 instances, NAT gateways, load balancers, public IPv4 addresses and ElastiCache nodes.
import { kindsOf } from "../model";
import { CATALOG_AS_OF, EKS_CALENDAR_SOURCE, FeeName, eksSupportAt, fee, findDiskPrice, usagePrice } from "./catalog";
import { StackIndex } from "./graph";
import { Purchase, Sink, SkuPrice, describeCount, priceSku } from "./pricing";
import { CostInputResource } from "./types";
import { EC2 } from "../model/aws/ec2";
import { EKS } from "../model/aws/eks";
import { AWS_NET } from "../model/aws/network";
import { AWS_PLATFORM } from "../model/aws/platform";
import { PathKey, readArray, readBoolean, readCount, readNumber, readString, readStringList, Typed } from "../model/read";
import { parseQuantity, GIB } from "./quantity";

/** The AWS type tokens the engine prices, by the names the tests use (owned by policies/model/aws/). */
export const AWS_TYPES = {
    eksCluster: EKS.cluster,
    nodeGroup: EKS.nodeGroup,
    instance: EC2.instance,
    natGateway: AWS_NET.natGateway,
    loadBalancer: AWS_NET.loadBalancer,
    albLegacy: AWS_NET.albLoadBalancer,
    eip: AWS_NET.eip,
    cacheReplicationGroup: AWS_PLATFORM.cacheReplicationGroup,
    cacheCluster: AWS_PLATFORM.cacheCluster,
    launchTemplate: EC2.launchTemplate,
    kmsKey: AWS_PLATFORM.kmsKey,
    logGroup: AWS_PLATFORM.logGroup,
    lambdaFunction: AWS_PLATFORM.lambdaFunction,
    ebsVolume: EC2.ebsVolume,
} as const;

export function priceAws(index: StackIndex, sink: Sink): void {
    for (const c of index.ofType(AWS_TYPES.eksCluster)) priceEksCluster(c, sink);
    for (const g of index.ofType(AWS_TYPES.nodeGroup)) priceNodeGroup(g, index, sink);
    for (const i of index.ofType(AWS_TYPES.instance)) priceInstance(i, sink);
    for (const n of index.ofType(AWS_TYPES.natGateway)) {
        feeLine(n, "aws-nat-gateway", sink, "NAT gateway hourly fee");
        const u = usagePrice("aws-nat-processed");
        sink.usageLine(n, { sku: u.name, region: "-", quantity: sink.usage.natProcessedGb, unitUsd: u.usd, unit: "GB", basis: "data processed by the NAT gateway (usage.natProcessedGb)" });
    }
    for (const lb of index.ofType(AWS_TYPES.loadBalancer, AWS_TYPES.albLegacy)) priceLoadBalancer(lb, sink);
    for (const e of index.ofType(AWS_TYPES.eip)) feeLine(e, "aws-public-ipv4", sink, "public IPv4 address hourly fee");
    for (const c of index.ofType(AWS_TYPES.cacheReplicationGroup, AWS_TYPES.cacheCluster)) priceCache(c, sink);
    for (const k of index.ofType(AWS_TYPES.kmsKey)) priceKmsKey(k, sink);
    for (const g of index.ofType(AWS_TYPES.logGroup)) {
        const u = usagePrice("aws-cloudwatch-logs-ingestion");
        sink.usageLine(g, { sku: u.name, region: "-", quantity: sink.usage.logIngestionGb, unitUsd: u.usd, unit: "GB", basis: "logs ingested into this log group (usage.logIngestionGb)" });
    }
    for (const f of index.ofType(AWS_TYPES.lambdaFunction)) priceLambda(f, sink);
    // Kinds that price themselves (AMP and Managed Grafana, issue #18).
    for (const kind of kindsOf("aws")) kind.price?.(index, sink, { countVms: () => undefined }); // no AWS kind here counts VMs
    for (const v of index.ofType(AWS_TYPES.ebsVolume)) {
        const region = readRegion(v, sink);
        if (!region) continue;
        const vol = ebsHourly(v, v.props, [], ["size"], ["type"], region.region, "gp2", sink);
        if (vol) sink.line(v, { kind: "storage", sku: "aws-ebs", region: region.region ?? "-", countMin: 1, countMax: 1, hourlyUsd: vol.hourly, pricing: "fee", basis: `EBS volume ${vol.desc}` });
    }
}

function feeLine(res: CostInputResource, name: FeeName, sink: Sink, basis: string): void {
    const f = fee(name);
    sink.line(res, { kind: "fixed", sku: f.name, region: "-", countMin: 1, countMax: 1, hourlyUsd: f.hourlyUsd, pricing: "fee", basis });
}

/**
 * The control plane bills $0.10/h in standard support and $0.60/h in extended support. The phase
 * comes from the version calendar at the catalog's date (CATALOG_AS_OF), never from the clock.
 * upgradePolicy.supportType STANDARD makes EKS upgrade the cluster when standard support ends, so
 * it never bills extended; EXTENDED (EKS's default) keeps the version and bills extended.
 */
function priceEksCluster(c: CostInputResource, sink: Sink): void {
    const version = readString(c.props, ["version"]);
    const support = readString(c.props, ["upgradePolicy", "supportType"]);
    if (sink.unusable(c, version, "Kubernetes version") || sink.unusable(c, support, "upgrade policy")) return;
    const std = fee("eks-control-plane");
    const ext = fee("eks-control-plane-extended-support");
    const policy = support.state === "known" ? support.value.toUpperCase() : "EXTENDED";
    if (version.state !== "known") {
        // EKS creates a new cluster on a version in standard support.
        if (policy === "STANDARD") return feeLine(c, std.name, sink, `EKS control plane $${std.hourlyUsd}/h: default version, upgradePolicy STANDARD keeps it in standard support`);
        sink.issue(c, "unpriced", "version is not set and upgradePolicy.supportType is not STANDARD, so the cluster may stay on a version past standard support ($0.60/h); set version or upgradePolicy.supportType STANDARD", "version");
        return;
    }
    const phase = eksSupportAt(version.value);
    if (phase.phase === "unknown" || phase.phase === "unsupported") {
        sink.issue(c, "unpriced", `Kubernetes ${version.value} is ${phase.phase === "unknown" ? "not in the catalog's EKS support calendar" : "past the end of extended support"} at the catalog's date ${CATALOG_AS_OF}, so its control-plane price is unknown; choose a version the calendar lists`, "version");
        return;
    }
    const entry = phase.entry!;
    if (phase.phase === "standard" || policy === "STANDARD") {
        const why = phase.phase === "standard"
            ? `Kubernetes ${entry.version} is in standard support until ${entry.standardSupportEnds} (past the month from ${CATALOG_AS_OF})`
            : `Kubernetes ${entry.version} leaves standard support on ${entry.standardSupportEnds}, but upgradePolicy STANDARD upgrades it then instead of billing extended support`;
        return feeLine(c, std.name, sink, `EKS control plane $${std.hourlyUsd} per cluster-hour: ${why} (${EKS_CALENDAR_SOURCE})`);
    }
    feeLine(c, ext.name, sink, `EKS control plane $${ext.hourlyUsd} per cluster-hour: Kubernetes ${entry.version} left standard support on ${entry.standardSupportEnds} (or does within a month of ${CATALOG_AS_OF}) and upgradePolicy.supportType is ${support.state === "known" ? policy : "not set (EKS default EXTENDED)"}, so it bills extended support (${EKS_CALENDAR_SOURCE})`);
}

/** An EBS volume's hourly price; gp3 above its included 3,000 IOPS / 125 MiB/s is not priced. */
function ebsHourly(res: CostInputResource, root: unknown, path: PathKey[], sizePath: PathKey[], typePath: PathKey[], region: string | undefined, defaultType: string, sink: Sink, prefix = ""): { hourly: number; desc: string } | undefined {
    const size = readField2(root, [...path, ...sizePath], prefix);
    const type = readString(root, [...path, ...typePath], prefix);
    const iops = readNumber(root, [...path, "iops"], prefix, { numericString: true });
    const throughput = readNumber(root, [...path, "throughput"], prefix, { numericString: true });
    if (sink.unusable(res, size, "volume size") || sink.unusable(res, type, "volume type") || sink.unusable(res, iops, "volume IOPS") || sink.unusable(res, throughput, "volume throughput")) return undefined;
    if (size.state !== "known") {
        sink.issue(res, "unpriced", `${size.field} is not set, so the volume takes its image's size, which the pack cannot see; set the size`, size.field);
        return undefined;
    }
    const t = type.state === "known" ? type.value : defaultType;
    const price = region === undefined ? undefined : findDiskPrice("aws", region, t);
    if (!price) {
        sink.issue(res, "unpriced", `EBS volume type ${t} has no catalog price in region ${region ?? "(not set)"}; an unpriced volume is never counted as $0`, type.field);
        return undefined;
    }
    if (t === "gp3" && ((iops.state === "known" && iops.value > 3000) || (throughput.state === "known" && throughput.value > 125))) {
        sink.issue(res, "unpriced", "gp3 IOPS above 3,000 or throughput above 125 MiB/s are billed extra and the catalog does not price them", iops.field);
        return undefined;
    }
    return { hourly: (size.value * price.monthlyUsd) / 730, desc: `${size.value} GiB ${t} at $${price.monthlyUsd}/GB-month` };
}

/** A size in GiB: a number, or a Kubernetes quantity ("200Gi") as EC2NodeClass carries it. */
function readField2(root: unknown, path: PathKey[], prefix: string): Typed<number> {
    const n = readNumber(root, path, prefix, { numericString: true });
    if (n.state !== "invalid") return n;
    const s = readString(root, path, prefix);
    if (s.state !== "known") return n;
    const q = parseQuantity(s.value);
    return q === undefined ? n : { state: "known", value: q / GIB, field: s.field };
}

export { ebsHourly };

/**
 * Invocations a month of a function run by budget notifications: at most 5 notifications per
 * budget a month (runtime-budget's threshold limit, actual and forecast together), each delivered
 * once and retried at most twice by Lambda's asynchronous invocation (3 attempts).
 */
export const LAMBDA_NOTIFICATION_INVOCATIONS = 5 * 3;

/**
 * Lambda: duration bounded by invocations, never by reserved concurrency. Reserving concurrency is
 * refused on new accounts ("You can reserve up to the Unreserved account concurrency value minus
 * 100", Lambda developer guide, reserved concurrency; new accounts start at a limit of 10), so the
 * breaker reserves none. Its runs are the budget's notifications delivered through SNS
 * (LAMBDA_NOTIFICATION_INVOCATIONS), each billed at most its timeout x its memory: the worst case
 * is invocations x timeout x memory; baseline 0, idle. This holds for a topic only AWS Budgets
 * publishes to (the breaker's own); a stack that routes its budget through awsSnsTopicArn also
 * runs it for whatever else that topic carries (README, "Circuit breaker"). Requests at the same
 * volume. A timeout not known at preview cannot bound it: unusable. Free tier not assumed.
 */
function priceLambda(f: CostInputResource, sink: Sink): void {
    const memory = readNumber(f.props, ["memorySize"]);
    const timeout = readNumber(f.props, ["timeout"]);
    const arch = readStringList(f.props, ["architectures"]);
    if (sink.unusable(f, timeout, "timeout") || sink.unusable(f, arch, "architectures")) return;
    const memoryMb = memory.state === "known" ? memory.value : 128; // the provider's default
    const timeoutS = timeout.state === "known" ? timeout.value : 3; // the provider's default
    const arm = arch.state === "known" && arch.value.includes("arm64");
    const gbS = usagePrice(arm ? "aws-lambda-arm64-gb-s" : "aws-lambda-x86-gb-s");
    const gb = memoryMb / 1024;
    sink.line(f, {
        kind: "transient", sku: gbS.name, region: "-", countMin: 0, countMax: LAMBDA_NOTIFICATION_INVOCATIONS, hourlyUsd: gb * 3600 * gbS.usd, hoursPerMonth: timeoutS / 3600, pricing: "fee",
        basis: `${LAMBDA_NOTIFICATION_INVOCATIONS} invocations a month (budget notifications x Lambda's attempts), each at most its ${timeoutS} s timeout at ${memoryMb} MB (${arm ? "Arm" : "x86"}): ${gb} GB x ${timeoutS} s x $${gbS.usd}/GB-s each; idle in the baseline`,
    });
    const req = usagePrice("aws-lambda-requests");
    sink.usageLine(f, { sku: req.name, region: "-", quantity: LAMBDA_NOTIFICATION_INVOCATIONS / 1e6, unitUsd: req.usd, unit: "million requests", basis: `${LAMBDA_NOTIFICATION_INVOCATIONS} invocations a month: at most 5 budget notifications x 3 attempts (Lambda's asynchronous retries)` });
}

/** KMS: $1 a key-month, plus $1 for each of the first two rotated backing keys. */
function priceKmsKey(k: CostInputResource, sink: Sink): void {
    const rotation = readBoolean(k.props, ["enableKeyRotation"]);
    if (sink.unusable(k, rotation, "key rotation")) return;
    const f = fee("aws-kms-key");
    const max = rotation.state === "known" && rotation.value ? 3 : 1;
    sink.line(k, {
        kind: "fixed", sku: f.name, region: "-", countMin: 1, countMax: max, hourlyUsd: f.hourlyUsd, pricing: "fee",
        basis: max === 3 ? "KMS key $1/month; with rotation on, the first two rotated backing keys add $1/month each (later ones are free)" : "KMS key $1/month",
    });
}

/** The resource's `region`, or undefined when it is left to the provider (dearest catalog region). */
function readRegion(res: CostInputResource, sink: Sink): { region: string | undefined } | undefined {
    const region = readString(res.props, ["region"]);
    if (sink.unusable(res, region, "region")) return undefined;
    return { region: region.state === "known" ? region.value : undefined };
}

/** Prices each allowed type and keeps the dearest; any unpriced type is reported (never $0). */
export function dearestAwsType(res: CostInputResource, types: string[], region: string | undefined, purchase: Purchase, field: string, sink: Sink): { sku: string; price: Extract<SkuPrice, { ok: true }> } | undefined {
    let dearest: { sku: string; price: Extract<SkuPrice, { ok: true }> } | undefined;
    let ok = true;
    for (const sku of types) {
        const price = priceSku("aws", sku, region, purchase, sink.spotMargin);
        if (!price.ok) {
            sink.issue(res, "unpriced", `${price.message}; an unpriced instance type is never counted as $0`, field);
            ok = false;
            continue;
        }
        if (!dearest || price.unit.hourlyUsd > dearest.price.unit.hourlyUsd) dearest = { sku, price };
    }
    return ok ? dearest : undefined;
}

/** The node group's root volume: its launch template's first block device, else diskSize (20 GiB). */
function nodeGroupVolume(group: CostInputResource, index: StackIndex, region: string | undefined, sink: Sink): { hourly: number; desc: string } | undefined {
    const templates = index.dependenciesOf(group, "launchTemplate", [AWS_TYPES.launchTemplate]);
    if (templates.length > 0) {
        const lt = templates[0];
        const mappings = readArray(lt.props, ["blockDeviceMappings"]);
        if (sink.unusable(lt, mappings, "block device mappings")) return undefined;
        if (mappings.state === "known" && mappings.value.length > 0) {
            let total = 0;
            const desc: string[] = [];
            for (let i = 0; i < mappings.value.length; i++) {
                const v = ebsHourly(group, lt.props, ["blockDeviceMappings", i, "ebs"], ["volumeSize"], ["volumeType"], region, "gp2", sink);
                if (!v) return undefined;
                total += v.hourly;
                desc.push(v.desc);
            }
            return { hourly: total, desc: `launch template volumes ${desc.join(" + ")}` };
        }
    }
    const size = readCount(group.props, ["diskSize"]);
    if (sink.unusable(group, size, "disk size")) return undefined;
    const gb = size.state === "known" ? size.value : 20;
    const price = region === undefined ? undefined : findDiskPrice("aws", region, "gp2");
    if (!price) {
        sink.issue(group, "unpriced", `node volumes have no catalog price in region ${region ?? "(not set)"}`, "diskSize");
        return undefined;
    }
    return { hourly: (gb * price.monthlyUsd) / 730, desc: `${gb} GiB root volume${size.state === "known" ? "" : " (EKS default 20 GiB)"} priced as gp2 at $${price.monthlyUsd}/GB-month` };
}

function priceNodeGroup(group: CostInputResource, index: StackIndex, sink: Sink): void {
    const types = readStringList(group.props, ["instanceTypes"]);
    const capacity = readString(group.props, ["capacityType"]);
    const lo = readCount(group.props, ["scalingConfig", "minSize"]);
    const hi = readCount(group.props, ["scalingConfig", "maxSize"]);
    const region = readRegion(group, sink);
    const bad = [sink.unusable(group, types, "instance types"), sink.unusable(group, capacity, "capacity type"), sink.unusable(group, lo, "minimum size"), sink.unusable(group, hi, "maximum size")];
    if (types.state === "absent" || (types.state === "known" && types.value.length === 0)) {
        sink.issue(group, "unpriced", "instanceTypes is not set (EKS would use t3.medium or a launch template's type, neither priced); list the instance types", "instanceTypes");
        return;
    }
    if (hi.state === "absent") {
        sink.issue(group, "unbounded", "scalingConfig.maxSize is not set, so the node group has no maximum; set one", "scalingConfig.maxSize");
        return;
    }
    if (bad.some((b) => b) || !region || types.state !== "known" || hi.state !== "known") return;
    const purchase: Purchase = capacity.state === "known" && capacity.value.toUpperCase() === "SPOT" ? { kind: "spot" } : { kind: "on-demand" };
    const dearest = dearestAwsType(group, types.value, region.region, purchase, "instanceTypes", sink);
    if (!dearest) return;
    const min = lo.state === "known" ? Math.min(lo.value, hi.value) : 0;
    const { price } = dearest;
    const notes = [price.unit.note, "scalingConfig minSize/maxSize", types.value.length > 1 ? `dearest of ${types.value.length} instance types` : "", price.regionNote].filter((s) => s !== "");
    sink.line(group, {
        kind: "capacity", sku: dearest.sku, region: price.region, countMin: min, countMax: hi.value, hourlyUsd: price.unit.hourlyUsd, expectedHourlyUsd: price.unit.expectedHourlyUsd, pricing: price.unit.pricing,
        basis: `${describeCount(min, hi.value)} x ${dearest.sku} in ${price.region}: ${notes.join("; ")}`,
    });
    const volume = nodeGroupVolume(group, index, price.region, sink);
    if (!volume) return;
    sink.line(group, { kind: "storage", sku: "aws-ebs", region: price.region, countMin: min, countMax: hi.value, hourlyUsd: volume.hourly, pricing: "fee", basis: `${describeCount(min, hi.value)} nodes x ${volume.desc}` });
    // A managed node group update adds max(2 x zones, maxUnavailable) nodes while it replaces them
    // (EKS docs, managed node update behavior); the subnets stand for the zones.
    const subnets = readArray(group.props, ["subnetIds"]);
    const unavailable = readCount(group.props, ["updateConfig", "maxUnavailable"]);
    const pct = readCount(group.props, ["updateConfig", "maxUnavailablePercentage"]);
    if (sink.unusable(group, unavailable, "maxUnavailable") || sink.unusable(group, pct, "maxUnavailablePercentage")) return;
    // Subnet ids are often outputs; a wholly unknown list counts as 6 zones (the most a region offers here).
    const zones = subnets.state === "known" ? subnets.value.length : 6;
    const maxUnavailable = unavailable.state === "known" ? unavailable.value : pct.state === "known" ? Math.ceil((hi.value * pct.value) / 100) : 1;
    const surge = Math.max(2 * zones, maxUnavailable);
    const hours = sink.transientHours.eksNodeGroupUpdate;
    const unit = price.unit.hourlyUsd + volume.hourly;
    sink.line(group, {
        kind: "transient", sku: `${dearest.sku} update surge`, region: price.region, countMin: 0, countMax: surge, hourlyUsd: unit, hoursPerMonth: hours, pricing: price.unit.pricing,
        basis: `node group update: EKS adds max(2 x ${zones} subnets, maxUnavailable ${maxUnavailable}) = ${surge} nodes x $${Number(unit.toFixed(6))}/h (node + volume) x ${hours} h/month (transientHoursPerMonth.eksNodeGroupUpdate)`,
    });
}

function priceInstance(vm: CostInputResource, sink: Sink): void {
    const type = readString(vm.props, ["instanceType"]);
    const market = readString(vm.props, ["instanceMarketOptions", "marketType"]);
    const region = readRegion(vm, sink);
    if (sink.unusable(vm, type, "instance type") || sink.unusable(vm, market, "market type") || !region) return;
    if (type.state !== "known") {
        sink.issue(vm, "unpriced", "instanceType is not set (it may come from a launch template), so the instance cannot be priced", "instanceType");
        return;
    }
    const purchase: Purchase = market.state === "known" && market.value.toLowerCase() === "spot" ? { kind: "spot" } : { kind: "on-demand" };
    const dearest = dearestAwsType(vm, [type.value], region.region, purchase, "instanceType", sink);
    if (!dearest) return;
    const notes = [dearest.price.unit.note, dearest.price.regionNote].filter((s) => s !== "");
    sink.line(vm, { kind: "capacity", sku: type.value, region: dearest.price.region, countMin: 1, countMax: 1, hourlyUsd: dearest.price.unit.hourlyUsd, expectedHourlyUsd: dearest.price.unit.expectedHourlyUsd, pricing: dearest.price.unit.pricing, basis: `1 x ${type.value} in ${dearest.price.region}: ${notes.join("; ")}` });
    const root = ebsHourly(vm, vm.props, ["rootBlockDevice"], ["volumeSize"], ["volumeType"], dearest.price.region, "gp2", sink);
    if (root) sink.line(vm, { kind: "storage", sku: "aws-ebs", region: dearest.price.region, countMin: 1, countMax: 1, hourlyUsd: root.hourly, pricing: "fee", basis: `root volume ${root.desc}` });
}

/**
 * ALB and NLB cost the same per hour; an internet-facing one also holds a public IPv4 address per
 * subnet (zone), billed $0.005/h each. Gateway load balancers are not priced (not compute).
 */
function priceLoadBalancer(lb: CostInputResource, sink: Sink): void {
    const type = readString(lb.props, ["loadBalancerType"]);
    const internal = readBoolean(lb.props, ["internal"]);
    const subnets = readArray(lb.props, ["subnets"]);
    const mappings = readArray(lb.props, ["subnetMappings"]);
    if (sink.unusable(lb, type, "load balancer type") || sink.unusable(lb, internal, "internal flag") || sink.unusable(lb, subnets, "subnets") || sink.unusable(lb, mappings, "subnet mappings")) return;
    const kind = type.state === "known" ? type.value : "application";
    if (kind === "gateway") return;
    feeLine(lb, kind === "network" ? "aws-nlb" : "aws-alb", sink, `${kind === "network" ? "network" : "application"} load balancer hourly fee`);
    if (internal.state === "known" && internal.value) return;
    const zones = Math.max(subnets.state === "known" ? subnets.value.length : 0, mappings.state === "known" ? mappings.value.length : 0);
    const ip = fee("aws-public-ipv4");
    if (zones === 0) {
        sink.issue(lb, "unpriced", "an internet-facing load balancer holds a public IPv4 address per subnet, and its subnets are not listed; list them", "subnets");
        return;
    }
    sink.line(lb, { kind: "fixed", sku: ip.name, region: "-", countMin: zones, countMax: zones, hourlyUsd: ip.hourlyUsd, pricing: "fee", basis: `internet-facing: one public IPv4 address in each of its ${zones} subnets, $${ip.hourlyUsd}/h each` });
    const processed = usagePrice("aws-nlb-processed");
    if (kind === "network") sink.usageLine(lb, { sku: processed.name, region: "-", quantity: sink.usage.loadBalancerProcessedGb, unitUsd: processed.usd, unit: "GB", basis: "NLCUs for the data it processes (usage.loadBalancerProcessedGb)" });
    const out = usagePrice("aws-internet-egress");
    sink.usageLine(lb, { sku: out.name, region: "-", quantity: sink.usage.internetEgressGb, unitUsd: out.usd, unit: "GB", basis: "responses leaving AWS to the internet (usage.internetEgressGb)" });
}

/** Node count of a cache: numCacheNodes, numCacheClusters, or shards x (replicas + 1). */
function readCacheNodes(cache: CostInputResource, sink: Sink): number | undefined {
    const reads: Array<Typed<number>> = [
        readCount(cache.props, ["numCacheNodes"]),
        readCount(cache.props, ["numCacheClusters"]),
        readCount(cache.props, ["numNodeGroups"]),
        readCount(cache.props, ["replicasPerNodeGroup"]),
    ];
    if (reads.some((r) => sink.unusable(cache, r, "cache node count"))) return undefined;
    const [nodes, clusters, shards, replicas] = reads.map((r) => (r.state === "known" ? r.value : undefined));
    if (shards !== undefined) return shards * ((replicas ?? 0) + 1);
    return nodes ?? clusters ?? 1;
}

function priceCache(cache: CostInputResource, sink: Sink): void {
    const nodeType = readString(cache.props, ["nodeType"]);
    const region = readRegion(cache, sink);
    if (sink.unusable(cache, nodeType, "cache node type") || !region) return;
    if (nodeType.state !== "known") {
        sink.issue(cache, "unpriced", "nodeType is not set, so the cache cannot be priced", "nodeType");
        return;
    }
    const count = readCacheNodes(cache, sink);
    const dearest = dearestAwsType(cache, [nodeType.value], region.region, { kind: "on-demand" }, "nodeType", sink);
    if (!dearest || count === undefined) return;
    sink.line(cache, { kind: "capacity", sku: nodeType.value, region: dearest.price.region, countMin: count, countMax: count, hourlyUsd: dearest.price.unit.hourlyUsd, pricing: "on-demand", basis: `${count} x ${nodeType.value} cache nodes in ${dearest.price.region}: ${dearest.price.unit.note}` });
}
