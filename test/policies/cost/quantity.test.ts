import assert from "node:assert/strict";
import { parseQuantity } from "../../../policies/cost/quantity";

describe("cost/quantity: Kubernetes quantities", () => {
    const table: Array<[unknown, number | undefined]> = [
        ["1000", 1000],
        [1000, 1000],
        ["500m", 0.5],
        ["1.5", 1.5],
        ["512Mi", 512 * 2 ** 20],
        ["4000Gi", 4000 * 2 ** 30],
        ["1Ki", 1024],
        ["2Ti", 2 * 2 ** 40],
        ["1k", 1000],
        ["3M", 3e6],
        ["1G", 1e9],
        ["1e3", 1000],
        ["0", 0],
        [" 16 ", 16],
        ["", undefined],
        ["Gi", undefined],
        ["12GB", undefined],
        ["lots", undefined],
        ["1.2.3", undefined],
        [null, undefined],
        [{}, undefined],
        [Number.POSITIVE_INFINITY, undefined],
    ];
    for (const [input, expected] of table) {
        it(`parses ${JSON.stringify(input)} as ${expected}`, () => {
            assert.equal(parseQuantity(input), expected);
        });
    }
});
