// GCP Cloud Billing Catalog API, Compute Engine service 6F81-5844-456A:
// https://cloudbilling.googleapis.com/v1/services/6F81-5844-456A/skus?key=<API key>
// Paged by `nextPageToken` (up to 5000 SKUs a page). Machines with GPUs are not one SKU: a g2
// machine bills "G2 Instance Core" per vCPU-hour, "G2 Instance Ram" per GiB-hour and "Nvidia L4
// GPU" per GPU-hour. Following the catalog's rule, a machine's price is host + GPU:
//   host = vCPU x core + GiB x RAM,   GPU = count x GPU price,   total = host + GPU,
// each rounded to 5 decimals (the catalog's precision for GCP), recorded as two `parts`.
// Spot SKUs have usageType "Preemptible" and descriptions "Spot Preemptible G2 Instance Core ..."
// or "Nvidia L4 GPU attached to Spot Preemptible VMs ..."; commitment, sole-tenancy and virtual
// workstation SKUs never match the anchored descriptions below.
import type { PricePart } from "../policies/cost/catalog";
import type { ParseNote, ParseResult, PriceUpdate, Wanted } from "./types";
import { roundUsd } from "./types";

export const GCP_COMPUTE_SERVICE = "6F81-5844-456A";

export interface GcpMoney {
    readonly currencyCode: string;
    /** int64 as a decimal string. */
    readonly units: string;
    readonly nanos?: number;
}

export interface GcpSku {
    readonly name: string;
    readonly skuId: string;
    readonly description: string;
    readonly category: {
        readonly serviceDisplayName: string;
        readonly resourceFamily: string;
        readonly resourceGroup: string;
        readonly usageType: string;
    };
    readonly serviceRegions: ReadonlyArray<string>;
    readonly pricingInfo: ReadonlyArray<{
        readonly summary: string;
        readonly pricingExpression: {
            readonly usageUnit: string;
            readonly usageUnitDescription: string;
            readonly baseUnit: string;
            readonly baseUnitDescription: string;
            readonly baseUnitConversionFactor: number;
            readonly displayQuantity: number;
            readonly tieredRates: ReadonlyArray<{ readonly startUsageAmount: number; readonly unitPrice: GcpMoney }>;
        };
        readonly aggregationInfo?: unknown;
        readonly currencyConversionRate: number;
        readonly effectiveTime: string;
    }>;
    readonly serviceProviderName: string;
    readonly geoTaxonomy?: unknown;
}

export interface GcpSkuPage {
    readonly skus: ReadonlyArray<GcpSku>;
    readonly nextPageToken?: string;
}

export function gcpSkusUrl(apiKey: string, pageToken?: string): string {
    const q = new URLSearchParams({ key: apiKey, currencyCode: "USD", pageSize: "5000" });
    if (pageToken) q.set("pageToken", pageToken);
    return `https://cloudbilling.googleapis.com/v1/services/${GCP_COMPUTE_SERVICE}/skus?${q.toString()}`;
}

export async function fetchGcpPages(apiKey: string, getJson: (url: string) => Promise<unknown>, maxPages = 50): Promise<GcpSkuPage[]> {
    const pages: GcpSkuPage[] = [];
    let token: string | undefined;
    do {
        if (pages.length >= maxPages) throw new Error(`GCP Cloud Billing Catalog: more than ${maxPages} pages`);
        const page = (await getJson(gcpSkusUrl(apiKey, token))) as GcpSkuPage;
        if (!page || !Array.isArray(page.skus)) throw new Error("GCP Cloud Billing Catalog: a page without `skus`");
        pages.push(page);
        token = page.nextPageToken || undefined;
    } while (token);
    return pages;
}

/** SKU description prefixes ("<prefix> running in <place>") of each machine family's host. */
const FAMILIES: Readonly<Record<string, { readonly core: string; readonly ram: string }>> = {
    g2: { core: "G2 Instance Core", ram: "G2 Instance Ram" },
    n1: { core: "N1 Predefined Instance Core", ram: "N1 Predefined Instance Ram" },
    a2: { core: "A2 Instance Core", ram: "A2 Instance Ram" },
};

/** The catalog's accelerator kinds and their GPU SKU descriptions and labels. */
const GPUS: Readonly<Record<string, { readonly description: string; readonly label: string }>> = {
    "NVIDIA L4": { description: "Nvidia L4 GPU", label: "nvidia-l4" },
    "NVIDIA T4": { description: "Nvidia Tesla T4 GPU", label: "nvidia-tesla-t4" },
    "NVIDIA A100 40GB": { description: "Nvidia Tesla A100 GPU", label: "nvidia-tesla-a100" },
};

type Model = "onDemand" | "spot";

/** Strips the spot wording, so one prefix matches both models. */
function baseDescription(d: string): string {
    return d.replace(/^Spot Preemptible /, "").replace(/ attached to Spot Preemptible VMs/, "");
}

function modelOf(s: GcpSku): Model | undefined {
    if (s.category.usageType === "OnDemand") return "onDemand";
    if (s.category.usageType === "Preemptible") return "spot";
    return undefined; // commitments and the like
}

/** USD per usage unit of the newest pricing, the dearest tier (fail safe); undefined when not USD. */
function unitPrice(s: GcpSku, unit: string): number | undefined {
    const info = [...s.pricingInfo].sort((a, b) => a.effectiveTime.localeCompare(b.effectiveTime)).at(-1);
    if (!info || info.pricingExpression.usageUnit !== unit) return undefined;
    const prices = info.pricingExpression.tieredRates
        .filter((t) => t.unitPrice.currencyCode === "USD")
        .map((t) => Number(t.unitPrice.units) + (t.unitPrice.nanos ?? 0) / 1e9);
    const max = prices.length ? Math.max(...prices) : 0;
    return max > 0 ? max : undefined;
}

interface Lookup {
    (prefix: string, unit: string, region: string, model: Model): { price: number; ambiguous: boolean } | undefined;
}

function lookupIn(skus: ReadonlyArray<GcpSku>): Lookup {
    return (prefix, unit, region, model) => {
        const re = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} running in `);
        const prices = skus
            .filter((s) => modelOf(s) === model && s.serviceRegions.includes(region) && re.test(baseDescription(s.description)))
            .map((s) => unitPrice(s, unit))
            .filter((p): p is number => p !== undefined);
        if (prices.length === 0) return undefined;
        return { price: Math.max(...prices), ambiguous: new Set(prices).size > 1 };
    };
}

const r5 = (x: number) => roundUsd(x, 5);

/** Updates for the wanted GCP machines (host + GPU), from Billing Catalog pages. */
export function parseGcpSkus(pages: ReadonlyArray<GcpSkuPage>, wanted: ReadonlyArray<Wanted>, retrievedOn: string): ParseResult {
    const find = lookupIn(pages.flatMap((p) => p.skus));
    const updates: PriceUpdate[] = [];
    const notes: ParseNote[] = [];
    for (const w of wanted) {
        const note = (text: string) => notes.push({ cloud: "gcp", region: w.region, sku: w.sku, note: text });
        const machine = w.sku.split("+")[0];
        const family = FAMILIES[machine.split("-")[0]];
        const gpu = w.accelerators ? GPUS[w.accelerators.kind] : undefined;
        if (!family || (w.accelerators && !gpu)) {
            note(`no SKU mapping for machine family ${machine.split("-")[0]}${w.accelerators ? ` with ${w.accelerators.kind}` : ""}`);
            continue;
        }
        const price = (model: Model) => {
            const core = find(family.core, "h", w.region, model);
            const ram = find(family.ram, "GiBy.h", w.region, model);
            const acc = gpu ? find(gpu.description, "h", w.region, model) : { price: 0, ambiguous: false };
            if (!core || !ram || !acc) return undefined;
            if (core.ambiguous || ram.ambiguous || acc.ambiguous) note(`several ${model} SKUs match in ${w.region}; the dearest was used`);
            const host = r5(w.vcpu * core.price + w.memoryGb * ram.price);
            const gpus = r5((w.accelerators?.count ?? 0) * acc.price);
            return { host, gpus, total: r5(host + gpus) };
        };
        const od = price("onDemand");
        if (!od) {
            note(`on-demand ${family.core}, ${family.ram}${gpu ? ` or ${gpu.description}` : ""} not returned for ${w.region}`);
            continue;
        }
        const spot = price("spot");
        if (!spot) note("spot SKUs not returned; the recorded spot price is kept");
        const parts: PricePart[] = [{ label: `${machine} host`, onDemandHourlyUsd: od.host, ...(spot ? { spotHourlyUsd: spot.host } : {}) }];
        if (gpu && w.accelerators) {
            parts.push({ label: `${w.accelerators.count}x ${gpu.label}`, onDemandHourlyUsd: od.gpus, ...(spot ? { spotHourlyUsd: spot.gpus } : {}) });
        }
        updates.push({
            cloud: "gcp",
            region: w.region,
            sku: w.sku,
            onDemandHourlyUsd: od.total,
            ...(spot ? { spotHourlyUsd: spot.total } : {}),
            parts,
            status: "derived",
            source:
                `GCP Cloud Billing Catalog API (services/${GCP_COMPUTE_SERVICE}/skus), ${w.region}: ` +
                `${w.vcpu} x ${family.core} + ${w.memoryGb} GiB x ${family.ram}` +
                (gpu && w.accelerators ? ` + ${w.accelerators.count} x ${gpu.description}` : ""),
            sourceDate: retrievedOn,
        });
    }
    return { updates, notes };
}
