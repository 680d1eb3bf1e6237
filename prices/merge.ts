// Applies price updates to the catalog entries the project already lists. It never adds a SKU,
// never writes a $0 (or negative, or non-finite) price, and leaves an entry the source did not
// return exactly as it was, reporting it. A spot price the source does not publish is kept, with
// where and when it was read (spotSource, spotSourceDate).
import type { CatalogEntry, Cloud, PricePart } from "../policies/cost/catalog";
import type { PriceUpdate } from "./types";
import { roundUsd } from "./types";

export interface Ref {
    readonly cloud: Cloud;
    readonly region: string;
    readonly sku: string;
}

export interface PriceChange extends Ref {
    readonly field: "onDemandHourlyUsd" | "spotHourlyUsd";
    readonly before?: number;
    readonly after?: number;
}

export interface MergeReport {
    /** The new entries, in the catalog's order. */
    readonly entries: CatalogEntry[];
    /** Prices that changed (a dropped spot price has `after` undefined). */
    readonly changes: PriceChange[];
    /** Entries whose price, source or date the refresh renewed. */
    readonly refreshed: Ref[];
    /** Entries of the refreshed clouds the source did not return: left as they were. */
    readonly missing: Ref[];
    /** Updates not applied, and why. */
    readonly ignored: Array<Ref & { readonly reason: string }>;
    /** Other things a reviewer should read (spot kept, parts dropped). */
    readonly notes: Array<Ref & { readonly note: string }>;
}

const keyOf = (r: Ref) => `${r.cloud}/${r.region}/${r.sku}`;
const usable = (x: number | undefined): x is number => typeof x === "number" && Number.isFinite(x) && x > 0;

/** Parts are kept only while they add up to the totals, as the catalog's tests require. */
function partsAddUp(parts: ReadonlyArray<PricePart>, onDemand: number, spot: number | undefined): boolean {
    const sum = (xs: number[]) => roundUsd(xs.reduce((a, b) => a + b, 0), 5);
    if (sum(parts.map((p) => p.onDemandHourlyUsd)) !== onDemand) return false;
    if (spot === undefined) return parts.every((p) => p.spotHourlyUsd === undefined);
    return parts.every((p) => p.spotHourlyUsd !== undefined) && sum(parts.map((p) => p.spotHourlyUsd!)) === spot;
}

export function mergeUpdates(entries: ReadonlyArray<CatalogEntry>, updates: ReadonlyArray<PriceUpdate>, clouds: ReadonlyArray<Cloud>): MergeReport {
    const byKey = new Map<string, PriceUpdate>();
    const ignored: MergeReport["ignored"] = [];
    const known = new Set(entries.map(keyOf));
    for (const u of updates) {
        const ref = { cloud: u.cloud, region: u.region, sku: u.sku };
        if (!known.has(keyOf(u))) ignored.push({ ...ref, reason: "not in the catalog (a refresh never adds SKUs; add it by hand with a source)" });
        else if (!usable(u.onDemandHourlyUsd)) ignored.push({ ...ref, reason: `unusable on-demand price ${String(u.onDemandHourlyUsd)} (never written)` });
        else if (byKey.has(keyOf(u))) ignored.push({ ...ref, reason: "duplicate update (the first one was applied)" });
        else byKey.set(keyOf(u), u);
    }

    const changes: PriceChange[] = [];
    const refreshed: Ref[] = [];
    const missing: Ref[] = [];
    const notes: MergeReport["notes"] = [];
    const merged = entries.map((e): CatalogEntry => {
        const ref = { cloud: e.cloud, region: e.region, sku: e.sku };
        const u = byKey.get(keyOf(e));
        if (!u) {
            if (clouds.includes(e.cloud)) missing.push(ref);
            return e;
        }
        const onDemand = u.onDemandHourlyUsd!;
        let spot: number | undefined;
        let spotProvenance: { spotSource: string; spotSourceDate: string } | undefined;
        if (usable(u.spotHourlyUsd) && u.spotHourlyUsd < onDemand) {
            spot = u.spotHourlyUsd;
        } else {
            if (u.spotHourlyUsd !== undefined) notes.push({ ...ref, note: `source spot price ${u.spotHourlyUsd} is not between 0 and on-demand; not used` });
            if (e.spotHourlyUsd !== undefined && e.spotHourlyUsd < onDemand) {
                spot = e.spotHourlyUsd;
                spotProvenance = { spotSource: e.spotSource ?? e.source, spotSourceDate: e.spotSourceDate ?? e.sourceDate };
                notes.push({ ...ref, note: `spot ${spot} kept from ${spotProvenance.spotSource} (${spotProvenance.spotSourceDate}): the source publishes no spot price` });
            } else if (e.spotHourlyUsd !== undefined) {
                notes.push({ ...ref, note: `recorded spot ${e.spotHourlyUsd} is not below the new on-demand ${onDemand}; dropped (spot is priced at on-demand)` });
            }
        }
        const candidateParts = u.parts ?? e.parts;
        let parts: ReadonlyArray<PricePart> | undefined;
        if (candidateParts && partsAddUp(candidateParts, onDemand, spot)) parts = candidateParts;
        else if (candidateParts) notes.push({ ...ref, note: "host/GPU parts no longer add up to the totals; dropped" });

        if (onDemand !== e.onDemandHourlyUsd) changes.push({ ...ref, field: "onDemandHourlyUsd", before: e.onDemandHourlyUsd, after: onDemand });
        if (spot !== e.spotHourlyUsd) changes.push({ ...ref, field: "spotHourlyUsd", before: e.spotHourlyUsd, after: spot });
        refreshed.push(ref);

        const { spotHourlyUsd: _s, parts: _p, spotSource: _ss, spotSourceDate: _sd, ...rest } = e;
        return {
            ...rest,
            onDemandHourlyUsd: onDemand,
            ...(spot !== undefined ? { spotHourlyUsd: spot } : {}),
            ...(parts ? { parts } : {}),
            source: u.source,
            sourceDate: u.sourceDate,
            ...(spotProvenance ?? {}),
            status: u.status,
        };
    });
    return { entries: merged, changes, refreshed, missing, ignored, notes };
}

const fmt = (x: number | undefined) => (x === undefined ? "none" : String(x));

/**
 * The report printed by every run (and all a dry run does): one line per changed price, then what
 * was kept, missing (with the parser's reason when it gave one) or ignored.
 */
export function formatReport(r: MergeReport, reasons: ReadonlyArray<Ref & { readonly note: string }> = []): string {
    const lines: string[] = [];
    lines.push(`${r.changes.length} price change(s), ${r.refreshed.length} entr${r.refreshed.length === 1 ? "y" : "ies"} refreshed, ${r.missing.length} missing`);
    for (const c of r.changes) {
        const pct = c.before !== undefined && c.after !== undefined ? ` (${c.after >= c.before ? "+" : ""}${(((c.after - c.before) / c.before) * 100).toFixed(2)}%)` : "";
        const field = c.field === "onDemandHourlyUsd" ? "on-demand" : "spot";
        lines.push(`  ~ ${keyOf(c)} ${field}: ${fmt(c.before)} -> ${fmt(c.after)} $/h${pct}`);
    }
    for (const n of r.notes) lines.push(`  note ${keyOf(n)}: ${n.note}`);
    const why = new Map<string, string[]>();
    for (const n of reasons) why.set(keyOf(n), [...(why.get(keyOf(n)) ?? []), n.note]);
    for (const m of r.missing) lines.push(`  missing ${keyOf(m)}: ${why.get(keyOf(m))?.join("; ") ?? "not returned by the source"}; left as recorded`);
    for (const i of r.ignored) lines.push(`  ignored ${keyOf(i)}: ${i.reason}`);
    const missingKeys = new Set(r.missing.map(keyOf));
    for (const n of reasons) if (!missingKeys.has(keyOf(n))) lines.push(`  source ${keyOf(n)}: ${n.note}`);
    return lines.join("\n") + "\n";
}
