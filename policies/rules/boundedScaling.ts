import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { NODE_POOL_TYPES } from "../model/kubernetes/karpenter";
import { KEDA } from "../model/kubernetes/observability";
import { readAt } from "../model/read";
import { estimateStack, sentence, spotMarginSchema, urnName } from "../stackCost";

const NODE_POOLS: ReadonlySet<string> = new Set(NODE_POOL_TYPES);

/**
 * Capacity made at run time (autoscalers, node pools, Karpenter) is not a Pulumi resource; only
 * its declared maximum bounds the bill. A group with no maximum has no worst case.
 */
export const boundedScaling: StackValidationPolicy = {
    name: "bounded-scaling",
    description: "Every scaled group must declare a maximum (autoscaler max, node-pool max, Karpenter NodePool spec.limits).",
    enforcementLevel: "mandatory",
    configSchema: { properties: { spotMargin: spotMarginSchema } },
    validateStack: (args, reportViolation) => {
        const reported = new Set<string>();
        const result = estimateStack(args);
        if (result.ok) {
            for (const issue of result.estimate.issues) {
                if (issue.kind !== "unbounded") {
                    continue;
                }
                reported.add(issue.urn);
                const field = issue.field ? ` (${issue.field})` : "";
                reportViolation(
                    `${urnName(issue.urn)} [${issue.resourceType}]${field} has no upper bound: ${sentence(issue.message)} ` +
                        "Set a maximum (max replicas, maxCount, capacity.maximum, NodePool spec.limits).",
                    issue.urn,
                );
            }
        }
        // A KEDA ScaledObject sets its Deployment's replicas; without maxReplicaCount KEDA allows 100.
        for (const so of args.resources.filter((r) => r.type === KEDA.scaledObject)) {
            const problem = scaledObjectProblem(so);
            if (problem) reportViolation(`${urnName(so.urn)} [${so.type}]: ${problem}`, so.urn);
        }
        // Checked here as well as by the engine, so a NodePool without limits is caught even if the
        // catalog cannot price what it would launch.
        for (const pool of args.resources.filter((r) => NODE_POOLS.has(r.type) && !reported.has(r.urn))) {
            const problem = nodePoolLimitsProblem(pool);
            if (problem) {
                reportViolation(`${urnName(pool.urn)} [${pool.type}]: ${problem}`, pool.urn);
            }
        }
    },
};

function nodePoolLimitsProblem(pool: PolicyResource): string | undefined {
    const limits = readAt(pool.props, ["spec", "limits"]);
    switch (limits.state) {
        case "unknown":
            return "spec.limits is unknown at preview, so its ceiling cannot be checked. Set the limits from config values.";
        case "absent":
            return "spec.limits is not set, so Karpenter may launch nodes without bound. Set spec.limits (cpu, memory and the accelerator resource).";
        case "known":
            return typeof limits.value === "object" && Object.keys(limits.value as object).length > 0
                ? undefined
                : "spec.limits is empty, so Karpenter may launch nodes without bound. Set cpu, memory and the accelerator resource.";
    }
}

/** A ScaledObject's replica bounds must be known whole numbers with min <= max (KEDA's default max is 100). */
export function scaledObjectProblem(so: PolicyResource): string | undefined {
    const max = readAt(so.props, ["spec", "maxReplicaCount"]);
    const min = readAt(so.props, ["spec", "minReplicaCount"]);
    if (max.state === "absent") return "spec.maxReplicaCount is not set, so KEDA may scale the Deployment to 100 replicas. Set it to what the node pools hold.";
    if (max.state === "unknown") return "spec.maxReplicaCount is unknown at preview, so its ceiling cannot be checked. Set it from config values.";
    if (typeof max.value !== "number" || !Number.isInteger(max.value) || max.value < 1) return `spec.maxReplicaCount is ${JSON.stringify(max.value)}, not a whole number >= 1.`;
    if (min.state === "known" && typeof min.value === "number" && min.value > max.value) return `spec.minReplicaCount ${min.value} is above spec.maxReplicaCount ${max.value}.`;
    return undefined;
}
