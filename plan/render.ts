import { HIGHLIGHTS, readPath } from "./highlights";
import { PlannedResource, UNKNOWN_PLACEHOLDER, UNKNOWN_SENTINEL } from "./mocks";

export interface PlanDocument {
    readonly project: string;
    readonly stack: string;
    readonly resources: ReadonlyArray<Pick<PlannedResource, "urn" | "type" | "name" | "parent" | "inputs">>;
}

/** The `--json` document: one object, resources in registration order. */
export function planDocument(project: string, stack: string, resources: readonly PlannedResource[]): PlanDocument {
    return {
        project,
        stack,
        resources: resources.map(({ urn, type, name, parent, inputs }) => ({
            urn,
            type,
            name,
            parent,
            inputs: showUnknowns(inputs) as Record<string, unknown>,
        })),
    };
}

/** Inputs as a reader sees them: "[unknown until apply]" rather than Pulumi's wire sentinel. */
export function showUnknowns(value: unknown): unknown {
    if (value === UNKNOWN_SENTINEL) return UNKNOWN_PLACEHOLDER;
    if (Array.isArray(value)) return value.map(showUnknowns);
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, showUnknowns(v)]));
    }
    return value;
}

/** A tree of what the stack would create, children under their parents, with each resource's key inputs. */
export function renderTree(resources: readonly PlannedResource[]): string {
    const children = new Map<string | null, PlannedResource[]>();
    const known = new Set(resources.map((r) => r.urn));
    for (const r of resources) {
        const parent = r.parent !== null && known.has(r.parent) ? r.parent : null;
        children.set(parent, [...(children.get(parent) ?? []), r]);
    }
    const lines: string[] = [];
    const walk = (parent: string | null, prefix: string) => {
        const list = children.get(parent) ?? [];
        list.forEach((r, i) => {
            const last = i === list.length - 1;
            const branch = parent === null ? "" : last ? "└─ " : "├─ ";
            lines.push(`${prefix}${branch}${r.type}  ${r.name}`);
            const childPrefix = parent === null ? "" : prefix + (last ? "   " : "│  ");
            const detailPrefix = childPrefix + ((children.get(r.urn)?.length ?? 0) > 0 ? "│    " : "     ");
            const details = highlightsOf(r);
            if (details) lines.push(`${detailPrefix}${details}`);
            walk(r.urn, childPrefix);
        });
    };
    walk(null, "");
    return lines.join("\n");
}

function highlightsOf(r: PlannedResource): string {
    return (HIGHLIGHTS[r.type] ?? [])
        .map((p) => [p, showUnknowns(readPath(r.inputs, p))] as const)
        .filter(([, v]) => v !== undefined)
        .map(([p, v]) => `${p.replace(/\[\]/g, "")}: ${compact(v)}`)
        .join(" · ");
}

function compact(v: unknown): string {
    if (Array.isArray(v)) return v.length === 0 ? "none" : v.map(compact).join(", ");
    if (v !== null && typeof v === "object") return JSON.stringify(v);
    return String(v);
}
