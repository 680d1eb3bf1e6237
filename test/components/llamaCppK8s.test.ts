import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { GGUF_Q5_BUILDS } from "../../config/gguf";
import { GGUF_DIR, ggufFetchScript, ggufUrl, llamaCppDeployment, llamaCppK8sServer } from "../../components/k8s/llamaCpp";
import { modelServerService } from "../../components/k8s/modelServer";
import { LLAMA_CPP_IMAGE } from "../../components/serving";
import { throughputFor } from "../../policies/cost/throughput";

const MODEL = { id: "HuggingFaceH4/zephyr-7b-beta", servedName: "mistral-7b", maxModelLen: 8192 };
const GGUF = GGUF_Q5_BUILDS[MODEL.id];
const server = llamaCppK8sServer(MODEL, { gguf: GGUF });
const workload = {
    name: "llm",
    namespace: "llm-serving",
    server,
    replicas: 2,
    // The notes' pod: 4 vCPUs (8 threads), the Q5_K_M weights (~5.1 GB) plus two slots' KV cache.
    resources: { cpu: "4", memory: "8Gi", memoryLimit: "10Gi" },
    secretName: "llm-secrets",
    hfToken: true,
    cacheSize: "10Gi",
};

describe("llama.cpp on Kubernetes (components/k8s/llamaCpp.ts)", () => {
    it("runs the gpuVm target's pinned llama.cpp image on the fetched Q5_K_M file with 2 slots and 8 threads", () => {
        assert.equal(server.image, LLAMA_CPP_IMAGE);
        const args = server.args.join(" ");
        assert.match(args, new RegExp(`--model ${GGUF_DIR}/zephyr-7b-beta\\.Q5_K_M\\.gguf`));
        assert.match(args, /--parallel 2 --threads 8/);
        // The context is shared by the slots: each keeps the model's maxModelLen.
        assert.match(args, /--ctx-size 16384/);
        assert.doesNotMatch(args, /--hf-repo|--api-key/, "fetched by the init container; the key comes from the environment");
        assert.equal(ggufUrl(GGUF), "https://huggingface.co/TheBloke/zephyr-7B-beta-GGUF/resolve/main/zephyr-7b-beta.Q5_K_M.gguf");
    });

    it("Deployment (init container, guard sidecar) and Service validate against the Kubernetes schema", async () => {
        const { Deployment } = await import("kubernetes-models/apps/v1/Deployment");
        const { Service } = await import("kubernetes-models/v1/Service");
        const d = llamaCppDeployment(workload, { gguf: GGUF });
        new Deployment(d).validate();
        new Service(modelServerService(workload)).validate();
        const pod = d.spec.template.spec!;
        assert.deepEqual(pod.initContainers!.map((c) => c.name), ["fetch-gguf"]);
        assert.deepEqual(pod.containers.map((c) => c.name), ["model-server", "route-guard"]);
        // Both see the same volume; the token reaches the fetch only by Secret reference.
        assert.equal(pod.initContainers![0].volumeMounts![0].name, "hf-cache");
        const token = pod.initContainers![0].env!.find((e) => e.name === "HF_TOKEN")!;
        assert.deepEqual(token.valueFrom?.secretKeyRef, { name: "llm-secrets", key: "hf-token", optional: false });
        assert.equal(pod.containers[0].resources!.requests!.cpu, "4");
        // Negative control: the validator refuses a malformed init container.
        const bad = llamaCppDeployment(workload, { gguf: GGUF }) as unknown as { spec: { template: { spec: { initContainers: Array<{ name: unknown }> } } } };
        bad.spec.template.spec.initContainers[0].name = 42;
        assert.throws(() => new Deployment(bad as never).validate());
    });

    it("has the benchmark notes' figure in the throughput catalog for this configuration", () => {
        const e = throughputFor({ server: "llama.cpp", accelerator: "CPU 4-vCPU Kubernetes pod", devicesPerReplica: 1, build: "gguf-q5_k_m" });
        assert.equal(e?.figure?.outputTokensPerSecond, 6.16);
        assert.match(e!.figure!.concurrency, /4\.61 for a single request/);
        // Control: the Q4_K_M VM configuration stays unknown (another precision and machine).
        assert.equal(throughputFor({ server: "llama.cpp", accelerator: "CPU Standard_D4s_v5", devicesPerReplica: 1, build: "gguf-q4_k_m" })?.figure, null);
    });

    describe("the fetch script, run by sh against a stand-in file server (real HTTP)", () => {
        let srv: http.Server;
        let base = "";
        const served: string[] = [];
        before(async () => {
            srv = http.createServer((req, res) => {
                served.push(`${req.url} ${req.headers.authorization ?? "-"}`);
                if (req.url === "/model.gguf") res.writeHead(200).end("GGUF-bytes");
                else res.writeHead(404).end("no");
            });
            await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
            base = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
        });
        after(() => new Promise<void>((r) => srv.close(() => r())));
        // Asynchronous: the stand-in runs in this process, so a synchronous spawn would block it.
        const run = (dir: string, url: string, token?: string): Promise<{ status: number | null; stdout: string; stderr: string }> =>
            new Promise((resolve) => {
                const child = spawn("sh", ["-c", ggufFetchScript()], { env: { PATH: process.env.PATH, GGUF_DIR: dir, GGUF_FILE: "model.gguf", GGUF_URL: url, ...(token ? { HF_TOKEN: token } : {}) } });
                let stdout = "";
                let stderr = "";
                child.stdout.on("data", (b) => (stdout += b));
                child.stderr.on("data", (b) => (stderr += b));
                child.on("close", (status) => resolve({ status, stdout, stderr }));
            });

        it("downloads once, with the token as a bearer header, and keeps a present file", async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gguf-"));
            const first = await run(dir, `${base}/model.gguf`, "hf_token_x");
            assert.equal(first.status, 0, first.stderr);
            assert.equal(fs.readFileSync(path.join(dir, "model.gguf"), "utf8"), "GGUF-bytes");
            assert.deepEqual(served, ["/model.gguf Bearer hf_token_x"]);
            const again = await run(dir, `${base}/model.gguf`);
            assert.equal(again.status, 0);
            assert.match(again.stdout, /GGUF present/);
            assert.equal(served.length, 1, "no second download");
            fs.rmSync(dir, { recursive: true });
        });

        it("fails on a missing file and leaves no model behind (negative control)", async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gguf-"));
            const r = await run(dir, `${base}/missing.gguf`);
            assert.notEqual(r.status, 0);
            assert.equal(fs.existsSync(path.join(dir, "model.gguf")), false);
            fs.rmSync(dir, { recursive: true });
        });

        it("passes shellcheck", function () {
            if (spawnSync("shellcheck", ["--version"]).status !== 0) this.skip();
            const r = spawnSync("shellcheck", ["-s", "sh", "-"], { input: ggufFetchScript(), encoding: "utf8" });
            assert.equal(r.status, 0, r.stdout);
        });
    });
});
