// Azure Retail Prices API (https://prices.azure.com/api/retail/prices): unauthenticated, paged by
// `NextPageLink`, 100 items a page. One query per region and SKU; the parser keeps the Linux
// pay-as-you-go ("Consumption") meters: plain ones are on-demand, those whose skuName ends in
// " Spot" are spot. "Low Priority" meters (the retired batch model) and Windows products are skipped.
import type { ParseNote, ParseResult, PriceUpdate, Wanted } from "./types";
import { roundUsd } from "./types";

/** One item of a Retail Prices page (the fields the API returns; we read a few). */
export interface AzureRetailItem {
    readonly currencyCode: string;
    readonly tierMinimumUnits: number;
    readonly retailPrice: number;
    readonly unitPrice: number;
    readonly armRegionName: string;
    readonly location: string;
    readonly effectiveStartDate: string;
    readonly meterId: string;
    readonly meterName: string;
    readonly productId: string;
    readonly skuId: string;
    readonly availabilityId?: string | null;
    readonly productName: string;
    readonly skuName: string;
    readonly serviceName: string;
    readonly serviceId: string;
    readonly serviceFamily: string;
    readonly unitOfMeasure: string;
    readonly type: string;
    readonly isPrimaryMeterRegion: boolean;
    readonly armSkuName: string;
    readonly reservationTerm?: string;
}

export interface AzureRetailPage {
    readonly BillingCurrency: string;
    readonly CustomerEntityId: string;
    readonly CustomerEntityType: string;
    readonly Items: ReadonlyArray<AzureRetailItem>;
    readonly NextPageLink: string | null;
    readonly Count: number;
}

export const AZURE_RETAIL_ENDPOINT = "https://prices.azure.com/api/retail/prices";

/** The first page's URL for one SKU in one region (consumption meters only). */
export function azureRetailUrl(region: string, sku: string): string {
    const filter = `serviceName eq 'Virtual Machines' and armRegionName eq '${region}' and armSkuName eq '${sku}' and priceType eq 'Consumption'`;
    return `${AZURE_RETAIL_ENDPOINT}?$filter=${encodeURIComponent(filter)}`;
}

/** Follows `NextPageLink` until it is null or empty; `maxPages` guards against a paging loop. */
export async function fetchAzurePages(firstUrl: string, getJson: (url: string) => Promise<unknown>, maxPages = 50): Promise<AzureRetailPage[]> {
    const pages: AzureRetailPage[] = [];
    let url: string | null = firstUrl;
    while (url) {
        if (pages.length >= maxPages) throw new Error(`Azure Retail Prices: more than ${maxPages} pages from ${firstUrl}; narrow the filter`);
        const page = (await getJson(url)) as AzureRetailPage;
        if (!page || !Array.isArray(page.Items)) throw new Error(`Azure Retail Prices: ${url} did not return an object with Items`);
        pages.push(page);
        url = page.NextPageLink || null;
    }
    return pages;
}

function isLinuxConsumption(i: AzureRetailItem): boolean {
    return (
        i.type === "Consumption" &&
        i.serviceName === "Virtual Machines" &&
        i.currencyCode === "USD" &&
        i.unitOfMeasure === "1 Hour" &&
        !/windows/i.test(i.productName) &&
        !/ Low Priority$/.test(i.skuName)
    );
}

/** The price of the newest meters among rows; the dearest when several are equally new (fail safe). */
function pick(rows: ReadonlyArray<AzureRetailItem>): AzureRetailItem | undefined {
    const priced = rows.filter((r) => Number.isFinite(r.retailPrice) && r.retailPrice > 0);
    if (priced.length === 0) return undefined;
    const newest = priced.map((r) => r.effectiveStartDate).sort().at(-1);
    return priced.filter((r) => r.effectiveStartDate === newest).sort((a, b) => b.retailPrice - a.retailPrice)[0];
}

/**
 * Turns Retail Prices pages into updates for the wanted SKUs. `retrievedOn` (YYYY-MM-DD) is the
 * source date: the API serves today's retail price, not a dated snapshot.
 */
export function parseAzureRetail(pages: ReadonlyArray<AzureRetailPage>, wanted: ReadonlyArray<Wanted>, retrievedOn: string): ParseResult {
    const items = pages.flatMap((p) => p.Items).filter(isLinuxConsumption);
    const updates: PriceUpdate[] = [];
    const notes: ParseNote[] = [];
    for (const w of wanted) {
        const rows = items.filter((i) => i.armRegionName === w.region && i.armSkuName === w.sku);
        const onDemand = pick(rows.filter((i) => !/ Spot$/.test(i.skuName)));
        const spot = pick(rows.filter((i) => / Spot$/.test(i.skuName)));
        if (!onDemand) {
            notes.push({ cloud: "azure", region: w.region, sku: w.sku, note: "no Linux pay-as-you-go price returned" });
            continue;
        }
        updates.push({
            cloud: "azure",
            region: w.region,
            sku: w.sku,
            onDemandHourlyUsd: roundUsd(onDemand.retailPrice),
            ...(spot ? { spotHourlyUsd: roundUsd(spot.retailPrice) } : {}),
            status: "verified",
            source:
                `Azure Retail Prices API (prices.azure.com/api/retail/prices), ${w.region}, Linux consumption meter ` +
                `"${onDemand.skuName}"${spot ? ` and "${spot.skuName}"` : " (no Spot meter returned)"}`,
            sourceDate: retrievedOn,
        });
    }
    return { updates, notes };
}
