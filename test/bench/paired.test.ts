import { strict as assert } from "node:assert";
import { median, paired, Sample } from "../../bench/paired";

describe("bench/paired.ts: a case and its yardstick measured in turn (issue 21)", () => {
    const from = (name: string, seconds: number[], order: string[]) => {
        let i = 0;
        return (): Sample => {
            order.push(name);
            return { seconds: seconds[i++], peakMb: 100 };
        };
    };

    it("alternates yardstick and case, A B A B, never all of one then all of the other", () => {
        const order: string[] = [];
        paired(from("floor", [1, 1, 1], order), from("plan", [2, 2, 2], order), 3);
        assert.deepEqual(order, ["floor", "plan", "floor", "plan", "floor", "plan"]);
    });

    it("the ratio is the median of the per-pair ratios, not the ratio of the medians", () => {
        // Pairs: 3/1, 4/4, 2/2 -> ratios 3, 1, 1 -> median 1. Ratio of medians: 3/2 = 1.5.
        const r = paired(from("floor", [1, 4, 2], []), from("plan", [3, 4, 2], []), 3);
        assert.equal(r.ratio, 1);
        assert.equal(r.yardstick.seconds, 2);
        assert.equal(r.candidate.seconds, 3);
        assert.notEqual(r.ratio, r.candidate.seconds / r.yardstick.seconds, "control: the two differ here");
    });

    it("median of an even count is the mean of the middle two", () => {
        assert.equal(median([4, 1, 3, 2]), 2.5);
        assert.equal(median([5]), 5);
    });
});
