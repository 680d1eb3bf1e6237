import { z } from "zod";
import { GGUF_Q5_BUILDS } from "../../config/gguf";
import { int, oneOf } from "../../config/fields";
import { AZURE_CPU_SIZES } from "../../config/azure";
import { llamaCppK8sServer, LlamaCppK8sOptions } from "../../components/k8s/llamaCpp";
import type { ModelConfig } from "../../config";
import type { ModelServerSpec } from "../../components/serving";

/**
 * The CPU mode of aksGpu (`serverKind: llamacpp`): llama.cpp's server on a CPU user pool, as the
 * benchmark notes ran it (a 4-vCPU pod, 8 threads, 2 parallel slots, Q5_K_M). No GPU pool and no
 * device plugin are created; the cluster, Secret, TLS, route guard and Service are aksGpu's own.
 * Pure builders: the component (AksGpuNodePool.ts) wires them in at one branch.
 */

/** CPU pool sizes: a 4-vCPU pod (the measured configuration) fits one per node on D8s_v5. */
export const LLAMA_CPP_POOL_SIZES = ["Standard_D8s_v5"] as const;
export const LLAMA_CPP_POOL_NAME = "cpu";
/** Our taint on the CPU model pool: only the model server lands there. */
export const LLAMA_CPP_TAINT = { key: "llm-serving/llamacpp", value: "present", effect: "NoSchedule" } as const;
export const LLAMA_CPP_NODE_LABELS = { "llm-serving/pool": LLAMA_CPP_POOL_NAME } as const;
/**
 * vCPUs of one model pod: the benchmark's pod size, so the throughput catalog's figure for a
 * "4-vCPU Kubernetes pod" applies (policies/cost/throughput.data.json).
 */
export const LLAMA_CPP_POD_CPUS = 4;
/** Memory per pod: the ~5.1 GB Q5_K_M weights plus two slots' KV cache (8k context each, ~1 GB each in f16). */
export const LLAMA_CPP_POD_MEMORY = { request: "10Gi", limit: "14Gi" } as const;
/**
 * CPU AKS keeps for itself on a node (kube-reserved): 60 m for the first core, 40 m for the second,
 * 20 m each for cores 3-4 and 10 m each above (AKS docs, "Resource reservations"), plus ~300 m for
 * the node's own DaemonSets (CNI, kube-proxy/Cilium agent, CSI): what a model pod cannot use.
 */
export function allocatableCpu(vcpus: number): number {
    const reserved = 0.06 + (vcpus >= 2 ? 0.04 : 0) + Math.min(Math.max(vcpus - 2, 0), 2) * 0.02 + Math.max(vcpus - 4, 0) * 0.01;
    return vcpus - reserved - 0.3;
}

/** Model pods one CPU node holds (the route guard's 100 m beside each). */
export function llamaPodsPerNode(vmSize: (typeof LLAMA_CPP_POOL_SIZES)[number]): number {
    return Math.floor(allocatableCpu(AZURE_CPU_SIZES[vmSize].vcpus) / (LLAMA_CPP_POD_CPUS + 0.1));
}

export const llamaCppSchema = z.strictObject(
    {
        /** CPU pool VM size. @default "Standard_D8s_v5" */
        vmSize: oneOf(LLAMA_CPP_POOL_SIZES, "llama.cpp pool sizes").default("Standard_D8s_v5"),
        /** Requests one server answers at once (llama-server `--parallel`). @default 2 (the measured setting) */
        parallel: int(1, 8).default(2),
        /** Generation threads. @default 8 (the measured setting on a 4-vCPU pod) */
        threads: int(1, 16).default(8),
    },
    { error: "must be an object { vmSize, parallel, threads }" },
);
export type LlamaCppPoolConfig = z.output<typeof llamaCppSchema>;
export const LLAMA_CPP_DEFAULTS: LlamaCppPoolConfig = { vmSize: "Standard_D8s_v5", parallel: 2, threads: 8 };

/** Problems of a llama.cpp-mode config (the aksGpu schema reports them at their keys). */
export function llamaCppConfigProblems(cfg: {
    serverKind: "vllm" | "llamacpp";
    llamaCpp?: LlamaCppPoolConfig;
    spot: boolean;
    replicas: number;
    nodes: { min: number; max: number };
    location: string;
}): { path: (string | number)[]; input: unknown; message: string }[] {
    if (cfg.serverKind !== "llamacpp") {
        return cfg.llamaCpp ? [{ path: ["llamaCpp"], input: cfg.llamaCpp, message: "must only be set with serverKind: llamacpp" }] : [];
    }
    const out: { path: (string | number)[]; input: unknown; message: string }[] = [];
    const pool = cfg.llamaCpp ?? LLAMA_CPP_DEFAULTS;
    const where = AZURE_CPU_SIZES[pool.vmSize].locations as readonly string[];
    if (!where.includes(cfg.location)) {
        out.push({ path: ["location"], input: cfg.location, message: `must be a location where ${pool.vmSize} is priced: ${where.join(", ")}` });
    }
    if (cfg.spot) out.push({ path: ["spot"], input: cfg.spot, message: "must be false with serverKind: llamacpp (the CPU pool is on-demand)" });
    const fit = llamaPodsPerNode(pool.vmSize) * cfg.nodes.max;
    if (cfg.replicas > fit) {
        out.push({ path: ["replicas"], input: cfg.replicas, message: `must not exceed ${fit} (nodes.max ${cfg.nodes.max} x ${llamaPodsPerNode(pool.vmSize)} pod of ${LLAMA_CPP_POD_CPUS} vCPUs per ${pool.vmSize}): extra replicas would stay Pending` });
    }
    return out;
}

/** The Q5_K_M GGUF build of the model, or a message naming the models that have one. */
export function q5BuildOf(modelId: string): { repo: string; file: string } | string {
    return GGUF_Q5_BUILDS[modelId] ?? `has no Q5_K_M GGUF build for llama.cpp; models with one: ${Object.keys(GGUF_Q5_BUILDS).join(", ")}`;
}

/**
 * The CPU user pool: autoscaled between `nodes.min` and `nodes.max` (the cost policy's bound),
 * tainted so only the model server lands there, on-demand, no public IPs, no GPU profile.
 */
export function llamaCppPoolSpec(cfg: { nodes: { min: number; max: number }; osDiskSizeGb: number; llamaCpp?: LlamaCppPoolConfig }) {
    const pool = cfg.llamaCpp ?? LLAMA_CPP_DEFAULTS;
    return {
        agentPoolName: LLAMA_CPP_POOL_NAME,
        mode: "User",
        vmSize: pool.vmSize,
        enableAutoScaling: true,
        minCount: cfg.nodes.min,
        maxCount: cfg.nodes.max,
        count: cfg.nodes.min,
        osType: "Linux",
        osSKU: "Ubuntu",
        osDiskSizeGB: cfg.osDiskSizeGb,
        type: "VirtualMachineScaleSets",
        enableNodePublicIP: false,
        nodeTaints: [`${LLAMA_CPP_TAINT.key}=${LLAMA_CPP_TAINT.value}:${LLAMA_CPP_TAINT.effect}`],
        nodeLabels: { ...LLAMA_CPP_NODE_LABELS },
        scaleSetPriority: "Regular",
    };
}

/** What the model-server workload takes in llama.cpp mode instead of the GPU settings. */
export function llamaCppWorkloadParts(model: ModelConfig, cfg: { llamaCpp?: LlamaCppPoolConfig; osDiskSizeGb: number }): {
    server: ModelServerSpec;
    options: LlamaCppK8sOptions;
    resources: { cpu: string; memory: string; memoryLimit: string };
    tolerations: { key: string; operator: "Equal"; value: string; effect: "NoSchedule" }[];
    nodeSelector: Record<string, string>;
    cacheSize: string;
} {
    const pool = cfg.llamaCpp ?? LLAMA_CPP_DEFAULTS;
    const gguf = q5BuildOf(model.id);
    if (typeof gguf === "string") throw new Error(`model ${model.id} ${gguf}`);
    const options: LlamaCppK8sOptions = { gguf, parallel: pool.parallel, threads: pool.threads };
    return {
        server: llamaCppK8sServer(model, options),
        options,
        resources: { cpu: String(LLAMA_CPP_POD_CPUS), memory: LLAMA_CPP_POD_MEMORY.request, memoryLimit: LLAMA_CPP_POD_MEMORY.limit },
        tolerations: [{ key: LLAMA_CPP_TAINT.key, operator: "Equal", value: LLAMA_CPP_TAINT.value, effect: LLAMA_CPP_TAINT.effect }],
        nodeSelector: { ...LLAMA_CPP_NODE_LABELS },
        // One GGUF file (~5.1 GB) with room for a second revision during a change.
        cacheSize: `${Math.min(Math.floor(cfg.osDiskSizeGb / 2), 32)}Gi`,
    };
}
