// The throughput catalog, beside the price catalog: how many output tokens per second one replica
// of each serving configuration the program deploys can produce, with the figure's source and date.
//
// Equivalence rule. Few published benchmarks ran our exact configuration (a Mistral-7B-class model
// under vLLM on one of our machines), so a figure may stand in for a configuration when it was
// measured with
//   - the same server (vLLM, vLLM's Neuron build, llama.cpp),
//   - on the same accelerator (same GPU model and memory size; for CPUs, the same VM size),
//     with one server spanning the same number of devices,
//   - at the same precision (bf16, fp16, AWQ int4, GGUF Q4_K_M),
//   - for a 7B-8B model of the same architecture as Mistral-7B: a Llama-style decoder with
//     grouped-query attention (Mistral-7B, Llama-3-8B, Llama-3.1-8B; not Llama-2-7B, which has
//     full multi-head attention and a larger KV cache per token).
// Such a figure is marked "equivalent" and names the model it was measured with. Anything else is
// "unknown": the entry keeps the nearest figure and why it does not qualify, and nothing is scaled,
// interpolated or borrowed across hardware (that would be a guess presented as a measurement).
import throughputData from "./throughput.data.json";
import type { CatalogEntry } from "./catalog";

export type Server = "vllm" | "vllm-neuron" | "llama.cpp";
export type Build = "bf16" | "fp16" | "awq-int4" | "gguf-q4_k_m" | "gguf-q5_k_m";

/** One serving configuration: what one replica runs on and how the weights are held. */
export interface ServingConfiguration {
    readonly server: Server;
    /** The catalog's accelerator kind ("NVIDIA L4"), or "CPU <sku>" for CPU-only machines. */
    readonly accelerator: string;
    /** Devices one server spans (tensor parallel over GPUs; Inferentia2 devices; 1 for a CPU VM). */
    readonly devicesPerReplica: number;
    readonly build: Build;
}

export interface ThroughputFigure {
    /** Output tokens per second of one replica at `concurrency`. */
    readonly outputTokensPerSecond: number;
    readonly concurrency: string;
    /** Median time to first token at that concurrency where the source publishes it, else null. */
    readonly medianTimeToFirstTokenMs: number | null;
    readonly match: "measured" | "equivalent";
    /** The model the figure was measured with (the original, for an equivalent figure), with notes. */
    readonly measuredModel: string;
    /** That model's Hugging Face repository id alone: a stack serving exactly it gets `match: measured`. */
    readonly measuredModelId: string;
    /** Context length of the benchmark, null where the source does not state it. */
    readonly maxModelLen: number | null;
    readonly source: string;
    /** Year-month (or date) of the source. */
    readonly sourceDate: string;
}

export interface ThroughputEntry extends ServingConfiguration {
    readonly figure: ThroughputFigure | null;
    /** For an unknown configuration: the nearest published figure, and why it does not stand in. */
    readonly nearest?: string;
    readonly why?: string;
}

const SERVERS: readonly Server[] = ["vllm", "vllm-neuron", "llama.cpp"];
const BUILDS: readonly Build[] = ["bf16", "fp16", "awq-int4", "gguf-q4_k_m", "gguf-q5_k_m"];

/** Checks the data file's shape; a malformed entry fails when the pack loads, never silently. */
export function parseThroughputData(data: unknown): ThroughputEntry[] {
    const entries = (data as { entries?: unknown } | null)?.entries;
    if (!Array.isArray(entries)) throw new Error("throughput data: expected an object with an `entries` array");
    const seen = new Set<string>();
    return entries.map((raw: unknown, i) => {
        const e = raw as ThroughputEntry;
        const where = `throughput data entry ${i} (${String(e?.server)}/${String(e?.accelerator)}/${String(e?.devicesPerReplica)}/${String(e?.build)})`;
        const fail = (why: string): never => {
            throw new Error(`${where}: ${why}`);
        };
        if (!SERVERS.includes(e.server)) fail(`server must be one of ${SERVERS.join(", ")}`);
        if (!BUILDS.includes(e.build)) fail(`build must be one of ${BUILDS.join(", ")}`);
        if (typeof e.accelerator !== "string" || e.accelerator === "") fail("accelerator must be a non-empty string");
        if (!Number.isInteger(e.devicesPerReplica) || e.devicesPerReplica < 1) fail("devicesPerReplica must be a positive integer");
        const key = configurationKey(e);
        if (seen.has(key)) fail("configuration listed twice");
        seen.add(key);
        if (e.figure === null) {
            if (!e.nearest || !e.why) fail("an unknown configuration must say the nearest figure and why it does not qualify");
            return e;
        }
        const f = e.figure;
        if (!(typeof f.outputTokensPerSecond === "number" && f.outputTokensPerSecond > 0)) fail("outputTokensPerSecond must be a number above 0");
        for (const k of ["concurrency", "measuredModel", "measuredModelId", "source", "sourceDate"] as const) if (typeof f[k] !== "string" || f[k] === "") fail(`${k} must be a non-empty string`);
        if (!/^\d{4}-\d{2}(-\d{2})?$/.test(f.sourceDate)) fail("sourceDate must be YYYY-MM or YYYY-MM-DD");
        if (f.match !== "measured" && f.match !== "equivalent") fail("match must be measured or equivalent");
        if (f.medianTimeToFirstTokenMs !== null && !(typeof f.medianTimeToFirstTokenMs === "number" && f.medianTimeToFirstTokenMs > 0)) fail("medianTimeToFirstTokenMs must be null or a number above 0");
        return e;
    });
}

export const THROUGHPUT: ReadonlyArray<ThroughputEntry> = parseThroughputData(throughputData);

export function configurationKey(c: ServingConfiguration): string {
    return `${c.server} on ${c.devicesPerReplica} x ${c.accelerator} (${c.build})`;
}

/** The catalog entry for a configuration, or undefined when the configuration is not listed at all. */
export function throughputFor(c: ServingConfiguration, entries: ReadonlyArray<ThroughputEntry> = THROUGHPUT): ThroughputEntry | undefined {
    const key = configurationKey(c);
    return entries.find((e) => configurationKey(e) === key);
}

/**
 * The 7-8B grouped-query-attention class the figures stand in for: Llama-style decoders with 32
 * layers, hidden size 4,096, 32 query heads over 8 key/value heads (the same KV cache per token).
 * Mistral-7B and its fine-tunes (Zephyr-7B-beta, which the committed stacks serve; Vigostral-7B),
 * and Meta's Llama-3-8B and Llama-3.1-8B, the models the L4 and H100 figures were measured with:
 * a stack serving one of those must get that figure (as measured), not "unknown". Llama-3's
 * vocabulary is 128k tokens against Mistral's 32k, so the same text is fewer Llama tokens: the
 * README says why $/M tokens compares only roughly across the class.
 */
export const GQA_7B_8B_CLASS: ReadonlySet<string> = new Set([
    "mistralai/Mistral-7B-v0.1",
    "mistralai/Mistral-7B-Instruct-v0.1",
    "mistralai/Mistral-7B-Instruct-v0.2",
    "mistralai/Mistral-7B-Instruct-v0.3",
    "HuggingFaceH4/zephyr-7b-beta",
    "bofenghuang/vigostral-7b-chat",
    "Open-Orca/Mistral-7B-OpenOrca",
    "meta-llama/Meta-Llama-3-8B",
    "meta-llama/Meta-Llama-3-8B-Instruct",
    // Meta renamed the 3.1 repositories; Hugging Face serves both names.
    "meta-llama/Meta-Llama-3.1-8B",
    "meta-llama/Meta-Llama-3.1-8B-Instruct",
    "meta-llama/Llama-3.1-8B",
    "meta-llama/Llama-3.1-8B-Instruct",
]);

/** Hugging Face's two names for a Llama 3.1 repository, as one. */
const canonicalModel = (id: string) => id.replace(/^meta-llama\/Meta-Llama-3\.1-/, "meta-llama/Llama-3.1-");

/**
 * How `figure` relates to a stack serving `modelId`: measured when it is the model the figure was
 * measured with, equivalent for another model of the class (the caller checks the class).
 */
export function matchFor(figure: ThroughputFigure, modelId: string): "measured" | "equivalent" {
    return canonicalModel(figure.measuredModelId) === canonicalModel(modelId) ? "measured" : "equivalent";
}

/**
 * GPU memory of a whole machine below which the program serves the 4-bit AWQ build: float16
 * weights of a 7B model (~13.5 GiB) leave no room for a KV cache on 16 GB. The program makes the
 * same choice (config: MIN_FP16_GPU_MEMORY_GB); a test holds the two together.
 */
export const MIN_FP16_GPU_MEMORY_GB = 24;
/** GPUs without bfloat16, where vLLM is told `--dtype half` (the program's NO_BF16 list, by catalog kind). */
const NO_BF16_KINDS = ["NVIDIA T4", "NVIDIA V100"];

/**
 * How the program serves the model on one machine of `entry`, read from what the machine carries:
 * vLLM on NVIDIA GPUs (one server spanning every GPU of the machine; AWQ under 24 GB, float16 on
 * GPUs without bf16, else bf16), vLLM's Neuron build on Inferentia2 (one device per replica,
 * bf16), llama.cpp with the Q4_K_M GGUF build on a machine without accelerators.
 */
export function servingConfigurationOf(entry: CatalogEntry): ServingConfiguration {
    const acc = entry.accelerators;
    if (!acc) return { server: "llama.cpp", accelerator: `CPU ${entry.sku}`, devicesPerReplica: 1, build: "gguf-q4_k_m" };
    if (acc.kind === "AWS Inferentia2") return { server: "vllm-neuron", accelerator: acc.kind, devicesPerReplica: 1, build: "bf16" };
    const build: Build = acc.memoryGb < MIN_FP16_GPU_MEMORY_GB ? "awq-int4" : NO_BF16_KINDS.includes(acc.kind) ? "fp16" : "bf16";
    return { server: "vllm", accelerator: acc.kind, devicesPerReplica: acc.count, build };
}
