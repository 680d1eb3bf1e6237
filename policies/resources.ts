// What the SKU and spot policies read of compute capacity. The readers belong to the resource
// kinds (policies/model/); this module adds the clouds' accelerator naming and hands stack
// policies' resources to the cost engine.
import { PolicyResource } from "@pulumi/policy";
import type { CostInputResource } from "./cost/estimate";
import type { Cloud } from "./model";

export { CAPACITY_KINDS, capacitiesOf, understandsCapacity } from "./model";
export type { Capacity, Cloud, TypedProps } from "./model";

/** Stack policies hand the cost engine URNs, not resource objects; props pass through untouched. */
export function toCostInput(r: PolicyResource): CostInputResource {
    const propertyDependencies: Record<string, string[]> = {};
    for (const [key, deps] of Object.entries(r.propertyDependencies ?? {})) {
        propertyDependencies[key] = deps.map((d) => d.urn);
    }
    return { urn: r.urn, type: r.type, name: r.name, props: r.props, propertyDependencies };
}

/**
 * Accelerator SKUs by the clouds' naming: GCP g2/a2/a3/g4 (GPUs built in), Azure N-series,
 * AWS p/g (GPU), inf/trn (Neuron) and dl. Spot requirements apply to these.
 */
export function isAcceleratorSku(cloud: Cloud, sku: string): boolean {
    switch (cloud) {
        case "gcp":
            return /^(a2|a3|a4|g2|g4)-/i.test(sku);
        case "azure":
            return /^Standard_N/i.test(sku);
        case "aws":
            return /^(p\d|g\d|inf\d|trn\d|dl\d)/i.test(sku);
    }
}

/** Karpenter instance families with accelerators (same prefixes as the SKUs, without the size). */
export function isAcceleratorFamily(family: string): boolean {
    return /^(p\d|g\d|inf\d|trn\d|dl\d)/i.test(family);
}
