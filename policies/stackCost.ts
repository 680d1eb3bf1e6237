// What the four cost policies share: the spot-margin setting and one guarded run of the cost engine.
import type { StackValidationArgs } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { Estimate, estimateCosts } from "./cost/estimate";
import { toCostInput } from "./resources";
import { isUnknownValueError } from "./unknowns";

export const DEFAULT_SPOT_MARGIN = 1.25;

/**
 * CrossGuard gives each policy its own config, so every cost policy takes the same optional
 * `spotMargin`; set it alike for all of them (the stack configs do) or their estimates differ.
 */
export const spotMarginSchema: PolicyConfigJSONSchema = {
    type: "number",
    minimum: 1,
    default: DEFAULT_SPOT_MARGIN,
    description: "Multiplier on catalog spot prices for the worst case (spot prices move); capped at on-demand.",
};

export interface SpotMarginConfig {
    spotMargin?: number;
}

/** The engine's estimate, or the field that stopped it when it let an unknown value escape. */
export type StackEstimate = { readonly ok: true; readonly estimate: Estimate } | { readonly ok: false; readonly unknownField: string };

/**
 * Runs the cost engine over the stack. The engine reports unknowns as issues itself; should one
 * still escape as UnknownValueError, it is returned as data so no policy throws on it (a throw
 * would let @pulumi/policy downgrade the policy to advisory).
 */
export function estimateStack(args: StackValidationArgs): StackEstimate {
    const spotMargin = args.getConfig<SpotMarginConfig>().spotMargin ?? DEFAULT_SPOT_MARGIN;
    try {
        return { ok: true, estimate: estimateCosts(args.resources.map(toCostInput), { spotMargin }) };
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
