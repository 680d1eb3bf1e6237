import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { BUILTIN_ROLE_NAMES, BUILTIN_ROLES } from "../../components/azure/roles";
import { BUILTIN_ROLE_IDS } from "./azureRoles";
import { resourcesOfType } from "./plans";
import { PROJECT_DIR } from "./upstream";

const ROLE_DEFINITION = /^\/subscriptions\/[0-9a-f-]{36}\/providers\/Microsoft\.Authorization\/roleDefinitions\/([0-9a-f-]{36})$/;

/** Problems with the program's role constants: each id must be the built-in role its name says. */
function constantProblems(ids: Record<string, string>, names: Record<string, string>): string[] {
    return Object.entries(ids).flatMap(([key, id]) => {
        const name = names[key];
        if (!name) return [`${key}: no role name stated`];
        if (!(name in BUILTIN_ROLE_IDS)) return [`${key}: "${name}" is not a known built-in role`];
        return BUILTIN_ROLE_IDS[name] === id ? [] : [`${key}: ${id} is not "${name}" (${BUILTIN_ROLE_IDS[name]})`];
    });
}

/** Problems with one planned role assignment: a well-formed built-in role id and a principalType. */
function assignmentProblems(inputs: Record<string, unknown>): string[] {
    const out: string[] = [];
    const m = ROLE_DEFINITION.exec(String(inputs.roleDefinitionId));
    if (!m) out.push(`roleDefinitionId ${String(inputs.roleDefinitionId)} is not a subscription role definition id`);
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

    it("every planned role assignment names a built-in role and its principal's type", async () => {
        const found = await resourcesOfType("azure-native:authorization:RoleAssignment");
        assert.ok(found.length >= 3, `${found.length} role assignments`);
        for (const { plan, resource } of found) assert.deepEqual(assignmentProblems(resource.inputs), [], `${plan}: ${resource.name}`);
        console.log(`      ${found.length} role assignments, ${Object.keys(BUILTIN_ROLES).length} role constants`);
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
    });
});
