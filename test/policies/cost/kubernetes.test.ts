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
        assert.deepEqual(est.lines.map((l) => [l.sku, l.region]), [["azure-standard-public-ip", "eastus"]]);
        assert.equal(est.worstCaseMonthlyUsd, cents(0.005 * 730));
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
        for (const type of [undefined, "ClusterIP", "NodePort"]) assert.deepEqual(estimateCosts([service(type ? { type } : {})]), { lines: [], issues: [], baselineMonthlyUsd: 0, worstCaseMonthlyUsd: 0 });
    });

    it("reports a Service type unknown at preview instead of guessing", () => {
        const est = estimateCosts([asPreview(service({ type: UNKNOWN }))]);
        assert.deepEqual(est.issues.map((i) => i.kind), ["unknown"]);
    });
});
