import assert from "node:assert/strict";
import { estimateCosts } from "../../../policies/cost/estimate";
import type { CostInputResource } from "../../../policies/cost/types";
import { gcpFallbackStack, mutatedIn } from "../../helpers/policyFixtures";
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
    it("prices the floor on-demand in the baseline and the shared maximum 4 (not 3 + 4) at on-demand in the worst case", () => {
        const { est, spot, floor } = capacity(gcpFallbackStack());
        assert.deepEqual(est.issues, []);
        assert.equal(floor.pricing, "on-demand");
        assert.equal(spot.pricing, "spot");
        // Baseline: 1 floor replica + 1 spot replica (spot's worst unit price is on-demand too).
        assert.equal(floor.baselineMonthlyUsd, 515.99); // 1 x 0.70683 x 730 = 515.9859
        assert.equal(spot.baselineMonthlyUsd, 515.99);
        // Worst: both minimums (1 + 1), then the 2 left of the maximum 4 to the on-demand group first.
        assert.equal(floor.countMax, 3);
        assert.equal(spot.countMax, 1);
        assert.equal(floor.worstCaseMonthlyUsd, 1547.96); // 3 x 0.70683 x 730 = 1547.9577
        assert.equal(spot.worstCaseMonthlyUsd, 515.99);
        assert.equal(floor.worstCaseMonthlyUsd + spot.worstCaseMonthlyUsd, 2063.95); // = 4 machines
        assert.match(floor.basis, /shares maximum 4 of llm .*fallback replaces spot, never adds/);
    });

    it("negative control: without the share labels the two groups' own maxima add up (3 + 4 = 7)", () => {
        const plain = gcpFallbackStack().map((r) => ({ ...r, inputs: { ...(r.inputs as Record<string, unknown>), labels: {} } }));
        const { spot, floor } = capacity(plain);
        assert.equal(spot.worstCaseMonthlyUsd + floor.worstCaseMonthlyUsd, month(3) + month(4));
    });

    it("a shared maximum the groups cannot reach together changes nothing", () => {
        const { est, spot, floor } = capacity(gcpFallbackStack({ max: "9" }));
        assert.deepEqual(est.issues, []);
        assert.equal(spot.countMax + floor.countMax, 7);
    });

    it("a group that may scale above the shared maximum it declares is unbounded and keeps its own worst case", () => {
        const { est, floor } = capacity(gcpFallbackStack({ floorMax: 6 }));
        assert.ok(est.issues.some((i) => i.kind === "unbounded" && i.urn.endsWith("::llm-floor-mig") && /may scale to 6, above the shared maximum 4/.test(i.message)));
        assert.equal(floor.worstCaseMonthlyUsd, month(6));
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
});
