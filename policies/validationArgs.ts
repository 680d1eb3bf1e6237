// Builds the arguments @pulumi/policy's analyzer server hands to policies (server.js), so rules run
// in process exactly as under `pulumi preview`: same shapes, same unknown-checking proxy.
import type { PolicyResource, PolicyResourceOptions, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { isUnknown } from "@pulumi/pulumi/output";
import { UNKNOWN_STRING_SENTINEL } from "./contract/keys";
import { unknownCheckingProxy } from "./unknowns";

/** A resource as the offline plan records it (inputs as registered, dependencies by URN). */
export interface PlannedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly parent: string | null;
    readonly inputs: Record<string, unknown>;
    readonly propertyDependencies: Record<string, string[]>;
}

export interface ArgsOptions {
    /** Wrap props in the unknown-checking proxy, as the CLI does for every preview and update. */
    readonly preview?: boolean;
    /** The policy's config (already reconciled with defaults). */
    readonly config?: Record<string, unknown>;
    readonly stackTags?: ReadonlyMap<string, string>;
}

/** Thrown by `notApplicable()`; the runner treats it as "policy does not apply". */
export class NotApplicableError extends Error {}

export function resourceArgs(resource: PlannedResource, options: ArgsOptions = {}): ResourceValidationArgs {
    const props = wireProps(resource.inputs, options.preview ?? false);
    return {
        type: resource.type,
        props,
        urn: resource.urn,
        name: resource.name,
        opts: resourceOptions(resource),
        stackTags: options.stackTags ?? new Map(),
        isType: (resourceClass) => pulumiTypeOf(resourceClass) === resource.type,
        // asType hands back the props untyped, as server.js does; our rules never call it.
        asType: (resourceClass) => (pulumiTypeOf(resourceClass) === resource.type ? (props as never) : undefined),
        getConfig: <T extends object>() => policyConfigOf(options) as T,
        notApplicable: throwNotApplicable,
    };
}

/**
 * What server.js's getConfig returns: a new object with the policy's config properties at each
 * call, their values shared (it spreads the deserialized config, enforcementLevel left out). A
 * deep copy per call cost about a second of a test suite, for a difference no rule relies on.
 */
function policyConfigOf(options: ArgsOptions): Record<string, unknown> {
    return { ...(options.config ?? {}) };
}

export function stackArgs(resources: ReadonlyArray<PlannedResource>, options: ArgsOptions = {}): StackValidationArgs {
    return {
        resources: policyResources(resources, options.preview ?? false),
        stackTags: options.stackTags ?? new Map(),
        getConfig: <T extends object>() => policyConfigOf(options) as T,
        notApplicable: throwNotApplicable,
    };
}

/** PolicyResources linked to each other by parent and property dependencies, as server.js links them. */
function policyResources(resources: ReadonlyArray<PlannedResource>, preview: boolean): PolicyResource[] {
    const byUrn = new Map<string, PolicyResource>();
    const built = resources.map((r) => {
        const props = wireProps(r.inputs, preview);
        const resource: PolicyResource = {
            type: r.type,
            props,
            urn: r.urn,
            name: r.name,
            opts: resourceOptions(r),
            dependencies: [],
            propertyDependencies: {},
            isType: (resourceClass) => pulumiTypeOf(resourceClass) === r.type,
            asType: (resourceClass) => (pulumiTypeOf(resourceClass) === r.type ? (props as never) : undefined),
        };
        byUrn.set(r.urn, resource);
        return resource;
    });
    resources.forEach((r, i) => {
        const resource = built[i];
        const parent = r.parent === null ? undefined : byUrn.get(r.parent);
        if (parent) {
            resource.parent = parent;
        }
        const dependencies = new Set<PolicyResource>();
        for (const [key, urns] of Object.entries(r.propertyDependencies)) {
            const deps = urns.flatMap((u) => byUrn.get(u) ?? []);
            resource.propertyDependencies[key] = deps;
            deps.forEach((d) => dependencies.add(d));
        }
        resource.dependencies = [...dependencies];
    });
    return built;
}

function resourceOptions(r: PlannedResource): PolicyResourceOptions {
    const opts: PolicyResourceOptions = {
        protect: false,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
    };
    if (r.parent !== null) {
        opts.parent = r.parent;
    }
    return opts;
}

/**
 * The props as they arrive over the wire: a fresh copy per policy (the server deserializes per
 * policy), undefined fields dropped, unknowns as the engine's sentinel, proxied in preview.
 */
export function wireProps(inputs: Record<string, unknown>, preview: boolean): Record<string, unknown> {
    const copy = toWireValue(inputs);
    const props = typeof copy === "object" && copy !== null && !Array.isArray(copy) ? (copy as Record<string, unknown>) : {};
    return preview ? unknownCheckingProxy(props) : props;
}

function toWireValue(value: unknown): unknown {
    if (isUnknown(value)) {
        // The engine marshals every unknown, whatever its type, as the string sentinel.
        return UNKNOWN_STRING_SENTINEL;
    }
    if (Array.isArray(value)) {
        return value.map((v) => (v === undefined ? null : toWireValue(v)));
    }
    if (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) {
            if (v !== undefined) {
                out[k] = toWireValue(v);
            }
        }
        return out;
    }
    return value;
}

function pulumiTypeOf(resourceClass: object): string | undefined {
    const t: unknown = (resourceClass as { __pulumiType?: unknown }).__pulumiType;
    return typeof t === "string" && t !== "" ? t : undefined;
}

function throwNotApplicable(reason?: string): never {
    throw new NotApplicableError(reason ?? "Policy does not apply");
}
