import { ModelConfig } from "../config";
import { Accelerator, NO_BF16_ACCELERATORS } from "../policies/contract/serving";
import { LLAMA_CPP_METRICS_FLAG } from "../policies/contract/observability";

export type { Accelerator };

/**
 * How the model is served, once for every target: image, arguments, port, health path and the
 * names under which secrets reach the server. Targets turn this into a container spec, a
 * startup script or a RayService, so all five serve the same model the same way.
 */

/** vLLM's OpenAI-compatible server, pinned: its own examples use `latest`, which never reproduces. */
export const VLLM_IMAGE = "vllm/vllm-openai:v0.11.0";
/** The port vLLM's OpenAI server listens on by default. */
export const SERVER_PORT = 8000;
/** vLLM answers 200 here once the model is loaded; it is outside `/v1`, so it needs no key. */
export const HEALTH_PATH = "/health";
/** The only routes `--api-key` protects; everything public must be restricted to these (vLLM security docs). */
export const OPENAI_ROUTE_PREFIX = "/v1/";
/** vLLM reads its API key from this variable (same effect as `--api-key`), keeping it off the command line. */
export const API_KEY_ENV = "VLLM_API_KEY";
/** The Hugging Face client reads the download token from this variable. */
export const HF_TOKEN_ENV = "HF_TOKEN";
/** Where weights are cached inside the container; mount a volume here to survive restarts. */
export const HF_CACHE_PATH = "/root/.cache/huggingface";
/**
 * Seconds a cold replica may take to pull the image, download ~15 GB of weights and load them.
 * Probes and autohealing delays are sized from this.
 */
export const MODEL_LOAD_SECONDS = 1200;


export interface ModelServerSpec {
    readonly image: string;
    readonly args: readonly string[];
    readonly port: number;
    readonly healthPath: string;
    /** Environment variable names the secrets must be delivered in (never literal values). */
    readonly secretEnv: { readonly apiKey: string; readonly hfToken: string };
    readonly loadSeconds: number;
}

export interface VllmOptions {
    readonly accelerator: Accelerator;
    /** GPUs one server spans. @default 1 */
    readonly tensorParallelSize?: number;
}

/** What every vLLM build is told: which model, under which name, how much context, where to listen. */
export function vllmModelArgs(model: ModelConfig): string[] {
    return [
        "--model", model.id,
        "--served-model-name", model.servedName,
        "--max-model-len", String(model.maxModelLen),
        "--host", "0.0.0.0",
        "--port", String(SERVER_PORT),
        ...(model.revision ? ["--revision", model.revision] : []),
    ];
}

/** The vLLM server for `model` on NVIDIA GPUs. */
export function vllmServer(model: ModelConfig, opts: VllmOptions): ModelServerSpec {
    const tp = opts.tensorParallelSize ?? 1;
    const args = [
        ...vllmModelArgs(model),
        ...(NO_BF16_ACCELERATORS.includes(opts.accelerator) ? ["--dtype", "half"] : []),
        ...(tp > 1 ? ["--tensor-parallel-size", String(tp)] : []),
    ];
    return {
        image: VLLM_IMAGE,
        args,
        port: SERVER_PORT,
        healthPath: HEALTH_PATH,
        secretEnv: { apiKey: API_KEY_ENV, hfToken: HF_TOKEN_ENV },
        loadSeconds: MODEL_LOAD_SECONDS,
    };
}

/**
 * vLLM's Neuron build (AWS Deep Learning Container for vLLM on Inferentia2/Trainium), pinned.
 * It lacks Ray, so the inf2 target serves an image built FROM it by
 * images/neuron-ray-serve/Dockerfile (whose BASE_IMAGE must match this), named in config.
 */
export const NEURON_VLLM_IMAGE = "public.ecr.aws/neuron/pytorch-inference-vllm-neuronx:0.9.1-neuronx-py311-sdk2.26.0-ubuntu22.04";
/** Each Inferentia2 device (`aws.amazon.com/neuron`) carries two NeuronCore-v2. */
export const NEURON_CORES_PER_DEVICE = 2;

export interface NeuronOptions {
    /** Inferentia2 devices one server spans; tensor parallelism runs over their cores. @default 1 */
    readonly devices?: number;
    /** Concurrent sequences; Neuron compiles graphs for a fixed batch size. @default 8 */
    readonly maxNumSeqs?: number;
    /** An image with vLLM for Neuron and Ray Serve (images/neuron-ray-serve/Dockerfile). */
    readonly image: string;
}

/**
 * The vLLM server for `model` on AWS Neuron (Inferentia2): the same arguments, port, health path
 * and secret names as `vllmServer`, with tensor parallelism over the NeuronCores it is given.
 * First start compiles the model for Neuron, so it takes longer than on a GPU.
 */
export function neuronServer(model: ModelConfig, opts: NeuronOptions): ModelServerSpec {
    const devices = opts.devices ?? 1;
    const args = [
        ...vllmModelArgs(model),
        "--tensor-parallel-size", String(devices * NEURON_CORES_PER_DEVICE),
        "--max-num-seqs", String(opts.maxNumSeqs ?? 8),
        // No --block-size: the parser admits only 1-128, and the Neuron platform sets the block size
        // to max-model-len itself (one fixed-shape block per sequence).
    ];
    return {
        image: opts.image,
        args,
        port: SERVER_PORT,
        healthPath: HEALTH_PATH,
        secretEnv: { apiKey: API_KEY_ENV, hfToken: HF_TOKEN_ENV },
        loadSeconds: MODEL_LOAD_SECONDS * 2,
    };
}

/** llama.cpp's server, CPU build, pinned to one release (its `server` tag moves with every commit). */
export const LLAMA_CPP_IMAGE = "ghcr.io/ggml-org/llama.cpp:server-b7010";
/** llama-server reads its API key from this variable (same effect as `--api-key`). */
export const LLAMA_API_KEY_ENV = "LLAMA_API_KEY";
/**
 * llama-server serves /metrics only with this flag (llama.cpp's common/arg.cpp; off by default):
 * the metrics collectors beside it scrape that page (components/observability/metrics.data.json
 * "llamacpp"), and model-server-observability checks it is there. The route guard still forwards
 * only /v1/, so the page is never public.
 */
export { LLAMA_CPP_METRICS_FLAG };

export interface LlamaCppOptions {
    /** Quantized GGUF build of the model (config/gguf.ts). */
    readonly gguf: { readonly repo: string; readonly file: string };
    /** CPU threads for generation. @default llama-server's choice (all cores) */
    readonly threads?: number;
}

/**
 * llama.cpp's OpenAI-compatible server for CPU-only machines: the same port, health path and
 * served name as vLLM, with a quantized GGUF build of the model downloaded from Hugging Face.
 */
export function llamaCppServer(model: ModelConfig, opts: LlamaCppOptions): ModelServerSpec {
    const args = [
        "--hf-repo", opts.gguf.repo,
        "--hf-file", opts.gguf.file,
        "--alias", model.servedName,
        "--ctx-size", String(model.maxModelLen),
        "--host", "0.0.0.0",
        "--port", String(SERVER_PORT),
        ...(opts.threads ? ["--threads", String(opts.threads)] : []),
        LLAMA_CPP_METRICS_FLAG,
    ];
    return {
        image: LLAMA_CPP_IMAGE,
        args,
        port: SERVER_PORT,
        healthPath: HEALTH_PATH,
        secretEnv: { apiKey: LLAMA_API_KEY_ENV, hfToken: HF_TOKEN_ENV },
        // ~4.4 GB of weights to download and map; no GPU driver to wait for.
        loadSeconds: 600,
    };
}

/** The OpenAI base URL clients configure (`OPENAI_BASE_URL`), from the endpoint's origin. */
export function openAiBaseUrl(origin: string): string {
    return `${origin.replace(/\/+$/, "")}/v1`;
}

/** POSIX shell quoting for one argument (used by startup scripts built from the spec). */
export function shellQuote(arg: string): string {
    return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'"'"'`)}'`;
}
