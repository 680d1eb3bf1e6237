// What a run-time budget covers (issue 16): a budget with the right amount and alerts still guards
// nothing if its scope or filter misses the stack (a typo in a tag value, a filter on other
// projects, another subscription's resource group). The program filters each budget on the stack's
// own unit; the pack checks it here, against what it can read of the stack:
//   - the stack's name, from the budget's URN (urn:pulumi:<stack>::...): the program sets the
//     cost-allocation tag environment=<stack> on every resource (stack/config.ts);
//   - the stack's GCP projects, from its GCP resources' `project` inputs;
//   - the tags its Azure resources carry.
// What it cannot read: which project NUMBER is which project id (the program reads the numbers
// from the projects at preview; the pack has no table of them), so it checks the GCP filter names
// one project number per stack project; and the subscription id of the stack's Azure resources.
// A filter it cannot read is a violation (fails closed): the program always declares it known.
import { BUDGET_TYPES } from "./contract/budgets";
import { readArray, readField, readKeys, readString, readStringList } from "./model/read";

export interface StackFacts {
    /** The stack's name, which is its environment tag value. */
    readonly environment: string;
    /** The distinct GCP project ids the stack's resources name. */
    readonly gcpProjects: ReadonlyArray<string>;
    /** Whether any Azure resource of the stack carries tag `name` with one of `values`. */
    readonly azureTagged: (name: string, values: ReadonlyArray<string>) => boolean;
}

/** The stack name of a URN (urn:pulumi:<stack>::<project>::...), or undefined. */
export function stackOfUrn(urn: string): string | undefined {
    const m = /^urn:pulumi:([^:]+)::/.exec(urn);
    return m ? m[1] : undefined;
}

/** The facts above, from the stack's resources. */
export function stackFacts(urn: string, resources: ReadonlyArray<{ type: string; props: unknown }>): StackFacts | undefined {
    const environment = stackOfUrn(urn);
    if (environment === undefined) return undefined;
    const gcpProjects: string[] = [];
    for (const r of resources) {
        if (!r.type.startsWith("gcp:") || r.type === BUDGET_TYPES.gcp) continue;
        const p = readString(r.props, ["project"]);
        if (p.state === "known" && !gcpProjects.includes(p.value)) gcpProjects.push(p.value);
    }
    const azure = resources.filter((r) => r.type.startsWith("azure-native:") && r.type !== BUDGET_TYPES.azure);
    const azureTagged = (name: string, values: ReadonlyArray<string>) =>
        azure.some((r) => {
            const v = readString(r.props, ["tags", name]);
            return v.state === "known" && values.includes(v.value);
        });
    return { environment, gcpProjects, azureTagged };
}

const present = (props: unknown, path: string[]): boolean => {
    const r = readField(props, path);
    if (r.state === "unknown") return true;
    if (r.state !== "known") return false;
    return !(Array.isArray(r.value) && r.value.length === 0) && !(typeof r.value === "object" && r.value !== null && !Array.isArray(r.value) && Object.keys(r.value).length === 0);
};

/** Why the budget of `cloud` does not cover the stack; [] when it does. */
export function budgetScopeProblems(cloud: "gcp" | "aws" | "azure", props: unknown, facts: StackFacts): string[] {
    const env = facts.environment;
    const problems: string[] = [];
    if (cloud === "aws") {
        const want = `user:environment$${env}`;
        const filters = readArray(props, ["costFilters"]);
        if (filters.state !== "known") problems.push(`costFilters is ${filters.state}: it must be [{ name: "TagKeyValue", values: ["${want}"] }], the stack's environment tag`);
        else {
            const ok =
                filters.value.length === 1 &&
                (() => {
                    const f = filters.value[0].state === "known" ? filters.value[0].value : undefined;
                    const name = readString(f, ["name"]);
                    const values = readStringList(f, ["values"]);
                    return name.state === "known" && name.value === "TagKeyValue" && values.state === "known" && values.value.length === 1 && values.value[0] === want;
                })();
            if (!ok) problems.push(`costFilters must be exactly [{ name: "TagKeyValue", values: ["${want}"] }] (the stack's environment tag); any other filter covers other spend or none`);
        }
        for (const field of ["plannedLimits", "autoAdjustData", "filterExpression"]) {
            if (present(props, [field])) problems.push(`${field} is set: the limit must be limitAmount and the filter costFilters, as the program declares them`);
        }
        return problems;
    }
    if (cloud === "gcp") {
        const projects = readStringList(props, ["budgetFilter", "projects"]);
        if (projects.state !== "known") {
            problems.push(`budgetFilter.projects is ${projects.state}: the program reads the stack's project numbers at preview, so it must be known`);
        } else {
            const bad = projects.value.filter((p) => !/^projects\/[0-9]+$/.test(p));
            if (bad.length > 0) problems.push(`budgetFilter.projects must name projects by number (projects/<number>), got ${bad.map((b) => JSON.stringify(b)).join(", ")}`);
            if (new Set(projects.value).size !== facts.gcpProjects.length) {
                problems.push(`budgetFilter.projects names ${new Set(projects.value).size} project(s), the stack bills in ${facts.gcpProjects.length} (${facts.gcpProjects.join(", ")}): one project number each`);
            }
        }
        const labels = readKeys(props, ["budgetFilter", "labels"]);
        if (labels.state === "unknown" || labels.state === "invalid") problems.push(`budgetFilter.labels is ${labels.state}`);
        else if (labels.state === "known" && labels.value.length > 0) {
            const values = readStringList(props, ["budgetFilter", "labels", "environment"]);
            if (labels.value.length !== 1 || values.state !== "known" || values.value.length !== 1 || values.value[0] !== env) {
                problems.push(`budgetFilter.labels must be absent or exactly { environment: ["${env}"] } (the stack's environment label)`);
            }
        }
        for (const field of ["services", "subaccounts", "resourceAncestors", "customPeriod"]) {
            if (present(props, ["budgetFilter", field])) problems.push(`budgetFilter.${field} is set: it narrows or widens the budget away from the stack's projects`);
        }
        return problems;
    }
    // azure
    const scope = readString(props, ["scope"]);
    if (scope.state !== "known" || !/^\/subscriptions\/[^/]+\/?$/i.test(scope.value)) {
        problems.push(`scope must be the subscription (/subscriptions/<id>): the stack's targets live in resource groups of their own, so a narrower scope misses them${scope.state === "known" ? `, got ${JSON.stringify(scope.value)}` : ` (${scope.state})`}`);
    }
    const filter = readField(props, ["filter"]);
    if (filter.state !== "known") {
        problems.push(`filter is ${filter.state}: it must filter on the tag environment = ${env}`);
        return problems;
    }
    const and = readArray(props, ["filter", "and"]);
    const parts: unknown[] = and.state === "known" ? and.value.map((e) => (e.state === "known" ? e.value : undefined)) : [filter.value];
    if (and.state === "unknown" || and.state === "invalid") problems.push(`filter.and is ${and.state}`);
    if (present(props, ["filter", "or"]) || present(props, ["filter", "not"]) || present(props, ["filter", "dimensions"]) || parts.some((p) => present(p, ["dimensions"]) || present(p, ["or"]) || present(p, ["not"]))) {
        problems.push("filter may only AND tag filters (no dimensions, or, not): anything else narrows the budget away from the stack");
    }
    let hasEnv = false;
    for (const p of parts) {
        const name = readString(p, ["tags", "name"]);
        const op = readString(p, ["tags", "operator"]);
        const values = readStringList(p, ["tags", "values"]);
        if (name.state === "absent" && !present(p, ["tags"])) continue;
        if (name.state !== "known" || values.state !== "known" || (op.state === "known" && op.value !== "In") || op.state === "unknown" || op.state === "invalid") {
            problems.push("a tag filter cannot be read (name, operator In, values must be known)");
            continue;
        }
        if (name.value === "environment") {
            if (values.value.length === 1 && values.value[0] === env) hasEnv = true;
            else problems.push(`the environment tag filter must be exactly ["${env}"], got ${JSON.stringify(values.value)}`);
        } else if (!facts.azureTagged(name.value, values.value)) {
            problems.push(`the tag filter ${name.value} in ${JSON.stringify(values.value)} matches none of the stack's Azure resources`);
        }
    }
    if (!hasEnv) problems.push(`filter must include the tag environment = ${env} (the stack's environment tag)`);
    return problems;
}
