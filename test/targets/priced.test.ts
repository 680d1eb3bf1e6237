// Every region and SKU a target's schema admits has a price in the pack's catalog, so a config the
// schema accepts is never one the cost policy cannot price (the schemas' comments rely on this).
import { strict as assert } from "node:assert";
import { findPrice } from "../../policies/cost/catalog";
import { AZURE_CPU_SIZES, AZURE_GPU_SIZES, AZURE_LOCATIONS } from "../../config";
import { AKS_SYSTEM_SIZES } from "../../targets/aksGpu/config";
import { AML_INSTANCE_TYPES } from "../../targets/azureMl/config";
import { AWS_REGIONS, INF2_INSTANCE_TYPES, SYSTEM_INSTANCE_TYPES } from "../../targets/eksInf2/config";
import { G2_MACHINE_TYPES, GCP_REGIONS } from "../../targets/gcpSpotL4/config";

/** SKUs not priced in a region, as "cloud/region/sku" (spot: "... spot"). */
function unpriced(cloud: "gcp" | "aws" | "azure", regions: readonly string[], skus: readonly string[], spot = false): string[] {
    return regions.flatMap((region) =>
        skus
            .filter((sku) => {
                const entry = findPrice(cloud, region, sku);
                return entry === undefined || (spot && entry.spotHourlyUsd === undefined);
            })
            .map((sku) => `${cloud}/${region}/${sku}${spot ? " spot" : ""}`),
    );
}

describe("every SKU and region a target's schema admits is priced", () => {
    it("gcpSpotL4: each g2 machine type, spot included, in each region", () => {
        assert.deepEqual(unpriced("gcp", GCP_REGIONS, G2_MACHINE_TYPES, true), []);
    });

    it("eksInf2: each inf2 size and the system size in each region", () => {
        assert.deepEqual(unpriced("aws", AWS_REGIONS, [...INF2_INSTANCE_TYPES, ...SYSTEM_INSTANCE_TYPES]), []);
    });

    it("Azure: each GPU and CPU size in the locations it is offered in, spot where the table says so", () => {
        const problems = [
            ...Object.entries(AZURE_GPU_SIZES).flatMap(([size, s]) => unpriced("azure", s.locations, [size], s.spotPriced)),
            ...Object.entries(AZURE_CPU_SIZES).flatMap(([size, s]) => unpriced("azure", s.locations, [size])),
        ];
        assert.deepEqual(problems, []);
    });

    // Only somewhere: the catalog prices the D-series system sizes in eastus alone, while the schema
    // admits an aksGpu in westus2 too (its system pool is then reported unpriced by the pack).
    it("aksGpu's system sizes and azureMl's instance types in at least one offered location", () => {
        for (const size of [...AKS_SYSTEM_SIZES, ...AML_INSTANCE_TYPES]) {
            assert.ok(AZURE_LOCATIONS.some((l) => findPrice("azure", l, size) !== undefined), `${size} is priced nowhere`);
        }
    });

    it("negative control: an SKU the catalog lacks is reported", () => {
        assert.deepEqual(unpriced("gcp", GCP_REGIONS, ["g2-standard-96"]), ["gcp/us-central1/g2-standard-96", "gcp/us-east1/g2-standard-96"]);
    });
});
