import metricsData from "./metrics.data.json";

/**
 * The golden signals of LLM serving as PromQL, once for every target: the alert rules and the
 * dashboard panels each target provisions in its cloud's managed Prometheus (Google Managed
 * Prometheus, Azure Monitor managed Prometheus, Amazon Managed Service for Prometheus) are built
 * here, so a metric name is spelt in one place and checked in one test against the names the
 * pinned server exports (metrics.data.json, read from the server's source).
 */

/** Which server build exports the metrics: vLLM's v1 engine (v0.11.0), the Neuron build (v0 engine, vLLM 0.9.1) or llama.cpp's server (b7010). */
export type MetricServer = keyof typeof metricsData.servers;

/** Names the pinned server's /metrics page shows (what a query may select). */
export function exportedMetricNames(server: MetricServer): ReadonlySet<string> {
    const s = metricsData.servers[server];
    const names = new Set<string>(s.gauges);
    // llama-server writes its page by hand: every name is exposed as declared, counters included.
    if ("exposition" in s && s.exposition === "verbatim") {
        for (const c of s.counters) names.add(c);
        return names;
    }
    // prometheus_client strips one trailing _total from a counter's name and always exposes <name>_total.
    for (const c of s.counters) names.add(`${c.replace(/_total$/, "")}_total`);
    for (const h of s.histograms) for (const suffix of ["_bucket", "_sum", "_count"]) names.add(`${h}${suffix}`);
    return names;
}

/**
 * The name a collector that converts to OpenTelemetry (the Collector's Prometheus receiver) gives
 * a series: a classic histogram's `_bucket`, `_sum` and `_count` series become one histogram
 * named after the family, and the Managed Prometheus exporter adds the suffixes back only when it
 * writes. A filter inside the collector must name the family, or it drops the histogram.
 */
export function collectorMetricName(server: MetricServer, series: string): string {
    const family = series.replace(/_(bucket|sum|count)$/, "");
    return family !== series && (metricsData.servers[server].histograms as readonly string[]).includes(family) ? family : series;
}

/**
 * Series every Prometheus-compatible scraper writes for each target it scrapes (not the server's):
 * `up` is 1 when the last scrape of a replica's /metrics succeeded, which is how "no healthy
 * replica" and "replicas lost" are seen even when the server is gone.
 */
export const SCRAPER_METRICS: ReadonlySet<string> = new Set(["up"]);

/**
 * Names of the signals, per build (the KV-cache gauge was renamed in the v1 engine). A signal the
 * build does not export is absent, and so are its alert and panels: llama.cpp's server (b7010)
 * exports no KV-cache gauge, no latency histogram and no request counter by outcome.
 */
interface SignalNames {
    readonly running: string;
    readonly waiting: string;
    readonly kvCache?: string;
    readonly ttft?: string;
    readonly e2e?: string;
    readonly generationTokens: string;
    readonly requestSuccess?: string;
    /** A per-replica gauge of generation throughput the server computes itself (llama.cpp). */
    readonly generationRate?: string;
}
const SIGNALS: Record<MetricServer, SignalNames> = {
    vllm: {
        running: "vllm:num_requests_running",
        waiting: "vllm:num_requests_waiting",
        kvCache: "vllm:kv_cache_usage_perc",
        ttft: "vllm:time_to_first_token_seconds",
        e2e: "vllm:e2e_request_latency_seconds",
        generationTokens: "vllm:generation_tokens_total",
        requestSuccess: "vllm:request_success_total",
    },
    vllmNeuron: {
        running: "vllm:num_requests_running",
        waiting: "vllm:num_requests_waiting",
        kvCache: "vllm:gpu_cache_usage_perc",
        ttft: "vllm:time_to_first_token_seconds",
        e2e: "vllm:e2e_request_latency_seconds",
        generationTokens: "vllm:generation_tokens_total",
        requestSuccess: "vllm:request_success_total",
    },
    // Requests on a slot and requests waiting for one (llama-server's --parallel slots); the
    // generated-tokens counter; the server's own average generation rate.
    llamacpp: {
        running: "llamacpp:requests_processing",
        waiting: "llamacpp:requests_deferred",
        generationTokens: "llamacpp:tokens_predicted_total",
        generationRate: "llamacpp:predicted_tokens_seconds",
    },
};

/** The alerts a build cannot have: those on a signal it does not export. */
export function unsupportedAlerts(server: MetricServer): AlertRule["id"][] {
    const n = SIGNALS[server];
    return [...(n.kvCache ? [] : (["kv-cache-full"] as const)), ...(n.ttft ? [] : (["ttft-p95"] as const))];
}

/** Alert thresholds (stack config `observability`, defaults in observabilityConfig). */
export interface AlertThresholds {
    /** Requests waiting per replica, on average over the group, that page. */
    readonly queueWaitingPerReplica: number;
    /** Minutes the queue must stay above the threshold before the alert fires. */
    readonly queueMinutes: number;
    /** KV-cache usage (0-1) above which vLLM preempts and requests stall. */
    readonly kvCacheUsage: number;
    /** p95 time to first token that pages, in seconds. */
    readonly ttftP95Seconds: number;
    /** Replicas lost within 15 minutes that count as a spot-eviction burst. */
    readonly evictionBurst: number;
}

export type Severity = "critical" | "warning";

/** One alert: a PromQL condition that fires after `forMinutes`. */
export interface AlertRule {
    /** Stable identifier, used in child resource names (never rename: it would replace the rule). */
    readonly id: "no-healthy-replica" | "queue-waiting" | "kv-cache-full" | "ttft-p95" | "eviction-burst";
    readonly title: string;
    readonly expr: string;
    readonly forMinutes: number;
    readonly severity: Severity;
    readonly summary: string;
}

/** One dashboard panel: a PromQL query with its unit. */
export interface Panel {
    readonly title: string;
    readonly query: string;
    /** UCUM unit, as Cloud Monitoring's unitOverride takes it: a count or fraction, seconds, or a rate. */
    readonly unit: "1" | "s" | "1/s";
}

/** PromQL label selector, e.g. `job="llm-serving"`: how a target names its replicas' series. */
function sel(selector: string): string {
    return `{${selector}}`;
}

/**
 * The five alerts issue #18 asks for, on the pinned server's metric names; for a build without a
 * KV-cache gauge or a time-to-first-token histogram (llama.cpp) those two are left out rather than
 * approximated (unsupportedAlerts names them): its queue alert is the one that sees requests wait.
 */
export function alertRules(server: MetricServer, selector: string, t: AlertThresholds): AlertRule[] {
    const n = SIGNALS[server];
    const s = sel(selector);
    const rules: AlertRule[] = [
        {
            id: "no-healthy-replica",
            title: "No healthy model replica",
            // `or vector(0)`: the rule still fires when every replica (and so every `up` series) is gone.
            expr: `(sum(up${s}) or vector(0)) < 1`,
            forMinutes: 5,
            severity: "critical",
            summary: "No model-server replica has answered a metrics scrape for 5 minutes: the endpoint serves nothing.",
        },
        {
            id: "queue-waiting",
            title: "Requests waiting above threshold",
            expr: `avg(${n.waiting}${s}) > ${t.queueWaitingPerReplica}`,
            forMinutes: t.queueMinutes,
            severity: "warning",
            summary: `More than ${t.queueWaitingPerReplica} requests wait per replica for ${t.queueMinutes} minutes: the autoscaler is at its maximum or not keeping up.`,
        },
        ...(n.kvCache
            ? [
                  {
                      id: "kv-cache-full",
                      title: "KV cache above threshold",
                      expr: `max(${n.kvCache}${s}) > ${t.kvCacheUsage}`,
                      forMinutes: 5,
                      severity: "warning",
                      summary: `A replica's KV cache is above ${Math.round(t.kvCacheUsage * 100)}%: vLLM preempts requests and latency climbs.`,
                  } satisfies AlertRule,
              ]
            : []),
        ...(n.ttft
            ? [
                  {
                      id: "ttft-p95",
                      title: "p95 time to first token above target",
                      expr: `histogram_quantile(0.95, sum by (le) (rate(${n.ttft}_bucket${s}[5m]))) > ${t.ttftP95Seconds}`,
                      forMinutes: 10,
                      severity: "warning",
                      summary: `p95 time to first token is above ${t.ttftP95Seconds} s.`,
                  } satisfies AlertRule,
              ]
            : []),
        {
            id: "eviction-burst",
            title: "Replicas lost in a burst (spot evictions)",
            // Replicas answering now against the most that answered in the last 15 minutes.
            expr: `(max_over_time(sum(up${s})[15m:1m]) - sum(up${s})) >= ${t.evictionBurst}`,
            forMinutes: 0,
            severity: "warning",
            summary: `${t.evictionBurst} or more replicas stopped answering within 15 minutes: spot capacity is being reclaimed.`,
        },
    ];
    return rules;
}

/**
 * The golden signals of LLM serving, one panel each, for the signals the build exports (llama.cpp:
 * no KV-cache, latency or outcome panels; its own per-replica generation rate instead).
 */
export function dashboardPanels(server: MetricServer, selector: string): Panel[] {
    const n = SIGNALS[server];
    const s = sel(selector);
    const running = server === "llamacpp" ? "Requests on a slot (running)" : "Requests running";
    const waiting = server === "llamacpp" ? "Requests deferred (waiting for a slot)" : "Requests waiting";
    return [
        { title: running, query: `sum(${n.running}${s})`, unit: "1" },
        { title: waiting, query: `sum(${n.waiting}${s})`, unit: "1" },
        ...(n.kvCache ? [{ title: "KV-cache usage (max over replicas)", query: `max(${n.kvCache}${s})`, unit: "1" as const }] : []),
        ...(n.ttft
            ? [
                  { title: "Time to first token p50", query: `histogram_quantile(0.5, sum by (le) (rate(${n.ttft}_bucket${s}[5m])))`, unit: "s" as const },
                  { title: "Time to first token p95", query: `histogram_quantile(0.95, sum by (le) (rate(${n.ttft}_bucket${s}[5m])))`, unit: "s" as const },
              ]
            : []),
        ...(n.e2e ? [{ title: "End-to-end latency p95", query: `histogram_quantile(0.95, sum by (le) (rate(${n.e2e}_bucket${s}[5m])))`, unit: "s" as const }] : []),
        { title: "Output tokens per second", query: `sum(rate(${n.generationTokens}${s}[5m]))`, unit: "1/s" },
        // llama-server's own average over its recent generations, per replica: the slowest shows a starved replica.
        ...(n.generationRate ? [{ title: "Generation tokens/s per request (min over replicas)", query: `min(${n.generationRate}${s})`, unit: "1/s" as const }] : []),
        ...(n.requestSuccess
            ? [{ title: "Finished requests by reason (errors: abort)", query: `sum by (finished_reason) (rate(${n.requestSuccess}${s}[5m]))`, unit: "1/s" as const }]
            : []),
        { title: "Replicas answering", query: `sum(up${s})`, unit: "1" },
    ];
}

/**
 * Requests in flight (running + waiting) across the target's replicas: what a Kubernetes
 * autoscaler divides by its per-replica target (KEDA's Prometheus scaler, AverageValue).
 */
export function inFlightQuery(server: MetricServer, selector: string): string {
    const n = SIGNALS[server];
    const s = sel(selector);
    return `sum(${n.running}${s}) + sum(${n.waiting}${s})`;
}

/** Every PromQL expression a target provisions: what the conformance test parses. */
export function allQueries(server: MetricServer, selector: string, t: AlertThresholds): string[] {
    return [
        ...alertRules(server, selector, t).map((r) => r.expr),
        ...dashboardPanels(server, selector).map((p) => p.query),
        inFlightQuery(server, selector),
    ];
}

/** Ray Serve metric names as Ray's metrics agent exports them (metrics.data.json "ray": prefix + gauge). */
export function rayServeMetricNames(): ReadonlySet<string> {
    return new Set(metricsData.ray.gauges.map((g) => `${metricsData.ray.prefix}${g}`));
}

/** The Ray Serve series the eksInf2 dashboard reads (what its scraper keeps). */
export const RAY_SERVE_QUERY_METRICS: ReadonlyArray<string> = ["ray_serve_deployment_replica_healthy", "ray_serve_replica_processing_queries"];

/**
 * Ray Serve's own view of the model deployment: replicas Serve counts healthy (per replica 1/0, or
 * one series with the count, depending on Ray's tag setting: the sum is the count either way) and
 * the requests each replica holds, the value Serve's autoscaler compares with
 * target_ongoing_requests.
 */
export function rayServePanels(selector: string): Panel[] {
    const s = sel(selector);
    return [
        { title: "Serve replicas healthy", query: `sum(ray_serve_deployment_replica_healthy${s})`, unit: "1" },
        { title: "Ongoing requests per replica (Serve autoscaler's signal)", query: `avg(ray_serve_replica_processing_queries${s})`, unit: "1" },
    ];
}
