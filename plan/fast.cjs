"use strict";
// The offline plan without transpiling at every run (issue 21): `npm run plan -- --stack <name>`.
//
// `node --import tsx plan/cli.ts` compiles every TypeScript file of the program on each run, about
// a third of a plan's CPU time. This launcher runs the same plan/cli.ts from one JavaScript bundle
// (esbuild; node_modules left external, but for the breaker functions' own bundles built into it)
// kept in .cache/plan/, and rebuilds the bundle when anything it was built from changes (buildKey,
// isFresh): the manifest holds the SHA-256 of every project file esbuild read, of the list of
// source files in their folders, and of the bundle itself, so a stale bundle, or one a racing
// build paired with another's manifest, is never run; the installed dependencies are in the key.
// A checkout that cannot be written keeps the bundle in a private temporary folder, or builds and
// runs it from memory (ensureBundle). It also turns on Node's compile cache for the bundle and the
// dependencies (V8 code cached on disk, keyed by each file's contents).
//
// Plain CommonJS because it must start before anything can compile TypeScript. Output and exit
// codes are plan/cli.ts's own; `node --import tsx plan/cli.ts` remains the reference and the two
// print the same bytes (test/plan/fast.test.ts).
const crypto = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const NODE_MAJOR = process.versions.node.split(".")[0];
/** Where the bundle is kept instead of the project's .cache/ (a read-only checkout; tests). */
const CACHE_ENV = "LLM_SERVING_PLAN_CACHE";
// One bundle per Node major (its esbuild target), so that runtimes side by side do not rebuild in turn.
const CACHE_DIR = path.join(ROOT, ".cache", "plan", `node${NODE_MAJOR}`);
const BUNDLE = path.join(CACHE_DIR, "cli.js");

/**
 * What a bundle depends on besides its project inputs: this launcher (it holds the build
 * options), the esbuild version and Node major; the dependencies, as locked (package-lock.json)
 * and as installed (node_modules/.package-lock.json, which npm rewrites at every install): the
 * plan loads them at run time, but the breaker functions' bundles carry copies of theirs (the AWS
 * one, yaml), so a new install must rebuild; and what esbuild reads besides the sources:
 * tsconfig.json (its compiler options change the output, e.g. useDefineForClassFields) and
 * package.json (its "type" and "imports" change how files load and resolve). A missing file is
 * hashed as missing.
 */
function buildKey(root = ROOT) {
    const esbuildVersion = require("esbuild/package.json").version;
    const hash = crypto.createHash("sha256");
    hash.update(fs.readFileSync(__filename));
    for (const file of ["package-lock.json", path.join("node_modules", ".package-lock.json"), "package.json", "tsconfig.json"]) {
        let data;
        try {
            data = fs.readFileSync(path.join(root, file));
        } catch {
            data = "\0missing";
        }
        hash.update(file).update("\0").update(data).update("\0");
    }
    hash.update(`esbuild ${esbuildVersion} node ${NODE_MAJOR}`);
    return hash.digest("hex");
}

/** Files esbuild may resolve an import to; a new or removed one can change what an import means. */
const SOURCE_FILE = /\.(ts|json|cjs|mjs)$/;
const SKIPPED_DIRS = new Set(["node_modules", ".cache", ".git"]);

/**
 * The folders a bundle's sources come from: "." (the project's own top-level files, not its
 * subfolders) and every top-level folder holding an input, searched whole.
 */
function sourceDirs(inputs) {
    const dirs = new Set(["."]);
    for (const file of inputs) {
        const parts = file.split(/[\\/]/);
        if (parts.length > 1) dirs.add(parts[0]);
    }
    return [...dirs].sort();
}

/**
 * The sorted paths of the source files in `dirs` (relative to root): the contents of the inputs
 * are hashed, but a file that is not an input yet can still change the bundle once it exists
 * (a stack.ts next to stack/ takes `import "./stack"` from stack/index.ts), and a removed one
 * can move an import elsewhere. So the list of names is part of what a bundle was built from.
 */
function listSources(dirs, root = ROOT) {
    const found = [];
    const walk = (rel, recurse) => {
        let entries;
        try {
            entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
        } catch {
            return;
        }
        for (const e of entries) {
            const child = rel === "." ? e.name : `${rel}/${e.name}`;
            if (e.isDirectory()) {
                if (recurse && !SKIPPED_DIRS.has(e.name)) walk(child, true);
            } else if (SOURCE_FILE.test(e.name)) {
                found.push(child);
            }
        }
    };
    for (const dir of dirs) walk(dir, dir !== ".");
    return found.sort();
}

/** SHA-256 of the list of source files in `dirs`. */
function hashTree(dirs, root = ROOT) {
    return crypto.createHash("sha256").update(listSources(dirs, root).join("\n")).digest("hex");
}

/** SHA-256 over the named files' contents (paths relative to ROOT), or null if one is gone. */
function hashInputs(files, root = ROOT) {
    const hash = crypto.createHash("sha256");
    for (const file of files) {
        let data;
        try {
            data = fs.readFileSync(path.join(root, file));
        } catch {
            return null;
        }
        hash.update(file).update("\0").update(data).update("\0");
    }
    return hash.digest("hex");
}

/**
 * True when the cached bundle was built from exactly the files as they are now: same key, same
 * inputs' contents, and the same source files present in the folders they came from.
 */
function isFresh(key, cacheDir = CACHE_DIR, root = ROOT) {
    return readFresh(key, cacheDir, root) !== null;
}

/**
 * The cached bundle's code if it is fresh (isFresh) and is the very bundle its manifest describes
 * (its SHA-256 is in the manifest: two builds racing from different sources cannot pair one's
 * manifest with the other's bundle); null otherwise. The bytes checked are the bytes run.
 */
function readFresh(key, cacheDir = CACHE_DIR, root = ROOT) {
    let manifest;
    let code;
    try {
        manifest = JSON.parse(fs.readFileSync(path.join(cacheDir, "manifest.json"), "utf8"));
        code = fs.readFileSync(path.join(cacheDir, "cli.js"), "utf8");
    } catch {
        return null;
    }
    const fresh =
        manifest !== null &&
        typeof manifest === "object" &&
        manifest.bundle_sha256 === sha256(code) &&
        manifest.key === key &&
        Array.isArray(manifest.inputs) &&
        manifest.tree !== null &&
        typeof manifest.tree === "object" &&
        Array.isArray(manifest.tree.dirs) &&
        hashTree(manifest.tree.dirs, root) === manifest.tree.sha256 &&
        hashInputs(manifest.inputs, root) === manifest.inputs_sha256;
    return fresh ? code : null;
}

const sha256 = (data) => crypto.createHash("sha256").update(data).digest("hex");

/** The project files the build plugins load themselves (node_modules is left to esbuild). */
const PROJECT_SOURCE = /\.(ts|json|cjs|mjs|js)$/;

/** esbuild's loader for a project file, as it would pick by extension. */
function loaderFor(file) {
    if (file.endsWith(".json")) return "json";
    return file.endsWith(".ts") ? "ts" : "js";
}

/**
 * An esbuild plugin that loads the project's own files itself (node_modules is left to esbuild),
 * records each in `sources` as read, and gives esbuild `contentsFor(source, file)`: the file
 * unchanged by default.
 */
function recordingPlugin(name, sources, contentsFor = (source) => source) {
    return {
        name,
        setup(b) {
            b.onLoad({ filter: PROJECT_SOURCE }, (args) => {
                if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
                const source = fs.readFileSync(args.path, "utf8");
                sources.record(args.path, source);
                return { contents: contentsFor(source, args.path), loader: loaderFor(args.path) };
            });
        },
    };
}

/**
 * The project files the builds read, by path from the project root, with the contents as read;
 * `raced` once a file was read twice with different contents (saved while a build ran).
 */
function sourceRecorder(root = ROOT) {
    const contents = new Map();
    let raced = false;
    return {
        contents,
        get raced() {
            return raced;
        },
        record(file, source) {
            const rel = path.relative(root, file);
            const seen = contents.get(rel);
            if (seen !== undefined && seen !== source) raced = true;
            contents.set(rel, source);
        },
    };
}

/**
 * Bundles plan/cli.ts for `cacheDir`, in memory. Each project file keeps its own
 * __dirname/__filename (stack/guard.ts and plan/*.ts find the project from them;
 * functions/breaker/bundle.ts finds its entries): a declaration is put in front of the file,
 * relative to the bundle's directory so that the cache moves with the checkout. The contents fed
 * to esbuild (here and in the breakers' builds) are the ones hashed, so a file edited while the
 * build runs leaves a manifest that no longer matches, and the next run rebuilds; a file the two
 * builds read differently marks the manifest as never fresh. Resolves to { code, map, manifest }.
 */
async function build(key, cacheDir = CACHE_DIR) {
    const esbuild = require("esbuild");
    const sources = sourceRecorder();
    const breakers = await buildBreakers(ROOT, sources);
    const contents = sources.contents;
    const preserveDirname = recordingPlugin("preserve-dirname", sources, (source, file) => {
        if (file.endsWith(".json") || !/\b__(dirname|filename)\b/.test(source)) return source;
        const dir = JSON.stringify(path.relative(cacheDir, path.dirname(file)));
        const rel = JSON.stringify(path.relative(cacheDir, file));
        // On the first line, so that the source map's line numbers stay the file's own.
        return (
            `const __dirname = require("node:path").join(__planBundleDir, ${dir}); ` +
            `const __filename = require("node:path").join(__planBundleDir, ${rel});` +
            source
        );
    });
    const result = await esbuild.build({
        entryPoints: [path.join(ROOT, "plan", "cli.ts")],
        outfile: path.join(cacheDir, "cli.js"),
        write: false, // written by save(), or run from memory where nothing can be written
        bundle: true,
        platform: "node",
        format: "cjs",
        target: `node${NODE_MAJOR}`,
        packages: "external",
        sourcemap: "linked",
        // The program's run loader (plan/run.ts) requires index.ts from the bundle, not by path;
        // functions/breaker/bundle.ts takes the breaker bundles built here.
        define: { PLAN_BUNDLED: "true", PLAN_BREAKER_BUNDLES: JSON.stringify(breakers.code) },
        banner: { js: "const __planBundleDir = __dirname;" },
        plugins: [preserveDirname],
        metafile: true,
        absWorkingDir: ROOT, // metafile paths are relative to it
        logLevel: "silent",
    });
    // Any project file esbuild read without the plugins (a text import one day) is hashed too, as
    // it is now, so that a change to it is a change to the bundle.
    for (const metafile of [result.metafile, ...breakers.metafiles]) {
        for (const input of Object.keys(metafile.inputs)) {
            if (input.startsWith("<")) continue; // esbuild's name for a large define, not a file
            const rel = path.relative(ROOT, path.resolve(ROOT, input));
            if (rel.startsWith("..") || rel.split(path.sep).includes("node_modules") || contents.has(rel)) continue;
            contents.set(rel, fs.readFileSync(path.join(ROOT, rel), "utf8"));
        }
    }
    const code = result.outputFiles.find((f) => f.path.endsWith(".js")).text;
    const map = result.outputFiles.find((f) => f.path.endsWith(".map")).text;
    const inputs = [...contents.keys()].sort();
    const hash = crypto.createHash("sha256");
    for (const file of inputs) hash.update(file).update("\0").update(contents.get(file)).update("\0");
    const dirs = sourceDirs(inputs);
    // A source that changed between the builds' reads: the bundle may mix both, so it is run
    // this once and never vouched for.
    const inputsSha256 = sources.raced ? "raced: a source changed while the bundle was built" : hash.digest("hex");
    const manifest = { key, bundle_sha256: sha256(code), inputs, inputs_sha256: inputsSha256, tree: { dirs, sha256: hashTree(dirs) } };
    return { code, map, manifest };
}

/**
 * The breaker functions' bundles (functions/breaker/esbuildOptions.cjs), built with the options
 * functions/breaker/bundle.ts uses at run time, so the plan's bundle carries the same bytes
 * instead of starting esbuild at every plan (test/plan/fast.test.ts compares them). The project
 * files they read go to `sources` (sourceRecorder), each loaded as esbuild would load it.
 * Resolves to { code: { <cloud>: text }, metafiles }.
 */
async function buildBreakers(root = ROOT, sources = sourceRecorder()) {
    const esbuild = require("esbuild");
    const { BREAKER_CLOUDS, breakerBuildOptions } = require(path.join(root, "functions", "breaker", "esbuildOptions.cjs"));
    const record = recordingPlugin("record-sources", sources);
    // At once: esbuild runs them side by side.
    const results = await Promise.all(BREAKER_CLOUDS.map((cloud) => esbuild.build({ ...breakerBuildOptions(cloud, root), metafile: true, plugins: [record] })));
    const code = Object.fromEntries(BREAKER_CLOUDS.map((cloud, i) => [cloud, results[i].outputFiles[0].text]));
    return { code, metafiles: results.map((r) => r.metafile) };
}

/** Temporary files of a build: `<name>.<pid>.tmp`. */
const TMP_FILE = /\.(\d+)\.tmp$/;

function isAlive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        return e.code === "EPERM";
    }
}

/**
 * Removes the temporary files of builds that were killed before they renamed them (their process
 * is gone, or they are over an hour old: a pid may have been reused). Best effort.
 */
function cleanStaleTmp(cacheDir, now = Date.now()) {
    let names;
    try {
        names = fs.readdirSync(cacheDir);
    } catch {
        return;
    }
    for (const name of names) {
        const m = TMP_FILE.exec(name);
        if (!m || Number(m[1]) === process.pid) continue;
        const file = path.join(cacheDir, name);
        try {
            if (!isAlive(Number(m[1])) || now - fs.statSync(file).mtimeMs > 60 * 60 * 1000) fs.rmSync(file, { force: true });
        } catch {
            // another process removed or renamed it first
        }
    }
}

/**
 * Writes a build to `cacheDir`: bundle and map, then the manifest that vouches for them (each
 * through a temporary file and a rename, so a reader never sees half a file). False, with
 * nothing left behind, if the folder cannot be written.
 */
function save(cacheDir, out) {
    const tmps = [];
    const put = (name, text) => {
        const tmp = path.join(cacheDir, `${name}.${process.pid}.tmp`);
        tmps.push(tmp);
        fs.writeFileSync(tmp, text);
        fs.renameSync(tmp, path.join(cacheDir, name));
    };
    try {
        fs.mkdirSync(cacheDir, { recursive: true });
        cleanStaleTmp(cacheDir);
        put("cli.js.map", out.map);
        put("cli.js", out.code);
        put("manifest.json", JSON.stringify(out.manifest, null, 1) + "\n");
        return true;
    } catch {
        for (const tmp of tmps) fs.rmSync(tmp, { force: true });
        return false;
    }
}

/**
 * Where the bundle may be kept, in order: the project's .cache/ (or $LLM_SERVING_PLAN_CACHE),
 * then a folder of this user's in the system's temporary folder, named from the project's path,
 * for a checkout that cannot be written (a read-only mount, a .cache of another user). The
 * temporary one is used only if it is this user's own folder that no one else can write: a
 * bundle there is run, so a folder another user made or can change is not trusted.
 */
function cacheBases(root = ROOT) {
    const own = process.env[CACHE_ENV] ? path.resolve(process.env[CACHE_ENV]) : path.join(root, ".cache");
    const uid = typeof process.getuid === "function" ? process.getuid() : -1;
    const tmp = path.join(os.tmpdir(), `llm-serving-plan-${sha256(`${uid}\0${root}`).slice(0, 16)}`);
    return [{ base: own, private: false }, { base: tmp, private: true }];
}

/** True if `base` is usable: created if missing, and when private, this user's alone. */
function prepareBase({ base, private: isPrivate }) {
    try {
        if (!isPrivate) return true;
        try {
            fs.mkdirSync(base, { mode: 0o700 });
        } catch (e) {
            if (e.code !== "EEXIST") return false;
        }
        const st = fs.lstatSync(base);
        const uid = typeof process.getuid === "function" ? process.getuid() : st.uid;
        return st.isDirectory() && st.uid === uid && (st.mode & 0o022) === 0;
    } catch {
        return false;
    }
}

/**
 * The bundle to run: a fresh cached one, else a new build, saved to the first cache folder that
 * can be written, else run from memory (nothing written; built again next time). Never fails for
 * want of a writable folder. The folders are tried in order, and the private temporary one is
 * made only when the project's own cannot hold the bundle: a plan of a writable checkout leaves
 * nothing in the system's temporary folder. Resolves to { code, filename, built, saved }:
 * filename is where the bundle is (or would be), which its __dirname declarations are relative to.
 */
async function ensureBundle() {
    const key = buildKey();
    let firstDir;
    for (const base of cacheBases()) {
        if (!prepareBase(base)) continue;
        const dir = path.join(base.base, "plan", `node${NODE_MAJOR}`);
        firstDir ??= dir;
        const code = readFresh(key, dir);
        if (code !== null) return { code, filename: path.join(dir, "cli.js"), built: false, saved: true };
        if (!canWrite(dir)) continue;
        const out = await build(key, dir);
        return { code: out.code, filename: path.join(dir, "cli.js"), built: true, saved: save(dir, out) };
    }
    const dir = firstDir ?? CACHE_DIR;
    const out = await build(key, dir);
    return { code: out.code, filename: path.join(dir, "cli.js"), built: true, saved: false };
}

function canWrite(dir) {
    try {
        fs.mkdirSync(dir, { recursive: true });
        fs.accessSync(dir, fs.constants.W_OK);
        return true;
    } catch {
        return false;
    }
}

/**
 * Runs the bundle's code as the CommonJS module at `filename`, resolving its dependencies
 * (left external) from the project, wherever the bundle is kept.
 */
function loadBundle(code, filename, root = ROOT) {
    const Module = require("node:module");
    const m = new Module(filename, module);
    m.filename = filename;
    m.paths = Module._nodeModulePaths(root);
    m._compile(code, filename);
    m.loaded = true;
    return m.exports;
}

/**
 * Enters `file` in the require cache as a proxy that loads the module on first use, exactly as
 * the require it stands for would (`load`). `esModule`: the proxy says `__esModule` without
 * loading, for a module its importers wrap in __importStar (which only reads that flag).
 */
function deferModule(file, load, { esModule = false } = {}) {
    if (require.cache[file]) return;
    let real;
    const get = () => (real ??= load());
    const exports = new Proxy(
        {},
        {
            get: (_, key) => (esModule && key === "__esModule" ? true : get()[key]),
            // Writes go to the module itself (a test's stub, a monkeypatch), as they would without the proxy.
            set: (_, key, value) => Reflect.set(get(), key, value),
            defineProperty: (_, key, descriptor) => Reflect.defineProperty(get(), key, { ...descriptor, configurable: true }),
            deleteProperty: (_, key) => Reflect.deleteProperty(get(), key),
            has: (_, key) => key in get(),
            ownKeys: () => Reflect.ownKeys(get()),
            getOwnPropertyDescriptor: (_, key) => {
                const d = Object.getOwnPropertyDescriptor(get(), key);
                return d && { ...d, configurable: true };
            },
        },
    );
    const Module = require("node:module");
    const m = new Module(file, module);
    m.filename = file;
    m.loaded = true;
    m.exports = exports;
    require.cache[file] = m;
}

/**
 * Two parts of the SDK that load as it starts and that no plan uses, deferred to their first use
 * (deferModule). Saves the plan its largest module and about a twelfth of the SDK's load.
 * - The TypeScript compiler (9 MB), through typescript-shim.js, for serializing JavaScript
 *   functions into cloud functions (pulumi.runtime.serializeFunction). Loaded as the shim would.
 * - The Automation API (`pulumi.automation`: workspaces, the CLI's process, its event log),
 *   which the SDK's index loads for its namespace. Loaded from the file the index would load;
 *   the modules it shares with the runtime (gRPC, protobuf) load with the runtime as before.
 */
function deferUnusedSdkParts() {
    // Each on its own: an SDK without one of these files still gets the other deferred.
    const resolved = (id) => {
        try {
            return require.resolve(id, { paths: [ROOT] });
        } catch {
            return undefined;
        }
    };
    const shim = resolved("@pulumi/pulumi/typescript-shim");
    const automation = resolved("@pulumi/pulumi/automation");
    if (shim) {
        deferModule(shim, () => {
            try {
                return require(require.resolve("typescript", { paths: [path.dirname(shim)] }));
            } catch {
                return require(path.join(path.dirname(shim), "vendor", "typescript@3.8.3", "typescript.js"));
            }
        });
    }
    if (automation) {
        const load = () => {
            // The proxy leaves the cache first, so that the real module is loaded (and kept) in its place.
            delete require.cache[automation];
            return require(automation);
        };
        deferModule(automation, load, { esModule: true });
    }
}

async function launch() {
    const bundle = await ensureBundle();
    // Node >= 22.1: V8's compiled code for every CommonJS file, cached on disk next to the bundle
    // (where it could be saved). Off with NODE_DISABLE_COMPILE_CACHE=1.
    if (bundle.saved) {
        try {
            require("node:module").enableCompileCache?.(path.join(path.dirname(bundle.filename), "..", "..", "node-compile-cache"));
        } catch {
            // a cache that cannot be written only makes the run slower
        }
    }
    deferUnusedSdkParts();
    loadBundle(bundle.code, bundle.filename).runCli(process.argv.slice(2));
}

module.exports = { ensureBundle, buildBreakers, buildKey, cacheBases, cleanStaleTmp, deferUnusedSdkParts, hashInputs, hashTree, isFresh, listSources, readFresh, sourceDirs, sourceRecorder, BUNDLE };

if (require.main === module) {
    launch().catch((e) => {
        process.stderr.write(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        process.exit(70);
    });
}
