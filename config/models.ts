/**
 * Which Hugging Face model repositories are gated: their files download only with a token of an
 * account that accepted the repository's terms (`llm-serving:hfToken`). Known here by publisher
 * (every Mistral AI and Meta Llama repository, Google's Gemma family); `model.gated` in the stack
 * config overrides the guess for any other model. A gated model without a token is reported by the
 * `model-access` policy, never refused as a config error: a stack can be planned before its
 * secrets are set.
 */
const GATED_REPOS: readonly RegExp[] = [/^mistralai\//, /^meta-llama\//, /^google\/[\w.-]*gemma/i];

/** True when `modelId` is a repository known to be gated. */
export function isKnownGated(modelId: string): boolean {
    return GATED_REPOS.some((pattern) => pattern.test(modelId));
}

/**
 * The model the committed stacks serve: Zephyr-7B-beta, a Mistral-7B fine-tune (MIT licence) whose
 * repository is not gated, so a stack downloads it as committed, with no token. Its AWQ (16 GB
 * GPUs) and GGUF (llama.cpp on CPU) builds are in config/gguf.ts.
 */
export const UNGATED_DEFAULT_MODEL = "HuggingFaceH4/zephyr-7b-beta";

/** Whether the configured model is gated: the stack's `model.gated`, else the known-publisher guess. */
export function isGated(model: { readonly id: string; readonly gated?: boolean }): boolean {
    return model.gated ?? isKnownGated(model.id);
}
