// The engine's contract. Other modules (policies, the offline plan) code against these names;
// estimate.ts re-exports them.

export const HOURS_PER_MONTH = 730;

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

export interface EstimateOptions {
    /** Multiplier on catalog spot prices (spot moves); never lifts a price above on-demand. Default 1.25. */
    spotMargin?: number;
}

export interface CostLine {
    urn: string;
    resourceType: string;
    sku: string;
    region: string;
    countMin: number;
    countMax: number;
    /** Worst-case unit price per hour used for worstCase. */
    hourlyUsd: number;
    /** countMin x unit price x 730, rounded to cents. */
    baselineMonthlyUsd: number;
    /** countMax x unit price x 730, rounded to cents. */
    worstCaseMonthlyUsd: number;
    pricing: "on-demand" | "spot" | "fee";
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

export interface Estimate {
    lines: CostLine[];
    issues: CostIssue[];
    baselineMonthlyUsd: number;
    worstCaseMonthlyUsd: number;
}
