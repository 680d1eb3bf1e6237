// Least privilege for the Azure circuit breaker (issue 16; stack/breaker/azure.ts): its custom role
// lists exactly the ARM actions the function calls (functions/breaker/entry/azure.ts), with no
// wildcard and no data actions, assignable at resource groups only; its role assignments use that
// role, never a built-in broad one (Owner, Contributor, ...), at resource groups only. Read
// through policies/model/read.ts, so a value unknown at preview is reported, never skipped.
import type { BreakerCheck } from "./check";
import { readArray, readString, readStringList, type FieldRead } from "../model/read";
import { AZURE_BREAKER_COMPONENT, BREAKER_AZURE_ACTIONS } from "../contract/azureBreaker";

export { AZURE_BREAKER_COMPONENT, BREAKER_AZURE_ACTIONS };

const ROLE_DEFINITION = "azure-native:authorization:RoleDefinition";
const ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment";
const RESOURCE_GROUP = "azure-native:resources:ResourceGroup";

/** Built-in roles far broader than the breaker's four actions (Azure built-in roles reference). */
export const BROAD_BUILTIN_ROLES: Readonly<Record<string, string>> = {
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
    "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
    "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
    "f58310d9-a9f6-439a-9e8d-f62e7b41a168": "Role Based Access Control Administrator",
    "ed7f3fbd-7b88-4dd4-9017-9adb7ce333f8": "Azure Kubernetes Service Contributor Role",
};

/** The slice of a policy resource the check reads (PolicyResource has it; tests build it). */
export interface RightsResource {
    readonly urn: string;
    readonly type: string;
    readonly props: Record<string, unknown>;
    readonly propertyDependencies?: Record<string, ReadonlyArray<{ readonly urn: string; readonly type: string }>>;
}

export interface RightsProblem {
    readonly urn: string;
    readonly message: string;
}

const RG_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/?$/i;
const ARM_PATH = /^\/(subscriptions|providers)\b/i;

const inBreaker = (r: RightsResource) => r.urn.includes(`${AZURE_BREAKER_COMPONENT}$`);
const allowed = new Set(BREAKER_AZURE_ACTIONS.map((a) => a.toLowerCase()));

/**
 * A scope is acceptable when it is a resource group's ARM id, or (a value not yet known, or the
 * offline plan's stand-in id) when it comes only from resource groups the stack declares.
 */
function scopeProblem(r: RightsResource, key: string, value: FieldRead | { state: "known"; value: unknown; field: string }): string | undefined {
    const deps = r.propertyDependencies?.[key] ?? [];
    const fromGroups = deps.length > 0 && deps.every((d) => d.type === RESOURCE_GROUP);
    if (value.state === "known" && typeof value.value === "string") {
        if (RG_ID.test(value.value)) return undefined;
        if (ARM_PATH.test(value.value)) return `${key} ${value.value} is not a resource group (a subscription, management group or tenant scope grants the breaker's rights everywhere below it)`;
        return fromGroups ? undefined : `${key} ${value.value} is not a resource group's id`;
    }
    return fromGroups ? undefined : `${key} is not known at preview and does not come from the stack's resource groups`;
}

/** The problems of the breaker's role definitions and assignments; [] when it holds exactly its rights. */
export function azureBreakerRightsProblems(resources: ReadonlyArray<RightsResource>): RightsProblem[] {
    const problems: RightsProblem[] = [];
    const report = (r: RightsResource, message: string) => problems.push({ urn: r.urn, message });
    const breaker = resources.filter(inBreaker);
    const ownRoles = new Set(breaker.filter((r) => r.type === ROLE_DEFINITION).map((r) => r.urn));

    for (const r of breaker.filter((x) => x.type === ROLE_DEFINITION)) {
        const permissions = readArray(r.props, ["permissions"]);
        if (permissions.state !== "known") {
            report(r, `the breaker's role has no known permissions (${permissions.state}): list exactly ${BREAKER_AZURE_ACTIONS.join(", ")}`);
        } else {
            for (let i = 0; i < permissions.value.length; i++) {
                const actions = readStringList(r.props, ["permissions", i, "actions"]);
                if (actions.state !== "known") {
                    report(r, `permissions[${i}].actions is ${actions.state}: list exactly the breaker's actions`);
                    continue;
                }
                for (const a of actions.value) {
                    if (a.includes("*")) report(r, `the breaker's role grants the wildcard action ${a}: list exactly ${BREAKER_AZURE_ACTIONS.join(", ")}`);
                    else if (!allowed.has(a.toLowerCase())) report(r, `the breaker's role grants ${a}, which the breaker never calls`);
                }
                const data = readStringList(r.props, ["permissions", i, "dataActions"]);
                if (data.state === "known" && data.value.length > 0) report(r, `the breaker's role grants data actions (${data.value.join(", ")}): it reads no data plane`);
                if (data.state === "unknown" || data.state === "invalid") report(r, `permissions[${i}].dataActions is ${data.state}`);
            }
        }
        const scopes = readArray(r.props, ["assignableScopes"]);
        if (scopes.state !== "known" || scopes.value.length === 0) {
            const p = scopeProblem(r, "assignableScopes", { state: "unknown", field: "assignableScopes" });
            if (p) report(r, `the breaker's role: ${p}`);
        } else {
            for (const s of scopes.value) {
                const p = scopeProblem(r, "assignableScopes", s);
                if (p) report(r, `the breaker's role: ${p}`);
            }
        }
    }

    for (const r of breaker.filter((x) => x.type === ROLE_ASSIGNMENT)) {
        const def = readString(r.props, ["roleDefinitionId"]);
        const viaOwnRole = (r.propertyDependencies?.roleDefinitionId ?? []).some((d) => ownRoles.has(d.urn));
        if (def.state === "known") {
            const guid = /roleDefinitions\/([0-9a-f-]{36})/i.exec(def.value)?.[1]?.toLowerCase();
            const broad = guid !== undefined ? BROAD_BUILTIN_ROLES[guid] : undefined;
            if (broad) report(r, `the breaker is assigned the built-in role ${broad}: assign its own role with exactly ${BREAKER_AZURE_ACTIONS.join(", ")}`);
            else if (!viaOwnRole) report(r, `the breaker is assigned ${def.value}, not its own role`);
        } else if (!viaOwnRole) {
            report(r, `the breaker's role assignment names a role that is not known at preview and is not the breaker's own`);
        }
        const scope = readString(r.props, ["scope"]);
        const p = scopeProblem(r, "scope", scope.state === "known" ? scope : { state: "unknown", field: "scope" });
        if (p) report(r, `the breaker's role assignment: ${p}`);
    }
    return problems;
}

/** breaker-least-privilege's Azure check (policies/rules/breakerLeastPrivilege.ts). */
export const checkAzureBreaker: BreakerCheck = (resources, report) => {
    for (const p of azureBreakerRightsProblems(resources as ReadonlyArray<RightsResource>)) report(p.message, p.urn);
};
