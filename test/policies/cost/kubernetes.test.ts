import assert from "node:assert/strict";
import { estimateCosts } from "../../../policies/cost/estimate";
import { KUBERNETES_SERVICE } from "../../../policies/cost/kubernetes";
import { UNKNOWN, asPreview, cents, resource } from "./fixtures";

const service = (spec: Record<string, unknown>, annotations?: Record<string, string>) =>
    resource(KUBERNETES_SERVICE, "svc", { apiVersion: "v1", kind: "Service", metadata: { name: "svc", ...(annotations ? { annotations } : {}) }, spec });

describe("cost/kubernetes: LoadBalancer Services", () => {
    it("prices an AKS LoadBalancer Service as the public IP AKS gives it", () => {
        const est = estimateCosts([service({ type: "LoadBalancer" }, { "llm-serving.dev/cloud": "azure", "llm-serving.dev/region": "eastus" })]);
        assert.deepEqual(est.issues, []);
        // The IP (fixed), then the LB's data processing and the egress at the assumed volumes (0 by default: $0 lines).
        assert.deepEqual(est.lines.map((l) => [l.kind, l.sku, l.region]), [["fixed", "azure-standard-public-ip", "eastus"], ["usage", "azure-lb-processed", "eastus"], ["usage", "azure-internet-egress", "eastus"]]);
        assert.equal(est.worstCaseMonthlyUsd, cents(0.005 * 730));
        // At 100 GB each: 100 x 0.005 + 100 x 0.087 = 0.50 + 8.70 on top of the IP's 3.65.
        const used = estimateCosts([service({ type: "LoadBalancer" }, { "llm-serving.dev/cloud": "azure", "llm-serving.dev/region": "eastus" })], { usage: { loadBalancerProcessedGb: 100, internetEgressGb: 100 } });
        assert.equal(used.worstCaseMonthlyUsd, cents(3.65 + 0.5 + 8.7));
    });

    it("prices a GKE LoadBalancer Service as a forwarding rule", () => {
        const est = estimateCosts([service({ type: "LoadBalancer" }, { "llm-serving.dev/cloud": "gcp" })]);
        assert.equal(est.worstCaseMonthlyUsd, cents(0.025 * 730));
    });

    it("fails closed on a LoadBalancer Service it cannot attribute to a cloud, or an AWS one", () => {
        for (const annotations of [undefined, { "llm-serving.dev/cloud": "aws" }]) {
            const est = estimateCosts([service({ type: "LoadBalancer" }, annotations)]);
            assert.deepEqual(est.issues.map((i) => [i.kind, i.field]), [["unpriced", "metadata.annotations.llm-serving.dev/cloud"]]);
            assert.equal(est.lines.length, 0);
        }
    });

    it("charges nothing for ClusterIP and NodePort Services", () => {
        for (const type of [undefined, "ClusterIP", "NodePort"]) {
            const est = estimateCosts([service(type ? { type } : {})]);
            assert.deepEqual([est.lines, est.issues, est.baselineMonthlyUsd, est.worstCaseMonthlyUsd], [[], [], 0, 0]);
        }
    });

    it("reports a Service type unknown at preview instead of guessing", () => {
        const est = estimateCosts([asPreview(service({ type: UNKNOWN }))]);
        assert.deepEqual(est.issues.map((i) => i.kind), ["unknown"]);
    });
});
