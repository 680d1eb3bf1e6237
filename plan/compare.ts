import { z } from "zod";
import { quote } from "../config/display";
import { COST_KINDS, CostKind } from "../policies/cost/estimate";
import { PlanReport } from "./report";
import { PlanUsageError } from "./stackFiles";

/** The parts of an earlier `--json` plan that a comparison reads. */
export interface ComparablePlan {
    readonly stack: string;
    readonly resources: ReadonlyArray<{ urn: string; type: string; name: string; inputs: Record<string, unknown> }>;
    readonly cost: {
        /** `kind` is absent in plans made before lines had kinds: they count as capacity. */
        readonly lines: ReadonlyArray<{ urn: string; sku: string; kind?: CostKind; baselineMonthlyUsd: number; worstCaseMonthlyUsd: number }>;
        readonly baselineMonthlyUsd: number;
        readonly worstCaseMonthlyUsd: number;
    };
}

export interface ResourceRef { readonly urn: string; readonly type: string; readonly name: string }

/** Monthly figures before and after, and their difference, for one line or the whole stack. */
export interface CostChange {
    readonly baselineBefore: number;
    readonly baselineAfter: number;
    readonly worstCaseBefore: number;
    readonly worstCaseAfter: number;
    readonly baselineDelta: number;
    readonly worstCaseDelta: number;
}

export interface CostDelta extends CostChange {
    readonly urn: string;
    readonly name: string;
    readonly kind: CostKind;
    readonly sku: string;
}

export interface KindDelta extends CostChange {
    readonly kind: CostKind;
}

export interface PlanDiff {
    readonly added: ResourceRef[];
    readonly removed: ResourceRef[];
    /** Resources whose inputs differ, with the top-level input names that changed. */
    readonly changed: Array<ResourceRef & { fields: string[] }>;
    /** Cost lines that appeared, disappeared or changed (unchanged lines are left out). */
    readonly lines: CostDelta[];
    /** Before, after and difference per kind (every kind, changed or not). */
    readonly kinds: KindDelta[];
    readonly totals: CostChange;
}

const cents = (x: number) => Math.round(x * 100) / 100;

const usd = z.number({ error: "must be a number of USD" }).refine(Number.isFinite, { error: "must be a finite number of USD" });
const text = z.string({ error: "must be a string" });
/** What a comparison reads of an earlier plan; the rest of the document is left alone. */
const comparablePlanSchema = z.looseObject({
    stack: text,
    resources: z.array(
        z.looseObject({ urn: text, type: text, name: text, inputs: z.record(z.string(), z.unknown(), { error: "must be an object" }).optional() }, { error: "must be an object { urn, type, name, inputs }" }),
        { error: "must be a list of resources" },
    ),
    cost: z.looseObject(
        {
            lines: z.array(
                z.looseObject({ urn: text, sku: text, baselineMonthlyUsd: usd, worstCaseMonthlyUsd: usd }, { error: "must be an object { urn, sku, baselineMonthlyUsd, worstCaseMonthlyUsd }" }),
                { error: "must be a list of cost lines" },
            ),
            baselineMonthlyUsd: usd,
            worstCaseMonthlyUsd: usd,
        },
        { error: "must be an object { lines, baselineMonthlyUsd, worstCaseMonthlyUsd }" },
    ),
});

/** Reads an earlier plan (`npm run plan -- --json` output) and checks it has what a comparison needs. */
export function parseComparablePlan(doc: Record<string, unknown>, file: string): ComparablePlan {
    const result = comparablePlanSchema.safeParse(doc, { reportInput: true });
    if (!result.success) {
        const issue = result.error.issues[0];
        const at = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "");
        const got = issue.input === undefined ? "is missing" : `got ${quote(issue.input)}`;
        throw new PlanUsageError(`--compare ${file}: ${at || "(document)"}: ${got}; ${issue.message} (not a plan made with --json)`);
    }
    const plan = result.data;
    return { ...plan, resources: plan.resources.map((r) => ({ ...r, inputs: r.inputs ?? {} })) } as ComparablePlan;
}

/** What changed from `before` to `after`: resources by URN, cost lines by URN and SKU, and totals. */
export function comparePlans(before: ComparablePlan, after: PlanReport): PlanDiff {
    const beforeByUrn = new Map(before.resources.map((r) => [r.urn, r]));
    const afterByUrn = new Map(after.resources.map((r) => [r.urn, r]));
    const ref = (r: ResourceRef): ResourceRef => ({ urn: r.urn, type: r.type, name: r.name });

    const added = after.resources.filter((r) => !beforeByUrn.has(r.urn)).map(ref);
    const removed = before.resources.filter((r) => !afterByUrn.has(r.urn)).map(ref);
    const changed = after.resources.flatMap((r) => {
        const old = beforeByUrn.get(r.urn);
        if (!old) return [];
        const keys = [...new Set([...Object.keys(old.inputs ?? {}), ...Object.keys(r.inputs)])].sort();
        const fields = keys.filter((k) => JSON.stringify(old.inputs?.[k]) !== JSON.stringify(r.inputs[k]));
        return fields.length > 0 ? [{ ...ref(r), fields }] : [];
    });

    const key = (l: { urn: string; sku: string; kind?: CostKind }) => `${l.urn}|${l.kind ?? "capacity"}|${l.sku}`;
    const oldLines = new Map(before.cost.lines.map((l) => [key(l), l]));
    const newLines = new Map(after.cost.lines.map((l) => [key(l), l]));
    const lines: CostDelta[] = [];
    for (const k of new Set([...oldLines.keys(), ...newLines.keys()])) {
        const o = oldLines.get(k);
        const n = newLines.get(k);
        const line = (n ?? o)!;
        const delta: CostDelta = {
            urn: line.urn,
            name: line.urn.slice(line.urn.lastIndexOf("::") + 2),
            kind: line.kind ?? "capacity",
            sku: line.sku,
            baselineBefore: o?.baselineMonthlyUsd ?? 0,
            baselineAfter: n?.baselineMonthlyUsd ?? 0,
            worstCaseBefore: o?.worstCaseMonthlyUsd ?? 0,
            worstCaseAfter: n?.worstCaseMonthlyUsd ?? 0,
            baselineDelta: cents((n?.baselineMonthlyUsd ?? 0) - (o?.baselineMonthlyUsd ?? 0)),
            worstCaseDelta: cents((n?.worstCaseMonthlyUsd ?? 0) - (o?.worstCaseMonthlyUsd ?? 0)),
        };
        if (delta.baselineDelta !== 0 || delta.worstCaseDelta !== 0) lines.push(delta);
    }
    const sum = (ls: ReadonlyArray<{ kind?: CostKind; baselineMonthlyUsd: number; worstCaseMonthlyUsd: number }>, k: CostKind, f: "baselineMonthlyUsd" | "worstCaseMonthlyUsd") =>
        cents(ls.filter((l) => (l.kind ?? "capacity") === k).reduce((a, l) => a + l[f], 0));
    const kinds: KindDelta[] = COST_KINDS.map((k) => {
        const bb = sum(before.cost.lines, k, "baselineMonthlyUsd");
        const ba = sum(after.cost.lines, k, "baselineMonthlyUsd");
        const wb = sum(before.cost.lines, k, "worstCaseMonthlyUsd");
        const wa = sum(after.cost.lines, k, "worstCaseMonthlyUsd");
        return { kind: k, baselineBefore: bb, baselineAfter: ba, worstCaseBefore: wb, worstCaseAfter: wa, baselineDelta: cents(ba - bb), worstCaseDelta: cents(wa - wb) };
    });
    return {
        added,
        removed,
        changed,
        lines,
        kinds,
        totals: {
            baselineBefore: before.cost.baselineMonthlyUsd,
            baselineAfter: after.cost.baselineMonthlyUsd,
            worstCaseBefore: before.cost.worstCaseMonthlyUsd,
            worstCaseAfter: after.cost.worstCaseMonthlyUsd,
            baselineDelta: cents(after.cost.baselineMonthlyUsd - before.cost.baselineMonthlyUsd),
            worstCaseDelta: cents(after.cost.worstCaseMonthlyUsd - before.cost.worstCaseMonthlyUsd),
        },
    };
}
