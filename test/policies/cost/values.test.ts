import assert from "node:assert/strict";
import { UNKNOWN_SENTINELS } from "../../../policies/contract/keys";
import { isUnknownValueError, readArray, readField, readNumber, readString } from "../../../policies/model/read";
import { UNKNOWN, UnknownValueError, unknownCheckingProxy } from "./fixtures";

describe("cost/values: reading props without letting unknowns escape", () => {
    it("recognises the real UnknownValueError thrown by @pulumi/policy's proxy", () => {
        const props = unknownCheckingProxy({ machineType: UNKNOWN });
        let thrown: unknown;
        try {
            void props.machineType;
        } catch (e) {
            thrown = e;
        }
        assert.ok(thrown instanceof UnknownValueError, "the proxy throws, as it does in preview");
        assert.equal(isUnknownValueError(thrown), true);
        assert.equal(isUnknownValueError(new Error("other")), false);
    });

    it("knows every sentinel @pulumi/policy knows", () => {
        for (const s of UNKNOWN_SENTINELS) {
            assert.throws(() => void unknownCheckingProxy({ v: s }).v, (e: unknown) => e instanceof UnknownValueError);
        }
    });

    it("reports an unknown value behind the proxy as unknown, with its path", () => {
        const props = unknownCheckingProxy({ scheduling: { provisioningModel: UNKNOWN } });
        assert.deepEqual(readString(props, ["scheduling", "provisioningModel"]), { state: "unknown", field: "scheduling.provisioningModel" });
    });

    it("reports an unknown object on the way as unknown for the whole path", () => {
        const props = unknownCheckingProxy({ autoscalingPolicy: UNKNOWN });
        assert.equal(readNumber(props, ["autoscalingPolicy", "maxReplicas"]).state, "unknown");
    });

    it("reports the raw sentinel (offline plan) as unknown", () => {
        assert.equal(readField({ machineType: UNKNOWN }, ["machineType"]).state, "unknown");
    });

    it("distinguishes absent, known and wrongly typed values", () => {
        assert.equal(readString({}, ["machineType"]).state, "absent");
        assert.equal(readString({ a: null }, ["a", "b"]).state, "absent");
        assert.deepEqual(readString({ m: "g2-standard-4" }, ["m"]), { state: "known", value: "g2-standard-4", field: "m" });
        assert.equal(readNumber({ n: "3" }, ["n"]).state, "invalid");
        assert.deepEqual(readNumber({ n: "3" }, ["n"], "", { numericString: true }), { state: "known", value: 3, field: "n" });
    });

    it("reads each list element separately, so an unknown element is named by index", () => {
        const props = unknownCheckingProxy({ pools: [{ vmSize: "a" }, UNKNOWN] });
        const list = readArray(props, ["pools"]);
        assert.equal(list.state, "known");
        if (list.state !== "known") return;
        assert.equal(list.value[0].state, "known");
        assert.deepEqual(list.value[1], { state: "unknown", field: "pools[1]" });
    });

    it("rethrows errors that are not about unknown values", () => {
        const hostile = new Proxy({}, { get: () => { throw new TypeError("boom"); } });
        assert.throws(() => readField(hostile, ["x"]), TypeError);
    });
});
