import { endpointAuthentication } from "../../../policies/rules/endpointAuthentication";
import { UNKNOWN_STRING_SENTINEL } from "../../../policies/contract/keys";
import type { PlannedResource } from "../../../policies/evaluate";
import { assertNoViolations, assertOneViolation, runResourcePolicy } from "../../helpers/policyArgs";
import { mutated, setPath } from "../../helpers/policyFixtures";
import { assertNoValueIn, gcpBackend, gcpTemplate, mlEndpoint, modelServerDeployment, rayService, STARTUP_SCRIPT, T } from "../../helpers/policySecurityFixtures";
import { planned } from "../../helpers/policyFixtures";

const genericEndpoint = (): PlannedResource =>
    planned(T.genericResource, "llm-traffic", { resourceProviderNamespace: "Microsoft.MachineLearningServices", resourceType: "onlineEndpoints", properties: { authMode: "AADToken" } });

const CASES: ReadonlyArray<{ what: string; resource: () => PlannedResource; mutate: (i: Record<string, unknown>) => void; parts: string[] }> = [
    { what: "an Azure ML endpoint without key or token auth", resource: mlEndpoint, mutate: (i) => setPath(i, ["properties", "authMode"], "None"), parts: ["properties.authMode", "not an allowed"] },
    { what: "an Azure ML endpoint re-declared as a generic resource with no auth mode", resource: genericEndpoint, mutate: (i) => delete (i.properties as Record<string, unknown>).authMode, parts: ["properties.authMode is not set"] },
    { what: "an internet-facing GCP backend with no Cloud Armor policy", resource: gcpBackend, mutate: (i) => delete i.securityPolicy, parts: ["no Cloud Armor policy"] },
    {
        what: "a GCP startup script that runs vLLM without an API key",
        resource: gcpTemplate,
        mutate: (i) => setPath(i, ["metadata", "startup-script"], STARTUP_SCRIPT.replace(/VLLM_API_KEY/g, "OTHER_VAR")),
        parts: ["without an API key", "VLLM_API_KEY"],
    },
    {
        what: "a GCP startup script whose API key does not come from Secret Manager",
        resource: gcpTemplate,
        mutate: (i) => setPath(i, ["metadata", "startup-script"], STARTUP_SCRIPT.replace(/secretmanager\.googleapis\.com/g, "example.invalid")),
        parts: ["not read from Secret Manager"],
    },
    {
        what: "a Kubernetes model server with no API key env var",
        resource: modelServerDeployment,
        mutate: (i) => setPath(i, ["spec", "template", "spec", "containers", 0, "env"], []),
        parts: ["container model-server", "no API key"],
    },
    {
        what: "a RayService worker whose API key is not a Secret ref",
        resource: rayService,
        mutate: (i) => setPath(i, ["spec", "rayClusterConfig", "workerGroupSpecs", 0, "template", "spec", "containers", 0, "env"], [{ name: "VLLM_API_KEY", value: "literal" }]),
        parts: ["not taken from a Secret"],
    },
];

describe("policy endpoint-authentication", () => {
    for (const c of CASES) {
        it(`passes the compliant fixture and blocks ${c.what}`, async () => {
            assertNoViolations(await runResourcePolicy(endpointAuthentication, c.resource()));
            const resource = mutated(c.resource(), c.mutate);
            const reported = await runResourcePolicy(endpointAuthentication, resource);
            assertOneViolation(reported, c.parts, resource.urn);
            assertNoValueIn(reported, "literal");
        });
    }

    it("allows AADToken and blocks Key where the environment allows only Entra tokens", async () => {
        const aad = mutated(mlEndpoint(), (i) => setPath(i, ["properties", "authMode"], "AADToken"));
        assertNoViolations(await runResourcePolicy(endpointAuthentication, aad, { allowedAzureMlAuthModes: ["AADToken"] }));
        assertOneViolation(await runResourcePolicy(endpointAuthentication, mlEndpoint(), { allowedAzureMlAuthModes: ["AADToken"] }), ["AADToken"]);
    });

    it("reports an auth mode unknown at preview instead of throwing", async () => {
        const resource = mutated(mlEndpoint(), (i) => setPath(i, ["properties", "authMode"], UNKNOWN_STRING_SENTINEL));
        assertOneViolation(await runResourcePolicy(endpointAuthentication, resource, {}, { preview: true }), ["unknown at preview"]);
    });

    it("does not ask the route guard or internal backends for a key", async () => {
        assertNoViolations(await runResourcePolicy(endpointAuthentication, mutated(gcpBackend(), (i) => ((i.loadBalancingScheme = "INTERNAL_MANAGED"), delete i.securityPolicy))));
    });
});
