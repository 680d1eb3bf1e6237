// The program's own cost check (issue 15, "Done when"): index.ts run under mocks as the engine runs
// it when APPLYING changes refuses an over-cap stack before registering anything, naming the worst
// case and the cap; as a dry run it registers and the pack refuses it; the offline plan shows the
// pack's verdicts only. The unit part checks what is written for the child and what is refused.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { SpawnSyncReturns } from "node:child_process";
import { EXIT, main } from "../../plan/cli";
import { runUnderMocks } from "../../plan/mocks";
import { PROGRAM_PATH } from "../../plan/run";
import { LoadedStack, loadStack } from "../../plan/stackFiles";
import { evaluatePolicies } from "../../policies/evaluate";
import { checkCostCap, CostGuardError, defaultRun, guardStackFile, OFFLINE_PLAN_MARKER, PLAN_NODE_FLAGS, SKIP_ENV } from "../../stack/guard";
import { PROJECT_DIR, stackFrom } from "../helpers/program";

const fixture = (name: string) => path.join(PROJECT_DIR, "test", "fixtures", "stacks", name);
const devPolicy = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "policies", "config", "dev.json"), "utf8")) as Record<string, unknown>;

/**
 * Runs index.ts under mocks WITHOUT the offline plan's marker (as `pulumi up` runs it), keeping
 * what it registered and what it threw: a refused program registers nothing and throws.
 */
async function runAsEngine(stack: LoadedStack, preview: boolean) {
    assert.equal((globalThis as Record<symbol, unknown>)[OFFLINE_PLAN_MARKER], undefined, "the plan's marker leaked out of a plan");
    let thrown: unknown;
    const run = await runUnderMocks(
        { project: stack.project, stack: stack.stack, config: stack.config, secretKeys: stack.secretKeys, preview },
        () => {
            delete require.cache[require.resolve(PROGRAM_PATH)];
            try {
                return require(PROGRAM_PATH) as unknown;
            } catch (e) {
                thrown = e;
                return {};
            }
        },
    );
    return { resources: run.resources, thrown };
}

describe("the program's cost check (stack/guard.ts)", () => {
    describe("end to end: over-budget.yaml (2..10 spot L4 replicas) against dev's $3,500 cap", () => {
        const overBudget = () => loadStack(PROJECT_DIR, "dev", fixture("over-budget.yaml"));

        it("applying changes (not a dry run): fails before registering anything, naming worst case and cap", async () => {
            const { resources, thrown } = await runAsEngine(overBudget(), false);
            assert.ok(thrown instanceof CostGuardError, `expected a CostGuardError, got ${String(thrown)}`);
            // 5,335.69 = 10 x 0.70683 x 730 + disks, NAT, fixed, usage, surge and observability (test/plan/cost.test.ts).
            assert.match(thrown.message, /refusing to deploy stack dev: worst case \$5,335\.69\/month passes the cap of \$3,500\.00\/month in policies\/config\/dev\.json \(monthly-cost-cap\) by \$1,835\.69/);
            assert.deepEqual(resources, []);
        });

        it("a secret in the engine's config never reaches the child's file or the message (the SDK's secret keys are read)", async () => {
            const SECRET = "hf_guardEndToEndNeverWritten0123456789";
            const stack = overBudget();
            const withSecret = { ...stack, config: { ...stack.config, "llm-serving:hfToken": SECRET }, secretKeys: [...stack.secretKeys, "llm-serving:hfToken"] };
            const written: string[] = [];
            const fsModule = require("node:fs") as typeof fs;
            const original = fsModule.writeFileSync;
            fsModule.writeFileSync = ((file: fs.PathOrFileDescriptor, data: string | NodeJS.ArrayBufferView, options?: fs.WriteFileOptions) => {
                if (typeof file === "string" && file.includes("llm-serving-guard-")) written.push(String(data));
                return original(file, data, options);
            }) as typeof fs.writeFileSync;
            let result;
            try {
                result = await runAsEngine(withSecret, false);
            } finally {
                fsModule.writeFileSync = original;
            }
            assert.equal(written.length, 1, "the guard wrote one stack file");
            assert.ok(!written[0].includes(SECRET));
            assert.match(written[0], /llm-serving:hfToken:\n\s+secure: /);
            assert.ok(result.thrown instanceof CostGuardError);
            assert.ok(!result.thrown.message.includes(SECRET));
            // 5,335.75 = 5,335.69 + $0.06 for the Secret Manager version that holds the HF token:
            // the child planned the token as a secret it cannot read, not as a missing one.
            assert.match(result.thrown.message, /worst case \$5,335\.75\/month passes the cap/);
        });

        it("negative control: the committed dev stack, applied, passes the check and registers its resources", async () => {
            const { resources, thrown } = await runAsEngine(loadStack(PROJECT_DIR, "dev"), false);
            assert.equal(thrown, undefined);
            assert.ok(resources.length > 50, `only ${resources.length} resources`);
        });

        it(`${SKIP_ENV}=1 (emergency opt-out): the program registers everything, and warns naming the variable`, async () => {
            const savedWarn = console.warn;
            const warnings: string[] = [];
            console.warn = (...a: unknown[]) => void warnings.push(a.map(String).join(" "));
            process.env[SKIP_ENV] = "1";
            let run;
            try {
                run = await runAsEngine(overBudget(), false);
            } finally {
                delete process.env[SKIP_ENV];
                console.warn = savedWarn;
            }
            assert.equal(run.thrown, undefined);
            assert.ok(run.resources.length > 10);
            assert.ok(warnings.some((w) => w.includes(`llm-serving cost check SKIPPED for stack dev because ${SKIP_ENV}=1`)), warnings.join("\n"));
        });

        it(`${SKIP_ENV} set to anything but 1 is refused, not read as yes or no`, async () => {
            process.env[SKIP_ENV] = "true";
            let run;
            try {
                run = await runAsEngine(overBudget(), false);
            } finally {
                delete process.env[SKIP_ENV];
            }
            assert.ok(run.thrown instanceof CostGuardError);
            assert.match(run.thrown.message, new RegExp(`${SKIP_ENV}: got "true"; allowed: 1 \\(skip the check\\) or unset`));
            assert.deepEqual(run.resources, []);
        });

        it("the refusal names the ways out: destroy/refresh without running the program, and the opt-out", async () => {
            const { thrown } = await runAsEngine(overBudget(), false);
            assert.ok(thrown instanceof CostGuardError);
            assert.match(thrown.message, /without the llm-serving-guardrails policy pack or without a preview \(--skip-preview, the Automation API, pulumi\/actions `command: up`\)/);
            assert.match(thrown.message, /`pulumi destroy --run-program=false` or `pulumi refresh --run-program=false` \(and unset PULUMI_RUN_PROGRAM\)/);
            assert.match(thrown.message, new RegExp(`${SKIP_ENV}=1 skips this check \\(with a warning\\)`));
        });

        it("as a dry run (preview): the program registers everything and the pack refuses it under monthly-cost-cap", async () => {
            const { resources, thrown } = await runAsEngine(overBudget(), true);
            assert.equal(thrown, undefined);
            assert.ok(resources.some((r) => r.type === "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager"));
            const { violations } = await evaluatePolicies(resources, devPolicy, { preview: true });
            assert.ok(violations.some((v) => v.policy === "monthly-cost-cap" && v.enforcementLevel === "mandatory"));
        });

        it("the offline plan of it exits 1 with the pack's verdicts only (no word from the program's check)", async () => {
            let stdout = "";
            let stderr = "";
            const code = await main(["--stack", "dev", "--stack-file", fixture("over-budget.yaml")], (s) => (stdout += s), (s) => (stderr += s));
            assert.equal(code, EXIT.violations);
            assert.match(stdout, /\[mandatory\] monthly-cost-cap/);
            assert.doesNotMatch(stdout + stderr, /cost check|refusing to deploy/);
        });
    });

    describe("what the child is given and what is refused (child replaced)", () => {
        const SECRET = "hf_guardTestNeverWritten0123456789abcd";
        const verdict = (worst: number, cap: number | null, violations: unknown[] = []) =>
            JSON.stringify({ cost: { worstCaseMonthlyUsd: worst, capMonthlyUsd: cap }, policies: { violations } });
        const child = (status: number, stdout: string, stderr = "") => (): SpawnSyncReturns<string> =>
            ({ pid: 1, status, signal: null, stdout, stderr, output: [null, stdout, stderr] }) as SpawnSyncReturns<string>;
        const config = { "llm-serving:targets": JSON.stringify({ gcpSpotL4: { project: "p" } }), "llm-serving:hfToken": SECRET, "gcp:project": "p" };
        const isSecret = (k: string) => k === "llm-serving:hfToken";

        it("hands the child plan's worst case per cloud on, for the run-time budgets' shares (issue 16)", () => {
            const byCloud = { gcp: 1111.42, aws: 1842.39, azure: 173.71 };
            const stdout = JSON.stringify({ cost: { worstCaseMonthlyUsd: 3127.52, capMonthlyUsd: 3500, byCloud }, policies: { violations: [] } });
            assert.deepEqual(checkCostCap({ stack: "dev", config, isSecret, run: child(0, stdout) }).byCloud, byCloud);
            // Negative control: a plan that reports none hands none on (the budgets then split the cap equally).
            assert.equal(checkCostCap({ stack: "dev", config, isSecret, run: child(0, verdict(3127.52, 3500)) }).byCloud, undefined);
        });

        it("writes every secret as a secure: stand-in, never its value, and the rest as the engine gave it", () => {
            const text = guardStackFile(config, isSecret);
            assert.ok(!text.includes(SECRET));
            assert.match(text, /llm-serving:hfToken:\n\s+secure: /);
            assert.ok(text.includes("gcp:project: p"));
            // Negative control: the same config with the key not secret does carry the value.
            assert.ok(guardStackFile(config, () => false).includes(SECRET));
        });

        it("the plan the child runs reads the stand-in as an undecrypted secret (the stack file is valid)", () => {
            const dir = fs.mkdtempSync(path.join(require("node:os").tmpdir(), "guard-file-"));
            const file = path.join(dir, "Pulumi.dev.yaml");
            fs.writeFileSync(file, guardStackFile(stackFrom({ tags: { owner: "a", costCenter: "b" } }, { hfToken: SECRET }, "dev").config, isSecret));
            const loaded = loadStack(PROJECT_DIR, "dev", file);
            fs.rmSync(dir, { recursive: true });
            assert.deepEqual(loaded.secretKeys, ["llm-serving:hfToken"]);
            assert.ok(!JSON.stringify(loaded.config).includes(SECRET));
        });

        it("runs plan/cli.ts (as npm run plan: plan/fast.cjs) --json with the stack's policy config, and the file is gone afterwards", () => {
            let seen: readonly string[] = [];
            let written = "";
            const result = checkCostCap({
                stack: "dev", config, isSecret,
                run: (args) => {
                    seen = args;
                    written = fs.readFileSync(args[args.indexOf("--stack-file") + 1], "utf8");
                    return child(0, verdict(100, 3500))();
                },
            });
            assert.deepEqual(result, { worstCaseMonthlyUsd: 100, capMonthlyUsd: 3500, policyConfig: "policies/config/dev.json" });
            assert.equal(seen[0], path.join(PROJECT_DIR, "plan", "fast.cjs"));
            assert.deepEqual(seen.slice(1, 3), ["--stack", "dev"]);
            assert.deepEqual(seen.slice(-3), ["--policy-config", path.join(PROJECT_DIR, "policies", "config", "dev.json"), "--json"]);
            assert.ok(written.length > 0 && !written.includes(SECRET));
            assert.equal(fs.existsSync(seen[seen.indexOf("--stack-file") + 1]), false);
        });

        it("refuses at one cent over the cap, passes at the cap", () => {
            assert.throws(() => checkCostCap({ stack: "dev", config, isSecret, run: child(1, verdict(3500.01, 3500)) }), /worst case \$3,500\.01\/month passes the cap of \$3,500\.00\/month .* by \$0\.01/);
            assert.doesNotThrow(() => checkCostCap({ stack: "dev", config, isSecret, run: child(0, verdict(3500, 3500)) }));
        });

        it("a cap disabled in the env's policy config is not checked (as the pack would not)", () => {
            assert.doesNotThrow(() => checkCostCap({ stack: "dev", config, isSecret, run: child(0, verdict(99999, null)) }));
        });

        it("an unknown worst case (unpriced SKU) is refused even under the cap; other policies' verdicts are the pack's business", () => {
            const unpriced = { policy: "priced-resources-only", enforcementLevel: "mandatory", message: "Every resource must be priced.\nno catalog price for g2-standard-96" };
            const tls = { policy: "endpoint-tls", enforcementLevel: "mandatory", message: "TLS.\nplain HTTP" };
            assert.throws(() => checkCostCap({ stack: "dev", config, isSecret, run: child(1, verdict(10, 3500, [unpriced])) }), /worst case is not known[\s\S]*\[priced-resources-only\] no catalog price for g2-standard-96/);
            assert.doesNotThrow(() => checkCostCap({ stack: "dev", config, isSecret, run: child(1, verdict(10, 3500, [tls])) }));
        });

        it("a stack without policies/config/<stack>.json is refused (no cap is no deploy), without running the plan", () => {
            let ran = false;
            assert.throws(
                () => checkCostCap({ stack: "qa-nowhere", config, isSecret, run: () => ((ran = true), child(0, verdict(1, 1))()) }),
                /refusing to deploy stack qa-nowhere: there is no policies\/config\/qa-nowhere\.json/,
            );
            assert.equal(ran, false);
        });

        it("the child plan runs with the plan's Node flags (PLAN_NODE_FLAGS), and with no flag of this process's", () => {
            const r = defaultRun(["-p", "JSON.stringify(process.execArgv)"], PROJECT_DIR);
            assert.equal(r.status, 0, r.stderr);
            // Node lists `-p <code>` among its own options too.
            assert.deepEqual(JSON.parse(r.stdout), [...PLAN_NODE_FLAGS, "-p", "JSON.stringify(process.execArgv)"]);
        });

        it("esbuild missing (MODULE_NOT_FOUND) is the same refusal, not a raw error with a stack trace", () => {
            const missing = () => {
                throw Object.assign(new Error("Cannot find module 'esbuild'\nRequire stack:\n- /x/stack/guard.ts"), { code: "MODULE_NOT_FOUND" });
            };
            const e = (() => {
                try {
                    checkCostCap({ stack: "dev", config, isSecret, run: (a, c) => defaultRun(a, c, missing) });
                } catch (err) {
                    return err as Error;
                }
                throw new Error("no refusal");
            })();
            assert.ok(e instanceof CostGuardError, String(e));
            assert.match(e.message, /refusing to deploy stack dev: the cost of its config could not be computed \(esbuild, which builds the plan, cannot be loaded \(MODULE_NOT_FOUND\); run `npm ci`/);
            assert.doesNotMatch(e.message, /Require stack/);
            // Control: here esbuild resolves, so the default resolver is not the one failing above.
            assert.ok(fs.existsSync(require.resolve("esbuild")));
        });

        it("a checkout that cannot be written (its .cache is not a folder) still gets its verdict, not a refusal", function () {
            this.timeout(300000);
            // The child's real plan (plan/fast.cjs) in a copy of the project whose cache cannot be
            // made: a path under a regular FILE fails even for root, whom chmod does not stop.
            const scratch = fs.mkdtempSync(path.join(require("node:os").tmpdir(), "guard-ro-"));
            const root = path.join(scratch, "project");
            const skip = new Set(["node_modules", ".git", ".cache", ".tools", ".venv-ray", "test", "bench", "scripts"]);
            fs.cpSync(PROJECT_DIR, root, { recursive: true, filter: (src) => !skip.has(path.relative(PROJECT_DIR, src).split(path.sep)[0]) });
            fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(root, "node_modules"));
            fs.writeFileSync(path.join(root, ".cache"), "");
            const tmpdir = process.env.TMPDIR;
            process.env.TMPDIR = path.join(scratch, "tmp");
            fs.mkdirSync(process.env.TMPDIR);
            try {
                const dev = loadStack(PROJECT_DIR, "dev");
                const figures = checkCostCap({ stack: "dev", config: dev.config, isSecret: (k) => dev.secretKeys.includes(k), projectDir: root });
                assert.equal(figures.capMonthlyUsd, (devPolicy["monthly-cost-cap"] as { maxMonthlyUsd: number }).maxMonthlyUsd);
                assert.ok(figures.worstCaseMonthlyUsd > 0 && figures.capMonthlyUsd !== null && figures.worstCaseMonthlyUsd <= figures.capMonthlyUsd);
                // The bundle went to the user's private temporary folder instead.
                assert.ok(fs.readdirSync(process.env.TMPDIR).some((n) => n.startsWith("llm-serving-plan-")));
            } finally {
                if (tmpdir === undefined) delete process.env.TMPDIR;
                else process.env.TMPDIR = tmpdir;
                fs.rmSync(scratch, { recursive: true, force: true });
            }
        });

        it("a plan that fails (exit 2) is a refusal that carries the plan's message, never a secret", () => {
            const e = (() => {
                try {
                    checkCostCap({ stack: "dev", config, isSecret, run: child(2, "", "error: llm-serving:targets.gcpSpotL4.replicas.max: got 0\n") });
                } catch (err) {
                    return err as Error;
                }
                throw new Error("no refusal");
            })();
            assert.ok(e instanceof CostGuardError);
            assert.match(e.message, /could not be computed \(plan exited 2\):\nerror: llm-serving:targets\.gcpSpotL4\.replicas\.max: got 0/);
            assert.ok(!e.message.includes(SECRET));
        });
    });
});
