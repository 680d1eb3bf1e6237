// Reading cost-relevant props without ever letting an unknown value escape as an exception.
//
// Unknown values reach the engine in two forms:
//  (a) raw sentinel strings (the offline plan passes Pulumi's unknowns through untouched), and
//  (b) during `pulumi preview` under CrossGuard, props wrapped in @pulumi/policy's
//      unknownCheckingProxy, which THROWS UnknownValueError when an unknown property is read.
// An escaping UnknownValueError makes @pulumi/policy downgrade the whole policy to an advisory, so a
// cap would silently not apply. Every read here catches it and returns `{ state: "unknown" }`.
//
// This module does not import @pulumi/policy (the engine stays pure and cheap to load, and a pack
// installed with its own copy of the library would defeat `instanceof`): the error is recognised
// by its shape, which a test checks against the real class.
import { UNKNOWN_SENTINELS, UNKNOWN_STRING_SENTINEL, isUnknownSentinel } from "../contract/keys";

export { UNKNOWN_SENTINELS, isUnknownSentinel };

export type PathKey = string | number;

export type FieldRead =
    | { readonly state: "known"; readonly value: unknown; readonly field: string }
    | { readonly state: "absent"; readonly field: string }
    | { readonly state: "unknown"; readonly field: string };

// Pulumi's wire signature for a secret, in case a caller hands us serialized props.
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** True for @pulumi/policy's UnknownValueError (recognised by shape: sentinel + property path). */
export function isUnknownValueError(e: unknown): boolean {
    if (!(e instanceof Error)) return false;
    const shaped = e as Error & { unknownTypeSentinel?: unknown; props?: unknown };
    return isUnknownSentinel(shaped.unknownTypeSentinel) && Array.isArray(shaped.props);
}

/** Formats a path the way messages show it: `versions[0].instanceTemplate`, below `prefix`. */
export function fieldName(path: ReadonlyArray<PathKey>, prefix = ""): string {
    let out = prefix;
    for (const k of path) {
        out = typeof k === "number" ? `${out}[${k}]` : out === "" ? k : `${out}.${k}`;
    }
    return out;
}

/** Reads one property of an object, catching the preview proxy's exception. */
function readProperty(obj: object, key: PathKey): { unknown: true } | { unknown: false; value: unknown } {
    try {
        const value: unknown = (obj as Record<PathKey, unknown>)[key];
        return isUnknownSentinel(value) ? { unknown: true } : { unknown: false, value: unwrapSecret(value) };
    } catch (e) {
        if (isUnknownValueError(e)) return { unknown: true };
        throw e;
    }
}

function unwrapSecret(value: unknown): unknown {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
    let sig: unknown;
    try {
        sig = (value as Record<string, unknown>)[SIG_KEY];
    } catch (e) {
        if (isUnknownValueError(e)) return value;
        throw e;
    }
    if (sig !== SECRET_SIG) return value;
    const inner = readProperty(value, "value");
    return inner.unknown ? UNKNOWN_STRING_SENTINEL : inner.value;
}

/**
 * Reads `path` below `root`. `prefix` names `root` in messages (e.g. `agentPoolProfiles[1]`).
 * Absent means undefined or null somewhere on the way; a non-object on the way is absent too.
 */
export function readField(root: unknown, path: ReadonlyArray<PathKey>, prefix = ""): FieldRead {
    const field = fieldName(path, prefix);
    if (isUnknownSentinel(root)) return { state: "unknown", field };
    let current: unknown = unwrapSecret(root);
    for (const k of path) {
        if (current === null || current === undefined || typeof current !== "object") {
            return { state: "absent", field };
        }
        const next = readProperty(current, k);
        if (next.unknown) return { state: "unknown", field };
        current = next.value;
    }
    return current === null || current === undefined ? { state: "absent", field } : { state: "known", value: current, field };
}

/** A read narrowed to a type; `invalid` means a value of the wrong type (reported like unknown). */
export type Typed<T> =
    | { readonly state: "known"; readonly value: T; readonly field: string }
    | { readonly state: "absent"; readonly field: string }
    | { readonly state: "unknown"; readonly field: string }
    | { readonly state: "invalid"; readonly field: string; readonly expected: string };

function narrow<T>(r: FieldRead, expected: string, guard: (v: unknown) => T | undefined): Typed<T> {
    if (r.state !== "known") return r;
    const v = guard(r.value);
    return v === undefined ? { state: "invalid", field: r.field, expected } : { state: "known", value: v, field: r.field };
}

export function readString(root: unknown, path: ReadonlyArray<PathKey>, prefix = ""): Typed<string> {
    return narrow(readField(root, path, prefix), "a string", (v) => (typeof v === "string" ? v : undefined));
}

export function readBoolean(root: unknown, path: ReadonlyArray<PathKey>, prefix = ""): Typed<boolean> {
    return narrow(readField(root, path, prefix), "a boolean", (v) => (typeof v === "boolean" ? v : undefined));
}

/** A finite number; numeric strings are accepted where the provider types the field as a string. */
export function readNumber(root: unknown, path: ReadonlyArray<PathKey>, prefix = "", opts: { numericString?: boolean } = {}): Typed<number> {
    return narrow(readField(root, path, prefix), "a number", (v) => {
        if (typeof v === "number" && Number.isFinite(v)) return v;
        if (opts.numericString && typeof v === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
        return undefined;
    });
}

/** A whole, non-negative count (instance counts, replicas). */
export function readCount(root: unknown, path: ReadonlyArray<PathKey>, prefix = "", opts: { numericString?: boolean } = {}): Typed<number> {
    const r = readNumber(root, path, prefix, opts);
    if (r.state === "known" && (!Number.isInteger(r.value) || r.value < 0)) {
        return { state: "invalid", field: r.field, expected: "a whole number >= 0" };
    }
    return r;
}

/**
 * Reads an array and each of its elements. Each element comes back as its own read, so an unknown
 * element is named with its index. A non-array is `invalid`.
 */
export function readArray(root: unknown, path: ReadonlyArray<PathKey>, prefix = ""): Typed<FieldRead[]> {
    const r = readField(root, path, prefix);
    if (r.state !== "known") return r;
    if (!Array.isArray(r.value)) return { state: "invalid", field: r.field, expected: "a list" };
    const list = r.value;
    const lengthRead = readProperty(list, "length");
    if (lengthRead.unknown || typeof lengthRead.value !== "number") return { state: "unknown", field: r.field };
    const out: FieldRead[] = [];
    for (let i = 0; i < lengthRead.value; i++) {
        out.push(readField(list, [i], r.field));
    }
    return { state: "known", value: out, field: r.field };
}

/** Reads a list of strings; any unknown or non-string element makes the whole list unknown/invalid. */
export function readStringList(root: unknown, path: ReadonlyArray<PathKey>, prefix = ""): Typed<string[]> {
    const r = readArray(root, path, prefix);
    if (r.state !== "known") return r;
    const out: string[] = [];
    for (const el of r.value) {
        if (el.state === "unknown") return { state: "unknown", field: el.field };
        if (el.state === "absent" || typeof el.value !== "string") return { state: "invalid", field: el.field, expected: "a string" };
        out.push(el.value);
    }
    return { state: "known", value: out, field: r.field };
}

/** Reads the keys of a map-like object (e.g. Karpenter `spec.limits`). */
export function readKeys(root: unknown, path: ReadonlyArray<PathKey>, prefix = ""): Typed<string[]> {
    const r = readField(root, path, prefix);
    if (r.state !== "known") return r;
    if (typeof r.value !== "object" || r.value === null || Array.isArray(r.value)) {
        return { state: "invalid", field: r.field, expected: "a map" };
    }
    // Object.keys goes to the proxy's target (the proxy has no ownKeys trap), so it cannot throw.
    return { state: "known", value: Object.keys(r.value), field: r.field };
}
