import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { ConcurrentRunError, runUnderMocks } from "../../plan/mocks";
import { runProgram, shareProgramRuns } from "../../plan/run";
import { OFFLINE_PLAN_MARKER } from "../../stack/guard";
import { committedStack, stackFrom, TEST_TAGS } from "../helpers/program";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: unknown };
const resource = pulumi.Resource as unknown as { callsites(): unknown[] };

describe("plan/run.ts and plan/mocks.ts: what a run leaves behind, and shared runs (issue 21)", function () {
    this.timeout(300000);
    // This file sets sharing itself; whatever the suite had set is put back after.
    let before: { on: boolean; freeze: boolean };
    beforeEach(() => {
        before ??= shareProgramRuns(false);
    });
    after(() => shareProgramRuns(before.on, { freeze: before.freeze }));

    /** Counts the program's runs: each run sets the offline plan's marker once. */
    function countRuns(): { readonly count: number } {
        const counter = { count: 0 };
        let value: unknown;
        Object.defineProperty(globalThis, OFFLINE_PLAN_MARKER, {
            configurable: true,
            get: () => value,
            set: (v: unknown) => {
                counter.count++;
                value = v;
            },
        });
        return counter;
    }

    it("restores the SDK's debuggablePromise, Resource.callsites and Error.stackTraceLimit after a run (and after a failed one)", async () => {
        shareProgramRuns(false);
        const original = debuggable.debuggablePromise;
        const callsites = resource.callsites;
        const limit = Error.stackTraceLimit;
        await runProgram(committedStack("dev"));
        assert.equal(debuggable.debuggablePromise, original);
        assert.equal(resource.callsites, callsites);
        assert.equal(Error.stackTraceLimit, limit);
        await assert.rejects(runProgram(stackFrom({ tags: TEST_TAGS, targets: { gcpSpotL4: { replicas: { min: 2, max: 300 } } } })));
        assert.equal(debuggable.debuggablePromise, original);
        assert.equal(resource.callsites, callsites);
        assert.equal(Error.stackTraceLimit, limit);
        // Control: outside a run the SDK's callsites see this test's frames.
        assert.ok(resource.callsites().length > 0);
        // Control: the program's own errors still carry their stack frames.
        assert.match(new Error("x").stack ?? "", /\n\s+at /);
    });

    it("a run under the mocks without the plan's runner (the tests' harnesses) has the SDK's traces off while it runs, and restored after", async () => {
        const original = debuggable.debuggablePromise;
        const callsites = resource.callsites;
        const sourceMaps = process.sourceMapsEnabled;
        let during: { callsites: number; sourceMaps: boolean; wrapped: boolean } | undefined;
        await runUnderMocks({ project: "llm-serving", stack: "harness", config: {}, secretKeys: [] }, () => {
            during = { callsites: resource.callsites().length, sourceMaps: process.sourceMapsEnabled, wrapped: debuggable.debuggablePromise !== original };
            return new pulumi.ComponentResource("test:index:Component", "c");
        });
        assert.deepEqual(during, { callsites: 0, sourceMaps: false, wrapped: true });
        assert.equal(debuggable.debuggablePromise, original);
        assert.equal(resource.callsites, callsites);
        assert.equal(process.sourceMapsEnabled, sourceMaps);
        // Control: outside a run the SDK's callsites see this test's frames.
        assert.ok(resource.callsites().length > 0);
    });

    it("shared: the same stack and config get the same run; another config, secret set or preview gets its own", async () => {
        shareProgramRuns(true);
        const a = await runProgram(committedStack("dev"));
        const b = await runProgram(committedStack("dev"));
        assert.equal(a, b);
        const prod = await runProgram(committedStack("prod"));
        assert.notEqual(prod, a);
        assert.notDeepEqual(prod.resources.map((r) => r.urn), a.resources.map((r) => r.urn));
        const preview = await runProgram(committedStack("dev"), { preview: true });
        assert.notEqual(preview, a);
        const dev = committedStack("dev");
        const secretKey = Object.keys(dev.config)[0];
        const withSecret = await runProgram({ ...dev, secretKeys: [...dev.secretKeys, secretKey] });
        assert.notEqual(withSecret, a);
    });

    it("a second run started while one is in flight is refused with a clear error, and the first run is unharmed", async () => {
        shareProgramRuns(false);
        const first = runProgram(committedStack("dev"));
        await assert.rejects(runProgram(committedStack("prod")), (e: Error) => e instanceof ConcurrentRunError && /stack prod: a run for stack dev is still in flight/.test(e.message));
        await assert.rejects(runUnderMocks({ project: "llm-serving", stack: "x", config: {}, secretKeys: [] }, () => ({})), ConcurrentRunError);
        const a = await first;
        // Control: the same first run alone (the refusal changed nothing of it), and a run after it is allowed.
        const b = await runProgram(committedStack("dev"));
        assert.deepEqual(a.resources, b.resources);
        assert.equal((globalThis as Record<symbol, unknown>)[OFFLINE_PLAN_MARKER], undefined);
        // Shared runs of the same stack and config are one run, so awaiting them together is fine.
        shareProgramRuns(true);
        const [c, d] = await Promise.all([runProgram(committedStack("staging")), runProgram(committedStack("staging"))]);
        assert.equal(c, d);
    });

    it("not shared (the CLI's default): each call runs the program again", async () => {
        shareProgramRuns(false);
        const a = await runProgram(committedStack("staging"));
        const b = await runProgram(committedStack("staging"));
        assert.notEqual(a, b);
        assert.deepEqual(a.resources, b.resources);
    });

    it("a failed run is not kept: the next caller sees the program fail again", async () => {
        shareProgramRuns(true);
        const bad = stackFrom({ tags: TEST_TAGS, targets: { gcpSpotL4: { replicas: { min: 2, max: 300 } } } });
        const first = countRuns();
        await assert.rejects(runProgram(bad), /replicas/);
        assert.equal(first.count, 1);
        const second = countRuns();
        await assert.rejects(runProgram(bad), /replicas/);
        assert.equal(second.count, 1, "the failed run was served from the share");
        // Control: a run that succeeded is served from the share, without running the program.
        await runProgram(committedStack("staging"));
        const again = countRuns();
        await runProgram(committedStack("staging"));
        assert.equal(again.count, 0);
        delete (globalThis as Record<symbol, unknown>)[OFFLINE_PLAN_MARKER];
    });

    it("with freeze, a caller that changes a shared run fails instead of changing it for the next", async () => {
        shareProgramRuns(true, { freeze: true });
        const run = await runProgram(committedStack("dev"));
        assert.throws(() => {
            (run.resources as unknown as unknown[]).push({});
        }, TypeError);
        assert.throws(() => {
            (run.resources[0].inputs as Record<string, unknown>).planted = 1;
        }, TypeError);
        // Control: without freeze the same change goes through (on a run of its own).
        shareProgramRuns(false);
        const own = await runProgram(committedStack("dev"));
        (own.resources as unknown as unknown[]).push({});
        assert.equal(own.resources.length, run.resources.length + 1);
    });
});
