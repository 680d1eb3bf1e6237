import type * as compute from "@pulumi/gcp/compute";

/**
 * How the regional instance group rolls out a new template: never fewer serving replicas than
 * before. GCP's rules for a regional MIG (rolling-update docs): a fixed maxSurge or maxUnavailable
 * must be 0 or at least the number of zones the group spans; at least one must be above 0; the
 * RECREATE replacement method (names kept) needs maxUnavailable above 0, so surging needs
 * SUBSTITUTE. With maxUnavailable 0 and maxSurge = zones, an update adds one new replica per zone,
 * waits for it to pass the health check, then removes an old one: the group serves throughout, at
 * the price of up to `zones` extra spot replicas while it rolls (the cost engine prices that surge).
 */
export function rollingUpdatePolicy(zoneCount: number): compute.RegionInstanceGroupManagerArgs["updatePolicy"] & RolloutPolicy {
    return {
        type: "PROACTIVE",
        minimalAction: "REPLACE",
        replacementMethod: "SUBSTITUTE",
        maxSurgeFixed: zoneCount,
        maxUnavailableFixed: 0,
        // A replica that just passed its first health check has loaded the model; no extra wait.
        minReadySec: 0,
    };
}

/** The fields of an update policy these rules read. */
export interface RolloutPolicy {
    readonly replacementMethod?: string;
    readonly maxSurgeFixed?: number;
    readonly maxUnavailableFixed?: number;
}

/**
 * Why `policy` is refused by GCP for a regional group over `zoneCount` zones, or takes replicas out
 * of service during an update; [] when neither. Pure: the tests hold the component's policy to it.
 */
export function rolloutProblems(policy: RolloutPolicy, zoneCount: number): string[] {
    const problems: string[] = [];
    const surge = policy.maxSurgeFixed ?? 0;
    const unavailable = policy.maxUnavailableFixed ?? 0;
    for (const [field, value] of [["maxSurgeFixed", surge], ["maxUnavailableFixed", unavailable]] as const) {
        if (value !== 0 && value < zoneCount) {
            problems.push(`${field} is ${value}: a regional group over ${zoneCount} zones takes 0 or at least ${zoneCount}`);
        }
    }
    if (surge === 0 && unavailable === 0) problems.push("maxSurgeFixed and maxUnavailableFixed are both 0: GCP needs one above 0");
    if (policy.replacementMethod === "RECREATE" && (surge > 0 || unavailable === 0)) {
        problems.push("RECREATE needs maxSurgeFixed 0 and maxUnavailableFixed above 0");
    }
    if (unavailable > 0) {
        problems.push(`maxUnavailableFixed is ${unavailable}: an update takes up to ${unavailable} replicas out of service at once (all of a group that small)`);
    }
    return problems;
}
