import * as path from "node:path";
import { EXIT, main } from "./cli";
import { committedStacks } from "./stackFiles";

/**
 * Plans every committed stack (Pulumi.<stack>.yaml), as is and with --preview, and fails if any
 * run exits non-zero: a committed stack must parse, build and pass its policies. Prints one
 * summary line per run.
 */
async function planAll(): Promise<number> {
    let worst: number = EXIT.ok;
    // Each stack as a deployed stack's preview sees it, and as a new stack's first preview does
    // (every computed output unknown): the pack must let both through.
    const modes: ReadonlyArray<readonly string[]> = [[], ["--preview"]];
    for (const stack of committedStacks(path.resolve(__dirname, ".."))) for (const mode of modes) {
        let stderr = "";
        let stdout = "";
        const code = await main(["--stack", stack, ...mode], (s) => (stdout += s), (s) => (stderr += s));
        const summary = stdout.split("\n").find((l) => l.startsWith("Baseline")) ?? stdout.split("\n")[0];
        process.stdout.write(`plan ${stack}${mode.length ? " --preview" : ""}: exit ${code} · ${summary}\n`);
        if (code !== EXIT.ok) {
            process.stdout.write(stdout + stderr);
            worst = Math.max(worst, code);
        }
    }
    return worst;
}

planAll().then(
    (code) => process.exit(code),
    (e: unknown) => {
        process.stderr.write(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        process.exit(70);
    },
);
