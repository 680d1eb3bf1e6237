import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { PROJECT_DIR } from "./program";

describe("test/helpers/scratch.ts: the tests' temporary folders are removed when their process exits", () => {
    /** Runs `body` in a new Node process with tsx and returns what it printed. */
    const inChild = (body: string): string =>
        execFileSync(process.execPath, ["-r", "tsx/cjs", "-e", body], { cwd: PROJECT_DIR, encoding: "utf8" }).trim();

    it("a scratch folder, with files in it, is gone once the process has exited", () => {
        const dir = inChild(`const d = require("./test/helpers/scratch").scratchDir("scratch-test-"); require("fs").writeFileSync(d + "/f", "x"); console.log(d);`);
        assert.match(dir, /scratch-test-/);
        assert.equal(fs.existsSync(dir), false);
    });

    it("control: a folder made with mkdtempSync alone is still there", () => {
        const dir = inChild(`console.log(require("fs").mkdtempSync(require("path").join(require("os").tmpdir(), "scratch-control-")));`);
        try {
            assert.equal(fs.existsSync(dir), true);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
