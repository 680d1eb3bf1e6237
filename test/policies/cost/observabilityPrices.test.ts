import assert from "node:assert/strict";
import { estimateCosts } from "../../../policies/cost/estimate";
import { AZURE_MONITORING } from "../../../policies/model/azure/monitoring";
import { HPA } from "../../../policies/model/kubernetes/observability";
import { kindOf } from "../../../policies/model";
import { UNKNOWN, asPreview, resource } from "./fixtures";

const gmp = (name: string) => ({ type: "Pods", pods: { metric: { name: `prometheus.googleapis.com|${name}|gauge` }, target: { type: "AverageValue", averageValue: "2" } } });

describe("issue #18's new types are priced (gkeL4's HPA reads, Azure Monitor dashboards with Grafana)", () => {
    it("an HPA on Managed Prometheus gauges: the series its adapter reads at every sync, as Monitoring API reads", () => {
        const h = resource(HPA, "hpa", { spec: { minReplicas: 2, maxReplicas: 3, metrics: [gmp("vllm:num_requests_running"), gmp("vllm:num_requests_waiting")] } });
        const est = estimateCosts([h]);
        // 2 metrics x 3 pods x 4 reads a minute x 43,800 minutes = 1,051,200 series = 1.0512 M x $0.50 = $0.53
        assert.deepEqual(est.lines.map((l) => [l.kind, l.sku, l.countMax, l.worstCaseMonthlyUsd]), [["usage", "gcp-monitoring-read-series", 1.0512, 0.53]]);
        assert.deepEqual(est.issues, []);
    });

    it("negative controls: an HPA on CPU reads nothing billed; one whose maxReplicas is unknown is reported, not priced at $0", () => {
        const cpu = resource(HPA, "cpu", { spec: { maxReplicas: 3, metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } }] } });
        assert.deepEqual(estimateCosts([cpu]).lines, []);
        const unknown = asPreview(resource(HPA, "u", { spec: { maxReplicas: UNKNOWN, metrics: [gmp("vllm:num_requests_waiting")] } }));
        const est = estimateCosts([unknown]);
        assert.deepEqual([est.lines, est.issues.map((i) => [i.kind, i.field])], [[], [["unknown", "spec.maxReplicas"]]]);
    });

    it("a Grafana dashboard in the portal and its definition are free: a kind, no line", () => {
        for (const type of [AZURE_MONITORING.grafanaDashboard, AZURE_MONITORING.grafanaDashboardDefinition]) {
            assert.equal(kindOf(type)?.name, "azure-grafana-dashboard");
            const est = estimateCosts([resource(type, "d", { resourceGroupName: "rg", location: "eastus" })]);
            assert.deepEqual([est.lines, est.issues], [[], []]);
        }
        // Azure Managed Grafana bills per instance hour: no kind, so the pack fails closed on it.
        assert.equal(kindOf("azure-native:dashboard:Grafana"), undefined);
    });
});
