import { ResourceValidationPolicy } from "@pulumi/policy";
import { SPOT_CAPABLE_KINDS, howToSpot } from "../model";
import { Capacity, capacitiesOf, isAcceleratorFamily, isAcceleratorSku } from "../resources";
import { readAt } from "../model/read";
import { CAPACITY_ROLE_LABEL, readCapacityShare } from "../contract/capacityShare";

export interface SpotRequiredConfig {
    /** Capacity kinds (the model's capacity kinds that can be spot, e.g. "aks-agent-pool"). */
    kinds?: string[];
    acceleratedOnly?: boolean;
}

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
        const capacities = capacitiesOf(args);
        for (const capacity of capacities) {
            if (!kinds.has(capacity.kind) || (acceleratedOnly && !mayBeAccelerated(capacity))) {
                continue;
            }
            const where = `${args.name} [${capacity.kind}]${capacity.at ? ` ${capacity.at}` : ""}`;
            if (capacity.spot.state === "unknown") {
                reportViolation(`${where}: ${capacity.spot.field} is unknown at preview, so spot cannot be checked. Set it from config; ${howToSpot(capacity.kind)}.`, args.urn);
            } else if (!(capacity.spot.state === "known" && capacity.spot.value)) {
                const declared = declaredOnDemand(args.props);
                if (declared !== undefined && capacities.length > 1) {
                    // The labels cover every capacity of the resource (a ManagedCluster's tags
                    // cover all its inline agent pool profiles): they cannot declare one of them.
                    reportViolation(`${where}${skuText(capacity)} is on-demand, and its resource's ${CAPACITY_ROLE_LABEL} labels cover all ${capacities.length} of its capacities, so they declare none of them: put the on-demand pool in a resource of its own (e.g. a separate agent pool) or make it spot (${howToSpot(capacity.kind)}).`, args.urn);
                    continue;
                }
                if (declared === true) {
                    continue;
                }
                if (typeof declared === "string") {
                    reportViolation(`${where}${skuText(capacity)} is on-demand and labelled ${CAPACITY_ROLE_LABEL}, but ${declared}: declare role, share and maximum, or make it spot (${howToSpot(capacity.kind)}).`, args.urn);
                    continue;
                }
                reportViolation(`${where}${skuText(capacity)} must be spot in this environment: ${howToSpot(capacity.kind)}.`, args.urn);
            }
        }
    },
};

/**
 * An on-demand floor or fallback declared as part of a shared maximum (issue 19) is accepted here.
 * Only the declaration is read here: whether the group really stays within that shared maximum
 * (same maximum on every group, a spot group beside it, its own max not above the share's) is
 * cross-checked over the whole stack by the cost engine, whose `unbounded` issues bounded-scaling
 * blocks in every environment, so a mislabelled group fails there instead of escaping the cap.
 * Returns true when declared, a problem when the labels are malformed, undefined when absent.
 */
function declaredOnDemand(props: unknown): true | string | undefined {
    for (const path of [["labels"], ["tags"], ["metadata", "labels"]]) {
        const r = readAt(props, path);
        if (r.state === "unknown") return "its labels are unknown at preview";
        if (r.state !== "known") continue;
        const share = readCapacityShare(r.value);
        if (share.state === "absent") return undefined;
        if (share.state === "invalid") return share.problem;
        return share.value.role === "spot" ? "it is labelled spot" : true;
    }
    return undefined;
}

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
    return capacity.unpinnedMayBeAccelerated === true && capacity.skus.length === 0 && capacity.families.length === 0;
}

function skuText(capacity: Capacity): string {
    const skus = capacity.skus.flatMap((s) => (s.state === "known" ? [s.value] : []));
    return skus.length > 0 ? ` (SKU ${skus.join(", ")})` : "";
}
