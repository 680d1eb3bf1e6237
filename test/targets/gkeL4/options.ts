import * as pulumi from "@pulumi/pulumi";
import { MockRun, runUnderMocks } from "../../../plan/mocks";
import { PROGRAM_PATH } from "../../../plan/run";
import { LoadedStack } from "../../../plan/stackFiles";
import { OFFLINE_PLAN_MARKER } from "../../../stack/guard";

/** The custom timeouts a resource was registered with ("" where none was given). */
export interface RegisteredTimeouts {
    readonly create: string;
    readonly update: string;
    readonly delete: string;
}

type TimeoutsReq = {
    getType(): string;
    getName(): string;
    getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
};

/**
 * Plans `stack` as `plan()` does (as the offline plan, so the program's own cost check stands
 * aside), and also records each resource's customTimeouts option, which PlannedResource does not
 * carry: the monitor's registerResource is wrapped once more, inside the program, after the mocks
 * are set.
 */
export async function planWithTimeouts(stack: LoadedStack): Promise<{ run: MockRun<unknown>; timeouts: Map<string, RegisteredTimeouts> }> {
    const timeouts = new Map<string, RegisteredTimeouts>();
    const marker = globalThis as Record<symbol, unknown>;
    marker[OFFLINE_PLAN_MARKER] = true;
    try {
        return { run: await record(stack, timeouts), timeouts };
    } finally {
        delete marker[OFFLINE_PLAN_MARKER];
    }
}

function record(stack: LoadedStack, timeouts: Map<string, RegisteredTimeouts>): Promise<MockRun<unknown>> {
    return runUnderMocks({ project: stack.project, stack: stack.stack, config: stack.config, secretKeys: stack.secretKeys }, () => {
        const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: TimeoutsReq, cb: unknown): unknown };
        const original = monitor.registerResource.bind(monitor);
        monitor.registerResource = (req, cb) => {
            const t = req.getCustomtimeouts();
            if (t) timeouts.set(`${req.getType()}::${req.getName()}`, { create: t.getCreate(), update: t.getUpdate(), delete: t.getDelete() });
            return original(req, cb);
        };
        delete require.cache[require.resolve(PROGRAM_PATH)];
        return require(PROGRAM_PATH) as unknown;
    });
}
