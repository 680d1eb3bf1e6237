// Defaults for the assumptions a stack's policy config may set under monthly-cost-cap
// (`transientHoursPerMonth`, `usage`). Each default says where it comes from; a stack that knows
// better sets its own figure in policies/config/<stack>.json.
import { TransientHours, UsageAssumptions } from "./types";

/**
 * Hours per month transient capacity exists, by mechanism.
 * - aksUpgradeSurge 10: AKS releases node images weekly and the NodeImage upgrade channel applies
 *   them (AKS docs, node image upgrades): ~4.35 upgrades a month, each keeping the surge nodes for
 *   the ~2 h a GPU pool takes to reimage and reload the model.
 * - migRollingUpdate 4: a rolling update keeps maxSurge extra instances until the new ones pass
 *   their health check; with a model load of up to ~1 h, four template rollouts a month.
 * - eksNodeGroupUpdate 4: EKS adds up to max(2 x zones, maxUnavailable) nodes while it replaces a
 *   managed node group (EKS docs, managed node update behavior); two AMI updates a month of ~2 h.
 * - karpenterOvershoot 2: Karpenter checks limits before launching, so a fast scale-out can launch
 *   one batch past them (Karpenter docs on NodePool limits); two hours of one extra node a month.
 * - karpenterReplacement 2: every node is replaced at least once per expireAfter (720 h) or on
 *   drift, and Karpenter launches the replacement before draining the old node; ~2 h of overlap
 *   (a 40-minute model load plus drain) per node per month.
 */
export const DEFAULT_TRANSIENT_HOURS: TransientHours = {
    aksUpgradeSurge: 10,
    migRollingUpdate: 4,
    eksNodeGroupUpdate: 4,
    karpenterOvershoot: 2,
    karpenterReplacement: 2,
};

/**
 * Usage volumes assumed when a stack's config sets none: 0 for every kind, so nothing is counted
 * that a stack did not state; the committed stacks set their own figures. A 0 still shows its
 * line (at $0) so a reviewer sees what the cap does not cover.
 */
export const DEFAULT_USAGE: UsageAssumptions = {
    internetEgressGb: 0,
    natProcessedGb: 0,
    loadBalancerProcessedGb: 0,
    logIngestionGb: 0,
    wafRequestsMillions: 0,
    metricSamplesMillions: 0,
};

export function resolveTransientHours(given: Partial<TransientHours> | undefined): TransientHours {
    return { ...DEFAULT_TRANSIENT_HOURS, ...(given ?? {}) };
}

export function resolveUsage(given: Partial<UsageAssumptions> | undefined): UsageAssumptions {
    return { ...DEFAULT_USAGE, ...(given ?? {}) };
}
