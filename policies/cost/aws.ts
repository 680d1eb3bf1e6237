// AWS (pulumi-aws v7, which takes a per-resource `region`): EKS control planes and managed node
// groups, EC2 instances, NAT gateways, load balancers, public IPv4 addresses and ElastiCache nodes.
import { FeeName, fee } from "./catalog";
import { StackIndex } from "./graph";
import { Purchase, Sink, SkuPrice, describeCount, priceSku } from "./pricing";
import { CostInputResource } from "./types";
import { readCount, readString, readStringList, Typed } from "./values";

export const AWS_TYPES = {
    eksCluster: "aws:eks/cluster:Cluster",
    nodeGroup: "aws:eks/nodeGroup:NodeGroup",
    instance: "aws:ec2/instance:Instance",
    natGateway: "aws:ec2/natGateway:NatGateway",
    loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
    albLegacy: "aws:alb/loadBalancer:LoadBalancer",
    eip: "aws:ec2/eip:Eip",
    cacheReplicationGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
    cacheCluster: "aws:elasticache/cluster:Cluster",
} as const;

export function priceAws(index: StackIndex, sink: Sink): void {
    for (const c of index.ofType(AWS_TYPES.eksCluster)) {
        const f = fee("eks-control-plane");
        const x = fee("eks-control-plane-extended-support");
        feeLine(c, f.name, sink, `EKS control plane $${f.hourlyUsd} per cluster-hour in standard support ($${x.hourlyUsd} once its version enters extended support)`);
    }
    for (const g of index.ofType(AWS_TYPES.nodeGroup)) priceNodeGroup(g, sink);
    for (const i of index.ofType(AWS_TYPES.instance)) priceInstance(i, sink);
    for (const n of index.ofType(AWS_TYPES.natGateway)) feeLine(n, "aws-nat-gateway", sink, "NAT gateway hourly fee (data processing not counted)");
    for (const lb of index.ofType(AWS_TYPES.loadBalancer, AWS_TYPES.albLegacy)) priceLoadBalancer(lb, sink);
    for (const e of index.ofType(AWS_TYPES.eip)) feeLine(e, "aws-public-ipv4", sink, "public IPv4 address hourly fee");
    for (const c of index.ofType(AWS_TYPES.cacheReplicationGroup, AWS_TYPES.cacheCluster)) priceCache(c, sink);
}

function feeLine(res: CostInputResource, name: FeeName, sink: Sink, basis: string): void {
    const f = fee(name);
    sink.line(res, { sku: f.name, region: "-", countMin: 1, countMax: 1, hourlyUsd: f.hourlyUsd, pricing: "fee", basis });
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

function priceNodeGroup(group: CostInputResource, sink: Sink): void {
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
        sku: dearest.sku, region: price.region, countMin: min, countMax: hi.value, hourlyUsd: price.unit.hourlyUsd, pricing: price.unit.pricing,
        basis: `${describeCount(min, hi.value)} x ${dearest.sku} in ${price.region}: ${notes.join("; ")}`,
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
    sink.line(vm, { sku: type.value, region: dearest.price.region, countMin: 1, countMax: 1, hourlyUsd: dearest.price.unit.hourlyUsd, pricing: dearest.price.unit.pricing, basis: `1 x ${type.value} in ${dearest.price.region}: ${notes.join("; ")}` });
}

/** ALB and NLB cost the same per hour; gateway load balancers are not priced (not compute). */
function priceLoadBalancer(lb: CostInputResource, sink: Sink): void {
    const type = readString(lb.props, ["loadBalancerType"]);
    const kind = type.state === "known" ? type.value : "application";
    if (kind === "gateway") return;
    feeLine(lb, kind === "network" ? "aws-nlb" : "aws-alb", sink, `${kind === "network" ? "network" : "application"} load balancer hourly fee (capacity units not counted)`);
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
    sink.line(cache, { sku: nodeType.value, region: dearest.price.region, countMin: count, countMax: count, hourlyUsd: dearest.price.unit.hourlyUsd, pricing: "on-demand", basis: `${count} x ${nodeType.value} cache nodes in ${dearest.price.region}: ${dearest.price.unit.note}` });
}
