// The cost engine: resources -> cost lines and issues. Pure (no Pulumi runtime calls), so the
// policies and the offline plan price the same stack the same way.
//
// Baseline = what always runs (every scaled group at the larger of its minimum and what the
// workloads' minimum replicas need); worst case = the most the clouds can bill (groups at their
// maximum, uncapped spot at on-demand, transient hours, usage at the assumed volumes; DESIGN §4,
// revised 2026-12-01). Every line has a kind. Anything
// that keeps a worst case from being known is an issue, never a $0 line: an unpriced SKU
// (`unpriced`), a scaled group without a maximum (`unbounded`), or a cost-relevant value that is
// unknown at preview (`unknown`).
import { priceKubernetes } from "./kubernetes";
import { priceAws } from "./aws";
import { priceAzure } from "./azure";
import { priceGcp } from "./gcp";
import { StackIndex } from "./graph";
import { priceKarpenter } from "./karpenter";
import { applyShares } from "./shares";
import { resolveTransientHours, resolveUsage } from "./assumptions";
import { DEFAULT_SPOT_MARGIN } from "../contract/keys";
import { Sink, roundCents } from "./pricing";
import { guardedKinds } from "../guarded";
import { KNOWN_TYPES, UNPRICED_COMPUTE_TYPES } from "../model";
import { COST_KINDS, CostInputResource, CostIssue, CostKind, CostLine, Estimate, EstimateOptions, KindTotals } from "./types";

export { HOURS_PER_MONTH } from "./types";
export type { CostInputResource, CostIssue, CostIssueKind, CostKind, CostLine, Estimate, EstimateOptions, KindTotals, TransientHours, UsageAssumptions } from "./types";
export { COST_KINDS } from "./types";
export { DEFAULT_TRANSIENT_HOURS, DEFAULT_USAGE } from "./assumptions";
export { DEFAULT_SPOT_MARGIN } from "../contract/keys";

/**
 * Compute resources this engine does not price (the model's kinds marked `compute: "unpriced"`).
 * They are never silently $0: each one is reported `unpriced` so a stack that adds one is blocked
 * until the engine learns it.
 */
export { UNPRICED_COMPUTE_TYPES };

const UNPRICED: ReadonlySet<string> = new Set(UNPRICED_COMPUTE_TYPES);

/**
 * A type no kind of the model knows, whose SDK inputs carry a machine size or a node count
 * (guarded.data.json), may run compute the engine cannot see: it is reported like unpriced
 * compute, so the cost cap fails closed on it as the SKU allow-list does.
 */
function unknownCompute(type: string): boolean {
    return !KNOWN_TYPES.has(type) && guardedKinds(type).some((k) => k === "size" || k === "count");
}

function reportUnpricedCompute(index: StackIndex, sink: Sink): void {
    for (const res of index.resources.filter((r) => UNPRICED.has(r.type) || unknownCompute(r.type))) {
        sink.issue(res, "unpriced", `resource type ${res.type} runs compute the cost engine does not price, so it cannot be bounded (it is never counted as $0)`);
    }
}

function validSpotMargin(options: EstimateOptions | undefined): number {
    const margin = options?.spotMargin ?? DEFAULT_SPOT_MARGIN;
    // A margin below 1 would price spot under its observed price: a cap that holds only at spot is no cap.
    if (!Number.isFinite(margin) || margin < 1) {
        throw new RangeError(`spotMargin must be a finite number >= 1 (got ${margin})`);
    }
    return margin;
}

/** A template shared by several groups is reported once per distinct problem. */
function dedupe(issues: CostIssue[]): CostIssue[] {
    const seen = new Set<string>();
    return issues.filter((i) => {
        const key = JSON.stringify([i.urn, i.kind, i.field ?? "", i.message]);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
    });
}

function validAssumptions(options: EstimateOptions | undefined): void {
    for (const [group, values] of [["transientHoursPerMonth", options?.transientHoursPerMonth], ["usage", options?.usage]] as const) {
        for (const [k, v] of Object.entries(values ?? {})) {
            if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new RangeError(`${group}.${k} must be a finite number >= 0 (got ${String(v)})`);
        }
    }
    for (const [k, v] of Object.entries(options?.transientHoursPerMonth ?? {})) {
        if ((v as number) > 730) throw new RangeError(`transientHoursPerMonth.${k} cannot exceed the 730 hours of a month (got ${String(v)})`);
    }
}

/** Baseline and worst case per kind, in cents. */
export function totalsByKind(lines: ReadonlyArray<CostLine>): Record<CostKind, KindTotals> {
    const out = Object.fromEntries(COST_KINDS.map((k) => [k, { baselineMonthlyUsd: 0, worstCaseMonthlyUsd: 0 }])) as Record<CostKind, KindTotals>;
    for (const l of lines) {
        out[l.kind].baselineMonthlyUsd = roundCents(out[l.kind].baselineMonthlyUsd + l.baselineMonthlyUsd);
        out[l.kind].worstCaseMonthlyUsd = roundCents(out[l.kind].worstCaseMonthlyUsd + l.worstCaseMonthlyUsd);
    }
    return out;
}

export function estimateCosts(resources: CostInputResource[], options?: EstimateOptions): Estimate {
    validAssumptions(options);
    const sink = new Sink(validSpotMargin(options), { transientHours: resolveTransientHours(options?.transientHoursPerMonth), usage: resolveUsage(options?.usage) });
    const index = new StackIndex(resources);
    priceGcp(index, sink);
    priceAzure(index, sink);
    priceAws(index, sink);
    priceKarpenter(index, sink);
    priceKubernetes(index, sink);
    // After every pricer: a share spans groups of any kind (issue 19).
    applyShares(index, sink);
    reportUnpricedCompute(index, sink);
    return {
        lines: sink.lines,
        issues: dedupe(sink.issues),
        baselineMonthlyUsd: roundCents(sink.lines.reduce((sum, l) => sum + l.baselineMonthlyUsd, 0)),
        worstCaseMonthlyUsd: roundCents(sink.lines.reduce((sum, l) => sum + l.worstCaseMonthlyUsd, 0)),
        expectedWorstCaseMonthlyUsd: roundCents(sink.lines.reduce((sum, l) => sum + (l.expected?.worstCaseMonthlyUsd ?? l.worstCaseMonthlyUsd), 0)),
        byKind: totalsByKind(sink.lines),
    };
}
