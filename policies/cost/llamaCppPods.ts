// llama.cpp on Kubernetes, for the capacity engine (tokens.ts): a CPU model server is not one
// machine per replica (it shares nodes with other pods and its node pool sits beside the system
// pool), so its serving configuration is read from the pod itself: llama.cpp's server image, the
// GGUF file's quantization in its `--model` argument, its `--parallel` slots and its CPU request.
// The throughput catalog lists such configurations as "CPU <n>-vCPU Kubernetes pod".
import { REPLICATED_WORKLOADS } from "../model/kubernetes/workloads";
import { PathKey, readArray, readCount, readField, readString, readStringList } from "../model/read";
import { parseQuantity } from "./quantity";
import type { Build, ServingConfiguration } from "./throughput";
import type { CostInputResource } from "./types";

/** llama.cpp's published server images (ghcr.io/ggml-org/llama.cpp:server-<build>). */
export const LLAMA_CPP_SERVER_IMAGE = /^ghcr\.io\/ggml-org\/llama\.cpp:server(-[\w.-]+)?(@sha256:[0-9a-f]{64})?$/;
/** GGUF quantizations the throughput catalog has builds for, by the file-name suffix llama.cpp's converters write. */
const GGUF_BUILDS: ReadonlyArray<[RegExp, Build]> = [
    [/\.Q5_K_M\.gguf$/i, "gguf-q5_k_m"],
    [/\.Q4_K_M\.gguf$/i, "gguf-q4_k_m"],
];

export interface LlamaCppPods {
    readonly configuration: ServingConfiguration;
    /** llama-server `--parallel` (1 when absent: llama-server's default before auto). */
    readonly parallel: number;
    readonly replicas: number;
    readonly source: string;
}

/** The value after `flag` in an argument list. */
function argValue(args: readonly string[], flag: string): string | undefined {
    const i = args.indexOf(flag);
    return i >= 0 && i + 1 < args.length ? args[i + 1] : undefined;
}

/**
 * The llama.cpp server workloads among `members`: undefined when there is none, a string saying
 * why when one exists but cannot be read (the caller reports the figures unknown, never guesses).
 */
export function llamaCppPods(members: ReadonlyArray<CostInputResource>): LlamaCppPods[] | string | undefined {
    const out: LlamaCppPods[] = [];
    for (const r of members) {
        if (!REPLICATED_WORKLOADS.includes(r.type)) continue;
        const spec: PathKey[] = ["spec", "template", "spec"];
        const containers = readArray(r.props, [...spec, "containers"]);
        if (containers.state !== "known") continue;
        for (let i = 0; i < containers.value.length; i++) {
            const image = readString(r.props, [...spec, "containers", i, "image"]);
            if (image.state !== "known" || !LLAMA_CPP_SERVER_IMAGE.test(image.value)) continue;
            const where = `${r.name} container ${i}`;
            const args = readStringList(r.props, [...spec, "containers", i, "args"]);
            if (args.state !== "known") return `${where}: llama-server's arguments are not known at preview`;
            const model = argValue(args.value, "--model") ?? argValue(args.value, "-m");
            const build = model ? GGUF_BUILDS.find(([re]) => re.test(model))?.[1] : undefined;
            if (!build) return `${where}: the GGUF file ${model ?? "(no --model)"} is not a quantization the throughput catalog knows (Q4_K_M, Q5_K_M)`;
            const cpu = readField(r.props, [...spec, "containers", i, "resources", "requests", "cpu"]);
            const vcpus = cpu.state === "known" ? parseQuantity(cpu.value) : undefined;
            if (vcpus === undefined || !(vcpus > 0)) return `${where}: the server's CPU request is not known at preview`;
            const parallelArg = argValue(args.value, "--parallel") ?? argValue(args.value, "-np");
            const parallel = parallelArg === undefined ? 1 : Number(parallelArg);
            if (!Number.isInteger(parallel) || parallel < 1) return `${where}: --parallel ${parallelArg} is not a whole number`;
            const n = readCount(r.props, ["spec", "replicas"]);
            if (n.state !== "known") return `${where}: the replicas are not known at preview`;
            out.push({
                configuration: { server: "llama.cpp", accelerator: `CPU ${vcpus}-vCPU Kubernetes pod`, devicesPerReplica: 1, build },
                parallel,
                replicas: n.value,
                source: `${r.name} replicas ${n.value}`,
            });
        }
    }
    return out.length > 0 ? out : undefined;
}

/** Slots the catalog's Kubernetes llama.cpp figures were measured with (throughput.data.json: "2 parallel slots"). */
export const MEASURED_PARALLEL_SLOTS = 2;
