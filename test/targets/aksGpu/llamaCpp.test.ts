import { strict as assert } from "node:assert";
import { MockRun, PlannedResource } from "../../../plan/mocks";
import { configProblems, one, plan, stackFrom, TEST_TAGS } from "../../helpers/program";
import { AKS, SECRETS } from "../../components/azure/fixtures";
import { allocatableCpu, LLAMA_CPP_TAINT, llamaPodsPerNode } from "../../../targets/aksGpu/llamaCpp";
import { LLAMA_CPP_IMAGE } from "../../../components/serving";
import { LLAMA_CPP_SERVER_IMAGE, llamaCppPods } from "../../../policies/cost/llamaCppPods";
import type { CostInputResource } from "../../../policies/cost/types";

/** aksGpu's CPU mode: llama.cpp on a D8s_v5 pool, no GPU pool, no device plugin (issue #20). */
const LLAMA = { ...AKS, spot: false, spotMaxPrice: undefined, serverKind: "llamacpp", llamaCpp: { vmSize: "Standard_D8s_v5", parallel: 2, threads: 8 }, nodes: { min: 2, max: 2 }, replicas: 2, osDiskSizeGb: 64 };

const T = {
    pool: "azure-native:containerservice:AgentPool",
    deployment: "kubernetes:apps/v1:Deployment",
    service: "kubernetes:core/v1:Service",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    release: "kubernetes:helm.sh/v3:Release",
    configMap: "kubernetes:core/v1:ConfigMap",
};

describe("aksGpu serverKind llamacpp (targets/aksGpu/llamaCpp.ts)", function () {
    this.timeout(120000);
    let run: MockRun<unknown>;
    let resources: PlannedResource[];
    before(async () => {
        run = await plan(stackFrom({ tags: TEST_TAGS, targets: { aksGpu: LLAMA } }, SECRETS));
        resources = run.resources;
    });

    it("creates a tainted, on-demand, autoscaled CPU pool and no GPU pool or device plugin", () => {
        const pool = one(resources, T.pool);
        assert.equal(pool.name, "aks-gpu-cpu-pool");
        assert.equal(pool.inputs.vmSize, "Standard_D8s_v5");
        assert.equal(pool.inputs.minCount, 2);
        assert.equal(pool.inputs.maxCount, 2);
        assert.equal(pool.inputs.scaleSetPriority, "Regular");
        assert.equal(pool.inputs.gpuProfile, undefined);
        assert.deepEqual(pool.inputs.nodeTaints, [`${LLAMA_CPP_TAINT.key}=${LLAMA_CPP_TAINT.value}:${LLAMA_CPP_TAINT.effect}`]);
        assert.equal(resources.filter((r) => r.type === T.release).length, 0, "no NVIDIA device plugin");
    });

    it("runs llama-server (fetched Q5_K_M, 2 slots, 8 threads) on the CPU pool with probes, the guard, no GPU request; objects validate", async () => {
        const { Deployment } = await import("kubernetes-models/apps/v1/Deployment");
        const { Service } = await import("kubernetes-models/v1/Service");
        const { PodDisruptionBudget } = await import("kubernetes-models/policy/v1/PodDisruptionBudget");
        const d = one(resources, T.deployment);
        const body = { apiVersion: "apps/v1", kind: "Deployment", metadata: d.inputs.metadata, spec: d.inputs.spec } as never;
        new Deployment(body).validate();
        const pod = (d.inputs.spec as any).template.spec;
        assert.deepEqual(pod.initContainers.map((c: any) => c.name), ["fetch-gguf"]);
        assert.match(pod.initContainers[0].env.find((e: any) => e.name === "GGUF_URL").value, /zephyr-7B-beta-GGUF\/resolve\/main\/zephyr-7b-beta\.Q5_K_M\.gguf$/);
        const server = pod.containers[0];
        assert.equal(server.image, LLAMA_CPP_IMAGE);
        assert.match(server.args.join(" "), /--parallel 2 --threads 8/);
        assert.equal(server.resources.requests.cpu, "4");
        assert.equal(server.resources.limits["nvidia.com/gpu"], undefined);
        assert.ok(server.startupProbe && server.readinessProbe && server.livenessProbe);
        assert.deepEqual(pod.nodeSelector, { "llm-serving/pool": "cpu" });
        assert.deepEqual(pod.tolerations.map((t: any) => t.key), [LLAMA_CPP_TAINT.key]);
        assert.deepEqual(pod.containers.map((c: any) => c.name), ["model-server", "route-guard"]);
        const svc = one(resources, T.service);
        new Service({ apiVersion: "v1", kind: "Service", metadata: svc.inputs.metadata, spec: svc.inputs.spec } as never).validate();
        assert.deepEqual((svc.inputs.spec as any).loadBalancerSourceRanges, ["198.51.100.0/24"]);
        const pdb = one(resources, T.pdb);
        new PodDisruptionBudget({ apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: pdb.inputs.metadata, spec: pdb.inputs.spec } as never).validate();
        // Negative control: the validator refuses the same Deployment with a malformed replica count.
        assert.throws(() => new Deployment({ ...(body as object), spec: { ...(d.inputs.spec as object), replicas: "two" } } as never).validate());
    });

    it("the capacity engine reads the configuration from the pod (and the program's image is the one it knows)", () => {
        assert.match(LLAMA_CPP_IMAGE, LLAMA_CPP_SERVER_IMAGE);
        const d = one(resources, T.deployment);
        const asInput = (props: unknown): CostInputResource[] => [{ urn: d.urn, type: d.type, name: d.name, props } as CostInputResource];
        const found = llamaCppPods(asInput(d.inputs));
        assert.ok(Array.isArray(found));
        assert.deepEqual(found[0].configuration, { server: "llama.cpp", accelerator: "CPU 4-vCPU Kubernetes pod", devicesPerReplica: 1, build: "gguf-q5_k_m" });
        assert.equal(found[0].parallel, 2);
        assert.equal(found[0].replicas, 2);
        // Negative controls: a bigger pod is another configuration; an unknown quantization is said, not guessed.
        const spec = JSON.parse(JSON.stringify(d.inputs.spec));
        spec.template.spec.containers[0].resources.requests.cpu = "6";
        const bigger = llamaCppPods(asInput({ ...d.inputs, spec }));
        assert.ok(Array.isArray(bigger));
        assert.equal(bigger[0].configuration.accelerator, "CPU 6-vCPU Kubernetes pod");
        const i = spec.template.spec.containers[0].args.indexOf("--model");
        spec.template.spec.containers[0].args[i + 1] = "/models/x.Q8_0.gguf";
        assert.match(String(llamaCppPods(asInput({ ...d.inputs, spec }))), /not a quantization the throughput catalog knows/);
    });

    it("fits one 4-vCPU pod per D8s_v5 (AKS reservations) and refuses what would stay Pending, spot, a GPU setting or a model without a Q5 build", () => {
        assert.equal(llamaPodsPerNode("Standard_D8s_v5"), 1);
        assert.ok(allocatableCpu(8) > 4.1 && allocatableCpu(8) < 8.2);
        assert.deepEqual(configProblems({ aksGpu: LLAMA }), []);
        assert.match(configProblems({ aksGpu: { ...LLAMA, replicas: 3, nodes: { min: 2, max: 3 } } }).join("\n"), /^$/);
        assert.match(configProblems({ aksGpu: { ...LLAMA, replicas: 2, nodes: { min: 1, max: 1 } } }).join("\n"), /targets\.aksGpu\.replicas.*must not exceed 1 \(nodes\.max 1 x 1 pod of 4 vCPUs per Standard_D8s_v5\)/);
        assert.match(configProblems({ aksGpu: { ...LLAMA, spot: true } }).join("\n"), /spot.*must be false with serverKind: llamacpp/);
        assert.match(configProblems({ aksGpu: { ...LLAMA, serverKind: "vllm" } }).join("\n"), /llamaCpp.*must only be set with serverKind: llamacpp/);
        assert.match(configProblems({ aksGpu: { ...LLAMA, llamaCpp: { vmSize: "Standard_D4s_v5" } } }).join("\n"), /llamaCpp\.vmSize.*Standard_D8s_v5/);
    });

    it("refuses a model with no Q5_K_M GGUF build before any resource (exit 2 path)", async () => {
        await assert.rejects(
            plan(stackFrom({ tags: TEST_TAGS, model: { id: "Qwen/Qwen2.5-7B-Instruct", servedName: "qwen", maxModelLen: 8192 }, targets: { aksGpu: LLAMA } }, SECRETS)),
            /serverKind.*has no Q5_K_M GGUF build/,
        );
    });
});
