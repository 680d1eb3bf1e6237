import { strict as assert } from "node:assert";
import { rolloutProblems } from "../../targets/gcpSpotL4/rollout";
import { resourcesOfType } from "./plans";

/** The cert-manager models ship as ESM only; their validate() is not in the CJS-resolved types. */
type Validatable = { validate(): void };

describe("conformance: TLS and GCP rollouts against their consumers", function () {
    it("every ClusterIssuer and Certificate planned validates against cert-manager's schemas (@kubernetes-models/cert-manager)", async () => {
        const { ClusterIssuer } = await import("@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer");
        const { Certificate } = await import("@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate");
        const issuers = await resourcesOfType("kubernetes:cert-manager.io/v1:ClusterIssuer");
        const certificates = await resourcesOfType("kubernetes:cert-manager.io/v1:Certificate");
        assert.ok(issuers.length > 0 && certificates.length > 0, "prod plans cert-manager objects");
        for (const { plan, resource } of issuers) {
            assert.doesNotThrow(() => (new ClusterIssuer(resource.inputs as never) as unknown as Validatable).validate(), `${plan}: ${resource.name}`);
        }
        for (const { plan, resource } of certificates) {
            assert.doesNotThrow(() => (new Certificate(resource.inputs as never) as unknown as Validatable).validate(), `${plan}: ${resource.name}`);
        }
        // Negative control: the same issuer without its ACME server is refused.
        const { resource } = issuers[0];
        const spec = resource.inputs.spec as { acme: Record<string, unknown> };
        const broken = { ...resource.inputs, spec: { acme: { ...spec.acme, server: undefined } } };
        assert.throws(() => (new ClusterIssuer(broken as never) as unknown as Validatable).validate(), /server/);
    });

    it("every planned regional instance group rolls out by GCP's regional rules and keeps serving", async () => {
        const groups = await resourcesOfType("gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager");
        assert.ok(groups.length > 0);
        for (const { plan, resource } of groups) {
            const zones = (resource.inputs.distributionPolicyZones as string[]).length;
            assert.deepEqual(rolloutProblems(resource.inputs.updatePolicy as never, zones), [], plan);
        }
    });
});
