import { z } from "zod";

/**
 * How the model servers are watched and scaled (`llm-serving:observability`), the same for every
 * target. Every field is optional: the defaults below are what a stack gets without the key.
 *
 * Why these defaults (figures from the pack's throughput data, policies/cost/throughput.data.json):
 * - Requests in flight per replica (running + waiting), the signal the autoscalers aim for: a
 *   replica's saturated output rate divided by the rate one streaming client should keep,
 *   STREAM_TOKENS_PER_SECOND. vLLM on one L4 saturates at 513.2 output tokens/s (Llama-3.1-8B,
 *   1,000 prompts at once) -> 25 requests; on one A100 80GB at 683.3 tokens/s (38 parallel
 *   requests) -> 34. Where no figure qualifies, DEFAULT_IN_FLIGHT (8, Ray Serve's
 *   target_ongoing_requests the inf2 target already used).
 * - p95 time to first token: the A100 source measured a median of 3.06 s at its saturated load
 *   (38 parallel requests, ~1,024-token prompts); a p95 above 5 s means requests are queueing
 *   beyond what a saturated replica shows, so 5 s pages.
 * - Requests waiting: vLLM queues a request only when the running batch has no KV-cache room,
 *   so any sustained queue means the group is at its limit: 4 per replica for 5 minutes.
 */
export const STREAM_TOKENS_PER_SECOND = 20;
export const DEFAULT_IN_FLIGHT = 8;

const num = (min: number, max: number) =>
    z
        .number({ error: `must be a number from ${min} to ${max}` })
        .min(min, { error: `must be a number from ${min} to ${max}` })
        .max(max, { error: `must be a number from ${min} to ${max}` });
const int = (min: number, max: number) => num(min, max).int({ error: `must be a whole number from ${min} to ${max}` });

export const observabilitySchema = z.strictObject(
    {
        /** Requests in flight (running + waiting) per replica the autoscalers aim for. @default from the throughput figure of the target's accelerator */
        targetInFlightPerReplica: int(1, 256).optional(),
        /** Requests waiting per replica that raise the queue alert. @default 4 */
        queueWaitingPerReplica: int(1, 1000).default(4),
        /** Minutes the queue stays above the threshold before the alert fires. @default 5 */
        queueMinutes: int(1, 60).default(5),
        /** KV-cache usage (fraction) that raises the cache alert. @default 0.9 */
        kvCacheUsage: num(0.5, 1).default(0.9),
        /** p95 time to first token, seconds, that raises the latency alert. @default 5 */
        ttftP95Seconds: num(0.1, 120).default(5),
        /** Replicas lost within 15 minutes that raise the spot-eviction alert. @default 2 */
        evictionBurst: int(1, 20).default(2),
        /**
         * Whether eksInf2 declares its Amazon Managed Grafana workspace and dashboard. Managed
         * Grafana's AWS_SSO sign-in needs IAM Identity Center enabled in the account, or the
         * workspace's create fails ("ValidationException: SSO is not enabled in any region"); an
         * account without it sets false and keeps AMP, the scraper and the alerts. @default true
         */
        eksManagedGrafana: z.boolean({ error: "must be true or false" }).default(true),
    },
    { error: "must be an object { targetInFlightPerReplica, queueWaitingPerReplica, queueMinutes, kvCacheUsage, ttftP95Seconds, evictionBurst, eksManagedGrafana }" },
);

export type ObservabilityConfig = z.output<typeof observabilitySchema>;

/** The defaults, for stacks without the key. */
export const DEFAULT_OBSERVABILITY: ObservabilityConfig = observabilitySchema.parse({});

/**
 * Saturated output tokens/s of one replica, per accelerator, as the throughput data gives them
 * (test/components/observability/defaults.test.ts checks these against that file).
 */
export const SATURATED_TOKENS_PER_SECOND: Readonly<Record<string, number>> = {
    "NVIDIA L4": 513.2,
    "NVIDIA A100 80GB": 683.3,
};

/**
 * The in-flight target for a replica on `devices` x `accelerator`, unless the stack sets one. The
 * figures are for one device per replica; a replica spanning more has no figure (throughput data).
 */
export function targetInFlight(cfg: ObservabilityConfig, accelerator: string | undefined, devices = 1): number {
    if (cfg.targetInFlightPerReplica !== undefined) return cfg.targetInFlightPerReplica;
    const figure = accelerator === undefined || devices !== 1 ? undefined : SATURATED_TOKENS_PER_SECOND[accelerator];
    return figure === undefined ? DEFAULT_IN_FLIGHT : Math.floor(figure / STREAM_TOKENS_PER_SECOND);
}
