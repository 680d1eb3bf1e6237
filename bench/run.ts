import { spawnSync } from "node:child_process";
import * as path from "node:path";

/**
 * Benchmarks (DESIGN §7): wall time and peak memory of the offline plan per stack, of the
 * type-check, and of the floor (Node loading @pulumi/pulumi). Run: `npm run bench [-- --runs N]`.
 * Numbers, not pass/fail: compare them across commits on the same machine.
 */
const ROOT = path.resolve(__dirname, "..");
const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 5;
const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");

interface Sample { seconds: number; peakMb: number }

/** Runs `node args` once; peak RSS from the child's own resource usage report. */
function measure(args: string[]): Sample {
    const start = process.hrtime.bigint();
    const child = spawnSync(process.execPath, ["--require", path.join(__dirname, "rss-probe.cjs"), ...args], {
        cwd: ROOT,
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
    });
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

const cases: Record<string, string[]> = {
    "floor: node loads @pulumi/pulumi": ["-e", "require('@pulumi/pulumi')"],
    "plan --stack dev": ["--import", "tsx", "plan/cli.ts", "--stack", "dev", "--json"],
    "plan --stack prod": ["--import", "tsx", "plan/cli.ts", "--stack", "prod", "--json"],
    "tsc --noEmit": [tsc, "--noEmit", "-p", "tsconfig.json"],
};

console.log(`runs per case: ${runs} (median wall time, median peak RSS)`);
for (const [name, args] of Object.entries(cases)) {
    const samples = Array.from({ length: runs }, () => measure(args));
    console.log(
        `${name.padEnd(36)} ${median(samples.map((s) => s.seconds)).toFixed(2).padStart(6)} s  ` +
            `${median(samples.map((s) => s.peakMb)).toFixed(0).padStart(5)} MB`,
    );
}
