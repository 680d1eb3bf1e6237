import * as path from "node:path";
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
    // Before anything process-wide is touched: a second run would otherwise clear the marker under
    // the first one (runUnderMocks claims the run in this same tick).
    assertNoRunInFlight(stack.stack);
    // The marker tells the program's own cost check (stack/guard.ts) that the plan shows the
    // pack's verdicts itself: a plan that is not a preview must not start a plan of the plan.
    const marker = globalThis as Record<symbol, unknown>;
    marker[OFFLINE_PLAN_MARKER] = true;
    try {
        return await runUnderMocks(
            { project: stack.project, stack: stack.stack, config: stack.config, secretKeys: stack.secretKeys, preview: opts.preview },
            loadProgram,
        );
    } finally {
        delete marker[OFFLINE_PLAN_MARKER];
    }
}
