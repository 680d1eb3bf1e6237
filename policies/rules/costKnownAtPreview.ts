import { StackValidationPolicy } from "@pulumi/policy";
import { estimateStack, spotMarginSchema, urnName } from "../stackCost";

/**
 * @pulumi/policy turns a policy that reads an unknown value into an advisory "can't run policy
 * during preview", so a cap fed by another resource's output would never block `pulumi preview`.
 * This policy never throws on unknowns: each cost-relevant unknown is a mandatory violation.
 */
export const costKnownAtPreview: StackValidationPolicy = {
    name: "cost-known-at-preview",
    description: "Every value the cost estimate depends on (SKU, region, counts, maxima, limits, spot settings) must be known at preview.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { spotMargin: spotMarginSchema } },
    validateStack: (args, reportViolation) => {
        const result = estimateStack(args);
        if (!result.ok) {
            reportViolation(`${result.unknownField} is unknown at preview, so the stack's cost cannot be checked. ${FIX}`);
            return;
        }
        for (const issue of result.estimate.issues) {
            if (issue.kind !== "unknown") {
                continue;
            }
            const field = issue.field ?? "a cost-relevant field";
            reportViolation(
                `${urnName(issue.urn)} [${issue.resourceType}]: ${field} is unknown at preview, so its cost cannot be checked. ${FIX}`,
                issue.urn,
            );
        }
    },
};

const FIX = "Set it from stack config or a literal, not from another resource's output.";
