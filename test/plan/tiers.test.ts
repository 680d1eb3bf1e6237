import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { main as planCli } from "../../plan/cli";
import type { PlanReport } from "../../plan/report";
import { ConfigError, parseStackConfig } from "../../stack";
import { TIERS } from "../../stack/tiers";
import { CAPACITY_BEGIN, CAPACITY_END, capacityTable, currentTable, SOURCE_COST, tierRows, tierTable } from "../../scripts/readmeTokens";
import { scratchDir } from "../helpers/scratch";

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

    // Each tier planned as prod's stack (model, tags) with `llm-serving:tier` in place of its targets.
    async function planTier(tier: string, policyConfig?: string): Promise<{ code: number; report: PlanReport }> {
        const root = path.resolve(__dirname, "../..");
        const text = fs.readFileSync(path.join(root, "Pulumi.prod.yaml"), "utf8");
        const { parse: parseYaml, stringify } = await import("yaml");
        const doc = parseYaml(text) as { config: Record<string, unknown> };
        delete doc.config["llm-serving:targets"];
        doc.config["llm-serving:tier"] = tier;
        const dir = scratchDir("tier-");
        const file = path.join(dir, "Pulumi.prod.yaml");
        fs.writeFileSync(file, stringify(doc));
        let out = "";
        const args = ["--stack", "prod", "--stack-file", file, "--json", ...(policyConfig ? ["--policy-config", path.join(root, policyConfig)] : [])];
        const code = await planCli(args, (s) => (out += s), () => undefined);
        return { code, report: JSON.parse(out) as PlanReport };
    }

    it("every tier plans clean: starter and growth under prod's policy config, scale under the example config it needs (policies/config/examples/tier-scale.json)", async () => {
        for (const tier of ["starter", "growth"]) assert.equal((await planTier(tier)).code, 0, tier);
        const scale = await planTier("scale", "policies/config/examples/tier-scale.json");
        assert.equal(scale.code, 0);
        assert.equal(scale.report.cost.worstCaseMonthlyUsd, 21604.42); // + $0.40: azureMl's four metric alerts (issue #18); + $0.67: its storage account's floor; + $1.39: the Azure breaker under prod's config (issue 16); + $8.56: its Application Insights workspace at its daily cap
        // Negative control: under prod's own cap ($8,500) scale's worst case is refused.
        const underProd = await planTier("scale");
        assert.equal(underProd.code, 1);
        assert.ok(underProd.report.policies.violations.some((v) => v.policy === "monthly-cost-cap" && v.enforcementLevel === "mandatory"));
        // The example differs from prod's config only in the cap, so it cannot drift from prod's other settings.
        const read = (f: string) => JSON.parse(fs.readFileSync(path.resolve(__dirname, "../..", f), "utf8")) as Record<string, Record<string, unknown>>;
        const example = read("policies/config/examples/tier-scale.json");
        const prod = read("policies/config/prod.json");
        assert.equal(example["monthly-cost-cap"].maxMonthlyUsd, 22000);
        assert.equal(example["runtime-budget-share"].maxMonthlyUsd, 22000);
        assert.deepEqual(
            {
                ...example,
                "monthly-cost-cap": { ...example["monthly-cost-cap"], maxMonthlyUsd: 8500 },
                "runtime-budget-share": { ...example["runtime-budget-share"], maxMonthlyUsd: 8500 },
            },
            prod,
        );
    });

    it("the README's tier table is the plan's figures for each preset (npm run readme:tokens)", async () => {
        const rows = await tierRows();
        const readme = fs.readFileSync(path.resolve(__dirname, "../../README.md"), "utf8");
        const table = tierTable(rows);
        assert.equal(currentTable(readme), table, "README tier table is stale: run npm run readme:tokens");
        // growth: 2-3 x $3.673/h x 730 = 5,362.58-8,043.87 + ACR $5.08 + 50 GB logs x $2.76 = $138 + 4 metric alerts x $0.10
        // + the storage account's floor (1 GB x $0.0208 = $0.02, 10 x 10,000 operations x $0.065 = $0.65)
        // + the Azure breaker prod turns on ($0.72 of function time + its storage account's floor $0.67)
        // + its Application Insights workspace at its 0.1 GB/day cap (3.1 GB x $2.76 = $8.56): 5,516.68-8,197.97.
        const growth = rows.find((r) => r.tier === "growth")!;
        assert.equal(growth.baselineMonthlyUsd, 5516.68);
        assert.equal(growth.worstCaseMonthlyUsd, 8197.97);
        assert.equal(growth.tokensPerSecond, "1,366.6–2,049.9"); // 2-3 x 683.3
        for (const r of rows) assert.ok(table.includes(`| \`${r.tier}\` | ${r.users} | ${SOURCE_COST} |`));
        // Negative control: a changed figure no longer matches.
        assert.notEqual(currentTable(readme), table.replace("$5,516.68", "$5,516.69"));
    });

    it("the README's capacity table is the committed stacks' plans (npm run readme:tokens)", async () => {
        const readme = fs.readFileSync(path.resolve(__dirname, "../../README.md"), "utf8");
        const table = await capacityTable();
        assert.equal(currentTable(readme, CAPACITY_BEGIN, CAPACITY_END), table, "README capacity table is stale: run npm run readme:tokens");
        assert.match(table, /\| prod \| `aksGpu` \| 1,366\.6 \| 1,366\.6 \| \$0\.51 \| \$0\.52 \|/);
    });
});
