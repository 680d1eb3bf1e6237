// The three parsers against recorded responses shaped like the real APIs'
// (test/fixtures/prices/<cloud>/). Every expected figure is worked out by hand in a comment.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { azureRetailUrl, fetchAzurePages, parseAzureRetail, type AzureRetailPage } from "../../prices/azure";
import { parseAwsOffer, type AwsOfferFile } from "../../prices/aws";
import { redact } from "../../prices/fetch";
import { fetchGcpPages, parseGcpSkus, type GcpSkuPage } from "../../prices/gcp";
import type { Wanted } from "../../prices/types";

const FIXTURES = path.join(__dirname, "..", "fixtures", "prices");
const load = <T>(rel: string): T => JSON.parse(fs.readFileSync(path.join(FIXTURES, rel), "utf8")) as T;
const ON = "2026-12-01";

const azurePages = [load<AzureRetailPage>("azure/page-1.json"), load<AzureRetailPage>("azure/page-2.json")];
const gcpPages = [load<GcpSkuPage>("gcp/page-1.json"), load<GcpSkuPage>("gcp/page-2.json")];
const w = (region: string, sku: string, vcpu = 4, memoryGb = 16, accelerators?: Wanted["accelerators"]): Wanted => ({
    region, sku, vcpu, memoryGb, ...(accelerators ? { accelerators } : {}),
});

describe("prices/azure: Retail Prices API pages", () => {
    it("takes the Linux consumption meter as on-demand and the ' Spot' meter as spot, skipping Low Priority and Windows", () => {
        const { updates, notes } = parseAzureRetail(azurePages, [w("eastus", "Standard_NC4as_T4_v3")], ON);
        assert.deepEqual(notes, []);
        assert.equal(updates.length, 1);
        const [u] = updates;
        // Not 0.71 (Windows), not 0.1052 (Low Priority), not 0.1151 (Windows Spot).
        assert.equal(u.onDemandHourlyUsd, 0.526);
        assert.equal(u.spotHourlyUsd, 0.0598);
        assert.equal(u.status, "verified");
        assert.equal(u.sourceDate, ON);
        assert.match(u.source, /Azure Retail Prices API .*eastus.*"NC4as T4 v3" and "NC4as T4 v3 Spot"/);
    });

    it("keys on armRegionName: westus2 and westeurope rows never price eastus", () => {
        const { updates } = parseAzureRetail(azurePages, [w("westus2", "Standard_NC4as_T4_v3")], ON);
        assert.equal(updates[0].onDemandHourlyUsd, 0.526);
        assert.equal(updates[0].spotHourlyUsd, 0.061595);
    });

    it("gives no spot price when no Spot meter is returned, and no update at all for a $0 row", () => {
        const { updates, notes } = parseAzureRetail(azurePages, [w("eastus", "Standard_NC40ads_H100_v5"), w("eastus", "Standard_B2s")], ON);
        assert.equal(updates.length, 1);
        assert.equal(updates[0].onDemandHourlyUsd, 6.98);
        assert.equal("spotHourlyUsd" in updates[0], false);
        assert.deepEqual(notes, [{ cloud: "azure", region: "eastus", sku: "Standard_B2s", note: "no Linux pay-as-you-go price returned" }]);
    });

    it("follows NextPageLink until it is null, and builds an OData filter per region and SKU", async () => {
        const seen: string[] = [];
        const first = azureRetailUrl("eastus", "Standard_NC4as_T4_v3");
        assert.ok(first.startsWith("https://prices.azure.com/api/retail/prices?$filter="));
        assert.match(decodeURIComponent(first), /armRegionName eq 'eastus' and armSkuName eq 'Standard_NC4as_T4_v3' and priceType eq 'Consumption'/);
        const pages = await fetchAzurePages(first, async (url) => {
            seen.push(url);
            return seen.length === 1 ? azurePages[0] : azurePages[1];
        });
        assert.equal(pages.length, 2);
        assert.deepEqual(seen, [first, azurePages[0].NextPageLink]);
    });

    it("refuses to page forever", async () => {
        const loop = { ...azurePages[0], NextPageLink: "https://prices.azure.com/again" };
        await assert.rejects(fetchAzurePages("https://prices.azure.com/x", async () => loop, 3), /more than 3 pages/);
    });
});

describe("prices/aws: AmazonEC2 offer file", () => {
    const use1 = load<AwsOfferFile>("aws/us-east-1.json");

    it("reads the Linux, shared-tenancy, no-software OnDemand hourly price and never a spot price", () => {
        const { updates } = parseAwsOffer(use1, "us-east-1", [w("us-east-1", "inf2.8xlarge"), w("us-east-1", "g6.xlarge")], ON);
        // inf2.8xlarge: 1.96786 (Windows 3.43986, Dedicated 2.16465, SQL 2.76786, reserved 0.5 all ignored).
        assert.deepEqual(
            updates.map((u) => [u.sku, u.onDemandHourlyUsd, "spotHourlyUsd" in u]),
            [["inf2.8xlarge", 1.96786, false], ["g6.xlarge", 0.805, false]],
        );
        // The offer file's publicationDate (2026-11-20) is the source date, not the day it was read.
        assert.equal(updates[0].sourceDate, "2026-11-20");
        assert.match(updates[0].source, /AmazonEC2 us-east-1 version 20261120191943/);
    });

    it("notes a SKU the file does not price, and a $0 price as no price", () => {
        const { updates, notes } = parseAwsOffer(use1, "us-east-1", [w("us-east-1", "inf2.48xlarge"), w("us-east-1", "g5.xlarge"), w("us-west-2", "g6.xlarge")], ON);
        assert.deepEqual(updates, []);
        assert.deepEqual(notes.map((n) => n.sku), ["inf2.48xlarge", "g5.xlarge"]);
    });

    it("rejects an offer file for another service", () => {
        assert.throws(() => parseAwsOffer({ ...use1, offerCode: "AmazonRDS" }, "us-east-1", [], ON), /AmazonRDS, not AmazonEC2/);
    });
});

describe("prices/gcp: Cloud Billing Catalog SKUs", () => {
    const l4 = { kind: "NVIDIA L4", count: 1 };

    it("prices a g2 machine as host (vCPU x core + GiB x RAM) + L4, with both parts", () => {
        const { updates, notes } = parseGcpSkus(gcpPages, [w("us-central1", "g2-standard-4", 4, 16, l4)], ON);
        assert.deepEqual(notes, []);
        const [u] = updates;
        // host 4 x 0.02499 + 16 x 0.002927 = 0.146792 -> 0.14679; L4 0.56004; total 0.70683.
        // spot 4 x 0.009996 + 16 x 0.001172 = 0.058736 -> 0.05874; L4 spot 0.2231; total 0.28184.
        assert.equal(u.onDemandHourlyUsd, 0.70683);
        assert.equal(u.spotHourlyUsd, 0.28184);
        assert.deepEqual(u.parts, [
            { label: "g2-standard-4 host", onDemandHourlyUsd: 0.14679, spotHourlyUsd: 0.05874 },
            { label: "1x nvidia-l4", onDemandHourlyUsd: 0.56004, spotHourlyUsd: 0.2231 },
        ]);
        assert.equal(u.status, "derived");
        assert.match(u.source, /4 x G2 Instance Core \+ 16 GiB x G2 Instance Ram \+ 1 x Nvidia L4 GPU/);
    });

    it("counts every L4 of a 2-GPU machine", () => {
        const { updates } = parseGcpSkus(gcpPages, [w("us-central1", "g2-standard-24", 24, 96, { kind: "NVIDIA L4", count: 2 })], ON);
        // host 24 x 0.02499 + 96 x 0.002927 = 0.880752 -> 0.88075; GPUs 2 x 0.56004 = 1.12008; total 2.00083.
        assert.equal(updates[0].onDemandHourlyUsd, 2.00083);
        assert.equal(updates[0].parts?.[1].onDemandHourlyUsd, 1.12008);
    });

    it("ignores commitment, virtual-workstation and other regions' SKUs, and a price change shows up", () => {
        // Raise the on-demand L4 to $0.58: g2-standard-4 = 0.14679 + 0.58 = 0.72679.
        const dearer = JSON.parse(JSON.stringify(gcpPages)) as GcpSkuPage[];
        const sku = dearer[1].skus.find((s) => s.description === "Nvidia L4 GPU running in Americas")!;
        (sku.pricingInfo[0].pricingExpression.tieredRates[0].unitPrice as { nanos: number }).nanos = 580_000_000;
        const { updates } = parseGcpSkus(dearer, [w("us-central1", "g2-standard-4", 4, 16, l4)], ON);
        assert.equal(updates[0].onDemandHourlyUsd, 0.72679);
        // Frankfurt's core (0.028987) is not in us-central1's serviceRegions.
        const { updates: eu } = parseGcpSkus(gcpPages, [w("europe-west3", "g2-standard-4", 4, 16, l4)], ON);
        assert.deepEqual(eu, []);
    });

    it("gives no update when a host SKU is missing, and keeps on-demand when only spot is missing", () => {
        const { updates, notes } = parseGcpSkus(gcpPages, [w("us-central1", "n1-standard-8+1xnvidia-tesla-t4", 8, 30, { kind: "NVIDIA T4", count: 1 })], ON);
        assert.deepEqual(updates, []);
        assert.match(notes[0].note, /N1 Predefined Instance Core/);
        const noSpot = gcpPages.map((p) => ({ ...p, skus: p.skus.filter((s) => s.category.usageType !== "Preemptible") }));
        const r = parseGcpSkus(noSpot, [w("us-central1", "g2-standard-4", 4, 16, l4)], ON);
        assert.equal(r.updates[0].onDemandHourlyUsd, 0.70683);
        assert.equal("spotHourlyUsd" in r.updates[0], false);
        assert.match(r.notes[0].note, /spot SKUs not returned/);
    });

    it("follows nextPageToken and never puts the API key in an error", async () => {
        const urls: string[] = [];
        const pages = await fetchGcpPages("SECRET-KEY", async (url) => {
            urls.push(url);
            return urls.length === 1 ? gcpPages[0] : gcpPages[1];
        });
        assert.equal(pages.length, 2);
        assert.match(urls[1], /pageToken=CiAKGjBpNDd2Nmp2Zml2cXRxYjhiOXRhdGhwZGE/);
        assert.ok(urls.every((u) => u.startsWith("https://cloudbilling.googleapis.com/v1/services/6F81-5844-456A/skus?key=SECRET-KEY")));
        assert.equal(redact(urls[1]).includes("SECRET-KEY"), false);
    });
});
