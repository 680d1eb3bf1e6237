import { spawnSync, SpawnSyncReturns } from "node:child_process";

/**
 * A real consumer of a generated artifact (nginx, shellcheck, cloud-init...). `.ci/run` installs
 * each from Debian's packages; a missing tool fails the check rather than skipping it.
 */
export function requireTool(command: string, debianPackage: string): string {
    const found = spawnSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8" });
    const where = found.stdout.trim();
    if (found.status !== 0 || !where) {
        throw new Error(`${command} is not installed: apt-get install ${debianPackage} (.ci/run does this)`);
    }
    return where;
}

/** Runs a tool with a time limit; returns its exit status and both streams. */
export function runTool(command: string, args: readonly string[], opts: { input?: string; cwd?: string; timeoutMs?: number } = {}): SpawnSyncReturns<string> {
    return spawnSync(command, args as string[], { encoding: "utf8", input: opts.input, cwd: opts.cwd, timeout: opts.timeoutMs ?? 60_000 });
}
