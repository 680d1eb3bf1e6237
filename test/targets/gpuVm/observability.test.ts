import { strict as assert } from "node:assert";
import { parse } from "yaml";
import { MockRun, PlannedResource } from "../../../plan/mocks";
import { BUILTIN_ROLES } from "../../../components/azure/roles";
import { allQueries } from "../../../components/observability/signals";
import { DEFAULT_OBSERVABILITY } from "../../../config/observability";
import { ingestionUrl, VM_COLLECTOR_IMAGE, VM_SELECTOR, vmCollectorConfig, vmQueriedSeries } from "../../../targets/gpuVm/metrics";
import { one, plan, stackFrom, TEST_TAGS } from "../../helpers/program";
import { selectedMetrics } from "../../helpers/promql";
import { SECRETS, VM } from "../../components/azure/fixtures";

const T = {
    vm: "azure-native:compute:VirtualMachine",
    workspace: "azure-native:monitor:AzureMonitorWorkspace",
    dcr: "azure-native:monitor:DataCollectionRule",
    role: "azure-native:authorization:RoleAssignment",
    rules: "azure-native:alertsmanagement:PrometheusRuleGroup",
    dashboard: "azure-native:dashboard:Dashboard",
    definition: "azure-native:dashboard:DashboardDefinition",
    secret: "azure-native:keyvault:Secret",
};
const cloudInit = (vm: PlannedResource) => Buffer.from(String((vm.inputs.osProfile as Record<string, unknown>).customData), "base64").toString("utf8");

describe("gpuVm observability (issue #18)", function () {
    this.timeout(120_000);
    let gpu: PlannedResource[];
    let cpu: PlannedResource[];
    before(async () => {
        const notifications = { emails: ["oncall@example.com"] };
        gpu = ((await plan(stackFrom({ tags: TEST_TAGS, targets: { gpuVm: VM }, notifications }, SECRETS))) as MockRun<unknown>).resources;
        const cpuVm = { ...VM, vmSize: "Standard_D4s_v5", spot: false, spotMaxPrice: undefined };
        cpu = (await plan(stackFrom({ model: { id: "mistralai/Mistral-7B-Instruct-v0.2", servedName: "mistral-7b", maxModelLen: 8192 }, tags: TEST_TAGS, targets: { gpuVm: cpuVm }, notifications }, SECRETS))).resources;
    });

    it("the collector keeps exactly the series the alerts and the dashboard select (ingestion is billed per sample)", () => {
        const selected = new Set(allQueries("vllm", VM_SELECTOR, DEFAULT_OBSERVABILITY).flatMap(selectedMetrics));
        assert.deepEqual(vmQueriedSeries(), [...selected].sort());
        const keep = (vmCollectorConfig("model-server:8000") as { scrape_configs: Array<{ metric_relabel_configs: Array<{ regex: string }> }> }).scrape_configs[0].metric_relabel_configs[0].regex.split("|");
        assert.ok(keep.includes("vllm:num_requests_waiting") && keep.includes("vllm:time_to_first_token_seconds_bucket"));
        // `up` is the scraper's own series: a keep filter never sees it.
        assert.ok(!keep.includes("up"));
    });

    it("the cloud-init starts the pinned collector on the servers' network, publishing no port, config from Key Vault and IMDS", () => {
        const text = cloudInit(one(gpu, T.vm));
        const run = /docker run -d --name metrics-collector[^\n]*\n(?:[^\n]*\\\n)*[^\n]*\n/.exec(text)?.[0] ?? "";
        assert.ok(run.includes(VM_COLLECTOR_IMAGE) && /prom\/prometheus:v\d+\.\d+\.\d+$/.test(VM_COLLECTOR_IMAGE), run);
        assert.match(run, /--network llm-serving/);
        assert.match(run, /--agent/);
        assert.match(run, /--web\.listen-address=127\.0\.0\.1:9090/);
        assert.doesNotMatch(run, /--publish|-p /);
        assert.match(text, /read_secret metrics-ingestion-url/);
        assert.match(text, /jq -j '\.client_id \/\/ empty'/);
        // The static part of the config is valid YAML with the scrape on the server's container name.
        const yaml = /cat <<'PROMETHEUS'\n([\s\S]*?)\n\s*PROMETHEUS/.exec(text)?.[1] ?? "";
        const cfg = parse(yaml.replace(/^ {6}/gm, "").replace(/^ {2}/gm, "")) as { scrape_configs: Array<{ static_configs: Array<{ targets: string[] }> }> };
        assert.deepEqual(cfg.scrape_configs[0].static_configs[0].targets, ["model-server:8000"]);
    });

    it("a workspace, a collection rule for the Prometheus stream, and the VM's identity may publish to that rule only", () => {
        assert.equal(gpu.filter((r) => r.type === T.workspace).length, 1);
        const dcr = one(gpu, T.dcr);
        assert.deepEqual((dcr.inputs.dataFlows as Array<{ streams: string[] }>)[0].streams, ["Microsoft-PrometheusMetrics"]);
        // Every stream the flows route has a data source declaring it: a prometheusForwarder for
        // Microsoft-PrometheusMetrics, the shape aksGpu's rule has (a rule without it forwards nothing).
        const sources = (dcr.inputs.dataSources as { prometheusForwarder?: Array<{ name: string; streams: string[] }> } | undefined)?.prometheusForwarder ?? [];
        assert.deepEqual(sources.flatMap((f) => f.streams), ["Microsoft-PrometheusMetrics"]);
        const publisher = gpu.filter((r) => r.type === T.role && String(r.inputs.roleDefinitionId).endsWith(BUILTIN_ROLES.monitoringMetricsPublisher));
        assert.equal(publisher.length, 1);
        assert.ok(gpu.some((r) => r.type === T.secret && r.inputs.secretName === "metrics-ingestion-url"));
        assert.equal(ingestionUrl("https://dce.eastus-1.metrics.ingest.monitor.azure.com/", "dcr-1"), "https://dce.eastus-1.metrics.ingest.monitor.azure.com/dataCollectionRules/dcr-1/streams/Microsoft-PrometheusMetrics/api/v1/write?api-version=2023-04-24");
    });

    it("five alerts on the VM's series, and a Grafana dashboard whose definition is the golden signals", () => {
        const rules = one(gpu, T.rules).inputs.rules as Array<{ alert: string; expression: string }>;
        assert.deepEqual(rules.map((r) => r.alert), ["no-healthy-replica", "queue-waiting", "kv-cache-full", "ttft-p95", "eviction-burst"]);
        for (const r of rules) assert.ok(r.expression.includes(VM_SELECTOR), r.expression);
        assert.equal(gpu.filter((r) => r.type === T.dashboard).length, 1);
        const json = JSON.parse(String((one(gpu, T.definition).inputs.properties as { serializedData: string }).serializedData)) as { panels: unknown[] };
        assert.equal(json.panels.length, 10);
    });

    it("llama.cpp on a CPU size: the same agent path, started with --metrics, keeping llama.cpp's series (and no vLLM one)", () => {
        for (const type of [T.workspace, T.dcr, T.rules, T.dashboard]) assert.equal(cpu.filter((r) => r.type === type).length, 1, type);
        const text = cloudInit(one(cpu, T.vm));
        assert.match(text, /docker run -d --name metrics-collector/);
        assert.match(text, /ghcr\.io\/ggml-org\/llama\.cpp:server-b7010 [^\n]*--metrics/);
        assert.match(text, /read_secret metrics-ingestion-url/);
        const selected = new Set(allQueries("llamacpp", VM_SELECTOR, DEFAULT_OBSERVABILITY).flatMap(selectedMetrics));
        assert.deepEqual(vmQueriedSeries(DEFAULT_OBSERVABILITY, "llamacpp"), [...selected].sort());
        const yaml = /cat <<'PROMETHEUS'\n([\s\S]*?)\n\s*PROMETHEUS/.exec(text)?.[1] ?? "";
        const cfg = parse(yaml.replace(/^ {6}/gm, "").replace(/^ {2}/gm, "")) as { scrape_configs: Array<{ metric_relabel_configs: Array<{ regex: string }> }> };
        const keep = cfg.scrape_configs[0].metric_relabel_configs[0].regex.split("|");
        assert.deepEqual(keep, ["llamacpp:predicted_tokens_seconds", "llamacpp:requests_deferred", "llamacpp:requests_processing", "llamacpp:tokens_predicted_total"]);
        // Negative control: the GPU VM's collector keeps vLLM's series, none of llama.cpp's.
        assert.ok(!cloudInit(one(gpu, T.vm)).includes("llamacpp:"));
        const rules = one(cpu, T.rules).inputs.rules as Array<{ alert: string; expression: string }>;
        assert.deepEqual(rules.map((r) => r.alert), ["no-healthy-replica", "queue-waiting", "eviction-burst"]);
        assert.ok(rules.every((r) => !r.expression.includes("vllm:")));
        const json = JSON.parse(String((one(cpu, T.definition).inputs.properties as { serializedData: string }).serializedData)) as { panels: Array<{ title: string }> };
        assert.equal(json.panels.length, 6);
        assert.match(json.panels[5].title, /Standard_D4s_v5 on-demand at \$0\.1920\/h/);
    });
});
