import { costLabels } from "../../components/costLabels";
import { domainNeedsCertificate, publicPlaintextProblems } from "../../config/endpointTls";
import { defineTarget } from "../definition";
import { gkeL4Schema } from "./config";
import { GkeL4Cluster } from "./GkeL4Cluster";
import { gcpServingMonitoring } from "../../components/observability/gcp";
import { modelPodMonitoring, podMonitoringSelector } from "../../components/observability/podMonitoring";
import { GKE_L4_MOCK_INVOKES, GKE_L4_MOCK_OUTPUTS } from "./mocks";

/** Part of every child's URN: renaming it would replace everything this target has deployed. */
const COMPONENT_NAME = "gke-l4";

/** A GKE Standard cluster with a spot L4 (g2) node pool running the model server Deployment. */
export const gkeL4 = defineTarget({
    key: "gkeL4",
    componentName: COMPONENT_NAME,
    readme: {
        cloud: "GCP",
        serves: "a GKE Standard cluster (private nodes, Workload Identity, release channel, authorized control-plane ranges, no default service account) with a spot L4 (g2) node pool autoscaled between total bounds, GKE's NVIDIA driver, and the model server Deployment behind a `/v1/`-only guard, its key from Secret Manager",
        server: "vLLM",
    },
    schema: gkeL4Schema,
    gcpGpuQuotaScope: (target) => [{ project: target.project, region: target.region, path: ["region"] }],
    checkPlaintext: (target) => publicPlaintextProblems(target, true, "with acme, cert-manager and Let's Encrypt through Cloud DNS, or the stack's certificate"),
    // ACME (cert-manager with Let's Encrypt through Cloud DNS) is a certificate source of its own.
    checkWithoutStackCertificate: (target) =>
        target.domain !== undefined && target.acme === undefined
            ? [domainNeedsCertificate("set targets.gkeL4.acme (cert-manager with Let's Encrypt through Cloud DNS), or ")]
            : [],
    deploy: (target, stack) => {
        const cluster = new GkeL4Cluster(COMPONENT_NAME, {
            config: target,
            model: stack.model,
            labels: costLabels(stack),
            apiKey: stack.apiKey,
            hfToken: stack.hfToken,
            tls: stack.tls,
            observability: stack.observability,
        });
        // Alerts and dashboard over what the cluster's PodMonitoring collects (the same object the component creates).
        gcpServingMonitoring(`${COMPONENT_NAME}-obs`, {
            project: target.project,
            server: "vllm",
            selector: podMonitoringSelector(modelPodMonitoring("model-server", target.namespace)),
            thresholds: stack.observability,
            notifications: stack.notifications,
            title: `llm-serving ${stack.stack} gkeL4`,
            labels: costLabels(stack),
        }, { parent: cluster });
        return cluster;
    },
    mockOutputs: GKE_L4_MOCK_OUTPUTS,
    mockInvokes: GKE_L4_MOCK_INVOKES,
});
