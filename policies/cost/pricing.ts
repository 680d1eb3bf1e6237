// Shared pieces of the pricers: unit prices (spot rules), region fallback, line and issue making.
import { CatalogEntry, Cloud, findPrice, pricesAcrossRegions } from "./catalog";
import { resolveTransientHours, resolveUsage } from "./assumptions";
import { CostInputResource, CostIssue, CostIssueKind, CostKind, CostLine, HOURS_PER_MONTH, TransientHours, UsageAssumptions } from "./types";
import { Typed } from "../model/read";

export function roundCents(x: number): number {
    return Math.round(x * 100) / 100;
}

/** How capacity is bought. Azure spot carries a max price (absent = Azure's default, -1). */
export type Purchase =
    | { readonly kind: "on-demand" }
    | { readonly kind: "spot" }
    | { readonly kind: "spot-max-price"; readonly maxPriceUsd: number | undefined };

export interface UnitPrice {
    /** The worst-case price of one unit for an hour: what the cap counts. */
    readonly hourlyUsd: number;
    readonly pricing: "on-demand" | "spot";
    /** Spot only: the expected price (catalog spot x margin), never above hourlyUsd. */
    readonly expectedHourlyUsd?: number;
    /** How the unit price was chosen, for the line's basis. */
    readonly note: string;
}

const usd = (x: number): string => `$${Number(x.toFixed(6))}`;

/** Catalog spot x margin, or undefined when no spot price is published. */
function expectedSpot(entry: CatalogEntry, spotMargin: number, ceiling: number): number | undefined {
    if (entry.spotHourlyUsd === undefined) return undefined;
    return Math.min(entry.spotHourlyUsd * spotMargin, ceiling);
}

/**
 * The worst-case price of one unit for an hour (DESIGN §4, revised 2026-12-01).
 * - on-demand: the catalog on-demand price.
 * - spot with nothing capping its price (Karpenter, GCP, EKS node groups): the cloud may bill up to
 *   on-demand, so on-demand. The expected figure (catalog spot x margin) rides along, labelled.
 * - spot with a max price (Azure): that max price, never above on-demand. -1, or none set (Azure's
 *   default is -1), means "pay up to on-demand", so on-demand.
 */
export function unitPrice(entry: CatalogEntry, purchase: Purchase, spotMargin: number): UnitPrice {
    const od = entry.onDemandHourlyUsd;
    switch (purchase.kind) {
        case "on-demand":
            return { hourlyUsd: od, pricing: "on-demand", note: `on-demand ${usd(od)}/h` };
        case "spot": {
            const expected = expectedSpot(entry, spotMargin, od);
            const exp = expected === undefined ? "no published spot price" : `expected spot ${usd(entry.spotHourlyUsd!)}/h x ${spotMargin}`;
            return { hourlyUsd: od, pricing: "spot", expectedHourlyUsd: expected ?? od, note: `spot with no price cap, so worst case on-demand ${usd(od)}/h (${exp})` };
        }
        case "spot-max-price": {
            const max = purchase.maxPriceUsd;
            const worst = max === undefined || max <= 0 ? od : Math.min(max, od);
            const expected = Math.min(expectedSpot(entry, spotMargin, od) ?? od, worst);
            const exp = entry.spotHourlyUsd === undefined ? "no published spot price" : `expected spot ${usd(entry.spotHourlyUsd)}/h x ${spotMargin}`;
            if (max === undefined) return { hourlyUsd: od, pricing: "spot", expectedHourlyUsd: expected, note: `spot with no max price (Azure default -1: pays up to on-demand) ${usd(od)}/h (${exp})` };
            if (max <= 0) return { hourlyUsd: od, pricing: "spot", expectedHourlyUsd: expected, note: `spot with max price ${max} (pays up to on-demand) ${usd(od)}/h (${exp})` };
            return max < od
                ? { hourlyUsd: max, pricing: "spot", expectedHourlyUsd: expected, note: `spot at its max price ${usd(max)}/h (${exp})` }
                : { hourlyUsd: od, pricing: "spot", expectedHourlyUsd: expected, note: `spot max price ${usd(max)}/h capped at on-demand ${usd(od)}/h (${exp})` };
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

/** What a pricer gives for one line; money is computed by the Sink. */
export interface LineInput {
    readonly kind: CostKind;
    readonly sku: string;
    readonly region: string;
    readonly countMin: number;
    readonly countMax: number;
    readonly hourlyUsd: number;
    readonly pricing: CostLine["pricing"];
    readonly basis: string;
    /** Hours a month the units exist (default 730). */
    readonly hoursPerMonth?: number;
    /** Spot only: the expected unit price. */
    readonly expectedHourlyUsd?: number;
}

/** Accumulates lines and issues for one estimate. */
export class Sink {
    readonly lines: CostLine[] = [];
    readonly issues: CostIssue[] = [];
    readonly transientHours: TransientHours;
    readonly usage: UsageAssumptions;

    constructor(readonly spotMargin: number, opts: { transientHours?: TransientHours; usage?: UsageAssumptions } = {}) {
        this.transientHours = opts.transientHours ?? resolveTransientHours(undefined);
        this.usage = opts.usage ?? resolveUsage(undefined);
    }

    line(res: CostInputResource, l: LineInput): void {
        const hours = l.hoursPerMonth ?? HOURS_PER_MONTH;
        const line: CostLine = {
            urn: res.urn,
            resourceType: res.type,
            kind: l.kind,
            sku: l.sku,
            region: l.region,
            countMin: l.countMin,
            countMax: l.countMax,
            hourlyUsd: l.hourlyUsd,
            hoursPerMonth: hours,
            baselineMonthlyUsd: roundCents(l.countMin * l.hourlyUsd * hours),
            worstCaseMonthlyUsd: roundCents(l.countMax * l.hourlyUsd * hours),
            pricing: l.pricing,
            basis: l.basis,
        };
        if (l.expectedHourlyUsd !== undefined && l.pricing === "spot") {
            line.expected = {
                hourlyUsd: l.expectedHourlyUsd,
                baselineMonthlyUsd: roundCents(l.countMin * l.expectedHourlyUsd * hours),
                worstCaseMonthlyUsd: roundCents(l.countMax * l.expectedHourlyUsd * hours),
            };
        }
        this.lines.push(line);
    }

    /** A usage line: `quantity` units a month at `unitUsd` each, in baseline and worst case alike. */
    usageLine(res: CostInputResource, l: { sku: string; region: string; quantity: number; unitUsd: number; unit: string; basis: string }): void {
        this.lines.push({
            urn: res.urn,
            resourceType: res.type,
            kind: "usage",
            sku: l.sku,
            region: l.region,
            countMin: l.quantity,
            countMax: l.quantity,
            hourlyUsd: l.unitUsd,
            hoursPerMonth: 1,
            baselineMonthlyUsd: roundCents(l.quantity * l.unitUsd),
            worstCaseMonthlyUsd: roundCents(l.quantity * l.unitUsd),
            pricing: "usage",
            basis: `${l.quantity} ${l.unit} a month (usage assumption) x $${l.unitUsd}: ${l.basis}`,
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
