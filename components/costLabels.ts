import type { SharedStackConfig } from "../config";

/**
 * Cost-allocation labels for every labelable resource. Keys and values follow GCP label rules,
 * which are the strictest of the three clouds, so the same map works as Azure and AWS tags.
 */
export function costLabels(config: Pick<SharedStackConfig, "tags">): Record<string, string> {
    return {
        owner: config.tags.owner,
        "cost-center": config.tags.costCenter,
        environment: config.tags.environment,
        app: "llm-serving",
        "managed-by": "pulumi",
    };
}
