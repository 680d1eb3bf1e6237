// The worst case per cloud (issue 16): the share of the cap each cloud's run-time budget gets is
// in proportion to what that cloud may bill. A line's cloud is its resource's provider; a
// Kubernetes object's is the cloud that bills for it: a Karpenter NodePool launches EC2 capacity
// (the only Karpenter provider the program deploys), a LoadBalancer Service names its cloud in
// CLOUD_ANNOTATION. A line no rule attributes is returned apart, so the caller fails closed.
import { BudgetCloud, cloudOfType } from "../contract/budgets";
import { CLOUD_ANNOTATION } from "../contract/keys";
import type { CostInputResource, CostLine } from "./types";

export interface WorstByCloud {
    readonly byCloud: Partial<Record<BudgetCloud, number>>;
    /** Lines whose cloud is not known: their cost cannot be placed under any cloud's budget. */
    readonly unattributed: CostLine[];
}

/** The cloud that bills for one cost line, or undefined. */
export function cloudOfLine(line: Pick<CostLine, "urn" | "resourceType">, resources: ReadonlyMap<string, Pick<CostInputResource, "props">>): BudgetCloud | undefined {
    const direct = cloudOfType(line.resourceType);
    if (direct) return direct;
    if (line.resourceType.startsWith("kubernetes:karpenter.sh/") || line.resourceType.startsWith("kubernetes:karpenter.k8s.aws/")) return "aws";
    if (line.resourceType.startsWith("kubernetes:")) {
        const props = resources.get(line.urn)?.props as { metadata?: { annotations?: Record<string, unknown> } } | undefined;
        const named = props?.metadata?.annotations?.[CLOUD_ANNOTATION];
        return named === "gcp" || named === "aws" || named === "azure" ? named : undefined;
    }
    return undefined;
}

/** Sums the worst case of `lines` per cloud, in cents so the sums are exact. */
export function worstCaseByCloud(lines: ReadonlyArray<CostLine>, resources: ReadonlyArray<Pick<CostInputResource, "urn" | "props">>): WorstByCloud {
    const index = new Map(resources.map((r) => [r.urn, r]));
    const cents: Partial<Record<BudgetCloud, number>> = {};
    const unattributed: CostLine[] = [];
    for (const line of lines) {
        const cloud = cloudOfLine(line, index);
        if (cloud === undefined) {
            unattributed.push(line);
            continue;
        }
        cents[cloud] = (cents[cloud] ?? 0) + Math.round(line.worstCaseMonthlyUsd * 100);
    }
    const byCloud: Partial<Record<BudgetCloud, number>> = {};
    for (const [c, v] of Object.entries(cents) as Array<[BudgetCloud, number]>) byCloud[c] = v / 100;
    return { byCloud, unattributed };
}
