// The program's GCP breaker under mocks (stack/breaker/gcp.ts): what the ha plan declares, that
// the budget notifies the breaker's topic, and the baseline labels the targets write
// (breaker-least-privilege itself: test/policies/rules/breakerLeastPrivilege.test.ts).
import { strict as assert } from "node:assert";
import { BUDGET_TYPES } from "../../policies/contract/budgets";
import { breakerLeastPrivilege } from "../../policies/rules/breakerLeastPrivilege";
import { breakerGcpPermissions } from "../../stack/breaker/gcp";
import { assertNoViolations, runStackPolicy } from "../helpers/policyArgs";
import { committedStack, one, ofType, plan } from "../helpers/program";
import { GCP_BREAKER_TYPES, HA_BREAKER_MEMBER, haPlanResources } from "../helpers/breakerGcp";

const T = GCP_BREAKER_TYPES;
const BREAKER_MEMBER = HA_BREAKER_MEMBER;
const ha = haPlanResources;

describe("breaker on GCP: the ha plan (breaker on)", () => {
    it("declares the topic, the function and its Pub/Sub trigger; the budget publishes to the breaker's topic", async () => {
        const resources = await ha();
        const topic = one(resources, T.topic);
        assert.equal(topic.inputs.name, "llm-serving-breaker-ha");
        const fn = one(resources, T.fn);
        const trigger = fn.inputs.eventTrigger as Record<string, unknown>;
        assert.equal(trigger.eventType, "google.cloud.pubsub.topic.v1.messagePublished");
        assert.equal(trigger.retryPolicy, "RETRY_POLICY_DO_NOT_RETRY");
        assert.equal(trigger.serviceAccountEmail, "llm-breaker-ha@acme-llm-ha.iam.gserviceaccount.com");
        const budget = one(resources, BUDGET_TYPES.gcp);
        const rule = budget.inputs.allUpdatesRule as Record<string, unknown>;
        // The mocks give the topic's id as "<resource name>-id": the budget and the trigger name the same topic, the breaker's.
        assert.equal(rule.pubsubTopic, "breaker-gcp-topic-id");
        assert.equal(trigger.pubsubTopic, rule.pubsubTopic);
        assert.equal(rule.schemaVersion, "1.0");
        assert.deepEqual(one(resources, T.topicMember).inputs, { member: "serviceAccount:billing-budget-alert@system.gserviceaccount.com", project: "acme-llm-ha", role: "roles/pubsub.publisher", topic: "llm-serving-breaker-ha" });
    });

    it("runs nodejs22 from the bundle as the breaker's account, labelled with its mode, told the stack's groups", async () => {
        const fn = one(await ha(), T.fn);
        const build = fn.inputs.buildConfig as { runtime: string; entryPoint: string; source: { storageSource: { object: string } } };
        assert.equal(build.runtime, "nodejs22");
        assert.equal(build.entryPoint, "breakerGcp");
        // The buildpack serves a plain export as HTTP unless told it takes a CloudEvent.
        assert.deepEqual((fn.inputs.buildConfig as { environmentVariables?: Record<string, string> }).environmentVariables, { GOOGLE_FUNCTION_SIGNATURE_TYPE: "cloudevent" });
        assert.match(build.source.storageSource.object, /^breaker-gcp-[0-9a-f]{16}\.zip$/);
        assert.equal((fn.inputs.labels as Record<string, string>)["llm-serving-breaker"], "baseline");
        const service = fn.inputs.serviceConfig as { maxInstanceCount: number; ingressSettings: string; environmentVariables: Record<string, string> };
        assert.equal(service.maxInstanceCount, 1);
        assert.equal(service.ingressSettings, "ALLOW_INTERNAL_ONLY");
        assert.deepEqual(service.environmentVariables, {
            LLM_SERVING_ENVIRONMENT: "ha",
            LLM_SERVING_GCP_PROJECTS: "acme-llm-ha",
            LLM_SERVING_GCP_MIG_REGIONS: "us-central1,us-east1",
            LLM_SERVING_GCP_GKE: "false",
            LLM_SERVING_FORECAST_PERCENT: "100",
            LLM_SERVING_STEP_TO_ZERO: "false",
        });
    });

    it("grants a custom role with exactly the MIG adapter's permissions on the stack's project, and run.invoker on its own service", async () => {
        const resources = await ha();
        assert.deepEqual(one(resources, T.role).inputs.permissions, ["compute.autoscalers.get", "compute.autoscalers.list", "compute.autoscalers.update"]);
        const grants = ofType(resources, T.member).filter((m) => m.inputs.member === BREAKER_MEMBER);
        assert.deepEqual(grants.map((g) => [g.inputs.project, g.inputs.role]), [["acme-llm-ha", "projects/acme-llm-ha/roles/llmServingBreaker_ha"]]);
        assert.deepEqual(one(resources, T.invoker).inputs, { location: "us-central1", member: BREAKER_MEMBER, name: "llm-serving-breaker-ha", project: "acme-llm-ha", role: "roles/run.invoker" });
        assert.deepEqual(breakerGcpPermissions(["mig", "gke"]), ["compute.autoscalers.get", "compute.autoscalers.list", "compute.autoscalers.update", "container.clusters.list", "container.clusters.update"]);
    });

    it("every gcpSpotL4 autoscaler carries its baseline (its minimum) in its description, where the breaker finds it", async () => {
        const autoscalers = ofType(await ha(), T.autoscaler);
        assert.equal(autoscalers.length, 4);
        for (const a of autoscalers) {
            const min = (a.inputs.autoscalingPolicy as { minReplicas: number }).minReplicas;
            assert.equal(a.inputs.description, `app=llm-serving environment=ha llm-serving-baseline=${min}`, a.name);
        }
    });

    it("forwards to notifications.gcpPubsubTopic: the function is told, its account may publish there; the budget still notifies the breaker", async () => {
        const loaded = committedStack("ha");
        const notifications = JSON.parse(loaded.config["llm-serving:notifications"]) as Record<string, unknown>;
        const config = { ...loaded.config, "llm-serving:notifications": JSON.stringify({ ...notifications, gcpPubsubTopic: "projects/acme-ops/topics/oncall" }) };
        const resources = (await plan({ ...loaded, config })).resources;
        const env = (one(resources, T.fn).inputs.serviceConfig as { environmentVariables: Record<string, string> }).environmentVariables;
        assert.equal(env.LLM_SERVING_FORWARD_TOPIC, "projects/acme-ops/topics/oncall");
        const forward = ofType(resources, T.topicMember).filter((m) => m.inputs.member === BREAKER_MEMBER);
        assert.deepEqual(forward.map((m) => [m.inputs.project, m.inputs.topic, m.inputs.role]), [["acme-ops", "oncall", "roles/pubsub.publisher"]]);
        assert.equal((one(resources, BUDGET_TYPES.gcp).inputs.allUpdatesRule as Record<string, unknown>).pubsubTopic, "breaker-gcp-topic-id");
        assertNoViolations(await runStackPolicy(breakerLeastPrivilege, resources));
    });

    it("staging (gkeL4) with the breaker on: the GKE adapter's permissions, the pool's baseline label, GKE told to the function", async () => {
        const loaded = committedStack("staging");
        const budgets = JSON.parse(loaded.config["llm-serving:budgets"]) as Record<string, unknown>;
        const resources = (await plan({ ...loaded, config: { ...loaded.config, "llm-serving:budgets": JSON.stringify({ ...budgets, breaker: { enabled: true, stepToZero: true } }) } })).resources;
        assert.deepEqual(one(resources, T.role).inputs.permissions, ["container.clusters.list", "container.clusters.update"]);
        const fn = one(resources, T.fn);
        const env = (fn.inputs.serviceConfig as { environmentVariables: Record<string, string> }).environmentVariables;
        assert.equal(env.LLM_SERVING_GCP_GKE, "true");
        assert.equal(env.LLM_SERVING_GCP_MIG_REGIONS, "");
        assert.equal(env.LLM_SERVING_STEP_TO_ZERO, "true");
        assert.equal((fn.inputs.labels as Record<string, string>)["llm-serving-breaker"], "baseline-then-zero");
        const pool = one(resources, "gcp:container/nodePool:NodePool");
        assert.equal((pool.inputs.nodeConfig as { resourceLabels: Record<string, string> }).resourceLabels["llm-serving-baseline"], "2"); // nodes.min
    });

    it("negative control: with the breaker off (staging) no breaker resource is declared", async () => {
        const resources = (await plan(committedStack("staging"))).resources;
        assert.ok(!resources.some((r) => r.type === T.fn || r.type === T.role || r.urn.includes("breaker")));
    });
});
