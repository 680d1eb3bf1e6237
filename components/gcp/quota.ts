// GCP GPU quota held at the stack's bound (issue 15): a consumer quota override LOWERS a project's
// regional GPU limit to what the stack's groups need at their maxima plus rolling-update surge, so
// a group edited past its bound outside review (console, gcloud, a laptop's `pulumi up` without the
// pack) cannot get the GPUs. A consumer override "cannot be used to grant more quota than would be
// allowed by admin overrides, producer overrides, or the default limit" (the provider's
// ConsumerQuotaOverride docs): an override above the project's limit is refused
// (COMMON_QUOTA_CONSUMER_OVERRIDE_TOO_HIGH), and spot capacity holds BOTH L4 metrics, so both
// limits must already be at or above the bound (a quota increase request first; a project with
// no preemptible L4 quota, limit 0, cannot deploy until it gets some). The API keeps one override
// per project, metric, limit and region: a second (another stack, the console) is refused with
// 409 ALREADY_EXISTS and must be imported instead (README, "Where the cap holds").
import type * as serviceusage from "@pulumi/gcp/serviceusage";

/** The regional GPU metrics of Compute Engine's quota (Quota.Metric), per GPU kind the program deploys. */
export const GCP_GPU_METRICS = {
    l4: { standard: "NVIDIA_L4_GPUS", preemptible: "PREEMPTIBLE_NVIDIA_L4_GPUS" },
} as const;

export type GcpGpuKind = keyof typeof GCP_GPU_METRICS;

export interface GpuQuotaBound {
    readonly project: string;
    readonly region: string;
    readonly gpu: GcpGpuKind;
    /** GPUs the stack's groups use at their bound in this project and region. */
    readonly gpus: number;
    /** Spot (preemptible) capacity: it draws on the preemptible quota, or the standard one where the project has none. */
    readonly spot: boolean;
    /**
     * On-demand GPUs beside spot ones in the same project and region (an on-demand floor or
     * fallback group, issue 19): they draw only on the standard quota, which then holds both.
     * @default 0
     */
    readonly onDemandGpus?: number;
}

/**
 * The overrides for one bound, keyed by a stable role ("preemptible", "standard"; part of the
 * child's logical name). Spot VMs consume standard GPU quota unless the project holds preemptible
 * quota (Compute Engine's Spot VM guide), so spot capacity holds both at the bound.
 *
 * Service Usage names a Compute metric `compute.googleapis.com/<metric in lower case>` and the
 * regional limit `/project/region`; the API takes both URL-encoded, as the provider's regional
 * example shows (compute.googleapis.com%2Fn2_cpus, %2Fproject%2Fregion). `force` lets the override
 * lower a limit by more than 10% (the API's safety check), which holding it at a bound below the
 * default always does.
 */
export function gpuQuotaOverrides(bound: GpuQuotaBound): Array<{ role: "preemptible" | "standard"; args: serviceusage.ConsumerQuotaOverrideArgs }> {
    if (!Number.isInteger(bound.gpus) || bound.gpus < 1) throw new RangeError(`GPU quota bound must be a whole number of GPUs >= 1, got ${bound.gpus}`);
    const onDemand = bound.onDemandGpus ?? 0;
    if (!Number.isInteger(onDemand) || onDemand < 0) throw new RangeError(`on-demand GPUs must be a whole number >= 0, got ${onDemand}`);
    const metrics = GCP_GPU_METRICS[bound.gpu];
    const roles = bound.spot ? (["preemptible", "standard"] as const) : (["standard"] as const);
    return roles.map((role) => ({
        role,
        args: {
            project: bound.project,
            service: "compute.googleapis.com",
            metric: encodeURIComponent(`compute.googleapis.com/${metrics[role].toLowerCase()}`),
            limit: encodeURIComponent("/project/region"),
            dimensions: { region: bound.region },
            overrideValue: String(role === "standard" ? bound.gpus + onDemand : bound.gpus),
            force: true,
        },
    }));
}
