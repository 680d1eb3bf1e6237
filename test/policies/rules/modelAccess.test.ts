import * as assert from "node:assert/strict";
import { modelAccess } from "../../../policies/rules/modelAccess";
import { modelAccessInputs } from "../../../policies/contract/modelAccess";
import { UNKNOWN_STRING_SENTINEL } from "../../../policies/contract/keys";
import { assertNoViolations, assertOneViolation, runResourcePolicy } from "../../helpers/policyArgs";
import { planned } from "../../helpers/policyFixtures";

// A serving component as the program registers it: its inputs are the model-access marker.
const COMPONENT = "llm-serving:gcp:GcpSpotL4Replicas";
const serving = (modelId: string, gated: boolean, hfToken: boolean) =>
    planned(COMPONENT, "gcp-spot-l4", modelAccessInputs({ modelId, gated, hfToken }));

describe("policy model-access", () => {
    it("passes an ungated model without a token, and a gated one with a token", async () => {
        assertNoViolations(await runResourcePolicy(modelAccess, serving("HuggingFaceH4/zephyr-7b-beta", false, false)));
        assertNoViolations(await runResourcePolicy(modelAccess, serving("mistralai/Mistral-7B-Instruct-v0.2", true, true)));
    });

    it("ignores resources that carry no marker", async () => {
        assertNoViolations(await runResourcePolicy(modelAccess, planned("gcp:compute/network:Network", "net", { project: "p" })));
    });

    it("reports a gated model without a token, naming llm-serving:hfToken", async () => {
        const resource = serving("mistralai/Mistral-7B-Instruct-v0.2", true, false);
        const only = assertOneViolation(
            await runResourcePolicy(modelAccess, resource),
            ["mistralai/Mistral-7B-Instruct-v0.2", "gated", "llm-serving:hfToken", "pulumi config set --secret"],
            resource.urn,
        );
        assert.equal(modelAccess.enforcementLevel, "advisory", "a missing token is never a blocking problem");
        assert.doesNotMatch(only.message, /hf_[A-Za-z0-9]/, "no token value in the message");
    });

    it("reports a marker whose fields are unknown at preview instead of skipping it", async () => {
        const resource = planned(COMPONENT, "gcp-spot-l4", { modelAccess: { modelId: "x/y", gated: UNKNOWN_STRING_SENTINEL, hfToken: false } });
        assertOneViolation(await runResourcePolicy(modelAccess, resource, {}, { preview: true }), ["unknown at preview"]);
    });
});
