import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { trafficCommands } from "../../targets/azureMl/aml";
import { PURGE_DELETED_VAULT } from "../../components/azure/names";
import { AML_DEPLOYMENT_NAME } from "../../targets/azureMl/AzureMlEndpoint";
import { resourcesOfType } from "./plans";
import { requireTool, runTool } from "./tools";
import { scratchDir } from "../helpers/scratch";

/**
 * The deployer-side scripts of the Azure targets (the Azure ML traffic split, the Key Vault purge),
 * as the plans hand them to `command:local:Command` (run by /bin/sh -c): shellcheck with every
 * optional check, then run under sh with a stub `az` that records its arguments.
 */
async function plannedScripts(): Promise<Array<{ label: string; script: string; env: Record<string, string> }>> {
    const out: Array<{ label: string; script: string; env: Record<string, string> }> = [];
    for (const { plan, resource } of await resourcesOfType("command:local:Command")) {
        for (const phase of ["create", "update", "delete"] as const) {
            const script = resource.inputs[phase];
            if (typeof script === "string") out.push({ label: `${plan}: ${resource.name} ${phase}`, script, env: resource.inputs.environment as Record<string, string> });
        }
    }
    return out;
}

function shellcheck(script: string): string[] {
    requireTool("shellcheck", "shellcheck");
    const r = runTool("shellcheck", ["--shell=sh", "--enable=all", "--format=gcc", "-"], { input: script });
    return r.stdout.split("\n").filter(Boolean);
}

/** Runs `script` under sh with a stub az: `answers` maps an argument prefix to an exit status. */
function runWithStubAz(script: string, env: Record<string, string>, answers: Record<string, number> = {}) {
    const dir = scratchDir("az-stub-");
    const log = path.join(dir, "calls");
    const cases = Object.entries(answers).map(([prefix, code]) => `  "${prefix}"*) exit ${code} ;;`).join("\n");
    fs.writeFileSync(path.join(dir, "az"), `#!/bin/sh\nprintf '%s\\n' "$*" >> "${log}"\ncase "$*" in\n${cases}\nesac\nexit 0\n`, { mode: 0o755 });
    const result = spawnSync("sh", ["-c", script], { encoding: "utf8", env: { PATH: `${dir}:/usr/bin:/bin`, ...env }, timeout: 30_000 });
    const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").split("\n").filter(Boolean) : [];
    return { status: result.status, stderr: result.stderr, calls };
}

describe("conformance: the Azure deployer scripts", () => {
    it("every planned script passes shellcheck with all optional checks", async () => {
        const scripts = await plannedScripts();
        assert.ok(scripts.length >= 5, `${scripts.length} scripts`);
        // One shellcheck run per distinct script; the label names the first plan that has it.
        const distinct = new Map(scripts.map((s) => [s.script, s.label]));
        for (const [script, label] of distinct) assert.deepEqual(shellcheck(script), [], label);
        console.log(`      ${scripts.length} scripts (${new Set(scripts.map((s) => s.script)).size} distinct)`);
    });

    const env = { AML_SUBSCRIPTION: "sub", AML_RESOURCE_GROUP: "rg", AML_WORKSPACE: "ws", AML_ENDPOINT: "ep" };

    it("the traffic split goes to the deployment on the named endpoint, installing az's ml extension when it is missing", () => {
        const t = trafficCommands({ [AML_DEPLOYMENT_NAME]: 100 });
        const run = runWithStubAz(t.apply, { ...env, AML_TRAFFIC: t.split }, { "extension show": 1 });
        assert.equal(run.status, 0, run.stderr);
        assert.deepEqual(run.calls, [
            "extension show --name ml --output none",
            "extension add --name ml --yes --only-show-errors",
            `ml online-endpoint update --subscription sub --resource-group rg --workspace-name ws --name ep --traffic ${AML_DEPLOYMENT_NAME}=100 --only-show-errors --output none`,
        ]);
    });

    it("a failed traffic update fails the step (the deployment would serve nothing)", () => {
        const t = trafficCommands({ [AML_DEPLOYMENT_NAME]: 100 });
        const run = runWithStubAz(t.apply, { ...env, AML_TRAFFIC: t.split }, { "ml online-endpoint update": 1 });
        assert.notEqual(run.status, 0);
    });

    it("release sets every deployment to 0, and is a no-op when the endpoint is already gone", () => {
        const t = trafficCommands({ [AML_DEPLOYMENT_NAME]: 100 });
        const live = runWithStubAz(t.release, { ...env, AML_TRAFFIC_RELEASED: t.released });
        assert.equal(live.status, 0, live.stderr);
        assert.match(live.calls.at(-1)!, new RegExp(`--traffic ${AML_DEPLOYMENT_NAME}=0 `));
        const gone = runWithStubAz(t.release, { ...env, AML_TRAFFIC_RELEASED: t.released }, { "ml online-endpoint show": 1 });
        assert.equal(gone.status, 0);
        assert.ok(!gone.calls.some((c) => c.startsWith("ml online-endpoint update")), gone.calls.join("\n"));
        assert.match(gone.stderr, /endpoint ep not found/);
    });

    it("the vault purge purges the deleted vault, and does nothing when there is none", () => {
        const kv = { KV_SUBSCRIPTION: "sub", KV_NAME: "kv-abc", KV_LOCATION: "eastus" };
        const deleted = runWithStubAz(PURGE_DELETED_VAULT, kv);
        assert.equal(deleted.status, 0, deleted.stderr);
        assert.equal(deleted.calls.at(-1), "keyvault purge --subscription sub --name kv-abc --location eastus --only-show-errors");
        const none = runWithStubAz(PURGE_DELETED_VAULT, kv, { "keyvault show-deleted": 3 });
        assert.equal(none.status, 0);
        assert.ok(!none.calls.some((c) => c.startsWith("keyvault purge")));
    });

    describe("negative controls", () => {
        it("shellcheck flags an unquoted variable in the traffic script", () => {
            const t = trafficCommands({ [AML_DEPLOYMENT_NAME]: 100 });
            const broken = t.apply.replace('--traffic "${AML_TRAFFIC}"', "--traffic ${AML_TRAFFIC}");
            assert.notEqual(broken, t.apply);
            assert.ok(shellcheck(broken).some((l) => /SC2086/.test(l)), "SC2086");
        });

        it("the harness catches a script that never sets the split, and one run without its environment", () => {
            assert.deepEqual(runWithStubAz("set -eu\nexit 0\n", env).calls, []);
            const t = trafficCommands({ [AML_DEPLOYMENT_NAME]: 100 });
            const bare = runWithStubAz(t.apply, {});
            assert.notEqual(bare.status, 0);
            assert.match(bare.stderr, /AML_SUBSCRIPTION/);
            assert.deepEqual(bare.calls, [], "fails before calling az");
        });
    });
});
