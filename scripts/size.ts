// `npm run size`: size targets from a throughput goal or a budget (README, "Sizing from tokens or
// dollars"). Exit codes as the plan's: 0 printed, 2 a bad goal or option (message only).
import { Command, CommanderError, Option } from "commander";
import { stringify } from "yaml";
import { ConfigError } from "../config";
import { usd } from "../plan/format";
import {
    BudgetRow, Candidate, whyNot, CLOUD_NAMES, CloudName, ENVIRONMENTS, Environment, GoalError, sizeForBudget, sizeForTokens, SizeResult, sizeStackForBudget, StackBudget,
} from "../plan/size";
import { PlanUsageError } from "../plan/stackFiles";

export const EXIT = { ok: 0, usage: 2 } as const;

interface Options {
    tokensPerSecond?: string;
    p95TtftMs?: string;
    users?: string;
    tokensPerUserPerMinute?: string;
    clouds?: string;
    budget?: string;
    env?: string;
    json?: boolean;
}

/**
 * A number above 0 from an option, written in plain decimals ("500", "0.5"): hex, exponents,
 * "Infinity" and the like are refused, so what the tool sizes for is what the reader typed.
 * `whole`: a count (users), which must be a whole number. Otherwise a usage error naming the
 * option, the value and what is allowed.
 */
function positive(option: string, value: string | undefined, whole = false): number | undefined {
    if (value === undefined) return undefined;
    const n = Number(value);
    const form = whole ? /^[0-9]+$/ : /^[0-9]+(\.[0-9]+)?$/;
    if (!form.test(value.trim()) || !Number.isFinite(n) || n <= 0) {
        throw new PlanUsageError(`${option}: got ${JSON.stringify(value.slice(0, 100))}; must be ${whole ? "a whole number" : "a decimal number"} greater than 0 (digits${whole ? "" : " and an optional decimal point"} only)`);
    }
    return n;
}

function parseClouds(value: string | undefined): CloudName[] {
    if (value === undefined) return [...CLOUD_NAMES];
    const list = value.split(",").map((s) => s.trim());
    const bad = list.filter((c) => !(CLOUD_NAMES as readonly string[]).includes(c));
    if (bad.length > 0 || list.length === 0) {
        throw new PlanUsageError(`--clouds: got ${JSON.stringify(value)}; must be a comma-separated list of ${CLOUD_NAMES.join(", ")}`);
    }
    return [...new Set(list)] as CloudName[];
}

function parseEnv(value: string | undefined, fallback: Environment): Environment {
    if (value === undefined) return fallback;
    if (!(ENVIRONMENTS as readonly string[]).includes(value)) {
        throw new PlanUsageError(`--env: got ${JSON.stringify(value)}; must be one of ${ENVIRONMENTS.join(", ")}`);
    }
    return value as Environment;
}

function table(head: string[], rows: string[][], right: ReadonlySet<number>): string {
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const fmt = (cells: string[]) => cells.map((c, i) => (right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ").trimEnd();
    return [fmt(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(fmt)].join("\n");
}

/** Tokens/s with one decimal, as the catalog's figures carry: "2,566.0", never "2,566" beside "3,079.2". */
const tps = (x: number | null) => (x === null ? "unknown" : x.toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 }));

/** The block a user pastes under `config:` of a stack file. */
export function configBlock(target: string, block: Record<string, unknown>): string {
    return stringify({ "llm-serving:targets": { [target]: block } }, { lineWidth: 0 });
}

function candidateRows(list: readonly Candidate[]): string[][] {
    return list.map((c) => [c.target, c.bounds, tps(c.tokensPerSecond), usd(c.baselineMonthlyUsd), usd(c.worstCaseMonthlyUsd), c.usdPerMillionTokensWorst === null ? "unknown" : usd(c.usdPerMillionTokensWorst)]);
}

const HEAD = ["target", "bounds", "tokens/s", "baseline $/mo", "worst case $/mo", "worst $/M tokens"];

export function renderTokens(r: SizeResult): string {
    const out = [
        `Goal: ${r.goal.tokensPerSecond.toLocaleString("en-US")} output tokens/s${r.goal.p95TtftMs !== undefined ? `, p95 time to first token <= ${r.goal.p95TtftMs} ms` : ""} ` +
            `(env ${r.goal.env}: its policy config and replica floor; clouds ${r.goal.clouds.join(", ")}). Each row was planned; cheapest worst case first.`,
        "",
        r.candidates.length > 0 ? table(HEAD, candidateRows(r.candidates), new Set([2, 3, 4, 5])) : "No candidate plans clean under this environment's mandatory policies.",
    ];
    if (r.refused.length > 0) {
        out.push("", `Meets the goal but refused by ${r.goal.env}'s mandatory policies:`);
        for (const c of r.refused) out.push(`  ${c.target} (${c.bounds}): ${c.refusedBy.join(", ")}`);
    }
    if (r.notSized.length > 0) {
        out.push("", "Not sized:");
        for (const n of r.notSized) out.push(`  ${n.target}: ${n.why}`);
    }
    const best = r.candidates[0];
    if (best) {
        out.push(
            "",
            `Config for the cheapest (${best.target}, from Pulumi.${best.template}.yaml's ${best.target} block, resized), to paste under config: in Pulumi.<stack>.yaml:`,
            "",
            configBlock(best.target, best.block).trimEnd(),
        );
    }
    return out.join("\n") + "\n";
}

export function renderBudget(budget: number, env: Environment, rows: readonly BudgetRow[]): string {
    const out = [
        `Budget: ${usd(budget)} a month at worst (env ${env}: its policy config's usage and transient hours; a config its mandatory policies refuse does not fit).`,
        "Each target on its own, on its committed SKU:",
        "",
    ];
    const fits = rows.filter((r) => r.fit);
    if (fits.length > 0) {
        const step = (r: BudgetRow) => (r.next ? `${usd(r.next.worstCaseMonthlyUsd)} (${whyNot(r.next, budget)})` : "schema bound reached");
        out.push(
            table(
                ["target", "largest bounds that fit", "tokens/s", "worst case $/mo", "one step more"],
                fits.map((r) => [r.target, r.fit!.bounds, tps(r.fit!.tokensPerSecond), usd(r.fit!.worstCaseMonthlyUsd), step(r)]),
                new Set([2, 3]),
            ),
        );
    }
    const refused = rows.filter((r) => !r.fit && r.refused);
    if (refused.length > 0) {
        out.push("", `Refused by ${env}'s mandatory policies at every size:`);
        for (const r of refused) out.push(`  ${r.target}: ${r.why}`);
    }
    const over = rows.filter((r) => !r.fit && !r.refused);
    if (over.length > 0) {
        out.push("", "Does not fit:");
        for (const r of over) out.push(`  ${r.target}: ${r.why}`);
    }
    for (const r of fits) out.push("", `${r.target} (from Pulumi.${r.template}.yaml's ${r.target} block, resized):`, configBlock(r.target, r.fit!.block).trimEnd());
    return out.join("\n") + "\n";
}

/** Why the stack's targets together do not fit, at the smallest maxima the tool could reach. */
export function stackMisfit(budget: number, s: StackBudget): string {
    const parts = [];
    if (s.worstCaseMonthlyUsd > budget) parts.push(`the minima cost ${usd(s.worstCaseMonthlyUsd)}/month, over the budget of ${usd(budget)}`);
    if (s.refusedBy.length > 0) parts.push(`${s.stack}'s mandatory policies refuse them (${s.refusedBy.join(", ")})`);
    return `Pulumi.${s.stack}.yaml's targets together do not fit at their minima: ${parts.join("; ")}.`;
}

export function renderStackBudget(budget: number, s: StackBudget): string {
    const maxima = (m: Record<string, number>) => Object.entries(m).map(([k, v]) => `${k} ${v}`).join(", ");
    const out = [
        `Pulumi.${s.stack}.yaml's targets together, stepping maxima in turn (cheapest worst-case $/M tokens first: ${s.order.join(", ")}` +
            `${s.fixed.length > 0 ? `; held: ${s.fixed.join(", ")}` : ""}):`,
    ];
    out.push(
        ...s.steps.map((st) => {
            const why = [st.worstCaseMonthlyUsd > budget ? "over" : "", st.refusedBy.length > 0 ? `refused by ${st.refusedBy.join(", ")}` : ""].filter(Boolean).join("; ");
            return `  step ${st.target} max ${st.max}: ${usd(st.worstCaseMonthlyUsd)}${why ? ` (${why})` : ""}`;
        }),
    );
    if (!s.fits) {
        out.push(`  ${stackMisfit(budget, s)}`, "  No targets block is printed: none of these maxima could be deployed.");
        return out.join("\n") + "\n";
    }
    out.push(
        `  from maxima ${maxima(s.start.maxima)} at ${usd(s.start.worstCaseMonthlyUsd)}`,
        `  to maxima ${maxima(s.maxima)} at ${usd(s.worstCaseMonthlyUsd)}, within ${usd(budget)} ` +
            `(${s.tokensPerSecondMax === null ? "tokens/s unknown for some target" : `${tps(s.tokensPerSecondMax)} tokens/s at the maxima`})`,
        "",
        configBlockAll(s.targets).trimEnd(),
    );
    return out.join("\n") + "\n";
}

function configBlockAll(targets: Record<string, Record<string, unknown>>): string {
    return stringify({ "llm-serving:targets": targets }, { lineWidth: 0 });
}

export async function main(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
    const program = new Command("size")
        .description("Size targets from a throughput goal or a monthly budget, from planned configs.")
        .option("--tokens-per-second <n>", "output tokens per second the stack must serve")
        .option("--p95-ttft-ms <ms>", "p95 time to first token the stack must meet")
        .option("--users <n>", "concurrent users (with --tokens-per-user-per-minute)")
        .option("--tokens-per-user-per-minute <n>", "output tokens each user reads a minute")
        .option("--clouds <list>", `clouds to consider (${CLOUD_NAMES.join(",")})`)
        .option("--budget <usd>", "largest worst-case monthly cost, in USD")
        .option("--env <name>", `environment whose policy config applies (${ENVIRONMENTS.join(", ")})`)
        .addOption(new Option("--json", "print JSON"))
        .exitOverride()
        .configureOutput({ writeOut: out, writeErr: err });
    let opts: Options;
    try {
        program.parse(argv as string[], { from: "user" });
        opts = program.opts<Options>();
    } catch (e) {
        if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
        throw e;
    }
    try {
        const clouds = parseClouds(opts.clouds);
        const budget = positive("--budget", opts.budget);
        if (budget !== undefined) {
            if (opts.tokensPerSecond !== undefined || opts.users !== undefined) {
                throw new PlanUsageError("--budget: works backwards from money alone; drop --tokens-per-second/--users, or size from tokens without --budget");
            }
            const env = parseEnv(opts.env, "dev");
            const rows = await sizeForBudget(budget, env, clouds);
            const stack = await sizeStackForBudget(budget, env);
            if (!stack.fits && !rows.some((r) => r.fit)) {
                // Nothing to paste: say why per target and for the stack, and exit as for a goal no target meets.
                throw new GoalError(
                    [`nothing fits a budget of ${usd(budget)} a month under ${env}'s policy config:`, ...rows.map((r) => `  ${r.target}: ${r.why}`), `  ${stackMisfit(budget, stack)}`].join("\n"),
                );
            }
            out(opts.json ? JSON.stringify({ budget, env, rows, stack }, null, 2) + "\n" : renderBudget(budget, env, rows) + "\n" + renderStackBudget(budget, stack));
            return EXIT.ok;
        }
        const direct = positive("--tokens-per-second", opts.tokensPerSecond);
        const users = positive("--users", opts.users, true);
        const perUser = positive("--tokens-per-user-per-minute", opts.tokensPerUserPerMinute);
        if ((users === undefined) !== (perUser === undefined)) {
            throw new PlanUsageError("--users and --tokens-per-user-per-minute: give both (the goal is users x tokens per user per minute / 60), or neither");
        }
        const fromUsers = users !== undefined && perUser !== undefined ? (users * perUser) / 60 : undefined;
        if (fromUsers !== undefined && !Number.isFinite(fromUsers)) {
            throw new PlanUsageError("--users x --tokens-per-user-per-minute: the product over 60 is not a finite number of tokens per second; give smaller values");
        }
        const goal = Math.max(direct ?? 0, fromUsers ?? 0);
        if (goal === 0) throw new PlanUsageError("a goal is required: --tokens-per-second N, or --users U --tokens-per-user-per-minute T, or --budget USD");
        const result = await sizeForTokens({ tokensPerSecond: goal, p95TtftMs: positive("--p95-ttft-ms", opts.p95TtftMs), clouds, env: parseEnv(opts.env, "prod") });
        out(opts.json ? JSON.stringify(result, null, 2) + "\n" : renderTokens(result));
        return EXIT.ok;
    } catch (e) {
        if (e instanceof GoalError || e instanceof PlanUsageError || e instanceof ConfigError) {
            err(`error: ${e.message}\n`);
            return EXIT.usage;
        }
        throw e;
    }
}

if (require.main === module) {
    main(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s)).then(
        (code) => process.stdout.write("", () => process.exit(code)),
        (e: unknown) => {
            process.stderr.write(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
            process.exit(70);
        },
    );
}
