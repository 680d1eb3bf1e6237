// Links between resources, through propertyDependencies only: at preview, ids and selfLinks are
// unknown, but the engine always knows which resource's output a property was built from.
import { CostInputResource } from "./types";

export class StackIndex {
    private readonly byUrn = new Map<string, CostInputResource>();

    constructor(readonly resources: ReadonlyArray<CostInputResource>) {
        for (const r of resources) this.byUrn.set(r.urn, r);
    }

    ofType(...types: string[]): CostInputResource[] {
        return this.resources.filter((r) => types.includes(r.type));
    }

    /** The resources of the given types that `res.props[prop]` was built from. */
    dependenciesOf(res: CostInputResource, prop: string, types: ReadonlyArray<string>): CostInputResource[] {
        const urns = res.propertyDependencies?.[prop] ?? [];
        const out: CostInputResource[] = [];
        for (const urn of urns) {
            const dep = this.byUrn.get(urn);
            if (dep && types.includes(dep.type) && !out.includes(dep)) out.push(dep);
        }
        return out;
    }

    /** The resources of the given types whose `prop` was built from `target`. */
    dependentsOf(target: CostInputResource, prop: string, types: ReadonlyArray<string>): CostInputResource[] {
        return this.resources.filter((r) => types.includes(r.type) && (r.propertyDependencies?.[prop] ?? []).includes(target.urn));
    }
}
