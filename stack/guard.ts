// The program's own cost check (issue 15): when the engine APPLIES changes and the policy pack was
// not attached (a `pulumi up` from a laptop, or a workflow written without --policy-pack), the
// program prices its own validated config with the same cost model and refuses to register
// anything when the worst case passes the cap in policies/config/<stack>.json.
//
// Why it stays silent elsewhere: an attached pack stops an over-cap update at its preview, so in
// previews (pulumi.runtime.isDryRun()) and in the offline plan (OFFLINE_PLAN_MARKER) the pack's
// verdicts are the only ones shown. An update that skips its preview (--skip-preview, and so the
// Automation API's `up` and pulumi/actions' `command: up`, which pass it) runs stack policies only
// after the changes were made, so there this check speaks first even with the pack attached.
// What it does not stop: whoever runs the program can change the program too; this catches
// forgetting, not intent (README, "Where the cap holds").
//
// What it gets in the way of: `pulumi destroy` and `pulumi refresh` do not run the program, unless
// --run-program or PULUMI_RUN_PROGRAM=true asks them to; then the program cannot tell them from an
// update (isDryRun() is false), and an over-cap stack's check refuses them too. The refusal names
// the ways out: --run-program=false, or SKIP_ENV=1 (an emergency opt-out that always warns).
//
// How: the program may not import the pack (test/architecture.test.ts), so the offline plan runs
// in a child process, over a temporary stack file written from the engine's config in which every
// secret is replaced by a `secure:` stand-in (the plan never decrypts; no secret is written to
// disk or reaches a message), and only its --json figures and verdicts are read. A child also
// keeps the plan's mocks away from the live Pulumi runtime of this process.
import { spawnSync, SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { GCP_BILLING_ACCOUNT_EXAMPLE, GCP_BILLING_ACCOUNT_PLACEHOLDER, type BudgetCloud } from "../policies/contract/budgets";

/**
 * Set (to true) on globalThis by the offline plan while it runs the program under mocks: the plan
 * shows the pack's verdicts itself, and must not start a plan of the plan.
 */
export const OFFLINE_PLAN_MARKER = Symbol.for("llm-serving.offline-plan");

/**
 * Set to "1" to skip the check (an emergency: a stack over a lowered cap that must be destroyed or
 * refreshed with --run-program). Never silent: the program warns, naming the variable.
 */
export const SKIP_ENV = "LLM_SERVING_SKIP_COST_CHECK";

/** The pack's policies whose mandatory verdicts mean the worst case is over the cap or not known. */
export const COST_POLICIES: ReadonlyArray<string> = ["monthly-cost-cap", "priced-resources-only", "bounded-scaling", "cost-known-at-preview"];

const PROJECT_DIR = path.resolve(__dirname, "..");

/** Refusal from the guard; a RunError, so the CLI prints the message without a stack trace. */
export class CostGuardError extends pulumi.RunError {}

export interface GuardInput {
    readonly projectDir?: string;
    readonly stack: string;
    /** Full config keys to raw values, as the engine hands them to the program. */
    readonly config: Readonly<Record<string, string>>;
    /** Keys whose values are secrets: never written, replaced by a `secure:` stand-in. */
    readonly isSecret: (key: string) => boolean;
    /** Runs the child; tests may replace it. */
    readonly run?: (args: readonly string[], cwd: string) => SpawnSyncReturns<string>;
}

/** What the plan's --json says, as far as the guard reads it. */
interface PlanVerdict {
    cost: { worstCaseMonthlyUsd: number; capMonthlyUsd: number | null; byCloud?: Partial<Record<BudgetCloud, number>> };
    policies: { violations: Array<{ policy: string; enforcementLevel: string; message: string }> };
}

/** Whether the guard runs at all: only when changes are applied, never in the offline plan. */
export function guardApplies(): boolean {
    if ((globalThis as Record<symbol, unknown>)[OFFLINE_PLAN_MARKER] === true) return false;
    return !pulumi.runtime.isDryRun();
}

/** The stack file the child plans: the config with every secret replaced by a stand-in. */
export function guardStackFile(config: Readonly<Record<string, string>>, isSecret: (key: string) => boolean): string {
    const values: Record<string, unknown> = {};
    for (const key of Object.keys(config).sort()) {
        // The plan reads a `secure:` value as "a secret it cannot decrypt", exactly as for a
        // committed stack file; the ciphertext slot carries no data.
        values[key] = isSecret(key) ? { secure: "(not written by the program's cost check)" } : config[key];
    }
    return stringify({ config: values });
}

const usd = (x: number) => `$${x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/**
 * The Node flags every offline plan runs with: `npm run plan` (package.json's script says the
 * same, test/plan/fast.test.ts), this cost check's child plan and `npm run bench`.
 *
 * A young generation of at most 8 MB per semi-space instead of V8's default, which lets it grow
 * with the machine's memory: a plan allocates most of its heap in promises and Outputs that live
 * until the program's end, and a larger young generation only copies them about more and
 * touches more memory for the first time. On the machine of issue 21 (2 cores, 24 GB) the ha
 * stack's plan ended with 17 MB of new space instead of 134 MB, page-faulted about 37% less
 * (66,000 minor faults to 42,000; peak RSS 312 MB to 216 MB) and took about 15% less time; 4 MB
 * took twice the collections for the same faults. Not for the test suite: its processes live
 * for minutes, and there a small young generation cost more than it saved.
 */
export const PLAN_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=8"];

/**
 * Node runs the plan as `npm run plan` does, with its flags (PLAN_NODE_FLAGS): plan/cli.ts from
 * the bundle plan/fast.cjs keeps in .cache/plan/ (esbuild builds it when a source changed), a
 * fraction of the time tsx took to transpile the whole program on every update (issue 21). The
 * child inherits no Pulumi or cloud env. Without esbuild (an install that skipped it) there is
 * no plan to run: that is returned as the child's error, so it becomes the same refusal as any
 * plan that could not run (fails closed, no stack trace), not a raw MODULE_NOT_FOUND.
 */
export function defaultRun(args: readonly string[], cwd: string, resolve: (id: string) => string = require.resolve): SpawnSyncReturns<string> {
    const env: Record<string, string> = {};
    // LLM_SERVING_PLAN_CACHE: where plan/fast.cjs keeps its bundle, if not in the project's .cache/.
    for (const k of ["PATH", "HOME", "TMPDIR", "TEMP", "TMP", "SYSTEMROOT", "LLM_SERVING_PLAN_CACHE"]) if (process.env[k] !== undefined) env[k] = process.env[k]!;
    try {
        resolve("esbuild");
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? "error";
        const error = new Error(`esbuild, which builds the plan, cannot be loaded (${code}); run \`npm ci\` in the project`);
        return { pid: 0, status: null, signal: null, stdout: "", stderr: "", output: [null, "", ""], error };
    }
    return spawnSync(process.execPath, [...PLAN_NODE_FLAGS, ...args], {
        cwd,
        env,
        encoding: "utf8",
        maxBuffer: 256 * 1024 * 1024,
        timeout: 10 * 60 * 1000,
    });
}

/**
 * Plans `input` in a child process and throws CostGuardError when the worst case passes the cap
 * (or cannot be known). Returns the figures when the stack is within it.
 */
export interface GuardFigures {
    readonly worstCaseMonthlyUsd: number;
    readonly capMonthlyUsd: number | null;
    readonly policyConfig: string;
    /** The worst case per cloud, for the run-time budgets' shares of the cap (stack/budgets.ts). */
    readonly byCloud?: Partial<Record<BudgetCloud, number>>;
}

export function checkCostCap(input: GuardInput): GuardFigures {
    const projectDir = input.projectDir ?? PROJECT_DIR;
    const policyRel = path.join("policies", "config", `${input.stack}.json`);
    const policyFile = path.join(projectDir, policyRel);
    const refuse = (why: string) =>
        new CostGuardError(
            `llm-serving cost check: refusing to deploy stack ${input.stack}: ${why}\n` +
                `This update ran without the llm-serving-guardrails policy pack or without a preview (--skip-preview, the Automation API, pulumi/actions \`command: up\`); the pack's preview would have stopped it. ` +
                `Run \`pulumi preview --policy-pack policies --policy-pack-config ${policyRel}\` to see every verdict, lower the stack's bounds, ` +
                `or change the cap in ${policyRel} through review.\n` +
                `Removing or refreshing the stack does not need the program: \`pulumi destroy --run-program=false\` or \`pulumi refresh --run-program=false\` (and unset PULUMI_RUN_PROGRAM). ` +
                `In an emergency, ${SKIP_ENV}=1 skips this check (with a warning).`,
        );
    if (!fs.existsSync(policyFile)) {
        throw refuse(`there is no ${policyRel}, so the stack has no cap; create it (see policies/config/dev.json) before deploying`);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llm-serving-guard-"));
    const stackFile = path.join(dir, `Pulumi.${input.stack}.yaml`);
    let result: SpawnSyncReturns<string>;
    try {
        fs.writeFileSync(stackFile, guardStackFile(input.config, input.isSecret), { mode: 0o600 });
        const args = [path.join(projectDir, "plan", "fast.cjs"), "--stack", input.stack, "--stack-file", stackFile, "--policy-config", policyFile, "--json"];
        result = (input.run ?? ((a, c) => defaultRun(a, c)))(args, projectDir);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
    if (result.error || (result.status !== 0 && result.status !== 1)) {
        // The plan's own errors never print a secret (plan/stackFiles.ts, plan/cli.ts); the stand-in
        // path of the temporary file means nothing to the reader, so it is cut.
        const detail = (result.stderr ?? "").split(stackFile).join(`Pulumi.${input.stack}.yaml (the stack's config)`).trim().slice(0, 2000);
        throw refuse(`the cost of its config could not be computed (${result.error ? result.error.message : `plan exited ${result.status ?? result.signal}`})${detail ? `:\n${detail}` : ""}`);
    }
    let verdict: PlanVerdict;
    try {
        verdict = JSON.parse(result.stdout) as PlanVerdict;
    } catch {
        throw refuse("the plan of its config printed no readable result");
    }
    const { worstCaseMonthlyUsd: worst, capMonthlyUsd: cap } = verdict.cost;
    const blocking = verdict.policies.violations.filter((v) => v.enforcementLevel === "mandatory" && COST_POLICIES.includes(v.policy));
    if (cap !== null && worst > cap) {
        throw refuse(`worst case ${usd(worst)}/month passes the cap of ${usd(cap)}/month in ${policyRel} (monthly-cost-cap) by ${usd(worst - cap)}`);
    }
    if (blocking.length > 0) {
        // An unpriced SKU or an unbounded group: the worst case is not known, so it is not under the cap.
        const lines = blocking.map((v) => `  [${v.policy}] ${v.message.split("\n").slice(-1)[0]}`).join("\n");
        throw refuse(`its worst case is not known (the cap in ${policyRel} cannot be checked):\n${lines}`);
    }
    return { worstCaseMonthlyUsd: worst, capMonthlyUsd: cap, policyConfig: policyRel, ...(verdict.cost.byCloud ? { byCloud: verdict.cost.byCloud } : {}) };
}

/**
 * The check as index.ts calls it, before any resource is registered: the engine's config and
 * secret keys, the stack's name. Does nothing in a preview or under the offline plan.
 */
export function guardCostCap(warn: (message: string) => void = (m) => void pulumi.log.warn(m)): GuardFigures | undefined {
    if (!guardApplies()) return undefined;
    const skip = process.env[SKIP_ENV];
    if (skip !== undefined && skip !== "") {
        // Only "1" skips; any other value is refused rather than read as yes or no, so a typo
        // neither disables the check silently nor leaves the operator guessing.
        if (skip !== "1") throw new CostGuardError(`llm-serving cost check: ${SKIP_ENV}: got ${JSON.stringify(skip.slice(0, 20))}; allowed: 1 (skip the check) or unset`);
        warn(`llm-serving cost check SKIPPED for stack ${pulumi.getStack()} because ${SKIP_ENV}=1: nothing stops this update from passing the cap in policies/config/${pulumi.getStack()}.json; unset ${SKIP_ENV} once the emergency is over`);
        return undefined;
    }
    const runtime = pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean };
    // Which keys hold secrets is told by the SDK's runtime (set from PULUMI_CONFIG_SECRET_KEYS).
    // isConfigSecret is internal to @pulumi/pulumi (exported from its runtime, not documented), so
    // an SDK upgrade may drop it; without it no key could be written safely, so the check fails
    // closed (this refusal) rather than writing a secret or skipping the check.
    if (typeof runtime.isConfigSecret !== "function") {
        throw new CostGuardError("llm-serving cost check: this @pulumi/pulumi does not say which config keys are secrets; the program cannot check its cost safely");
    }
    const isConfigSecret = runtime.isConfigSecret;
    return checkCostCap({ stack: pulumi.getStack(), config: pulumi.runtime.allConfig(), isSecret: (k) => isConfigSecret(k) });
}

/**
 * The worst case per cloud at a real `pulumi preview` (the guard does not run there), for the
 * run-time budgets' amounts: the same child plan, read and never refused on (the attached pack
 * gives the verdicts). Undefined when it cannot be had (the offline plan, which resolves the
 * amounts itself; a skipped check; a plan that fails): the budgets then take an equal split of the
 * cap, which sums to at most the cap, and the pack's runtime-budget-share judges it.
 */
export function previewWorstByCloud(input: Omit<GuardInput, "stack" | "config" | "isSecret"> = {}): Partial<Record<BudgetCloud, number>> | undefined {
    if ((globalThis as Record<symbol, unknown>)[OFFLINE_PLAN_MARKER] === true || !pulumi.runtime.isDryRun()) return undefined;
    const skip = process.env[SKIP_ENV];
    if (skip !== undefined && skip !== "") return undefined;
    const runtime = pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean };
    if (typeof runtime.isConfigSecret !== "function") return undefined;
    const isConfigSecret = runtime.isConfigSecret;
    try {
        return checkCostCap({ ...input, stack: pulumi.getStack(), config: pulumi.runtime.allConfig(), isSecret: (k) => isConfigSecret(k) }).byCloud;
    } catch (e) {
        if (e instanceof CostGuardError) return undefined;
        throw e;
    }
}

/** Refusal of a GCP billing account the Billing API would reject; a RunError, so no stack trace. */
export class BillingAccountError extends pulumi.RunError {}

/**
 * The committed stacks carry the documented EXAMPLE billing account id so their offline plans show
 * a GCP budget; the Billing API rejects it, and only after every other resource was created. So a
 * real `pulumi preview`/`up` (anything but the offline plan) refuses it before any resource is
 * registered. `real` is injectable for tests; by default: not under the offline plan.
 */
export function checkGcpBillingAccount(
    stack: string,
    account: string | undefined,
    usesGcp: boolean,
    real: boolean = (globalThis as Record<symbol, unknown>)[OFFLINE_PLAN_MARKER] !== true,
): void {
    if (!real || !usesGcp || account !== GCP_BILLING_ACCOUNT_EXAMPLE) return;
    throw new BillingAccountError(
        `llm-serving:budgets.gcpBillingAccount: got ${GCP_BILLING_ACCOUNT_EXAMPLE}, the documented EXAMPLE id committed in Pulumi.${stack}.yaml, not a billing account; ` +
            "the Cloud Billing API would reject the stack's GCP budget after everything else was created. " +
            "Allowed: the stack's own billing account id (`gcloud billing accounts list`, column ACCOUNT_ID, XXXXXX-XXXXXX-XXXXXX), " +
            `or ${GCP_BILLING_ACCOUNT_PLACEHOLDER} / no value to deploy without a GCP budget (the policy pack's runtime-budget reports it).`,
    );
}
