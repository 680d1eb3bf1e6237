import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/**
 * Benchmarks (DESIGN §7): wall time and peak memory of the offline plan per stack, of the
 * type-check, and of the floor (Node loading @pulumi/pulumi), each as a ratio to its yardstick in
 * the same run; then the floor and the plans (and with --tests the unit tests) under every Node
 * runtime found (the project's 24, the minimum 22 from scripts/node-runtime.sh, and the machine's
 * own node), as ratios to Node 24. Run: `npm run bench [-- --runs N] [-- --tests]`.
 * Numbers, not pass/fail: compare them across commits on the same machine.
 */
const ROOT = path.resolve(__dirname, "..");
const argv = process.argv.slice(2);
const runs = Number(argv[argv.indexOf("--runs") + 1]) || 5;
const withTests = argv.includes("--tests");
const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
const tsc7 = path.join(ROOT, "node_modules", "typescript-7", "bin", "tsc");

interface Sample { seconds: number; peakMb: number }
interface Runtime { label: string; node: string }

/** Runs `node args` once; peak RSS from the child's own resource usage report. */
function measure(node: string, args: string[], opts: { probe?: boolean } = {}): Sample {
    const start = process.hrtime.bigint();
    const probe = opts.probe === false ? [] : ["--require", path.join(__dirname, "rss-probe.cjs")];
    const child = spawnSync(node, [...probe, ...args], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const rss = /@@maxrss (\d+)/.exec(child.stderr ?? "");
    // 1 is a plan with policy violations: still a complete run worth timing.
    if (child.status !== 0 && child.status !== 1) throw new Error(`${args.join(" ")} exited ${child.status}: ${child.stderr}`);
    return { seconds, peakMb: rss ? Number(rss[1]) / 1024 : NaN };
}

function median(values: number[]): number {
    const s = [...values].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function medianOf(node: string, args: string[], n: number, opts: { probe?: boolean } = {}): Sample {
    const samples = Array.from({ length: n }, () => measure(node, args, opts));
    return { seconds: median(samples.map((s) => s.seconds)), peakMb: median(samples.map((s) => s.peakMb)) };
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

const fmt = (s: Sample) => `${s.seconds.toFixed(2).padStart(6)} s ${s.peakMb.toFixed(0).padStart(5)} MB`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

console.log(`machine: ${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}; runs per case: ${runs} (median)`);
console.log(`runtime of this run: node ${process.versions.node}`);

const floor = medianOf(process.execPath, ["-e", "require('@pulumi/pulumi')"], runs);
console.log(`${"floor: node loads @pulumi/pulumi".padEnd(36)} ${fmt(floor)}  (yardstick)`);
for (const stack of ["dev", "prod"]) {
    const plan = medianOf(process.execPath, ["--import", "tsx", "plan/cli.ts", "--stack", stack, "--json"], runs);
    console.log(`${`plan --stack ${stack}`.padEnd(36)} ${fmt(plan)}  ${ratio(plan.seconds, floor.seconds)} the floor`);
}
// The type-check npm run typecheck runs (TypeScript 7's native compiler) against its yardstick,
// TypeScript 5.9 (the CLI's runtime compiler) on the same tree and tsconfig.
const check = medianOf(process.execPath, [tsc, "--noEmit", "-p", "tsconfig.json"], runs);
console.log(`${"tsc --noEmit (TypeScript 5.9)".padEnd(36)} ${fmt(check)}  (yardstick)`);
const native = medianOf(process.execPath, [tsc7, "--noEmit", "-p", "tsconfig.json"], runs, { probe: false });
console.log(`${"npm run typecheck (TypeScript 7)".padEnd(36)} ${fmt(native)}  ${ratio(native.seconds, check.seconds)} TypeScript 5.9`);

const found = runtimes();
if (found.length > 1) {
    console.log(`\nper runtime (ratios to ${found[0].label}):`);
    const base: Record<string, number> = {};
    for (const rt of found) {
        const cases: Record<string, Sample> = {
            floor: medianOf(rt.node, ["-e", "require('@pulumi/pulumi')"], runs),
            "plan dev": medianOf(rt.node, ["--import", "tsx", "plan/cli.ts", "--stack", "dev", "--json"], runs),
            "plan prod": medianOf(rt.node, ["--import", "tsx", "plan/cli.ts", "--stack", "prod", "--json"], runs),
        };
        // One run: the suite takes most of a minute.
        if (withTests) cases["npm run test:unit"] = measure(rt.node, [path.join(ROOT, "node_modules", "mocha", "bin", "mocha.js")], { probe: false });
        for (const [name, s] of Object.entries(cases)) {
            base[name] ??= s.seconds;
            console.log(`${rt.label.padEnd(22)} ${name.padEnd(18)} ${fmt(s)}  ${ratio(s.seconds, base[name])}`);
        }
    }
}
