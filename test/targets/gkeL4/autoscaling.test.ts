import { strict as assert } from "node:assert";
import { exportedMetricNames } from "../../../components/observability/signals";
import metricsData from "../../../components/observability/metrics.data.json";
import { DEFAULT_OBSERVABILITY, targetInFlight } from "../../../config/observability";
import { gmpCustomMetric, METRICS_ADAPTER_IMAGE, metricsAdapterObjects, modelServerHpa, PRIVATE_CONTROL_PLANE_PORTS, scaleOnWaitingPerReplica } from "../../../targets/gkeL4/autoscaling";
import { one, plan, stackFrom, TEST_TAGS } from "../../helpers/program";
import { GKE } from "./fixtures";

/** kubernetes-models is ESM-only here too: loaded with a dynamic import. */
async function hpaModel() {
    const { HorizontalPodAutoscaler } = await import("kubernetes-models/autoscaling/v2");
    return HorizontalPodAutoscaler;
}

const ARGS = { name: "model-server", namespace: "llm", deployment: "model-server", minReplicas: 2, maxReplicas: 3, runningPerReplica: 25, waitingPerReplica: 2 };

describe("gkeL4 autoscaling on vLLM's queue (HPA validated against kubernetes-models autoscaling/v2)", function () {
    this.timeout(120_000);

    it("is a valid HPA on the Deployment, on two Managed Prometheus gauges vLLM v0.11.0 exports", async () => {
        const HPA = await hpaModel();
        const hpa = modelServerHpa(ARGS);
        new HPA(hpa as never).validate();
        assert.deepEqual(hpa.spec.scaleTargetRef, { apiVersion: "apps/v1", kind: "Deployment", name: "model-server" });
        const names = hpa.spec.metrics.map((m) => m.pods.metric.name);
        assert.deepEqual(names, ["prometheus.googleapis.com|vllm:num_requests_running|gauge", "prometheus.googleapis.com|vllm:num_requests_waiting|gauge"]);
        for (const n of names) {
            const metric = n.split("|")[1];
            assert.ok(exportedMetricNames("vllm").has(metric) && metricsData.servers.vllm.gauges.includes(metric), metric);
        }
        assert.deepEqual(hpa.spec.metrics.map((m) => m.pods.target), [{ type: "AverageValue", averageValue: "25" }, { type: "AverageValue", averageValue: "2" }]);
    });

    it("negative controls: the schema refuses a bad target type; the builder refuses min above max", async () => {
        const HPA = await hpaModel();
        const hpa = modelServerHpa(ARGS);
        const bad = { ...hpa, spec: { ...hpa.spec, metrics: [{ ...hpa.spec.metrics[0], pods: { ...hpa.spec.metrics[0].pods, target: { type: 42 } } }] } };
        assert.throws(() => new HPA(bad as never).validate());
        assert.throws(() => modelServerHpa({ ...ARGS, minReplicas: 4 }), /need 1 <= min <= max/);
        assert.equal(gmpCustomMetric("vllm:num_requests_waiting", "gauge"), "prometheus.googleapis.com|vllm:num_requests_waiting|gauge");
    });

    it("thresholds come from llm-serving:observability: the L4's saturated figure and half the queue that pages", () => {
        assert.equal(targetInFlight(DEFAULT_OBSERVABILITY, "NVIDIA L4", 1), 25);
        assert.equal(scaleOnWaitingPerReplica(DEFAULT_OBSERVABILITY), 2);
        assert.equal(scaleOnWaitingPerReplica({ queueWaitingPerReplica: 1 }), 1);
        assert.equal(scaleOnWaitingPerReplica({ queueWaitingPerReplica: 9 }), 4);
    });

    it("the metrics adapter runs its pinned image non-root, read-only, with no capabilities", () => {
        const dep = metricsAdapterObjects().find((o) => o.kind === "Deployment")!;
        const pod = dep.spec.template.spec;
        assert.match(METRICS_ADAPTER_IMAGE, /:v\d+\.\d+\.\d+-gke\.\d+$/);
        assert.equal(pod.containers[0].image, METRICS_ADAPTER_IMAGE);
        assert.equal(pod.securityContext.runAsNonRoot, true);
        assert.equal(pod.containers[0].securityContext.readOnlyRootFilesystem, true);
        assert.deepEqual(pod.containers[0].securityContext.capabilities, { drop: ["ALL"] });
        const svc = metricsAdapterObjects().find((o) => o.kind === "Service")!;
        assert.equal(svc.spec.ports[0].targetPort, pod.containers[0].ports[0].containerPort);
        assert.equal(metricsAdapterObjects().filter((o) => o.kind === "APIService").length, 3);
    });

    it("the adapter serves on a port a private cluster's control plane can reach (443 or 10250), non-root", () => {
        // GKE's default firewall lets a private cluster's control plane reach nodes on 443 and 10250
        // only (private-clusters docs); the API server calls the aggregated API at pod IP:targetPort.
        const dep = metricsAdapterObjects().find((o) => o.kind === "Deployment")!;
        const c = dep.spec.template.spec.containers[0];
        const flag = (c.command as string[]).find((a) => a.startsWith("--secure-port="))!;
        const port = Number(flag.split("=")[1]);
        assert.ok(PRIVATE_CONTROL_PLANE_PORTS.includes(port), `--secure-port=${port}`);
        assert.ok(port > 1024, "non-root can bind it");
        assert.equal(c.ports[0].containerPort, port);
        const svc = metricsAdapterObjects().find((o) => o.kind === "Service")!;
        assert.equal(svc.spec.ports[0].targetPort, port);
        assert.equal(svc.spec.ports[0].port, 443);
        // Negative control: the former 6443 is not reachable.
        assert.ok(!PRIVATE_CONTROL_PLANE_PORTS.includes(6443));
    });

    it("the plan: an HPA bounded by the pool (replicas..nodes.max), the adapter, its monitoring.viewer grant", async () => {
        const { resources } = await plan(stackFrom({ tags: TEST_TAGS, targets: { gkeL4: GKE } }));
        const hpa = one(resources, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
        const spec = hpa.inputs.spec as { minReplicas: number; maxReplicas: number };
        assert.equal(spec.minReplicas, GKE.replicas);
        assert.equal(spec.maxReplicas, GKE.nodes.max);
        assert.ok(resources.some((r) => r.type === "gcp:projects/iAMMember:IAMMember" && r.inputs.role === "roles/monitoring.viewer"));
        assert.ok(resources.some((r) => r.type === "kubernetes:apiregistration.k8s.io/v1:APIService"));
    });
});
