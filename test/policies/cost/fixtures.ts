// Shared builders for the cost engine tests: resources as CrossGuard hands them over, and the real
// @pulumi/policy proxy that reproduces what `pulumi preview` does with unknown values.
import * as policy from "@pulumi/policy";
import type { CostInputResource } from "../../../policies/cost/estimate";

/** Pulumi's unknown value as it travels over the wire (and through the offline plan). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

// @pulumi/policy 1.21 exports these at runtime but its proxy.d.ts declares nothing.
const runtime = policy as unknown as {
    unknownCheckingProxy: <T extends object>(props: T) => T;
    UnknownValueError: new (...args: never[]) => Error;
};
export const unknownCheckingProxy = runtime.unknownCheckingProxy;
export const UnknownValueError = runtime.UnknownValueError;

export function resource(type: string, name: string, props: Record<string, unknown>, propertyDependencies: Record<string, string[]> = {}): CostInputResource {
    return { urn: `urn:pulumi:dev::llm-serving::${type}::${name}`, type, name, props, propertyDependencies };
}

/** The same resource as preview shows it to a policy: props behind the unknown-checking proxy. */
export function asPreview(r: CostInputResource): CostInputResource {
    return { ...r, props: unknownCheckingProxy(r.props) };
}

export function cents(x: number): number {
    return Math.round(x * 100) / 100;
}
