import { modelServerDisruptionBudget } from "../../../policies/rules/modelServerDisruptionBudget";
import { assertNoViolations, assertOneViolation, runStackPolicy } from "../../helpers/policyArgs";
import { mutated, setPath } from "../../helpers/policyFixtures";
import { modelServerDeployment, modelServerPdb } from "../../helpers/policySecurityFixtures";

describe("policy model-server-disruption-budget", () => {
    it("passes a model server whose PDB allows one eviction", async () => {
        assertNoViolations(await runStackPolicy(modelServerDisruptionBudget, [modelServerDeployment(), modelServerPdb()]));
        const byMin = mutated(modelServerPdb(), (i) => (i.spec = { minAvailable: 1, selector: (i.spec as Record<string, unknown>).selector }));
        assertNoViolations(await runStackPolicy(modelServerDisruptionBudget, [modelServerDeployment(), byMin]));
    });

    it("blocks a model server with no PodDisruptionBudget", async () => {
        const deployment = modelServerDeployment();
        assertOneViolation(await runStackPolicy(modelServerDisruptionBudget, [deployment]), ["no PodDisruptionBudget"], deployment.urn);
    });

    it("blocks a PDB that matches pods in another namespace only", async () => {
        const elsewhere = mutated(modelServerPdb(), (i) => setPath(i, ["metadata", "namespace"], "other"));
        assertOneViolation(await runStackPolicy(modelServerDisruptionBudget, [modelServerDeployment(), elsewhere]), ["no PodDisruptionBudget"]);
    });

    it("blocks a PDB that allows no disruption (minAvailable = replicas)", async () => {
        const strict = mutated(modelServerPdb(), (i) => (i.spec = { minAvailable: 2, selector: (i.spec as Record<string, unknown>).selector }));
        assertOneViolation(await runStackPolicy(modelServerDisruptionBudget, [modelServerDeployment(), strict]), ["minAvailable to all 2", "drains hang"]);
    });

    it("blocks maxUnavailable: 0", async () => {
        const strict = mutated(modelServerPdb(), (i) => setPath(i, ["spec", "maxUnavailable"], 0));
        assertOneViolation(await runStackPolicy(modelServerDisruptionBudget, [modelServerDeployment(), strict]), ["maxUnavailable to 0"]);
    });
});
