// The ha stack (issue 19): spot with an on-demand floor and fallback on gcpSpotL4 (two regions)
// and aksGpu, priced by hand from catalog prices (policies/cost/catalog.data.json) to the cent,
// with both capacity types and both regions in the plan and the pack passing it.
import { strict as assert } from "node:assert";
import { EXIT, main } from "../../plan/cli";
import { PlanReport } from "../../plan/report";

const cents = (x: number) => Math.round(x * 100) / 100;
type Kind = "capacity" | "storage" | "fixed" | "transient" | "usage";
const line = (name: string, kind: Kind, sku: string, region: string, countMin: number, countMax: number, baseline: number, worst: number) => ({ name, kind, sku, region, countMin, countMax, baseline, worst });

// g2-standard-4 $0.70683/h on demand in us-central1 and us-east1 alike (SkyPilot catalog); GCP spot
// has no price cap, so its worst case is on-demand. Standard_NC24ads_A100_v4 eastus $3.673/h on
// demand; the spot pool's max price is $1.00/h. pd-balanced $0.10/GB-month; P15 $38.02, P10 $19.71.
const gcpRegion = (prefix: string, region: string) => [
    // Spot: 1..2 (replicas 2..4 minus floor 1 and fallback 1).
    line(`${prefix}-mig`, "capacity", "g2-standard-4", region, 1, 2, 515.99, 1031.97), // 1 / 2 x 0.70683 x 730 = 515.9859 / 1031.9718
    line(`${prefix}-mig`, "storage", "gcp-disk", region, 1, 2, 10, 20), // 1 / 2 x 100 GB x $0.10
    line(`${prefix}-mig`, "transient", "g2-standard-4 surge", region, 0, 3, 0, 8.65), // 3 x (0.70683 + 10/730) x 4 h = 8.6463
    // On-demand: the floor (1, always running, on-demand in the baseline) + fallback (1 more, on-demand in the worst case).
    line(`${prefix}-ondemand-mig`, "capacity", "g2-standard-4", region, 1, 2, 515.99, 1031.97),
    line(`${prefix}-ondemand-mig`, "storage", "gcp-disk", region, 1, 2, 10, 20),
    line(`${prefix}-ondemand-mig`, "transient", "g2-standard-4 surge", region, 0, 3, 0, 8.65),
    line(`${prefix}-nat`, "fixed", "gcp-cloud-nat-vm", region, 2, 4, 2.04, 4.09), // 2 / 4 VMs x 0.0014 x 730 = 2.044 / 4.088
    line(`${prefix}-nat`, "fixed", "gcp-nat-ip", region, 1, 1, 3.65, 3.65), // 1 address x 0.005 x 730
    line(`${prefix}-nat`, "usage", "gcp-nat-processed", region, 500, 500, 22.5, 22.5), // 500 GiB x $0.045
];
const EXPECTED = [
    ...gcpRegion("gcp-spot-l4", "us-central1"),
    ...gcpRegion("gcp-spot-l4-us-east1", "us-east1"),
    line("gcp-spot-l4-forwarding", "fixed", "gcp-lb-forwarding-rule-first5", "global", 1, 1, 18.25, 18.25), // 0.025 x 730
    line("gcp-spot-l4-ip", "fixed", "gcp-static-ip", "global", 1, 1, 3.65, 3.65),
    line("gcp-spot-l4-backend", "usage", "gcp-lb-processed", "global", 500, 500, 4, 4), // 500 x 0.008
    line("gcp-spot-l4-backend", "usage", "gcp-internet-egress", "global", 500, 500, 60, 60), // 500 x 0.12
    line("gcp-spot-l4-armor", "fixed", "gcp-cloud-armor-policy", "global", 1, 1, 5, 5),
    line("gcp-spot-l4-armor", "fixed", "gcp-cloud-armor-rule", "global", 3, 3, 3, 3), // deny non-/v1, allow CIDRs, default
    line("gcp-spot-l4-armor", "usage", "gcp-cloud-armor-requests", "global", 10, 10, 7.5, 7.5), // 10 M x $0.75
    line("gcp-spot-l4-api-key-version", "fixed", "gcp-secret-version", "-", 1, 1, 0.06, 0.06),
    // Observability (#18): five alert conditions at $1.50 each, each returning one aggregated series
    // per one-minute evaluation (43,800 a month = 0.0438 M x $0.35 = 0.0153), and the dashboard's
    // 40 M Managed Prometheus samples x $0.06 = $2.40: $10.00 in all.
    ...["no-healthy-replica", "queue-waiting", "kv-cache-full", "ttft-p95", "eviction-burst"].flatMap((a) => [
        line(`gcp-spot-l4-obs-${a}`, "fixed", "gcp-alert-condition", "global", 1, 1, 1.5, 1.5),
        line(`gcp-spot-l4-obs-${a}`, "usage", "gcp-alert-time-series", "global", 0.0438, 0.0438, 0.02, 0.02),
    ]),
    line("gcp-spot-l4-obs-dashboard", "usage", "gcp-prometheus-samples", "global", 40, 40, 2.4, 2.4),
    // The circuit breaker (issue 16, on in ha): its function's image, 0.5 GB assumed x $0.10/GB-month = $0.05;
    // its source object, 1 MiB x $0.020/GB-month / 1024 = $0.00002, so $0.00 to the cent.
    line("breaker-gcp-function", "fixed", "gcp-function-image", "us-central1", 1, 1, 0.05, 0.05),
    line("breaker-gcp-source", "fixed", "gcp-storage-standard-mib", "-", 1, 1, 0, 0),
    // The AWS breaker: its topic's KMS key, $1/month, with rotation up to $3 (two rotated backing keys);
    // its log group at the stack's 50 GB log assumption x $0.50 = $25; its Lambda, idle in the baseline
    // and at most 15 runs (5 notifications x 3 attempts) of its 30 s timeout at 128 MB Arm: 15 x 30 s x 0.125 GB x $0.0000133334
    // = $0.00075, $0.00 (no reserved concurrency, which new accounts refuse, so no longer a whole reserved month at $4.38);
    // 15 requests a month x $0.20 per million rounds to $0.00.
    line("breaker-aws-key", "fixed", "aws-kms-key", "-", 1, 3, 1, 3),
    line("breaker-aws-logs", "usage", "aws-cloudwatch-logs-ingestion", "-", 50, 50, 25, 25),
    line("breaker-aws-fn", "transient", "aws-lambda-arm64-gb-s", "-", 0, 15, 0, 0),
    line("breaker-aws-fn", "usage", "aws-lambda-requests", "-", 0.000015, 0.000015, 0, 0),
    // The Azure breaker: 100 runs x 300 s x 1.5 GB = 45,000 GB-s x $0.000016 = $0.72; 100 executions x
    // $0.20 per million = $0.00; its storage account at the floor: 1 GB x $0.0208 = $0.02 and
    // 10 x 10,000 operations x $0.065 = $0.65.
    line("breaker-azure-app", "usage", "azure-functions-execution-time", "-", 45000, 45000, 0.72, 0.72),
    line("breaker-azure-logs", "usage", "azure-log-analytics-ingestion", "-", 3.1, 3.1, 8.56, 8.56), // its daily cap 0.1 GB x 31 days x $2.76 = 8.556
    line("breaker-azure-app", "usage", "azure-functions-executions", "-", 0.0001, 0.0001, 0, 0),
    line("breaker-azure-storage", "usage", "azure-blob-hot-lrs-capacity", "-", 1, 1, 0.02, 0.02),
    line("breaker-azure-storage", "usage", "azure-blob-hot-write-operations", "-", 10, 10, 0.65, 0.65),
    // aksGpu observability (#18): 40 M samples into Azure Monitor managed Prometheus x $0.16 per 10 M = $0.64;
    // five alert rules evaluated each minute over ~1,000 samples: 5 x 43,800 x 1,000 = 219 M samples x $0.001 per 10 M = $0.0219.
    line("aks-gpu-amw", "usage", "azure-prometheus-samples", "global", 40, 40, 0.64, 0.64),
    line("aks-gpu-alerts", "usage", "azure-prometheus-query-samples", "global", 219, 219, 0.02, 0.02),
    line("aks-gpu-cluster", "fixed", "aks-standard-tier", "-", 1, 1, 73, 73), // 0.10 x 730
    line("aks-gpu-cluster", "fixed", "azure-standard-lb-first5-rules", "-", 1, 1, 18.25, 18.25),
    line("aks-gpu-cluster", "fixed", "azure-standard-public-ip", "-", 1, 1, 3.65, 3.65),
    line("aks-gpu-cluster", "capacity", "Standard_D4s_v5", "eastus", 1, 1, 140.16, 140.16), // 0.192 x 730
    line("aks-gpu-cluster", "storage", "azure-managed-disk", "eastus", 1, 1, 19.71, 19.71), // P10
    line("aks-gpu-cluster", "transient", "Standard_D4s_v5 upgrade surge", "eastus", 0, 1, 0, 2.19), // (0.192 + 19.71/730) x 10 h = 2.19
    // Spot pool 0..1 (nodes.max 3 minus floor 1 and fallback 1); the spot-preferring replica keeps 1 node in the baseline.
    line("aks-gpu-gpu-pool", "capacity", "Standard_NC24ads_A100_v4", "eastus", 1, 1, 730, 730), // 1 x max price 1.00 x 730
    line("aks-gpu-gpu-pool", "storage", "azure-managed-disk", "eastus", 1, 1, 38.02, 38.02), // 256 GB -> P15
    line("aks-gpu-gpu-pool", "transient", "Standard_NC24ads_A100_v4 upgrade surge", "eastus", 0, 1, 0, 10.52), // (1.00 + 38.02/730) x 10 h = 10.5208
    // On-demand pool: floor 1 node in the baseline, + 1 fallback node in the worst case, at on-demand prices.
    line("aks-gpu-gpu-ondemand-pool", "capacity", "Standard_NC24ads_A100_v4", "eastus", 1, 2, 2681.29, 5362.58), // 1 / 2 x 3.673 x 730
    line("aks-gpu-gpu-ondemand-pool", "storage", "azure-managed-disk", "eastus", 1, 2, 38.02, 76.04),
    line("aks-gpu-gpu-ondemand-pool", "transient", "Standard_NC24ads_A100_v4 upgrade surge", "eastus", 0, 1, 0, 37.25), // (3.673 + 38.02/730) x 10 h = 37.2508
    line("aks-gpu-service", "fixed", "azure-standard-public-ip", "eastus", 1, 1, 3.65, 3.65),
    line("aks-gpu-service", "usage", "azure-lb-processed", "eastus", 500, 500, 2.5, 2.5), // 500 x 0.005
    line("aks-gpu-service", "usage", "azure-internet-egress", "eastus", 500, 500, 43.5, 43.5), // 500 x 0.087
    // eksInf2 (us-west-2): inf2.8xlarge $1.96786/h on demand, spot $0.6303/h (catalog); m5.large $0.096/h;
    // EKS $0.10/h; NAT $0.045/h + $0.045/GB; NLB $0.0225/h + $0.006/GB; public IPv4 $0.005/h; gp3 $0.08/GB-month.
    line("eks-inf2-cluster", "fixed", "eks-control-plane", "-", 1, 1, 73, 73), // 0.10 x 730
    line("eks-inf2-system-nodes", "capacity", "m5.large", "us-west-2", 2, 3, 140.16, 210.24), // 2 / 3 x 0.096 x 730
    line("eks-inf2-system-nodes", "storage", "aws-ebs", "us-west-2", 2, 3, 8, 12), // 2 / 3 x 50 GB x 0.08
    line("eks-inf2-system-nodes", "transient", "m5.large update surge", "us-west-2", 0, 4, 0, 1.62), // (0.096 + 4/730) x 4 h x 4 = 1.6237
    line("eks-inf2-nat", "fixed", "aws-nat-gateway", "-", 1, 1, 32.85, 32.85), // 0.045 x 730
    line("eks-inf2-nat", "usage", "aws-nat-processed", "-", 500, 500, 22.5, 22.5), // 500 x 0.045
    line("eks-inf2-nlb", "fixed", "aws-nlb", "-", 1, 1, 16.43, 16.43), // 0.0225 x 730 = 16.425
    line("eks-inf2-nlb", "fixed", "aws-public-ipv4", "-", 2, 2, 7.3, 7.3), // 2 x 0.005 x 730
    line("eks-inf2-nlb", "usage", "aws-nlb-processed", "-", 500, 500, 3, 3), // 500 x 0.006
    line("eks-inf2-nlb", "usage", "aws-internet-egress", "-", 500, 500, 45, 45), // 500 x 0.09
    line("eks-inf2-nat-ip", "fixed", "aws-public-ipv4", "-", 1, 1, 3.65, 3.65),
    line("eks-inf2-redis", "capacity", "cache.t4g.small", "us-west-2", 1, 1, 23.36, 23.36), // 0.032 x 730
    line("eks-inf2-secrets-key", "fixed", "aws-kms-key", "-", 1, 3, 1, 3),
    // eksInf2 observability (issue #18): the alert topic's key, AMP's managed collector, its samples
    // (2 workers x 300 + 10 head series, every 30 s: 730 x 120 = 87,600 scrapes), rules, Managed Grafana.
    line("eks-inf2-obs-alerts-key", "fixed", "aws-kms-key", "-", 1, 3, 1, 3),
    line("eks-inf2-scraper", "fixed", "aws-amp-collector", "-", 1, 1, 29.2, 29.2), // 0.04 x 730
    line("eks-inf2-scraper", "usage", "aws-amp-collector-samples", "-", 53.44, 53.44, 0.53, 0.53), // 53.44 M x $0.01
    line("eks-inf2-scraper", "usage", "aws-amp-samples", "-", 53.44, 53.44, 4.81, 4.81), // 53.44 M x $0.09
    line("eks-inf2-scraper", "usage", "aws-amp-storage", "-", 0.491, 0.491, 0.01, 0.01), // 53.44 M x 2 bytes x 150/30.42 months / 2^30 = 0.491 GB x $0.03
    line("eks-inf2-alerts", "usage", "aws-amp-query-samples", "-", 219, 219, 0.02, 0.02), // 5 rules x 43,800 evaluations x 1,000 samples = 219 M x $0.0001
    line("eks-inf2-grafana", "fixed", "aws-managed-grafana-editor", "-", 1, 2, 9, 18), // one Editor license required, the deployer's service account a second in the worst case
    line("eks-inf2-control-plane-logs", "usage", "aws-cloudwatch-logs-ingestion", "-", 50, 50, 25, 25), // 50 GB x 0.50
    // Spot NodePool (1 node: maxNodes 2 minus the floor): Karpenter spot has no price cap, so on-demand in the worst case.
    line("eks-inf2-nodepool", "capacity", "inf2.8xlarge", "us-west-2", 1, 1, 1436.54, 1436.54), // 1.96786 x 730 = 1436.5378
    line("eks-inf2-nodepool", "storage", "aws-ebs", "us-west-2", 1, 1, 16, 16), // 200 GB x 0.08
    line("eks-inf2-nodepool", "transient", "inf2.8xlarge overshoot", "us-west-2", 0, 1, 0, 3.98), // (1.96786 + 16/730) x 2 h = 3.9796
    line("eks-inf2-nodepool", "transient", "inf2.8xlarge replacement", "us-west-2", 0, 1, 0, 3.98),
    // On-demand NodePool: the floor's 1 node, always on demand.
    line("eks-inf2-nodepool-ondemand", "capacity", "inf2.8xlarge", "us-west-2", 1, 1, 1436.54, 1436.54),
    line("eks-inf2-nodepool-ondemand", "storage", "aws-ebs", "us-west-2", 1, 1, 16, 16),
    line("eks-inf2-nodepool-ondemand", "transient", "inf2.8xlarge overshoot", "us-west-2", 0, 1, 0, 3.98),
    line("eks-inf2-nodepool-ondemand", "transient", "inf2.8xlarge replacement", "us-west-2", 0, 1, 0, 3.98),
];

async function planJson(): Promise<PlanReport> {
    let stdout = "";
    const code = await main(["--stack", "ha", "--json"], (s) => (stdout += s), () => undefined);
    assert.equal(code, EXIT.ok, "the pack passes the ha stack (no mandatory violation)");
    return JSON.parse(stdout) as PlanReport;
}

describe("ha stack: spot with an on-demand floor and fallback, two GCP regions (issue 19)", () => {
    let report: PlanReport;
    before(async () => {
        report = await planJson();
    });

    it("every line to the cent, the totals and its own cap", () => {
        const actual = report.cost.lines.map((l) => ({ name: l.urn.slice(l.urn.lastIndexOf("::") + 2), kind: l.kind, sku: l.sku, region: l.region, countMin: l.countMin, countMax: l.countMax, baseline: l.baselineMonthlyUsd, worst: l.worstCaseMonthlyUsd }));
        const order = (a: { name: string; kind: string; sku: string }, b: { name: string; kind: string; sku: string }) => `${a.name}|${a.kind}|${a.sku}`.localeCompare(`${b.name}|${b.kind}|${b.sku}`);
        assert.deepEqual([...actual].sort(order), [...EXPECTED].sort(order));
        assert.equal(report.cost.baselineMonthlyUsd, cents(EXPECTED.reduce((s, l) => s + l.baseline, 0)));
        assert.equal(report.cost.worstCaseMonthlyUsd, cents(EXPECTED.reduce((s, l) => s + l.worst, 0)));
        // 9370.88 / 14378.39 with eksInf2 (fin19), + aksGpu's $0.66 of observability (#18), + the GCP breaker's $0.05,
        // the AWS breaker's $26.00 / $32.38 and the Azure breaker's $1.39 (issue 16), + eksInf2's observability $44.57 / $55.57 (#18).
        // Then (#16 review) less the AWS budget's own topic key ($1 / $3: one SNS topic per notification, the breaker's)
        // and the Lambda's reserved month ($4.38 worst).
        // + the Azure breaker's Application Insights workspace at its daily cap, $8.56.
        assert.equal(report.cost.baselineMonthlyUsd, 9451.11);
        assert.equal(report.cost.worstCaseMonthlyUsd, 14469.62);
        assert.equal(report.cost.capMonthlyUsd, 15000);
    });

    it("shows both capacity types and both regions: floor and fallback on demand, spot with its expected figure", () => {
        const capacity = report.cost.lines.filter((l) => l.kind === "capacity" && l.sku === "g2-standard-4");
        assert.deepEqual([...new Set(capacity.map((l) => l.region))].sort(), ["us-central1", "us-east1"]);
        for (const l of capacity) {
            const onDemand = l.urn.endsWith("-ondemand-mig");
            assert.match(l.basis, onDemand ? /on-demand \$0\.70683\/h/ : /spot with no price cap, so worst case on-demand/);
            assert.match(l.basis, /within its maximum 4: fallback replaces spot, never adds/);
            assert.equal(l.expected === undefined, onDemand, "only spot lines carry an expected spot figure");
        }
        const pools = report.cost.lines.filter((l) => l.kind === "capacity" && l.sku === "Standard_NC24ads_A100_v4");
        assert.deepEqual(pools.map((l) => /on-demand \$3\.673\/h/.test(l.basis)).sort(), [false, true]);
        // eksInf2: the floor's NodePool on demand; the spot NodePool on demand in the worst case, with its expected spot figure.
        const inf2 = report.cost.lines.filter((l) => l.kind === "capacity" && l.sku === "inf2.8xlarge");
        assert.deepEqual(inf2.map((l) => l.urn.slice(l.urn.lastIndexOf("::") + 2)).sort(), ["eks-inf2-nodepool", "eks-inf2-nodepool-ondemand"]);
        for (const l of inf2) {
            const onDemand = l.urn.endsWith("-ondemand");
            assert.match(l.basis, onDemand ? /^1 to 1 x inf2\.8xlarge in us-west-2: on-demand \$1\.96786\/h/ : /spot with no price cap, so worst case on-demand \$1\.96786\/h/);
            assert.equal(l.expected === undefined, onDemand, "only the spot pool carries an expected spot figure");
        }
    });
});

describe("README: what happens when spot disappears (issue 19 review)", () => {
    const readme = require("node:fs").readFileSync(require("node:path").resolve(__dirname, "../../README.md"), "utf8") as string;
    const row = (target: string) => readme.split("\n").find((l) => l.startsWith(`| ${target} |`)) ?? "";

    it("aksGpu: fallback waits for the cluster autoscaler's node-provision timeout (sourced) plus cold start, and a pod on gpuod stays there until moved", () => {
        const aks = row("aksGpu");
        assert.match(aks, /max-node-provision-time`, 15 min by default on AKS: \[autoScalerProfile\.maxNodeProvisionTime\]\(https:\/\/learn\.microsoft\.com\//);
        assert.match(aks, /cold start/);
        assert.match(aks, /preferredDuringSchedulingIgnoredDuringExecution/);
        assert.match(aks, /rollout restart/);
    });

    it("gcpSpotL4: the health check's 20-30 s against the ~30 s notice, the rolling replacement on existing stacks, spot first by target", () => {
        const gcp = row("gcpSpotL4");
        assert.match(gcp, /health check \(every 10 s, unhealthy after 3 failures\) needs 20-30 s or more/);
        assert.match(gcp, /next deploy replaces every replica \(a rolling replacement/);
        assert.match(gcp, /1\.5x the configured target/);
        assert.doesNotMatch(gcp, /same load-balancer utilization/, "the old claim (both groups on one signal) is gone");
    });

    it("GPUS_ALL_REGIONS covers the sum over both regions", () => {
        assert.match(readme, /`GPUS_ALL_REGIONS`, 0 on a new\s+project, must cover every GPU of the project too, in every region/);
        assert.match(readme, /SUM of the regions' `NVIDIA_L4_GPUS` rows/);
    });
});
