import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { EXIT, main } from "../../../plan/cli";
import { PlannedResource } from "../../../plan/mocks";
import { estimateCosts } from "../../../policies/cost/estimate";
import { targetCapacities } from "../../../policies/cost/tokens";
import { boundedScaling } from "../../../policies/rules/boundedScaling";
import { modelServerObservability } from "../../../policies/rules/modelServerObservability";
import { alertRules, exportedMetricNames, SCRAPER_METRICS } from "../../../components/observability/signals";
import { DEFAULT_OBSERVABILITY } from "../../../config/observability";
import { azurePodMonitorSelector, azurePrometheusRule, scaledReplicaBounds } from "../../../targets/aksGpu/observability";
import { assertNoViolations, assertOneViolation, runStackPolicy } from "../../helpers/policyArgs";
import { mutated } from "../../helpers/policyFixtures";
import { selectorLabels } from "../../../components/k8s/modelServer";
import { one, plan, stackFrom, TEST_TAGS } from "../../helpers/program";
import { AKS, SECRETS } from "../../components/azure/fixtures";

const T = {
    cluster: "azure-native:containerservice:ManagedCluster",
    workspace: "azure-native:monitor:AzureMonitorWorkspace",
    dcr: "azure-native:monitor:DataCollectionRule",
    dcra: "azure-native:monitor:DataCollectionRuleAssociation",
    rules: "azure-native:alertsmanagement:PrometheusRuleGroup",
    actionGroup: "azure-native:monitor:ActionGroup",
    podMonitor: "kubernetes:azmonitoring.coreos.com/v1:PodMonitor",
    scaledObject: "kubernetes:keda.sh/v1alpha1:ScaledObject",
    triggerAuth: "kubernetes:keda.sh/v1alpha1:TriggerAuthentication",
    federation: "azure-native:managedidentity:FederatedIdentityCredential",
    deployment: "kubernetes:apps/v1:Deployment",
};
const NOTIFY = { emails: ["oncall@example.com"] };
/** What the pack reads: the planned inputs as props. */
const asCost = (rs: ReadonlyArray<{ urn: string; type: string; name: string; inputs: Record<string, unknown>; propertyDependencies: Record<string, string[]> }>) => rs.map((r) => ({ ...r, props: r.inputs }));

/** @kubernetes-models/keda is ESM-only: loaded with a dynamic import. */
async function kedaModels() {
    return import("@kubernetes-models/keda/keda.sh/v1alpha1");
}

describe("aksGpu observability (issue #18): managed Prometheus, alerts, KEDA on queue depth", function () {
    this.timeout(120_000);
    let resources: PlannedResource[];
    let silent: PlannedResource[];
    before(async () => {
        ({ resources } = await plan(stackFrom({ tags: TEST_TAGS, targets: { aksGpu: AKS }, notifications: NOTIFY }, SECRETS)));
        ({ resources: silent } = await plan(stackFrom({ tags: TEST_TAGS, targets: { aksGpu: AKS } }, SECRETS)));
    });

    it("turns on the metrics add-on, managed KEDA and workload identity on the cluster", () => {
        const c = one(resources, T.cluster).inputs as Record<string, any>;
        assert.equal(c.azureMonitorProfile.metrics.enabled, true);
        assert.equal(c.workloadAutoScalerProfile.keda.enabled, true);
        assert.equal(c.securityProfile.workloadIdentity.enabled, true);
        assert.equal(c.oidcIssuerProfile.enabled, true);
    });

    it("forwards the Prometheus stream to the workspace through a DCR associated with the cluster", () => {
        const ws = one(resources, T.workspace);
        const dcr = one(resources, T.dcr).inputs as Record<string, any>;
        assert.deepEqual(dcr.dataSources.prometheusForwarder[0].streams, ["Microsoft-PrometheusMetrics"]);
        assert.deepEqual(dcr.dataFlows, [{ streams: ["Microsoft-PrometheusMetrics"], destinations: ["MonitoringAccount1"] }]);
        assert.ok(one(resources, T.dcr).propertyDependencies.destinations.includes(ws.urn));
        assert.ok(one(resources, T.dcra).propertyDependencies.resourceUri.includes(one(resources, T.cluster).urn));
    });

    it("scrapes the model pods' /metrics on the model port with a PodMonitor ama-metrics reads", () => {
        const pm = one(resources, T.podMonitor).inputs as Record<string, any>;
        assert.equal(pm.spec.podMetricsEndpoints[0].path, "/metrics");
        assert.deepEqual(pm.spec.selector.matchLabels, selectorLabels("model-server"));
    });

    it("creates the five alerts on the shared PromQL, each routed to the stack's action group", () => {
        const group = one(resources, T.rules).inputs as Record<string, any>;
        assert.deepEqual(group.rules.map((r: any) => r.alert), ["no-healthy-replica", "queue-waiting", "kv-cache-full", "ttft-p95", "eviction-burst"]);
        for (const r of group.rules) assert.equal(r.actions.length, 1, r.alert);
        assert.ok(resources.some((r) => r.type === T.actionGroup && r.name === "aks-gpu-obs-alerts"));
    });

    it("names only metrics the pinned vLLM exports (or the scraper writes) in its alert queries", () => {
        const names = new Set([...exportedMetricNames("vllm"), ...SCRAPER_METRICS]);
        const group = one(resources, T.rules).inputs as Record<string, any>;
        for (const r of group.rules) {
            for (const m of (r.expression as string).match(/[a-z_:]+(?=\{)/g) ?? []) assert.ok(names.has(m), `${r.alert}: ${m}`);
        }
        // Negative control: a misspelt name is caught by the same check.
        assert.ok(!names.has("vllm:num_requests_queued"));
    });

    it("validates the ScaledObject and TriggerAuthentication it applies against @kubernetes-models/keda", async () => {
        const { ScaledObject, TriggerAuthentication } = await kedaModels();
        const so = one(resources, T.scaledObject).inputs as Record<string, any>;
        new ScaledObject(so as never).validate();
        const ta = one(resources, T.triggerAuth).inputs as Record<string, any>;
        new TriggerAuthentication(ta as never).validate();
        assert.equal(ta.spec.podIdentity.provider, "azure-workload");
        assert.equal(so.spec.triggers[0].authenticationRef.name, ta.metadata.name);
        assert.match(so.spec.triggers[0].metadata.serverAddress, /^https:\/\/.+prometheus\.monitor\.azure\.com$/);
        assert.equal(so.spec.scaleTargetRef.name, (one(resources, T.deployment).inputs.metadata as Record<string, unknown>).name);
        // Negative control: the schema refuses a trigger without its type.
        const broken = JSON.parse(JSON.stringify(so));
        delete broken.spec.triggers[0].type;
        assert.throws(() => new ScaledObject(broken).validate());
    });

    it("federates the KEDA operator's service account, not another", () => {
        const fed = resources.filter((r) => r.type === T.federation).map((r) => r.inputs.subject);
        assert.ok(fed.includes("system:serviceaccount:kube-system:keda-operator"), JSON.stringify(fed));
    });

    it("bounds KEDA by the replicas the GPU nodes hold, less the on-demand floor", () => {
        assert.deepEqual(scaledReplicaBounds({ replicas: 2, nodes: { min: 1, max: 2 }, onDemandBase: 0, onDemandFallback: 0 }), { min: 2, max: 2 });
        assert.deepEqual(scaledReplicaBounds({ replicas: 2, nodes: { min: 1, max: 5 }, onDemandBase: 0, onDemandFallback: 0 }), { min: 2, max: 5 });
        assert.deepEqual(scaledReplicaBounds({ replicas: 3, nodes: { min: 1, max: 6 }, onDemandBase: 1, onDemandFallback: 1 }), { min: 2, max: 5 });
        const so = one(resources, T.scaledObject).inputs as Record<string, any>;
        assert.equal(so.spec.maxReplicaCount, AKS.nodes.max);
    });

    it("passes model-server-observability with notification targets, and blocks it without (negative control)", async () => {
        assertNoViolations(await runStackPolicy(modelServerObservability, resources));
        const reported = await runStackPolicy(modelServerObservability, silent);
        assert.ok(reported.some((r) => r.message.includes("no alert routes anywhere")), JSON.stringify(reported));
    });

    it("blocks the stack when the PodMonitor is gone (negative control: scraping is what is checked)", async () => {
        const reported = await runStackPolicy(modelServerObservability, resources.filter((r) => r.type !== T.podMonitor));
        assert.ok(reported.some((r) => r.message.includes("metrics are not collected")), JSON.stringify(reported));
    });

    it("prices ingestion on the workspace and rule evaluation on the rule group", () => {
        const est = estimateCosts(asCost(resources), { usage: { metricSamplesMillions: 40 } } as never);
        const ws = est.lines.find((l) => l.sku === "azure-prometheus-samples");
        const rules = est.lines.find((l) => l.sku === "azure-prometheus-query-samples");
        assert.ok(ws && rules, JSON.stringify(est.lines.map((l) => l.sku)));
        assert.equal(ws.worstCaseMonthlyUsd, 0.64);
        assert.equal(rules.worstCaseMonthlyUsd, 0.02);
    });
});

describe("the pack reads a KEDA ScaledObject's bounds (bounded-scaling, tokens)", function () {
    this.timeout(120_000);
    let resources: PlannedResource[];
    before(async () => {
        ({ resources } = await plan(stackFrom({ tags: TEST_TAGS, targets: { aksGpu: { ...AKS, nodes: { min: 1, max: 2 } } }, notifications: NOTIFY }, SECRETS)));
    });
    const withSo = (fn: (i: Record<string, any>) => void) => resources.map((r) => (r.type === T.scaledObject ? mutated(r, fn as never) : r));

    it("passes bounded-scaling with maxReplicaCount set", async () => {
        assertNoViolations(await runStackPolicy(boundedScaling, resources));
    });

    it("blocks a ScaledObject without maxReplicaCount (KEDA's default would be 100)", async () => {
        const stack = withSo((i) => delete i.spec.maxReplicaCount);
        const so = stack.find((r) => r.type === T.scaledObject)!;
        assertOneViolation(await runStackPolicy(boundedScaling, stack), ["maxReplicaCount", "100"], so.urn);
    });

    it("blocks a ScaledObject whose minimum is above its maximum", async () => {
        assertOneViolation(await runStackPolicy(boundedScaling, withSo((i) => (i.spec.minReplicaCount = 5))), ["minReplicaCount 5", "maxReplicaCount 2"]);
    });

    it("takes the Deployment's replicas from the ScaledObject, still capped by the priced nodes", () => {
        const capOf = (rs: Parameters<typeof asCost>[0]) => {
            const est = estimateCosts(asCost(rs));
            return targetCapacities(asCost(rs), est).find((c) => c.componentType === "llm-serving:azure:AksGpuNodePool")!;
        };
        const base = capOf(resources);
        assert.equal(base.replicasMax, 2);
        assert.match(base.basis, /aks-gpu-scaled-object replicas/);
        // A larger KEDA maximum cannot claim more replicas than the 2 priced nodes hold.
        assert.equal(capOf(withSo((i) => (i.spec.maxReplicaCount = 10))).replicasMax, 2);
        // Negative control: a smaller maximum lowers the claim (the ScaledObject is what is read).
        assert.equal(capOf(withSo((i) => (i.spec.maxReplicaCount = 1, i.spec.minReplicaCount = 1))).replicasMax, 1);
    });

    it("builds Azure rules with one action per action group (none when the stack has none)", () => {
        const rule = alertRules("vllm", azurePodMonitorSelector("model-server", "llm"), DEFAULT_OBSERVABILITY)[0];
        assert.equal(azurePrometheusRule(rule, ["/ag/1", "/ag/2"]).actions.length, 2);
        assert.deepEqual(azurePrometheusRule(rule, []).actions, []);
        assert.equal(azurePrometheusRule(rule, []).for, "PT5M");
    });
});

describe("aksGpu observability with serverKind llamacpp: llama.cpp's names, KEDA on requests deferred + processing", function () {
    this.timeout(120_000);
    const LLAMA = { ...AKS, spot: false, spotMaxPrice: undefined, serverKind: "llamacpp", llamaCpp: { vmSize: "Standard_D8s_v5", parallel: 2, threads: 8 }, nodes: { min: 2, max: 3 }, replicas: 2, osDiskSizeGb: 64 };
    let resources: PlannedResource[];
    before(async () => {
        ({ resources } = await plan(stackFrom({ model: { id: "mistralai/Mistral-7B-Instruct-v0.2", servedName: "mistral-7b", maxModelLen: 8192 }, tags: TEST_TAGS, targets: { aksGpu: LLAMA }, notifications: NOTIFY }, SECRETS)));
    });

    it("scrapes the llama.cpp pods with the PodMonitor, and llama-server runs with --metrics", () => {
        const pm = one(resources, T.podMonitor).inputs as Record<string, any>;
        assert.equal(pm.spec.podMetricsEndpoints[0].path, "/metrics");
        assert.deepEqual(pm.spec.selector.matchLabels, selectorLabels("model-server"));
        const server = ((one(resources, T.deployment).inputs.spec as any).template.spec.containers as Array<{ image: string; args: string[] }>).find((c) => c.image.includes("llama.cpp"))!;
        assert.ok(server.args.includes("--metrics"), JSON.stringify(server.args));
    });

    it("three alerts on llama.cpp's names and `up`, routed; no KV-cache or TTFT alert", () => {
        const rules = one(resources, T.rules).inputs.rules as Array<{ alert: string; expression: string }>;
        assert.deepEqual(rules.map((r) => r.alert), ["no-healthy-replica", "queue-waiting", "eviction-burst"]);
        const names = new Set([...exportedMetricNames("llamacpp"), ...SCRAPER_METRICS]);
        for (const r of rules) for (const m of r.expression.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)) assert.ok(names.has(m[1]), `${m[1]} in ${r.expression}`);
        assert.match(rules[1].expression, /^avg\(llamacpp:requests_deferred\{/);
    });

    it("KEDA scales the Deployment on llama.cpp's requests in flight, aiming for its --parallel slots, within what the CPU pool holds; validates", async () => {
        const { ScaledObject } = await kedaModels();
        const so = one(resources, T.scaledObject).inputs as Record<string, any>;
        new ScaledObject(so as never).validate();
        const trigger = so.spec.triggers[0];
        assert.equal(trigger.metadata.query, `sum(llamacpp:requests_processing{${azurePodMonitorSelector("model-server", "llm-serving")}}) + sum(llamacpp:requests_deferred{${azurePodMonitorSelector("model-server", "llm-serving")}})`);
        assert.equal(trigger.metadata.threshold, "2");
        // One 4-vCPU pod per D8s_v5, nodes.max 3.
        assert.deepEqual([so.spec.minReplicaCount, so.spec.maxReplicaCount], [2, 3]);
        assert.deepEqual(scaledReplicaBounds({ replicas: 2, nodes: { min: 1, max: 3 }, onDemandBase: 0, onDemandFallback: 0 }, 2), { min: 2, max: 6 });
    });

    it("a dashboard with llama.cpp's panels and the CPU nodes' cost rate; model-server-observability passes", async () => {
        const json = JSON.parse(String((one(resources, "azure-native:dashboard:DashboardDefinition").inputs.properties as { serializedData: string }).serializedData)) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
        assert.equal(json.panels.length, 6);
        assert.ok(json.panels.every((p) => !p.targets[0].expr.includes("vllm:")));
        assert.match(json.panels[5].title, /Standard_D8s_v5 on-demand, 1 pod\(s\) each at \$0\.3840\/h/);
        assertNoViolations(await runStackPolicy(modelServerObservability, resources));
    });

    it("negative control: the same pods without --metrics are reported uncollected, though the PodMonitor is there", async () => {
        const off = resources.map((r) =>
            r.type === T.deployment
                ? mutated(r, (i) => {
                      for (const c of (i.spec as any).template.spec.containers as Array<{ args?: string[] }>) if (c.args) c.args = c.args.filter((a) => a !== "--metrics");
                  })
                : r,
        );
        assertOneViolation(await runStackPolicy(modelServerObservability, off), ["without --metrics"]);
    });
});

describe("the showcase stack's plan: aksGpu's llama.cpp server is collected, alerted on and scaled (issue #18)", function () {
    this.timeout(300_000);
    it("has the PodMonitor, the rule group on llama.cpp's names, the dashboard and the ScaledObject; the policy is mandatory and passes", async () => {
        let out = "";
        const code = await main(["--stack", "showcase", "--json"], (s) => (out += s), () => undefined);
        assert.equal(code, EXIT.ok);
        const report = JSON.parse(out) as { resources: Array<{ type: string; urn: string; inputs?: Record<string, any> }> };
        const named = (type: string, name: string) => report.resources.filter((r) => r.type === type && r.urn.endsWith(`::${name}`));
        assert.equal(named(T.podMonitor, "aks-gpu-pod-monitor").length, 1);
        assert.equal(named(T.workspace, "aks-gpu-amw").length, 1);
        assert.equal(named("azure-native:dashboard:DashboardDefinition", "aks-gpu-dashboard-definition").length, 1);
        const rules = JSON.stringify(named(T.rules, "aks-gpu-alerts")[0]);
        assert.match(rules, /llamacpp:requests_deferred/);
        assert.doesNotMatch(rules, /vllm:/);
        const so = JSON.stringify(named(T.scaledObject, "aks-gpu-scaled-object")[0]);
        assert.match(so, /llamacpp:requests_processing/);
        // Exit 0 with the policy mandatory: no model-server-observability violation in the stack.
        const levels = JSON.parse(readFileSync("policies/config/showcase.json", "utf8")) as Record<string, unknown>;
        assert.equal(levels["model-server-observability"], "mandatory");
    });
});
