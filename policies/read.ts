// Reading resource props without ever throwing on a value that is unknown at preview.
//
// Under the CLI, props are wrapped in @pulumi/policy's unknownCheckingProxy: touching an unknown
// value throws, and the policy server then downgrades the whole policy to an advisory
// "can't run policy during preview". Our policies fail closed instead, so every read of a prop goes
// through here and an unknown comes back as data the rule can report as a mandatory violation.
import { isUnknownSentinel, isUnknownValueError } from "./unknowns";

export type PathKey = string | number;

/** The outcome of reading one field: its value, absent (undefined/null on the way), or unknown. */
export type Read<T = unknown> =
    | { readonly state: "known"; readonly value: T; readonly field: string }
    | { readonly state: "absent"; readonly field: string }
    | { readonly state: "unknown"; readonly field: string };

/** Formats a path the way messages show it: `versions[0].instanceTemplate`. */
export function fieldName(path: ReadonlyArray<PathKey>, prefix = ""): string {
    let out = prefix;
    for (const key of path) {
        out = typeof key === "number" ? `${out}[${key}]` : out === "" ? key : `${out}.${key}`;
    }
    return out;
}

/** Reads `path` below `base`. `prefix` names `base` in messages (the path already walked). */
export function readAt(base: unknown, path: ReadonlyArray<PathKey>, prefix = ""): Read {
    let current: unknown = base;
    for (let i = 0; i < path.length; i++) {
        const field = fieldName(path.slice(0, i + 1), prefix);
        if (current === null || current === undefined || typeof current !== "object") {
            return { state: "absent", field };
        }
        try {
            current = (current as Record<PathKey, unknown>)[path[i]];
        } catch (e) {
            if (isUnknownValueError(e)) {
                return { state: "unknown", field };
            }
            throw e;
        }
        if (isUnknownSentinel(current)) {
            return { state: "unknown", field };
        }
    }
    const field = fieldName(path, prefix);
    return current === null || current === undefined ? { state: "absent", field } : { state: "known", value: current, field };
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
