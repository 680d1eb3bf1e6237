import { ResourceValidationPolicy } from "@pulumi/policy";
import { entriesOf } from "../inspect";
import { AZURE_PLATFORM } from "../model/azure/platform";
import { readAt } from "../model/read";
import { tagPropertyOf } from "../taggable";

export interface CostAllocationTagsConfig {
    requiredKeys?: string[];
    kubernetesLabels?: boolean;
    exemptTypes?: string[];
}

const DEFAULT_KEYS = ["owner", "cost-center", "environment"];
/**
 * Key Vault secrets and keys take `tags` in the SDK, but those are data-plane attributes of the
 * secret, not ARM resource tags: cost management never sees them (the vault is what is billed).
 */
const DEFAULT_EXEMPT = [AZURE_PLATFORM.keyVaultSecret, AZURE_PLATFORM.keyVaultKey];

/**
 * Every taggable resource carries the cost-allocation keys, so each bill line can be charged to
 * an owner, a cost center and an environment (origin: FinOps tagging practice; AWS/Azure/GCP cost
 * allocation docs). Taggable means the provider SDK's input type has `tags` (AWS, Azure) or
 * `labels` (GCP) — taggable.data.json, generated from the SDKs. Kubernetes metadata.labels are
 * optional (`kubernetesLabels`): the cloud bills nodes, not objects.
 */
export const costAllocationTags: ResourceValidationPolicy = {
    name: "cost-allocation-tags",
    description: "Taggable AWS/Azure resources (tags) and GCP resources (labels) must carry owner, cost-center and environment.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            requiredKeys: {
                type: "array",
                items: { type: "string", minLength: 1 },
                minItems: 1,
                uniqueItems: true,
                default: DEFAULT_KEYS,
                description: "Tag/label keys every taggable resource must carry, with a non-empty value.",
            },
            kubernetesLabels: { type: "boolean", default: false, description: "Also require the keys in Kubernetes metadata.labels." },
            exemptTypes: {
                type: "array",
                items: { type: "string", minLength: 1 },
                default: [...DEFAULT_EXEMPT],
                description: "Type tokens exempt from tagging, each with a reason in the pack's README.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        const config = args.getConfig<CostAllocationTagsConfig>();
        if ((config.exemptTypes ?? DEFAULT_EXEMPT).includes(args.type)) {
            return;
        }
        const isKubernetes = args.type.startsWith("kubernetes:") && !args.type.startsWith("kubernetes:helm.sh/");
        const path = tagPropertyOf(args.type) ?? (isKubernetes && config.kubernetesLabels ? "metadata.labels" : undefined);
        if (!path) {
            return;
        }
        const keys = config.requiredKeys ?? DEFAULT_KEYS;
        const report = (message: string) => reportViolation(`${args.name} [${args.type}]: ${message}`, args.urn);
        const tags = readAt(args.props, path.split("."));
        if (tags.state === "unknown") {
            report(`${tags.field} is unknown at preview, so cost allocation cannot be checked. Build it from config with ${keys.join(", ")}.`);
            return;
        }
        const present = new Map(entriesOf(tags));
        const missing = keys.filter((k) => {
            const value = present.get(k);
            return value === undefined || value.state === "absent" || (value.state === "known" && String(value.value).trim() === "");
        });
        if (missing.length > 0) {
            report(`${path} lacks ${missing.join(", ")}. Set ${keys.join(", ")} (components get them from costLabels in components/costLabels.ts).`);
        }
    },
};
