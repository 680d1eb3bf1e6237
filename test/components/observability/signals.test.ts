import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import metricsData from "../../../components/observability/metrics.data.json";
import { selectedMetrics, unknownMetrics } from "../../helpers/promql";
import {
    AlertThresholds,
    allQueries,
    alertRules,
    exportedMetricNames,
    MetricServer,
} from "../../../components/observability/signals";
import { NEURON_VLLM_IMAGE, VLLM_IMAGE } from "../../../components/serving";
import { modelPodMonitoring, podMonitoringSelector } from "../../../components/observability/podMonitoring";
import { MODEL_PORT_NAME, selectorLabels } from "../../../components/k8s/modelServer";

const T: AlertThresholds = { queueWaitingPerReplica: 4, queueMinutes: 5, kvCacheUsage: 0.9, ttftP95Seconds: 2, evictionBurst: 2 };
const SELECTOR = 'job="llm-serving"';
const SERVERS = Object.keys(metricsData.servers) as MetricServer[];

describe("observability signals: every metric a query names is one the pinned server exports", () => {
    for (const server of SERVERS) {
        it(`${server}: every alert and dashboard query parses and selects only exported metrics`, () => {
            const queries = allQueries(server, SELECTOR, T);
            assert.ok(queries.length >= 14);
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

    it("the five alerts of issue #18 exist for each build, with their thresholds", () => {
        for (const server of SERVERS) {
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
        assert.notEqual(createHash("sha256").update("").digest("hex"), metricsData.servers.vllm.provenance.sha256);
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
