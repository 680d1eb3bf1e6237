// Small readers the kind modules share.
import { PathKey, Read, asString, readElements } from "./read";

/** A string array field as one read per element; an unknown array is one unknown read. */
export function stringList(base: unknown, path: ReadonlyArray<PathKey>, prefix = ""): Read<string>[] {
    const elements = readElements(base, path, prefix);
    if (!Array.isArray(elements)) {
        return elements.state === "unknown" ? [elements] : [];
    }
    return nonAbsent(elements.map(asString));
}

/** True when a known string equals one of `values` (case-insensitive); unknown stays unknown. */
export function equalsAny(read: Read, values: ReadonlyArray<string>): Read<boolean> {
    if (read.state === "unknown") {
        return read;
    }
    const value = read.state === "known" && typeof read.value === "string" && values.includes(read.value.toLowerCase());
    return { state: "known", value, field: read.field };
}

export function nonAbsent<T>(reads: Read<T>[]): Read<T>[] {
    return reads.filter((r) => r.state !== "absent");
}
