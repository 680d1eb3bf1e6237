import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { parser } from "@prometheus-io/lezer-promql";
import { parse } from "yaml";
import { DEFAULT_OBSERVABILITY } from "../../../config/observability";
import { exportedMetricNames, rayServeMetricNames, RAY_SERVE_QUERY_METRICS, SCRAPER_METRICS } from "../../../components/observability/signals";
import { neuronServer } from "../../../components/serving";
import {
    alertManagerDefinition,
    costRateQuery,
    eksDashboardPanels,
    INF2_ON_DEMAND_HOURLY_USD,
    grafanaDashboard,
    grafanaTokenName,
    GRAFANA_TOKEN_LIFETIME_DAYS,
    GRAFANA_TOKEN_ROTATION_DAYS,
    RAY_SERVE_JOB,
    ruleGroupsData,
    scrapeConfiguration,
    VLLM_JOB,
} from "../../../targets/eksInf2/observability";
import { buildRayService, engineBatch, ongoingTarget, RAY_METRICS_PORT, serveAppSource, serveConfig, VLLM_METRICS_PORT } from "../../../targets/eksInf2/rayService";
import { samplesPerMonthMillions, scrapeIntervalSeconds } from "../../../policies/model/aws/monitoring";
import { findPrice } from "../../../policies/cost/catalog";
import { PlannedResource } from "../../../plan/mocks";
import { plan, stackFrom, TEST_TAGS } from "../../helpers/program";

const MODEL = { id: "mistralai/Mistral-7B-Instruct-v0.2", servedName: "mistral-7b", maxModelLen: 8192 };
const IMAGE = "123456789012.dkr.ecr.us-west-2.amazonaws.com/llm-serving/neuron-ray-serve:vllm0.9.1-ray2.46.0";
const KNOWN = new Set([...exportedMetricNames("vllmNeuron"), ...rayServeMetricNames(), ...SCRAPER_METRICS]);

/** Metric names an expression selects, with Prometheus's grammar (lezer-promql); a syntax error throws. */
function selectedMetrics(expr: string): string[] {
    const names: string[] = [];
    let error: number | undefined;
    parser.parse(expr).iterate({
        enter(node) {
            if (node.type.isError) error = node.from;
            if (node.name === "Identifier" && node.node.parent?.name === "VectorSelector") names.push(expr.slice(node.from, node.to));
        },
    });
    if (error !== undefined) throw new Error(`PromQL syntax error at ${error} in: ${expr}`);
    return names;
}

interface Job {
    job_name: string;
    relabel_configs: Array<{ action?: string; regex?: string; source_labels?: string[] }>;
    metric_relabel_configs: Array<{ action: string; regex: string }>;
}
const jobs = (): Job[] => (parse(scrapeConfiguration()) as { scrape_configs: Job[] }).scrape_configs;
/** Whether a job's metric keep filter lets `metric` through (Prometheus anchors the regex). */
const kept = (job: Job, metric: string) => new RegExp(`^(?:${job.metric_relabel_configs[0].regex})$`).test(metric);

function allQueries(): string[] {
    const rules = (parse(ruleGroupsData(DEFAULT_OBSERVABILITY)) as { groups: Array<{ rules: Array<{ expr: string }> }> }).groups[0].rules;
    return [...rules.map((r) => r.expr), ...eksDashboardPanels().map((p) => p.query)];
}

describe("eksInf2 observability: AMP scraper, rules, alert manager, dashboard", () => {
    it("every alert and dashboard query parses and names only metrics the pinned vLLM-Neuron build or Ray Serve exports", () => {
        const queries = allQueries();
        assert.equal(queries.length, 5 + 9 + 2);
        for (const q of queries) {
            const names = selectedMetrics(q);
            assert.ok(names.length > 0, q);
            assert.deepEqual(names.filter((n) => !KNOWN.has(n)), [], q);
        }
    });

    it("negative controls: a Ray counter name, the v1 engine's KV gauge and a broken query are caught", () => {
        assert.deepEqual(selectedMetrics("sum(ray_serve_deployment_request_counter)").filter((n) => !KNOWN.has(n)), ["ray_serve_deployment_request_counter"]);
        assert.deepEqual(selectedMetrics("max(vllm:kv_cache_usage_perc)").filter((n) => !KNOWN.has(n)), ["vllm:kv_cache_usage_perc"]);
        assert.throws(() => selectedMetrics("avg(ray_serve_replica_processing_queries"), /syntax error/);
    });

    it("the scraper keeps every series the queries read, from the ports the RayService declares", () => {
        const [vllm, ray] = jobs();
        assert.equal(vllm.job_name, VLLM_JOB);
        assert.equal(ray.job_name, RAY_SERVE_JOB);
        for (const q of allQueries()) {
            for (const m of selectedMetrics(q).filter((n) => !SCRAPER_METRICS.has(n))) {
                assert.ok(kept(m.startsWith("vllm:") ? vllm : ray, m), `${m} is dropped by the scraper: ${q}`);
            }
        }
        // What the Ray job keeps is what Ray Serve exports (metrics.data.json, from Ray's source).
        for (const m of RAY_SERVE_QUERY_METRICS) assert.ok(rayServeMetricNames().has(m), m);
        // Negative control: a Ray metric nobody reads is dropped (it would be billed).
        assert.equal(kept(ray, "ray_node_cpu_utilization"), false);
        // The jobs keep the ports the worker and head declare by name.
        const rs = buildRayService({
            name: "llm",
            server: neuronServer(MODEL, { devices: 1, image: IMAGE }),
            devicesPerReplica: 1,
            instanceTypes: ["inf2.8xlarge"],
            replicas: { min: 1, max: 2 },
            apiKeySecret: { name: "k", key: "k" },
            appConfigMap: "app",
        });
        const worker = rs.spec.rayClusterConfig.workerGroupSpecs[0].template.spec!.containers[0].ports!;
        const head = rs.spec.rayClusterConfig.headGroupSpec.template.spec!.containers[0].ports!;
        assert.equal(vllm.relabel_configs[0].regex, VLLM_METRICS_PORT.name);
        assert.equal(ray.relabel_configs[0].regex, RAY_METRICS_PORT.name);
        assert.ok(worker.some((p) => p.name === VLLM_METRICS_PORT.name && p.containerPort === VLLM_METRICS_PORT.port));
        for (const ports of [worker, head]) assert.ok(ports.some((p) => p.name === RAY_METRICS_PORT.name && p.containerPort === RAY_METRICS_PORT.port));
        assert.equal(rs.spec.rayClusterConfig.headGroupSpec.rayStartParams["metrics-export-port"], String(RAY_METRICS_PORT.port));
        // The Serve app is told where to relay vLLM's metrics.
        assert.equal((parse(rs.spec.serveConfigV2) as { applications: Array<{ args: { metrics_port: number } }> }).applications[0].args.metrics_port, VLLM_METRICS_PORT.port);
    });

    it("the Serve app relays only GET /metrics from the local vLLM (Python parses; the relay is optional for the conformance driver)", () => {
        const src = serveAppSource("/health");
        assert.match(src, /if self\.path\.split\("\?"\)\[0\] != "\/metrics":\n\s+self\.send_error\(404\)/);
        assert.match(src, /def __init__\(self, vllm_args, port, load_seconds, metrics_port=None\)/);
        execFileSync("python3", ["-c", "import ast,sys; ast.parse(sys.stdin.read())"], { input: src });
    });

    it("the alert manager routes to every topic with its region, and to no one without topics", () => {
        const def = (topics: string[]) => parse((parse(alertManagerDefinition(topics)) as { alertmanager_config: string }).alertmanager_config) as {
            route: { receiver: string };
            receivers: Array<{ name: string; sns_configs?: Array<{ topic_arn: string; sigv4: { region: string } }> }>;
        };
        const two = def(["arn:aws:sns:us-west-2:123456789012:a", "arn:aws:sns:eu-west-1:123456789012:b"]);
        assert.equal(two.route.receiver, two.receivers[0].name);
        assert.deepEqual(two.receivers[0].sns_configs!.map((c) => c.sigv4.region), ["us-west-2", "eu-west-1"]);
        assert.equal(def([]).receivers[0].sns_configs, undefined);
    });

    it("the five rules carry their thresholds and durations; the eviction burst fires at once", () => {
        const rules = (parse(ruleGroupsData({ ...DEFAULT_OBSERVABILITY, queueMinutes: 7, kvCacheUsage: 0.9 })) as { groups: Array<{ rules: Array<{ alert: string; expr: string; for?: string }> }> }).groups[0].rules;
        assert.deepEqual(rules.map((r) => r.alert), ["no-healthy-replica", "queue-waiting", "kv-cache-full", "ttft-p95", "eviction-burst"]);
        assert.equal(rules[1].for, "7m");
        assert.match(rules[2].expr, /vllm:gpu_cache_usage_perc\{[^}]*\}\) > 0\.9$/);
        assert.equal(rules[4].for, undefined);
    });

    it("the dashboard has a panel per query on the AMP data source, and the cost rate from the catalog's price", () => {
        const cost = costRateQuery("us-west-2", ["inf2.8xlarge", "inf2.xlarge"])!;
        // The dearest allowed type's on-demand price (the pack's worst case for uncapped spot): inf2.8xlarge $1.96786/h.
        assert.equal(cost.hourlyUsd, 1.96786);
        assert.deepEqual(selectedMetrics(cost.query), ["up"]);
        const d = grafanaDashboard("t", "ds", cost);
        assert.equal(d.panels.length, eksDashboardPanels().length + 1);
        assert.ok(d.panels.every((p) => "targets" in p && p.targets[0].datasource.uid === "ds"));
        const last = d.panels.at(-1)!;
        assert.ok("fieldConfig" in last && last.fieldConfig.defaults.unit === "currencyUSD");
        // The table the program holds is the catalog's (the program may not import the pack; this test may).
        for (const [region, types] of Object.entries(INF2_ON_DEMAND_HOURLY_USD)) {
            for (const [type, usd] of Object.entries(types)) assert.equal(usd, findPrice("aws", region, type)?.onDemandHourlyUsd, `${region} ${type}`);
        }
        // Negative control: an unpriced type gives no query, and the panel says so.
        assert.equal(costRateQuery("us-west-2", ["inf2.nonexistent"]), undefined);
        assert.equal(grafanaDashboard("t", "ds", undefined).panels.at(-1)!.type, "text");
    });

    it("Serve's target_ongoing_requests: the stack's target, by default the engine's compiled batch", () => {
        const server = neuronServer(MODEL, { devices: 1, image: IMAGE });
        // The default fills the batch exactly: Serve scales when vLLM would start to queue.
        assert.equal(ongoingTarget({}), engineBatch(server));
        assert.equal(engineBatch(server), 8);
        assert.equal(engineBatch(neuronServer(MODEL, { devices: 1, image: IMAGE, maxNumSeqs: 4 })), 4);
        assert.equal(ongoingTarget({ targetOngoingRequests: 4 }), 4);
        const input = { name: "llm", server, devicesPerReplica: 1, instanceTypes: ["inf2.8xlarge" as const], replicas: { min: 1, max: 2 }, apiKeySecret: { name: "k", key: "k" }, appConfigMap: "a", targetOngoingRequests: 6 };
        assert.match(serveConfig(input, 2), /target_ongoing_requests: 6/);
    });

    it("the Grafana token is renamed (so replaced) every 14 days, before its 30-day life runs out", () => {
        // The provider's Read ignores expires_at: without a new name an expired token stays in state and
        // every later Grafana call fails 401. Bucket = floor(days since epoch / 14).
        const day = 86_400_000;
        const start = 14 * 20_000 * day; // the first instant of bucket 20,000
        assert.equal(grafanaTokenName(start), "pulumi-20000");
        assert.equal(grafanaTokenName(start + 14 * day - 1), "pulumi-20000");
        assert.equal(grafanaTokenName(start + 14 * day), "pulumi-20001");
        assert.equal(grafanaTokenName(start - 1), "pulumi-19999");
        // A token made at a bucket's start is replaced by the first update 14 days later, with 16 days to spare.
        assert.ok(GRAFANA_TOKEN_ROTATION_DAYS < GRAFANA_TOKEN_LIFETIME_DAYS && GRAFANA_TOKEN_LIFETIME_DAYS <= 30);
    });

    it("samples priced from the scrape interval: 30 s is 87,600 scrapes a month", () => {
        assert.equal(scrapeIntervalSeconds(scrapeConfiguration()), 30);
        assert.equal(scrapeIntervalSeconds("global:\n  scrape_interval: 1m\n"), 60);
        assert.equal(scrapeIntervalSeconds("scrape_configs: []\n"), 60); // Prometheus's default
        assert.equal(scrapeIntervalSeconds("global:\n  scrape_interval: 500ms\n"), undefined);
        // (1 x 300 + 10) x 87,600 = 27,156,000; (2 x 300 + 10) x 87,600 = 53,436,000.
        assert.equal(samplesPerMonthMillions(1, 30), 27.16);
        assert.equal(samplesPerMonthMillions(2, 30), 53.44);
    });
});

describe("eksInf2 observability under mocks", function () {
    this.timeout(120_000);
    let resources: PlannedResource[];
    before(async () => {
        const eks = { region: "us-west-2", instanceTypes: ["inf2.8xlarge"], capacityType: "spot", maxNodes: 2, replicas: { min: 1, max: 2 }, allowedCidrs: ["203.0.113.0/24"], apiAccessCidrs: ["203.0.113.0/24"], plaintextHttp: true, image: IMAGE };
        ({ resources } = await plan(stackFrom({ model: MODEL, tags: TEST_TAGS, targets: { eksInf2: eks }, notifications: { emails: ["oncall@example.com"] } })));
    });

    it("declares the workspace, scraper, rules, alert manager and dashboard", () => {
        const types = new Set(resources.map((r) => r.type));
        for (const t of [
            "aws:amp/workspace:Workspace",
            "aws:amp/scraper:Scraper",
            "aws:amp/ruleGroupNamespace:RuleGroupNamespace",
            "aws:amp/alertManagerDefinition:AlertManagerDefinition",
            "aws:grafana/workspace:Workspace",
            "grafana:oss/dashboard:Dashboard",
        ]) assert.ok(types.has(t), t);
        const scraper = resources.find((r) => r.type === "aws:amp/scraper:Scraper")!;
        const source = (scraper.inputs.source as { eks: { subnetIds: unknown[]; securityGroupIds: unknown[] } }).eks;
        assert.ok(source.subnetIds.length >= 2, "the scraper needs subnets in two zones");
        assert.deepEqual(source.securityGroupIds, ["sg-0mockcluster0000"]);
        const am = resources.find((r) => r.type === "aws:amp/alertManagerDefinition:AlertManagerDefinition")!;
        assert.match(String(am.inputs.definition), /topic_arn: arn:aws:sns:us-west-2:/);
        // The alert topic lets AMP publish.
        const policy = resources.find((r) => r.type === "aws:sns/topicPolicy:TopicPolicy" && r.name === "eks-inf2-obs-alerts")!;
        const statements = JSON.parse(String(policy.inputs.policy)).Statement as Array<{ Principal: { Service?: unknown }; Action: unknown }>;
        assert.ok(statements.some((s) => s.Principal.Service === "aps.amazonaws.com" && JSON.stringify(s.Action).includes("SNS:GetTopicAttributes")));
    });

    it("declares no access entry or ClusterRole for the scraper's role: AMP creates its own on an API-mode cluster", () => {
        // AMP user guide, AMP-collector-how-to.html, "Configure Amazon EKS for scraper access with
        // access entries": a scraper created through the API gets its access entry created for it;
        // EKS allows one access entry per principal ARN, so a second one fails the deploy.
        const entries = resources.filter((r) => r.type === "aws:eks/accessEntry:AccessEntry");
        assert.ok(entries.length > 0, "the cluster's own access entries are planned (the check below sees them)");
        assert.deepEqual(entries.filter((r) => /AmazonPrometheusScraper|scraper/i.test(`${r.name} ${String(r.inputs.principalArn)}`)).map((r) => r.name), []);
        const rbac = resources.filter((r) => r.type.startsWith("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole"));
        assert.deepEqual(rbac.filter((r) => /aps-collector/.test(`${r.name} ${JSON.stringify(r.inputs)}`)).map((r) => r.name), []);
    });

    it("the deployer's Grafana service account is an ADMIN: creating the data source takes the organization administrator role", () => {
        // grafana.com docs, Amazon Managed Service for Prometheus data source: "The organization
        // administrator role to add and configure data sources"; an EDITOR's token cannot.
        const accounts = resources.filter((r) => r.type === "aws:grafana/workspaceServiceAccount:WorkspaceServiceAccount");
        assert.equal(accounts.length, 1);
        assert.equal(accounts[0].inputs.grafanaRole, "ADMIN");
        const token = resources.find((r) => r.type === "aws:grafana/workspaceServiceAccountToken:WorkspaceServiceAccountToken")!;
        assert.match(String(token.inputs.name), /^pulumi-\d+$/);
        assert.equal(token.inputs.secondsToLive, 30 * 24 * 3600);
        assert.ok(resources.some((r) => r.type === "grafana:oss/dataSource:DataSource"), "the data source that needs it is declared");
    });
});

describe("eksInf2 observability with observability.eksManagedGrafana false (an account without IAM Identity Center)", function () {
    this.timeout(120_000);
    // Managed Grafana's AWS_SSO sign-in fails "ValidationException: SSO is not enabled in any region"
    // in such an account, so the switch must remove every Grafana resource, not just the workspace.
    const GRAFANA = /^aws:grafana\/|^grafana:|^pulumi:providers:grafana$/;
    let resources: PlannedResource[];
    before(async () => {
        const eks = { region: "us-west-2", instanceTypes: ["inf2.8xlarge"], capacityType: "spot", maxNodes: 2, replicas: { min: 1, max: 2 }, allowedCidrs: ["203.0.113.0/24"], apiAccessCidrs: ["203.0.113.0/24"], plaintextHttp: true, image: IMAGE };
        ({ resources } = await plan(stackFrom({ model: MODEL, tags: TEST_TAGS, targets: { eksInf2: eks }, observability: { eksManagedGrafana: false } })));
    });

    it("declares no Grafana workspace, service account, token, provider, data source or dashboard, and keeps AMP and its alerts", () => {
        assert.deepEqual(resources.filter((r) => GRAFANA.test(r.type)).map((r) => r.type), []);
        assert.ok(!resources.some((r) => r.type === "aws:iam/role:Role" && r.name === "eks-inf2-grafana"));
        for (const t of ["aws:amp/workspace:Workspace", "aws:amp/scraper:Scraper", "aws:amp/ruleGroupNamespace:RuleGroupNamespace", "aws:amp/alertManagerDefinition:AlertManagerDefinition"]) assert.ok(resources.some((r) => r.type === t), t);
    });

    it("negative control: by default every one of them is declared (the filter above sees them)", async () => {
        const eks = { region: "us-west-2", instanceTypes: ["inf2.8xlarge"], capacityType: "spot", maxNodes: 2, replicas: { min: 1, max: 2 }, allowedCidrs: ["203.0.113.0/24"], apiAccessCidrs: ["203.0.113.0/24"], plaintextHttp: true, image: IMAGE };
        const { resources: all } = await plan(stackFrom({ model: MODEL, tags: TEST_TAGS, targets: { eksInf2: eks } }));
        const types = new Set(all.filter((r) => GRAFANA.test(r.type)).map((r) => r.type));
        for (const t of ["aws:grafana/workspace:Workspace", "aws:grafana/workspaceServiceAccount:WorkspaceServiceAccount", "aws:grafana/workspaceServiceAccountToken:WorkspaceServiceAccountToken", "pulumi:providers:grafana", "grafana:oss/dataSource:DataSource", "grafana:oss/dashboard:Dashboard"]) assert.ok(types.has(t), t);
    });
});
