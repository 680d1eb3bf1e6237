import { strict as assert } from "node:assert";
import { PlannedResource } from "../../../plan/mocks";
import { estimateCosts } from "../../../policies/cost/estimate";
import { findPrice } from "../../../policies/cost/catalog";
import { AML_METRICS, amlAlerts, DEPLOYMENT_METRICS_NAMESPACE, ENDPOINT_METRICS_NAMESPACE } from "../../../targets/azureMl/alerts";
import { AML_METRIC_NAMESPACES, amlDashboardPanels, amlGrafanaDashboardJson, amlPanelMetrics, AmlPanel, unknownPlatformMetrics } from "../../../targets/azureMl/dashboard";
import platformMetrics from "../../../components/observability/azurePlatformMetrics.data.json";
import { pricedResourcesOnly } from "../../../policies/rules/pricedResourcesOnly";
import { runStackPolicy } from "../../helpers/policyArgs";
import { plan, stackFrom, TEST_TAGS } from "../../helpers/program";
import { AML, SECRETS } from "../../components/azure/fixtures";

const DASHBOARD = "azure-native:dashboard:Dashboard";
const DEFINITION = "azure-native:dashboard:DashboardDefinition";

interface Target {
    queryType: string;
    azureMonitor: { resources: Array<{ subscription: string; resourceGroup: string; metricNamespace: string; resourceName: string }>; metricNamespace: string; metricName: string; dimensionFilters: Array<{ dimension: string }> };
}
interface GrafanaPanel {
    title: string;
    fieldConfig: { defaults: { unit: string } };
    targets: Target[];
    transformations: Array<{ id: string; options: { binary: { left: string; operator: string; right: string } } }>;
}

/** The metrics a dashboard JSON reads, as the portal's Azure Monitor data source would query them. */
function readsOf(json: string) {
    const panels = (JSON.parse(json) as { panels: GrafanaPanel[] }).panels;
    return panels.flatMap((p) =>
        p.targets.map((t) => ({ namespace: t.azureMonitor.metricNamespace, metric: t.azureMonitor.metricName, splitBy: t.azureMonitor.dimensionFilters[0]?.dimension })),
    );
}

describe("azureMl dashboard (issue #18): Azure Monitor dashboard with Grafana over the platform metrics", function () {
    this.timeout(120_000);
    let resources: PlannedResource[];
    before(async () => {
        ({ resources } = await plan(stackFrom({ tags: TEST_TAGS, targets: { azureMl: AML }, notifications: { emails: ["oncall@example.com"] } }, SECRETS)));
    });

    it("declares one dashboard and its definition, in the target's resource group, and prices it free", () => {
        const boards = resources.filter((r) => r.type === DASHBOARD);
        const defs = resources.filter((r) => r.type === DEFINITION);
        assert.equal(boards.length, 1);
        assert.equal(defs.length, 1);
        const group = resources.find((r) => r.type === "azure-native:resources:ResourceGroup")!;
        assert.ok((boards[0].propertyDependencies.resourceGroupName ?? []).includes(group.urn));
        // Free (policies/model/azure/monitoring.ts: azure-grafana-dashboard): no cost line, and priced-resources-only passes.
        const est = estimateCosts(resources.map((r) => ({ ...r, props: r.inputs })));
        assert.deepEqual(est.lines.filter((l) => l.resourceType === DASHBOARD || l.resourceType === DEFINITION), []);
        assert.deepEqual(est.issues.filter((i) => JSON.stringify(i).includes("dashboard")), []);
    });

    it("priced-resources-only passes with the dashboard in the stack", async () => {
        assert.deepEqual(await runStackPolicy(pricedResourcesOnly, resources), []);
    });

    it("its queries read the endpoint, the deployment and the autoscale setting by their resource names", () => {
        const def = resources.find((r) => r.type === DEFINITION)!;
        const json = (def.inputs.properties as { serializedData: string }).serializedData;
        const panels = (JSON.parse(json) as { panels: GrafanaPanel[] }).panels;
        const names = new Set(panels.flatMap((p) => p.targets.map((t) => `${t.azureMonitor.metricNamespace} ${t.azureMonitor.resources[0].resourceName}`)));
        const endpoint = resources.find((r) => r.type === "azure-native:machinelearningservices:OnlineEndpoint")!;
        const workspace = resources.find((r) => r.type === "azure-native:machinelearningservices:Workspace")!;
        assert.ok(endpoint && workspace);
        for (const n of names) assert.match(n, /^(Microsoft\.MachineLearningServices\/workspaces\/onlineEndpoints(\/deployments)? \S+\/\S+|Microsoft\.Insights\/autoscalesettings \S+)$/, n);
        // Nested names follow the namespace's types: workspace/endpoint for the endpoint, /deployment below it.
        const deploymentName = [...names].find((n) => n.startsWith(`${DEPLOYMENT_METRICS_NAMESPACE} `))!.split(" ")[1];
        const endpointName = [...names].find((n) => n.startsWith(`${ENDPOINT_METRICS_NAMESPACE} `))!.split(" ")[1];
        assert.equal(deploymentName, `${endpointName}/vllm`);
        for (const t of panels.flatMap((p) => p.targets)) assert.equal(t.queryType, "Azure Monitor");
        // Every metric it names is one Azure Monitor publishes for that resource type.
        assert.deepEqual(unknownPlatformMetrics(readsOf(json)), []);
    });

    it("shows the golden signals Azure ML exposes and a cost rate of instances x the catalog price", () => {
        const panels = amlDashboardPanels(AML);
        const titles = panels.map((p) => p.title).join(" | ");
        for (const signal of [/Requests per minute/, /errors: 4xx, 5xx/, /latency p50 \/ p95/, /GPU utilization/, /GPU memory/, /Instances/, /Cost rate/]) assert.match(titles, signal);
        const price = findPrice("azure", AML.location, AML.instanceType);
        assert.ok(price);
        const json = amlGrafanaDashboardJson("t", panels, { subscription: "s", resourceGroup: "g", region: AML.location, workspace: "w", endpoint: "e", deployment: "vllm", autoscale: "a" });
        const cost = (JSON.parse(json) as { panels: GrafanaPanel[] }).panels.at(-1)!;
        assert.equal(cost.fieldConfig.defaults.unit, "currencyUSD");
        assert.equal(cost.targets[0].azureMonitor.metricName, "ObservedCapacity");
        assert.deepEqual(cost.transformations.map((t) => t.options.binary), [{ left: "instances", operator: "*", right: String(price.onDemandHourlyUsd) }]);
        // Negative control: an instance type the catalog does not price gives no dashboard, not a $0 rate.
        assert.throws(() => amlDashboardPanels({ location: AML.location, instanceType: "Standard_Nope" }), /no catalog price/);
    });

    it("the metric list: every name the dashboard and the alerts use is on Microsoft's pages for its resource type", () => {
        assert.deepEqual(unknownPlatformMetrics(amlPanelMetrics(amlDashboardPanels(AML))), []);
        const alertReads = amlAlerts().map((a) => ({ namespace: a.on === "deployment" ? DEPLOYMENT_METRICS_NAMESPACE : ENDPOINT_METRICS_NAMESPACE, metric: a.metricName }));
        assert.deepEqual(unknownPlatformMetrics(alertReads), []);
        for (const m of AML_METRICS.deployment) assert.deepEqual(unknownPlatformMetrics([{ namespace: DEPLOYMENT_METRICS_NAMESPACE, metric: m }]), []);
        for (const m of AML_METRICS.endpoint) assert.deepEqual(unknownPlatformMetrics([{ namespace: ENDPOINT_METRICS_NAMESPACE, metric: m }]), []);
        // Each list names its page and when it was read.
        for (const ns of Object.values(AML_METRIC_NAMESPACES)) {
            const entry = (platformMetrics.namespaces as Record<string, { provenance: { url: string; read: string } }>)[ns];
            assert.match(entry.provenance.url, /^https:\/\/learn\.microsoft\.com\/azure\/azure-monitor\/reference\/supported-metrics\//);
            assert.match(entry.provenance.read, /^\d{4}-\d{2}-\d{2}$/);
        }
    });

    it("negative controls: an invented metric, another resource's metric and a dimension the metric lacks are caught", () => {
        const bad: AmlPanel = { title: "bad", unit: "short", queries: [{ on: "deployment", metric: "QueueDepth", aggregation: "Average", alias: "q" }] };
        assert.deepEqual(unknownPlatformMetrics(amlPanelMetrics([...amlDashboardPanels(AML), bad])), [`${DEPLOYMENT_METRICS_NAMESPACE}:QueueDepth`]);
        // RequestLatency (the average) is the endpoint's only; the deployment publishes percentiles.
        assert.deepEqual(unknownPlatformMetrics([{ namespace: DEPLOYMENT_METRICS_NAMESPACE, metric: "RequestLatency" }]), [`${DEPLOYMENT_METRICS_NAMESPACE}:RequestLatency`]);
        // The deployment's RequestsPerMinute splits by envoy_response_code, not statusCodeClass.
        assert.deepEqual(unknownPlatformMetrics([{ namespace: DEPLOYMENT_METRICS_NAMESPACE, metric: "RequestsPerMinute", splitBy: "statusCodeClass" }]), [`${DEPLOYMENT_METRICS_NAMESPACE}:RequestsPerMinute by statusCodeClass`]);
    });
});
