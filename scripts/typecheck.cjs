"use strict";
// `npm run typecheck`: TypeScript 7's native compiler (the typescript-7 alias) on the project's
// tsconfig.json, with one type-checker per core. The compiler starts 4 checkers by default, more
// than a 2-core machine runs at once: there, one per core type-checked this project about 15%
// faster (issue 21, paired runs). On 4 cores or more this is the compiler's own default.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const ROOT = path.resolve(__dirname, "..");
const TSC7 = path.join(ROOT, "node_modules", "typescript-7", "bin", "tsc");
/** The native compiler's default number of checkers per project. */
const DEFAULT_CHECKERS = 4;

/** One checker per core the process may use, from 1 up to the compiler's default. */
function checkersFor(parallelism) {
    return Math.max(1, Math.min(DEFAULT_CHECKERS, Math.floor(parallelism) || 1));
}

/** The node arguments of the type-check, as `npm run typecheck` and `npm run bench` run it. */
function typecheckArgs(parallelism = os.availableParallelism()) {
    return [TSC7, "--noEmit", "-p", path.join(ROOT, "tsconfig.json"), "--checkers", String(checkersFor(parallelism))];
}

module.exports = { checkersFor, typecheckArgs, DEFAULT_CHECKERS };

if (require.main === module) {
    if (!fs.existsSync(TSC7)) {
        process.stderr.write("typecheck: TypeScript 7's compiler is not installed (node_modules/typescript-7); run npm ci\n");
        process.exit(2);
    }
    const args = [...typecheckArgs(), ...process.argv.slice(2)];
    // Where Node can (22.15 and later), this process becomes the compiler's, as its own launcher
    // does: signals reach it and its exit code is the command's. Otherwise a child, whose exit
    // code, or the signal that ended it, is passed on.
    if (typeof process.execve === "function") {
        try {
            process.execve(process.execPath, [process.execPath, ...args]);
        } catch {
            // not permitted here: run it as a child
        }
    }
    const run = spawnSync(process.execPath, args, { stdio: "inherit" });
    if (run.signal) process.kill(process.pid, run.signal);
    process.exitCode = run.status ?? 1;
}
