// The plan's `capacity` section: per serving target, the output tokens/s its baseline and its
// bounds can serve, and dollars per million output tokens at full use, from the pack's own
// engine lines (policies/cost/tokens.ts), so the figures agree with the cost section and the cap.
import { Estimate } from "../policies/cost/estimate";
import { targetCapacities, TargetCapacity } from "../policies/cost/tokens";
import { CostInputResource } from "../policies/cost/types";
import { targetKeyOfComponent } from "./targetKeys";

/** One row of the plan's top-level `capacity` array (`--json`), exactly the fields issue 17 names. */
export interface PlanCapacity {
    /** The target's config key under llm-serving:targets. */
    readonly target: string;
    readonly tokensPerSecondBaseline: number | null;
    readonly tokensPerSecondMax: number | null;
    readonly usdPerMillionTokensBaseline: number | null;
    readonly usdPerMillionTokensWorst: number | null;
    readonly basis: string;
}

export function planCapacity(resources: ReadonlyArray<CostInputResource>, estimate: Estimate): { rows: PlanCapacity[]; details: TargetCapacity[] } {
    const details = targetCapacities(resources, estimate);
    const rows = details.map((d) => ({
        target: targetKeyOfComponent(d.component),
        tokensPerSecondBaseline: d.tokensPerSecondBaseline,
        tokensPerSecondMax: d.tokensPerSecondMax,
        usdPerMillionTokensBaseline: d.usdPerMillionTokensBaseline,
        usdPerMillionTokensWorst: d.usdPerMillionTokensWorst,
        basis: d.basis,
    }));
    return { rows, details };
}
