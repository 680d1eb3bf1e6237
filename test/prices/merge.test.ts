// The merge step on small hand-made entries: what changes, what is kept, what is reported.
import assert from "node:assert/strict";
import type { CatalogEntry } from "../../policies/cost/catalog";
import { formatReport, mergeUpdates } from "../../prices/merge";
import type { PriceUpdate } from "../../prices/types";

const OLD = "2026-11-23";
const NEW = "2026-12-01";
const entry = (e: Partial<CatalogEntry> & Pick<CatalogEntry, "cloud" | "region" | "sku" | "onDemandHourlyUsd">): CatalogEntry => ({
    vcpu: 4, memoryGb: 16, source: "old source", sourceDate: OLD, status: "verified", ...e,
});
const ENTRIES: CatalogEntry[] = [
    entry({ cloud: "azure", region: "eastus", sku: "Standard_D4s_v5", onDemandHourlyUsd: 0.192, spotHourlyUsd: 0.02112 }),
    entry({ cloud: "azure", region: "eastus", sku: "Standard_B2s", onDemandHourlyUsd: 0.0416 }),
    entry({ cloud: "aws", region: "us-east-1", sku: "inf2.8xlarge", onDemandHourlyUsd: 1.96786, spotHourlyUsd: 0.5799, source: "SkyPilot aws" }),
    entry({
        cloud: "gcp", region: "us-central1", sku: "g2-standard-4", onDemandHourlyUsd: 0.70683, spotHourlyUsd: 0.28184, status: "derived",
        parts: [{ label: "g2-standard-4 host", onDemandHourlyUsd: 0.14679, spotHourlyUsd: 0.05874 }, { label: "1x nvidia-l4", onDemandHourlyUsd: 0.56004, spotHourlyUsd: 0.2231 }],
    }),
];
const up = (u: Omit<PriceUpdate, "status" | "source" | "sourceDate"> & Partial<PriceUpdate>): PriceUpdate => ({ status: "verified", source: "new source", sourceDate: NEW, ...u });

describe("prices/merge", () => {
    it("applies a changed price with its new source and date, and reports the change", () => {
        const r = mergeUpdates(ENTRIES, [up({ cloud: "azure", region: "eastus", sku: "Standard_D4s_v5", onDemandHourlyUsd: 0.188, spotHourlyUsd: 0.0211 })], ["azure"]);
        assert.deepEqual(r.entries[0], { ...ENTRIES[0], onDemandHourlyUsd: 0.188, spotHourlyUsd: 0.0211, source: "new source", sourceDate: NEW });
        assert.deepEqual(r.changes, [
            { cloud: "azure", region: "eastus", sku: "Standard_D4s_v5", field: "onDemandHourlyUsd", before: 0.192, after: 0.188 },
            { cloud: "azure", region: "eastus", sku: "Standard_D4s_v5", field: "spotHourlyUsd", before: 0.02112, after: 0.0211 },
        ]);
        assert.match(formatReport(r), /~ azure\/eastus\/Standard_D4s_v5 on-demand: 0\.192 -> 0\.188 \$\/h \(-2\.08%\)/);
    });

    it("leaves an SKU the source did not return untouched and reports it as missing (only for refreshed clouds)", () => {
        const r = mergeUpdates(ENTRIES, [up({ cloud: "azure", region: "eastus", sku: "Standard_D4s_v5", onDemandHourlyUsd: 0.192 })], ["azure"]);
        assert.equal(r.entries[1], ENTRIES[1]); // the very same object
        assert.equal(r.entries[2], ENTRIES[2]);
        assert.deepEqual(r.missing, [{ cloud: "azure", region: "eastus", sku: "Standard_B2s" }]);
        assert.match(formatReport(r, [{ cloud: "azure", region: "eastus", sku: "Standard_B2s", note: "no Linux pay-as-you-go price returned" }]),
            /missing azure\/eastus\/Standard_B2s: no Linux pay-as-you-go price returned; left as recorded/);
    });

    it("keeps the recorded AWS spot price, saying where and when it was read", () => {
        const r = mergeUpdates(ENTRIES, [up({ cloud: "aws", region: "us-east-1", sku: "inf2.8xlarge", onDemandHourlyUsd: 1.99, source: "AWS offer file" })], ["aws"]);
        const e = r.entries[2];
        assert.equal(e.onDemandHourlyUsd, 1.99);
        assert.equal(e.spotHourlyUsd, 0.5799);
        assert.equal(e.source, "AWS offer file");
        assert.equal(e.sourceDate, NEW);
        assert.equal(e.spotSource, "SkyPilot aws");
        assert.equal(e.spotSourceDate, OLD);
        assert.ok(r.changes.every((c) => c.field === "onDemandHourlyUsd"));
        // A second refresh keeps the ORIGINAL spot provenance, not the previous refresh's source.
        const again = mergeUpdates(r.entries, [up({ cloud: "aws", region: "us-east-1", sku: "inf2.8xlarge", onDemandHourlyUsd: 2.0, source: "AWS offer file 2" })], ["aws"]);
        assert.equal(again.entries[2].spotSource, "SkyPilot aws");
        assert.equal(again.entries[2].spotSourceDate, OLD);
    });

    it("drops a kept spot price that is no longer below on-demand (priced at on-demand: never lower)", () => {
        const r = mergeUpdates(ENTRIES, [up({ cloud: "aws", region: "us-east-1", sku: "inf2.8xlarge", onDemandHourlyUsd: 0.5 })], ["aws"]);
        assert.equal("spotHourlyUsd" in r.entries[2], false);
        assert.match(r.notes[0].note, /not below the new on-demand 0\.5; dropped/);
    });

    it("never writes a $0, negative or non-finite price, nor adds an SKU the catalog does not list", () => {
        const r = mergeUpdates(
            ENTRIES,
            [
                up({ cloud: "azure", region: "eastus", sku: "Standard_B2s", onDemandHourlyUsd: 0 }),
                up({ cloud: "azure", region: "eastus", sku: "Standard_D4s_v5", onDemandHourlyUsd: Number.NaN }),
                up({ cloud: "azure", region: "westeurope", sku: "Standard_D4s_v5", onDemandHourlyUsd: 0.21 }),
                up({ cloud: "aws", region: "us-east-1", sku: "inf2.8xlarge", onDemandHourlyUsd: 1.9, spotHourlyUsd: 0 }),
            ],
            ["azure", "aws"],
        );
        assert.equal(r.entries.length, ENTRIES.length);
        assert.deepEqual(r.entries.slice(0, 2), ENTRIES.slice(0, 2));
        assert.deepEqual(r.ignored.map((i) => `${i.region}/${i.sku}`), ["eastus/Standard_B2s", "eastus/Standard_D4s_v5", "westeurope/Standard_D4s_v5"]);
        // A $0 spot is not used: the recorded spot is kept instead.
        assert.equal(r.entries[2].spotHourlyUsd, 0.5799);
        for (const e of r.entries) assert.ok(e.onDemandHourlyUsd > 0 && (e.spotHourlyUsd === undefined || e.spotHourlyUsd > 0));
    });

    it("replaces GCP parts with the source's, and drops parts that no longer add up", () => {
        const parts = [{ label: "g2-standard-4 host", onDemandHourlyUsd: 0.14679, spotHourlyUsd: 0.05874 }, { label: "1x nvidia-l4", onDemandHourlyUsd: 0.58, spotHourlyUsd: 0.2231 }];
        const r = mergeUpdates(ENTRIES, [up({ cloud: "gcp", region: "us-central1", sku: "g2-standard-4", onDemandHourlyUsd: 0.72679, spotHourlyUsd: 0.28184, parts, status: "derived" })], ["gcp"]);
        assert.deepEqual(r.entries[3].parts, parts);
        assert.equal(r.entries[3].status, "derived");
        // On-demand only, no parts: the old parts (summing to 0.70683) cannot stay beside 0.72679.
        const r2 = mergeUpdates(ENTRIES, [up({ cloud: "gcp", region: "us-central1", sku: "g2-standard-4", onDemandHourlyUsd: 0.72679 })], ["gcp"]);
        assert.equal("parts" in r2.entries[3], false);
        assert.equal(r2.entries[3].spotHourlyUsd, 0.28184);
    });
});
