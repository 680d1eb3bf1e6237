// The engine's contract. Other modules (policies, the offline plan) code against these names;
// estimate.ts re-exports them.

export const HOURS_PER_MONTH = 730;
/** Minutes in that month: what a once-a-minute evaluation or read is counted over. */
export const MINUTES_PER_MONTH = HOURS_PER_MONTH * 60;

export interface CostInputResource {
    urn: string;
    /** Pulumi type token, e.g. "gcp:compute/instanceTemplate:InstanceTemplate". */
    type: string;
    name: string;
    /** The resource's inputs/outputs as CrossGuard sees them (possibly an unknownCheckingProxy). */
    props: Record<string, unknown>;
    /** Property name -> URNs of the resources that property depends on. */
    propertyDependencies: Record<string, string[]>;
}

/**
 * What a line is (DESIGN §4): machines between their bounds, disks and volumes, things billed for
 * existing, surge and overshoot hours, or charges priced from the usage assumptions.
 */
export type CostKind = "capacity" | "storage" | "fixed" | "transient" | "usage";
export const COST_KINDS: ReadonlyArray<CostKind> = ["capacity", "storage", "fixed", "transient", "usage"];

/**
 * Hours per month that transient capacity exists, per mechanism (policies/config/<stack>.json,
 * `monthly-cost-cap.transientHoursPerMonth`; defaults and their sources in cost/assumptions.ts).
 */
export interface TransientHours {
    /** AKS node-image and Kubernetes upgrades: the pool's maxSurge extra nodes. */
    aksUpgradeSurge: number;
    /** GCP managed instance group rolling updates: maxSurge extra instances. */
    migRollingUpdate: number;
    /** EKS managed node group updates: the extra nodes EKS adds while it replaces nodes. */
    eksNodeGroupUpdate: number;
    /** Karpenter may exceed a NodePool's limits by the nodes it launches in one batch. */
    karpenterOvershoot: number;
    /** Karpenter launches a replacement before it removes a drifted or expired node. */
    karpenterReplacement: number;
}

/**
 * Monthly volumes per resource that bills by use (Infracost's usage file is the model): each usage
 * line is priced at these volumes and counted in the worst case; beyond them the runtime budgets
 * watch. 0 is allowed and then shown as a $0 line.
 */
export interface UsageAssumptions {
    /** GB leaving the cloud to the internet, per public endpoint (load balancer, public VM IP). */
    internetEgressGb: number;
    /** GB processed per NAT gateway (AWS NAT gateway, GCP Cloud NAT). */
    natProcessedGb: number;
    /** GB processed per load balancer that bills by data (GCP external HTTP(S) LB). */
    loadBalancerProcessedGb: number;
    /** GB of logs ingested per log sink (CloudWatch log group, Log Analytics workspace). */
    logIngestionGb: number;
    /** Millions of requests evaluated per Cloud Armor policy. */
    wafRequestsMillions: number;
    /**
     * Millions of metric samples a month written to a managed Prometheus, per target whose model
     * servers are collected (one per serving dashboard): series kept x scrapes a month x replicas.
     */
    metricSamplesMillions: number;
}

export interface EstimateOptions {
    /** Multiplier on catalog spot prices for the EXPECTED spot figure (spot moves); never above on-demand. Default 1.25. */
    spotMargin?: number;
    transientHoursPerMonth?: Partial<TransientHours>;
    usage?: Partial<UsageAssumptions>;
}

export interface CostLine {
    urn: string;
    resourceType: string;
    sku: string;
    region: string;
    countMin: number;
    countMax: number;
    kind: CostKind;
    /** Worst-case unit price per hour used for worstCase (usage lines: per unit of volume). */
    hourlyUsd: number;
    /** Hours a month the units exist: 730, or the transient assumption. */
    hoursPerMonth: number;
    /** countMin x unit price x hours, rounded to cents. */
    baselineMonthlyUsd: number;
    /** countMax x unit price x hours, rounded to cents. */
    worstCaseMonthlyUsd: number;
    pricing: "on-demand" | "spot" | "fee" | "usage";
    /**
     * Spot capacity only: the expected figure (catalog spot x spotMargin, never above the worst
     * case). Shown beside the worst case, labelled expected; caps never use it.
     */
    expected?: { hourlyUsd: number; baselineMonthlyUsd: number; worstCaseMonthlyUsd: number };
    /** One human sentence: how this figure was derived (SKU, region, counts, prices; never prop values). */
    basis: string;
}

export type CostIssueKind = "unpriced" | "unbounded" | "unknown";

export interface CostIssue {
    urn: string;
    resourceType: string;
    kind: CostIssueKind;
    field?: string;
    message: string;
}

export interface KindTotals {
    baselineMonthlyUsd: number;
    worstCaseMonthlyUsd: number;
}

export interface Estimate {
    lines: CostLine[];
    issues: CostIssue[];
    baselineMonthlyUsd: number;
    worstCaseMonthlyUsd: number;
    /** The worst case with spot capacity at its expected figure instead of on-demand. */
    expectedWorstCaseMonthlyUsd: number;
    byKind: Record<CostKind, KindTotals>;
}
