import { stringify } from "yaml";
import { allQueries, AlertThresholds, collectorMetricName } from "../../components/observability/signals";
import { DEFAULT_OBSERVABILITY } from "../../config/observability";
import { METRICS_COLLECTOR_CONTAINER } from "../../policies/contract/observability";

/**
 * The replica's metrics collector. Container-Optimized OS runs no Ops Agent, so the startup
 * script starts a pinned OpenTelemetry Collector (contrib build: it carries the Prometheus
 * receiver and both Google exporters) beside the model server. It scrapes vLLM's /metrics on
 * localhost, so /metrics is never exposed (Cloud Armor still admits only /v1/ routes), and writes:
 * - the series the dashboard and alerts query, to Google Managed Prometheus (PromQL in Cloud
 *   Monitoring), filtered to those names so ingestion is billed only for what is used;
 * - one per-instance gauge, requests in flight (running + waiting), to Cloud Monitoring on the
 *   `gce_instance` resource: the signal the group's autoscaler targets (autoscaling.ts).
 * It writes with the replica's service account (roles/monitoring.metricWriter, monitoring.write scope).
 */

/** Pinned contrib release (its `latest` tag moves). */
export const COLLECTOR_IMAGE = "otel/opentelemetry-collector-contrib:0.123.0";
/** Root-only config file on tmpfs, rewritten at each boot. */
export const COLLECTOR_CONFIG = "/run/llm-serving-otelcol.yaml";
/** Per-instance metric the autoscaler reads (Cloud Monitoring custom metric, gauge on gce_instance). */
export const IN_FLIGHT_METRIC = "custom.googleapis.com/llm_serving/requests_in_flight";
/** Prometheus job name of the scrape: the `job` label every series carries, which the alerts select on. */
export const COLLECTOR_JOB = "llm-serving";
/** Seconds between scrapes: the autoscaler and the alerts see a minute-old queue at worst. */
export const SCRAPE_INTERVAL_SECONDS = 30;

/** Metric names the dashboard and alerts select (the Prometheus pipeline keeps only these). */
export function queriedMetrics(t: AlertThresholds = DEFAULT_OBSERVABILITY): string[] {
    const names = new Set<string>();
    // Every selector in signals.ts is a metric name followed by its label matchers.
    for (const q of allQueries("vllm", `job="${COLLECTOR_JOB}"`, t)) {
        for (const m of q.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)) names.add(m[1]);
    }
    return [...names].sort();
}

/**
 * The same names as the collector's filter must match them: histogram families, not their
 * `_bucket`/`_sum`/`_count` series (collectorMetricName says why).
 */
export function collectorFilterNames(t: AlertThresholds = DEFAULT_OBSERVABILITY): string[] {
    return [...new Set(queriedMetrics(t).map((m) => collectorMetricName("vllm", m)))].sort();
}

/** The collector's configuration, as an object (tests read it; the script writes it as YAML). */
export function collectorConfig(port: number): Record<string, unknown> {
    const prefix = IN_FLIGHT_METRIC.slice(0, IN_FLIGHT_METRIC.lastIndexOf("/") + 1);
    const inFlight = IN_FLIGHT_METRIC.slice(prefix.length);
    return {
        receivers: {
            prometheus: {
                config: {
                    scrape_configs: [
                        {
                            job_name: COLLECTOR_JOB,
                            scrape_interval: `${SCRAPE_INTERVAL_SECONDS}s`,
                            static_configs: [{ targets: [`localhost:${port}`] }],
                        },
                    ],
                },
            },
        },
        processors: {
            resourcedetection: { detectors: ["gcp"], timeout: "10s" },
            // Managed Prometheus takes a series' `instance` from service.instance.id, which the
            // receiver sets to the scrape target, localhost:<port>, on every replica: replicas in
            // one zone would write the same series. The VM's name tells them apart.
            "resource/instance": { attributes: [{ key: "service.instance.id", from_attribute: "host.name", action: "upsert" }] },
            "filter/queried": { metrics: { include: { match_type: "strict", metric_names: collectorFilterNames() } } },
            "filter/in_flight": {
                metrics: { include: { match_type: "strict", metric_names: ["vllm:num_requests_running", "vllm:num_requests_waiting"] } },
            },
            // running + waiting summed into one gauge per instance (the label that told them apart is dropped).
            "metricstransform/in_flight": {
                transforms: [
                    {
                        include: "^vllm:num_requests_(?P<state>running|waiting)$",
                        match_type: "regexp",
                        action: "combine",
                        new_name: inFlight,
                        operations: [{ action: "aggregate_labels", label_set: [], aggregation_type: "sum" }],
                    },
                ],
            },
            batch: {},
        },
        exporters: {
            // target_info and otel_scope_info series would be billed samples no query reads.
            googlemanagedprometheus: { metric: { extra_metrics_config: { enable_target_info: false, enable_scope_info: false } } },
            googlecloud: { metric: { prefix } },
        },
        service: {
            // No listener of its own: the collector's telemetry endpoint stays off.
            telemetry: { metrics: { level: "none" } },
            pipelines: {
                "metrics/prometheus": {
                    receivers: ["prometheus"],
                    processors: ["resourcedetection", "resource/instance", "filter/queried", "batch"],
                    exporters: ["googlemanagedprometheus"],
                },
                "metrics/autoscaling": {
                    receivers: ["prometheus"],
                    processors: ["resourcedetection", "filter/in_flight", "metricstransform/in_flight", "batch"],
                    exporters: ["googlecloud"],
                },
            },
        },
    };
}

/**
 * Shell lines that write the config and start the collector. Host network: it scrapes the model
 * server on localhost and opens no port (telemetry off, no receiver that listens).
 */
export function collectorScript(port: number): string {
    return `# Metrics: the collector scrapes the model server on localhost and writes to Cloud Monitoring.
cat > ${COLLECTOR_CONFIG} <<'OTELCOL'
${stringify(collectorConfig(port)).trimEnd()}
OTELCOL
chmod 0644 ${COLLECTOR_CONFIG}
docker rm -f ${METRICS_COLLECTOR_CONTAINER} 2>/dev/null || true
docker run -d --name ${METRICS_COLLECTOR_CONTAINER} --restart unless-stopped --network host \\
  --volume ${COLLECTOR_CONFIG}:/etc/otelcol-contrib/config.yaml:ro \\
  ${COLLECTOR_IMAGE}
`;
}
