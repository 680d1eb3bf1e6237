import { gcpNoDefaultServiceAccount } from "../../../policies/rules/gcpNoDefaultServiceAccount";
import { UNKNOWN_STRING_SENTINEL } from "../../../policies/contract/keys";
import { assertNoViolations, assertOneViolation, runStackPolicy } from "../../helpers/policyArgs";
import { mutated, setPath } from "../../helpers/policyFixtures";
import { gcpServiceAccount, gcpTemplate } from "../../helpers/policySecurityFixtures";

describe("policy gcp-no-default-service-account", () => {
    it("passes a template running as a dedicated account with narrow scopes", async () => {
        assertNoViolations(await runStackPolicy(gcpNoDefaultServiceAccount, [gcpServiceAccount(), gcpTemplate()]));
    });

    it("blocks the default compute service account", async () => {
        const template = mutated(gcpTemplate(), (i) => setPath(i, ["serviceAccount", "email"], "123456789-compute@developer.gserviceaccount.com"));
        assertOneViolation(await runStackPolicy(gcpNoDefaultServiceAccount, [gcpServiceAccount(), template]), ["default compute service account"], template.urn);
    });

    it("blocks the cloud-platform scope", async () => {
        const template = mutated(gcpTemplate(), (i) => setPath(i, ["serviceAccount", "scopes"], ["cloud-platform"]));
        assertOneViolation(await runStackPolicy(gcpNoDefaultServiceAccount, [gcpServiceAccount(), template]), ["cloud-platform scope"]);
    });

    it("accepts an email unknown at preview when it comes from an Account in the stack, and blocks it otherwise", async () => {
        const template = mutated(gcpTemplate(), (i) => setPath(i, ["serviceAccount", "email"], UNKNOWN_STRING_SENTINEL));
        assertNoViolations(await runStackPolicy(gcpNoDefaultServiceAccount, [gcpServiceAccount(), template], {}, { preview: true }));
        const orphan = { ...template, propertyDependencies: {} };
        assertOneViolation(await runStackPolicy(gcpNoDefaultServiceAccount, [orphan], {}, { preview: true }), ["unknown at preview", "does not come from a service account"]);
    });
});
