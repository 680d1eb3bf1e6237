// components/notify: one channel per cloud that mails the stack's addresses and fans in the
// existing topic / action group; nothing created when there is nothing to route.
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { runUnderMocks, PlannedResource } from "../../../plan/mocks";
import type { NotificationsConfig } from "../../../config/notifications";
import { awsAlertTopics, alertKeyPolicy, alertTopicPolicy } from "../../../components/notify/aws";
import { azureActionGroups, actionGroupShortName } from "../../../components/notify/azure";
import { gcpEmailChannels } from "../../../components/notify/gcp";
import { addressSuffix } from "../../../components/notify/names";
import { kindOf } from "../../../policies/model";

class Holder extends pulumi.ComponentResource {
    constructor(name: string) {
        super("llm-serving:test:Holder", name, {}, {});
    }
}

const LABELS = { owner: "ml-platform", "cost-center": "cc-1234", environment: "dev" };

async function route(n: NotificationsConfig | undefined): Promise<{ resources: PlannedResource[]; outputs: Record<string, unknown> }> {
    const run = await runUnderMocks({ project: "llm-serving", stack: "test", config: {}, secretKeys: [] }, () => {
        const parent = new Holder("h");
        const opts = { parent };
        return {
            gcp: gcpEmailChannels("budget", "acme-llm-dev", n, opts, { labels: LABELS }),
            aws: awsAlertTopics("budget", n, opts, { region: "us-east-1", tags: LABELS }),
            azure: azureActionGroups("budget", "rg-llm", n, opts, { tags: LABELS }),
        };
    });
    return { resources: run.resources.filter((r) => r.custom), outputs: run.outputs };
}

describe("components/notify", () => {
    it("creates nothing and routes nowhere without targets", async () => {
        for (const n of [undefined, {}]) {
            const { resources, outputs } = await route(n);
            assert.deepEqual(resources, []);
            assert.deepEqual(outputs, { gcp: [], aws: [], azure: [] });
        }
    });

    it("passes existing targets through without creating anything", async () => {
        const n = { awsSnsTopicArn: "arn:aws:sns:us-west-2:123456789012:oncall", azureActionGroupId: "/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/ops/providers/microsoft.insights/actionGroups/oncall", gcpPubsubTopic: "projects/acme-ops/topics/oncall" };
        const { resources, outputs } = await route(n);
        assert.deepEqual(resources, []);
        assert.deepEqual(outputs, { gcp: [], aws: [n.awsSnsTopicArn], azure: [n.azureActionGroupId] });
    });

    it("mails every address on each cloud, and adds the existing targets after its own", async () => {
        const n = { emails: ["a@example.com", "b@example.com"], awsSnsTopicArn: "arn:aws:sns:us-west-2:123456789012:oncall" };
        const { resources, outputs } = await route(n);
        const channels = resources.filter((r) => r.type === "gcp:monitoring/notificationChannel:NotificationChannel");
        assert.deepEqual(channels.map((c) => (c.inputs.labels as Record<string, string>).email_address).sort(), n.emails);
        assert.ok(channels.every((c) => c.inputs.type === "email" && c.inputs.project === "acme-llm-dev"));
        assert.deepEqual(outputs.gcp, channels.map((c) => `projects/acme-llm-dev/notificationChannels/${c.name}`));

        const subs = resources.filter((r) => r.type === "aws:sns/topicSubscription:TopicSubscription");
        assert.deepEqual(subs.map((s) => s.inputs.endpoint).sort(), n.emails);
        assert.ok(subs.every((s) => s.inputs.protocol === "email"));
        const topic = resources.find((r) => r.type === "aws:sns/topic:Topic");
        assert.ok(topic, "no topic");
        assert.match(String(topic.inputs.kmsMasterKeyId), /^arn:aws:kms:/, "topic must be encrypted with the customer managed key");
        assert.deepEqual(outputs.aws, ["arn:aws:sns:us-east-1:123456789012:budget-alerts", n.awsSnsTopicArn]);
        const policy = JSON.parse(String(resources.find((r) => r.type === "aws:sns/topicPolicy:TopicPolicy")?.inputs.policy));
        assert.deepEqual(policy.Statement[1].Principal.Service, ["budgets.amazonaws.com", "cloudwatch.amazonaws.com"]);

        const group = resources.find((r) => r.type === "azure-native:monitor:ActionGroup");
        assert.ok(group, "no action group");
        assert.deepEqual((group.inputs.emailReceivers as Array<{ emailAddress: string }>).map((e) => e.emailAddress), n.emails);
        assert.equal(group.inputs.location, "global");
        assert.deepEqual(outputs.azure, ["budget-alerts-id"]);
    });

    it("labels every taggable resource it creates with the cost-allocation keys", async () => {
        const { resources } = await route({ emails: ["a@example.com"] });
        for (const r of resources) {
            const tags = (r.inputs.tags ?? r.inputs.userLabels) as Record<string, string> | undefined;
            if (["aws:sns/topicSubscription:TopicSubscription", "aws:sns/topicPolicy:TopicPolicy"].includes(r.type)) continue; // not taggable
            assert.deepEqual(tags, LABELS, `${r.type} ${r.name}`);
        }
    });

    it("names channels by a hash of the address, so reordering renames nothing", () => {
        assert.equal(addressSuffix("A@Example.com"), addressSuffix("a@example.com"));
        assert.notEqual(addressSuffix("a@example.com"), addressSuffix("b@example.com"));
        assert.match(addressSuffix("a@example.com"), /^[0-9a-f]{10}$/);
    });

    it("keeps the action group's short name within 12 characters", () => {
        assert.equal(actionGroupShortName("runtime-budget-azure"), "runtime-budg");
        assert.equal(actionGroupShortName("b"), "b");
        assert.equal(actionGroupShortName("___"), "llm-serving");
    });

    it("lets only Budgets and CloudWatch of the account publish and encrypt", () => {
        const key = JSON.parse(alertKeyPolicy("123456789012"));
        assert.deepEqual(key.Statement[1].Action, ["kms:GenerateDataKey*", "kms:Decrypt"]);
        assert.deepEqual(key.Statement[1].Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
        const topic = JSON.parse(alertTopicPolicy("123456789012", "arn:aws:sns:us-east-1:123456789012:t"));
        assert.equal(topic.Statement[1].Action, "SNS:Publish");
        assert.equal(topic.Statement[1].Resource, "arn:aws:sns:us-east-1:123456789012:t");
    });

    it("every type it creates is a kind the pack knows (free, or priced: the key)", async () => {
        const { resources } = await route({ emails: ["a@example.com"] });
        for (const r of resources) assert.ok(kindOf(r.type), `${r.type} has no kind: the plan would report it unpriced`);
        assert.equal(kindOf("aws:sns/topicSubscription:TopicSubscription")?.name, "sns-subscription");
        assert.equal(kindOf("aws:sns/nonexistent:X"), undefined);
    });
});
