import { costLabels } from "../../components/costLabels";
import { publicPlaintextProblems, stackCertificateKeys } from "../../config/endpointTls";
import { defineTarget } from "../definition";
import { gcpSpotL4Schema } from "./config";
import { GcpSpotL4Replicas } from "./GcpSpotL4Replicas";
import { gcpServingMonitoring } from "../../components/observability/gcp";
import { COLLECTOR_JOB } from "./collector";

/** Part of every child's URN: renaming it would replace everything this target has deployed. */
const COMPONENT_NAME = "gcp-spot-l4";

/** Spot L4 replicas on GCP: a regional managed instance group behind a global load balancer. */
export const gcpSpotL4 = defineTarget({
    key: "gcpSpotL4",
    componentName: COMPONENT_NAME,
    readme: {
        cloud: "GCP",
        serves: "spot L4 replicas (g2) in a regional managed instance group, autohealed and autoscaled, behind a global external Application Load Balancer with Cloud Armor",
        server: "vLLM",
    },
    schema: gcpSpotL4Schema,
    // Every region holds its own L4 quota overrides. The error names `region` for the shorthand
    // (a single region), which is how such a stack spells it.
    // Guarded: the stack schema's checks also run over a target whose own schema failed (its raw input).
    gcpGpuQuotaScope: (target) =>
        (Array.isArray(target.regions) ? target.regions : []).map((region, i) => ({ project: target.project, region, path: target.regions.length === 1 ? ["region"] : ["regions", i] })),
    checkPlaintext: (target) => publicPlaintextProblems(target, true, "a Google-managed certificate needs only the domain, at no cost"),
    checkWithoutStackCertificate: (target) =>
        target.certificate === "stack" ? [{ key: "certificate", message: `"stack" needs ${stackCertificateKeys()}, or use "google-managed"` }] : [],
    deploy: (target, stack) => {
        const replicas = new GcpSpotL4Replicas(COMPONENT_NAME, {
            config: target,
            model: stack.model,
            labels: costLabels(stack),
            apiKey: stack.apiKey,
            hfToken: stack.hfToken,
            // "google-managed" keeps Google's certificate even when the stack has one for other targets.
            tls: target.certificate === "google-managed" ? undefined : stack.tls,
            observability: stack.observability,
        });
        // Alerts and dashboard over what the replicas' collector writes to Managed Prometheus.
        gcpServingMonitoring(`${COMPONENT_NAME}-obs`, {
            project: target.project,
            server: "vllm",
            selector: `job="${COLLECTOR_JOB}"`,
            thresholds: stack.observability,
            notifications: stack.notifications,
            title: `llm-serving ${stack.stack} gcpSpotL4`,
            labels: costLabels(stack),
        }, { parent: replicas });
        return replicas;
    },
});
