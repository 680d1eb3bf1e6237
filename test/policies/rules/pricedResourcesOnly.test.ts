import { pricedResourcesOnly } from "../../../policies/rules/pricedResourcesOnly";
import { assertNoSecretsIn, assertNoViolations, assertOneViolation, runStackPolicy } from "../../helpers/policyArgs";
import { gcpStack, mutatedIn } from "../../helpers/policyFixtures";

describe("policy priced-resources-only", () => {
    it("passes a stack whose SKUs the catalog prices in their region", async () => {
        assertNoViolations(await runStackPolicy(pricedResourcesOnly, gcpStack()));
    });

    it("blocks a machine type the catalog does not price, naming SKU and region", async () => {
        const stack = mutatedIn(gcpStack(), "llm-template", (i) => (i.machineType = "g2-standard-96"));
        const reported = await runStackPolicy(pricedResourcesOnly, stack);
        const violation = assertOneViolation(reported, ["g2-standard-96", "us-central1", "catalog"]);
        assertNoSecretsIn(reported);
        if (!violation.urn) throw new Error("the violation must carry the resource's URN");
    });
});
