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
    buildKey(root?: string): string;
    hashInputs(files: readonly string[], root?: string): string | null;
    hashTree(dirs: readonly string[], root?: string): string;
    isFresh(key: string, cacheDir?: string, root?: string): boolean;
    listSources(dirs: readonly string[], root?: string): string[];
    sourceDirs(inputs: readonly string[]): string[];
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
        const manifest = (key: string, inputs: string[], sha: string | null) => {
            const dirs = fast.sourceDirs(inputs);
            fs.writeFileSync(path.join(cache, "manifest.json"), JSON.stringify({ key, inputs, inputs_sha256: sha, tree: { dirs, sha256: fast.hashTree(dirs, root) } }));
        };

        beforeEach(() => {
            root = fs.mkdtempSync(path.join(os.tmpdir(), "plan-fast-"));
            cache = path.join(root, "cache");
            fs.mkdirSync(cache);
            write("a.ts", "export const a = 1;\n");
            write("b.json", "{}\n");
            fs.mkdirSync(path.join(root, "src", "deep"), { recursive: true });
            fs.mkdirSync(path.join(root, "test"));
            write("src/deep/c.ts", "export const c = 1;\n");
            fs.writeFileSync(path.join(cache, "cli.js"), "");
            manifest("k1", ["a.ts", "b.json", "src/deep/c.ts"], fast.hashInputs(["a.ts", "b.json", "src/deep/c.ts"], root));
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
        it("stale: a new source file next to a source folder (a stack.ts beside stack/ takes its imports)", () => {
            write("src.ts", "export const shadow = 1;\n");
            assert.equal(fast.isFresh("k1", cache, root), false);
        });
        it("stale: a new .ts, .json, .cjs or .mjs file anywhere under a source folder, or one removed", () => {
            for (const name of ["src/deep/new.ts", "src/x.json", "src/deep/y.cjs", "src/z.mjs"]) {
                write(name, "\n");
                assert.equal(fast.isFresh("k1", cache, root), false, name);
                fs.rmSync(path.join(root, name));
                assert.equal(fast.isFresh("k1", cache, root), true, `${name} removed again`);
            }
            write("src/deep/d.ts", "\n");
            manifest("k1", ["a.ts", "b.json", "src/deep/c.ts"], fast.hashInputs(["a.ts", "b.json", "src/deep/c.ts"], root));
            assert.equal(fast.isFresh("k1", cache, root), true);
            fs.rmSync(path.join(root, "src", "deep", "d.ts"));
            assert.equal(fast.isFresh("k1", cache, root), false, "a removed file that was not an input");
        });
        it("fresh (controls): a new file outside the source folders, in node_modules or .cache, or not a source (README.md)", () => {
            fs.mkdirSync(path.join(root, "src", "node_modules"));
            fs.mkdirSync(path.join(root, "src", ".cache"));
            for (const name of ["test/t.ts", "src/node_modules/m.ts", "src/.cache/k.json", "README.md", "src/notes.md"]) write(name, "\n");
            assert.equal(fast.isFresh("k1", cache, root), true);
        });
        it("the build key covers tsconfig.json and package.json (esbuild reads both), and only what changed them", () => {
            write("tsconfig.json", '{"compilerOptions":{}}\n');
            write("package.json", '{"name":"x"}\n');
            write("package-lock.json", "{}\n");
            const key = fast.buildKey(root);
            write("README.md", "x\n");
            write("src/deep/c.ts", "export const c = 2;\n");
            assert.equal(fast.buildKey(root), key, "control: other files are the inputs' business, not the key's");
            write("tsconfig.json", '{"compilerOptions":{"useDefineForClassFields":false}}\n');
            const afterTsconfig = fast.buildKey(root);
            assert.notEqual(afterTsconfig, key);
            write("package.json", '{"name":"x","type":"module"}\n');
            assert.notEqual(fast.buildKey(root), afterTsconfig);
            fs.rmSync(path.join(root, "tsconfig.json"));
            assert.notEqual(fast.buildKey(root), afterTsconfig, "a removed tsconfig.json is a change too");
        });
        it("the source folders: the project's own files and each top-level folder an input is in", () => {
            assert.deepEqual(fast.sourceDirs(["index.ts", "plan/cli.ts", "policies/cost/x.ts", "plan/run.ts"]), [".", "plan", "policies"]);
            assert.deepEqual(fast.listSources(fast.sourceDirs(["a.ts", "src/deep/c.ts"]), root), ["a.ts", "b.json", "src/deep/c.ts"]);
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
