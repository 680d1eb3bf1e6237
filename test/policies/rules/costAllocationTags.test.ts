import * as assert from "node:assert/strict";
import { costAllocationTags } from "../../../policies/rules/costAllocationTags";
import { tagPropertyOf } from "../../../policies/taggable";
import data from "../../../policies/taggable.data.json";
import { assertNoViolations, assertOneViolation, runResourcePolicy } from "../../helpers/policyArgs";
import { mutated, planned } from "../../helpers/policyFixtures";
import { argsHaveProperty, taggableTypesFromSdk } from "../../helpers/policyTaggable";
import { awsSecurityGroup, gcpTemplate, LABELS, T } from "../../helpers/policySecurityFixtures";

describe("policy cost-allocation-tags", () => {
    it("passes tagged AWS/Azure resources and labelled GCP resources", async () => {
        assertNoViolations(await runResourcePolicy(costAllocationTags, awsSecurityGroup()));
        assertNoViolations(await runResourcePolicy(costAllocationTags, gcpTemplate()));
    });

    it("blocks an AWS resource without cost-center, naming the missing key", async () => {
        const resource = mutated(awsSecurityGroup(), (i) => delete (i.tags as Record<string, unknown>)["cost-center"]);
        assertOneViolation(await runResourcePolicy(costAllocationTags, resource), ["tags lacks cost-center"], resource.urn);
    });

    it("reads GCP labels, not GCP network tags", async () => {
        const resource = mutated(gcpTemplate(), (i) => ((i.tags = Object.values(LABELS)), delete i.labels));
        assertOneViolation(await runResourcePolicy(costAllocationTags, resource), ["labels lacks owner, cost-center, environment"]);
    });

    it("asks nothing of types the SDK gives no tags (a GCP firewall) or exempts (Key Vault secrets)", async () => {
        assertNoViolations(await runResourcePolicy(costAllocationTags, planned("gcp:compute/firewall:Firewall", "fw", {})));
        assertNoViolations(await runResourcePolicy(costAllocationTags, planned(T.kvSecret, "s", {})));
    });

    it("checks Kubernetes labels only where configured", async () => {
        const ns = planned("kubernetes:core/v1:Namespace", "ns", { metadata: { name: "llm" } });
        assertNoViolations(await runResourcePolicy(costAllocationTags, ns));
        assertOneViolation(await runResourcePolicy(costAllocationTags, ns, { kubernetesLabels: true }), ["metadata.labels lacks"]);
    });

    it("taggable.data.json is exactly what the installed SDKs' Args types declare", function () {
        this.timeout(60_000);
        assert.deepEqual(taggableTypesFromSdk(), data);
    });

    it("the Args reader sees only top-level tags/labels", () => {
        const dts = "export interface FooArgs {\n    name?: string;\n    spec?: {\n        tags?: string[];\n    };\n}\nexport interface FooState {\n    tags?: string;\n}\n";
        assert.equal(argsHaveProperty(dts, "tags"), false);
        assert.equal(argsHaveProperty(dts.replace("    name?: string;", "    tags?: pulumi.Input<{}>;"), "tags"), true);
        assert.equal(tagPropertyOf("gcp:compute/instanceTemplate:InstanceTemplate"), "labels");
        assert.equal(tagPropertyOf("aws:ec2/securityGroup:SecurityGroup"), "tags");
        // A notification channel's `labels` is its address; its metadata labels are userLabels.
        assert.equal(tagPropertyOf("gcp:monitoring/notificationChannel:NotificationChannel"), "userLabels");
    });
});
