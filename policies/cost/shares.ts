// Shared maxima (issue 19): a target's spot group, its on-demand floor and its on-demand fallback
// declare ONE maximum between them (policies/contract/capacityShare.ts). Fallback replaces spot that
// cannot be had, it never adds to it. Each group is priced by its own pricer first (the floor and
// fallback at on-demand, spot at on-demand in the worst case, DESIGN §4, so the whole maximum is at
// on-demand prices); this pass then cross-checks the declarations against what the groups can
// really reach: the same maximum on every group, a spot group in every share, roles that match the
// purchase, and the groups' own maxima adding up to no more than the share's. The clouds enforce no
// maximum across groups, so the last check is what makes the declared maximum true; it is never
// assumed. A declaration that does not hold is an `unbounded` issue on the group (bounded-scaling
// blocks it in every environment), which is also what keeps a mislabelled on-demand group that
// spot-required let through from escaping the cap.
import { CapacityShare, readCapacityShare, CAPACITY_SHARE_MAX_LABEL } from "../contract/capacityShare";
import { GCE_GROUPS, GCE_TEMPLATES } from "../model/gcp/compute";
import { readAt } from "../model/read";
import { capacitiesOf } from "../model";
import { StackIndex } from "./graph";
import { Sink } from "./pricing";
import { CostInputResource, CostLine } from "./types";

const GROUPS: ReadonlySet<string> = new Set(GCE_GROUPS);

/** Where a resource keeps the labels that may declare a share. */
function labelsOf(res: CostInputResource): unknown {
    for (const path of [["labels"], ["tags"], ["metadata", "labels"]]) {
        const r = readAt(res.props, path);
        if (r.state === "known") return r.value;
        if (r.state === "unknown") return { unknown: true };
    }
    return undefined;
}

type Declared = { res: CostInputResource; share: CapacityShare } | { res: CostInputResource; problem: string } | undefined;

/** A GCP group declares through its instance templates (the group itself has no labels). */
function declarationOf(res: CostInputResource, index: StackIndex): Declared {
    const sources = GROUPS.has(res.type) ? index.dependenciesOf(res, "versions", GCE_TEMPLATES) : [res];
    const reads = sources.map((s) => ({ s, read: readCapacityShare(labelsOf(s)), unknown: (labelsOf(s) as { unknown?: boolean } | undefined)?.unknown === true }));
    if (reads.some((r) => r.unknown)) return { res, problem: "its labels are unknown at preview, so whether it belongs to a shared maximum cannot be read" };
    const declared = reads.filter((r) => r.read.state !== "absent");
    if (declared.length === 0) return undefined;
    const invalid = declared.find((r) => r.read.state === "invalid");
    if (invalid && invalid.read.state === "invalid") return { res, problem: invalid.read.problem };
    const first = declared[0].read;
    if (first.state !== "known") return undefined;
    const all = reads.map((r) => r.read);
    if (all.some((r) => r.state !== "known" || JSON.stringify(r.value) !== JSON.stringify(first.value))) {
        return { res, problem: "its templates do not all declare the same shared capacity" };
    }
    return { res, share: first.value };
}

interface Member {
    readonly res: CostInputResource;
    readonly share: CapacityShare;
    readonly capacity: CostLine;
    readonly perUnit: CostLine[];
}

/** Applies every share of the stack to the lines already priced. */
export function applyShares(index: StackIndex, sink: Sink): void {
    const byShare = new Map<string, Member[]>();
    const seen = new Set<string>();
    for (const line of sink.lines) {
        if (line.kind !== "capacity" || seen.has(line.urn)) continue;
        seen.add(line.urn);
        const res = index.resources.find((r) => r.urn === line.urn);
        if (!res) continue;
        const d = declarationOf(res, index);
        if (!d) continue;
        // A resource's labels cover all its capacity lines (a ManagedCluster's tags cover every
        // inline agent pool profile): they cannot say which line is the floor and which spot, so
        // a share declared there could carry an inline on-demand GPU pool past spot-required.
        const lineCount = Math.max(
            sink.lines.filter((l) => l.urn === line.urn && l.kind === "capacity").length,
            capacitiesOf({ type: res.type, props: res.props }).length,
        );
        if (lineCount > 1) {
            sink.issue(res, "unbounded", `declares a shared capacity on a resource with ${lineCount} capacity lines, whose labels cover all of them; declare shares only on a resource with one capacity line (e.g. a separate agent pool)`, CAPACITY_SHARE_MAX_LABEL);
            continue;
        }
        if ("problem" in d) {
            sink.issue(res, "unbounded", `declares a shared capacity but ${d.problem}`, CAPACITY_SHARE_MAX_LABEL);
            continue;
        }
        const lines = sink.lines.filter((l) => l.urn === line.urn && (l.kind === "capacity" || l.kind === "storage"));
        const members = byShare.get(d.share.share) ?? [];
        members.push({ res, share: d.share, capacity: line, perUnit: lines });
        byShare.set(d.share.share, members);
    }
    for (const [id, members] of byShare) applyShare(id, members, sink);
}

function problemsOf(id: string, members: Member[]): Array<{ m: Member; problem: string }> {
    const out: Array<{ m: Member; problem: string }> = [];
    const max = members[0].share.max;
    for (const m of members) {
        const spot = m.capacity.pricing === "spot";
        if (m.share.max !== max) out.push({ m, problem: `declares maximum ${m.share.max} for share ${id}, whose other groups declare ${max}` });
        if (m.capacity.countMax > m.share.max) out.push({ m, problem: `may scale to ${m.capacity.countMax}, above the shared maximum ${m.share.max} it declares` });
        if (m.share.role === "spot" && !spot) out.push({ m, problem: "is declared spot but is priced on-demand" });
        if (m.share.role !== "spot" && spot) out.push({ m, problem: `is declared ${m.share.role} but is spot` });
    }
    if (!members.some((m) => m.share.role === "spot")) {
        for (const m of members) out.push({ m, problem: `belongs to share ${id}, which has no spot group: an on-demand floor or fallback only exists beside spot capacity` });
    }
    // No cloud caps the sum across groups (a MIG autoscaler, an AKS pool and a Karpenter NodePool
    // each see only themselves), so the share's maximum holds only if the groups' own maxima fit in it.
    const maxima = members.reduce((a, m) => a + m.capacity.countMax, 0);
    if (maxima > max) {
        for (const m of members) out.push({ m, problem: `is one of the groups of share ${id} whose own maxima add up to ${maxima}, above the shared maximum ${max}; no cloud caps a sum across groups, so lower the spot or on-demand maximum` });
    }
    return out;
}

function applyShare(id: string, members: Member[], sink: Sink): void {
    const problems = problemsOf(id, members);
    for (const { m, problem } of problems) sink.issue(m.res, "unbounded", `shared capacity: ${problem}`, CAPACITY_SHARE_MAX_LABEL);
    if (problems.length > 0) return;
    const max = members[0].share.max;
    const parts = members.map((m) => `${m.share.role} ${m.capacity.countMin}-${m.capacity.countMax}`).join(" + ");
    for (const m of members) {
        for (const l of m.perUnit) l.basis += `; one of share ${id} (${parts}, within its maximum ${max}: fallback replaces spot, never adds)`;
    }
}
