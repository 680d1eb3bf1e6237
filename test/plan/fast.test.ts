import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../plan/cli";
import { BreakerCloud, breakerBundle } from "../../functions/breaker/bundle";
import { PLAN_NODE_FLAGS } from "../../stack/guard";
import { PROJECT_DIR } from "../helpers/program";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const fast = require("../../plan/fast.cjs") as {
    buildBreakers(): Promise<{ code: Record<BreakerCloud, string> }>;
    buildKey(root?: string): string;
    sourceRecorder(root?: string): { readonly raced: boolean; record(file: string, source: string): void };
    cleanStaleTmp(cacheDir: string, now?: number): void;
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

    it("npm run plan runs the launcher with the plan's Node flags, as the program's cost check does (stack/guard.ts)", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as { scripts: Record<string, string> };
        assert.ok(PLAN_NODE_FLAGS.length > 0);
        assert.equal(pkg.scripts.plan, `node ${PLAN_NODE_FLAGS.join(" ")} plan/fast.cjs`);
    });

    it("the breaker functions built into the plan's bundle are byte for byte what pulumi up deploys (built at run time)", async () => {
        const built = await fast.buildBreakers();
        for (const cloud of ["gcp", "aws", "azure"] as const) {
            assert.ok(built.code[cloud].length > 1000, cloud);
            assert.equal(built.code[cloud], breakerBundle(cloud), cloud);
        }
    });

    it("a source read twice with different contents (saved during a build) marks the build as raced; the same contents do not", () => {
        const same = fast.sourceRecorder(PROJECT_DIR);
        same.record(path.join(PROJECT_DIR, "a.ts"), "x");
        same.record(path.join(PROJECT_DIR, "a.ts"), "x");
        assert.equal(same.raced, false);
        const edited = fast.sourceRecorder(PROJECT_DIR);
        edited.record(path.join(PROJECT_DIR, "a.ts"), "x");
        edited.record(path.join(PROJECT_DIR, "a.ts"), "y");
        assert.equal(edited.raced, true);
    });

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
            const bundle = crypto.createHash("sha256").update(fs.readFileSync(path.join(cache, "cli.js"))).digest("hex");
            fs.writeFileSync(path.join(cache, "manifest.json"), JSON.stringify({ key, bundle_sha256: bundle, inputs, inputs_sha256: sha, tree: { dirs, sha256: fast.hashTree(dirs, root) } }));
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
            fs.writeFileSync(path.join(cache, "cli.js"), "// bundle A\n");
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
            fs.writeFileSync(path.join(cache, "cli.js"), "// bundle A\n");
            assert.equal(fast.isFresh("k1", cache, root), true, "control: the same bundle back");
            fs.writeFileSync(path.join(cache, "manifest.json"), "{not json");
            assert.equal(fast.isFresh("k1", cache, root), false);
        });
        it("stale: the bundle is not the one the manifest describes (a racing build from other sources wrote it)", () => {
            fs.writeFileSync(path.join(cache, "cli.js"), "// bundle B\n");
            assert.equal(fast.isFresh("k1", cache, root), false);
            fs.writeFileSync(path.join(cache, "cli.js"), "// bundle A\n");
            assert.equal(fast.isFresh("k1", cache, root), true, "control");
        });
        it("a killed build's temporary files are removed; a live build's (and this process's) are kept", () => {
            const dead = 999999999; // above any pid Linux hands out (pid_max <= 2^22)
            const names = [`cli.js.${dead}.tmp`, `manifest.json.${dead}.tmp`, `cli.js.${process.pid}.tmp`, `cli.js.${process.ppid}.tmp`, "keep.tmp.txt"];
            for (const n of names) fs.writeFileSync(path.join(cache, n), "x");
            const old = path.join(cache, `cli.js.map.${process.ppid}.tmp`);
            fs.writeFileSync(old, "x");
            fs.utimesSync(old, new Date(Date.now() - 2 * 3600e3), new Date(Date.now() - 2 * 3600e3));
            fast.cleanStaleTmp(cache);
            const left = fs.readdirSync(cache).sort();
            assert.deepEqual(left, ["cli.js", `cli.js.${process.pid}.tmp`, `cli.js.${process.ppid}.tmp`, "keep.tmp.txt", "manifest.json"].sort());
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
            fs.mkdirSync(path.join(root, "node_modules"));
            write("node_modules/.package-lock.json", "{}\n");
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
            const afterRemoval = fast.buildKey(root);
            assert.notEqual(afterRemoval, afterTsconfig, "a removed tsconfig.json is a change too");
            // npm rewrites its hidden lockfile at every install: the breakers' bundles carry copies of their dependencies.
            write("node_modules/.package-lock.json", '{"packages":{"node_modules/yaml":{"version":"9.9.9"}}}\n');
            assert.notEqual(fast.buildKey(root), afterRemoval, "a new install is a change");
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

    it("end to end in a copy of the project: a tsconfig.json option, package.json, or a new file beside a source folder rebuilds; nothing changed reuses", async () => {
        const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "plan-fast-e2e-"));
        // The system's temporary folder, for this test: a writable checkout must leave nothing there.
        const tmpdir = process.env.TMPDIR;
        try {
            process.env.TMPDIR = path.join(scratch, "tmp");
            fs.mkdirSync(process.env.TMPDIR);
            const root = path.join(scratch, "project");
            const skip = new Set(["node_modules", ".git", ".cache", ".tools", ".venv-ray", "test", "bench", "scripts"]);
            fs.cpSync(PROJECT_DIR, root, { recursive: true, filter: (src) => !skip.has(path.relative(PROJECT_DIR, src).split(path.sep)[0]) });
            fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(root, "node_modules"));
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const copy = require(path.join(root, "plan", "fast.cjs")) as { ensureBundle(): Promise<{ code: string; built: boolean; filename: string }> };
            const first = await copy.ensureBundle();
            assert.equal(first.built, true);
            assert.equal(path.dirname(path.dirname(path.dirname(first.filename))), path.join(root, ".cache"));
            assert.equal((await copy.ensureBundle()).built, false, "control: nothing changed, the bundle is reused");
            const tsconfig = path.join(root, "tsconfig.json");
            const options = JSON.parse(fs.readFileSync(tsconfig, "utf8")) as { compilerOptions: Record<string, unknown> };
            fs.writeFileSync(tsconfig, JSON.stringify({ ...options, compilerOptions: { ...options.compilerOptions, useDefineForClassFields: false } }, null, 2));
            const afterTsconfig = await copy.ensureBundle();
            assert.equal(afterTsconfig.built, true, "tsconfig.json changed");
            assert.notEqual(afterTsconfig.code, first.code, "the option does change esbuild's output: the old bundle was stale, not just old");
            const pkg = path.join(root, "package.json");
            fs.writeFileSync(pkg, fs.readFileSync(pkg, "utf8").replace('"version": "0.1.0"', '"version": "0.1.1"'));
            assert.equal((await copy.ensureBundle()).built, true, "package.json changed");
            fs.writeFileSync(path.join(root, "stack.ts"), 'export * from "./stack/index";\n');
            assert.equal((await copy.ensureBundle()).built, true, "stack.ts added beside stack/");
            assert.equal((await copy.ensureBundle()).built, false, "control: reused again once rebuilt");
            fs.rmSync(path.join(root, "stack.ts"));
            assert.equal((await copy.ensureBundle()).built, true, "stack.ts removed");
            assert.deepEqual(fs.readdirSync(process.env.TMPDIR), [], "a writable checkout made a folder in the temporary folder");
        } finally {
            if (tmpdir === undefined) delete process.env.TMPDIR;
            else process.env.TMPDIR = tmpdir;
            fs.rmSync(scratch, { recursive: true, force: true });
        }
    });

    describe("a project folder that cannot be written: the plan still runs, never a stack trace", () => {
        let scratch: string;
        let reference: string;
        const blocked = () => {
            // A path under a regular FILE: mkdir fails with ENOTDIR even for root (tests may run as
            // root, whom chmod 0555 does not stop).
            const file = path.join(scratch, "a-file");
            fs.writeFileSync(file, "");
            return path.join(file, "cache");
        };
        // Node's compile cache for the dependencies, shared with the project's own plans (where
        // plan/fast.cjs keeps it): these runs are about where the bundle goes, and compiling the
        // SDK afresh in each was most of their time. With it set, the launcher's own compile cache
        // is off, so not where nothing may be written, nor in an untrusted folder.
        const sharedCompileCache = { NODE_COMPILE_CACHE: path.join(PROJECT_DIR, ".cache", "node-compile-cache") };
        // The smallest committed stack (one target, about two thirds of dev's time to plan): these
        // runs are about where the bundle is kept and that it runs whole from there, not what it plans.
        const STACK = "staging";
        const plan = (env: Record<string, string>, opts: { compileCache?: boolean } = {}) =>
            spawnSync(process.execPath, ["plan/fast.cjs", "--stack", STACK, "--json"], {
                cwd: PROJECT_DIR,
                encoding: "utf8",
                env: { ...process.env, ...(opts.compileCache === false ? {} : sharedCompileCache), ...env },
                maxBuffer: 64 * 1024 * 1024,
            });
        const tmpBases = (tmp: string) => fs.readdirSync(tmp).filter((n) => n.startsWith("llm-serving-plan-"));
        before(async () => {
            reference = (await inProcess(["--stack", STACK, "--json"])).out;
            assert.ok(reference.length > 1000, "a real plan");
        });
        beforeEach(() => {
            scratch = fs.mkdtempSync(path.join(os.tmpdir(), "plan-fast-ro-"));
        });
        afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

        it("the project's cache cannot be made: the bundle goes to a private folder in the system's temporary folder, and is reused from there", () => {
            const tmp = path.join(scratch, "tmp");
            fs.mkdirSync(tmp);
            const first = plan({ LLM_SERVING_PLAN_CACHE: blocked(), TMPDIR: tmp });
            assert.equal(first.status, 0, first.stderr);
            assert.equal(first.stderr, "");
            assert.equal(first.stdout, reference);
            const [base] = tmpBases(tmp);
            assert.ok(base, "no llm-serving-plan-* folder in TMPDIR");
            const st = fs.statSync(path.join(tmp, base));
            assert.equal(st.mode & 0o077, 0, "only its owner may read or change a folder whose code is run");
            const bundle = path.join(tmp, base, "plan", `node${process.versions.node.split(".")[0]}`, "cli.js");
            const built = fs.statSync(bundle).mtimeMs;
            const second = plan({ LLM_SERVING_PLAN_CACHE: blocked(), TMPDIR: tmp });
            assert.equal(second.status, 0, second.stderr);
            assert.equal(second.stdout, reference);
            assert.equal(fs.statSync(bundle).mtimeMs, built, "the second run rebuilt instead of reusing");
        });
        it("nothing can be written anywhere: built and run from memory, same bytes, exit 0, nothing left", () => {
            const r = plan({ LLM_SERVING_PLAN_CACHE: blocked(), TMPDIR: path.join(scratch, "a-file", "tmp") }, { compileCache: false });
            assert.equal(r.status, 0, r.stderr);
            assert.equal(r.stderr, "");
            assert.doesNotMatch(r.stderr, /EACCES|ENOTDIR|\n\s+at /);
            assert.equal(r.stdout, reference);
            assert.deepEqual(fs.readdirSync(scratch), ["a-file"]);
        });
        it("a temporary folder of that name that someone else can write is not used (its code would be run)", () => {
            const tmp = path.join(scratch, "tmp");
            fs.mkdirSync(tmp);
            // Learn the folder's name from a first run, then make it world-writable, as another user's would be.
            assert.equal(plan({ LLM_SERVING_PLAN_CACHE: blocked(), TMPDIR: tmp }).status, 0);
            const [base] = tmpBases(tmp);
            fs.rmSync(path.join(tmp, base), { recursive: true });
            fs.mkdirSync(path.join(tmp, base));
            fs.chmodSync(path.join(tmp, base), 0o777);
            // Without the shared compile cache: the launcher's own must not go there either.
            const r = plan({ LLM_SERVING_PLAN_CACHE: blocked(), TMPDIR: tmp }, { compileCache: false });
            assert.equal(r.status, 0, r.stderr);
            assert.equal(r.stdout, reference);
            assert.deepEqual(fs.readdirSync(path.join(tmp, base)), [], "wrote into a folder it does not trust");
        });
        it("a checkout whose .cache cannot be a folder (a copy of the project with a FILE named .cache): exit 0, same bytes", () => {
            const root = path.join(scratch, "project");
            const skip = new Set(["node_modules", ".git", ".cache", ".tools", ".venv-ray", "test", "bench", "scripts"]);
            fs.cpSync(PROJECT_DIR, root, { recursive: true, filter: (src) => path.relative(PROJECT_DIR, src).split(path.sep).every((part, i) => i > 0 || !skip.has(part)) });
            fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(root, "node_modules"));
            fs.writeFileSync(path.join(root, ".cache"), "");
            const env: Record<string, string | undefined> = { ...process.env, ...sharedCompileCache, TMPDIR: path.join(scratch, "a-file", "tmp") };
            delete env.LLM_SERVING_PLAN_CACHE;
            blocked();
            const r = spawnSync(process.execPath, [path.join(root, "plan", "fast.cjs"), "--stack", STACK, "--json"], { cwd: root, encoding: "utf8", env, maxBuffer: 64 * 1024 * 1024 });
            assert.equal(r.status, 0, r.stderr);
            assert.equal(r.stderr, "");
            assert.equal(r.stdout, reference);
        });
        it("a read-only .cache (chmod 0555, as a user other than root)", function () {
            if (process.getuid?.() === 0) this.skip(); // root writes through 0555; covered by the tests above
            const cache = path.join(scratch, "cache");
            fs.mkdirSync(cache, { mode: 0o555 });
            const r = plan({ LLM_SERVING_PLAN_CACHE: cache, TMPDIR: path.join(scratch, "a-file", "tmp") });
            assert.equal(r.status, 0, r.stderr);
            assert.equal(r.stdout, reference);
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
