import assert from "node:assert/strict";
import { estimateCosts } from "../../../policies/cost/estimate";
import { GCP_MONITORING } from "../../../policies/model/gcp/monitoring";
import { kindOf } from "../../../policies/model";
import { resource } from "./fixtures";

describe("GCP alerting and dashboards are priced", () => {
    it("an alert policy: $1.50 per condition, and the series its condition returns once a minute", () => {
        const p = resource(GCP_MONITORING.alertPolicy, "alert", { conditions: [{ displayName: "a" }, { displayName: "b" }] });
        const est = estimateCosts([p]);
        // 2 x $1.50; 2 x 43,800 evaluations = 0.0876 M series x $0.35 = $0.03
        assert.deepEqual(est.lines.map((l) => [l.kind, l.sku, l.countMax, l.worstCaseMonthlyUsd]), [
            ["fixed", "gcp-alert-condition", 2, 3],
            ["usage", "gcp-alert-time-series", 0.0876, 0.03],
        ]);
    });

    it("a dashboard is free; it carries the Managed Prometheus samples of its target at the assumed volume", () => {
        const d = resource(GCP_MONITORING.dashboard, "dash", { dashboardJson: "{}" });
        const est = estimateCosts([d], { usage: { metricSamplesMillions: 40 } });
        // 40 M samples x $0.06
        assert.deepEqual(est.lines.map((l) => [l.kind, l.sku, l.worstCaseMonthlyUsd]), [["usage", "gcp-prometheus-samples", 2.4]]);
        // Without a stated volume the line is still shown, at $0, so a reviewer sees what the cap leaves out.
        assert.deepEqual(estimateCosts([d]).lines.map((l) => l.worstCaseMonthlyUsd), [0]);
    });

    it("both types have kinds (a type no kind knows would be reported unpriced)", () => {
        assert.equal(kindOf(GCP_MONITORING.alertPolicy)?.name, "gcp-alert-policy");
        assert.equal(kindOf(GCP_MONITORING.dashboard)?.name, "gcp-dashboard");
        assert.equal(kindOf("gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig"), undefined);
    });
});
