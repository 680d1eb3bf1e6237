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

/**
 * The sentinels the engine sends for unknown values (kept in step with @pulumi/policy's
 * proxy.js by a test). Over the wire, the CLI marshals every unknown as the string sentinel.
 */
export const UNKNOWN_STRING_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    UNKNOWN_STRING_SENTINEL, // string
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

/** True for a raw sentinel, i.e. when a value was read without going through the proxy. */
export function isUnknownSentinel(value: unknown): boolean {
    return typeof value === "string" && UNKNOWN_SENTINELS.has(value);
}
