// `npm run policy:publish -- --org <org> --env <env>`: publishes the pack to Pulumi Cloud and
// enables it in the environment's policy group WITH the repo's policies/config/<env>.json, so the
// cap the service enforces is the cap the repo reviews (issue 15: the repo is the source; a cap
// edited in the console is overwritten by the next publish).
//
// The two commands, as Pulumi's CLI reference gives them (pulumi.com/docs/iac/cli/commands/
// pulumi_policy_publish and pulumi_policy_enable):
//   pulumi policy publish [org-name]                       (run in the pack's directory)
//   pulumi policy enable <org-name>/<policy-pack-name> <latest|version> --policy-group <group> --config <file>
// The version enabled is the pack's package.json version: it is the version the service records
// for a publish (the CLI reads it from package.json; it has no flag to set it), so it is also the
// version to enable. When the publish output names a version, that one is used: the CLI prints
// `Publishing "<name>" - version <v> to "<org>"` before it sends the pack (so a refused publish
// names it too); "Published as version <v>", the output an older Pulumi tutorial shows, is read
// as well.
// The service refuses to publish a version twice ("[400] Bad Request: Policy Pack: <name>,
// Version Tag: <v> already exists"); that refusal is not a failure here: a change to the config
// alone (the usual case: a cap edited in policies/config/<env>.json) must still reach the group, so
// the script goes on to enable the already-published version with the config. A change to the
// pack's code still needs a version bump in policies/package.json, or the group keeps running the
// old code (the script says so when it skips the publish).
import { spawnSync, SpawnSyncReturns } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { Command, CommanderError } from "commander";
import { evaluatePolicies, PACK_NAME } from "../policies/evaluate";
import { PolicyConfigError } from "../policies/packConfig";

/** Exit codes: 0 published and enabled; 1 a `pulumi` command failed or is missing; 2 usage. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const PROJECT_DIR = path.resolve(__dirname, "..");
const POLICIES_DIR = path.join(PROJECT_DIR, "policies");

/**
 * Names passed to `pulumi` as arguments: letters, digits, '-', '_' and '.', not starting with '-'
 * (so a value can never be read as a flag). Pulumi's own rules are no looser for organisations and
 * policy groups that a script would target; a name outside this set is refused here, not guessed.
 */
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;
const NAME_RULE = "1-100 letters, digits, '-', '_' or '.', not starting with '-' or '.'";

export class UsageError extends Error {}

export interface PublishPlan {
    readonly org: string;
    readonly env: string;
    readonly group: string;
    readonly pack: string;
    readonly version: string;
    /** Absolute path of policies/config/<env>.json. */
    readonly configFile: string;
    /** Each command: argv after `pulumi`, and the directory it runs in. */
    readonly commands: ReadonlyArray<{ readonly args: readonly string[]; readonly cwd: string }>;
}

/** The environments that have a policy config: policies/config/<env>.json. */
export function policyEnvironments(policiesDir = POLICIES_DIR): string[] {
    return fs
        .readdirSync(path.join(policiesDir, "config"))
        .map((f) => /^(.+)\.json$/.exec(f)?.[1])
        .filter((e): e is string => e !== undefined)
        .sort();
}

/** The pack's name and version as `pulumi policy publish` reads them (policies/package.json). */
export function packIdentity(policiesDir = POLICIES_DIR): { name: string; version: string } {
    const pkg = JSON.parse(fs.readFileSync(path.join(policiesDir, "package.json"), "utf8")) as { name?: unknown; version?: unknown };
    if (typeof pkg.name !== "string" || typeof pkg.version !== "string") throw new Error(`${path.join(policiesDir, "package.json")}: name and version are required`);
    // The service knows the pack by the name it registers (new PolicyPack(PACK_NAME)); a package
    // name that differs would enable a pack nobody published.
    if (pkg.name !== PACK_NAME) throw new Error(`policies/package.json name ${pkg.name} differs from the pack's name ${PACK_NAME}`);
    return { name: pkg.name, version: pkg.version };
}

/** Validates the options and returns the commands to run, or throws UsageError. */
export function publishPlan(opts: { org: string; env: string; policyGroup?: string }, policiesDir = POLICIES_DIR): PublishPlan {
    const checkName = (flag: string, value: string) => {
        if (!NAME.test(value)) throw new UsageError(`${flag}: got ${JSON.stringify(value.slice(0, 100))}; allowed: ${NAME_RULE}`);
    };
    checkName("--org", opts.org);
    const envs = policyEnvironments(policiesDir);
    if (!envs.includes(opts.env)) {
        throw new UsageError(`--env: got ${JSON.stringify(opts.env.slice(0, 100))}; allowed: ${envs.join(", ")} (one per policies/config/<env>.json)`);
    }
    const group = opts.policyGroup ?? opts.env;
    checkName("--policy-group", group);
    const { name, version } = packIdentity(policiesDir);
    const configFile = path.join(policiesDir, "config", `${opts.env}.json`);
    return {
        org: opts.org,
        env: opts.env,
        group,
        pack: name,
        version,
        configFile,
        commands: [
            { args: ["policy", "publish", opts.org], cwd: policiesDir },
            { args: ["policy", "enable", `${opts.org}/${name}`, version, "--policy-group", group, "--config", configFile], cwd: PROJECT_DIR },
        ],
    };
}

/** The SHA-256 of the config's bytes: the plan's --json `policyConfig.sha256` of the same file. */
export function configDigest(file: string): string {
    return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** A policy config the pack itself refuses is refused before anything is published. */
async function checkConfig(file: string): Promise<void> {
    let config: Record<string, unknown>;
    try {
        const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
        if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new UsageError(`${path.relative(PROJECT_DIR, file)}: must hold one JSON object`);
        config = parsed as Record<string, unknown>;
    } catch (e) {
        if (e instanceof SyntaxError) throw new UsageError(`${path.relative(PROJECT_DIR, file)}: not valid JSON (${e.message})`);
        throw e;
    }
    try {
        await evaluatePolicies([], config);
    } catch (e) {
        // The pack's messages never print a value that may be a secret (policies/packConfig.ts).
        if (e instanceof PolicyConfigError) throw new UsageError(`${path.relative(PROJECT_DIR, file)}: ${e.message}`);
        throw e;
    }
}

export type Runner = (args: readonly string[], cwd: string) => SpawnSyncReturns<string>;

/**
 * Runs `pulumi` from PATH with stdin attached (it may prompt for a login); stdout and stderr are
 * read (the published version; the service's "already exists" refusal), then passed on.
 */
export const runPulumi: Runner = (args, cwd) => spawnSync("pulumi", args, { cwd, stdio: ["inherit", "pipe", "pipe"], encoding: "utf8" });

/** The version `pulumi policy publish` says it publishes, if it says (the CLI's wording, or the tutorial's). */
export function publishedVersion(stdout: string): string | undefined {
    return (/Publishing "[^"]*" - version (\S+) to /.exec(stdout) ?? /Published as version (\S+)/.exec(stdout))?.[1];
}

/** The version the service says it already has, when it refuses a publish for that reason. */
export function alreadyPublishedVersion(output: string): string | undefined {
    return /Version Tag: (\S+?),? already exists/.exec(output)?.[1];
}

/** The script; returns the exit code and writes to the given streams. */
export async function main(
    argv: readonly string[],
    out: (s: string) => void,
    err: (s: string) => void,
    run: Runner = runPulumi,
    policiesDir: string = POLICIES_DIR,
): Promise<number> {
    const program = new Command("policy:publish")
        .description("Publish the policy pack to Pulumi Cloud and enable it in a policy group with the repo's policies/config/<env>.json.")
        .requiredOption("--org <org>", "Pulumi Cloud organization")
        .requiredOption("--env <env>", "environment: the policy config policies/config/<env>.json")
        .option("--policy-group <group>", "policy group to enable the pack in (default: the environment's name)")
        .option("--dry-run", "print the commands instead of running them")
        .exitOverride()
        .configureOutput({ writeOut: out, writeErr: err });
    let opts: { org: string; env: string; policyGroup?: string; dryRun?: boolean };
    try {
        program.parse(argv as string[], { from: "user" });
        opts = program.opts();
    } catch (e) {
        if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
        throw e;
    }
    let plan: PublishPlan;
    try {
        plan = publishPlan(opts, policiesDir);
        await checkConfig(plan.configFile);
    } catch (e) {
        if (e instanceof UsageError) {
            err(`error: ${e.message}\n`);
            return EXIT.usage;
        }
        throw e;
    }
    const shown = (args: readonly string[]) => ["pulumi", ...args].map((a) => path.isAbsolute(a) ? path.relative(PROJECT_DIR, a) : a).join(" ");
    let version = plan.version;
    for (const c of plan.commands) {
        // The enable step names the version the publish step reported.
        const args = c.args[1] === "enable" ? c.args.map((a, i) => (i === 3 ? version : a)) : c.args;
        out(`$ ${c.cwd === policiesDir ? "(cd policies && " : ""}${shown(args)}${c.cwd === policiesDir ? ")" : ""}\n`);
        if (opts.dryRun) continue;
        const result = run(args, c.cwd);
        if (typeof result.stdout === "string" && result.stdout !== "") out(result.stdout);
        if (typeof result.stderr === "string" && result.stderr !== "") err(result.stderr);
        if (result.error) {
            const missing = (result.error as NodeJS.ErrnoException).code === "ENOENT";
            err(`error: ${missing ? "the pulumi CLI is not on PATH (https://www.pulumi.com/docs/install/)" : `could not run pulumi: ${result.error.message}`}\n`);
            return EXIT.failed;
        }
        const existing = args[1] === "publish" && result.status !== 0 ? alreadyPublishedVersion(`${result.stdout ?? ""}\n${result.stderr ?? ""}`) : undefined;
        if (existing !== undefined) {
            // A config-only change: the version is already in the service, and enabling it again
            // with the repo's config is exactly what this run is for.
            version = existing;
            out(`${plan.pack} ${existing} is already published; enabling it with the config (if the pack's code changed, bump the version in policies/package.json and run this again)\n`);
            continue;
        }
        if (result.status !== 0) {
            // Nothing after a failed step runs: enabling a version that was not published would
            // leave the group on whatever it had, while this script claimed success.
            err(`error: \`${shown(args)}\` failed (exit ${result.status ?? `signal ${result.signal}`}); nothing after it was run\n`);
            return EXIT.failed;
        }
        if (args[1] === "publish") version = publishedVersion(result.stdout ?? "") ?? version;
    }
    out(
        opts.dryRun
            ? `dry run: nothing was run\n`
            : `${plan.pack} ${version} is enabled in policy group ${plan.group} of ${plan.org} with ${path.relative(PROJECT_DIR, plan.configFile)} (sha256 ${configDigest(plan.configFile)})\n`,
    );
    return EXIT.ok;
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
