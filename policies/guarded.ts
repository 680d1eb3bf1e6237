// Which resource types carry what the SKU, API-server and service-account policies guard, read
// from the provider SDKs' input types (test/helpers/policyGuarded.ts generates guarded.data.json;
// a test keeps it in step). A policy checks each such type or refuses it as not understood: a type
// it was not written for must not pass for want of a reader.
import data from "./guarded.data.json";

/**
 * What a resource type's inputs carry: a machine/VM size, a node count, a Kubernetes API
 * endpoint's public access, a service account the machines run as.
 */
export type GuardedKind = "size" | "count" | "api-endpoint" | "service-account";

const KINDS: ReadonlyMap<string, ReadonlyArray<string>> = new Map(
    Object.values(data.types).flatMap((byType) => Object.entries(byType as Record<string, string[]>)),
);

/** The guarded kinds `type` carries (empty when none). */
export function guardedKinds(type: string): ReadonlyArray<GuardedKind> {
    return (KINDS.get(type) ?? []) as ReadonlyArray<GuardedKind>;
}

/** Every type that carries `kind`. */
export function typesCarrying(kind: GuardedKind): string[] {
    return [...KINDS].filter(([, kinds]) => kinds.includes(kind)).map(([type]) => type);
}

export const GUARDED_SOURCE = data.source;
