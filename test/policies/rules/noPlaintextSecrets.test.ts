import { noPlaintextSecrets } from "../../../policies/rules/noPlaintextSecrets";
import type { PlannedResource } from "../../../policies/evaluate";
import { assertNoViolations, assertOneViolation, runResourcePolicy } from "../../helpers/policyArgs";
import { ec2SpotInstance, mutated, setPath } from "../../helpers/policyFixtures";
import { assertNoValueIn, azureVm, CLOUD_INIT, gcpTemplate, mlDeployment, modelServerDeployment, SENTINEL_HF, SENTINEL_KEY, STARTUP_SCRIPT } from "../../helpers/policySecurityFixtures";

const ENV = ["spec", "template", "spec", "containers", 0, "env"];
const b64 = (s: string) => Buffer.from(s).toString("base64");

const CASES: ReadonlyArray<{ what: string; resource: () => PlannedResource; mutate: (i: Record<string, unknown>) => void; parts: string[] }> = [
    { what: "a literal API key in a container env var", resource: modelServerDeployment, mutate: (i) => setPath(i, ENV, [{ name: "VLLM_API_KEY", value: "whatever" }]), parts: ["VLLM_API_KEY", "named like a secret"] },
    { what: "a Pulumi secret in an innocently named env var (plan form)", resource: modelServerDeployment, mutate: (i) => setPath(i, [...ENV, 1, "value"], "[secret]"), parts: ["HF_HOME", "holds a Pulumi secret"] },
    { what: "a Hugging Face token in an env var (CLI plaintext form)", resource: modelServerDeployment, mutate: (i) => setPath(i, [...ENV, 1, "value"], SENTINEL_HF), parts: ["looks like a Hugging Face token"] },
    { what: "an API key on the command line", resource: modelServerDeployment, mutate: (i) => setPath(i, ["spec", "template", "spec", "containers", 0, "args"], ["--api-key", "abc"]), parts: ["passes api-key on the command line"] },
    { what: "a literal token in Azure ML environmentVariables", resource: mlDeployment, mutate: (i) => setPath(i, ["properties", "environmentVariables", "HF_TOKEN"], "abc"), parts: ["HF_TOKEN", "workspace connection"] },
    { what: "a generated key inside Azure VM customData", resource: azureVm, mutate: (i) => setPath(i, ["osProfile", "customData"], b64(`${CLOUD_INIT}\nexport VLLM_API_KEY=${SENTINEL_KEY}\n`)), parts: ["osProfile.customData", "generated key"] },
    { what: "a Pulumi secret in Azure VM customData (plan form)", resource: azureVm, mutate: (i) => setPath(i, ["osProfile", "customData"], "[secret]"), parts: ["holds a Pulumi secret"] },
    { what: "a token in EC2 user data", resource: ec2SpotInstance, mutate: (i) => (i.userData = `#!/bin/bash\nexport HF_TOKEN=${SENTINEL_HF}\n`), parts: ["userData", "Hugging Face token"] },
    { what: "a token in GCP metadata under a secret-sounding key", resource: gcpTemplate, mutate: (i) => setPath(i, ["metadata", "hf-token"], "abc"), parts: ["metadata.hf-token", "named like a secret"] },
    { what: "a key pasted into the GCP startup script", resource: gcpTemplate, mutate: (i) => setPath(i, ["metadata", "startup-script"], `${STARTUP_SCRIPT}\nexport K=${SENTINEL_KEY}\n`), parts: ["metadata.startup-script", "generated key"] },
];

describe("policy no-plaintext-secrets", () => {
    for (const c of CASES) {
        it(`passes the compliant fixture and blocks ${c.what}, never printing it`, async () => {
            assertNoViolations(await runResourcePolicy(noPlaintextSecrets, c.resource()));
            const resource = mutated(c.resource(), c.mutate);
            const reported = await runResourcePolicy(noPlaintextSecrets, resource);
            assertOneViolation(reported, c.parts, resource.urn);
            assertNoValueIn(reported, "whatever", "abc");
        });
    }

    it("lets GCP startup scripts name secrets and Azure ML reference connections", async () => {
        assertNoViolations(await runResourcePolicy(noPlaintextSecrets, gcpTemplate()));
        assertNoViolations(await runResourcePolicy(noPlaintextSecrets, mlDeployment()));
    });

    it("can turn the random-key heuristic off", async () => {
        const resource = mutated(azureVm(), (i) => setPath(i, ["osProfile", "customData"], b64(`${CLOUD_INIT}\n# build ${SENTINEL_KEY}\n`)));
        assertNoViolations(await runResourcePolicy(noPlaintextSecrets, resource, { detectHighEntropy: false }));
    });
});
