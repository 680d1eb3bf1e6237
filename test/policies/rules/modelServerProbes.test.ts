import { modelServerProbes } from "../../../policies/rules/modelServerProbes";
import type { PlannedResource } from "../../../policies/evaluate";
import { assertNoViolations, assertOneViolation, runResourcePolicy } from "../../helpers/policyArgs";
import { mutated, setPath } from "../../helpers/policyFixtures";
import { gcpMig, mlDeployment, modelServerDeployment } from "../../helpers/policySecurityFixtures";

const MODEL = ["spec", "template", "spec", "containers", 0];

const CASES: ReadonlyArray<{ what: string; resource: () => PlannedResource; mutate: (i: Record<string, unknown>) => void; parts: string[] }> = [
    { what: "a model server without a readiness probe", resource: modelServerDeployment, mutate: (i) => setPath(i, [...MODEL, "readinessProbe"], undefined), parts: ["container model-server has no readinessProbe"] },
    { what: "a liveness probe off the health path", resource: modelServerDeployment, mutate: (i) => setPath(i, [...MODEL, "livenessProbe", "httpGet", "path"], "/"), parts: ["livenessProbe does not check httpGet /health"] },
    { what: "a model server without a startup probe", resource: modelServerDeployment, mutate: (i) => setPath(i, [...MODEL, "startupProbe"], undefined), parts: ["no startupProbe"] },
    { what: "an Azure ML deployment without a liveness probe", resource: mlDeployment, mutate: (i) => setPath(i, ["properties", "livenessProbe"], undefined), parts: ["properties.livenessProbe is not set"] },
    { what: "a GCP group without autohealing", resource: gcpMig, mutate: (i) => delete i.autoHealingPolicies, parts: ["autoHealingPolicies is not set"] },
    { what: "a GCP group that autoheals mid-load", resource: gcpMig, mutate: (i) => setPath(i, ["autoHealingPolicies", "initialDelaySec"], 0), parts: ["initialDelaySec is below 600"] },
];

describe("policy model-server-probes", () => {
    for (const c of CASES) {
        it(`passes the compliant fixture and blocks ${c.what}`, async () => {
            assertNoViolations(await runResourcePolicy(modelServerProbes, c.resource()));
            const resource = mutated(c.resource(), c.mutate);
            assertOneViolation(await runResourcePolicy(modelServerProbes, resource), c.parts, resource.urn);
        });
    }

    it("leaves the route guard's own probes alone and can drop the startup probe requirement", async () => {
        const resource = mutated(modelServerDeployment(), (i) => setPath(i, [...MODEL, "startupProbe"], undefined));
        assertNoViolations(await runResourcePolicy(modelServerProbes, resource, { requireStartupProbe: false }));
    });
});
