import { StackValidationPolicy } from "@pulumi/policy";
import { CATALOG, CatalogEntry, catalogAgeDays, oldestSourceDate } from "../cost/catalog";

export interface CatalogFreshnessConfig {
    maxAgeDays: number;
}

export const DEFAULT_MAX_AGE_DAYS = 90;

export interface CatalogFreshnessOptions {
    /** The clock; tests inject a fixed one so the verdict never depends on the day they run. */
    readonly now?: () => Date;
    /** The entries to date; the catalog's by default. */
    readonly entries?: ReadonlyArray<CatalogEntry>;
}

/**
 * Warns when the price catalog's oldest SKU price (its `sourceDate`) is older than `maxAgeDays`:
 * every cap is computed from those prices. Advisory by default, so a catalog ageing in place never
 * starts failing previews on its own; an environment that wants a stale catalog to block sets
 * `"enforcementLevel": "mandatory"` for catalog-freshness in its policies/config/<stack>.json.
 */
export function catalogFreshnessPolicy(opts: CatalogFreshnessOptions = {}): StackValidationPolicy {
    const now = opts.now ?? (() => new Date());
    const entries = opts.entries ?? CATALOG;
    return {
        name: "catalog-freshness",
        description: "The price catalog the cost policies use must have been refreshed within maxAgeDays (npm run prices:refresh).",
        enforcementLevel: "advisory",
        configSchema: {
            properties: {
                maxAgeDays: {
                    type: "integer",
                    minimum: 1,
                    default: DEFAULT_MAX_AGE_DAYS,
                    description: "Largest age, in days, of the catalog's oldest SKU price (its sourceDate) before this policy reports.",
                },
            },
        },
        validateStack: (args, reportViolation) => {
            const maxAgeDays = args.getConfig<CatalogFreshnessConfig>().maxAgeDays ?? DEFAULT_MAX_AGE_DAYS;
            const at = now();
            const age = catalogAgeDays(at, entries);
            if (age <= maxAgeDays) return;
            const { date, entry } = oldestSourceDate(entries);
            const stale = entries.filter((e) => catalogAgeDays(at, [e]) > maxAgeDays).length;
            reportViolation(
                `The price catalog is stale: its oldest price (${entry.cloud}/${entry.region}/${entry.sku}) is from ${date}, ` +
                    `${age} days ago, over the ${maxAgeDays}-day limit; ${stale} of ${entries.length} prices are older than that. ` +
                    "Cost caps are checked against these prices. Run `npm run prices:refresh`, review the diff and commit " +
                    "policies/cost/catalog.data.json, or raise maxAgeDays for catalog-freshness in policies/config/<stack>.json.",
            );
        },
    };
}

export const catalogFreshness: StackValidationPolicy = catalogFreshnessPolicy();
