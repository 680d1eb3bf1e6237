import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { EXIT, main } from "../../plan/cli";
import { PlanReport } from "../../plan/report";
import { PlanDiff } from "../../plan/compare";
import { ignoringCatalogAge } from "../helpers/policyFixtures";
import { PROJECT_DIR } from "../helpers/program";
import { scratchDir } from "../helpers/scratch";

async function runPlan(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const code = await main(argv, (s) => (stdout += s), (s) => (stderr += s));
    return { code, stdout, stderr };
}
const fixture = (name: string) => path.join(PROJECT_DIR, "test", "fixtures", "stacks", name);
const tmp = (name: string, text: string) => {
    const file = path.join(scratchDir("llm-plan-"), name);
    fs.writeFileSync(file, text);
    return file;
};
const cents = (x: number) => Math.round(x * 100) / 100;

// Catalog figures, restated here from the catalog so the test computes by hand. GCP spot has no
// price cap, so a g2-standard-4's worst case is its on-demand price; spot x margin is the expected one.
const G2_STANDARD_4_SPOT = 0.28184;
const G2_STANDARD_4_ON_DEMAND = 0.70683;
const SPOT_MARGIN = 1.25;
const HOURS = 730;
// gcp-only.yaml (2..3 replicas) under policies/config/dev.json's usage assumptions, line by line:
//   capacity 3 x 0.70683 x 730 = 1547.96 (baseline 2 x = 1031.97); disks 3 x 100 GB x $0.10 = 30 (20)
//   forwarding rule 0.025 x 730 = 18.25; Cloud NAT 3 x 0.0014 x 730 = 3.07 (2.04); NAT address 3.65;
//   static address 3.65; Cloud Armor $5 + 2 rules x $1 = 7; secret version 0.06;
//   usage: NAT 200 GiB x 0.045 = 9, LB 50 GiB x 0.008 = 0.40, egress 50 GiB x 0.12 = 6, 1 M requests x 0.75 = 0.75
//   observability (#18): 5 alert policies x $1.50 per condition = 7.50, their series 5 x 0.0438 M x $0.35 = 5 x 0.02,
//   10 M Managed Prometheus samples x $0.06 = 0.60
const OBSERVABILITY_FIXED = 7.5;
const OBSERVABILITY_USAGE = 0.1 + 0.6;
const FIXED_AND_USAGE = 18.25 + 3.65 + 3.65 + 7 + 0.06 + 9 + 0.4 + 6 + 0.75 + OBSERVABILITY_FIXED + OBSERVABILITY_USAGE; // 56.96
// Rolling-update surge, one replica per zone for 4 h a month: 3 x (0.70683 + 10/730) x 4 = 8.65
const MIG_SURGE = 8.65;
const GCP_ONLY_WORST = cents(1547.96 + 30 + 3.07 + FIXED_AND_USAGE + MIG_SURGE); // 1646.64
const GCP_ONLY_BASELINE = cents(1031.97 + 20 + 2.04 + FIXED_AND_USAGE); // 1110.97
// over-budget.yaml (2..10): 10 x 0.70683 x 730 = 5159.86; disks 100; NAT 10 x 0.0014 x 730 = 10.22
const OVER_BUDGET_WORST = cents(5159.86 + 100 + 10.22 + FIXED_AND_USAGE + MIG_SURGE); // 5335.69

describe("plan: cost and policy verdicts", () => {
    let gcpOnly: PlanReport;
    before(async () => {
        const { code, stdout } = await runPlan("--stack", "dev", "--stack-file", fixture("gcp-only.yaml"), "--json");
        assert.equal(code, EXIT.ok);
        gcpOnly = JSON.parse(stdout) as PlanReport;
    });

    it("prices 2–3 spot g2-standard-4 replicas and one forwarding rule to the cent", () => {
        assert.equal(gcpOnly.cost.worstCaseMonthlyUsd, GCP_ONLY_WORST);
        assert.equal(gcpOnly.cost.baselineMonthlyUsd, GCP_ONLY_BASELINE);
        assert.equal(cents(3 * G2_STANDARD_4_ON_DEMAND * HOURS), 1547.96);
        const mig = gcpOnly.cost.lines.find((l) => l.urn.endsWith("::gcp-spot-l4-mig") && l.kind === "capacity")!;
        // Expected at spot: 3 x 0.28184 x 1.25 x 730 = 771.537
        assert.equal(mig.expected?.worstCaseMonthlyUsd, cents(3 * G2_STANDARD_4_SPOT * SPOT_MARGIN * HOURS));
        assert.deepEqual(gcpOnly.cost.byKind, {
            capacity: { baselineMonthlyUsd: 1031.97, worstCaseMonthlyUsd: 1547.96 },
            storage: { baselineMonthlyUsd: 20, worstCaseMonthlyUsd: 30 },
            fixed: { baselineMonthlyUsd: cents(18.25 + 2.04 + 3.65 + 3.65 + 7 + 0.06 + OBSERVABILITY_FIXED), worstCaseMonthlyUsd: cents(18.25 + 3.07 + 3.65 + 3.65 + 7 + 0.06 + OBSERVABILITY_FIXED) },
            transient: { baselineMonthlyUsd: 0, worstCaseMonthlyUsd: MIG_SURGE }, // maxSurgeFixed 3 (one per zone)
            usage: { baselineMonthlyUsd: 16.85, worstCaseMonthlyUsd: 16.85 },
        });
        assert.deepEqual(
            { sku: mig.sku, region: mig.region, countMin: mig.countMin, countMax: mig.countMax },
            { sku: "g2-standard-4", region: "us-central1", countMin: 2, countMax: 3 },
        );
    });

    it("--json carries cost, capacity and policies beside resources, in the documented shape", () => {
        assert.deepEqual(Object.keys(gcpOnly), ["project", "stack", "resources", "cost", "capacity", "policies", "policyConfig", "quotas", "runtime"]);
        assert.deepEqual(Object.keys(gcpOnly.cost), ["currency", "lines", "baselineMonthlyUsd", "worstCaseMonthlyUsd", "expectedWorstCaseMonthlyUsd", "byKind", "capMonthlyUsd", "byCloud"]);
        assert.equal(gcpOnly.cost.currency, "USD");
        assert.equal(gcpOnly.cost.capMonthlyUsd, 3500);
        for (const line of gcpOnly.cost.lines) {
            const keys = ["urn", "kind", "sku", "region", "countMin", "countMax", "baselineMonthlyUsd", "worstCaseMonthlyUsd", ...(line.expected ? ["expected"] : []), "basis"];
            assert.deepEqual(Object.keys(line), keys);
            assert.ok(["capacity", "storage", "fixed", "transient", "usage"].includes(line.kind));
        }
        assert.equal(gcpOnly.policies.pack, "llm-serving-guardrails");
        // Dev serves plain HTTP on purpose (no domain): endpoint-tls only advises there. The fixture
        // sets no llm-serving:budgets.gcpBillingAccount, so it has no GCP budget: runtime-budget
        // advises in dev (mandatory in prod), and the stack still plans.
        assert.deepEqual(
            ignoringCatalogAge(gcpOnly.policies.violations).map((v) => [v.policy, v.enforcementLevel]),
            [["endpoint-tls", "advisory"], ["runtime-budget", "advisory"]],
        );
    });

    it("blocks the over-budget fixture with exit 1 under monthly-cost-cap", async () => {
        const { code, stdout } = await runPlan("--stack", "dev", "--stack-file", fixture("over-budget.yaml"), "--json");
        assert.equal(code, EXIT.violations);
        const report = JSON.parse(stdout) as PlanReport;
        assert.equal(report.cost.worstCaseMonthlyUsd, OVER_BUDGET_WORST);
        const cap = report.policies.violations.filter((v) => v.policy === "monthly-cost-cap");
        assert.equal(cap.length, 1);
        assert.equal(cap[0].enforcementLevel, "mandatory");
        assert.match(cap[0].message, /5,?335\.69/);
        assert.match(cap[0].message, /3,?500/);
    });

    it("the text plan shows the cost table, the totals against the cap and the violation", async () => {
        const { code, stdout } = await runPlan("--stack", "dev", "--stack-file", fixture("over-budget.yaml"));
        assert.equal(code, EXIT.violations);
        // 10 x 0.28184 x 1.25 x 730 = 2571.79 expected beside the 5,159.86 worst case.
        assert.match(stdout, /gcp-spot-l4-mig\s+capacity\s+g2-standard-4\s+2–10\s+\$0\.7068\s+\$1,031\.97\s+\$5,159\.86\s+\$2,571\.79/);
        assert.match(stdout, /gcp-spot-l4-nat\s+usage\s+gcp-nat-processed\s+200\s+\$0\.0450\/unit\s+\$9\.00\s+\$9\.00/);
        assert.match(stdout, /\ncapacity\s+\$1,031\.97\s+\$5,159\.86\n/);
        assert.match(stdout, /worst case \$5,335\.69\/month · OVER the cap of \$3,500\.00 by \$1,835\.69/);
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
        assert.match(stdout, /\| gcp-spot-l4-mig \| capacity \| g2-standard-4 \| 2–10 \| \$0\.7068 \| \$1,031\.97 \| \$5,159\.86 \| \$2,571\.79 \|/);
        assert.match(stdout, /\| storage \| \$20\.00 \| \$100\.00 \|/);
        assert.match(stdout, /<details><summary>\d+ resources<\/summary>/);
    });
});

describe("plan --compare", () => {
    let base: string;
    before(async () => {
        const { stdout } = await runPlan("--stack", "dev", "--stack-file", fixture("gcp-only.yaml"), "--json");
        base = tmp("base.json", stdout);
    });

    it("shows the per-line, per-kind and total worst-case delta of a change in the maximum", async () => {
        const { stdout } = await runPlan("--stack", "dev", "--stack-file", fixture("over-budget.yaml"), "--compare", base, "--json");
        const diff = (JSON.parse(stdout) as { diff: PlanDiff }).diff;
        // 3 -> 10 replicas: capacity 5159.86 - 1547.96 = 3611.90; disks 100 - 30 = 70; Cloud NAT 10.22 - 3.07 = 7.15
        assert.deepEqual(diff.lines.map((l) => [l.name, l.kind, l.sku, l.baselineDelta, l.worstCaseDelta]), [
            ["gcp-spot-l4-mig", "capacity", "g2-standard-4", 0, 3611.9],
            ["gcp-spot-l4-mig", "storage", "gcp-disk", 0, 70],
            ["gcp-spot-l4-nat", "fixed", "gcp-cloud-nat-vm", 0, 7.15],
        ]);
        assert.deepEqual(diff.kinds.map((k) => [k.kind, k.worstCaseDelta]), [["capacity", 3611.9], ["storage", 70], ["fixed", 7.15], ["transient", 0], ["usage", 0]]);
        assert.equal(diff.totals.worstCaseDelta, cents(OVER_BUDGET_WORST - GCP_ONLY_WORST)); // 3689.05
        assert.equal(diff.totals.baselineDelta, 0);
        assert.deepEqual(diff.added, []);
        assert.deepEqual(diff.removed, []);
        // The GPU quota overrides follow the maximum ((3 + 3 surge) -> (10 + 3 surge) L4s).
        assert.deepEqual(diff.changed.map((c) => [c.name, c.fields]), [
            ["gcp-spot-l4-gpu-quota-preemptible", ["overrideValue"]],
            ["gcp-spot-l4-gpu-quota-standard", ["overrideValue"]],
            ["gcp-spot-l4-autoscaler", ["autoscalingPolicy"]],
        ]);
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
        assert.match(stdout, /Total: baseline \$1,110\.97 → \$1,110\.97 \(\$0\.00\), worst case \$1,646\.64 → \$1,646\.64 \(\$0\.00\)/);
    });

    it("renders the delta in Markdown for the PR comment", async () => {
        const { stdout } = await runPlan("--stack", "dev", "--stack-file", fixture("over-budget.yaml"), "--compare", base, "--markdown");
        assert.match(stdout, /\| \*\*Δ\*\* \| \*\*\$0\.00\*\* \| \*\*\+\$3,689\.05\*\* \|/);
        assert.match(stdout, /\| capacity \| \$0\.00 \| \+\$3,611\.90 \|/);
        assert.match(stdout, /\| gcp-spot-l4-mig \| capacity \| g2-standard-4 \| \$0\.00 \| \+\$3,611\.90 \|/);
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
