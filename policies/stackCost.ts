// What the four cost policies share: the spot-margin setting and one guarded run of the cost engine.
import type { StackValidationArgs } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { DEFAULT_SPOT_MARGIN } from "./contract/keys";
import { DEFAULT_TRANSIENT_HOURS, DEFAULT_USAGE, Estimate, TransientHours, UsageAssumptions, estimateCosts } from "./cost/estimate";
import { toCostInput } from "./resources";
import { isUnknownValueError } from "./unknowns";

/**
 * CrossGuard gives each policy its own config, so every cost policy takes the same optional
 * `spotMargin`; set it alike for all of them (the stack configs do) or their estimates differ.
 */
export const spotMarginSchema: PolicyConfigJSONSchema = {
    type: "number",
    minimum: 1,
    default: DEFAULT_SPOT_MARGIN,
    description: "Multiplier on catalog spot prices for the EXPECTED spot figure shown beside the worst case (the worst case of uncapped spot is on-demand).",
};

const hoursSchema = (what: string, dflt: number) => ({ type: "number" as const, minimum: 0, maximum: 730, default: dflt, description: what });
const volumeSchema = (what: string) => ({ type: "number" as const, minimum: 0, default: 0, description: what });

/** Hours per month of transient capacity, per mechanism (defaults and sources: cost/assumptions.ts). */
export const transientHoursSchema = {
    type: "object" as const,
    additionalProperties: false,
    properties: {
        aksUpgradeSurge: hoursSchema("Hours a month AKS upgrade surge nodes exist.", DEFAULT_TRANSIENT_HOURS.aksUpgradeSurge),
        migRollingUpdate: hoursSchema("Hours a month GCP rolling-update surge instances exist.", DEFAULT_TRANSIENT_HOURS.migRollingUpdate),
        eksNodeGroupUpdate: hoursSchema("Hours a month EKS node-group update nodes exist.", DEFAULT_TRANSIENT_HOURS.eksNodeGroupUpdate),
        karpenterOvershoot: hoursSchema("Hours a month a Karpenter NodePool runs one node past its limits.", DEFAULT_TRANSIENT_HOURS.karpenterOvershoot),
        karpenterReplacement: hoursSchema("Hours a month each Karpenter node overlaps its replacement.", DEFAULT_TRANSIENT_HOURS.karpenterReplacement),
    },
    description: "Transient capacity (upgrade surge, Karpenter overshoot, replace-before-remove) as hours per month.",
};

/** Monthly usage volumes, per resource that bills by use (Infracost's usage file is the model). */
export const usageSchema = {
    type: "object" as const,
    additionalProperties: false,
    properties: {
        internetEgressGb: volumeSchema("GB a month leaving the cloud, per public endpoint."),
        natProcessedGb: volumeSchema("GB a month processed, per NAT gateway."),
        loadBalancerProcessedGb: volumeSchema("GB a month processed, per load balancer that bills by data."),
        logIngestionGb: volumeSchema("GB of logs a month, per log group or workspace."),
        wafRequestsMillions: volumeSchema("Millions of requests a month, per Cloud Armor policy."),
        metricSamplesMillions: volumeSchema("Millions of metric samples a month written to a managed Prometheus, per collected serving target."),
    },
    description: "Usage volumes priced as usage lines and counted in the worst case; beyond them, runtime budgets watch.",
};

export interface SpotMarginConfig {
    spotMargin?: number;
    transientHoursPerMonth?: Partial<TransientHours>;
    usage?: Partial<UsageAssumptions>;
}

export { DEFAULT_USAGE };

/** The engine's estimate, or the field that stopped it when it let an unknown value escape. */
export type StackEstimate = { readonly ok: true; readonly estimate: Estimate } | { readonly ok: false; readonly unknownField: string };

/**
 * Runs the cost engine over the stack. The engine reports unknowns as issues itself; should one
 * still escape as UnknownValueError, it is returned as data so no policy throws on it (a throw
 * would let @pulumi/policy downgrade the policy to advisory).
 */
export function estimateStack(args: StackValidationArgs): StackEstimate {
    const config = args.getConfig<SpotMarginConfig>();
    const spotMargin = config.spotMargin ?? DEFAULT_SPOT_MARGIN;
    try {
        return { ok: true, estimate: estimateCosts(args.resources.map(toCostInput), { spotMargin, transientHoursPerMonth: config.transientHoursPerMonth, usage: config.usage }) };
    } catch (e) {
        if (isUnknownValueError(e)) {
            return { ok: false, unknownField: e.props.map(String).join(".") };
        }
        throw e;
    }
}

/** The resource name part of a URN (`urn:pulumi:dev::proj::type::name` -> `name`). */
export function urnName(urn: string): string {
    const i = urn.lastIndexOf("::");
    return i < 0 ? urn : urn.slice(i + 2);
}

export function usd(amount: number): string {
    return `$${amount.toFixed(2)}`;
}

/** An engine message as a sentence, so the fix that follows it reads cleanly. */
export function sentence(message: string): string {
    const trimmed = message.trim();
    return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
