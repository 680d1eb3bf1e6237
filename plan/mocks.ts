import { PLAN_SECRET_PLACEHOLDER, UNKNOWN_STRING_SENTINEL } from "../policies/contract/keys";
import * as pulumi from "@pulumi/pulumi";
import { gcpComputeSelfLink, MOCK_INVOKES, MOCK_OUTPUTS } from "./mockOutputs";

/** What the program registered, as the plan and the tests see it. */
export interface PlannedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** URN of the parent resource, or null for a top-level resource. */
    readonly parent: string | null;
    /** Provider reference (`<provider URN>::<id>`) of a custom resource, or null for the default provider. */
    readonly provider?: string | null;
    /** Inputs as registered; every secret value is replaced by the string "[secret]". */
    readonly inputs: Record<string, unknown>;
    /** Input property name -> URNs of the resources that property's value came from. */
    readonly propertyDependencies: Record<string, string[]>;
    /** Every URN the resource waits for: its properties' sources and its `dependsOn` option. */
    readonly dependencies?: string[];
    readonly custom: boolean;
}

export const SECRET_PLACEHOLDER = PLAN_SECRET_PLACEHOLDER;
export const UNKNOWN_PLACEHOLDER = "[unknown until apply]";
/** Pulumi's wire form of a secret: { [SIG_KEY]: SECRET_SIG, value }. */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export interface MockRunOptions {
    readonly project: string;
    readonly stack: string;
    /** Full config keys ("llm-serving:targets") to raw string values, as the engine passes them. */
    readonly config: Record<string, string>;
    readonly secretKeys: readonly string[];
    /** Mark the run as a preview (pulumi.runtime.isDryRun()). @default false */
    readonly preview?: boolean;
}

export interface MockRun<T> {
    readonly resources: PlannedResource[];
    /** The program's exports, resolved; secret outputs are "[secret]". */
    readonly outputs: Record<string, unknown>;
    readonly result: T;
}

/** Thrown for an invoke the mocks do not answer: a silent empty answer would hide a real dependency. */
export class UnmockedInvokeError extends Error {}

/**
 * The program failed while it ran: a value computed from another resource's output threw, so
 * every resource that depends on it was never registered. `pulumi up` stops on such an error
 * (its language host treats an unhandled rejection as a failed program); a plan that showed the
 * rest and exited 0 would report a partial stack clean, and price and judge less than exists.
 */
export class ProgramFailedError extends Error {
    constructor(readonly failures: readonly string[]) {
        super(
            `the program failed while registering resources, as \`pulumi up\` would (${failures.length} error${failures.length === 1 ? "" : "s"}); ` +
                `resources that depend on the failed value were never registered:\n  - ${failures.join("\n  - ")}`,
        );
    }
}

/** The stack of the run in flight in this process, if any. */
let inFlight: string | undefined;

/** Thrown when a run starts while another is in flight in the same process. */
export class ConcurrentRunError extends Error {}

/**
 * Throws ConcurrentRunError if a program run is in flight in this process. The SDK's mocks, its
 * config and monitor are process-wide (setMocks, setAllConfig), and so are the offline plan's
 * marker and runUnderMocks' patch of the SDK (withoutSdkTraces): a second run started before the
 * first ended would register into the first's monitor and unset the marker under it, a wrong
 * plan without an error.
 */
export function assertNoRunInFlight(stack: string): void {
    if (inFlight === undefined) return;
    throw new ConcurrentRunError(
        `cannot run the program for stack ${stack}: a run for stack ${inFlight} is still in flight in this process; ` +
            "the SDK's mocks are process-wide, so runs must be awaited one after the other (or run in separate processes)",
    );
}

/**
 * Runs `program` under `pulumi.runtime.setMocks`, recording every registration with its parent
 * and property dependencies (the mock API does not pass those to `newResource`, so the monitor's
 * registerResource is wrapped). One run at a time per process: a second one started while one is
 * in flight throws ConcurrentRunError.
 */
export async function runUnderMocks<T>(opts: MockRunOptions, program: () => T): Promise<MockRun<T>> {
    assertNoRunInFlight(opts.stack);
    // The SDK records a stack trace for every resource and every internal promise. With source
    // maps on (tsx turns them on), each trace is mapped back to TypeScript: about a third of a
    // plan's run, for traces the plan never reads. Off while the program runs, restored after, so
    // an internal error outside the program still shows TypeScript positions. Here rather than in
    // the plan's runner, so that every run under the mocks (the tests' own harnesses) is spared.
    const sourceMaps = process.sourceMapsEnabled;
    let restoreTraces: (() => void) | undefined;
    inFlight = opts.stack;
    try {
        process.setSourceMapsEnabled(false);
        restoreTraces = withoutSdkTraces();
        return await runUnderMocksAlone(opts, program);
    } finally {
        inFlight = undefined;
        process.setSourceMapsEnabled(sourceMaps);
        restoreTraces?.();
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

async function runUnderMocksAlone<T>(opts: MockRunOptions, program: () => T): Promise<MockRun<T>> {
    const resources: PlannedResource[] = [];
    const pending = new Map<string, { type: string; name: string; inputs: Record<string, unknown>; custom: boolean }>();

    pulumi.runtime.setAllConfig(opts.config, [...opts.secretKeys]);
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                const inputs = args.inputs as Record<string, unknown>;
                const plainInputs = plain(inputs) as Record<string, unknown>;
                const extra = {
                    ...gcpComputeSelfLink(args.type, args.name, plainInputs),
                    ...(MOCK_OUTPUTS[args.type]?.(args.name, plainInputs) ?? {}),
                };
                pending.set(`${args.type}::${args.name}`, { type: args.type, name: args.name, inputs, custom: args.custom ?? true });
                // A first preview of a new stack knows a resource's inputs and nothing it computes
                // (ids, emails, addresses): the engine leaves those unknown, and so do we.
                if (opts.preview) return { id: undefined, state: inputs };
                return { id: `${args.name}-id`, state: { ...inputs, ...extra } };
            },
            call(args) {
                const mocked = MOCK_INVOKES[args.token];
                if (mocked) return mocked(plain(args.inputs) as Record<string, unknown>);
                throw new UnmockedInvokeError(`unmocked invoke ${args.token}: the plan does not call cloud APIs; mock it or avoid it`);
            },
        },
        opts.project,
        opts.stack,
        opts.preview ?? false,
    );
    recordParents(resources, pending);

    // A failed apply rejects the registrations that wait on it, with no one awaiting them: Node
    // reports them as unhandled rejections, which the Pulumi CLI turns into a failed update.
    const failures: string[] = [];
    const onRejection = (reason: unknown) => failures.push(reason instanceof Error ? reason.message : String(reason));
    process.on("unhandledRejection", onRejection);
    let outputs: Record<string, unknown>;
    let result: T;
    try {
        result = program();
        const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
        outputs = await resolveExports(result);
        await settings.waitForRPCs();
        // Rejections are reported after the microtask queue drains: let the last ones arrive.
        await new Promise((resolve) => setImmediate(resolve));
    } finally {
        process.off("unhandledRejection", onRejection);
    }
    if (failures.length > 0) throw new ProgramFailedError([...new Set(failures)]);
    return { resources, outputs, result };
}

/** Wraps the mock monitor's registerResource to learn each resource's parent and property dependencies. */
function recordParents(
    resources: PlannedResource[],
    pending: Map<string, { type: string; name: string; inputs: Record<string, unknown>; custom: boolean }>,
): void {
    type Req = {
        getType(): string;
        getName(): string;
        getParent(): string;
        getProvider(): string;
        getPropertydependenciesMap(): { forEach(cb: (deps: { getUrnsList(): string[] }, key: string) => void): void };
        getDependenciesList(): string[];
    };
    type Resp = { getUrn(): string };
    const monitor = pulumi.runtime.getMonitor() as unknown as {
        registerResource(req: Req, cb: (err: unknown, resp: Resp | undefined) => void): Promise<void>;
    };
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) =>
        original(req, (err, resp) => {
            if (!err && resp) {
                const key = `${req.getType()}::${req.getName()}`;
                const seen = pending.get(key);
                pending.delete(key);
                const propertyDependencies: Record<string, string[]> = {};
                req.getPropertydependenciesMap().forEach((deps, prop) => {
                    const urns = deps.getUrnsList();
                    if (urns.length > 0) propertyDependencies[prop] = urns;
                });
                resources.push({
                    urn: resp.getUrn(),
                    type: req.getType(),
                    name: req.getName(),
                    parent: req.getParent() || null,
                    provider: req.getProvider() || null,
                    inputs: redactSecrets(seen?.inputs ?? {}) as Record<string, unknown>,
                    propertyDependencies,
                    dependencies: [...new Set(req.getDependenciesList())],
                    custom: seen?.custom ?? true,
                });
            }
            cb(err, resp);
        });
}

/**
 * Pulumi's wire value for "unknown until apply". Policies and the cost engine recognise it, as
 * they do under `pulumi preview`; the rendered plan shows UNKNOWN_PLACEHOLDER instead.
 */
export const UNKNOWN_SENTINEL = UNKNOWN_STRING_SENTINEL;

/** Replaces every wire-format secret with "[secret]" and every unknown with UNKNOWN_SENTINEL. */
export function redactSecrets(value: unknown): unknown {
    if (pulumi.isUnknown(value)) return UNKNOWN_SENTINEL;
    if (Array.isArray(value)) return value.map(redactSecrets);
    if (value !== null && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        // A secret whose value is not known yet is, to a policy, unknown (the analyzer unwraps
        // secrets); SDKs from 3.249 on send it as a secret wrapping the unknown value.
        if (obj[SIG_KEY] === SECRET_SIG) return pulumi.isUnknown(obj.value) ? UNKNOWN_SENTINEL : SECRET_PLACEHOLDER;
        return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, redactSecrets(v)]));
    }
    return value;
}

/** Unwraps wire-format secrets (for computing mock outputs only; never for display). */
function plain(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(plain);
    if (value !== null && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (obj[SIG_KEY] === SECRET_SIG) return plain(obj.value);
        return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, plain(v)]));
    }
    return value;
}

/** Resolves a module's exports (Outputs included); secret outputs become "[secret]". */
async function resolveExports(result: unknown): Promise<Record<string, unknown>> {
    if (result === null || typeof result !== "object") return {};
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(result as Record<string, unknown>)) {
        if (key === "__esModule") continue;
        out[key] = await resolveValue(value);
    }
    return out;
}

async function resolveValue(value: unknown): Promise<unknown> {
    if (pulumi.Output.isInstance(value)) {
        // isKnown/promise are Output internals; apply() would never call back on an unknown value.
        const o = value as unknown as pulumi.Output<unknown> & { isKnown: Promise<boolean>; promise(): Promise<unknown> };
        if (!(await o.isKnown)) return UNKNOWN_PLACEHOLDER;
        if (await pulumi.isSecret(o)) return SECRET_PLACEHOLDER;
        return resolveValue(await o.promise());
    }
    if (Array.isArray(value)) return Promise.all(value.map(resolveValue));
    if (value !== null && typeof value === "object" && !(value instanceof pulumi.Resource)) {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = await resolveValue(v);
        return out;
    }
    return value;
}
