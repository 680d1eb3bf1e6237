// The pack's one way of reading resource props: it never throws on a value that is unknown at
// preview, and every rule and the cost engine read through it.
//
// Unknown values arrive in two forms:
//  (a) raw sentinel strings (the offline plan passes Pulumi's unknowns through untouched), and
//  (b) during `pulumi preview` under CrossGuard, props wrapped in @pulumi/policy's
//      unknownCheckingProxy, which THROWS UnknownValueError when an unknown property is read.
// An escaping UnknownValueError makes @pulumi/policy downgrade the whole policy to an advisory
// ("can't run policy during preview"), so a cap or a guard would silently not apply. Every read
// here catches it and returns `{ state: "unknown" }`, which the caller reports as a violation.
//
// This module does not import @pulumi/policy (the cost engine stays pure and cheap to load, and a
// pack installed with its own copy of the library would defeat `instanceof`): the error is
// recognised by its shape, which a test checks against the real class.

import { UNKNOWN_STRING_SENTINEL, isUnknownSentinel } from "../contract/keys";

export type PathKey = string | number;

/** The outcome of reading one field: its value, absent (undefined/null on the way), or unknown. */
export type Read<T = unknown> =
    | { readonly state: "known"; readonly value: T; readonly field: string }
    | { readonly state: "absent"; readonly field: string }
    | { readonly state: "unknown"; readonly field: string };

/** A read of any value (the cost engine's name for it). */
export type FieldRead = Read<unknown>;

/** A read narrowed to a type; `invalid` means a value of the wrong type (reported like unknown). */
export type Typed<T> = Read<T> | { readonly state: "invalid"; readonly field: string; readonly expected: string };

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
        // Unwrapped first: a secret whose value is unknown unwraps to the sentinel, and is unknown.
        const value = unwrapSecret((obj as Record<PathKey, unknown>)[key]);
        return isUnknownSentinel(value) ? { unknown: true } : { unknown: false, value };
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
 * Walks `path` below `root`. On the way out, `stop` is how many keys were walked when the walk
 * ended (at the absent or unknown step, or the whole path).
 */
function walk(root: unknown, path: ReadonlyArray<PathKey>, rootMayBeUnknown: boolean): { state: "known" | "absent" | "unknown"; value?: unknown; stop: number } {
    let current: unknown = root;
    if (rootMayBeUnknown) {
        current = unwrapSecret(root);
        if (isUnknownSentinel(current)) return { state: "unknown", stop: 0 };
    }
    for (let i = 0; i < path.length; i++) {
        if (current === null || current === undefined || typeof current !== "object") {
            return { state: "absent", stop: i + 1 };
        }
        const next = readProperty(current, path[i]);
        if (next.unknown) return { state: "unknown", stop: i + 1 };
        current = next.value;
    }
    return current === null || current === undefined ? { state: "absent", stop: path.length } : { state: "known", value: current, stop: path.length };
}

/**
 * Reads `path` below `base`; `prefix` names `base` in messages (the path already walked). The
 * field named is where the walk stopped: `spec.limits` when `spec.limits` itself is unknown.
 */
export function readAt(base: unknown, path: ReadonlyArray<PathKey>, prefix = ""): Read {
    // `base` is props or a value an earlier read found known, never a sentinel itself.
    const r = walk(base, path, false);
    const field = fieldName(path.slice(0, r.stop), prefix);
    return r.state === "known" ? { state: "known", value: r.value, field } : { state: r.state, field };
}

/**
 * Reads `path` below `root`; `prefix` names `root` in messages (e.g. `agentPoolProfiles[1]`). The
 * field named is always the whole path, whatever part of it was absent or unknown.
 */
export function readField(root: unknown, path: ReadonlyArray<PathKey>, prefix = ""): FieldRead {
    const r = walk(root, path, true);
    const field = fieldName(path, prefix);
    return r.state === "known" ? { state: "known", value: r.value, field } : { state: r.state, field };
}

/**
 * Reads an array field and then each of its elements, so an unknown element is reported with its
 * index. Returns the unknown/absent read of the array itself when there is no array to walk.
 */
export function readElements(base: unknown, path: ReadonlyArray<PathKey>, prefix = ""): Read | Read[] {
    const list = readAt(base, path, prefix);
    if (list.state !== "known") {
        return list;
    }
    if (!Array.isArray(list.value)) {
        return { state: "absent", field: list.field };
    }
    const elements: Read[] = [];
    const length = list.value.length;
    for (let i = 0; i < length; i++) {
        elements.push(readAt(list.value, [i], list.field));
    }
    return elements;
}

/** Narrows a read to a string, treating any other known type as absent. */
export function asString(read: Read): Read<string> {
    if (read.state === "known") {
        return typeof read.value === "string" ? { state: "known", value: read.value, field: read.field } : { state: "absent", field: read.field };
    }
    return read;
}

/** Narrows a read to a finite number (numeric strings accepted, as YAML config may give them). */
export function asNumber(read: Read): Read<number> {
    if (read.state !== "known") {
        return read;
    }
    const n = typeof read.value === "number" ? read.value : typeof read.value === "string" ? Number(read.value) : NaN;
    return Number.isFinite(n) ? { state: "known", value: n, field: read.field } : { state: "absent", field: read.field };
}

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
