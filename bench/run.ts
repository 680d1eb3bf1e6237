import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PLAN_NODE_FLAGS } from "../stack/guard";
import { median, medianSample, paired, Sample } from "./paired";

/**
 * Benchmarks (DESIGN §7, issue 21): wall time and peak memory, median of several runs, each as a
 * ratio to its yardstick measured in the same run, the two taken in turn (yardstick, case, ...) and
 * the ratio the median of the per-pair ratios (bench/paired.ts):
 *   - the offline plan of the largest committed stack (ha) as `npm run plan` runs it (plan/fast.cjs,
 *     the cached bundle, with the plan's Node flags; also shown without them) against the floor,
 *     Node loading @pulumi/pulumi (target <= 2x); the plan runs with Node's compile cache on
 *     (plan/fast.cjs), the floor without, so the floor is also shown with a warmed compile cache
 *     (NODE_COMPILE_CACHE), and the plan's ratio to it;
 *   - `npm run typecheck` (TypeScript 7's native compiler) against TypeScript 5.9 on the same tree
 *     and tsconfig (target <= 0.35x);
 *   - `npm test` (type-check and unit tests) against its 30 s target;
 * then each stack's plan by both paths (the bundle and `node --import tsx plan/cli.ts`), and the
 * floor and plans under every Node runtime found (the project's 24, the minimum 22 from
 * scripts/node-runtime.sh, the machine's own node) as ratios to the first. The machine's load is
 * printed before and after: on a shared machine, compare ratios from one run, not seconds.
 * Run: `npm run bench [-- --runs N] [-- --test-runs N] [-- --no-tests] [-- --runtimes]`.
 */
const ROOT = path.resolve(__dirname, "..");
const argv = process.argv.slice(2);
const numberArg = (name: string, fallback: number) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) || fallback : fallback);
const runs = numberArg("--runs", 5);
const testRuns = numberArg("--test-runs", 3);
const withTests = !argv.includes("--no-tests");
const withRuntimes = argv.includes("--runtimes");
const LARGEST_STACK = "ha";
const FAST_PLAN = path.join(ROOT, "plan", "fast.cjs");
/** The plan as `npm run plan` runs it: the launcher with the plan's Node flags. */
const PLAN = [...PLAN_NODE_FLAGS, FAST_PLAN];
const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
// npm run typecheck's own launcher (TypeScript 7 with one checker per core).
const typecheckScript = path.join(ROOT, "scripts", "typecheck.cjs");

interface Runtime { label: string; node: string }

/** Runs `node args` once; peak RSS from the child's own resource usage report. */
function measure(node: string, args: string[], opts: { probe?: boolean; env?: Record<string, string> } = {}): Sample {
    const start = process.hrtime.bigint();
    const probe = opts.probe === false ? [] : ["--require", path.join(__dirname, "rss-probe.cjs")];
    const env = opts.env ? { ...process.env, ...opts.env } : process.env;
    const child = spawnSync(node, [...probe, ...args], { cwd: ROOT, encoding: "utf8", env, maxBuffer: 64 * 1024 * 1024 });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const rss = /@@maxrss (\d+)/.exec(child.stderr ?? "");
    // 1 is a plan with policy violations: still a complete run worth timing.
    if (child.status !== 0 && child.status !== 1) throw new Error(`${args.join(" ")} exited ${child.status}: ${child.stderr}`);
    return { seconds, peakMb: rss ? Number(rss[1]) / 1024 : NaN };
}

function medianOf(node: string, args: string[], n: number, opts: { probe?: boolean } = {}): Sample {
    return medianSample(Array.from({ length: n }, () => measure(node, args, opts)));
}

/** The Node runtimes to compare: project-local installs first, then the machine's own node. */
function runtimes(): Runtime[] {
    const found: Runtime[] = [];
    const tools = path.join(ROOT, ".tools");
    if (fs.existsSync(tools)) {
        for (const dir of fs.readdirSync(tools).filter((d) => /^node-\d+\./.test(d)).sort().reverse()) {
            const node = path.join(tools, dir, "bin", "node");
            if (fs.existsSync(node)) found.push({ label: `node ${dir.slice(5)}`, node });
        }
    }
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
        const node = path.join(dir, "node");
        if (dir.startsWith(tools) || !fs.existsSync(node)) continue;
        const version = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim().replace(/^v/, "");
        if (!found.some((r) => r.label === `node ${version}`)) found.push({ label: `node ${version} (machine)`, node });
        break;
    }
    return found;
}

const fmt = (s: Sample) => `${s.seconds.toFixed(2).padStart(6)} s ${Number.isNaN(s.peakMb) ? "    -" : s.peakMb.toFixed(0).padStart(5)} MB`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");
const row = (name: string, s: Sample, note: string) => console.log(`${name.padEnd(44)} ${fmt(s)}  ${note}`);
const verdict = (ok: boolean) => (ok ? "ok" : "NOT MET");

console.log(`machine: ${os.cpus().length} cores, load ${load()} (1, 5, 15 min); runs per case: ${runs} (median)`);
console.log(`runtime of this run: node ${process.versions.node}`);

// The first plan after a source change builds the bundle: timed once, apart from the medians,
// with no bundle and no compile cache (plan/fast.cjs keeps it in .cache/node-compile-cache).
fs.rmSync(path.join(ROOT, ".cache", "plan"), { recursive: true, force: true });
fs.rmSync(path.join(ROOT, ".cache", "node-compile-cache"), { recursive: true, force: true });
const cold = measure(process.execPath, [...PLAN, "--stack", LARGEST_STACK, "--json"]);

console.log("\nissue 21 targets (ratios within this run: median of per-pair ratios, yardstick and case taken in turn):");
const loadSdk = ["-e", "require('@pulumi/pulumi')"];
const planArgs = [...PLAN, "--stack", LARGEST_STACK, "--json"];
const planVsFloor = paired(() => measure(process.execPath, loadSdk), () => measure(process.execPath, planArgs), runs);
row("floor: node loads @pulumi/pulumi", planVsFloor.yardstick, "(yardstick)");
row(`npm run plan -- --stack ${LARGEST_STACK} --json`, planVsFloor.candidate, `${planVsFloor.ratio.toFixed(2)}× the floor (target <= 2×: ${verdict(planVsFloor.ratio <= 2)})`);
// What the plan's Node flags (stack/guard.ts PLAN_NODE_FLAGS) are worth: the same plan without them.
const withoutFlags = paired(() => measure(process.execPath, loadSdk), () => measure(process.execPath, [FAST_PLAN, "--stack", LARGEST_STACK, "--json"]), runs);
row(`  the same without ${PLAN_NODE_FLAGS.join(" ")}`, withoutFlags.candidate, `${withoutFlags.ratio.toFixed(2)}× the floor`);
// The plan runs with Node's compile cache; the same cache for the floor shows what part of the
// ratio is the cache rather than the plan's own work. Warmed by one run first.
const compileCache = fs.mkdtempSync(path.join(os.tmpdir(), "bench-compile-cache-"));
const cachedEnv = { NODE_COMPILE_CACHE: compileCache };
measure(process.execPath, loadSdk, { env: cachedEnv });
const planVsCachedFloor = paired(() => measure(process.execPath, loadSdk, { env: cachedEnv }), () => measure(process.execPath, planArgs), runs);
fs.rmSync(compileCache, { recursive: true, force: true });
row("floor with compile cache (NODE_COMPILE_CACHE)", planVsCachedFloor.yardstick, `(yardstick as the plan runs; plan ${planVsCachedFloor.ratio.toFixed(2)}× it: ${verdict(planVsCachedFloor.ratio <= 2)})`);
const floor = planVsFloor.yardstick;
row(`  first run after a change (builds the bundle)`, cold, `${ratio(cold.seconds, floor.seconds)} the floor (once per change; no compile cache)`);
// TypeScript 5.9 (the CLI's runtime compiler) on the same tree and tsconfig as npm run typecheck.
const checks = paired(
    () => measure(process.execPath, [tsc, "--noEmit", "-p", "tsconfig.json"]),
    () => measure(process.execPath, [typecheckScript], { probe: false }),
    runs,
);
row("tsc --noEmit (TypeScript 5.9)", checks.yardstick, "(yardstick)");
row("npm run typecheck (TypeScript 7)", checks.candidate, `${checks.ratio.toFixed(2)}× TypeScript 5.9 (target <= 0.35×: ${verdict(checks.ratio <= 0.35)})`);
if (withTests) {
    // npm test as a developer runs it (type-check, then the unit tests); a failing suite is still timed, and said.
    const samples: Sample[] = [];
    const counts: string[] = [];
    for (let i = 0; i < testRuns; i++) {
        const start = process.hrtime.bigint();
        const child = spawnSync("npm", ["test", "--silent"], { cwd: ROOT, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
        samples.push({ seconds: Number(process.hrtime.bigint() - start) / 1e9, peakMb: NaN });
        // Mocha's summary: what ran, so a faster suite is not a smaller one unnoticed.
        const passing = /(\d+) passing/.exec(child.stdout)?.[1] ?? "?";
        const failing = /(\d+) failing/.exec(child.stdout)?.[1] ?? "0";
        counts.push(`${passing} passing, ${failing} failing${child.status === 0 ? "" : ` (exit ${child.status})`}`);
    }
    const t = { seconds: median(samples.map((s) => s.seconds)), peakMb: NaN };
    row(`npm test (median of ${testRuns})`, t, `${ratio(t.seconds, 30)} the 30 s target (${verdict(t.seconds <= 30)}); ${[...new Set(counts)].join("; ")}`);
}
console.log(`load after: ${load()}`);

console.log("\nplans per stack: the cached bundle (npm run plan) and from source (node --import tsx plan/cli.ts)");
for (const stack of ["dev", "prod", "staging", "showcase", "ha"]) {
    const fast = medianOf(process.execPath, [...PLAN, "--stack", stack, "--json"], runs);
    const source = medianOf(process.execPath, ["--import", "tsx", "plan/cli.ts", "--stack", stack, "--json"], runs);
    console.log(`${`plan --stack ${stack}`.padEnd(24)} bundle ${fmt(fast)} ${ratio(fast.seconds, floor.seconds).padStart(6)} | tsx ${fmt(source)} ${ratio(source.seconds, floor.seconds).padStart(6)} the floor`);
}

const found = withRuntimes ? runtimes() : [];
if (found.length > 1) {
    console.log(`\nper runtime (ratios to ${found[0].label}):`);
    const base: Record<string, number> = {};
    for (const rt of found) {
        const cases: Record<string, Sample> = {
            floor: medianOf(rt.node, ["-e", "require('@pulumi/pulumi')"], runs),
            "plan dev": medianOf(rt.node, [...PLAN, "--stack", "dev", "--json"], runs),
            [`plan ${LARGEST_STACK}`]: medianOf(rt.node, [...PLAN, "--stack", LARGEST_STACK, "--json"], runs),
        };
        for (const [name, s] of Object.entries(cases)) {
            base[name] ??= s.seconds;
            console.log(`${rt.label.padEnd(22)} ${name.padEnd(18)} ${fmt(s)}  ${ratio(s.seconds, base[name])}`);
        }
    }
}
