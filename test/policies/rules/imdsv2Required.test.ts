import { imdsv2Required } from "../../../policies/rules/imdsv2Required";
import { UNKNOWN_STRING_SENTINEL } from "../../../policies/contract/keys";
import type { PlannedResource } from "../../../policies/evaluate";
import { assertNoViolations, assertOneViolation, runResourcePolicy } from "../../helpers/policyArgs";
import { ec2SpotInstance, mutated, setPath } from "../../helpers/policyFixtures";
import { launchTemplate, nodeClass } from "../../helpers/policySecurityFixtures";

const CASES: ReadonlyArray<{ what: string; resource: () => PlannedResource; path: string[] }> = [
    { what: "EC2NodeClass", resource: nodeClass, path: ["spec", "metadataOptions"] },
    { what: "launch template", resource: launchTemplate, path: ["metadataOptions"] },
    { what: "EC2 instance", resource: ec2SpotInstance, path: ["metadataOptions"] },
];

describe("policy imdsv2-required", () => {
    for (const c of CASES) {
        it(`passes an IMDSv2-only ${c.what} with hop limit 1`, async () => {
            assertNoViolations(await runResourcePolicy(imdsv2Required, c.resource()));
        });
        it(`blocks a ${c.what} that still answers IMDSv1`, async () => {
            const resource = mutated(c.resource(), (i) => setPath(i, [...c.path, "httpTokens"], "optional"));
            assertOneViolation(await runResourcePolicy(imdsv2Required, resource), ["httpTokens", '"required"'], resource.urn);
        });
    }

    it("blocks a hop limit of 2 (pods reach node credentials)", async () => {
        const resource = mutated(nodeClass(), (i) => setPath(i, ["spec", "metadataOptions", "httpPutResponseHopLimit"], 2));
        assertOneViolation(await runResourcePolicy(imdsv2Required, resource), ["httpPutResponseHopLimit is 2"]);
    });

    it("blocks a launch template that leaves the settings to AWS's defaults", async () => {
        const resource = mutated(launchTemplate(), (i) => delete i.metadataOptions);
        const reported = await runResourcePolicy(imdsv2Required, resource);
        if (reported.length !== 2) throw new Error(`expected tokens and hop limit, got ${reported.length}`);
    });

    it("reports httpTokens unknown at preview", async () => {
        const resource = mutated(nodeClass(), (i) => setPath(i, ["spec", "metadataOptions", "httpTokens"], UNKNOWN_STRING_SENTINEL));
        assertOneViolation(await runResourcePolicy(imdsv2Required, resource, {}, { preview: true }), ["unknown at preview"]);
    });
});
