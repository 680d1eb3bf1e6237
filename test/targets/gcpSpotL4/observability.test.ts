import { strict as assert } from "node:assert";
import { parse } from "yaml";
import throughput from "../../../policies/cost/throughput.data.json";
import { autoscalingPolicy } from "../../../targets/gcpSpotL4/autoscaling";
import { COLLECTOR_CONFIG, COLLECTOR_IMAGE, collectorConfig, collectorFilterNames, collectorScript, IN_FLIGHT_METRIC, queriedMetrics } from "../../../targets/gcpSpotL4/collector";
import { buildStartupScript } from "../../../targets/gcpSpotL4/startupScript";
import { vllmServer } from "../../../components/serving";
import { exportedMetricNames, SCRAPER_METRICS } from "../../../components/observability/signals";
import {
    DEFAULT_IN_FLIGHT,
    DEFAULT_OBSERVABILITY,
    SATURATED_TOKENS_PER_SECOND,
    STREAM_TOKENS_PER_SECOND,
    targetInFlight,
} from "../../../config/observability";
import { PlannedResource } from "../../../plan/mocks";
import { one, plan, stackFrom, TEST_TAGS } from "../../helpers/program";

const MODEL = { id: "mistralai/Mistral-7B-Instruct-v0.2", servedName: "mistral-7b", maxModelLen: 8192 };

describe("gcpSpotL4 observability: autoscaling on requests in flight, collector on the replica", () => {
    it("the autoscaler targets the per-instance in-flight gauge, not load-balancer RPS", () => {
        const p = autoscalingPolicy({ minReplicas: 1, maxReplicas: 3, initialDelaySec: 1200, targetInFlightPerReplica: 25 });
        assert.equal(p.loadBalancingUtilization, undefined);
        assert.equal(p.cpuUtilization, undefined);
        assert.deepEqual(p.metrics, [{ name: IN_FLIGHT_METRIC, filter: 'resource.type = "gce_instance"', target: 25, type: "GAUGE" }]);
        assert.equal(p.maxReplicas, 3);
        assert.equal(p.cooldownPeriod, 1200);
    });

    it("the collector scrapes only localhost, combines running+waiting into the autoscaler's metric, and keeps only queried names", () => {
        const cfg = collectorConfig(8000) as any;
        const targets = cfg.receivers.prometheus.config.scrape_configs.flatMap((s: any) => s.static_configs.flatMap((c: any) => c.targets));
        assert.deepEqual(targets, ["localhost:8000"]);
        const combine = cfg.processors["metricstransform/in_flight"].transforms[0];
        assert.equal(`${cfg.exporters.googlecloud.metric.prefix}${combine.new_name}`, IN_FLIGHT_METRIC);
        const re = new RegExp(combine.include.replace("?P<", "?<"));
        assert.ok(re.test("vllm:num_requests_running") && re.test("vllm:num_requests_waiting") && !re.test("vllm:kv_cache_usage_perc"));
        // Every name the pipelines keep is one vLLM v0.11.0 exports (a misspelt filter drops the signal silently).
        const exported = exportedMetricNames("vllm");
        for (const m of [...queriedMetrics(), ...cfg.processors["filter/in_flight"].metrics.include.metric_names]) assert.ok(exported.has(m) || SCRAPER_METRICS.has(m), m);
        // The alerts' inputs survive the filter: the cache gauge, the latency histograms' buckets, the scraper's `up`.
        for (const m of ["vllm:kv_cache_usage_perc", "vllm:time_to_first_token_seconds_bucket", "up"]) assert.ok(queriedMetrics().includes(m), m);
        // Inside the collector a histogram is one metric named after its family (the Prometheus
        // receiver folds _bucket/_sum/_count together): the filter must keep the families, and a
        // filter on the _bucket names (as first written) would drop both latency histograms.
        const kept: string[] = cfg.processors["filter/queried"].metrics.include.metric_names;
        assert.deepEqual(kept, collectorFilterNames());
        for (const m of ["vllm:time_to_first_token_seconds", "vllm:e2e_request_latency_seconds", "vllm:kv_cache_usage_perc", "up"]) assert.ok(kept.includes(m), m);
        assert.ok(!kept.some((m) => /_(bucket|sum|count)$/.test(m)), kept.join(", "));
        // Counters keep _total (the receiver does not trim suffixes at this version).
        assert.ok(kept.filter((m) => m.startsWith("vllm:")).every((m) => exported.has(m) || exported.has(`${m}_bucket`)), kept.join(", "));
        // Each replica's series carry its own instance (the VM name), not localhost:<port>.
        assert.deepEqual(cfg.processors["resource/instance"].attributes, [{ key: "service.instance.id", from_attribute: "host.name", action: "upsert" }]);
        assert.deepEqual(cfg.service.pipelines["metrics/prometheus"].processors.slice(0, 2), ["resourcedetection", "resource/instance"]);
        // Every pipeline names components that are defined.
        for (const [name, p] of Object.entries<any>(cfg.service.pipelines)) {
            for (const r of p.receivers) assert.ok(cfg.receivers[r], `${name}: receiver ${r}`);
            for (const r of p.processors) assert.ok(cfg.processors[r], `${name}: processor ${r}`);
            for (const r of p.exporters) assert.ok(cfg.exporters[r], `${name}: exporter ${r}`);
        }
    });

    it("the startup script writes the collector config (YAML that round-trips) and starts the pinned collector after the model server", () => {
        const script = buildStartupScript({
            server: vllmServer(MODEL, { accelerator: "nvidia-l4" }),
            apiKeySecret: "projects/p/secrets/k",
            serviceAccountEmail: "sa@p.iam.gserviceaccount.com",
            gpuCount: 1,
            collector: collectorScript(8000),
        });
        const yaml = /<<'OTELCOL'\n([\s\S]*?)\nOTELCOL\n/.exec(script);
        assert.ok(yaml);
        assert.deepEqual(parse(yaml[1]), collectorConfig(8000));
        assert.ok(script.indexOf("--name model-server") < script.indexOf("--name metrics-collector"));
        assert.ok(script.includes(COLLECTOR_IMAGE) && !COLLECTOR_IMAGE.endsWith(":latest"));
        assert.ok(script.includes(`cat > ${COLLECTOR_CONFIG}`));
        assert.doesNotMatch(collectorScript(8000), /--publish|-p \d/, "the collector opens no port");
    });

    it("in-flight defaults come from the throughput data: saturated tokens/s over a streaming client's rate", () => {
        for (const [accelerator, figure] of Object.entries(SATURATED_TOKENS_PER_SECOND)) {
            const entry = throughput.entries.find((e) => e.server === "vllm" && e.accelerator === accelerator && e.devicesPerReplica === 1);
            assert.equal(entry?.figure?.outputTokensPerSecond, figure, accelerator);
            assert.equal(targetInFlight(DEFAULT_OBSERVABILITY, accelerator), Math.floor(figure / STREAM_TOKENS_PER_SECOND));
        }
        assert.equal(targetInFlight(DEFAULT_OBSERVABILITY, "NVIDIA L4"), 25);
        assert.equal(targetInFlight(DEFAULT_OBSERVABILITY, "NVIDIA L4", 2), DEFAULT_IN_FLIGHT, "no figure for two L4s");
        assert.equal(targetInFlight(DEFAULT_OBSERVABILITY, "AWS Inferentia2"), DEFAULT_IN_FLIGHT);
        assert.equal(targetInFlight({ ...DEFAULT_OBSERVABILITY, targetInFlightPerReplica: 12 }, "NVIDIA L4"), 12);
    });
});

describe("gcpSpotL4 observability under mocks", function () {
    this.timeout(120_000);
    let resources: PlannedResource[];
    before(async () => {
        ({ resources } = await plan(
            stackFrom({
                model: MODEL,
                tags: TEST_TAGS,
                targets: { gcpSpotL4: { project: "acme-llm-test", region: "us-central1", replicas: { min: 1, max: 3 }, plaintextHttp: true } },
                observability: { targetInFlightPerReplica: 16 },
            }),
        ));
    });

    it("the stack's observability config reaches the group's autoscaler", () => {
        const autoscaler = one(resources, "gcp:compute/regionAutoscaler:RegionAutoscaler");
        const policy = autoscaler.inputs.autoscalingPolicy as any;
        assert.equal(policy.metrics[0].target, 16);
        assert.equal(policy.metrics[0].name, IN_FLIGHT_METRIC);
    });
});
