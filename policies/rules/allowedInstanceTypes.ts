import { ResourceValidationPolicy } from "@pulumi/policy";
import { guardedKinds } from "../guarded";
import { Capacity, Cloud, capacitiesOf, understandsCapacity } from "../resources";

export interface AllowedInstanceTypesConfig {
    allowed: Partial<Record<Cloud, string[]>>;
}

const skuList = { type: "array", items: { type: "string", minLength: 1 }, uniqueItems: true } as const;

/**
 * Only the SKUs reviewed for this environment may run: GPU spend is decided per environment, not
 * per pull request. A SKU that is missing or unknown at preview is not on the list either.
 */
export const allowedInstanceTypes: ResourceValidationPolicy = {
    name: "allowed-instance-types",
    description: "Compute SKUs (GCP templates and VMs, Azure VMs, AKS pools, Azure ML deployments, EKS node groups, EC2 instances, Karpenter NodePools) must be on the environment's allow-list.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowed: {
                type: "object",
                description: "Allowed SKUs per cloud; a cloud left out allows none.",
                properties: { gcp: skuList, azure: skuList, aws: skuList },
                additionalProperties: false,
            },
        },
        required: ["allowed"],
    },
    validateResource: (args, reportViolation) => {
        const capacities = capacitiesOf(args);
        if (capacities.length === 0) {
            const carried = guardedKinds(args.type).filter((k) => k === "size" || k === "count");
            if (carried.length > 0 && !understandsCapacity(args.type)) {
                // Fail closed: a type this policy has no reader for must not pass for want of one.
                reportViolation(
                    `${args.name} [${args.type}]: this resource type carries compute (a ${carried.map((k) => (k === "size" ? "machine size" : "node count")).join(" and a ")}) that this policy does not read, so it is refused as not understood. Use a resource type the pack checks, or add a kind for it to the pack's resource model (policies/model/).`,
                    args.urn,
                );
            }
            return;
        }
        const allowed = args.getConfig<AllowedInstanceTypesConfig>().allowed ?? {};
        for (const capacity of capacities) {
            for (const problem of skuProblems(capacity, allowed[capacity.cloud] ?? [])) {
                reportViolation(`${args.name} [${capacity.kind}]: ${problem}`, args.urn);
            }
        }
    },
};

function skuProblems(capacity: Capacity, allowed: ReadonlyArray<string>): string[] {
    const allowedText = allowed.length > 0 ? allowed.join(", ") : `none on ${capacity.cloud}`;
    if (capacity.skus.length === 0) {
        return [`no SKU is pinned at ${capacity.skuField}, so it could run any size. Set it to one of: ${allowedText}.`];
    }
    const allowedLower = new Set(allowed.map((s) => s.toLowerCase()));
    const problems: string[] = [];
    for (const sku of capacity.skus) {
        if (sku.state === "unknown") {
            problems.push(`${sku.field} is unknown at preview, so its SKU cannot be checked. Set it from config to one of: ${allowedText}.`);
        } else if (sku.state === "known" && !allowedLower.has(sku.value.toLowerCase())) {
            problems.push(`SKU ${sku.value} (${sku.field}) is not allowed in this environment. Use one of: ${allowedText}.`);
        }
    }
    return problems;
}
