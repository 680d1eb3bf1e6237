// The one place that says how the program tells the policy pack which model a serving target
// downloads and whether it can: each serving component registers this input on itself (component
// inputs reach analyzers like any resource's inputs), and policies/rules/modelAccess.ts reads it.
// It holds the model id and two booleans; never a token or any other secret.

/** Name of the component input that carries the marker. */
export const MODEL_ACCESS_INPUT = "modelAccess";

/** What a serving target downloads from Hugging Face, and whether it holds what that needs. */
export interface ModelAccessMarker {
    /** Hugging Face repository id of the model (as configured, before any AWQ/GGUF substitution). */
    readonly modelId: string;
    /** The repository is gated: downloads need a token of an account that accepted its terms. */
    readonly gated: boolean;
    /** The stack sets llm-serving:hfToken (its value never appears here). */
    readonly hfToken: boolean;
}

/** The component inputs that carry the marker. */
export function modelAccessInputs(marker: ModelAccessMarker): { [MODEL_ACCESS_INPUT]: ModelAccessMarker } {
    return { [MODEL_ACCESS_INPUT]: { modelId: marker.modelId, gated: marker.gated, hfToken: marker.hfToken } };
}
