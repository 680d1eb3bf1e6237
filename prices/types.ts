// What a price source yields: one update per catalog SKU it priced. Parsers are pure (recorded
// response in, updates out); fetching and writing live elsewhere.
import type { Cloud, PricePart } from "../policies/cost/catalog";

export interface PriceUpdate {
    readonly cloud: Cloud;
    readonly region: string;
    readonly sku: string;
    /** Absent when the source has no on-demand price for it (the entry then keeps its own). */
    readonly onDemandHourlyUsd?: number;
    /** Absent when the source publishes none (AWS price list: never); the recorded one is kept. */
    readonly spotHourlyUsd?: number;
    /** GCP: the host and GPU parts the totals are made of. */
    readonly parts?: ReadonlyArray<PricePart>;
    /** "verified" when read directly; "derived" when added up from parts. */
    readonly status: "verified" | "derived";
    readonly source: string;
    /** ISO date (YYYY-MM-DD) the figure was published or read. */
    readonly sourceDate: string;
}

/** What a parser could not price, and why: reported, never silently dropped. */
export interface ParseNote {
    readonly cloud: Cloud;
    readonly region: string;
    readonly sku: string;
    readonly note: string;
}

export interface ParseResult {
    readonly updates: PriceUpdate[];
    readonly notes: ParseNote[];
}

/** A SKU the catalog lists, with what a parser needs to price it. */
export interface Wanted {
    readonly region: string;
    readonly sku: string;
    readonly vcpu: number;
    readonly memoryGb: number;
    readonly accelerators?: { readonly kind: string; readonly count: number };
}

/** Rounds away float noise (0.1 + 0.2) without hiding a real digit of a published price. */
export function roundUsd(x: number, digits = 6): number {
    const f = 10 ** digits;
    return Math.round(x * f) / f;
}

export function isoDate(d: Date): string {
    return d.toISOString().slice(0, 10);
}
