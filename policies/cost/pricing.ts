// Shared pieces of the pricers: unit prices (spot rules), region fallback, line and issue making.
import { CatalogEntry, Cloud, findPrice, pricesAcrossRegions } from "./catalog";
import { CostInputResource, CostIssue, CostIssueKind, CostLine, HOURS_PER_MONTH } from "./types";
import { Typed } from "./values";

export const DEFAULT_SPOT_MARGIN = 1.25;

export function roundCents(x: number): number {
    return Math.round(x * 100) / 100;
}

/** How capacity is bought. Azure spot carries a max price (absent = Azure's default, -1). */
export type Purchase =
    | { readonly kind: "on-demand" }
    | { readonly kind: "spot" }
    | { readonly kind: "spot-max-price"; readonly maxPriceUsd: number | undefined };

export interface UnitPrice {
    readonly hourlyUsd: number;
    readonly pricing: "on-demand" | "spot";
    /** How the unit price was chosen, for the line's basis. */
    readonly note: string;
}

const usd = (x: number): string => `$${Number(x.toFixed(6))}`;

/**
 * The worst-case price of one unit for an hour.
 * - on-demand: the catalog on-demand price.
 * - spot: catalog spot x margin (spot moves), never above on-demand; no published spot -> on-demand.
 * - spot with a max price (Azure): that max price, never above on-demand. -1, or none set (Azure's
 *   default is -1), means "pay up to on-demand", so on-demand.
 */
export function unitPrice(entry: CatalogEntry, purchase: Purchase, spotMargin: number): UnitPrice {
    const od = entry.onDemandHourlyUsd;
    switch (purchase.kind) {
        case "on-demand":
            return { hourlyUsd: od, pricing: "on-demand", note: `on-demand ${usd(od)}/h` };
        case "spot": {
            if (entry.spotHourlyUsd === undefined) {
                return { hourlyUsd: od, pricing: "spot", note: `spot with no published spot price, so on-demand ${usd(od)}/h` };
            }
            const withMargin = entry.spotHourlyUsd * spotMargin;
            return withMargin < od
                ? { hourlyUsd: withMargin, pricing: "spot", note: `spot ${usd(entry.spotHourlyUsd)}/h x margin ${spotMargin}` }
                : { hourlyUsd: od, pricing: "spot", note: `spot ${usd(entry.spotHourlyUsd)}/h x margin ${spotMargin} capped at on-demand ${usd(od)}/h` };
        }
        case "spot-max-price": {
            const max = purchase.maxPriceUsd;
            if (max === undefined) {
                return { hourlyUsd: od, pricing: "spot", note: `spot with no max price (Azure default -1: pays up to on-demand) ${usd(od)}/h` };
            }
            if (max <= 0) {
                return { hourlyUsd: od, pricing: "spot", note: `spot with max price ${max} (pays up to on-demand) ${usd(od)}/h` };
            }
            return max < od
                ? { hourlyUsd: max, pricing: "spot", note: `spot at its max price ${usd(max)}/h` }
                : { hourlyUsd: od, pricing: "spot", note: `spot max price ${usd(max)}/h capped at on-demand ${usd(od)}/h` };
        }
    }
}

export type SkuPrice =
    | { readonly ok: true; readonly entry: CatalogEntry; readonly unit: UnitPrice; readonly region: string; readonly regionNote: string }
    | { readonly ok: false; readonly message: string };

/**
 * Prices a SKU in a region. With no region (the provider's default applies, which policies cannot
 * see), the dearest catalog region for that SKU is used and the basis says so.
 */
export function priceSku(cloud: Cloud, sku: string, region: string | undefined, purchase: Purchase, spotMargin: number): SkuPrice {
    if (region !== undefined) {
        const entry = findPrice(cloud, region, sku);
        if (!entry) return { ok: false, message: `${cloud} SKU ${sku} has no catalog price in region ${region}` };
        return { ok: true, entry, unit: unitPrice(entry, purchase, spotMargin), region, regionNote: "" };
    }
    let best: { entry: CatalogEntry; unit: UnitPrice } | undefined;
    for (const entry of pricesAcrossRegions(cloud, sku)) {
        const unit = unitPrice(entry, purchase, spotMargin);
        if (!best || unit.hourlyUsd > best.unit.hourlyUsd) best = { entry, unit };
    }
    if (!best) return { ok: false, message: `${cloud} SKU ${sku} has no catalog price in any region` };
    return {
        ok: true,
        ...best,
        region: best.entry.region,
        regionNote: `region not set, so priced at the dearest catalog region (${best.entry.region})`,
    };
}

/** Accumulates lines and issues for one estimate. */
export class Sink {
    readonly lines: CostLine[] = [];
    readonly issues: CostIssue[] = [];

    constructor(readonly spotMargin: number) {}

    line(res: CostInputResource, l: { sku: string; region: string; countMin: number; countMax: number; hourlyUsd: number; pricing: CostLine["pricing"]; basis: string }): void {
        this.lines.push({
            urn: res.urn,
            resourceType: res.type,
            sku: l.sku,
            region: l.region,
            countMin: l.countMin,
            countMax: l.countMax,
            hourlyUsd: l.hourlyUsd,
            baselineMonthlyUsd: roundCents(l.countMin * l.hourlyUsd * HOURS_PER_MONTH),
            worstCaseMonthlyUsd: roundCents(l.countMax * l.hourlyUsd * HOURS_PER_MONTH),
            pricing: l.pricing,
            basis: l.basis,
        });
    }

    issue(res: CostInputResource, kind: CostIssueKind, message: string, field?: string): void {
        const issue: CostIssue = { urn: res.urn, resourceType: res.type, kind, message };
        if (field !== undefined) issue.field = field;
        this.issues.push(issue);
    }

    /**
     * Reports a cost-relevant read that cannot be used (unknown at preview, or of the wrong type)
     * and returns true; returns false when the read is known or absent. Never prints the value.
     */
    unusable(res: CostInputResource, read: Typed<unknown>, what: string): boolean {
        if (read.state === "unknown") {
            this.issue(res, "unknown", `${what} (${read.field}) is unknown until the update runs, so the cost cannot be bounded at preview; set it from a known value`, read.field);
            return true;
        }
        if (read.state === "invalid") {
            this.issue(res, "unknown", `${what} (${read.field}) is not ${read.expected}, so the cost cannot be computed`, read.field);
            return true;
        }
        return false;
    }
}

/** "eastus" from "East US"; Azure accepts both spellings. */
export function normalizeAzureLocation(location: string): string {
    return location.replace(/\s+/g, "").toLowerCase();
}

/** "us-central1" from the zone "us-central1-a". */
export function gcpRegionOfZone(zone: string): string {
    return zone.replace(/-[a-z]$/, "");
}

export function describeCount(min: number, max: number): string {
    return min === max ? `${max}` : `${min} to ${max}`;
}
