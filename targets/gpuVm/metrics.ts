import { stringify } from "yaml";
import { allQueries, AlertThresholds, MetricServer } from "../../components/observability/signals";
import { DEFAULT_OBSERVABILITY } from "../../config/observability";

/**
 * The VM's metrics collector: Prometheus in agent mode (scrape and remote-write only, no local
 * queries or storage beyond its write-ahead log) beside the model server, remote-writing to an
 * Azure Monitor workspace through its data collection rule with the VM's user-assigned managed
 * identity. Why this and not the others:
 * - The Azure Monitor Agent collects a VM's performance counters and logs, not a Prometheus
 *   endpoint; Microsoft's documented path for Prometheus metrics from a VM is a self-managed
 *   Prometheus remote-writing with a user-assigned managed identity
 *   (learn.microsoft.com/azure/azure-monitor/metrics/prometheus-remote-write-virtual-machines, read
 *   2026-12-02; a system-assigned identity is not supported there).
 * - The OpenTelemetry Collector pinned on GCP (contrib 0.123.0) cannot: its distribution gained the
 *   `azureauth` extension only after 0.123.0 (opentelemetry-collector-releases PR #931, merged
 *   2025-04-24), and that extension asked for a token scoped to the request's host until custom
 *   `scopes` arrived (contrib PR #41084, merged July 2025), while the ingestion endpoint wants
 *   the `https://monitor.azure.com/.default` scope. Prometheus's `azuread` remote-write client
 *   asks for that scope itself.
 * It scrapes the model server on the containers' private network, so /metrics is never published
 * (the route guard still serves only /v1/), and keeps only the series the alerts and the dashboard
 * query, so ingestion is billed only for them.
 */

/** Pinned Prometheus (3.x long-term-support line, released 2025-07-14); agent mode and `azuread` remote write are in it. */
export const VM_COLLECTOR_IMAGE = "prom/prometheus:v3.5.0";
/** Config file on tmpfs, rewritten at each boot (it holds the identity's client id and the ingestion URL, neither a secret). */
export const VM_COLLECTOR_CONFIG = "/run/llm-serving-prometheus.yml";
/** The scrape's job label: what every query selects on. */
export const VM_COLLECTOR_JOB = "llm-serving";
/** PromQL selector of the VM's series. */
export const VM_SELECTOR = `job="${VM_COLLECTOR_JOB}"`;
/** Seconds between scrapes: the alerts see a queue at most this old. */
export const VM_SCRAPE_INTERVAL_SECONDS = 30;
/** The remote-write path of a data collection rule's Prometheus stream (api-version from the remote-write docs). */
export const PROMETHEUS_STREAM = "Microsoft-PrometheusMetrics";
export const INGESTION_API_VERSION = "2023-04-24";

/** The DCR ingestion URL Prometheus writes to. */
export function ingestionUrl(metricsIngestionEndpoint: string, dcrImmutableId: string): string {
    return `${metricsIngestionEndpoint.replace(/\/$/, "")}/dataCollectionRules/${dcrImmutableId}/streams/${PROMETHEUS_STREAM}/api/v1/write?api-version=${INGESTION_API_VERSION}`;
}

/** The metrics build of the VM's server: vLLM on GPU sizes, llama.cpp's server on CPU sizes. */
export function vmMetricServer(gpu: boolean): MetricServer {
    return gpu ? "vllm" : "llamacpp";
}

/** Series names the alerts and the dashboard select (the server's and the scraper's `up`). */
export function vmQueriedSeries(t: AlertThresholds = DEFAULT_OBSERVABILITY, server: MetricServer = "vllm"): string[] {
    const names = new Set<string>();
    for (const q of allQueries(server, VM_SELECTOR, t)) for (const m of q.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)) names.add(m[1]);
    return [...names].sort();
}

/**
 * The agent's configuration without its remote_write block (the boot script appends it with the
 * values read at boot). `up` is written by the scraper itself, so the keep filter (which sees only
 * scraped series) need not name it.
 */
export function vmCollectorConfig(modelTarget: string, t: AlertThresholds = DEFAULT_OBSERVABILITY, server: MetricServer = "vllm"): Record<string, unknown> {
    const keep = vmQueriedSeries(t, server).filter((n) => n !== "up");
    return {
        global: { scrape_interval: `${VM_SCRAPE_INTERVAL_SECONDS}s` },
        scrape_configs: [
            {
                job_name: VM_COLLECTOR_JOB,
                metrics_path: "/metrics",
                static_configs: [{ targets: [modelTarget] }],
                metric_relabel_configs: [{ source_labels: ["__name__"], regex: keep.join("|"), action: "keep" }],
            },
        ],
    };
}

/**
 * Shell lines for the secrets script (it has `${WORK}/token.json` from IMDS and `read_secret`):
 * reads the ingestion URL from Key Vault and the identity's client id from the token response, and
 * writes the agent's config. The VM has one user-assigned identity, whose client id IMDS returns.
 */
export function vmCollectorConfigScript(ingestionUrlSecret: string, modelTarget: string, server: MetricServer = "vllm"): string {
    return `# Metrics: the collector's config, with the ingestion URL (Key Vault) and the identity's client id (IMDS).
read_secret ${ingestionUrlSecret} "\${WORK}/ingestion-url"
jq -j '.client_id // empty' "\${WORK}/token.json" > "\${WORK}/client-id"
require_value "\${WORK}/client-id" "the managed identity's client id"
INGESTION_URL=$(cat "\${WORK}/ingestion-url")
CLIENT_ID=$(cat "\${WORK}/client-id")
{
  cat <<'PROMETHEUS'
${stringify(vmCollectorConfig(modelTarget, DEFAULT_OBSERVABILITY, server)).trimEnd()}
PROMETHEUS
  printf 'remote_write:\\n  - url: "%s"\\n    azuread:\\n      cloud: AzurePublic\\n      managed_identity:\\n        client_id: "%s"\\n' "\${INGESTION_URL}" "\${CLIENT_ID}"
} > ${VM_COLLECTOR_CONFIG}
chmod 0644 ${VM_COLLECTOR_CONFIG}
`;
}

/**
 * Shell lines for the start script: the agent on the model server's network (it reaches
 * model-server by name), no port published, its web listener on the container's loopback only.
 */
export function vmCollectorStartScript(containerName: string, network: string): string {
    return `docker rm -f ${containerName} 2>/dev/null || true
docker run -d --name ${containerName} --network ${network} --restart unless-stopped \\
  --volume ${VM_COLLECTOR_CONFIG}:/etc/prometheus/prometheus.yml:ro \\
  ${VM_COLLECTOR_IMAGE} --config.file=/etc/prometheus/prometheus.yml --agent --web.listen-address=127.0.0.1:9090
`;
}
