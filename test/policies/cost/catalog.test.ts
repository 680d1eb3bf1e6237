import assert from "node:assert/strict";
import { CATALOG, CATALOG_AS_OF, DISK_PRICES, EKS_VERSIONS, FEES, USAGE_PRICES, catalogRegions, eksSupportAt, fee, findDiskPrice, findPrice, pricedSkus, azureDiskTier } from "../../../policies/cost/catalog";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const isRealDate = (d: string) => ISO_DATE.test(d) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);

describe("cost/catalog", () => {
    it("gives every entry a source, a valid ISO date and a status", () => {
        for (const e of CATALOG) {
            const id = `${e.cloud}/${e.region}/${e.sku}`;
            assert.ok(e.source.trim().length > 0, `${id} has no source`);
            assert.ok(isRealDate(e.sourceDate), `${id} has date ${e.sourceDate}`);
            assert.ok(["verified", "derived", "unverified"].includes(e.status), id);
        }
    });

    it("has positive on-demand prices and spot prices below on-demand when present", () => {
        for (const e of CATALOG) {
            const id = `${e.cloud}/${e.region}/${e.sku}`;
            assert.ok(e.onDemandHourlyUsd > 0, id);
            assert.ok(e.vcpu > 0 && e.memoryGb > 0, id);
            if ("spotHourlyUsd" in e) {
                assert.ok(e.spotHourlyUsd !== undefined && e.spotHourlyUsd > 0 && e.spotHourlyUsd < e.onDemandHourlyUsd, id);
            }
        }
    });

    it("has no duplicate cloud/region/SKU", () => {
        const keys = CATALOG.map((e) => `${e.cloud}/${e.region}/${e.sku}`);
        assert.equal(new Set(keys).size, keys.length);
    });

    it("prices g2 machines as host + L4 where the parts are given", () => {
        const withParts = CATALOG.filter((e) => e.parts);
        assert.ok(withParts.length > 0);
        for (const e of withParts) {
            const sum = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) * 1e5) / 1e5;
            assert.equal(sum(e.parts!.map((p) => p.onDemandHourlyUsd)), e.onDemandHourlyUsd, e.sku);
            assert.equal(sum(e.parts!.map((p) => p.spotHourlyUsd ?? NaN)), e.spotHourlyUsd, e.sku);
        }
        const g2 = findPrice("gcp", "us-central1", "g2-standard-4")!;
        assert.equal(g2.onDemandHourlyUsd, 0.70683);
        assert.equal(g2.spotHourlyUsd, 0.28184);
        assert.equal(g2.accelerators?.kind, "NVIDIA L4");
    });

    it("stores the top of the observed AWS spot range for each region", () => {
        assert.equal(findPrice("aws", "us-east-1", "inf2.48xlarge")?.spotHourlyUsd, 1.974);
        assert.equal(findPrice("aws", "us-west-2", "inf2.48xlarge")?.spotHourlyUsd, 4.0809);
        assert.equal(findPrice("aws", "us-west-2", "inf2.8xlarge")?.spotHourlyUsd, 0.6303);
        assert.equal(findPrice("aws", "us-east-1", "g5.2xlarge")?.spotHourlyUsd, 0.6067);
        assert.equal(findPrice("aws", "us-east-1", "inf2.8xlarge")?.onDemandHourlyUsd, findPrice("aws", "us-west-2", "inf2.8xlarge")?.onDemandHourlyUsd);
    });

    it("leaves unpublished spot prices absent rather than inventing them", () => {
        const h100 = findPrice("azure", "eastus", "Standard_NC40ads_H100_v5")!;
        assert.equal(h100.onDemandHourlyUsd, 6.98);
        assert.equal("spotHourlyUsd" in h100, false);
        assert.equal("spotHourlyUsd" in findPrice("aws", "us-east-1", "m5.large")!, false);
        assert.equal("spotHourlyUsd" in findPrice("azure", "eastus", "Standard_B2s")!, false);
    });

    it("knows only the documented regions, and nothing outside them", () => {
        assert.deepEqual(catalogRegions("gcp"), ["us-central1", "us-east1"]);
        assert.deepEqual(catalogRegions("azure").sort(), ["eastus", "westus2"]);
        assert.deepEqual(catalogRegions("aws").sort(), ["us-east-1", "us-west-2"]);
        assert.deepEqual(pricedSkus("azure", "westus2"), ["Standard_NC4as_T4_v3"]);
        assert.equal(findPrice("azure", "westeurope", "Standard_NC4as_T4_v3"), undefined);
        assert.equal(findPrice("gcp", "us-central1", "a3-highgpu-8g"), undefined);
        assert.equal(pricedSkus("azure", "eastus").length, 15);
    });

    it("gives every fee a source, a date and a positive hourly price", () => {
        for (const f of FEES) {
            assert.ok(f.source.length > 0 && isRealDate(f.sourceDate) && f.hourlyUsd > 0, f.name);
        }
        assert.equal(fee("aks-standard-tier").hourlyUsd, 0.1);
        assert.equal(fee("eks-control-plane").hourlyUsd, 0.1);
        assert.equal(fee("gcp-lb-forwarding-rule-first5").hourlyUsd, 0.025);
        assert.equal(fee("gcp-lb-forwarding-rule-additional").hourlyUsd, 0.01);
        assert.equal(fee("aws-nat-gateway").hourlyUsd, 0.045);
        assert.equal(fee("aws-alb").hourlyUsd, 0.0225);
        assert.equal(fee("aws-public-ipv4").hourlyUsd, 0.005);
        assert.equal(fee("azure-standard-public-ip").hourlyUsd, 0.005);
        assert.equal(fee("aks-premium-tier").status, "unverified");
        // P20 (512 GiB Premium SSD), East US: $73.22 a month (prices.md).
        assert.equal(azureDiskTier("eastus", "Premium_LRS", 512)?.monthlyUsd, 73.22);
        assert.equal(azureDiskTier("eastus", "Premium_LRS", 513)?.type, "P30");
        assert.equal(azureDiskTier("westus2", "Premium_LRS", 128), undefined);
    });

    describe("provenance, disks, usage prices and the EKS calendar", () => {
        const iso = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(d));

        it("dates every SkyPilot price by its snapshot, never by the day it was copied", () => {
            const skypilot = CATALOG.filter((e) => e.source.startsWith("SkyPilot"));
            assert.ok(skypilot.length > 20);
            // prices.md dates the snapshots only "2025-2026 vintage": the earliest day they can be from.
            for (const e of skypilot) assert.equal(e.sourceDate, "2025-01-01", `${e.cloud}/${e.region}/${e.sku}`);
            const g5 = findPrice("aws", "us-east-1", "g5.xlarge")!;
            assert.equal(g5.spotHourlyUsd, 0.4005);
            assert.match(g5.source, /single observation/);
            assert.doesNotMatch(g5.source, /top of observed range/);
        });

        it("gives every disk, usage price and support date a source and a real date", () => {
            for (const d of DISK_PRICES) assert.ok(d.source.length > 0 && iso(d.sourceDate) && d.monthlyUsd > 0, `${d.cloud}/${d.region}/${d.type}`);
            for (const u of USAGE_PRICES) assert.ok(u.source.length > 0 && iso(u.sourceDate) && u.usd > 0, u.name);
            for (const v of EKS_VERSIONS) assert.ok([v.released, v.standardSupportEnds, v.extendedSupportEnds].every(iso), v.version);
            assert.ok(iso(CATALOG_AS_OF));
        });

        it("prices size-priced disks per GB-month and knows nothing it was not told", () => {
            assert.equal(findDiskPrice("gcp", "us-central1", "pd-balanced")?.monthlyUsd, 0.1);
            assert.equal(findDiskPrice("aws", "us-west-2", "gp3")?.monthlyUsd, 0.08);
            assert.equal(findDiskPrice("gcp", "us-central1", "pd-standard"), undefined);
            assert.equal(findDiskPrice("aws", "us-west-2", "io2"), undefined);
            // Every size the schema admits for AKS OS disks (64..2048 GB) and VM OS disks (64..1024) has a tier in East US.
            for (const gb of [64, 65, 128, 129, 256, 512, 1024, 2048]) assert.ok(azureDiskTier("eastus", "Premium_LRS", gb), `${gb} GB`);
        });

        it("bills a version by its support phase at the catalog's date, not the clock", () => {
            assert.equal(eksSupportAt("1.35").phase, "standard"); // standard until 2027-03-27
            assert.equal(eksSupportAt("1.33").phase, "extended"); // standard ended 2026-07-29
            assert.equal(eksSupportAt("1.34").phase, "extended"); // standard ends 2026-12-02, within the month from 2026-12-01
            assert.equal(eksSupportAt("1.34", "2026-10-01").phase, "standard"); // two months earlier it was not
            assert.equal(eksSupportAt("1.30").phase, "unsupported"); // extended support ended 2026-07-23
            assert.equal(eksSupportAt("1.29").phase, "unknown");
        });
    });
});
