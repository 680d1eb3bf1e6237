import { ResourceValidationPolicy } from "@pulumi/policy";
import { CAPACITY_KINDS, Capacity, CapacityKind, capacitiesOf, isAcceleratorFamily, isAcceleratorSku } from "../resources";

/** Azure ML managed online deployments cannot run on spot, so they cannot be required to. */
const SPOT_CAPABLE_KINDS = CAPACITY_KINDS.filter((k) => k !== "azure-ml-deployment");

export interface SpotRequiredConfig {
    kinds?: CapacityKind[];
    acceleratedOnly?: boolean;
}

/** What to set, per kind, to make the capacity spot. */
const HOW_TO_SPOT: Readonly<Record<CapacityKind, string>> = {
    "gcp-instance-template": 'set scheduling.provisioningModel to "SPOT" (with automaticRestart false, onHostMaintenance "TERMINATE")',
    "gcp-instance": 'set scheduling.provisioningModel to "SPOT" (with automaticRestart false, onHostMaintenance "TERMINATE")',
    "azure-vm": 'set priority to "Spot" with an evictionPolicy and billingProfile.maxPrice',
    "aks-agent-pool": 'set scaleSetPriority to "Spot" with scaleSetEvictionPolicy "Delete" (this replaces the pool)',
    "azure-ml-deployment": "Azure ML managed online deployments have no spot option",
    "eks-node-group": 'set capacityType to "SPOT"',
    "ec2-instance": 'set instanceMarketOptions.marketType to "spot"',
    "ec2-launch-template": 'set instanceMarketOptions.marketType to "spot"',
    "karpenter-node-pool": 'add the requirement karpenter.sh/capacity-type In ["spot"] (spot only, with the interruption queue)',
};

/**
 * Where the environment says so (dev), accelerator capacity must be spot: interruptions are
 * acceptable there and spot GPUs cost a third to a tenth of on-demand.
 */
export const spotRequired: ResourceValidationPolicy = {
    name: "spot-required",
    description: "Capacity of the configured kinds (by default only accelerator SKUs) must be spot in this environment.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            kinds: {
                type: "array",
                items: { type: "string", enum: [...SPOT_CAPABLE_KINDS] },
                uniqueItems: true,
                default: [],
                description: "Kinds of capacity that must be spot here; empty requires none.",
            },
            acceleratedOnly: {
                type: "boolean",
                default: true,
                description: "Require spot only for accelerator (GPU, Inferentia) SKUs, not for system pools.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        const config = args.getConfig<SpotRequiredConfig>();
        const kinds = new Set(config.kinds ?? []);
        const acceleratedOnly = config.acceleratedOnly ?? true;
        for (const capacity of capacitiesOf(args)) {
            if (!kinds.has(capacity.kind) || (acceleratedOnly && !mayBeAccelerated(capacity))) {
                continue;
            }
            const where = `${args.name} [${capacity.kind}]${capacity.at ? ` ${capacity.at}` : ""}`;
            if (capacity.spot.state === "unknown") {
                reportViolation(`${where}: ${capacity.spot.field} is unknown at preview, so spot cannot be checked. Set it from config; ${HOW_TO_SPOT[capacity.kind]}.`, args.urn);
            } else if (!(capacity.spot.state === "known" && capacity.spot.value)) {
                reportViolation(`${where}${skuText(capacity)} must be spot in this environment: ${HOW_TO_SPOT[capacity.kind]}.`, args.urn);
            }
        }
    },
};

/**
 * Accelerated if any SKU or family is an accelerator type. Fails closed: a SKU unknown at preview,
 * or a NodePool that pins neither types nor families, may launch GPUs, so it counts as accelerated.
 */
function mayBeAccelerated(capacity: Capacity): boolean {
    if (capacity.hasGuestAccelerators) {
        return true;
    }
    if (capacity.skus.some((s) => s.state === "unknown" || (s.state === "known" && isAcceleratorSku(capacity.cloud, s.value)))) {
        return true;
    }
    if (capacity.families.some((f) => f.state === "unknown" || (f.state === "known" && isAcceleratorFamily(f.value)))) {
        return true;
    }
    return capacity.kind === "karpenter-node-pool" && capacity.skus.length === 0 && capacity.families.length === 0;
}

function skuText(capacity: Capacity): string {
    const skus = capacity.skus.flatMap((s) => (s.state === "known" ? [s.value] : []));
    return skus.length > 0 ? ` (SKU ${skus.join(", ")})` : "";
}
