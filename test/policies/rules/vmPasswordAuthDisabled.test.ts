import { vmPasswordAuthDisabled } from "../../../policies/rules/vmPasswordAuthDisabled";
import { assertNoViolations, assertOneViolation, runResourcePolicy } from "../../helpers/policyArgs";
import { mutated, setPath } from "../../helpers/policyFixtures";
import { assertNoValueIn, azureVm, SENTINEL_KEY } from "../../helpers/policySecurityFixtures";

describe("policy vm-password-auth-disabled", () => {
    it("passes a VM with SSH keys only", async () => {
        assertNoViolations(await runResourcePolicy(vmPasswordAuthDisabled, azureVm()));
    });

    it("blocks a VM that accepts password logins", async () => {
        const resource = mutated(azureVm(), (i) => setPath(i, ["osProfile", "linuxConfiguration", "disablePasswordAuthentication"], false));
        assertOneViolation(await runResourcePolicy(vmPasswordAuthDisabled, resource), ["disablePasswordAuthentication", "true"], resource.urn);
    });

    it("blocks an admin password without printing it", async () => {
        const resource = mutated(azureVm(), (i) => setPath(i, ["osProfile", "adminPassword"], SENTINEL_KEY));
        const reported = await runResourcePolicy(vmPasswordAuthDisabled, resource);
        assertOneViolation(reported, ["osProfile.adminPassword is set"]);
        assertNoValueIn(reported);
    });
});
