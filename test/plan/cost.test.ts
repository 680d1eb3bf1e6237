import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EXIT, main } from "../../plan/cli";
import { PlanReport } from "../../plan/report";
import { PlanDiff } from "../../plan/compare";
import { ignoringCatalogAge } from "../helpers/policyFixtures";
import { PROJECT_DIR } from "../helpers/program";

async function runPlan(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const code = await main(argv, (s) => (stdout += s), (s) => (stderr += s));
    return { code, stdout, stderr };
}
const fixture = (name: string) => path.join(PROJECT_DIR, "test", "fixtures", "stacks", name);
const tmp = (name: string, text: string) => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "llm-plan-")), name);
    fs.writeFileSync(file, text);
    return file;
};
const cents = (x: number) => Math.round(x * 100) / 100;

// Catalog figures, restated here from shared/reference/prices.md so the test computes by hand.
const G2_STANDARD_4_SPOT = 0.28184;
const G2_STANDARD_4_ON_DEMAND = 0.70683;
const SPOT_MARGIN = 1.25;
const FORWARDING_RULE_HOURLY = 0.025;
const HOURS = 730;
const g2Unit = Math.min(G2_STANDARD_4_SPOT * SPOT_MARGIN, G2_STANDARD_4_ON_DEMAND);

describe("plan: cost and policy verdicts", () => {
    let gcpOnly: PlanReport;
    before(async () => {
        const { code, stdout } = await runPlan("--stack", "dev", "--stack-file", fixture("gcp-only.yaml"), "--json");
        assert.equal(code, EXIT.ok);
        gcpOnly = JSON.parse(stdout) as PlanReport;
    });

    it("prices 2–3 spot g2-standard-4 replicas and one forwarding rule to the cent", () => {
        const worst = cents(3 * g2Unit * HOURS) + cents(FORWARDING_RULE_HOURLY * HOURS);
        const baseline = cents(2 * g2Unit * HOURS) + cents(FORWARDING_RULE_HOURLY * HOURS);
        assert.equal(gcpOnly.cost.worstCaseMonthlyUsd, cents(worst)); // 771.54 + 18.25
        assert.equal(gcpOnly.cost.baselineMonthlyUsd, cents(baseline)); // 514.36 + 18.25
        const mig = gcpOnly.cost.lines.find((l) => l.urn.endsWith("::gcp-spot-l4-mig"))!;
        assert.deepEqual(
            { sku: mig.sku, region: mig.region, countMin: mig.countMin, countMax: mig.countMax },
            { sku: "g2-standard-4", region: "us-central1", countMin: 2, countMax: 3 },
        );
    });

    it("--json carries cost and policies beside resources, in the documented shape", () => {
        assert.deepEqual(Object.keys(gcpOnly), ["project", "stack", "resources", "cost", "policies"]);
        assert.deepEqual(Object.keys(gcpOnly.cost), ["currency", "lines", "baselineMonthlyUsd", "worstCaseMonthlyUsd", "capMonthlyUsd"]);
        assert.equal(gcpOnly.cost.currency, "USD");
        assert.equal(gcpOnly.cost.capMonthlyUsd, 2500);
        for (const line of gcpOnly.cost.lines) {
            assert.deepEqual(Object.keys(line), ["urn", "sku", "region", "countMin", "countMax", "baselineMonthlyUsd", "worstCaseMonthlyUsd", "basis"]);
        }
        assert.equal(gcpOnly.policies.pack, "llm-serving-guardrails");
        // Dev serves plain HTTP on purpose (no domain): endpoint-tls only advises there.
        assert.deepEqual(
            ignoringCatalogAge(gcpOnly.policies.violations).map((v) => [v.policy, v.enforcementLevel]),
            [["endpoint-tls", "advisory"]],
        );
    });

    it("blocks the over-budget fixture with exit 1 under monthly-cost-cap", async () => {
        const { code, stdout } = await runPlan("--stack", "dev", "--stack-file", fixture("over-budget.yaml"), "--json");
        assert.equal(code, EXIT.violations);
        const report = JSON.parse(stdout) as PlanReport;
        const worst = cents(cents(10 * g2Unit * HOURS) + cents(FORWARDING_RULE_HOURLY * HOURS)); // 2571.79 + 18.25
        assert.equal(report.cost.worstCaseMonthlyUsd, worst);
        const cap = report.policies.violations.filter((v) => v.policy === "monthly-cost-cap");
        assert.equal(cap.length, 1);
        assert.equal(cap[0].enforcementLevel, "mandatory");
        assert.match(cap[0].message, /2,?590\.04/);
        assert.match(cap[0].message, /2,?500/);
    });

    it("the text plan shows the cost table, the totals against the cap and the violation", async () => {
        const { code, stdout } = await runPlan("--stack", "dev", "--stack-file", fixture("over-budget.yaml"));
        assert.equal(code, EXIT.violations);
        assert.match(stdout, /gcp-spot-l4-mig\s+g2-standard-4\s+2–10\s+\$0\.3523\s+\$514\.36\s+\$2,571\.79/);
        assert.match(stdout, /worst case \$2,590\.04\/month · OVER the cap of \$2,500\.00 by \$90\.04/);
        assert.match(stdout, /\[mandatory\] monthly-cost-cap/);
    });

    it("an unknown machine type is refused before anything is priced, never at $0", async () => {
        const file = tmp(
            "Pulumi.x.yaml",
            fs.readFileSync(fixture("gcp-only.yaml"), "utf8").replace("g2-standard-4", "g2-standard-96"),
        );
        const { code, stderr } = await runPlan("--stack", "dev", "--stack-file", file, "--json");
        assert.equal(code, EXIT.usage);
        assert.match(stderr, /machineType: got "g2-standard-96"; must be one of the supported g2 machine types/);
    });

    it("--policy-config overrides the stack's policy config", async () => {
        const strict = tmp("strict.json", JSON.stringify({ ...readJson("policies/config/dev.json"), "monthly-cost-cap": { maxMonthlyUsd: 500 } }));
        const { code, stdout } = await runPlan("--stack", "dev", "--stack-file", fixture("gcp-only.yaml"), "--policy-config", strict, "--json");
        assert.equal(code, EXIT.violations);
        assert.equal((JSON.parse(stdout) as PlanReport).cost.capMonthlyUsd, 500);
    });

    it("a policy config the CLI would refuse exits 2 with the CLI's reason", async () => {
        const broken = tmp("broken.json", JSON.stringify({ "monthly-cost-cap": { enforcementLevel: "mandatory" } }));
        const { code, stderr } = await runPlan("--stack", "dev", "--stack-file", fixture("gcp-only.yaml"), "--policy-config", broken);
        assert.equal(code, EXIT.usage);
        assert.match(stderr, /maxMonthlyUsd is required/);
    });

    it("--markdown renders a PR comment with a marker, the verdict, the cost table and the tree", async () => {
        const { code, stdout } = await runPlan("--stack", "dev", "--stack-file", fixture("over-budget.yaml"), "--markdown");
        assert.equal(code, EXIT.violations);
        assert.match(stdout, /^<!-- llm-serving-plan:dev -->\n### ❌ llm-serving plan for `dev`/);
        assert.match(stdout, /\| mandatory \| monthly-cost-cap \| stack \|/);
        assert.match(stdout, /\| gcp-spot-l4-mig \| g2-standard-4 \| 2–10 \| \$0\.3523 \| \$514\.36 \| \$2,571\.79 \|/);
        assert.match(stdout, /<details><summary>\d+ resources<\/summary>/);
    });
});

describe("plan --compare", () => {
    let base: string;
    before(async () => {
        const { stdout } = await runPlan("--stack", "dev", "--stack-file", fixture("gcp-only.yaml"), "--json");
        base = tmp("base.json", stdout);
    });

    it("shows the per-line and total worst-case delta of a change in the maximum", async () => {
        const { stdout } = await runPlan("--stack", "dev", "--stack-file", fixture("over-budget.yaml"), "--compare", base, "--json");
        const diff = (JSON.parse(stdout) as { diff: PlanDiff }).diff;
        const expectedDelta = cents(cents(10 * g2Unit * HOURS) - cents(3 * g2Unit * HOURS)); // 2571.79 - 771.54
        assert.deepEqual(diff.lines.map((l) => [l.name, l.sku, l.baselineDelta, l.worstCaseDelta]), [["gcp-spot-l4-mig", "g2-standard-4", 0, expectedDelta]]);
        assert.equal(diff.totals.worstCaseDelta, expectedDelta);
        assert.equal(diff.totals.baselineDelta, 0);
        assert.deepEqual(diff.added, []);
        assert.deepEqual(diff.removed, []);
        assert.deepEqual(diff.changed.map((c) => [c.name, c.fields]), [["gcp-spot-l4-autoscaler", ["autoscalingPolicy"]]]);
    });

    it("lists added and removed resources (HTTP front end swapped for HTTPS)", async () => {
        const withDomain = tmp(
            "Pulumi.d.yaml",
            fs.readFileSync(fixture("gcp-only.yaml"), "utf8").replace("      plaintextHttp: true\n", "      domain: llm.example.com\n"),
        );
        const { stdout } = await runPlan("--stack", "dev", "--stack-file", withDomain, "--compare", base);
        assert.match(stdout, /Compared with the earlier plan: 2 added, 1 removed, \d+ changed/);
        assert.match(stdout, /\+ gcp:compute\/managedSslCertificate:ManagedSslCertificate {2}gcp-spot-l4-cert/);
        assert.match(stdout, /- gcp:compute\/targetHttpProxy:TargetHttpProxy {2}gcp-spot-l4-http-proxy/);
        assert.match(stdout, /Total: baseline \$532\.61 → \$532\.61 \(\$0\.00\), worst case \$789\.79 → \$789\.79 \(\$0\.00\)/);
    });

    it("renders the delta in Markdown for the PR comment", async () => {
        const { stdout } = await runPlan("--stack", "dev", "--stack-file", fixture("over-budget.yaml"), "--compare", base, "--markdown");
        assert.match(stdout, /\| \*\*Δ\*\* \| \*\*\$0\.00\*\* \| \*\*\+\$1,800\.25\*\* \|/);
        assert.match(stdout, /\| gcp-spot-l4-mig \| g2-standard-4 \| \$0\.00 \| \+\$1,800\.25 \|/);
    });

    it("refuses a file that is not a --json plan", async () => {
        const { code, stderr } = await runPlan("--stack", "dev", "--compare", tmp("x.json", '{"resources": []}'));
        assert.equal(code, EXIT.usage);
        assert.match(stderr, /not a plan made with --json/);
    });
});

function readJson(rel: string): Record<string, unknown> {
    return JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, rel), "utf8")) as Record<string, unknown>;
}
