// Shared maxima (issue 19): a target's spot group, its on-demand floor and its on-demand fallback
// declare ONE maximum between them (policies/contract/capacityShare.ts). Fallback replaces spot that
// cannot be had, it never adds to it, so the share's worst case is its maximum, not the sum of the
// groups' own maxima. Each group is priced by its own pricer first; this pass then cross-checks the
// declarations against what the groups can really reach and, when they hold, counts the share's
// maximum once: every group at its minimum, the rest of the maximum given to the dearest groups
// first (spot is already priced at on-demand in the worst case, DESIGN §4, so the whole maximum is
// at on-demand prices). A declaration that does not hold is an `unbounded` issue on the group
// (bounded-scaling blocks it) and the group keeps its own, unshared worst case.
import { CapacityShare, readCapacityShare, CAPACITY_SHARE_MAX_LABEL } from "../contract/capacityShare";
import { GCE_GROUPS, GCE_TEMPLATES } from "../model/gcp/compute";
import { readAt } from "../model/read";
import { StackIndex } from "./graph";
import { Sink, roundCents } from "./pricing";
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
    const mins = members.reduce((a, m) => a + m.capacity.countMin, 0);
    if (mins > max) for (const m of members) out.push({ m, problem: `is one of the groups of share ${id} whose minimums add up to ${mins}, above the shared maximum ${max}` });
    return out;
}

function applyShare(id: string, members: Member[], sink: Sink): void {
    const problems = problemsOf(id, members);
    for (const { m, problem } of problems) sink.issue(m.res, "unbounded", `shared capacity: ${problem}`, CAPACITY_SHARE_MAX_LABEL);
    if (problems.length > 0) return;
    const max = members[0].share.max;
    const own = members.reduce((a, m) => a + m.capacity.countMax, 0);
    if (own <= max) return; // The groups cannot reach the shared maximum together: nothing is double counted.
    // Every group at its minimum, then the rest of the maximum to the dearest machines (with their disks) first.
    const unit = (m: Member) => m.perUnit.reduce((a, l) => a + l.hourlyUsd, 0);
    const alloc = new Map(members.map((m) => [m, m.capacity.countMin]));
    let left = max - members.reduce((a, m) => a + m.capacity.countMin, 0);
    // On a tie (spot's worst case IS on-demand) the on-demand groups come first: the worst case is
    // the one where spot cannot be had and fallback carries the load.
    const onDemandFirst = (m: Member) => (m.capacity.pricing === "spot" ? 1 : 0);
    for (const m of [...members].sort((a, b) => unit(b) - unit(a) || onDemandFirst(a) - onDemandFirst(b))) {
        const more = Math.min(left, m.capacity.countMax - m.capacity.countMin);
        alloc.set(m, m.capacity.countMin + more);
        left -= more;
    }
    const roles = members.map((m) => `${m.share.role} ${m.capacity.countMin}-${m.capacity.countMax}`).join(", ");
    for (const m of members) {
        const n = alloc.get(m)!;
        for (const l of m.perUnit) {
            const ownMax = l.countMax;
            l.countMax = n;
            l.worstCaseMonthlyUsd = roundCents(n * l.hourlyUsd * l.hoursPerMonth);
            if (l.expected) l.expected.worstCaseMonthlyUsd = roundCents(n * l.expected.hourlyUsd * l.hoursPerMonth);
            l.basis += `; shares maximum ${max} of ${id} (${roles}): fallback replaces spot, never adds, so worst case ${n} of its own ${ownMax}`;
        }
    }
}
