import { ResourceValidationPolicy } from "@pulumi/policy";
import { MODEL_ACCESS_INPUT } from "../contract/modelAccess";
import { readAt } from "../model/read";

/**
 * A serving target that downloads a gated Hugging Face model needs `llm-serving:hfToken`: without
 * it every replica fails its download (401/403) and restarts forever, while the stack deploys
 * "successfully". The program marks each serving component with what it downloads
 * (policies/contract/modelAccess.ts: the model id, whether it is gated, whether a token is set; never the
 * token). Advisory: a stack may be planned and previewed before its secrets are set; the message
 * says what to set. A marker field unknown at preview is reported too, never skipped.
 */
export const modelAccess: ResourceValidationPolicy = {
    name: "model-access",
    description: "A serving target of a gated Hugging Face model needs llm-serving:hfToken (from an account that accepted the model's terms), or an ungated model.",
    enforcementLevel: "advisory",
    validateResource: (args, reportViolation) => {
        const marker = readAt(args.props, [MODEL_ACCESS_INPUT]);
        if (marker.state !== "known") return;
        const report = (message: string) => reportViolation(`${args.name} [${args.type}]: ${message}`, args.urn);
        const gated = readAt(args.props, [MODEL_ACCESS_INPUT, "gated"]);
        const token = readAt(args.props, [MODEL_ACCESS_INPUT, "hfToken"]);
        const model = readAt(args.props, [MODEL_ACCESS_INPUT, "modelId"]);
        const modelName = model.state === "known" && typeof model.value === "string" ? model.value : "the model";
        if (gated.state === "unknown" || token.state === "unknown") {
            report(`whether ${modelName} is gated or has a token is unknown at preview; build ${MODEL_ACCESS_INPUT} from config`);
            return;
        }
        const isGated = gated.state === "known" && gated.value === true;
        const hasToken = token.state === "known" && token.value === true;
        if (isGated && !hasToken) {
            report(
                `serves ${modelName}, a gated Hugging Face model, but llm-serving:hfToken is not set: every replica would fail to download it. ` +
                    `Accept the model's terms on Hugging Face, then run: pulumi config set --secret llm-serving:hfToken <token>; ` +
                    `or serve an ungated model (llm-serving:model.id, e.g. HuggingFaceH4/zephyr-7b-beta).`,
            );
        }
    },
};
