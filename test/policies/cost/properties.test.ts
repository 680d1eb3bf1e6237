import assert from "node:assert/strict";
import fc from "fast-check";
import { CATALOG, findPrice } from "../../../policies/cost/catalog";
import { estimateCosts } from "../../../policies/cost/estimate";
import { nodeCountBound, perNodeCapacity } from "../../../policies/cost/karpenter";
import { unitPrice } from "../../../policies/cost/pricing";
import { resource } from "./fixtures";

const entry = fc.constantFrom(...CATALOG);
const purchase = fc.oneof(
    fc.constant({ kind: "on-demand" as const }),
    fc.constant({ kind: "spot" as const }),
    fc.record({ kind: fc.constant("spot-max-price" as const), maxPriceUsd: fc.option(fc.double({ min: -1, max: 50, noNaN: true }), { nil: undefined }) }),
);

describe("cost: properties", () => {
    it("never prices a unit above on-demand, nor spot below its catalog price when margin >= 1", () => {
        fc.assert(
            fc.property(entry, purchase, fc.double({ min: 1, max: 10, noNaN: true }), (e, p, margin) => {
                const u = unitPrice(e, p, margin);
                assert.ok(u.hourlyUsd > 0 && u.hourlyUsd <= e.onDemandHourlyUsd);
                if (p.kind === "spot" && e.spotHourlyUsd !== undefined) assert.ok(u.hourlyUsd >= e.spotHourlyUsd);
            }),
        );
    });

    it("keeps worst case >= baseline for any autoscaled node group", () => {
        fc.assert(
            fc.property(fc.nat(50), fc.nat(50), fc.boolean(), (a, b, spot) => {
                const [min, max] = a <= b ? [a, b] : [b, a];
                const est = estimateCosts([
                    resource("aws:eks/nodeGroup:NodeGroup", "ng", { region: "us-east-1", instanceTypes: ["g6.xlarge"], capacityType: spot ? "SPOT" : "ON_DEMAND", scalingConfig: { minSize: min, maxSize: max, desiredSize: min }, diskSize: 20, subnetIds: ["a", "b"] }),
                ]);
                assert.equal(est.issues.length, 0);
                assert.ok(est.worstCaseMonthlyUsd >= est.baselineMonthlyUsd);
                for (const l of est.lines) assert.ok(l.worstCaseMonthlyUsd >= l.baselineMonthlyUsd, l.kind);
                // Spot or not, nothing caps an EKS node group's spot price: on-demand 0.8048 is the worst case.
                const capacity = est.lines.find((l) => l.kind === "capacity")!;
                assert.equal(capacity.worstCaseMonthlyUsd, Math.round(max * 0.8048 * 730 * 100) / 100);
                if (spot) assert.ok(capacity.expected!.worstCaseMonthlyUsd <= capacity.worstCaseMonthlyUsd);
            }),
        );
    });

    it("bounds the node count of ANY mix of allowed types that fits the Karpenter limits", () => {
        const inf2 = ["inf2.xlarge", "inf2.8xlarge", "inf2.24xlarge", "inf2.48xlarge"].map((t) => findPrice("aws", "us-east-1", t)!);
        fc.assert(
            fc.property(
                fc.subarray(inf2, { minLength: 1 }),
                fc.integer({ min: 1, max: 2000 }),
                fc.integer({ min: 1, max: 8000 }),
                fc.array(fc.nat(300), { minLength: 4, maxLength: 4 }),
                (types, cpu, memGi, counts) => {
                    const limits = new Map([["cpu", cpu], ["memory", memGi * 2 ** 30]]);
                    const bound = nodeCountBound(limits, types)!;
                    // Any mix within the limits: scale the random counts down until it fits.
                    let mix = types.map((_, i) => counts[i]);
                    const fits = (m: number[]) => [...limits].every(([d, l]) => m.reduce((s, n, i) => s + n * perNodeCapacity(types[i], d), 0) <= l);
                    while (!fits(mix)) mix = mix.map((n) => Math.floor(n / 2));
                    assert.ok(mix.reduce((s, n) => s + n, 0) <= bound.count);
                },
            ),
        );
    });
});
