import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { LoadedStack } from "./stackFiles";
import { assertNoRunInFlight, MockRun, runUnderMocks } from "./mocks";
import { OFFLINE_PLAN_MARKER } from "../stack/guard";

/** The project's entry point (index.ts), run exactly as the Pulumi CLI would load it. */
export const PROGRAM_PATH = path.resolve(__dirname, "..", "index.ts");

/** Set (to true) only in the plan's prebuilt bundle (plan/fast.cjs). */
declare const PLAN_BUNDLED: boolean | undefined;

/**
 * Runs index.ts. From source (tsx: the tests, `node --import tsx plan/cli.ts`) the module is
 * required by path and evicted first, so that one process can run the program again. In the
 * prebuilt bundle index.ts is inside the bundle, required once: the launcher plans one stack.
 */
function loadProgram(): unknown {
    if (typeof PLAN_BUNDLED !== "undefined" && PLAN_BUNDLED) return require("../index") as unknown;
    delete require.cache[require.resolve(PROGRAM_PATH)];
    return require(PROGRAM_PATH) as unknown;
}

/**
 * Runs index.ts under mocks with the stack's config. The module is evicted from the require
 * cache first so that several stacks can be planned in one process (tests do).
 */
export function runProgram(stack: LoadedStack, opts: { preview?: boolean } = {}): Promise<MockRun<unknown>> {
    if (!shared) return runProgramOnce(stack, opts);
    const key = runKey(stack, opts);
    let run = shared.get(key);
    if (!run) {
        run = freezeShared ? runProgramOnce(stack, opts).then(freezeRun) : runProgramOnce(stack, opts);
        shared.set(key, run);
        // A failed run is not kept: the next caller sees the program fail again, with its own output.
        run.catch(() => shared?.delete(key));
    }
    return run;
}

/** Runs of the program, shared by identical (stack, config, secrets, preview); off unless turned on. */
let shared: Map<string, Promise<MockRun<unknown>>> | undefined;
let freezeShared = false;

/**
 * Shares one run of the program among every caller that plans the same stack with the same config
 * (the test suite turns it on, test/helpers/shareRuns.ts): the program is a function of its
 * config and the source tree, and the suite planned the same few stacks hundreds of times (501
 * runs, 250 distinct, issue 21). Callers must not change a shared run; with `freeze` every
 * shared run is deep-frozen, so one that did would fail. Not frozen by default: the policies
 * evaluated frozen resources about 5x slower (V8), which cost more than the sharing saved. The
 * CLI plans once and leaves sharing off.
 */
export function shareProgramRuns(on: boolean, opts: { freeze?: boolean } = {}): { on: boolean; freeze: boolean } {
    const before = { on: shared !== undefined, freeze: freezeShared };
    shared = on ? new Map() : undefined;
    freezeShared = opts.freeze ?? false;
    return before;
}

function runKey(stack: LoadedStack, opts: { preview?: boolean }): string {
    return JSON.stringify([stack.project, stack.stack, stack.config, [...stack.secretKeys].sort(), opts.preview ?? false]);
}

/** Freezes a run's resources and outputs (plain objects and arrays only; never SDK objects). */
function freezeRun(run: MockRun<unknown>): MockRun<unknown> {
    deepFreezePlain(run.resources);
    deepFreezePlain(run.outputs);
    return run;
}

function deepFreezePlain(value: unknown): void {
    if (value === null || typeof value !== "object" || Object.isFrozen(value)) return;
    const proto = Object.getPrototypeOf(value) as unknown;
    if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return;
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreezePlain(v);
}

async function runProgramOnce(stack: LoadedStack, opts: { preview?: boolean }): Promise<MockRun<unknown>> {
    // Before anything process-wide is touched: a second run would otherwise clear the marker and
    // the SDK patch under the first one (runUnderMocks claims the run in this same tick).
    assertNoRunInFlight(stack.stack);
    // The marker tells the program's own cost check (stack/guard.ts) that the plan shows the
    // pack's verdicts itself: a plan that is not a preview must not start a plan of the plan.
    const marker = globalThis as Record<symbol, unknown>;
    marker[OFFLINE_PLAN_MARKER] = true;
    // The SDK records a stack trace for every resource and every internal promise. With source
    // maps on (tsx turns them on), each trace is mapped back to TypeScript: about a third of a
    // plan's run, for traces the plan never reads. Off while the program runs, restored after, so
    // an internal error outside the program still shows TypeScript positions.
    const sourceMaps = process.sourceMapsEnabled;
    process.setSourceMapsEnabled(false);
    const restoreTraces = withoutSdkTraces();
    try {
        return await runUnderMocks(
            { project: stack.project, stack: stack.stack, config: stack.config, secretKeys: stack.secretKeys, preview: opts.preview },
            loadProgram,
        );
    } finally {
        delete marker[OFFLINE_PLAN_MARKER];
        process.setSourceMapsEnabled(sourceMaps);
        restoreTraces();
    }
}

type Debuggable = { debuggablePromise<T>(p: Promise<T>, ctx: unknown): Promise<T> };
type Callsites = { callsites(): unknown[] };

/**
 * Two traces the SDK takes for the engine and its leak report, which no plan reads; the SDK has
 * no switch for either. Off while the program runs; returns the undo.
 *
 * - It wraps every internal promise (several per resource) in debuggablePromise, which stores
 *   `new Error().stack` on it for its leak report: formatting those traces was a sixth of a
 *   plan's CPU time (profile of `plan --stack ha`, issue 21). Each such trace is taken with a
 *   stack depth of 0: the leak detector still tracks every promise and still reports a leak, only
 *   without the trace. The program's own errors keep their full stacks (the limit is restored as
 *   soon as the wrapper returns).
 * - Every resource's constructor takes the whole stack (Resource.callsites, with no depth limit)
 *   and parses it into a source position and a stack trace for the engine's registration
 *   request, which the mock monitor drops. Under the plan it returns no frames, which the SDK
 *   handles as a position it could not find: the request carries none.
 */
function withoutSdkTraces(): () => void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const debuggable = require("@pulumi/pulumi/runtime/debuggable") as Debuggable;
    const original = debuggable.debuggablePromise;
    debuggable.debuggablePromise = (p, ctx) => {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
            return original(p, ctx);
        } finally {
            Error.stackTraceLimit = limit;
        }
    };
    const resource = pulumi.Resource as unknown as Callsites;
    const callsites = Object.getOwnPropertyDescriptor(resource, "callsites");
    resource.callsites = () => [];
    return () => {
        debuggable.debuggablePromise = original;
        if (callsites) Object.defineProperty(resource, "callsites", callsites);
    };
}
