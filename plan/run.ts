import * as path from "node:path";
import { LoadedStack } from "./stackFiles";
import { MockRun, runUnderMocks } from "./mocks";
import { OFFLINE_PLAN_MARKER } from "../stack/guard";

/** The project's entry point (index.ts), run exactly as the Pulumi CLI would load it. */
export const PROGRAM_PATH = path.resolve(__dirname, "..", "index.ts");

/**
 * Runs index.ts under mocks with the stack's config. The module is evicted from the require
 * cache first so that several stacks can be planned in one process (tests do).
 */
export async function runProgram(stack: LoadedStack, opts: { preview?: boolean } = {}): Promise<MockRun<unknown>> {
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
    try {
        return await runUnderMocks(
            { project: stack.project, stack: stack.stack, config: stack.config, secretKeys: stack.secretKeys, preview: opts.preview },
            () => {
                delete require.cache[require.resolve(PROGRAM_PATH)];
                return require(PROGRAM_PATH) as unknown;
            },
        );
    } finally {
        delete marker[OFFLINE_PLAN_MARKER];
        process.setSourceMapsEnabled(sourceMaps);
    }
}
