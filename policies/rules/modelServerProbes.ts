import { ResourceValidationPolicy } from "@pulumi/policy";
import { AZURE_ML } from "../model/azure/ml";
import { GCE_GROUPS } from "../model/gcp/compute";
import { asNumber, Read, readAt } from "../model/read";
import { readIn, stringOf } from "../inspect";
import { ContainerAt, ModelServerSelector, containerLabel, containersOf, isModelServer, modelPortsSchema, modelServerImagesSchema } from "../workloads";

export interface ModelServerProbesConfig extends ModelServerSelector {
    healthPath?: string;
    requireStartupProbe?: boolean;
    minAutohealingDelaySec?: number;
}

const GCP_GROUPS: ReadonlySet<string> = new Set(GCE_GROUPS);
const ML_DEPLOYMENT = AZURE_ML.onlineDeployment;

/**
 * Every model server is health-checked on its health path, so a wedged server is restarted and
 * a loading one gets no traffic (origin: CKV_K8S_8 liveness, CKV_K8S_9 readiness; Azure ML and
 * GCP API docs). Kubernetes model server containers: liveness and readiness (and, by default, a
 * startup probe sized to model load) with httpGet on the health path. Azure ML deployments:
 * livenessProbe and readinessProbe. GCP instance groups: autoHealingPolicies with a health check
 * and an initial delay that covers model load (GCP's default of 0 recreates replicas mid-load).
 * RayService workers are checked by Ray Serve (serveConfigV2 health_check_*), not by probes.
 */
export const modelServerProbes: ResourceValidationPolicy = {
    name: "model-server-probes",
    description: "Model servers must be health-checked: Kubernetes liveness/readiness/startup probes on the health path, Azure ML liveness/readiness probes, GCP MIG autohealing with a health check (CKV_K8S_8, CKV_K8S_9).",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            healthPath: { type: "string", pattern: "^/", default: "/health", description: "The model server's health path (vLLM and llama.cpp: /health)." },
            requireStartupProbe: { type: "boolean", default: true, description: "Require a startupProbe on Kubernetes model servers (model load takes minutes)." },
            minAutohealingDelaySec: {
                type: "integer",
                minimum: 0,
                maximum: 3600,
                default: 600,
                description: "Least GCP autoHealingPolicies.initialDelaySec: the model's load time.",
            },
            modelServerImages: modelServerImagesSchema,
            modelPorts: modelPortsSchema,
        },
    },
    validateResource: (args, reportViolation) => {
        const config = args.getConfig<ModelServerProbesConfig>();
        const report = (message: string) => reportViolation(`${args.name} [${args.type}]: ${message}`, args.urn);
        if (GCP_GROUPS.has(args.type)) {
            checkAutohealing(args.props, config.minAutohealingDelaySec ?? 600, report);
            return;
        }
        if (args.type === ML_DEPLOYMENT) {
            for (const probe of ["livenessProbe", "readinessProbe"]) {
                const read = readAt(args.props, ["properties", probe]);
                if (read.state === "absent") {
                    report(`properties.${probe} is not set. Set it (with an initialDelay that covers model load) so Azure ML restarts or holds back an unhealthy instance.`);
                }
            }
            return;
        }
        const healthPath = config.healthPath ?? "/health";
        const probes = config.requireStartupProbe ?? true ? ["livenessProbe", "readinessProbe", "startupProbe"] : ["livenessProbe", "readinessProbe"];
        for (const container of containersOf(args.type, args.props)) {
            if (container.role === "pod" && !container.init && isModelServer(container.read, config)) {
                checkContainer(container, probes, healthPath, report);
            }
        }
    },
};

function checkContainer(container: ContainerAt, probes: string[], healthPath: string, report: (m: string) => void): void {
    if (container.read.state === "unknown") {
        report(`${container.field} is unknown at preview, so its probes cannot be checked. Build the pod spec from config.`);
        return;
    }
    const label = containerLabel(container);
    for (const probe of probes) {
        const read = readIn(container.read, [probe]);
        const path = readIn(read, ["httpGet", "path"]);
        if (read.state === "absent") {
            report(`${label} has no ${probe}. Add one with httpGet on ${healthPath}.`);
        } else if (path.state === "absent" || (path.state === "known" && stringOf(path) !== healthPath)) {
            report(`${label}: ${probe} does not check httpGet ${healthPath}. Point it at the model server's health path.`);
        }
    }
}

function checkAutohealing(props: unknown, minDelay: number, report: (m: string) => void): void {
    const raw = readAt(props, ["autoHealingPolicies"]);
    // An object in the current SDK; a one-element list in older ones.
    const policy: Read = raw.state === "known" && Array.isArray(raw.value) ? readAt(raw.value, [0], raw.field) : raw;
    if (policy.state === "absent") {
        report(`autoHealingPolicies is not set, so a replica whose model server died keeps its place. Set a health check on the health path and initialDelaySec >= ${minDelay}.`);
        return;
    }
    const check = readIn(policy, ["healthCheck"]);
    if (check.state === "absent") {
        report(`${check.field} is not set. Point it at a health check on the model server's health path.`);
    }
    const delay = asNumber(readIn(policy, ["initialDelaySec"]));
    if (delay.state === "unknown") {
        report(`${delay.field} is unknown at preview. Set it from config to at least ${minDelay}.`);
    } else if (delay.state === "absent" || delay.value < minDelay) {
        report(`${delay.field} is below ${minDelay} s, so replicas are recreated while the model is still loading. Set it to the model's load time.`);
    }
}
