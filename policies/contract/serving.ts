// Types the serving targets and the config schema share. They live beside the pack's other
// contract names so that config/ and the targets depend on one neutral module rather than on each
// other. This file imports nothing.

/** The GPU models the targets run, as the clouds' accelerator families name them. */
export type Accelerator = "nvidia-l4" | "nvidia-a100" | "nvidia-t4" | "nvidia-v100" | "nvidia-a10" | "nvidia-h100";

/** Compute capability below 8.0 has no bfloat16: such GPUs must run the model in float16. */
export const NO_BF16_ACCELERATORS: readonly Accelerator[] = ["nvidia-t4", "nvidia-v100"];
