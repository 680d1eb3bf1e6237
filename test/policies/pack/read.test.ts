import assert from "node:assert/strict";
import { UNKNOWN_SENTINELS } from "../../../policies/contract/keys";
import { isUnknownValueError, readArray, readAt, readField, readNumber, readString } from "../../../policies/model/read";
import { UNKNOWN, UnknownValueError, unknownCheckingProxy } from "../cost/fixtures";

describe("model/read: the pack's one reader, never letting unknowns escape", () => {
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

    it("names the field where the walk stopped (readAt, for the rules) or the whole path (readField, for the engine)", () => {
        const props = unknownCheckingProxy({ a: UNKNOWN, b: null });
        assert.deepEqual(readAt(props, ["a", "x"]), { state: "unknown", field: "a" });
        assert.deepEqual(readField(props, ["a", "x"]), { state: "unknown", field: "a.x" });
        assert.deepEqual(readAt(props, ["b", "x", "y"]), { state: "absent", field: "b.x" });
        assert.deepEqual(readField(props, ["b", "x", "y"]), { state: "absent", field: "b.x.y" });
    });

    it("unwraps a serialized Pulumi secret on both entry points; a secret whose value is unknown is unknown", () => {
        const secret = (value: unknown) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });
        const props = { machineType: secret("g2-standard-4"), later: secret(UNKNOWN) };
        assert.deepEqual(readAt(props, ["machineType"]), { state: "known", value: "g2-standard-4", field: "machineType" });
        assert.deepEqual(readString(props, ["machineType"]), { state: "known", value: "g2-standard-4", field: "machineType" });
        assert.equal(readAt(props, ["later"]).state, "unknown");
        assert.equal(readString(props, ["later"]).state, "unknown");
        assert.equal(readField(secret(UNKNOWN), []).state, "unknown");
        // Negative control: an object that only looks like a secret (wrong signature) is left alone.
        const lookalike = { "4dabf18193072939515e22adb298388d": "not-the-signature", value: "x" };
        assert.deepEqual(readAt({ v: lookalike }, ["v"]), { state: "known", value: lookalike, field: "v" });
    });

    it("accepts numeric strings where asked (typed reads) and where config may give them (asNumber)", () => {
        assert.deepEqual(readNumber({ n: "3" }, ["n"], "", { numericString: true }), { state: "known", value: 3, field: "n" });
        assert.equal(readNumber({ n: "3" }, ["n"]).state, "invalid");
    });
});
