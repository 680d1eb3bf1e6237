// How a target declares that its spot capacity, its on-demand floor and its on-demand fallback
// share ONE maximum (issue 19). The program writes these as labels/tags on the capacity it creates
// (a GCP instance template's labels, an AKS agent pool's tags, a Karpenter NodePool's
// metadata.labels); the pack reads them back from the resource inputs. Values are plain strings that
// GCP labels, Azure tags and Kubernetes labels all accept (lowercase letters, digits, hyphens).
// This file imports nothing.

/** Which part of a shared capacity a group is: `spot`, `on-demand-floor` (always running, grows as fallback) or `on-demand-fallback`. */
export const CAPACITY_ROLE_LABEL = "llm-serving-capacity";
/** The share's id: every group of one target's capacity carries the same value. */
export const CAPACITY_SHARE_LABEL = "llm-serving-capacity-share";
/** The share's maximum, in machines (replicas, nodes), as a decimal string. */
export const CAPACITY_SHARE_MAX_LABEL = "llm-serving-capacity-max";

/**
 * Pod label of one endpoint whose replicas are split over several Deployments (a spot-preferring
 * one and an on-demand floor): the Service selects it, and min-replicas counts the replicas of all
 * Deployments that carry the same value in one namespace as one endpoint.
 */
export const ENDPOINT_POD_LABEL = "llm-serving/endpoint";

export const CAPACITY_ROLES = ["spot", "on-demand-floor", "on-demand-fallback"] as const;
export type CapacityRole = (typeof CAPACITY_ROLES)[number];

export interface CapacityShare {
    readonly role: CapacityRole;
    readonly share: string;
    readonly max: number;
}

/** The three labels for one group of a share (what the program writes). */
export function capacityShareLabels(share: CapacityShare): Record<string, string> {
    if (!Number.isInteger(share.max) || share.max < 1) throw new RangeError(`a shared maximum must be a whole number >= 1, got ${share.max}`);
    return { [CAPACITY_ROLE_LABEL]: share.role, [CAPACITY_SHARE_LABEL]: share.share, [CAPACITY_SHARE_MAX_LABEL]: String(share.max) };
}

export type ShareRead =
    | { readonly state: "absent" }
    | { readonly state: "known"; readonly value: CapacityShare }
    | { readonly state: "invalid"; readonly problem: string };

/**
 * The share a label map declares. No role label: absent (the group is on its own). A role label
 * with a missing or malformed share or maximum: invalid, which the pack treats as a group that
 * claims to be bounded by a share but is not (never as a pass).
 */
export function readCapacityShare(labels: unknown): ShareRead {
    if (labels === null || typeof labels !== "object") return { state: "absent" };
    const l = labels as Record<string, unknown>;
    const role = l[CAPACITY_ROLE_LABEL];
    if (role === undefined) return { state: "absent" };
    if (typeof role !== "string" || !(CAPACITY_ROLES as readonly string[]).includes(role)) {
        return { state: "invalid", problem: `${CAPACITY_ROLE_LABEL} must be one of ${CAPACITY_ROLES.join(", ")}` };
    }
    const share = l[CAPACITY_SHARE_LABEL];
    if (typeof share !== "string" || share.length === 0) return { state: "invalid", problem: `${CAPACITY_ROLE_LABEL} is set but ${CAPACITY_SHARE_LABEL} is not` };
    const max = l[CAPACITY_SHARE_MAX_LABEL];
    if (typeof max !== "string" || !/^[1-9][0-9]{0,5}$/.test(max)) {
        return { state: "invalid", problem: `${CAPACITY_ROLE_LABEL} is set but ${CAPACITY_SHARE_MAX_LABEL} is not a whole number >= 1, so the share has no maximum` };
    }
    return { state: "known", value: { role: role as CapacityRole, share, max: Number(max) } };
}
