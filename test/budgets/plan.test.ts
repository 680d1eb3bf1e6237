// The run-time budgets as the committed stacks' plans show them (issue 16), and as the program
// declares them before the plan resolves their amounts.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { EXIT, main } from "../../plan/cli";
import type { PlanReport } from "../../plan/report";
import { resolveBudgetAmounts, runtimeSentence } from "../../plan/budgets";
import { readBudget } from "../../policies/budgets";
import { BUDGET_CLOUDS, BUDGET_TYPES, splitCap } from "../../policies/contract/budgets";
import { budgetPlan, readBudgetSettings } from "../../stack/budgetPlan";
import { committedStack, configProblems, plan } from "../helpers/program";
import { loadPolicyConfig, buildReport } from "../../plan/report";
import { PROJECT_DIR } from "../helpers/program";
import { parseStackConfig, ConfigError } from "../../stack";
import { evaluatePolicies } from "../../policies/evaluate";
import { scratchDir } from "../helpers/scratch";

async function planJson(stack: string): Promise<PlanReport> {
    let stdout = "";
    const code = await main(["--stack", stack, "--json"], (s) => (stdout += s), () => undefined);
    assert.equal(code, EXIT.ok);
    return JSON.parse(stdout) as PlanReport;
}

function budgetsOf(report: PlanReport) {
    return report.resources.filter((r) => Object.values(BUDGET_TYPES).includes(r.type)).map((r) => ({ r, reading: readBudget(r.type, r.inputs)! }));
}

describe("run-time budgets in the committed stacks' plans", () => {
    for (const stack of ["dev", "prod", "staging"]) {
        it(`${stack}: one budget per billing cloud, at its share of the cap, summing to at most the cap, with a forecast alert`, async () => {
            const report = await planJson(stack);
            const cap = report.cost.capMonthlyUsd!;
            const clouds = BUDGET_CLOUDS.filter((c) => (report.cost.byCloud[c] ?? 0) > 0);
            const budgets = budgetsOf(report);
            // dev carries the placeholder billing account: no GCP budget is declared (runtime-budget, advisory, says so).
            const declared = stack === "dev" ? clouds.filter((c) => c !== "gcp") : clouds;
            assert.deepEqual(budgets.map((b) => b.reading.cloud).sort(), [...declared].sort());
            const shares = splitCap(cap, clouds, report.cost.byCloud);
            let sum = 0;
            for (const { reading } of budgets) {
                assert.equal(reading.amount.state, "known");
                if (reading.amount.state !== "known") continue;
                assert.equal(reading.amount.value, shares[reading.cloud]);
                sum += reading.amount.value;
                assert.deepEqual(reading.forecast, [100]);
                assert.deepEqual([...reading.actual].sort((a, b) => a - b), [50, 80, 100]);
                assert.ok(reading.notifies);
            }
            assert.ok(sum <= cap, `${stack}: budgets sum to ${sum}, over ${cap}`);
            assert.ok(!report.policies.violations.some((v) => v.enforcementLevel === "mandatory"), JSON.stringify(report.policies.violations));
        });
    }

    it("dev: the shares by hand (worst case gcp $1,119.62, aws $1,892.33, azure $173.89; total $3,185.84; cap $3,500)", async () => {
        const report = await planJson("dev");
        // gcp includes #18's observability on GCP (+$8.20: alert conditions, their series, dashboard samples);
        // aws eksInf2's (+$52.94: AMP collector and samples, rule evaluations, Managed Grafana, the alert topic's key),
        // less the AWS budget's own topic key ($3 worst: the budget mails its addresses itself, one SNS topic per notification);
        // azure gpuVm's (+$0.18: $0.16 of managed Prometheus samples, $0.02 of rule evaluation).
        assert.deepEqual(report.cost.byCloud, { gcp: 1119.62, aws: 1892.33, azure: 173.89 });
        // gcp 3500 x 1119.62 / 3185.84 = 1230.0; aws 3500 x 1892.33 / 3185.84 = 2078.9; azure 3500 x 173.89 / 3185.84 = 191.0
        const amounts = Object.fromEntries(report.runtime.budgets.map((b) => [b.cloud, b.amountUsd]));
        // gcp's share ($1,230) is left unbudgeted: the placeholder billing account declares no GCP budget.
        assert.deepEqual(amounts, { aws: 2078, azure: 191 });
        // The missing GCP budget: advisory in dev, so dev still plans and deploys.
        const advisory = report.policies.violations.filter((v) => v.policy === "runtime-budget");
        assert.equal(advisory.length, 1);
        assert.equal(advisory[0].enforcementLevel, "advisory");
        assert.match(advisory[0].message, /gcp bills up to \$1119\.62\/month .*no run-time budget.*gcloud billing accounts list.*placeholder 000000-000000-000000/);
    });

    it("the plan line beside the cost table names the cap, the budgets and the breaker", () => {
        const line = runtimeSentence(3500, {
            budgets: [
                { cloud: "gcp", urn: "u1", amountUsd: 1243, actualThresholds: [50], forecastThresholds: [100] },
                { cloud: "aws", urn: "u2", amountUsd: 2061, actualThresholds: [50], forecastThresholds: [100] },
            ],
            breaker: {},
        });
        assert.equal(line, "cap $3,500: enforced at preview by the pack, at run time by 2 budgets (gcp $1,243, aws $2,061); breaker off");
        assert.match(runtimeSentence(3500, { budgets: [], breaker: { gcp: "baseline-then-zero" } }), /breaker \(gcp\) steps down to baseline at 100% of forecast or actual spend, then to zero .*next pulumi up --refresh restores/);
        const on = runtimeSentence(3500, { budgets: [{ cloud: "gcp", urn: "u", amountUsd: 1243, actualThresholds: [50], forecastThresholds: [100] }], breaker: { gcp: "baseline" } });
        assert.match(on, /; breaker \(gcp\) steps down to baseline at 100% of forecast or actual spend; the next pulumi up --refresh restores the declared bounds \(a human decision\)$/);
        assert.doesNotMatch(on, /then to zero/);
        // The breaker's own percent, not the budgets' highest forecast threshold: forecast [100, 120] (stepToZero) still trips at 100.
        const twoSteps = runtimeSentence(3500, { budgets: [{ cloud: "gcp", urn: "u", amountUsd: 1243, actualThresholds: [50], forecastThresholds: [100, 120] }], breaker: { gcp: "baseline-then-zero" } });
        assert.match(twoSteps, /at 100% of forecast or actual spend/);
        assert.doesNotMatch(twoSteps, /120%/);
    });
});

describe("run-time budgets as the program declares them", () => {
    it("without the worst cases (offline plan before resolving, a skipped check) the cap is split equally, rounded down: safe whatever the costs", async () => {
        const run = await plan(committedStack("dev"));
        const declared = run.resources.flatMap((r) => {
            const reading = readBudget(r.type, r.inputs);
            return reading && reading.amount.state === "known" ? [reading.amount.value] : [];
        });
        assert.deepEqual(declared, [1166, 1166]); // floor(3500 / 3) for aws and azure (dev declares no GCP budget)
        // ... and the plan resolves them to the worst-case split.
        const resolved = resolveBudgetAmounts(run.resources, { gcp: 1111.42, aws: 1842.39, azure: 173.71 }, 3500);
        assert.deepEqual(
            resolved.flatMap((r) => {
                const reading = readBudget(r.type, r.inputs);
                return reading && reading.amount.state === "known" ? [[reading.cloud, reading.amount.value]] : [];
            }).sort(),
            [["aws", 2061], ["azure", 194]],
        );
    });

    it("an equal split over a lopsided stack is blocked by runtime-budget-share (the pack, which has the costs, fails closed)", async () => {
        const run = await plan(committedStack("dev"));
        const policy = loadPolicyConfig(PROJECT_DIR, "dev");
        // Feed the program's declared amounts to the policies without the plan's resolution: azure's
        // $1,166 is over its $191 share (3500 x 173.89 / 3185.84 = 191.0, rounded down).
        const evaluation = await evaluatePolicies(run.resources, policy.config, {});
        const share = evaluation.violations.filter((v) => v.policy === "runtime-budget-share");
        assert.equal(share.length, 1, JSON.stringify(share));
        assert.equal(share[0].enforcementLevel, "mandatory");
        assert.match(share[0].message, /runtime-budgets-azure \(azure\) is \$1166\.00\/month, over its cloud's share of the cap, \$191\.00/);
        // Negative control: the same resources through the plan's report are resolved and pass.
        const details = await buildReport("llm-serving", "dev", run.resources, {}, policy);
        assert.ok(!details.report.policies.violations.some((v) => v.policy === "runtime-budget-share"));
    });

    it("the text plan's outputs show runtimeBudgetAmounts as pulumi up exports it (each cloud's share), and no export left undefined", async () => {
        let text = "";
        assert.equal(await main(["--stack", "dev"], (s) => (text += s), () => undefined), EXIT.ok);
        const outputs = text.slice(text.lastIndexOf("\nOutputs:\n"));
        // dev's worst case by cloud: gcp $1,119.62, aws $1,892.33, azure $173.89 (total $3,185.84) under its
        // $3,500 cap: floor(3500 x 1119.62 / 3185.84) = 1230, floor(3500 x 1892.33 / 3185.84) = 2078,
        // floor(3500 x 173.89 / 3185.84) = 191. GCP's share is exported too: the program splits over the
        // clouds it deploys to, though dev declares no GCP budget (no billing account).
        assert.match(outputs, /\n {2}runtimeBudgetAmounts: \{"gcp":1230,"aws":2078,"azure":191\}\n/);
        assert.doesNotMatch(outputs, /undefined/);

        // Control: a stack with no policy config of its own (prod-eu, planned from dev's files with
        // --policy-config) has no cap the program can read, so it declares no budget and exports
        // nothing, as at pulumi up (where the cost check refuses such a stack anyway): no line.
        const file = path.join(scratchDir("budget-outputs-"), "Pulumi.prod-eu.yaml");
        fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), file);
        let other = "";
        await main(["--stack", "prod-eu", "--stack-file", file, "--policy-config", path.join(PROJECT_DIR, "policies", "config", "dev.json")], (s) => (other += s), () => undefined);
        const otherOutputs = other.slice(other.lastIndexOf("\nOutputs:\n"));
        assert.match(otherOutputs, /\n {2}apiKeys: "\[secret\]"/);
        assert.doesNotMatch(otherOutputs, /runtimeBudgetAmounts|undefined/);
    });

    it("budgetPlan takes the worst-case split only when every cloud's worst case is known", () => {
        const settings = { cap: 2000, thresholds: { actual: [50], forecast: [100] } };
        assert.deepEqual(budgetPlan(settings, ["gcp", "aws"], { gcp: 1574.69, aws: 73 }), { ...settings, amounts: { gcp: 1911, aws: 88 }, split: "worst-case" });
        assert.deepEqual(budgetPlan(settings, ["gcp", "aws"], { gcp: 1574.69 }), { ...settings, amounts: { gcp: 1000, aws: 1000 }, split: "equal" });
        assert.deepEqual(budgetPlan(settings, ["gcp", "aws"]).split, "equal");
    });

    it("reads the cap from monthly-cost-cap and the thresholds from runtime-budget in the stack's policy config", () => {
        assert.deepEqual(readBudgetSettings("prod"), { cap: 8500, thresholds: { actual: [50, 80, 100], forecast: [100] } });
        assert.equal(readBudgetSettings("no-such-stack"), undefined);
    });

    it("declares no GCP budget without a billing account; the pack reports it (advisory in dev, mandatory in prod), the stack still plans", async () => {
        for (const [stack, level] of [["dev", "advisory"], ["prod", "mandatory"]] as const) {
            const loaded = committedStack(stack);
            const config = { ...loaded.config };
            delete config["llm-serving:budgets"];
            const run = await plan({ ...loaded, config });
            assert.ok(!run.resources.some((r) => r.type === BUDGET_TYPES.gcp));
            const details = await buildReport("llm-serving", stack, run.resources, {}, loadPolicyConfig(PROJECT_DIR, stack));
            const v = details.report.policies.violations.filter((x) => x.policy === "runtime-budget");
            assert.equal(v.length, 1, JSON.stringify(v));
            assert.equal(v[0].enforcementLevel, level);
            assert.match(v[0].message, /gcp bills up to .* no run-time budget .*llm-serving:budgets\.gcpBillingAccount/);
        }
    });
});

describe("llm-serving:budgets config", () => {
    const base = committedStack("staging").config;
    const problems = (budgets: unknown): string[] => {
        try {
            parseStackConfig({ values: { ...base, "llm-serving:budgets": JSON.stringify(budgets) }, secretKeys: new Set() }, "staging");
            return [];
        } catch (e) {
            if (e instanceof ConfigError) return [...e.problems];
            throw e;
        }
    };

    it("accepts a billing account and the breaker switches (off)", () => {
        assert.deepEqual(problems({ gcpBillingAccount: "01A2B3-C4D5E6-F7A8B9", breaker: { enabled: false, stepToZero: false } }), []);
    });

    it("accepts breaker.enabled: true (the breaker's infrastructure is declared per cloud), stepToZero defaulting to false", () => {
        assert.deepEqual(problems({ gcpBillingAccount: "01A2B3-C4D5E6-F7A8B9", breaker: { enabled: true } }), []);
        assert.deepEqual(problems({ breaker: { enabled: true, stepToZero: true } }), []);
    });

    it("refuses a breaker switch that is not a boolean, naming the key (negative control of the acceptance above)", () => {
        assert.ok(problems({ breaker: { enabled: "true" } }).some((x) => /budgets\.breaker\.enabled/.test(x) && /true or false/.test(x)));
        assert.ok(problems({ breaker: { enabled: true, stepToZero: 1 } }).some((x) => /budgets\.breaker\.stepToZero/.test(x) && /true or false/.test(x)));
    });

    it("refuses a malformed billing account and unknown keys, naming the key and the form", () => {
        const [p] = problems({ gcpBillingAccount: "0123-4567" });
        assert.match(p, /budgets\.gcpBillingAccount/);
        assert.match(p, /XXXXXX|three groups of six/);
        assert.ok(problems({ breaker: { enabled: true, stepToZeroo: true } }).some((x) => x.includes("stepToZeroo")));
        assert.ok(problems({ breaker: { enabled: "yes" } }).some((x) => x.includes("breaker.enabled")));
    });

    it("negative control: a stack without the key parses (it is optional)", () => {
        assert.deepEqual(configProblems({ gcpSpotL4: { project: "acme-llm-dev", region: "us-central1", machineType: "g2-standard-4", replicas: { min: 1, max: 2 }, plaintextHttp: true } }), []);
    });
});
