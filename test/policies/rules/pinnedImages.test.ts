import { pinnedImages } from "../../../policies/rules/pinnedImages";
import { UNKNOWN_STRING_SENTINEL } from "../../../policies/contract/keys";
import type { PlannedResource } from "../../../policies/evaluate";
import { assertNoViolations, assertOneViolation, runResourcePolicy } from "../../helpers/policyArgs";
import { mutated, planned, setPath } from "../../helpers/policyFixtures";
import { azureVm, CLOUD_INIT, gcpTemplate, modelServerDeployment, rayService, STARTUP_SCRIPT, T } from "../../helpers/policySecurityFixtures";

const mlEnvironment = (): PlannedResource => planned(T.mlEnvironment, "llm-env", { properties: { image: "vllm/vllm-openai:v0.11.0" } });

const CASES: ReadonlyArray<{ what: string; resource: () => PlannedResource; mutate: (i: Record<string, unknown>) => void; parts: string[] }> = [
    { what: "a Kubernetes container on latest", resource: modelServerDeployment, mutate: (i) => setPath(i, ["spec", "template", "spec", "containers", 1, "image"], "nginx:latest"), parts: ["container route-guard", "moving tag latest"] },
    { what: "an untagged RayService worker image", resource: rayService, mutate: (i) => setPath(i, ["spec", "rayClusterConfig", "workerGroupSpecs", 0, "template", "spec", "containers", 0, "image"], "rayproject/ray"), parts: ["ray-worker", "ray-worker", "no tag"] },
    { what: "an Azure ML environment image on latest", resource: mlEnvironment, mutate: (i) => setPath(i, ["properties", "image"], "mcr.microsoft.com/azureml/vllm:latest"), parts: ["properties.image", "latest"] },
    { what: "docker run of an untagged image in a GCP startup script", resource: gcpTemplate, mutate: (i) => setPath(i, ["metadata", "startup-script"], STARTUP_SCRIPT.replace("vllm/vllm-openai:v0.11.0", "vllm/vllm-openai")), parts: ["metadata.startup-script", "vllm/vllm-openai", "no tag"] },
    {
        what: "docker run of latest in Azure cloud-init",
        resource: azureVm,
        mutate: (i) => setPath(i, ["osProfile", "customData"], Buffer.from(CLOUD_INIT.replace("v0.11.0", "latest")).toString("base64")),
        parts: ["osProfile.customData", "latest"],
    },
];

describe("policy pinned-images", () => {
    for (const c of CASES) {
        it(`passes the compliant fixture and blocks ${c.what}`, async () => {
            assertNoViolations(await runResourcePolicy(pinnedImages, c.resource()));
            const resource = mutated(c.resource(), c.mutate);
            assertOneViolation(await runResourcePolicy(pinnedImages, resource), c.parts, resource.urn);
        });
    }

    it("requires digests where configured", async () => {
        const reported = await runResourcePolicy(pinnedImages, rayService(), { requireDigest: true });
        if (reported.length !== 2) throw new Error(`expected head and worker, got ${reported.length}`);
        const pinned = mutated(rayService(), (i) => {
            const digest = `x@sha256:${"a".repeat(64)}`;
            setPath(i, ["spec", "rayClusterConfig", "headGroupSpec", "template", "spec", "containers", 0, "image"], digest);
            setPath(i, ["spec", "rayClusterConfig", "workerGroupSpecs", 0, "template", "spec", "containers", 0, "image"], digest);
        });
        assertNoViolations(await runResourcePolicy(pinnedImages, pinned, { requireDigest: true }));
    });

    it("ignores cos-extensions' --version=latest (a driver, not an image) and reports unknown images", async () => {
        assertNoViolations(await runResourcePolicy(pinnedImages, gcpTemplate()));
        const resource = mutated(modelServerDeployment(), (i) => setPath(i, ["spec", "template", "spec", "containers", 0, "image"], UNKNOWN_STRING_SENTINEL));
        assertOneViolation(await runResourcePolicy(pinnedImages, resource, {}, { preview: true }), ["unknown at preview"]);
    });
});
