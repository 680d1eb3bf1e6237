import assert from "node:assert/strict";
import { estimateCosts } from "../../../policies/cost/estimate";
import type { CostInputResource } from "../../../policies/cost/types";
import { aksCluster, gcpFallbackStack, mutated, mutatedIn } from "../../helpers/policyFixtures";
import type { PlannedResource } from "../../../policies/evaluate";

// g2-standard-4 in us-central1: $0.70683/h on demand (catalog). The fixture's templates carry no
// disks and no update policy, so each group has one capacity line and a surge line (3 zones).
const OD = 0.70683;
const month = (n: number) => Math.round(n * OD * 730 * 100) / 100;

const asCost = (rs: PlannedResource[]): CostInputResource[] =>
    rs.map((r) => ({ urn: r.urn, type: r.type, name: r.name, props: r.inputs as Record<string, unknown>, propertyDependencies: r.propertyDependencies }));
const capacity = (rs: PlannedResource[]) => {
    const est = estimateCosts(asCost(rs));
    const lines = est.lines.filter((l) => l.kind === "capacity");
    return { est, spot: lines.find((l) => l.urn.endsWith("::llm-mig"))!, floor: lines.find((l) => l.urn.endsWith("::llm-floor-mig"))! };
};

describe("cost: spot, floor and fallback share one maximum (issue 19)", () => {
    it("prices the floor on-demand in the baseline and the shared maximum 4 at on-demand in the worst case", () => {
        const { est, spot, floor } = capacity(gcpFallbackStack());
        assert.deepEqual(est.issues, []);
        assert.equal(floor.pricing, "on-demand");
        assert.equal(spot.pricing, "spot");
        // Baseline: the floor's 1 on-demand replica + 1 spot replica (spot's worst unit price is on-demand too).
        assert.equal(floor.baselineMonthlyUsd, 515.99); // 1 x 0.70683 x 730 = 515.9859
        assert.equal(spot.baselineMonthlyUsd, 515.99);
        // Worst: floor + fallback 2 on-demand and spot 2 at on-demand: the whole maximum 4 at on-demand.
        assert.equal(floor.worstCaseMonthlyUsd, 1031.97); // 2 x 0.70683 x 730 = 1031.9718
        assert.equal(spot.worstCaseMonthlyUsd, 1031.97);
        assert.equal(Math.round((floor.worstCaseMonthlyUsd + spot.worstCaseMonthlyUsd) * 100) / 100, 2063.94); // 4 machines
        assert.match(floor.basis, /one of share llm \(spot 1-2 \+ on-demand-floor 1-2, within its maximum 4: fallback replaces spot, never adds\)/);
    });

    it("negative control: a stack without the labels has no share to check", () => {
        const plain = gcpFallbackStack({ floorMax: 5 }).map((r) => ({ ...r, inputs: { ...(r.inputs as Record<string, unknown>), labels: {} } }));
        const { est, spot, floor } = capacity(plain);
        assert.deepEqual(est.issues, []);
        assert.equal(spot.worstCaseMonthlyUsd + floor.worstCaseMonthlyUsd, month(2) + month(5));
    });

    it("groups whose own maxima exceed the shared maximum are unbounded: no cloud caps the sum", () => {
        const { est, floor } = capacity(gcpFallbackStack({ floorMax: 3 }));
        const issues = est.issues.filter((i) => i.kind === "unbounded" && /own maxima add up to 5, above the shared maximum 4/.test(i.message));
        assert.equal(issues.length, 2, "reported on both groups of the share");
        assert.equal(floor.worstCaseMonthlyUsd, month(3), "the group keeps its own worst case");
    });

    it("a group that may scale above the shared maximum it declares is unbounded", () => {
        const { est } = capacity(gcpFallbackStack({ floorMax: 6 }));
        assert.ok(est.issues.some((i) => i.kind === "unbounded" && i.urn.endsWith("::llm-floor-mig") && /may scale to 6, above the shared maximum 4/.test(i.message)));
    });

    it("an on-demand group without a spot group beside it is not a floor", () => {
        const rs = gcpFallbackStack().filter((r) => !/::llm-(mig|autoscaler|template)$/.test(r.urn));
        const { est } = capacity(rs);
        assert.ok(est.issues.some((i) => i.kind === "unbounded" && /has no spot group/.test(i.message)));
    });

    it("an on-demand group labelled spot is caught", () => {
        const rs = mutatedIn(gcpFallbackStack(), "llm-floor-template", (i) => ((i.labels as Record<string, string>)["llm-serving-capacity"] = "spot"));
        const { est } = capacity(rs);
        assert.ok(est.issues.some((i) => /declared spot but is priced on-demand/.test(i.message)));
    });

    it("groups that disagree on the maximum are caught", () => {
        const rs = mutatedIn(gcpFallbackStack(), "llm-floor-template", (i) => ((i.labels as Record<string, string>)["llm-serving-capacity-max"] = "5"));
        const { est } = capacity(rs);
        assert.ok(est.issues.some((i) => /declares maximum 5 for share llm, whose other groups declare 4/.test(i.message)));
    });

    it("a share declared on a resource with several capacity lines is unbounded: its labels cover every line", () => {
        const gpu = (name: string, priority: string) => ({ name, mode: "User", vmSize: "Standard_NC24ads_A100_v4", count: 1, enableAutoScaling: true, minCount: 1, maxCount: 2, scaleSetPriority: priority });
        const cluster = (tags: Record<string, string>) =>
            mutated(aksCluster(), (i) => {
                (i.agentPoolProfiles as unknown[]).push(gpu("gpu", "Spot"), gpu("gpuod", "Regular"));
                i.tags = tags;
            });
        const shareTags = { "llm-serving-capacity": "on-demand-floor", "llm-serving-capacity-share": "llm-gpu", "llm-serving-capacity-max": "3" };
        const blocked = estimateCosts(asCost([cluster(shareTags)]));
        const issues = blocked.issues.filter((i) => i.kind === "unbounded" && /resource with 3 capacity lines/.test(i.message));
        assert.equal(issues.length, 1, JSON.stringify(blocked.issues));
        // Negative control: the same cluster without the share tags raises no such issue.
        const plain = estimateCosts(asCost([cluster({ owner: "ml-platform" })]));
        assert.ok(!plain.issues.some((i) => /capacity lines/.test(i.message)), JSON.stringify(plain.issues));
    });
});
