import * as path from "node:path";
import { Command, CommanderError, Option } from "commander";
import { ConfigError } from "../config";
import { escapeInvisible, secretReason } from "../config/display";
import { evaluatePolicies } from "../policies/evaluate";
import { PolicyConfigError } from "../policies/packConfig";
import { comparePlans, parseComparablePlan, PlanDiff } from "./compare";
import { renderMarkdown, renderText } from "./format";
import { buildReport, hasMandatoryViolation, loadPolicyConfig } from "./report";
import { ProgramFailedError } from "./mocks";
import { runProgram } from "./run";
import { loadStack, PlanUsageError, readJsonObject } from "./stackFiles";

/** Exit codes: 0 plan printed; 1 a mandatory policy violation; 2 a config or usage error. */
export const EXIT = { ok: 0, violations: 1, usage: 2, programFailed: 3 } as const;

const PROJECT_DIR = path.resolve(__dirname, "..");

interface PlanOptions {
    stack: string;
    stackFile?: string;
    policyConfig?: string;
    compare?: string;
    preview?: boolean;
    json?: boolean;
    markdown?: boolean;
}

/** Runs the offline plan; returns the exit code and writes to the given streams. */
export async function main(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
    const program = new Command("plan")
        .description("Show what a stack would create, what it would cost and what the policies say, with no cloud credentials and no Pulumi CLI.")
        .requiredOption("-s, --stack <name>", "stack to plan (reads Pulumi.<name>.yaml)")
        .option("--stack-file <path>", "read the stack's config from this file instead of Pulumi.<name>.yaml")
        .option("--policy-config <path>", "policy pack config (default: policies/config/<name>.json)")
        .option("--compare <plan.json>", "show what changed since an earlier `--json` plan")
        .option("--preview", "plan as a first `pulumi preview` of a new stack sees it: every computed output unknown")
        .addOption(new Option("--json", "print one JSON document").conflicts("markdown"))
        .addOption(new Option("--markdown", "print a report for a pull-request comment"))
        .exitOverride()
        .configureOutput({ writeOut: out, writeErr: (s) => err(redactArguments(s)) });
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
        const policy = loadPolicyConfig(PROJECT_DIR, stack.stack, opts.policyConfig);
        // A bad policy config is a usage error found before the program registers anything.
        await checkPolicyConfig(policy);
        const earlier = opts.compare ? readEarlierPlan(opts.compare) : undefined;
        const run = await runProgram(stack, { preview: opts.preview });
        const details = await buildReport(stack.project, stack.stack, run.resources, run.outputs, policy, { preview: opts.preview });
        const diff: PlanDiff | undefined = earlier ? comparePlans(earlier, details.report) : undefined;
        if (opts.json) {
            out(JSON.stringify(diff ? { ...details.report, diff } : details.report, null, 2) + "\n");
        } else if (opts.markdown) {
            out(renderMarkdown(details, run.resources, diff));
        } else {
            out(renderText(details, run.resources, diff));
        }
        return hasMandatoryViolation(details.report) ? EXIT.violations : EXIT.ok;
    } catch (e) {
        if (e instanceof ConfigError || e instanceof PlanUsageError) {
            err(`error: ${e.message}\n`);
            return EXIT.usage;
        }
        if (e instanceof ProgramFailedError) {
            // The program's own messages; a value in one could still be a secret, so redact as for arguments.
            err(`error: ${redactArguments(e.message)}\n`);
            return EXIT.programFailed;
        }
        throw e;
    }
}

/**
 * Commander quotes a bad argument back (`unknown option '--hf-token=hf_...'`): any word of its
 * message that may be a secret, or the value after `=`, is replaced.
 */
function redactArguments(message: string): string {
    return message.replace(/(?<==)[^\s']+|[^\s'=]{8,}/g, (word) => (secretReason(word) ? "(value not shown)" : escapeInvisible(word)));
}

async function checkPolicyConfig(policy: { file: string; config: Record<string, unknown> }): Promise<void> {
    try {
        await evaluatePolicies([], policy.config);
    } catch (e) {
        if (e instanceof PolicyConfigError) throw new PlanUsageError(`${policy.file}: ${e.message}`);
        throw e;
    }
}

function readEarlierPlan(file: string) {
    return parseComparablePlan(readJsonObject(file, "a plan made with --json"), file);
}

/** Runs the plan as a command: writes to stdout/stderr and exits with main's code. */
export function runCli(argv: readonly string[]): void {
    main(argv, (s) => process.stdout.write(s), (s) => process.stderr.write(s)).then(
        // process.exit() drops whatever a pipe has not yet taken (stdout is async on pipes):
        // exit only once stdout has flushed, or a large --json plan arrives cut short.
        (code) => process.stdout.write("", () => process.exit(code)),
        (e: unknown) => {
            process.stderr.write(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
            process.exit(70);
        },
    );
}

if (require.main === module) runCli(process.argv.slice(2));
