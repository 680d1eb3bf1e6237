import { aksLocalAccountsAndRbac } from "../../../policies/rules/aksLocalAccountsAndRbac";
import { assertNoViolations, assertOneViolation, runResourcePolicy } from "../../helpers/policyArgs";
import { mutated, setPath } from "../../helpers/policyFixtures";
import { aksCluster } from "../../helpers/policySecurityFixtures";

const CASES: ReadonlyArray<{ what: string; mutate: (i: Record<string, unknown>) => void; parts: string[] }> = [
    { what: "local accounts left on", mutate: (i) => delete i.disableLocalAccounts, parts: ["disableLocalAccounts"] },
    { what: "Kubernetes RBAC off", mutate: (i) => (i.enableRBAC = false), parts: ["enableRBAC"] },
    { what: "Azure RBAC off", mutate: (i) => setPath(i, ["aadProfile", "enableAzureRBAC"], false), parts: ["aadProfile.enableAzureRBAC"] },
    { what: "no network policy", mutate: (i) => setPath(i, ["networkProfile", "networkPolicy"], "none"), parts: ["networkProfile.networkPolicy"] },
];

describe("policy aks-local-accounts-and-rbac", () => {
    it("passes a cluster with Entra ID only, both RBACs and a network policy", async () => {
        assertNoViolations(await runResourcePolicy(aksLocalAccountsAndRbac, aksCluster()));
    });
    for (const c of CASES) {
        it(`blocks a cluster with ${c.what}`, async () => {
            const resource = mutated(aksCluster(), c.mutate);
            assertOneViolation(await runResourcePolicy(aksLocalAccountsAndRbac, resource), c.parts, resource.urn);
        });
    }
    it("can leave the network policy to the cluster's owner", async () => {
        const resource = mutated(aksCluster(), (i) => delete (i.networkProfile as Record<string, unknown>).networkPolicy);
        assertNoViolations(await runResourcePolicy(aksLocalAccountsAndRbac, resource, { requireNetworkPolicy: false }));
    });
});
