import { StackValidationPolicy } from "@pulumi/policy";
import { capacitiesOf } from "../resources";
import { estimateStack, sentence, spotMarginSchema, urnName } from "../stackCost";

/**
 * Every compute SKU and fee the stack uses must have a catalog price for its region: an unpriced
 * SKU would count as $0 and let any cap pass.
 */
export const pricedResourcesOnly: StackValidationPolicy = {
    name: "priced-resources-only",
    description: "Every cost-bearing resource must use a SKU the price catalog prices in its region.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { spotMargin: spotMarginSchema } },
    validateStack: (args, reportViolation) => {
        const result = estimateStack(args);
        if (!result.ok) {
            return; // cost-known-at-preview reports what stopped the estimate.
        }
        const byUrn = new Map(args.resources.map((r) => [r.urn, r]));
        for (const issue of result.estimate.issues) {
            if (issue.kind !== "unpriced") {
                continue;
            }
            const resource = byUrn.get(issue.urn);
            const skus = resource ? knownSkus(resource.type, resource.props) : [];
            const sku = skus.length > 0 ? ` (SKU ${skus.join(", ")})` : "";
            reportViolation(
                `${urnName(issue.urn)} [${issue.resourceType}]${sku} has no catalog price: ${sentence(issue.message)} ` +
                    "Choose a SKU and region that policies/cost/catalog.ts prices, or add a dated, sourced price for it there.",
                issue.urn,
            );
        }
    },
};

function knownSkus(type: string, props: unknown): string[] {
    return capacitiesOf({ type, props }).flatMap((c) =>
        c.skus.flatMap((s) => (s.state === "known" ? [s.value] : [])),
    );
}
