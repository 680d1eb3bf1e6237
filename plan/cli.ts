import * as path from "node:path";
import { Command, CommanderError, Option } from "commander";
import { ConfigError } from "../config";
import { renderTree, planDocument } from "./render";
import { runProgram } from "./run";
import { loadStack, PlanUsageError } from "./stackFiles";

/** Exit codes: 0 plan printed; 1 a mandatory policy violation; 2 a config or usage error. */
export const EXIT = { ok: 0, violations: 1, usage: 2 } as const;

const PROJECT_DIR = path.resolve(__dirname, "..");

interface PlanOptions {
    stack: string;
    stackFile?: string;
    json?: boolean;
}

/** Runs the offline plan; returns the exit code and writes to the given streams. */
export async function main(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
    const program = new Command("plan")
        .description("Show what a stack would create, with no cloud credentials and no Pulumi CLI.")
        .requiredOption("-s, --stack <name>", "stack to plan (reads Pulumi.<name>.yaml)")
        .option("--stack-file <path>", "read the stack's config from this file instead of Pulumi.<name>.yaml")
        .addOption(new Option("--json", "print one JSON document instead of text"))
        .exitOverride()
        .configureOutput({ writeOut: out, writeErr: err });
    let opts: PlanOptions;
    try {
        program.parse(argv as string[], { from: "user" });
        opts = program.opts<PlanOptions>();
    } catch (e) {
        if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
        throw e;
    }

    try {
        const stack = loadStack(PROJECT_DIR, opts.stack, opts.stackFile);
        const run = await runProgram(stack);
        if (opts.json) {
            out(JSON.stringify(planDocument(stack.project, stack.stack, run.resources), null, 2) + "\n");
        } else {
            out(
                `${stack.project} · stack ${stack.stack} · ${run.resources.length} resources ` +
                    `(offline plan under mocks: nothing was created)\n\n` +
                    renderTree(run.resources) +
                    `\n\nOutputs:\n` +
                    Object.entries(run.outputs)
                        .map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`)
                        .join("\n") +
                    "\n",
            );
        }
        return EXIT.ok;
    } catch (e) {
        if (e instanceof ConfigError || e instanceof PlanUsageError) {
            err(`error: ${e.message}\n`);
            return EXIT.usage;
        }
        throw e;
    }
}

if (require.main === module) {
    main(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s)).then(
        (code) => process.exit(code),
        (e: unknown) => {
            process.stderr.write(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
            process.exit(70);
        },
    );
}
