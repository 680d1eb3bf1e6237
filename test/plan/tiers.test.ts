import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError, parseStackConfig } from "../../stack";
import { TIERS } from "../../stack/tiers";
import { CAPACITY_BEGIN, CAPACITY_END, capacityTable, currentTable, SOURCE_COST, tierRows, tierTable } from "../../scripts/readmeTokens";

const BASE = {
    "llm-serving:model": JSON.stringify({ id: "HuggingFaceH4/zephyr-7b-beta", servedName: "mistral-7b", maxModelLen: 8192 }),
    "llm-serving:tags": JSON.stringify({ owner: "ml-platform", costCenter: "cc-1234" }),
};
const parse = (values: Record<string, string>) => parseStackConfig({ values: { ...BASE, ...values }, secretKeys: new Set() }, "test");

function configError(values: Record<string, string>): string {
    try {
        parse(values);
    } catch (e) {
        if (e instanceof ConfigError) return e.message;
        throw e;
    }
    assert.fail("expected a ConfigError");
}

describe("tiers as presets (llm-serving:tier, issue 17)", function () {
    this.timeout(120000);

    it("expands a tier to its targets and bounds", () => {
        const cfg = parse({ "llm-serving:tier": "growth" });
        assert.equal(cfg.tier, "growth");
        assert.deepEqual(Object.keys(cfg.targets).filter((k) => (cfg.targets as Record<string, unknown>)[k] !== undefined), ["azureMl"]);
        assert.equal(cfg.targets.azureMl?.instanceType, "Standard_NC24ads_A100_v4");
        assert.deepEqual(cfg.targets.azureMl?.instances, { min: 2, max: 3 });
        // The preset table is not modified by a stack that uses it.
        cfg.targets.azureMl!.instances.max = 99;
        assert.deepEqual((TIERS.growth.targets.azureMl as { instances: unknown }).instances, { min: 2, max: 3 });
    });

    it("refuses a tier with targets, naming both keys; a stack with targets alone still parses (control)", () => {
        const targets = JSON.stringify({ azureMl: { location: "eastus", instanceType: "Standard_NC8as_T4_v3", instances: { min: 1, max: 2 } } });
        assert.match(configError({ "llm-serving:tier": "starter", "llm-serving:targets": targets }), /llm-serving:tier and llm-serving:targets: set one or the other/);
        assert.equal(parse({ "llm-serving:targets": targets }).tier, undefined);
    });

    it("refuses an unknown tier, naming the key, the value and the tiers allowed", () => {
        assert.match(configError({ "llm-serving:tier": "enterprise" }), /llm-serving:tier: got "enterprise"; must be one of starter, growth, scale/);
    });

    it("the README's tier table is the plan's figures for each preset (npm run readme:tokens)", async () => {
        const rows = await tierRows();
        const readme = fs.readFileSync(path.resolve(__dirname, "../../README.md"), "utf8");
        const table = tierTable(rows);
        assert.equal(currentTable(readme), table, "README tier table is stale: run npm run readme:tokens");
        // growth: 2-3 x $3.673/h x 730 = 5,362.58-8,043.87 + ACR $5.08 + 50 GB logs x $2.76 = $138: 5,505.66-8,186.95.
        const growth = rows.find((r) => r.tier === "growth")!;
        assert.equal(growth.baselineMonthlyUsd, 5505.66);
        assert.equal(growth.worstCaseMonthlyUsd, 8186.95);
        assert.equal(growth.tokensPerSecond, "865.2–1,297.8");
        for (const r of rows) assert.ok(table.includes(`| \`${r.tier}\` | ${r.users} | ${SOURCE_COST} |`));
        // Negative control: a changed figure no longer matches.
        assert.notEqual(currentTable(readme), table.replace("$5,505.66", "$5,505.67"));
    });

    it("the README's capacity table is the committed stacks' plans (npm run readme:tokens)", async () => {
        const readme = fs.readFileSync(path.resolve(__dirname, "../../README.md"), "utf8");
        const table = await capacityTable();
        assert.equal(currentTable(readme, CAPACITY_BEGIN, CAPACITY_END), table, "README capacity table is stale: run npm run readme:tokens");
        assert.match(table, /\| prod \| `aksGpu` \| 865\.2 \| 865\.2 \| \$0\.81 \| \$0\.82 \|/);
    });
});
