import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { PLAN_NODE_FLAGS } from "../../stack/guard";
import { PROJECT_DIR } from "../helpers/program";
import { scratchDir } from "../helpers/scratch";

// What a plan leaves unloaded because no plan uses it (issue 21), read from the require cache of
// a real `npm run plan` at its exit; and that each part deferred still works when something does
// use it (a child process each: the deferral changes its process's require cache).

/** Paths under the project's node_modules/ of the modules a plan of `stack` loaded (require.cache at exit). */
function modulesLoadedByPlan(stack: string): string[] {
    const dir = scratchDir("plan-modules-");
    const list = path.join(dir, "modules.json");
    const preload = path.join(dir, "record.cjs");
    fs.writeFileSync(preload, `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(list)}, JSON.stringify(Object.keys(require.cache))));\n`);
    const r = spawnSync(process.execPath, [...PLAN_NODE_FLAGS, "-r", preload, "plan/fast.cjs", "--stack", stack], { cwd: PROJECT_DIR, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    assert.equal(r.status, 0, r.stderr);
    // Only the project's own node_modules: a nested copy of a package (another ajv) is not the one checked.
    // require.cache is keyed by real path: a node_modules that is a symbolic link is found through it.
    const own = fs.realpathSync(path.join(PROJECT_DIR, "node_modules")) + path.sep;
    return (JSON.parse(fs.readFileSync(list, "utf8")) as string[]).flatMap((f) => (f.startsWith(own) ? [f.slice(own.length).split(path.sep).join("/")] : []));
}

describe("what a plan loads (plan/fast.cjs, issue 21)", () => {
    let loaded: Set<string>;
    before(() => {
        // staging: the GKE target, whose Helm release and policy configs a plan reads.
        loaded = new Set(modulesLoadedByPlan("staging"));
    });

    it("loads the parts it uses: the SDK, the Helm Release resource, ajv's run-time helpers (control: the list is real)", () => {
        for (const m of ["@pulumi/pulumi/index.js", "@pulumi/pulumi/typescript-shim.js", "@pulumi/kubernetes/helm/v3/release.js", "ajv/dist/runtime/ucs2length.js"]) {
            assert.ok(loaded.has(m), `${m} not loaded (${loaded.size} modules)`);
        }
    });

    it("not the client-side Helm chart and the Kubernetes YAML module it loads (every API group), which the stack's Release never needs", () => {
        assert.deepEqual(["@pulumi/kubernetes/helm/v3/helm.js", "@pulumi/kubernetes/yaml/yaml.js"].filter((m) => loaded.has(m)), []);
    });

    it("not ajv's compiler: the pack's config validators are compiled ahead of time", () => {
        assert.deepEqual(["ajv/dist/ajv.js", "ajv/dist/core.js", "ajv/dist/compile/index.js"].filter((m) => loaded.has(m)), []);
    });

    it("not the TypeScript compiler (for serializing functions) nor the Automation API: only their stand-ins", () => {
        const real = ["typescript/lib/typescript.js", "@pulumi/pulumi/automation/localWorkspace.js"];
        assert.deepEqual(real.filter((m) => loaded.has(m)), []);
    });

    it("each part deferred loads and works on first use: the Automation API, the TypeScript compiler", () => {
        const script = `
            require("./plan/fast.cjs").deferUnusedSdkParts();
            const pulumi = require("@pulumi/pulumi");
            const loaded = (id) => require.resolve(id) in require.cache;
            const out = { workspaceBefore: loaded("@pulumi/pulumi/automation/localWorkspace") };
            out.workspace = typeof pulumi.automation.LocalWorkspace;
            out.workspaceAfter = loaded("@pulumi/pulumi/automation/localWorkspace");
            out.typescriptBefore = loaded("typescript");
            out.typescript = typeof require("@pulumi/pulumi/typescript-shim").createSourceFile;
            out.typescriptAfter = loaded("typescript");
            process.stdout.write(JSON.stringify(out));
        `;
        const r = spawnSync(process.execPath, ["-e", script], { cwd: PROJECT_DIR, encoding: "utf8" });
        assert.equal(r.status, 0, r.stderr);
        assert.deepEqual(JSON.parse(r.stdout), { workspaceBefore: false, workspace: "function", workspaceAfter: true, typescriptBefore: false, typescript: "function", typescriptAfter: true });
    });
});
