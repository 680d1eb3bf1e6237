import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { LLAMA_CPP_METRICS_ENV, LLAMA_CPP_METRICS_FLAG, METRICS_COLLECTOR_CONTAINER } from "../contract/observability";
import { decodeUserData, dockerImagesIn, readIn, stringOf } from "../inspect";
import { AWS_MONITORING } from "../model/aws/monitoring";
import { AZURE_VMS } from "../model/azure/compute";
import { AZURE_ML } from "../model/azure/ml";
import { AZURE_MONITORING } from "../model/azure/monitoring";
import { GCE_MACHINES } from "../model/gcp/compute";
import { GCP_MONITORING } from "../model/gcp/monitoring";
import { K8S } from "../model/kubernetes/workloads";
import { K8S_SCRAPE_CONFIG_TYPES } from "../model/kubernetes/observability";
import { Read, readAt } from "../model/read";
import { urnName } from "../stackCost";
import { containersOf, isModelServer, ModelServerSelector, modelPortsSchema, modelServerImagesSchema } from "../workloads";
import { gcpStartupScripts } from "./endpointAuthentication";

export type ModelServerObservabilityConfig = ModelServerSelector;

/**
 * Kubernetes objects that make a managed Prometheus scrape pods: GKE managed collection's
 * PodMonitoring, Azure Monitor managed Prometheus's PodMonitor, prometheus-operator's monitors
 * (what an in-cluster collector or AMP's agent reads). Their presence is what is checked, not
 * their selectors.
 */
export const SCRAPE_CONFIG_TYPES: ReadonlyArray<string> = K8S_SCRAPE_CONFIG_TYPES;

/** Alert resources and the field that says where each one notifies. */
export const ALERT_ROUTES: Readonly<Record<string, ReadonlyArray<string>>> = {
    [GCP_MONITORING.alertPolicy]: ["notificationChannels"],
    // Each rule carries its own actions: routed when any rule has an action group.
    "azure-native:alertsmanagement:PrometheusRuleGroup": ["rules[].actions"],
    "azure-native:insights:MetricAlert": ["actions"],
    // The v3 SDK's token for a metric alert (the insights one is its alias).
    "azure-native:monitor:MetricAlert": ["actions"],
    "aws:cloudwatch/metricAlarm:MetricAlarm": ["alarmActions"],
    // AMP's rules notify through the workspace's alert manager: routed when it names an SNS topic.
    [AWS_MONITORING.alertManagerDefinition]: ["definition"],
};

/**
 * Agentless collectors outside the cluster that scrape its pods (AMP's managed scraper for EKS):
 * a model server in a cluster of the same cloud counts as collected when the stack has one.
 */
export const MANAGED_SCRAPER_TYPES: ReadonlyArray<string> = [AWS_MONITORING.scraper];

const GCP_MACHINES: ReadonlySet<string> = new Set(GCE_MACHINES);
const AZURE_MACHINES: ReadonlySet<string> = new Set([AZURE_VMS.vm, AZURE_VMS.scaleSet]);
const AZURE_SCRIPTS: ReadonlyArray<ReadonlyArray<string>> = [["osProfile", "customData"], ["userData"], ["virtualMachineProfile", "osProfile", "customData"]];
const RAY_SERVICES: ReadonlySet<string> = new Set([K8S.rayService, K8S.rayServiceV1alpha1]);

/**
 * llama.cpp's server answers /metrics only when started with `--metrics` (or with
 * LLAMA_ARG_ENDPOINT_METRICS set, the flag's environment form): without it a scrape
 * configuration or a collector beside it collects nothing but `up`.
 */
const LLAMA_CPP_IMAGE_FRAGMENT = "llama.cpp";
const LLAMA_CPP_FIX = `it runs llama.cpp's server without ${LLAMA_CPP_METRICS_FLAG} (or ${LLAMA_CPP_METRICS_ENV}): its /metrics page is off, so nothing is collected. Add ${LLAMA_CPP_METRICS_FLAG} to the server's arguments.`;

/** Whether a boot script runs a llama.cpp server container without its metrics page. */
export function scriptRunsLlamaCppWithoutMetrics(script: string): boolean {
    const joined = script.replace(/\\\r?\n/g, " ");
    for (const m of joined.matchAll(/\bdocker\s+run\b[^\n;&|]*/g)) {
        const images = dockerImagesIn(m[0]);
        if (!images.some((i) => i.toLowerCase().includes(LLAMA_CPP_IMAGE_FRAGMENT))) continue;
        const words = m[0].split(/\s+/).map((w) => w.replace(/^["']|["']$/g, ""));
        if (!words.includes(LLAMA_CPP_METRICS_FLAG) && !words.some((w) => w.startsWith(`${LLAMA_CPP_METRICS_ENV}=`))) return true;
    }
    return false;
}

/** Whether a known container runs llama.cpp's server without its metrics page (unknown args: not judged). */
export function containerRunsLlamaCppWithoutMetrics(container: Read): boolean {
    if (container.state !== "known") return false;
    const image = stringOf(readIn(container, ["image"]))?.toLowerCase() ?? "";
    if (!image.includes(LLAMA_CPP_IMAGE_FRAGMENT)) return false;
    const args = readIn(container, ["args"]);
    const command = readIn(container, ["command"]);
    if (args.state === "unknown" || command.state === "unknown") return false;
    const words = [args, command].flatMap((r) => (r.state === "known" && Array.isArray(r.value) ? r.value.map(String) : []));
    const env = readIn(container, ["env"]);
    const envNames = env.state === "known" && Array.isArray(env.value) ? env.value.map((e) => String((e as { name?: unknown }).name ?? "")) : [];
    return !words.includes(LLAMA_CPP_METRICS_FLAG) && !envNames.includes(LLAMA_CPP_METRICS_ENV);
}

interface ModelServer {
    readonly resource: PolicyResource;
    /** How its metrics are collected, or why they are not. */
    readonly scraped: { ok: true } | { ok: false; fix: string };
}

function scriptsOf(r: PolicyResource): Read[] {
    if (GCP_MACHINES.has(r.type)) return gcpStartupScripts(r.props);
    if (AZURE_MACHINES.has(r.type)) return AZURE_SCRIPTS.map((p) => readAt(r.props, [...p])).filter((s) => s.state !== "absent");
    return [];
}

/** The model servers of the stack and whether something collects their /metrics. */
function modelServers(resources: ReadonlyArray<PolicyResource>, selector: ModelServerSelector): ModelServer[] {
    const images = (selector.modelServerImages ?? ["vllm", "llama.cpp", "neuronx"]).map((i) => i.toLowerCase());
    const scrapeConfigs = resources.some((r) => SCRAPE_CONFIG_TYPES.includes(r.type));
    const scrapers = resources.filter((r) => MANAGED_SCRAPER_TYPES.includes(r.type));
    const k8sFix = `no scrape configuration in the stack (one of ${SCRAPE_CONFIG_TYPES.map((t) => t.split(":")[1] + ":" + t.split(":")[2]).join(", ")}, or on EKS an ${MANAGED_SCRAPER_TYPES.join(", ")}). Add one that selects the model pods' /metrics port.`;
    const out: ModelServer[] = [];
    for (const r of resources) {
        const scripts = scriptsOf(r);
        if (scripts.length > 0) {
            for (const s of scripts) {
                if (s.state === "unknown") continue; // pinned-images and endpoint-authentication report unknown scripts
                const text = decodeUserData(stringOf(s) ?? "");
                if (!dockerImagesIn(text).some((image) => images.some((f) => image.toLowerCase().includes(f)))) continue;
                const collector = new RegExp(`--name ${METRICS_COLLECTOR_CONTAINER}\\b`).test(text);
                if (scriptRunsLlamaCppWithoutMetrics(text)) {
                    out.push({ resource: r, scraped: { ok: false, fix: LLAMA_CPP_FIX } });
                    continue;
                }
                // An Azure VM's collector remote-writes to an Azure Monitor workspace: without one in the stack it writes nowhere.
                const sink = !AZURE_MACHINES.has(r.type) || resources.some((x) => x.type === AZURE_MONITORING.workspace);
                out.push({
                    resource: r,
                    scraped: !collector
                        ? { ok: false, fix: `its boot script starts a model server but no ${METRICS_COLLECTOR_CONTAINER} container. Start a collector that scrapes the server's /metrics on localhost.` }
                        : !sink
                          ? { ok: false, fix: `its ${METRICS_COLLECTOR_CONTAINER} has no Azure Monitor workspace (${AZURE_MONITORING.workspace}) in the stack to write to. Create one with a data collection rule the VM's identity publishes to.` }
                          : { ok: true },
                });
            }
            continue;
        }
        if (r.type === AZURE_ML.onlineDeployment) {
            // Azure Monitor collects a managed online endpoint's platform metrics without setup.
            out.push({ resource: r, scraped: { ok: true } });
            continue;
        }
        const containers = containersOf(r.type, r.props).filter((c) => c.role === "pod" && !c.init);
        const serves = RAY_SERVICES.has(r.type) || containers.some((c) => isModelServer(c.read, selector));
        const scrapedHere = scrapeConfigs || scrapers.some((x) => cloudOf(x) === cloudOf(r));
        const metricsOff = containers.some((c) => containerRunsLlamaCppWithoutMetrics(c.read));
        if (serves) out.push({ resource: r, scraped: metricsOff ? { ok: false, fix: LLAMA_CPP_FIX } : scrapedHere ? { ok: true } : { ok: false, fix: k8sFix } });
    }
    return out;
}

type Cloud = "gcp" | "azure" | "aws";

/**
 * The cloud a resource runs in: its own provider, or for a Kubernetes object the cloud of the
 * component that made it (the first llm-serving:<cloud>: type in its URN's parent chain).
 */
export function cloudOf(r: { type: string; urn: string }): Cloud | undefined {
    const chain = r.urn.split("::")[2] ?? "";
    const component = /llm-serving:(gcp|azure|aws):/.exec(chain);
    if (component) return component[1] as Cloud;
    if (r.type.startsWith("gcp:")) return "gcp";
    if (r.type.startsWith("azure-native:")) return "azure";
    if (r.type.startsWith("aws:")) return "aws";
    return undefined;
}

/** Whether an alert routes somewhere: a known empty list (or nothing) routes nowhere; unknown counts as set. */
function routes(alert: PolicyResource): boolean {
    for (const field of ALERT_ROUTES[alert.type] ?? []) {
        if (field.endsWith("[].actions")) {
            const rules = readAt(alert.props, [field.split("[]")[0]]);
            if (rules.state === "unknown") return true;
            if (rules.state === "known" && Array.isArray(rules.value) && rules.value.some((r) => Array.isArray((r as { actions?: unknown }).actions) && ((r as { actions: unknown[] }).actions.length > 0))) return true;
            continue;
        }
        const read = readAt(alert.props, [field]);
        if (read.state === "unknown") return true;
        // An alert manager whose receivers name no SNS topic notifies no one.
        if (alert.type === AWS_MONITORING.alertManagerDefinition) {
            if (read.state === "known" && typeof read.value === "string" && /\btopic_arn\s*:/.test(read.value)) return true;
            continue;
        }
        if (read.state === "known" && !(Array.isArray(read.value) && read.value.length === 0) && read.value !== "") return true;
    }
    return false;
}

/**
 * Every model server is scraped and alerted on (issue #18): its /metrics collected (a collector
 * container beside it on a VM, a scrape configuration in its cluster, Azure ML's platform metrics;
 * a llama.cpp server must also be started with --metrics, or its page is off)
 * and the stack's alerts routed to someone. A stack whose alerts route nowhere, because it has no
 * notification targets (`llm-serving:notifications`), is a violation here, not a config error:
 * such a stack still plans, and this policy says what is missing.
 */
export const modelServerObservability: StackValidationPolicy = {
    name: "model-server-observability",
    description: "Every model server's metrics are collected and the stack's alerts on them route to a notification target (llm-serving:notifications).",
    enforcementLevel: "advisory",
    configSchema: { properties: { modelServerImages: modelServerImagesSchema, modelPorts: modelPortsSchema } },
    validateStack: (args, reportViolation) => {
        const config = args.getConfig<ModelServerObservabilityConfig>();
        const servers = modelServers(args.resources, config);
        if (servers.length === 0) return;
        const alerts = args.resources.filter((r) => r.type in ALERT_ROUTES);
        for (const s of servers) {
            const report = (message: string) => reportViolation(`${urnName(s.resource.urn)} [${s.resource.type}]: ${message}`, s.resource.urn);
            if (!s.scraped.ok) report(`serves a model but its metrics are not collected: ${s.scraped.fix}`);
            // Alerts in the model server's own cloud: another cloud's alerts do not watch it.
            const cloud = cloudOf(s.resource);
            const own = alerts.filter((a) => cloudOf(a) === cloud);
            if (!own.some(routes)) {
                report(
                    own.length === 0
                        ? `serves a model but the stack has no ${cloud ?? ""} alerts on it. Alert on no healthy replica, queue depth, KV cache, p95 time to first token and evictions.`.replace("no  alerts", "no alerts")
                        : "serves a model but no alert routes anywhere: the stack has no notification targets. Set llm-serving:notifications (emails, or an existing topic or action group).",
                );
            }
        }
        for (const a of alerts.filter((x) => !routes(x))) {
            reportViolation(`${urnName(a.urn)} [${a.type}]: this alert notifies no one. Set llm-serving:notifications so it routes to a channel.`, a.urn);
        }
    },
};
