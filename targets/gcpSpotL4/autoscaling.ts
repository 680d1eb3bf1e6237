import type * as inputs from "@pulumi/gcp/types/input";
import { IN_FLIGHT_METRIC } from "./collector";

export interface AutoscalingArgs {
    readonly minReplicas: number;
    readonly maxReplicas: number;
    /** Seconds a new replica needs before its signal counts (weights download and load). */
    readonly initialDelaySec: number;
    /** Requests in flight (running + waiting) per replica the group aims for (config/observability.ts). */
    readonly targetInFlightPerReplica: number;
}

/**
 * The managed instance group's autoscaling policy: scale on requests in flight per replica, the
 * gauge the replica's collector writes (collector.ts), not on load-balancer requests per second.
 * An LLM request lasts from a second to minutes, so requests per second says little about load;
 * requests running plus waiting is the queue vLLM itself schedules from. GAUGE with a per-instance
 * target: the autoscaler sizes the group so the average replica holds `targetInFlightPerReplica`.
 *
 * Scale-in is slowed (at most one replica per 10 minutes): a replica removed with a queue drops
 * streams mid-generation, and a spot replica brought back takes minutes to load.
 */
export function autoscalingPolicy(args: AutoscalingArgs): inputs.compute.RegionAutoscalerAutoscalingPolicy {
    return {
        minReplicas: args.minReplicas,
        maxReplicas: args.maxReplicas,
        cooldownPeriod: Math.max(60, args.initialDelaySec),
        mode: "ON",
        metrics: [
            {
                name: IN_FLIGHT_METRIC,
                // Per-instance: the collector writes it on the instance's own gce_instance resource.
                filter: 'resource.type = "gce_instance"',
                target: args.targetInFlightPerReplica,
                type: "GAUGE",
            },
        ],
        scaleInControl: { maxScaledInReplicas: { fixed: 1 }, timeWindowSec: 600 },
    };
}
