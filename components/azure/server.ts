import { AWQ_BUILDS, AZURE_GPU_SIZES, AzureGpuSizeName, ModelConfig, needsAwq } from "../../config";
import { ModelServerSpec, vllmServer } from "../serving";

/**
 * vLLM for an Azure GPU size: float16/bfloat16 weights where they fit with a KV cache, the
 * model's 4-bit AWQ build on 16 GB GPUs (served under the same name, so clients see no change).
 */
export function azureVllmServer(model: ModelConfig, size: AzureGpuSizeName): ModelServerSpec {
    const { accelerator, gpus } = AZURE_GPU_SIZES[size];
    if (!needsAwq(size)) return vllmServer(model, { accelerator, tensorParallelSize: gpus });
    const awq = AWQ_BUILDS[model.id];
    // The config schema refuses such a size for a model without an AWQ build; this is a backstop.
    if (!awq) throw new Error(`${size} has too little GPU memory for ${model.id} and no AWQ build is known`);
    const spec = vllmServer({ ...model, id: awq, revision: undefined }, { accelerator, tensorParallelSize: gpus });
    return { ...spec, args: [...spec.args, "--quantization", "awq"] };
}
