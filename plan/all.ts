import * as path from "node:path";
import { EXIT, main } from "./cli";
import { committedStacks } from "./stackFiles";

/**
 * Plans every committed stack (Pulumi.<stack>.yaml) and fails if any exits non-zero: a committed
 * stack must parse, build and pass its policies. Prints one summary line per stack.
 */
async function planAll(): Promise<number> {
    let worst: number = EXIT.ok;
    for (const stack of committedStacks(path.resolve(__dirname, ".."))) {
        let stderr = "";
        let stdout = "";
        const code = await main(["--stack", stack], (s) => (stdout += s), (s) => (stderr += s));
        const firstLine = stdout.split("\n")[0];
        process.stdout.write(`plan ${stack}: exit ${code} · ${firstLine}\n`);
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
