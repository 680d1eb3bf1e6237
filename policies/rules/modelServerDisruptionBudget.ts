import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { entriesOf, stringOf } from "../inspect";
import { PDB_TYPES } from "../model/kubernetes/workloads";
import { asNumber, readAt } from "../model/read";
import { urnName } from "../stackCost";
import { ModelServerSelector, REPLICATED_WORKLOADS, containersOf, isModelServer, modelPortsSchema, modelServerImagesSchema } from "../workloads";

const PDBS: ReadonlySet<string> = new Set(PDB_TYPES);

/**
 * Kubernetes model servers have a PodDisruptionBudget, and it still lets a node drain: maxUnavailable
 * >= 1, or minAvailable below the replica count (origin: KICS b23e9b98 / Pulumi compliance
 * policies). Without one, a node upgrade or a Karpenter/cluster-autoscaler consolidation may evict
 * every replica at once; with one that allows no disruption, drains hang and upgrades stall.
 */
export const modelServerDisruptionBudget: StackValidationPolicy = {
    name: "model-server-disruption-budget",
    description: "Kubernetes model server Deployments/StatefulSets must have a PodDisruptionBudget that still allows one disruption (maxUnavailable >= 1 or minAvailable < replicas).",
    enforcementLevel: "mandatory",
    configSchema: { properties: { modelServerImages: modelServerImagesSchema, modelPorts: modelPortsSchema } },
    validateStack: (args, reportViolation) => {
        const config = args.getConfig<ModelServerSelector>();
        const budgets = args.resources.filter((r) => PDBS.has(r.type));
        for (const workload of args.resources.filter((r) => REPLICATED_WORKLOADS.has(r.type))) {
            if (!containersOf(workload.type, workload.props).some((c) => !c.init && isModelServer(c.read, config))) {
                continue;
            }
            const report = (message: string) => reportViolation(`${urnName(workload.urn)} [${workload.type}]: ${message}`, workload.urn);
            const labels = podLabels(workload);
            if (labels === undefined) {
                report("spec.template.metadata.labels is unknown at preview, so its PodDisruptionBudget cannot be matched. Set the labels from constants.");
                continue;
            }
            const namespace = namespaceOf(workload);
            const budget = budgets.find((b) => namespaceOf(b) === namespace && selects(b, labels));
            if (!budget) {
                report("has no PodDisruptionBudget selecting its pods, so a drain may evict every replica at once. Add one with maxUnavailable: 1.");
                continue;
            }
            const replicas = asNumber(readAt(workload.props, ["spec", "replicas"]));
            const problem = budgetProblem(budget, replicas.state === "known" ? replicas.value : replicas.state === "absent" ? 1 : undefined);
            if (problem) {
                report(`its PodDisruptionBudget ${urnName(budget.urn)} ${problem} Set maxUnavailable: 1.`);
            }
        }
    },
};

function namespaceOf(resource: PolicyResource): string {
    return stringOf(readAt(resource.props, ["metadata", "namespace"])) ?? "default";
}

function podLabels(workload: PolicyResource): Record<string, string> | undefined {
    const read = readAt(workload.props, ["spec", "template", "metadata", "labels"]);
    if (read.state === "unknown") {
        return undefined;
    }
    const labels: Record<string, string> = {};
    for (const [key, value] of entriesOf(read)) {
        if (value.state === "unknown") return undefined;
        if (value.state === "known") labels[key] = String(value.value);
    }
    return labels;
}

/** matchLabels only (what our components write); an unknown or empty selector matches nothing. */
function selects(budget: PolicyResource, labels: Record<string, string>): boolean {
    const match = entriesOf(readAt(budget.props, ["spec", "selector", "matchLabels"]));
    return match.length > 0 && match.every(([key, value]) => value.state === "known" && labels[key] === String(value.value));
}

/** Why the budget blocks every disruption (or cannot be checked), or undefined when it allows one. */
function budgetProblem(budget: PolicyResource, replicas: number | undefined): string | undefined {
    const maxUnavailable = readAt(budget.props, ["spec", "maxUnavailable"]);
    const minAvailable = readAt(budget.props, ["spec", "minAvailable"]);
    if (maxUnavailable.state === "unknown" || minAvailable.state === "unknown") {
        return "has a bound unknown at preview.";
    }
    if (maxUnavailable.state === "known") {
        const n = percentOrCount(maxUnavailable.value, replicas ?? 1);
        return n !== undefined && n >= 1 ? undefined : "sets maxUnavailable to 0, so no pod may ever be evicted and drains hang.";
    }
    if (minAvailable.state === "known") {
        if (replicas === undefined) return "uses minAvailable while the replica count is unknown at preview.";
        const n = percentOrCount(minAvailable.value, replicas);
        return n !== undefined && n < replicas ? undefined : `sets minAvailable to all ${replicas} replica(s), so no pod may ever be evicted and drains hang.`;
    }
    return "sets neither maxUnavailable nor minAvailable.";
}

/** An int-or-percent bound as a pod count (Kubernetes rounds PDB percentages up). */
function percentOrCount(value: unknown, replicas: number): number | undefined {
    if (typeof value === "number") return value;
    const percent = /^(\d+)%$/.exec(String(value));
    if (percent) return Math.ceil((Number(percent[1]) * replicas) / 100);
    return /^\d+$/.test(String(value)) ? Number(value) : undefined;
}
