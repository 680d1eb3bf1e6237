// Typed access to how @pulumi/policy represents values that are unknown during preview.
//
// @pulumi/policy 1.21 exports `unknownCheckingProxy` and `UnknownValueError` at runtime, but its
// proxy.d.ts declares nothing, so TypeScript sees them as `any`. This module gives them types so
// the rules never touch an `any`.
import * as policy from "@pulumi/policy";

/** Wraps props so that reading an unknown value throws `UnknownValueError` (what preview does). */
export const unknownCheckingProxy: <T extends object>(props: T) => T = policy.unknownCheckingProxy;

/** The error the proxy throws; `props` is the property path that was unknown. */
export interface UnknownValueErrorShape extends Error {
    readonly props: ReadonlyArray<string | symbol>;
}

const UnknownValueErrorClass: new (...args: never[]) => UnknownValueErrorShape = policy.UnknownValueError;

export function isUnknownValueError(e: unknown): e is UnknownValueErrorShape {
    return e instanceof UnknownValueErrorClass;
}

