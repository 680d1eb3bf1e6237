import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import metricsData from "../../../components/observability/metrics.data.json";
import { selectedMetrics, unknownMetrics } from "../../helpers/promql";
import {
    AlertThresholds,
    allQueries,
    alertRules,
    dashboardPanels,
    exportedMetricNames,
    inFlightQuery,
    MetricServer,
    unsupportedAlerts,
} from "../../../components/observability/signals";
import { LLAMA_CPP_IMAGE, LLAMA_CPP_METRICS_FLAG, llamaCppServer, NEURON_VLLM_IMAGE, VLLM_IMAGE } from "../../../components/serving";
import { llamaCppK8sServer } from "../../../components/k8s/llamaCpp";
import { modelPodMonitoring, podMonitoringSelector } from "../../../components/observability/podMonitoring";
import { MODEL_PORT_NAME, selectorLabels } from "../../../components/k8s/modelServer";

const T: AlertThresholds = { queueWaitingPerReplica: 4, queueMinutes: 5, kvCacheUsage: 0.9, ttftP95Seconds: 2, evictionBurst: 2 };
const SELECTOR = 'job="llm-serving"';
const SERVERS = Object.keys(metricsData.servers) as MetricServer[];

describe("observability signals: every metric a query names is one the pinned server exports", () => {
    for (const server of SERVERS) {
        it(`${server}: every alert and dashboard query parses and selects only exported metrics`, () => {
            const queries = allQueries(server, SELECTOR, T);
            // vLLM: 5 alerts, 9 panels, the in-flight query; llama.cpp: 3 alerts, 5 panels, the in-flight query.
            assert.ok(queries.length >= (server === "llamacpp" ? 9 : 14), `${queries.length}`);
            for (const q of queries) {
                assert.ok(selectedMetrics(q).length > 0, `selects no metric: ${q}`);
                assert.deepEqual(unknownMetrics(server, q), [], q);
            }
        });
    }

    it("negative controls: a misspelt, a hidden and a wrong-build metric are each caught", () => {
        assert.deepEqual(unknownMetrics("vllm", `sum(vllm:num_request_waiting{${SELECTOR}})`), ["vllm:num_request_waiting"]);
        // Registered only with --show-hidden-metrics-for-version at v0.11.0.
        assert.deepEqual(unknownMetrics("vllm", "max(vllm:gpu_cache_usage_perc)"), ["vllm:gpu_cache_usage_perc"]);
        // The v0 engine of the Neuron build never had the v1 name.
        assert.deepEqual(unknownMetrics("vllmNeuron", "max(vllm:kv_cache_usage_perc)"), ["vllm:kv_cache_usage_perc"]);
        // A counter is exposed with _total, a histogram only through its _bucket/_sum/_count series.
        assert.deepEqual(unknownMetrics("vllm", "rate(vllm:generation_tokens[5m])"), ["vllm:generation_tokens"]);
        assert.deepEqual(unknownMetrics("vllm", "vllm:time_to_first_token_seconds"), ["vllm:time_to_first_token_seconds"]);
        assert.throws(() => selectedMetrics("sum(vllm:num_requests_waiting"), /syntax error/);
    });

    it("the five alerts of issue #18 exist for each vLLM build, with their thresholds", () => {
        for (const server of SERVERS.filter((s) => s !== "llamacpp")) {
            assert.deepEqual(unsupportedAlerts(server), []);
            const rules = alertRules(server, SELECTOR, T);
            assert.deepEqual(rules.map((r) => r.id), ["no-healthy-replica", "queue-waiting", "kv-cache-full", "ttft-p95", "eviction-burst"]);
            assert.match(rules[1].expr, /> 4$/);
            assert.equal(rules[1].forMinutes, 5);
            assert.match(rules[2].expr, /> 0\.9$/);
        }
    });

    it("the name lists record where they were read: pinned images match, provenance is complete", () => {
        assert.equal(metricsData.servers.vllm.image, VLLM_IMAGE);
        assert.equal(metricsData.servers.vllmNeuron.image, NEURON_VLLM_IMAGE);
        assert.equal(metricsData.servers.llamacpp.image, LLAMA_CPP_IMAGE);
        assert.ok(LLAMA_CPP_IMAGE.endsWith(`:server-${metricsData.servers.llamacpp.provenance.tag}`));
        assert.ok(VLLM_IMAGE.endsWith(`:${metricsData.servers.vllm.provenance.tag}`));
        for (const s of SERVERS) {
            const p = metricsData.servers[s].provenance;
            assert.match(p.commit, /^[0-9a-f]{40}$/);
            assert.match(p.sha256, /^[0-9a-f]{64}$/);
            assert.ok(p.url.includes(p.path));
            for (const h of metricsData.servers[s].hidden) assert.ok(!exportedMetricNames(s).has(h), h);
        }
        // The sha256 is of real bytes, not a placeholder: it differs between the two files.
        assert.notEqual(metricsData.servers.vllm.provenance.sha256, metricsData.servers.vllmNeuron.provenance.sha256);
        assert.notEqual(metricsData.servers.llamacpp.provenance.sha256, metricsData.servers.vllm.provenance.sha256);
        assert.notEqual(createHash("sha256").update("").digest("hex"), metricsData.servers.vllm.provenance.sha256);
    });
});

describe("observability signals: llama.cpp's server (b7010)", () => {
    const L: MetricServer = "llamacpp";

    it("says honestly which version the names were read from: the nearest stored one, not b7010", () => {
        const p = metricsData.servers.llamacpp.provenance;
        assert.equal(p.repo, "ggml-org/llama.cpp");
        assert.match(p.read, /NOT b7010/);
        assert.ok(p.url.includes(p.commit));
        assert.ok(p.earlier.shows.every((n) => exportedMetricNames(L).has(n)));
    });

    it("three alerts: no healthy replica on `up`, the queue on requests deferred per replica, evictions; no KV-cache or TTFT alert (no such metric)", () => {
        const rules = alertRules(L, SELECTOR, T);
        assert.deepEqual(rules.map((r) => r.id), ["no-healthy-replica", "queue-waiting", "eviction-burst"]);
        assert.deepEqual(unsupportedAlerts(L), ["kv-cache-full", "ttft-p95"]);
        assert.equal(rules[1].expr, `avg(llamacpp:requests_deferred{${SELECTOR}}) > 4`);
        assert.deepEqual(selectedMetrics(rules[0].expr), ["up"]);
        // Nothing the server does not export stands in for them.
        for (const q of allQueries(L, SELECTOR, T)) assert.doesNotMatch(q, /kv_cache|time_to_first_token|_bucket/);
    });

    it("the panels and the autoscaler's query use the server's own names", () => {
        const panels = dashboardPanels(L, SELECTOR);
        assert.deepEqual(panels.flatMap((p) => selectedMetrics(p.query)), [
            "llamacpp:requests_processing",
            "llamacpp:requests_deferred",
            "llamacpp:tokens_predicted_total",
            "llamacpp:predicted_tokens_seconds",
            "up",
        ]);
        assert.deepEqual(selectedMetrics(inFlightQuery(L, SELECTOR)), ["llamacpp:requests_processing", "llamacpp:requests_deferred"]);
    });

    it("negative controls: vLLM's names, a KV-cache gauge name not in the list read, a counter without _total, an added _total and the speculative counters are each caught", () => {
        assert.deepEqual(unknownMetrics(L, `sum(vllm:num_requests_waiting{${SELECTOR}})`), ["vllm:num_requests_waiting"]);
        assert.deepEqual(unknownMetrics(L, "max(llamacpp:kv_cache_usage_ratio)"), ["llamacpp:kv_cache_usage_ratio"]);
        assert.deepEqual(unknownMetrics(L, "rate(llamacpp:tokens_predicted[5m])"), ["llamacpp:tokens_predicted"]);
        // Written verbatim: no _total is added to a counter that has none.
        assert.deepEqual(unknownMetrics(L, "llamacpp:n_tokens_max_total"), ["llamacpp:n_tokens_max_total"]);
        assert.deepEqual(unknownMetrics(L, "llamacpp:n_tokens_max"), []);
        for (const n of metricsData.servers.llamacpp.notRelied) assert.deepEqual(unknownMetrics(L, n), [n]);
        // And the other way: llama.cpp's names are not vLLM's.
        assert.deepEqual(unknownMetrics("vllm", "sum(llamacpp:requests_deferred)"), ["llamacpp:requests_deferred"]);
    });

    it("both llama.cpp servers (gpuVm CPU sizes, aksGpu llamacpp) start with --metrics", () => {
        const model = { id: "mistralai/Mistral-7B-Instruct-v0.2", servedName: "mistral-7b", maxModelLen: 8192 };
        const gguf = { repo: "TheBloke/Mistral-7B-Instruct-v0.2-GGUF", file: "mistral-7b-instruct-v0.2.Q5_K_M.gguf" };
        assert.equal(LLAMA_CPP_METRICS_FLAG, "--metrics");
        assert.ok(llamaCppServer(model, { gguf, threads: 4 }).args.includes(LLAMA_CPP_METRICS_FLAG));
        assert.ok(llamaCppK8sServer(model, { gguf }).args.includes(LLAMA_CPP_METRICS_FLAG));
    });
});

describe("observability: the GKE PodMonitoring and the selector the alerts use", () => {
    // No published schema for monitoring.googleapis.com/v1 is on this machine (see the closing
    // note: GoogleCloudPlatform/prometheus-engine's CRD belongs in the conformance tier).
    it("selects the model-server pods by their stable selector labels and scrapes /metrics on the model port", () => {
        const pm = modelPodMonitoring("model-server", "llm", { owner: "x" });
        assert.deepEqual(pm.spec.selector.matchLabels, selectorLabels("model-server"));
        assert.deepEqual(pm.spec.endpoints, [{ port: MODEL_PORT_NAME, path: "/metrics", interval: "30s" }]);
        assert.equal(podMonitoringSelector(pm), 'namespace="llm",job="model-server-metrics"');
        // The selector parses as PromQL label matchers inside every query.
        for (const q of allQueries("vllm", podMonitoringSelector(pm), T)) assert.deepEqual(unknownMetrics("vllm", q), []);
    });
});
