import * as assert from "node:assert/strict";
import { CATALOG, CatalogEntry, catalogAgeDays, oldestSourceDate } from "../../../policies/cost/catalog";
import { catalogFreshness, catalogFreshnessPolicy } from "../../../policies/rules/catalogFreshness";
import { assertNoViolations, assertOneViolation, runStackPolicy } from "../../helpers/policyArgs";
import { gcpStack } from "../../helpers/policyFixtures";

const entry = (sku: string, sourceDate: string): CatalogEntry => ({
    cloud: "azure", region: "eastus", sku, onDemandHourlyUsd: 1, vcpu: 4, memoryGb: 16, source: "test", sourceDate, status: "verified",
});
// The oldest is 2026-10-01. By hand: Oct 1 -> Nov 1 is 31 days, -> Dec 1 is 30 more, -> Dec 30 is 29
// more: 90 days on 2026-12-30, 91 on 2026-12-31. The clock is injected: the verdicts never depend
// on the day the tests run.
const ENTRIES = [entry("Standard_D4s_v5", "2026-11-23"), entry("Standard_NC4as_T4_v3", "2026-10-01"), entry("Standard_B2s", "2026-11-30")];
const at = (iso: string) => () => new Date(iso);

describe("policy catalog-freshness", () => {
    it("catalogAgeDays counts whole days from the oldest sourceDate (midnight UTC)", () => {
        assert.equal(catalogAgeDays(new Date("2026-12-30T23:59:59Z"), ENTRIES), 90);
        assert.equal(catalogAgeDays(new Date("2026-12-31T00:00:00Z"), ENTRIES), 91);
        assert.equal(catalogAgeDays(new Date("2026-09-30T00:00:00Z"), ENTRIES), -1);
        assert.equal(oldestSourceDate(ENTRIES).entry.sku, "Standard_NC4as_T4_v3");
    });

    it("passes a catalog 90 days old under the default 90-day limit", async () => {
        const policy = catalogFreshnessPolicy({ now: at("2026-12-30T12:00:00Z"), entries: ENTRIES });
        assertNoViolations(await runStackPolicy(policy, gcpStack()));
    });

    it("reports a catalog 91 days old, naming the oldest price, its date, its age and the fix", async () => {
        const policy = catalogFreshnessPolicy({ now: at("2026-12-31T08:00:00Z"), entries: ENTRIES });
        assertOneViolation(await runStackPolicy(policy, gcpStack()), [
            "azure/eastus/Standard_NC4as_T4_v3", "2026-10-01", "91 days ago", "90-day limit", "1 of 3 prices", "npm run prices:refresh", "maxAgeDays",
        ]);
        // The same day passes with a longer limit from the pack config.
        assertNoViolations(await runStackPolicy(policy, gcpStack(), { maxAgeDays: 120 }));
    });

    it("dates the real catalog: stale one day past the limit, fresh on its oldest date", async () => {
        const oldest = Date.parse(`${oldestSourceDate(CATALOG).date}T00:00:00Z`);
        const day = 86_400_000;
        assertNoViolations(await runStackPolicy(catalogFreshnessPolicy({ now: () => new Date(oldest) }), []));
        assertOneViolation(await runStackPolicy(catalogFreshnessPolicy({ now: () => new Date(oldest + 91 * day) }), []), ["91 days ago"]);
    });

    it("is advisory by default, and rejects a non-integer or zero limit as the CLI would", async () => {
        assert.equal(catalogFreshness.name, "catalog-freshness");
        assert.equal(catalogFreshness.enforcementLevel, "advisory");
        await assert.rejects(runStackPolicy(catalogFreshness, [], { maxAgeDays: 0 }), /catalog-freshness: maxAgeDays/);
        await assert.rejects(runStackPolicy(catalogFreshness, [], { maxAgeDays: 1.5 }), /catalog-freshness: maxAgeDays/);
    });
});
