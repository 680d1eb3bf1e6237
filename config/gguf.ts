/**
 * Quantized GGUF builds that the CPU tier (llama.cpp) serves in place of a model's full weights,
 * keyed by the Hugging Face id of the original model. Q4_K_M: ~4.4 GB, the usual quality/speed
 * balance on CPUs (3.64 tokens/s on a 4-vCPU D4s_v3 in the edge-cpu-inference benchmarks).
 */
export const GGUF_BUILDS: Readonly<Record<string, { readonly repo: string; readonly file: string }>> = {
    "mistralai/Mistral-7B-Instruct-v0.2": {
        repo: "TheBloke/Mistral-7B-Instruct-v0.2-GGUF",
        file: "mistral-7b-instruct-v0.2.Q4_K_M.gguf",
    },
    // Ungated, like the model it quantizes (config/models.ts): what the committed stacks serve.
    "HuggingFaceH4/zephyr-7b-beta": {
        repo: "TheBloke/zephyr-7B-beta-GGUF",
        file: "zephyr-7b-beta.Q4_K_M.gguf",
    },
};

/**
 * 4-bit AWQ builds that vLLM serves on 16 GB GPUs (T4, single V100): Mistral-7B in float16 needs
 * ~13.5 GiB for weights alone, leaving no room for a KV cache; the AWQ build needs ~4 GiB
 * (AutoAWQ reports 33-35 tokens/s per request for Mistral-7B on a T4).
 */
export const AWQ_BUILDS: Readonly<Record<string, string>> = {
    "mistralai/Mistral-7B-Instruct-v0.2": "TheBloke/Mistral-7B-Instruct-v0.2-AWQ",
    "HuggingFaceH4/zephyr-7b-beta": "TheBloke/zephyr-7B-beta-AWQ",
};

/**
 * Q5_K_M builds (~5.1 GB), the precision the benchmark notes ran llama.cpp on Kubernetes with
 * (4.61 tokens/s for one request on a 4-vCPU pod, 8 threads; 6.16 in all for two): what the
 * Kubernetes llama.cpp mode serves, so its throughput figure is the one measured.
 */
export const GGUF_Q5_BUILDS: Readonly<Record<string, { readonly repo: string; readonly file: string }>> = {
    "mistralai/Mistral-7B-Instruct-v0.2": {
        repo: "TheBloke/Mistral-7B-Instruct-v0.2-GGUF",
        file: "mistral-7b-instruct-v0.2.Q5_K_M.gguf",
    },
    "HuggingFaceH4/zephyr-7b-beta": {
        repo: "TheBloke/zephyr-7B-beta-GGUF",
        file: "zephyr-7b-beta.Q5_K_M.gguf",
    },
};
