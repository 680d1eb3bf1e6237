import { apiServerNotPublic } from "../../../policies/rules/apiServerNotPublic";
import { assertNoViolations, assertOneViolation, runResourcePolicy } from "../../helpers/policyArgs";
import { mutated, setPath } from "../../helpers/policyFixtures";
import { aksCluster, eksCluster } from "../../helpers/policySecurityFixtures";

describe("policy api-server-not-public", () => {
    it("passes AKS with authorized ranges, a private AKS, EKS with CIDRs and a private EKS", async () => {
        assertNoViolations(await runResourcePolicy(apiServerNotPublic, aksCluster()));
        assertNoViolations(await runResourcePolicy(apiServerNotPublic, mutated(aksCluster(), (i) => (i.apiServerAccessProfile = { enablePrivateCluster: true }))));
        assertNoViolations(await runResourcePolicy(apiServerNotPublic, eksCluster()));
        assertNoViolations(await runResourcePolicy(apiServerNotPublic, mutated(eksCluster(), (i) => (i.vpcConfig = { endpointPrivateAccess: true, endpointPublicAccess: false }))));
    });

    it("blocks an AKS API server with no authorized ranges", async () => {
        const resource = mutated(aksCluster(), (i) => delete i.apiServerAccessProfile);
        assertOneViolation(await runResourcePolicy(apiServerNotPublic, resource), ["authorizedIPRanges", "reachable from anywhere"], resource.urn);
    });

    it("blocks an AKS API server authorized for 0.0.0.0/0", async () => {
        const resource = mutated(aksCluster(), (i) => setPath(i, ["apiServerAccessProfile", "authorizedIPRanges"], ["0.0.0.0/0"]));
        assertOneViolation(await runResourcePolicy(apiServerNotPublic, resource), ["admits the whole internet"]);
    });

    it("blocks a public EKS endpoint with AWS's default 0.0.0.0/0", async () => {
        const resource = mutated(eksCluster(), (i) => delete (i.vpcConfig as Record<string, unknown>).publicAccessCidrs);
        assertOneViolation(await runResourcePolicy(apiServerNotPublic, resource), ["publicAccessCidrs", "endpointPublicAccess: false"], resource.urn);
    });
});
