import { strict as assert } from "node:assert";
import { ggufFetchScript } from "../../components/k8s/llamaCpp";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { FETCH_ATTEMPTS } from "../../components/secretFetch";
import { CloudConfigArtifact, cloudConfigArtifacts, cloudConfigParts, runcmdScript, ScriptArtifact, scriptArtifacts } from "./artifacts";
import { containerStarts, CurlRule, runBoot, ScriptRun } from "./scriptHarness";
import { requireTool, runTool } from "./tools";

/**
 * Every generated shell script (GCP startup scripts; the VM's cloud-init files and runcmd)
 * against shellcheck with every optional check, and in a harness with stubbed commands: when the
 * secret store refuses (403) or answers an empty value, the model server is never started and the
 * script fails; when it answers, the server starts with the key. Every cloud-config against
 * `cloud-init schema`.
 */

/**
 * shellcheck's optional checks: all of them. None is excluded; a later exclusion must say why here
 * (e.g. a style check that fights a pattern the scripts need).
 */
const SHELLCHECK_ARGS = ["--enable=all", "--format=gcc"];

const KEY = "sk-boot-0123456789abcdef";
const HF = "hf_boot_token";
const INGESTION_URL = "https://dce-0a1b.eastus-1.metrics.ingest.monitor.azure.com/dataCollectionRules/dcr-0123456789abcdef/streams/Microsoft-PrometheusMetrics/api/v1/write?api-version=2023-04-24";
const PEM = { crt: "-----BEGIN CERTIFICATE-----\nQk9PVA==\n-----END CERTIFICATE-----\n", key: "-----BEGIN PRIVATE KEY-----\nQk9PVA==\n-----END PRIVATE KEY-----\n" };

function shellcheck(text: string, shell: "bash" | "sh"): { ok: boolean; output: string } {
    requireTool("shellcheck", "shellcheck");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sc-"));
    const file = path.join(dir, "script");
    fs.writeFileSync(file, text);
    const r = runTool("shellcheck", [...SHELLCHECK_ARGS, `--shell=${shell}`, file]);
    fs.rmSync(dir, { recursive: true, force: true });
    return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

type StoreMode = "ok" | "forbidden" | "empty";

/** The secret stores and metadata servers, as curl sees them; the secret store answers per `mode`. */
function cloudAnswers(mode: StoreMode): CurlRule[] {
    const status = mode === "forbidden" ? 403 : 200;
    const value = (v: string) => (mode === "empty" ? "" : v);
    const gcpSecret = (v: string) => `{\n  "name": "projects/1/secrets/s/versions/1",\n  "payload": {\n    "data": "${Buffer.from(value(v)).toString("base64")}",\n    "dataCrc32c": "1"\n  }\n}\n`;
    const kv = (v: string) => JSON.stringify({ value: value(v), id: "https://kv/secrets/s/1" });
    return [
        { pattern: "^http://metadata\\.google\\.internal/.*/token$", status: 200, body: '{"access_token":"ya29.meta","expires_in":3599,"token_type":"Bearer"}' },
        { pattern: "^https://iamcredentials\\.googleapis\\.com/", status: 200, body: '{\n  "accessToken": "ya29.sm",\n  "expireTime": "2026-12-01T09:00:00Z"\n}\n' },
        { pattern: "^https://secretmanager\\.googleapis\\.com/.*-api-key/versions/latest:access$", status, body: gcpSecret(KEY) },
        { pattern: "^https://secretmanager\\.googleapis\\.com/.*-hf-token/versions/latest:access$", status, body: gcpSecret(HF) },
        { pattern: "^http://169\\.254\\.169\\.254/metadata/identity/oauth2/token", status: 200, body: '{"access_token":"eyJ.kv","client_id":"00000000-0000-4000-8000-0000000c11e7","expires_in":"86399"}' },
        { pattern: "^https://[a-z0-9-]+\\.vault\\.azure\\.net/secrets/metrics-ingestion-url\\?", status, body: kv(INGESTION_URL) },
        { pattern: "^https://[a-z0-9-]+\\.vault\\.azure\\.net/secrets/api-key\\?", status, body: kv(KEY) },
        { pattern: "^https://[a-z0-9-]+\\.vault\\.azure\\.net/secrets/hf-token\\?", status, body: kv(HF) },
        { pattern: "^https://[a-z0-9-]+\\.vault\\.azure\\.net/secrets/tls-certificate\\?", status, body: kv(PEM.crt) },
        { pattern: "^https://[a-z0-9-]+\\.vault\\.azure\\.net/secrets/tls-private-key\\?", status, body: kv(PEM.key) },
        { pattern: "^https://nvidia\\.github\\.io/", status: 200, body: "deb https://nvidia.github.io/libnvidia-container/stable/deb/$(ARCH) /\n" },
    ];
}

/** Runs one boot: a GCP startup script, or a VM's cloud-config (files, then runcmd). */
function boot(label: string, kind: "gcp" | "vm", text: string, mode: StoreMode): ScriptRun {
    const run = bootOnce(label, kind, text, mode);
    sandboxes.push(run.sandbox);
    return run;
}

function bootOnce(label: string, kind: "gcp" | "vm", text: string, mode: StoreMode): ScriptRun {
    if (kind === "gcp") return runBoot({ script: text, shell: "bash" }, cloudAnswers(mode));
    const { files, runcmd } = cloudConfigParts(text);
    const permissions = (parse(text) as { write_files: Array<{ permissions?: string }> }).write_files.map((f) => f.permissions);
    assert.ok(runcmd.length > 0, `${label}: runcmd`);
    return runBoot({ files: files.map((f, i) => ({ ...f, permissions: permissions[i] })), script: runcmdScript(runcmd), shell: "sh" }, cloudAnswers(mode));
}

let scripts: ScriptArtifact[] = [];
const sandboxes: string[] = [];
let cloudConfigs: CloudConfigArtifact[] = [];

after(() => {
    for (const dir of sandboxes.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

before(async function () {
    this.timeout(300_000);
    scripts = await scriptArtifacts();
    cloudConfigs = await cloudConfigArtifacts();
});

describe("conformance: generated shell scripts", function () {
    this.timeout(120_000);

    it("finds every script: GCP startup scripts (with and without hfToken), the VM's secrets/start scripts and runcmd (GPU, CPU, TLS)", () => {
        const kinds = new Set(scripts.map((s) => s.kind));
        assert.deepEqual([...kinds].sort(), ["gcp-shutdown", "gcp-startup", "vm-runcmd", "vm-write-file"]);
        assert.ok(scripts.some((s) => s.kind === "gcp-startup" && s.text.includes("hf-token")));
        assert.ok(scripts.some((s) => s.kind === "gcp-startup" && !s.text.includes("hf-token")));
        assert.ok(scripts.some((s) => s.kind === "vm-runcmd" && s.text.includes("nvidia-smi")));
        assert.ok(scripts.some((s) => s.kind === "vm-runcmd" && !s.text.includes("nvidia-smi")));
        assert.ok(scripts.some((s) => s.kind === "vm-write-file" && s.text.includes("llm-serving-tls")));
    });

    it("every script passes shellcheck with all optional checks", () => {
        for (const s of scripts) {
            const r = shellcheck(s.text, s.shell);
            assert.ok(r.ok, `${s.label}:\n${r.output}`);
        }
        console.log(`      shellcheck: ${scripts.length} scripts (${scripts.filter((s) => s.kind === "gcp-startup").length} GCP startup, ${scripts.filter((s) => s.kind === "vm-write-file").length} VM files, ${scripts.filter((s) => s.kind === "vm-runcmd").length} runcmd)`);
    });

    it("the llama.cpp GGUF fetch (init container of aksGpu's llamacpp mode, run by sh) passes shellcheck with all optional checks", () => {
        const r = shellcheck(ggufFetchScript(), "sh");
        assert.ok(r.ok, r.output);
        // Negative control: the same script without its declaration of the environment it reads is flagged (SC2154).
        const bare = shellcheck(ggufFetchScript().split("\n").filter((l) => !l.startsWith(": ")).join("\n"), "sh");
        assert.equal(bare.ok, false);
        assert.match(bare.output, /SC2154/);
    });

    it("negative control: an unquoted variable fails shellcheck", () => {
        const r = shellcheck('#!/bin/bash\nset -euo pipefail\nfile=$1\nrm -f $file\n', "bash");
        assert.equal(r.ok, false);
        assert.match(r.output, /SC2086/);
    });
});

describe("conformance: boot scripts never start a model server without its key (stubbed commands)", function () {
    this.timeout(300_000);
    const boots = () => [
        ...scripts.filter((s) => s.kind === "gcp-startup").map((s) => ({ label: s.label, kind: "gcp" as const, text: s.text })),
        ...cloudConfigs.map((c) => ({ label: c.label, kind: "vm" as const, text: c.text })),
    ];
    const servers = (kind: "gcp" | "vm") => (kind === "gcp" ? ["model-server"] : ["model-server", "route-guard"]);

    it("secret store answers 403: retried with backoff, then the script fails and nothing starts", () => {
        for (const b of boots()) {
            const run = boot(b.label, b.kind, b.text, "forbidden");
            assert.notEqual(run.status, 0, `${b.label}: exit status`);
            for (const name of servers(b.kind)) assert.deepEqual(containerStarts(run, name), [], `${b.label}: ${name} started`);
            assert.equal(run.calls.filter((c) => c.startsWith("docker run")).length, 0, b.label);
            const secretReads = run.calls.filter((c) => /curl .*(secretmanager\.googleapis\.com|\.vault\.azure\.net\/secrets\/)/.test(c));
            assert.equal(secretReads.length, FETCH_ATTEMPTS, `${b.label}: one secret read, ${FETCH_ATTEMPTS} attempts`);
            assert.equal(run.calls.filter((c) => c.startsWith("sleep ")).length, FETCH_ATTEMPTS - 1, `${b.label}: backoff between attempts`);
            assert.match(run.stderr, /failed \(attempt 6 of 6\)/);
        }
    });

    it("secret store answers an empty value: the script refuses it and nothing starts", () => {
        for (const b of boots()) {
            const run = boot(b.label, b.kind, b.text, "empty");
            assert.notEqual(run.status, 0, b.label);
            assert.equal(run.calls.filter((c) => c.startsWith("docker run")).length, 0, b.label);
            assert.match(run.stderr, /is empty; not starting the model server/, b.label);
        }
    });

    it("secret store answers: the server starts with the key (and the VM's guard with its copy)", () => {
        let n = 0;
        for (const b of boots()) {
            const run = boot(b.label, b.kind, b.text, "ok");
            assert.equal(run.status, 0, `${b.label}: ${run.stderr}`);
            for (const name of servers(b.kind)) assert.equal(containerStarts(run, name).length, 1, `${b.label}: ${name}`);
            const server = run.envFiles.find((e) => e.container === "model-server");
            assert.ok(server, b.label);
            assert.match(server.content, new RegExp(`^(VLLM|LLAMA)_API_KEY=${KEY}$`, "m"), b.label);
            if (/hf-token|hf_token/i.test(b.text)) assert.match(server.content, new RegExp(`^HF_TOKEN=${HF}$`, "m"), b.label);
            if (b.kind === "vm") {
                const guard = run.envFiles.find((e) => e.container === "route-guard");
                assert.ok(guard, b.label);
                assert.match(guard.content, new RegExp(`^ROUTE_GUARD_API_KEY=${KEY}$`, "m"));
                assert.ok(!guard.content.includes(HF), "the guard gets the key only");
                if (b.text.includes("metrics-ingestion-url")) {
                    // The collector's config: the ingestion URL from Key Vault, the client id from IMDS, valid YAML.
                    const cfg = parse(fs.readFileSync(path.join(run.sandbox, "run/llm-serving-prometheus.yml"), "utf8")) as { remote_write: Array<{ url: string; azuread: { managed_identity: { client_id: string } } }> };
                    assert.equal(cfg.remote_write[0].url, INGESTION_URL, b.label);
                    assert.equal(cfg.remote_write[0].azuread.managed_identity.client_id, "00000000-0000-4000-8000-0000000c11e7", b.label);
                    assert.equal(containerStarts(run, "metrics-collector").length, 1, `${b.label}: metrics-collector`);
                }
                if (b.text.includes("llm-serving-tls")) {
                    assert.equal(fs.readFileSync(path.join(run.sandbox, "run/llm-serving-tls/tls.key"), "utf8"), PEM.key);
                }
            }
            n++;
        }
        console.log(`      boot harness: ${n} boots (GCP startup scripts and VM cloud-inits), each under 403, empty and 200`);
    });

    it("negative control: the old pattern (secret read inside printf's arguments) starts the server with no key under 403", () => {
        const old = `#!/bin/bash
set -euo pipefail
SM_TOKEN=token
ENV_FILE=/run/llm-serving.env
{
  printf '%s=%s\\n' VLLM_API_KEY "$(curl -sf -H "Authorization: Bearer $SM_TOKEN" "https://secretmanager.googleapis.com/v1/projects/p/secrets/x-api-key/versions/latest:access" | sed -n 's/.*"data": "\\(.*\\)".*/\\1/p' | base64 -d)"
} > "$ENV_FILE"
docker run -d --name model-server --env-file "$ENV_FILE" vllm/vllm-openai:v0.11.0
`;
        const run = runBoot({ script: old, shell: "bash" }, cloudAnswers("forbidden"));
        sandboxes.push(run.sandbox);
        assert.equal(run.status, 0);
        assert.equal(containerStarts(run, "model-server").length, 1, "the harness sees the keyless start");
        assert.match(run.envFiles[0].content, /^VLLM_API_KEY=$/m);
    });
});

describe("conformance: cloud-configs against cloud-init schema", function () {
    this.timeout(300_000);
    const schema = (text: string) => {
        requireTool("cloud-init", "cloud-init");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ci-"));
        const file = path.join(dir, "user-data");
        fs.writeFileSync(file, text);
        // cloud-init 22.4 (Debian 12): `schema --config-file`; newer releases also accept it.
        const r = runTool("cloud-init", ["schema", "--config-file", file]);
        fs.rmSync(dir, { recursive: true, force: true });
        return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
    };

    it("every cloud-config is valid", () => {
        assert.ok(cloudConfigs.length >= 4);
        for (const c of cloudConfigs) {
            const r = schema(c.text);
            assert.ok(r.ok, `${c.label}:\n${r.output}`);
            assert.match(r.output, /Valid cloud-config/);
        }
        console.log(`      cloud-init schema: ${cloudConfigs.length} cloud-configs`);
    });

    it("negative control: an invalid cloud-config fails", () => {
        const r = schema(cloudConfigs[0].text.replace(/^runcmd:\n/m, "runcmd: not-a-list\nbogus:\n").replace(/permissions: "0700"/, "permissions: 0700\n    mode: x"));
        assert.equal(r.ok, false);
        assert.match(r.output, /schema errors/);
    });
});
