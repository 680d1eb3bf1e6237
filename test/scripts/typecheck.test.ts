import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_DIR } from "../helpers/program";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const typecheck = require("../../scripts/typecheck.cjs") as {
    checkersFor(parallelism: number): number;
    typecheckArgs(parallelism?: number): string[];
    DEFAULT_CHECKERS: number;
};

describe("npm run typecheck: TypeScript 7 with one checker per core (scripts/typecheck.cjs, issue 21)", () => {
    it("one checker per core, at least 1, at most the compiler's default of 4", () => {
        assert.equal(typecheck.DEFAULT_CHECKERS, 4);
        const rows: Array<[number, number]> = [[1, 1], [2, 2], [3, 3], [4, 4], [16, 4], [0, 1], [Number.NaN, 1]];
        for (const [cores, checkers] of rows) assert.equal(typecheck.checkersFor(cores), checkers, String(cores));
    });

    it("runs the native compiler on the project's tsconfig.json without emitting, with that many checkers", () => {
        const args = typecheck.typecheckArgs(2);
        assert.equal(args[0], path.join(PROJECT_DIR, "node_modules", "typescript-7", "bin", "tsc"));
        assert.ok(fs.existsSync(args[0]), "typescript-7 is installed (npm ci)");
        assert.deepEqual(args.slice(1), ["--noEmit", "-p", path.join(PROJECT_DIR, "tsconfig.json"), "--checkers", "2"]);
    });

    it("is what npm run typecheck runs, and what npm run bench times", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as { scripts: Record<string, string> };
        assert.equal(pkg.scripts.typecheck, "node scripts/typecheck.cjs");
        assert.match(fs.readFileSync(path.join(PROJECT_DIR, "bench", "run.ts"), "utf8"), /path\.join\(ROOT, "scripts", "typecheck\.cjs"\)/);
    });
});
