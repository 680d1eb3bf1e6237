// AWS Price List bulk offer file for AmazonEC2, one region at a time:
// https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/current/<region>/index.json
// `products` describes each product SKU; `terms.OnDemand[productSku][termKey].priceDimensions`
// holds its price. We keep Linux, shared tenancy, no pre-installed software, capacity "Used",
// operation "RunInstances" (plain on-demand instance hours). The price list publishes NO spot
// prices: updates never carry one, and the merge keeps the catalog's recorded spot figure.
import type { ParseNote, ParseResult, PriceUpdate, Wanted } from "./types";
import { roundUsd } from "./types";

export interface AwsProduct {
    readonly sku: string;
    readonly productFamily?: string;
    readonly attributes: Readonly<Record<string, string>>;
}

export interface AwsPriceDimension {
    readonly rateCode: string;
    readonly description: string;
    readonly beginRange: string;
    readonly endRange: string;
    readonly unit: string;
    readonly pricePerUnit: Readonly<Record<string, string>>;
    readonly appliesTo: ReadonlyArray<string>;
}

export interface AwsTerm {
    readonly offerTermCode: string;
    readonly sku: string;
    readonly effectiveDate: string;
    readonly priceDimensions: Readonly<Record<string, AwsPriceDimension>>;
    readonly termAttributes: Readonly<Record<string, string>>;
}

export interface AwsOfferFile {
    readonly formatVersion: string;
    readonly disclaimer: string;
    readonly offerCode: string;
    readonly version: string;
    readonly publicationDate: string;
    readonly products: Readonly<Record<string, AwsProduct>>;
    readonly terms: {
        readonly OnDemand?: Readonly<Record<string, Readonly<Record<string, AwsTerm>>>>;
        readonly Reserved?: unknown;
    };
}

export function awsOfferUrl(region: string): string {
    return `https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/current/${region}/index.json`;
}

function isPlainLinuxOnDemand(p: AwsProduct, region: string): boolean {
    const a = p.attributes;
    return (
        p.productFamily === "Compute Instance" &&
        a.operatingSystem === "Linux" &&
        a.tenancy === "Shared" &&
        a.preInstalledSw === "NA" &&
        a.licenseModel === "No License required" &&
        a.capacitystatus === "Used" &&
        a.operation === "RunInstances" &&
        // Older files have no regionCode; the file itself is per region then.
        (a.regionCode === undefined || a.regionCode === region)
    );
}

/** Hourly USD prices of a product's on-demand terms (several only in unusual files). */
function hourlyPrices(offer: AwsOfferFile, productSku: string): number[] {
    const terms = offer.terms.OnDemand?.[productSku] ?? {};
    return Object.values(terms)
        .flatMap((t) => Object.values(t.priceDimensions))
        .filter((d) => d.unit === "Hrs")
        .map((d) => Number(d.pricePerUnit.USD))
        .filter((x) => Number.isFinite(x) && x > 0);
}

/** Updates (on-demand only) for the wanted SKUs of one region's offer file. */
export function parseAwsOffer(offer: AwsOfferFile, region: string, wanted: ReadonlyArray<Wanted>, retrievedOn: string): ParseResult {
    if (offer.offerCode !== "AmazonEC2") throw new Error(`AWS offer file is for ${offer.offerCode}, not AmazonEC2`);
    const published = /^\d{4}-\d{2}-\d{2}/.test(offer.publicationDate ?? "") ? offer.publicationDate.slice(0, 10) : retrievedOn;
    const updates: PriceUpdate[] = [];
    const notes: ParseNote[] = [];
    const products = Object.values(offer.products).filter((p) => isPlainLinuxOnDemand(p, region));
    for (const w of wanted.filter((x) => x.region === region)) {
        const prices = products.filter((p) => p.attributes.instanceType === w.sku).flatMap((p) => hourlyPrices(offer, p.sku));
        if (prices.length === 0) {
            notes.push({ cloud: "aws", region, sku: w.sku, note: "no Linux shared-tenancy on-demand price in the offer file" });
            continue;
        }
        updates.push({
            cloud: "aws",
            region,
            sku: w.sku,
            // Several matching products would be a surprise; the dearest is the fail-safe choice.
            onDemandHourlyUsd: roundUsd(Math.max(...prices)),
            status: "verified",
            source: `AWS Price List offer file AmazonEC2 ${region} version ${offer.version}, on-demand Linux shared tenancy`,
            sourceDate: published,
        });
    }
    return { updates, notes };
}
