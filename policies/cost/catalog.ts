// The price catalog: every SKU a target may deploy, per cloud and region, with its source and date.
//
// Every figure comes from /work/shared/reference/prices.md (collected 2026-11-23). Nothing here is
// estimated: a SKU or region without a published price is simply absent, and the engine then
// reports it as `unpriced` (fail closed) instead of pricing it at $0.
//
// Dates: the SkyPilot snapshots are named by commit only (2025-2026 vintage), and the fee sources
// give a year at most, so `sourceDate` is the collection date 2026-11-23 and `source` names the
// snapshot or document precisely.

export type Cloud = "gcp" | "azure" | "aws";
export type PriceStatus = "verified" | "derived" | "unverified";

export interface Accelerators {
    readonly kind: string;
    readonly count: number;
    /** Accelerator memory per machine, all devices together (GB). */
    readonly memoryGb: number;
}

/** A published component of a bundled price (GCP g2 = host row + L4 row in the catalogs). */
export interface PricePart {
    readonly label: string;
    readonly onDemandHourlyUsd: number;
    readonly spotHourlyUsd?: number;
}

export interface CatalogEntry {
    readonly cloud: Cloud;
    readonly region: string;
    readonly sku: string;
    readonly onDemandHourlyUsd: number;
    /** Absent when no spot price is published: spot capacity is then priced at on-demand. */
    readonly spotHourlyUsd?: number;
    readonly accelerators?: Accelerators;
    readonly vcpu: number;
    readonly memoryGb: number;
    /** Parts that add up to the totals, where the source gives them. */
    readonly parts?: ReadonlyArray<PricePart>;
    readonly source: string;
    readonly sourceDate: string;
    readonly status: PriceStatus;
}

const COLLECTED = "2026-11-23";
const AZURE_SKYPILOT = "SkyPilot catalog catalogs/v6/azure/vms.csv @098741e7 (via prices.md)";
const AWS_SKYPILOT = "SkyPilot catalog catalogs/v7/aws/vms.csv @001367d2 (via prices.md)";
const GCP_SKYPILOT = "SkyPilot catalog catalogs/v7/gcp/vms.csv @017e2502 (via prices.md)";

type Row = Omit<CatalogEntry, "cloud" | "region" | "source" | "sourceDate" | "status"> & {
    readonly status?: PriceStatus;
    readonly source?: string;
};

function rows(cloud: Cloud, region: string, source: string, list: ReadonlyArray<Row>): CatalogEntry[] {
    return list.map((r) => ({ ...r, cloud, region, source: r.source ?? source, sourceDate: COLLECTED, status: r.status ?? "verified" }));
}

const t4 = (count: number): Accelerators => ({ kind: "NVIDIA T4", count, memoryGb: 16 * count });
const v100 = (count: number): Accelerators => ({ kind: "NVIDIA V100", count, memoryGb: 16 * count });
const a100x80 = (count: number): Accelerators => ({ kind: "NVIDIA A100 80GB", count, memoryGb: 80 * count });

const AZURE_EASTUS: Row[] = [
    { sku: "Standard_B2s", onDemandHourlyUsd: 0.0416, vcpu: 2, memoryGb: 4 },
    { sku: "Standard_D4s_v5", onDemandHourlyUsd: 0.192, spotHourlyUsd: 0.02112, vcpu: 4, memoryGb: 16 },
    { sku: "Standard_D8s_v5", onDemandHourlyUsd: 0.384, spotHourlyUsd: 0.04224, vcpu: 8, memoryGb: 32 },
    // Derived: Standard_D64s_v5 row divided by 2 (the D-series v5 scales linearly with size).
    {
        sku: "Standard_D32s_v5", onDemandHourlyUsd: 1.536, spotHourlyUsd: 0.16896, vcpu: 32, memoryGb: 128,
        status: "derived", source: `${AZURE_SKYPILOT}; Standard_D64s_v5 / 2`,
    },
    { sku: "Standard_NC4as_T4_v3", onDemandHourlyUsd: 0.526, spotHourlyUsd: 0.062699, accelerators: t4(1), vcpu: 4, memoryGb: 28 },
    { sku: "Standard_NC8as_T4_v3", onDemandHourlyUsd: 0.752, spotHourlyUsd: 0.089638, accelerators: t4(1), vcpu: 8, memoryGb: 56 },
    { sku: "Standard_NC6s_v3", onDemandHourlyUsd: 3.06, spotHourlyUsd: 0.3978, accelerators: v100(1), vcpu: 6, memoryGb: 112 },
    { sku: "Standard_NC12s_v3", onDemandHourlyUsd: 6.12, spotHourlyUsd: 0.7956, accelerators: v100(2), vcpu: 12, memoryGb: 224 },
    { sku: "Standard_NC24s_v3", onDemandHourlyUsd: 12.24, spotHourlyUsd: 1.5912, accelerators: v100(4), vcpu: 24, memoryGb: 448 },
    { sku: "Standard_NC24rs_v3", onDemandHourlyUsd: 13.46, spotHourlyUsd: 1.7498, accelerators: v100(4), vcpu: 24, memoryGb: 448 },
    { sku: "Standard_NC24ads_A100_v4", onDemandHourlyUsd: 3.673, spotHourlyUsd: 0.444433, accelerators: a100x80(1), vcpu: 24, memoryGb: 220 },
    { sku: "Standard_NC48ads_A100_v4", onDemandHourlyUsd: 7.346, spotHourlyUsd: 0.888866, accelerators: a100x80(2), vcpu: 48, memoryGb: 440 },
    // No spot price is published for the H100 NVL size: spot capacity of it is priced at on-demand.
    { sku: "Standard_NC40ads_H100_v5", onDemandHourlyUsd: 6.98, accelerators: { kind: "NVIDIA H100 NVL", count: 1, memoryGb: 94 }, vcpu: 40, memoryGb: 320 },
    {
        sku: "Standard_ND96asr_v4", onDemandHourlyUsd: 27.197, spotHourlyUsd: 2.99167,
        accelerators: { kind: "NVIDIA A100 40GB", count: 8, memoryGb: 320 }, vcpu: 96, memoryGb: 900,
    },
    { sku: "Standard_NV36ads_A10_v5", onDemandHourlyUsd: 3.2, spotHourlyUsd: 0.8, accelerators: { kind: "NVIDIA A10", count: 1, memoryGb: 24 }, vcpu: 36, memoryGb: 440 },
];

const AZURE_WESTUS2: Row[] = [
    { sku: "Standard_NC4as_T4_v3", onDemandHourlyUsd: 0.526, spotHourlyUsd: 0.061595, accelerators: t4(1), vcpu: 4, memoryGb: 28 },
];

// AWS spot is an observed RANGE that moves. We store the TOP of the range seen in that region, so a
// cap computed from it (times the spot margin) still holds when the spot price climbs.
// On-demand is identical in us-east-1 and us-west-2 (prices.md).
const inf2 = (chips: number): Accelerators => ({ kind: "AWS Inferentia2", count: chips, memoryGb: 32 * chips });
const awsRows = (spotTop: Record<string, number | undefined>): Row[] => [
    { sku: "inf2.xlarge", onDemandHourlyUsd: 0.7582, spotHourlyUsd: spotTop["inf2.xlarge"], accelerators: inf2(1), vcpu: 4, memoryGb: 16 },
    { sku: "inf2.8xlarge", onDemandHourlyUsd: 1.96786, spotHourlyUsd: spotTop["inf2.8xlarge"], accelerators: inf2(1), vcpu: 32, memoryGb: 128 },
    { sku: "inf2.24xlarge", onDemandHourlyUsd: 6.49063, spotHourlyUsd: spotTop["inf2.24xlarge"], accelerators: inf2(6), vcpu: 96, memoryGb: 384 },
    { sku: "inf2.48xlarge", onDemandHourlyUsd: 12.98127, spotHourlyUsd: spotTop["inf2.48xlarge"], accelerators: inf2(12), vcpu: 192, memoryGb: 768 },
    { sku: "g5.xlarge", onDemandHourlyUsd: 1.006, spotHourlyUsd: spotTop["g5.xlarge"], accelerators: { kind: "NVIDIA A10G", count: 1, memoryGb: 24 }, vcpu: 4, memoryGb: 16 },
    { sku: "g5.2xlarge", onDemandHourlyUsd: 1.212, spotHourlyUsd: spotTop["g5.2xlarge"], accelerators: { kind: "NVIDIA A10G", count: 1, memoryGb: 24 }, vcpu: 8, memoryGb: 32 },
    { sku: "g6.xlarge", onDemandHourlyUsd: 0.8048, spotHourlyUsd: spotTop["g6.xlarge"], accelerators: { kind: "NVIDIA L4", count: 1, memoryGb: 24 }, vcpu: 4, memoryGb: 16 },
    { sku: "g6e.xlarge", onDemandHourlyUsd: 1.861, spotHourlyUsd: spotTop["g6e.xlarge"], accelerators: { kind: "NVIDIA L40S", count: 1, memoryGb: 48 }, vcpu: 4, memoryGb: 32 },
    // Derived: m5.xlarge / 2. Its spot figure is only "about 0.03" with no range, so no spot price
    // is stored and spot m5.large is priced at on-demand.
    {
        sku: "m5.large", onDemandHourlyUsd: 0.096, vcpu: 2, memoryGb: 8,
        status: "derived", source: `${AWS_SKYPILOT}; m5.xlarge / 2`,
    },
];

/** Top of the observed spot range per region. */
const AWS_SPOT_TOP_USE1: Record<string, number> = {
    "inf2.xlarge": 0.1921, "inf2.8xlarge": 0.5799, "inf2.24xlarge": 1.7112, "inf2.48xlarge": 1.974,
    "g5.xlarge": 0.4005, "g5.2xlarge": 0.6067, "g6.xlarge": 0.4173, "g6e.xlarge": 1.2079,
};
const AWS_SPOT_TOP_USW2: Record<string, number> = {
    "inf2.xlarge": 0.2462, "inf2.8xlarge": 0.6303, "inf2.24xlarge": 2.1324, "inf2.48xlarge": 4.0809,
    "g5.xlarge": 0.3739, "g5.2xlarge": 0.4193, "g6.xlarge": 0.5341, "g6e.xlarge": 1.1541,
};

const l4 = (count: number): Accelerators => ({ kind: "NVIDIA L4", count, memoryGb: 24 * count });
// GCP g2 machines always carry their L4s: the price is host + GPU (the catalogs list them apart).
// The totals are from prices.md; the parts are given for g2-standard-4 only.
const GCP_US_CENTRAL1: Row[] = [
    {
        sku: "g2-standard-4", onDemandHourlyUsd: 0.70683, spotHourlyUsd: 0.28184, accelerators: l4(1), vcpu: 4, memoryGb: 16,
        parts: [
            { label: "g2-standard-4 host", onDemandHourlyUsd: 0.14679, spotHourlyUsd: 0.05874 },
            { label: "1x nvidia-l4", onDemandHourlyUsd: 0.56004, spotHourlyUsd: 0.2231 },
        ],
        status: "derived", source: `${GCP_SKYPILOT}; host row + L4 row`,
    },
    { sku: "g2-standard-8", onDemandHourlyUsd: 0.85362, spotHourlyUsd: 0.34057, accelerators: l4(1), vcpu: 8, memoryGb: 32, status: "derived", source: `${GCP_SKYPILOT}; host row + L4 row` },
    { sku: "g2-standard-12", onDemandHourlyUsd: 1.00042, spotHourlyUsd: 0.39931, accelerators: l4(1), vcpu: 12, memoryGb: 48, status: "derived", source: `${GCP_SKYPILOT}; host row + L4 row` },
    { sku: "g2-standard-24", onDemandHourlyUsd: 2.00083, spotHourlyUsd: 0.79862, accelerators: l4(2), vcpu: 24, memoryGb: 96, status: "derived", source: `${GCP_SKYPILOT}; host row + L4 row` },
    // A general-purpose host with an attached GPU: the SKU names both (see gcpSku in gcp.ts).
    // vCPU and memory of n1-standard-8 and a2-highgpu-1g are GCP's machine-type specifications.
    {
        sku: "n1-standard-8+1xnvidia-tesla-t4", onDemandHourlyUsd: 0.73, spotHourlyUsd: 0.2363, accelerators: t4(1), vcpu: 8, memoryGb: 30,
        status: "derived", source: `${GCP_SKYPILOT}; n1-standard-8 row + nvidia-tesla-t4 row`,
    },
    {
        sku: "a2-highgpu-1g", onDemandHourlyUsd: 3.67339, spotHourlyUsd: 1.44296, accelerators: { kind: "NVIDIA A100 40GB", count: 1, memoryGb: 40 }, vcpu: 12, memoryGb: 85,
        status: "derived", source: `${GCP_SKYPILOT}; host row + A100 row`,
    },
];

/** Every priced SKU. Tests walk it; the engine reads it through the helpers below. */
export const CATALOG: ReadonlyArray<CatalogEntry> = [
    ...rows("azure", "eastus", `${AZURE_SKYPILOT}, eastus`, AZURE_EASTUS),
    ...rows("azure", "westus2", `${AZURE_SKYPILOT}, westus2`, AZURE_WESTUS2),
    ...rows("aws", "us-east-1", `${AWS_SKYPILOT}, us-east-1 (spot: top of observed range)`, awsRows(AWS_SPOT_TOP_USE1)),
    ...rows("aws", "us-west-2", `${AWS_SKYPILOT}, us-west-2 (spot: top of observed range)`, awsRows(AWS_SPOT_TOP_USW2)),
    ...rows("gcp", "us-central1", `${GCP_SKYPILOT}, us-central1`, GCP_US_CENTRAL1),
].map(dropUndefinedSpot);

// `awsRows` passes `spotHourlyUsd: undefined` for SKUs without a range; keep "absent" truly absent.
function dropUndefinedSpot(e: CatalogEntry): CatalogEntry {
    if (e.spotHourlyUsd !== undefined) return e;
    const { spotHourlyUsd: _omit, ...rest } = e;
    return rest;
}

/**
 * AWS instance families whose every size is in the catalog, so a Karpenter NodePool allowed a
 * whole family can be bounded. inf2 comes in exactly xlarge, 8xlarge, 24xlarge and 48xlarge.
 * Families with sizes missing here (g5, g6, g6e, m5) must be narrowed by instance-size or type.
 */
export const COMPLETE_AWS_FAMILIES: ReadonlySet<string> = new Set(["inf2"]);

export type FeeName =
    | "aks-standard-tier"
    | "aks-premium-tier"
    | "eks-control-plane"
    | "eks-control-plane-extended-support"
    | "gke-cluster"
    | "gcp-lb-forwarding-rule-first5"
    | "gcp-lb-forwarding-rule-additional"
    | "aws-nat-gateway"
    | "aws-alb"
    | "aws-nlb"
    | "aws-public-ipv4"
    | "azure-standard-lb-first5-rules"
    | "azure-standard-lb-additional-rule"
    | "azure-standard-public-ip"
    | "azure-managed-disk-p10"
    | "azure-managed-disk-p20"
    | "azure-managed-disk-e20";

export interface Fee {
    readonly name: FeeName;
    readonly cloud: Cloud;
    readonly hourlyUsd: number;
    /** What one unit of the fee is. */
    readonly unit: string;
    /** Set when the figure is for named regions only (disk prices are East US). */
    readonly regions?: ReadonlyArray<string>;
    readonly source: string;
    readonly sourceDate: string;
    readonly status: PriceStatus;
}

const DISK_SOURCE = "third-party Azure managed disk price article, East US, 2026 (via prices.md)";
const fees: ReadonlyArray<Fee> = [
    { name: "aks-standard-tier", cloud: "azure", hourlyUsd: 0.1, unit: "cluster-hour", source: "third-party AKS pricing summary (via prices.md)", sourceDate: COLLECTED, status: "verified" },
    { name: "aks-premium-tier", cloud: "azure", hourlyUsd: 0.6, unit: "cluster-hour", source: "unverified secondary source (via prices.md)", sourceDate: COLLECTED, status: "unverified" },
    { name: "eks-control-plane", cloud: "aws", hourlyUsd: 0.1, unit: "cluster-hour", source: "AWS blog on EKS pricing, 2024 (via prices.md)", sourceDate: COLLECTED, status: "verified" },
    { name: "eks-control-plane-extended-support", cloud: "aws", hourlyUsd: 0.6, unit: "cluster-hour", source: "AWS blog on EKS extended support pricing, 2024 (via prices.md)", sourceDate: COLLECTED, status: "verified" },
    { name: "gke-cluster", cloud: "gcp", hourlyUsd: 0.1, unit: "cluster-hour", source: "GKE pricing (via prices.md)", sourceDate: COLLECTED, status: "verified" },
    { name: "gcp-lb-forwarding-rule-first5", cloud: "gcp", hourlyUsd: 0.025, unit: "forwarding rule-hour, first 5 per project", source: "cloud.google.com/load-balancing/pricing (via prices.md)", sourceDate: COLLECTED, status: "verified" },
    { name: "gcp-lb-forwarding-rule-additional", cloud: "gcp", hourlyUsd: 0.01, unit: "forwarding rule-hour beyond 5", source: "cloud.google.com/load-balancing/pricing (via prices.md)", sourceDate: COLLECTED, status: "verified" },
    { name: "aws-nat-gateway", cloud: "aws", hourlyUsd: 0.045, unit: "gateway-hour (plus $0.045/GB, not priced)", source: "third-party AWS VPC pricing guide, 2026 (via prices.md)", sourceDate: COLLECTED, status: "verified" },
    { name: "aws-alb", cloud: "aws", hourlyUsd: 0.0225, unit: "load balancer-hour (plus LCUs, not priced)", source: "third-party AWS ELB pricing guide, 2026 (via prices.md)", sourceDate: COLLECTED, status: "verified" },
    { name: "aws-nlb", cloud: "aws", hourlyUsd: 0.0225, unit: "load balancer-hour (plus NLCUs, not priced)", source: "third-party AWS ELB pricing guide, 2026 (via prices.md)", sourceDate: COLLECTED, status: "verified" },
    { name: "aws-public-ipv4", cloud: "aws", hourlyUsd: 0.005, unit: "public IPv4 address-hour", source: "third-party AWS public IPv4 pricing guide, 2026 (via prices.md)", sourceDate: COLLECTED, status: "verified" },
    { name: "azure-standard-lb-first5-rules", cloud: "azure", hourlyUsd: 0.025, unit: "load balancer-hour covering its first 5 rules", source: "third-party Azure Load Balancer pricing summary, 2026 (via prices.md)", sourceDate: COLLECTED, status: "verified" },
    { name: "azure-standard-lb-additional-rule", cloud: "azure", hourlyUsd: 0.01, unit: "rule-hour beyond 5", source: "third-party Azure Load Balancer pricing summary, 2026 (via prices.md)", sourceDate: COLLECTED, status: "verified" },
    { name: "azure-standard-public-ip", cloud: "azure", hourlyUsd: 0.005, unit: "address-hour", source: "third-party Azure public IP pricing summary, 2026 (via prices.md)", sourceDate: COLLECTED, status: "verified" },
    // Disks are quoted per month; hourly = monthly / 730, so a month of it gives back the quote.
    { name: "azure-managed-disk-p10", cloud: "azure", hourlyUsd: 19.71 / 730, unit: "disk-hour (P10, 128 GiB Premium SSD)", regions: ["eastus"], source: "older third-party article, $19.71/month (via prices.md)", sourceDate: COLLECTED, status: "derived" },
    { name: "azure-managed-disk-p20", cloud: "azure", hourlyUsd: 73.22 / 730, unit: "disk-hour (P20, 512 GiB Premium SSD)", regions: ["eastus"], source: `${DISK_SOURCE}, $73.22/month`, sourceDate: COLLECTED, status: "derived" },
    { name: "azure-managed-disk-e20", cloud: "azure", hourlyUsd: 38.4 / 730, unit: "disk-hour (E20, 512 GiB Standard SSD)", regions: ["eastus"], source: `${DISK_SOURCE}, $38.40/month`, sourceDate: COLLECTED, status: "derived" },
];

export const FEES: ReadonlyArray<Fee> = fees;

const byKey = new Map<string, CatalogEntry>(CATALOG.map((e) => [key(e.cloud, e.region, e.sku), e]));
const feesByName = new Map<FeeName, Fee>(FEES.map((f) => [f.name, f]));

function key(cloud: Cloud, region: string, sku: string): string {
    return `${cloud}/${region}/${sku}`;
}

/** The entry for a SKU in a region, or undefined when it is not priced there. */
export function findPrice(cloud: Cloud, region: string, sku: string): CatalogEntry | undefined {
    return byKey.get(key(cloud, region, sku));
}

/** The SKUs priced in one region. */
export function pricedSkus(cloud: Cloud, region: string): string[] {
    return CATALOG.filter((e) => e.cloud === cloud && e.region === region).map((e) => e.sku);
}

/** The regions that have at least one priced SKU. */
export function catalogRegions(cloud: Cloud): string[] {
    return [...new Set(CATALOG.filter((e) => e.cloud === cloud).map((e) => e.region))];
}

/** Every entry for a SKU, across the catalog's regions for that cloud. */
export function pricesAcrossRegions(cloud: Cloud, sku: string): CatalogEntry[] {
    return CATALOG.filter((e) => e.cloud === cloud && e.sku === sku);
}

/** A fee by name. Throws on a name that is not in the catalog: that is a programming error. */
export function fee(name: FeeName): Fee {
    const found = feesByName.get(name);
    if (!found) throw new Error(`fee ${name} is not in the catalog`);
    return found;
}
