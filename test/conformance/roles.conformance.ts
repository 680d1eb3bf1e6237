import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { BUILTIN_ROLE_NAMES, BUILTIN_ROLES } from "../../components/azure/roles";
import type { PlannedResource } from "../../plan/mocks";
import { AZURE_OPERATIONS, BUILTIN_ROLE_IDS } from "./azureRoles";
import { conformancePlans, resourcesOfType } from "./plans";
import { PROJECT_DIR } from "./upstream";

const ROLE_DEFINITION = /^\/subscriptions\/[0-9a-f-]{36}\/providers\/Microsoft\.Authorization\/roleDefinitions\/([0-9a-f-]{36})$/;
const ROLE_DEFINITION_TYPE = "azure-native:authorization:RoleDefinition";

/**
 * A custom role the plan declares, as an assignment can name it: the id the plan's mocks give the
 * resource once created (`<logical name>-id`, plan/mocks.ts) and its URN, which the assignment's
 * roleDefinitionId must depend on (so the value came from role.id, not a string that looks like it).
 */
interface DeclaredRole {
    readonly id: string;
    readonly urn: string;
    readonly inputs: Record<string, unknown>;
}

/** The custom role definitions among a plan's resources. */
function declaredRoles(resources: readonly PlannedResource[]): DeclaredRole[] {
    return resources.filter((r) => r.type === ROLE_DEFINITION_TYPE).map((r) => ({ id: `${r.name}-id`, urn: r.urn, inputs: r.inputs }));
}

/** ARM operation names are case-insensitive. */
const KNOWN_OPERATIONS = new Set(Object.keys(AZURE_OPERATIONS).map((op) => op.toLowerCase()));

/** Problems with a declared custom role: its type, and every action a published Azure operation (no wildcards). */
function customRoleProblems(inputs: Record<string, unknown>): string[] {
    const out: string[] = [];
    if (inputs.roleType !== "CustomRole") out.push(`roleType ${String(inputs.roleType)}: a role the stack declares is a CustomRole`);
    const permissions = (inputs.permissions ?? []) as Array<Record<string, unknown>>;
    const granted = permissions.flatMap((p) => [...((p.actions ?? []) as string[]), ...((p.dataActions ?? []) as string[])]);
    if (granted.length === 0) out.push("the role grants no action");
    for (const action of granted) {
        if (!KNOWN_OPERATIONS.has(action.toLowerCase())) out.push(`action ${action} is not a published Azure resource provider operation (azureRoles.ts AZURE_OPERATIONS)`);
    }
    return out;
}

/** Problems with an assignment of a custom role: it must be assigned at one of the role's assignable scopes, or below one. */
function customAssignmentProblems(scope: unknown, role: DeclaredRole): string[] {
    const scopes = (role.inputs.assignableScopes ?? []) as unknown[];
    const within = scopes.some((s) => typeof s === "string" && typeof scope === "string" && (scope === s || scope.startsWith(`${s}/`)));
    return within ? [] : [`scope ${String(scope)} is not within the role's assignableScopes ${JSON.stringify(scopes)}: ARM refuses the assignment`];
}

/** Problems with the program's role constants: each id must be the built-in role its name says. */
function constantProblems(ids: Record<string, string>, names: Record<string, string>): string[] {
    return Object.entries(ids).flatMap(([key, id]) => {
        const name = names[key];
        if (!name) return [`${key}: no role name stated`];
        if (!(name in BUILTIN_ROLE_IDS)) return [`${key}: "${name}" is not a known built-in role`];
        return BUILTIN_ROLE_IDS[name] === id ? [] : [`${key}: ${id} is not "${name}" (${BUILTIN_ROLE_IDS[name]})`];
    });
}

/**
 * Problems with one planned role assignment: a well-formed built-in role id, or the id of a custom
 * role the same plan declares (taken from that role's output, and assigned within its assignable
 * scopes); and a principalType.
 */
function assignmentProblems(inputs: Record<string, unknown>, declared: readonly DeclaredRole[] = [], dependencies: Record<string, string[]> = {}): string[] {
    const out: string[] = [];
    const id = String(inputs.roleDefinitionId);
    const custom = declared.find((role) => role.id === id);
    const m = ROLE_DEFINITION.exec(id);
    if (custom) {
        if (!(dependencies.roleDefinitionId ?? []).includes(custom.urn)) out.push(`roleDefinitionId ${id} does not come from the declared role ${custom.urn}`);
        out.push(...customAssignmentProblems(inputs.scope, custom));
    } else if (!m) out.push(`roleDefinitionId ${id} is neither a subscription role definition id nor a role the stack declares`);
    else if (!Object.values(BUILTIN_ROLE_IDS).includes(m[1])) out.push(`role ${m[1]} is not a known built-in role`);
    if (!["User", "ServicePrincipal", "Group"].includes(String(inputs.principalType))) {
        out.push(`principalType ${String(inputs.principalType)}: azure-native would send User and a service principal gets UnmatchedPrincipalType`);
    }
    return out;
}

/** Role names the README's Azure prerequisites tell a user to grant (in **bold** or `code` there). */
function readmeRoleNames(readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8")): string[] {
    const start = readme.indexOf("### Prerequisites: Azure");
    assert.ok(start >= 0, "README has a Prerequisites: Azure section");
    const end = readme.indexOf("\n### ", start + 1);
    const section = readme.slice(start, end < 0 ? undefined : end);
    return [...section.matchAll(/role\s+`([^`]+)`/g)].map((m) => m[1]);
}

describe("conformance: Azure role definitions", () => {
    it("every role id the program uses is the built-in role its name says", () => {
        assert.deepEqual(constantProblems({ ...BUILTIN_ROLES }, { ...BUILTIN_ROLE_NAMES }), []);
    });

    it("every planned role assignment names a built-in role, or a custom role its plan declares, and its principal's type", async () => {
        let assignments = 0;
        let custom = 0;
        for (const plan of await conformancePlans()) {
            const declared = declaredRoles(plan.resources);
            for (const r of plan.resources.filter((x) => x.type === "azure-native:authorization:RoleAssignment")) {
                assignments++;
                if (declared.some((role) => role.id === r.inputs.roleDefinitionId)) custom++;
                assert.deepEqual(assignmentProblems(r.inputs, declared, r.propertyDependencies), [], `${plan.label}: ${r.name}`);
            }
        }
        assert.ok(assignments >= 3, `${assignments} role assignments`);
        assert.ok(custom >= 1, `${custom} assignments of a declared custom role (the Azure breaker's)`);
        console.log(`      ${assignments} role assignments (${custom} of a declared custom role), ${Object.keys(BUILTIN_ROLES).length} role constants`);
    });

    it("every custom role a plan declares grants only published Azure operations", async () => {
        const found = await resourcesOfType(ROLE_DEFINITION_TYPE);
        assert.ok(found.length >= 1, `${found.length} custom roles`);
        for (const { plan, resource } of found) assert.deepEqual(customRoleProblems(resource.inputs), [], `${plan}: ${resource.name}`);
    });

    it("every role the README tells a user to grant exists under that exact name", () => {
        const names = readmeRoleNames();
        assert.ok(names.length >= 5, `README names ${names.length} roles`);
        for (const name of names) assert.ok(name in BUILTIN_ROLE_IDS, `README: role \`${name}\` is not a built-in role`);
    });

    describe("negative controls", () => {
        it("a swapped id, an unknown role name and a missing name are refused", () => {
            assert.match(constantProblems({ x: BUILTIN_ROLES.keyVaultSecretsOfficer }, { x: "Key Vault Secrets User" }).join(), /is not "Key Vault Secrets User"/);
            assert.match(constantProblems({ x: BUILTIN_ROLES.keyVaultSecretsUser }, { x: "Key Vault Secret User" }).join(), /not a known built-in role/);
            assert.match(constantProblems({ x: BUILTIN_ROLES.keyVaultSecretsUser }, {}).join(), /no role name stated/);
        });

        it("a README role with a typo is caught", () => {
            const names = readmeRoleNames("### Prerequisites: Azure\n- role `Azure Kubernetes Service RBAC Cluster Administrator` on the cluster\n### Next\n- role `Reader`\n");
            assert.deepEqual(names, ["Azure Kubernetes Service RBAC Cluster Administrator"], "only the Azure section is read");
            assert.ok(!(names[0] in BUILTIN_ROLE_IDS));
        });

        it("an assignment with no principalType, or an unknown role id, is refused", () => {
            const id = `/subscriptions/00000000-0000-4000-8000-000000000001/providers/Microsoft.Authorization/roleDefinitions/${BUILTIN_ROLES.keyVaultSecretsUser}`;
            assert.deepEqual(assignmentProblems({ roleDefinitionId: id, principalType: "ServicePrincipal" }), []);
            assert.match(assignmentProblems({ roleDefinitionId: id }).join(), /UnmatchedPrincipalType/);
            assert.match(assignmentProblems({ roleDefinitionId: id.replace(/.{4}$/, "0000"), principalType: "User" }).join(), /not a known built-in role/);
        });

        describe("a custom role the stack declares", () => {
            const urn = "urn:pulumi:prod::llm-serving::llm-serving:breaker:AzureBreaker$azure-native:authorization:RoleDefinition::breaker-azure-role";
            const role: DeclaredRole = { id: "breaker-azure-role-id", urn, inputs: { assignableScopes: ["rg-a-id"] } };
            const assignment = (roleDefinitionId: string, scope = "rg-a-id") => ({ roleDefinitionId, scope, principalType: "ServicePrincipal" });

            it("passes when the id is the declared role's output, at one of its assignable scopes", () => {
                assert.deepEqual(assignmentProblems(assignment(role.id), [role], { roleDefinitionId: [urn] }), []);
                assert.deepEqual(assignmentProblems(assignment(role.id, "rg-a-id/providers/Microsoft.ContainerService/managedClusters/aks"), [role], { roleDefinitionId: [urn] }), [], "below an assignable scope");
            });

            it("refuses a random id, an id not taken from the role, and a scope outside its assignable scopes", () => {
                assert.match(assignmentProblems(assignment("some-random-role-id"), [role], { roleDefinitionId: [urn] }).join(), /neither a subscription role definition id nor a role the stack declares/);
                assert.match(assignmentProblems(assignment(role.id), [], {}).join(), /neither a subscription role definition id nor a role the stack declares/, "no role declared in the plan");
                assert.match(assignmentProblems(assignment(role.id), [role], {}).join(), /does not come from the declared role/);
                assert.match(assignmentProblems(assignment(role.id, "rg-b-id"), [role], { roleDefinitionId: [urn] }).join(), /not within the role's assignableScopes/);
                assert.match(assignmentProblems(assignment(role.id, "rg-a-id-other"), [role], { roleDefinitionId: [urn] }).join(), /not within/, "a scope that only starts with the same text");
            });

            it("refuses an action Azure does not publish, a wildcard, and a role that is not a CustomRole", () => {
                const ok = { roleType: "CustomRole", permissions: [{ actions: ["microsoft.containerservice/managedclusters/agentpools/read"], dataActions: [] }] };
                assert.deepEqual(customRoleProblems(ok), [], "case-insensitive, as ARM compares");
                assert.match(customRoleProblems({ ...ok, permissions: [{ actions: ["Microsoft.ContainerService/managedClusters/agentPools/scale"] }] }).join(), /not a published Azure resource provider operation/);
                assert.match(customRoleProblems({ ...ok, permissions: [{ actions: ["Microsoft.ContainerService/*"] }] }).join(), /not a published/);
                assert.match(customRoleProblems({ ...ok, roleType: "BuiltInRole" }).join(), /CustomRole/);
                assert.match(customRoleProblems({ roleType: "CustomRole", permissions: [] }).join(), /grants no action/);
            });
        });
    });
});
