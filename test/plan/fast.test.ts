import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../plan/cli";
import { PROJECT_DIR } from "../helpers/program";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const fast = require("../../plan/fast.cjs") as {
    hashInputs(files: readonly string[], root?: string): string | null;
    isFresh(key: string, cacheDir?: string, root?: string): boolean;
};

async function inProcess(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const code = await main(args, (s) => (out += s), (s) => (err += s));
    return { code, out, err };
}

describe("npm run plan: plan/cli.ts from the cached bundle (plan/fast.cjs, issue 21)", function () {
    this.timeout(300000);

    for (const args of [["--stack", "dev", "--json"], ["--stack", "ha"], ["--stack", "prod", "--markdown"]]) {
        it(`prints the same bytes and exit code as plan/cli.ts from source: ${args.join(" ")}`, async () => {
            const bundled = spawnSync(process.execPath, ["plan/fast.cjs", ...args], { cwd: PROJECT_DIR, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
            const source = await inProcess(args);
            assert.equal(bundled.status, source.code, bundled.stderr);
            assert.ok(bundled.stdout.length > 1000, "a real plan, not an empty one on both sides");
            assert.equal(bundled.stdout, source.out);
        });
    }

    it("a config error exits 2 with the same message as from source, and no stack trace", async () => {
        const bundled = spawnSync(process.execPath, ["plan/fast.cjs", "--stack", "no-such-stack"], { cwd: PROJECT_DIR, encoding: "utf8" });
        const source = await inProcess(["--stack", "no-such-stack"]);
        assert.equal(source.code, 2);
        assert.equal(bundled.status, 2);
        assert.equal(bundled.stderr, source.err);
        assert.doesNotMatch(bundled.stderr, /\n\s+at /);
    });

    describe("the bundle is reused only while every file it was built from is unchanged", () => {
        let root: string;
        let cache: string;
        const write = (name: string, text: string) => fs.writeFileSync(path.join(root, name), text);
        const manifest = (key: string, inputs: string[], sha: string | null) =>
            fs.writeFileSync(path.join(cache, "manifest.json"), JSON.stringify({ key, inputs, inputs_sha256: sha }));

        beforeEach(() => {
            root = fs.mkdtempSync(path.join(os.tmpdir(), "plan-fast-"));
            cache = path.join(root, "cache");
            fs.mkdirSync(cache);
            write("a.ts", "export const a = 1;\n");
            write("b.json", "{}\n");
            fs.writeFileSync(path.join(cache, "cli.js"), "");
            manifest("k1", ["a.ts", "b.json"], fast.hashInputs(["a.ts", "b.json"], root));
        });
        afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

        it("fresh: same key, same contents", () => {
            assert.equal(fast.isFresh("k1", cache, root), true);
        });
        it("stale: one input's contents changed (one byte)", () => {
            write("a.ts", "export const a = 2;\n");
            assert.equal(fast.isFresh("k1", cache, root), false);
        });
        it("stale: an input is gone", () => {
            fs.rmSync(path.join(root, "b.json"));
            assert.equal(fast.isFresh("k1", cache, root), false);
        });
        it("stale: the build key changed (launcher, lockfile, esbuild or Node major)", () => {
            assert.equal(fast.isFresh("k2", cache, root), false);
        });
        it("stale: the bundle itself is missing, or the manifest is unreadable", () => {
            fs.rmSync(path.join(cache, "cli.js"));
            assert.equal(fast.isFresh("k1", cache, root), false);
            fs.writeFileSync(path.join(cache, "cli.js"), "");
            fs.writeFileSync(path.join(cache, "manifest.json"), "{not json");
            assert.equal(fast.isFresh("k1", cache, root), false);
        });
        it("the hash covers names as well as contents (a renamed input is a change)", () => {
            const sha = crypto.createHash("sha256").update("x").digest("hex");
            assert.notEqual(fast.hashInputs(["a.ts"], root), sha);
            write("c.ts", "export const a = 1;\n");
            assert.notEqual(fast.hashInputs(["c.ts"], root), fast.hashInputs(["a.ts"], root));
        });
    });

    it("the cached bundle's manifest lists index.ts, plan/cli.ts and the policy pack among its inputs", () => {
        // Built by the spawns above; a bundle without the program would plan nothing.
        const dir = path.join(PROJECT_DIR, ".cache", "plan", `node${process.versions.node.split(".")[0]}`);
        const m = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")) as { inputs: string[] };
        for (const f of ["index.ts", "plan/cli.ts", "policies/evaluate.ts"]) assert.ok(m.inputs.includes(f), `${f} missing from ${m.inputs.length} inputs`);
        assert.equal(fast.hashInputs(m.inputs), (JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")) as { inputs_sha256: string }).inputs_sha256);
    });
});
