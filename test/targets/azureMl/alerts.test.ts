import { strict as assert } from "node:assert";
import { PlannedResource } from "../../../plan/mocks";
import { modelServerObservability } from "../../../policies/rules/modelServerObservability";
import { estimateCosts } from "../../../policies/cost/estimate";
import { AML_METRICS, amlAlerts, metricAlertArgs } from "../../../targets/azureMl/alerts";
import { DEFAULT_OBSERVABILITY } from "../../../config/observability";
import { runStackPolicy } from "../../helpers/policyArgs";
import { plan, stackFrom, TEST_TAGS } from "../../helpers/program";
import { AML, SECRETS } from "../../components/azure/fixtures";

const ALERT = "azure-native:monitor:MetricAlert";
const DEPLOYMENT = "azure-native:machinelearningservices:OnlineDeployment";
const ENDPOINT = "azure-native:machinelearningservices:OnlineEndpoint";

describe("azureMl metric alerts (issue #18)", function () {
    this.timeout(120_000);
    let resources: PlannedResource[];
    let silent: PlannedResource[];
    before(async () => {
        ({ resources } = await plan(stackFrom({ tags: TEST_TAGS, targets: { azureMl: AML }, notifications: { emails: ["oncall@example.com"] } }, SECRETS)));
        ({ resources: silent } = await plan(stackFrom({ tags: TEST_TAGS, targets: { azureMl: AML } }, SECRETS)));
    });

    it("alerts on the deployment's and the endpoint's platform metrics, each routed to the action group", () => {
        const alerts = resources.filter((r) => r.type === ALERT);
        assert.equal(alerts.length, 4);
        const deployment = resources.find((r) => r.type === DEPLOYMENT)!;
        const endpoint = resources.find((r) => r.type === ENDPOINT)!;
        for (const a of alerts) {
            const criteria = (a.inputs.criteria as any).allOf as any[];
            const scopeDeps = a.propertyDependencies.scopes ?? [];
            const on = scopeDeps.includes(deployment.urn) ? "deployment" : scopeDeps.includes(endpoint.urn) ? "endpoint" : "none";
            assert.notEqual(on, "none", a.name);
            // Every metric named is one Azure ML publishes for the resource it watches.
            for (const c of criteria) assert.ok((AML_METRICS[on as "deployment" | "endpoint"] as readonly string[]).includes(c.metricName), `${a.name}: ${c.metricName}`);
            assert.equal((a.inputs.actions as unknown[]).length, 1, a.name);
        }
    });

    it("negative control: a metric of the other resource is not accepted for this one", () => {
        assert.ok(!(AML_METRICS.endpoint as readonly string[]).includes("GpuUtilizationPercentage"));
        assert.ok(!(AML_METRICS.deployment as readonly string[]).includes("RequestLatency"));
    });

    it("passes model-server-observability with notification targets and blocks it without", async () => {
        const ok = await runStackPolicy(modelServerObservability, resources);
        assert.deepEqual(ok, []);
        const reported = await runStackPolicy(modelServerObservability, silent);
        assert.ok(reported.some((r) => r.message.includes("no alert routes anywhere")), JSON.stringify(reported));
        assert.equal(reported.filter((r) => r.message.includes("this alert notifies no one")).length, 4);
    });

    it("prices each alert at $0.10 per monitored series a month", () => {
        const est = estimateCosts(resources.map((r) => ({ ...r, props: r.inputs })));
        const lines = est.lines.filter((l) => l.sku === "azure-metric-alert-series");
        assert.equal(lines.length, 4);
        assert.equal(lines.reduce((s, l) => s + l.worstCaseMonthlyUsd, 0), 0.4);
    });

    it("builds thresholds from the stack's observability config", () => {
        const mem = amlAlerts({ ...DEFAULT_OBSERVABILITY, kvCacheUsage: 0.8 }).find((a) => a.id === "gpu-memory-full")!;
        assert.equal(mem.threshold, 80);
        const args = metricAlertArgs(amlAlerts()[0], "/scope", []);
        assert.deepEqual(args.actions, []);
        assert.equal(args.criteria.allOf[0].metricName, "DeploymentCapacity");
    });
});
