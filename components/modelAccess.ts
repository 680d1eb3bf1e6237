import { isGated, ModelConfig } from "../config";
import { MODEL_ACCESS_INPUT, ModelAccessMarker, modelAccessInputs } from "../policies/contract/modelAccess";

/**
 * The inputs every serving component registers on itself (its `super(...)` args): which model it
 * downloads, whether that model is gated and whether the stack holds a token for it. The
 * `model-access` policy reads them; whether a token is set is a boolean, its value never appears.
 */
export function modelAccessOf(model: ModelConfig, hfToken: unknown): { [MODEL_ACCESS_INPUT]: ModelAccessMarker } {
    return modelAccessInputs({ modelId: model.id, gated: isGated(model), hfToken: hfToken !== undefined });
}
