import { strict as assert } from "node:assert";
import { EXIT, main } from "../../plan/cli";
import { PlanReport } from "../../plan/report";
import { committedStacks } from "../../plan/stackFiles";
import * as fs from "node:fs";
import * as path from "node:path";
import { costTable, currentTable } from "../../scripts/readmeCosts";

/**
 * The committed stacks' cost, line by line, computed here by hand from catalog prices
 * (policies/cost/catalog.data.json, whose entries name their published sources) and each stack's config, then compared with the plan to the cent.
 * A change to a stack, a price or the engine that moves a figure must be made here too, on purpose.
 */
const cents = (x: number) => Math.round(x * 100) / 100;

type Kind = "capacity" | "storage" | "fixed" | "transient" | "usage";
interface Expected { readonly name: string; readonly kind: Kind; readonly sku: string; readonly countMin: number; readonly countMax: number; readonly baseline: number; readonly worst: number }
/** A line whose money is written out by hand (the comment beside each gives the arithmetic). */
const line = (name: string, kind: Kind, sku: string, countMin: number, countMax: number, baseline: number, worst: number): Expected => ({ name, kind, sku, countMin, countMax, baseline, worst });

// Unit prices (policies/cost/catalog.ts; sources there and in the README's cost section).
// g2-standard-4 us-central1 on-demand $0.70683/h (host 0.14679 + L4 0.56004): spot has no price cap on GCP, so on-demand is its worst case.
// pd-balanced $0.10/GB-month; EBS gp3 $0.08/GB-month; Azure P10 $19.71, P15 $38.02 a month (East US).
// Cloud NAT $0.0014/VM-hour + $0.005/h per address; Cloud Armor $5/policy-month + $1/rule-month.

const STACKS: Record<string, { lines: Expected[]; cap: number }> = {
    dev: {
        cap: 3500,
        lines: [
            line("gcp-spot-l4-mig", "capacity", "g2-standard-4", 2, 2, 1031.97, 1031.97), // 2 x 0.70683 x 730 = 1031.9718
            line("gcp-spot-l4-mig", "storage", "gcp-disk", 2, 2, 20, 20), // 2 x 100 GB x $0.10
            // Rolling updates surge one replica per zone (maxSurgeFixed 3, maxUnavailable 0), 4 h a month: 3 x (0.70683 + 10/730) x 4 = 8.6463
            line("gcp-spot-l4-mig", "transient", "g2-standard-4 surge", 0, 3, 0, 8.65),
            line("gcp-spot-l4-forwarding", "fixed", "gcp-lb-forwarding-rule-first5", 1, 1, 18.25, 18.25), // 0.025 x 730
            line("gcp-spot-l4-nat", "fixed", "gcp-cloud-nat-vm", 2, 2, 2.04, 2.04), // 2 VMs x 0.0014 x 730 = 2.044
            line("gcp-spot-l4-nat", "fixed", "gcp-nat-ip", 1, 1, 3.65, 3.65), // 2 VMs x 64 ports / 64,512 -> 1 address x 0.005 x 730
            line("gcp-spot-l4-nat", "usage", "gcp-nat-processed", 200, 200, 9, 9), // 200 GiB x $0.045
            line("gcp-spot-l4-ip", "fixed", "gcp-static-ip", 1, 1, 3.65, 3.65), // 0.005 x 730
            line("gcp-spot-l4-backend", "usage", "gcp-lb-processed", 50, 50, 0.4, 0.4), // 50 GiB x $0.008
            line("gcp-spot-l4-backend", "usage", "gcp-internet-egress", 50, 50, 6, 6), // 50 GiB x $0.12
            line("gcp-spot-l4-armor", "fixed", "gcp-cloud-armor-policy", 1, 1, 5, 5), // $5/month
            line("gcp-spot-l4-armor", "fixed", "gcp-cloud-armor-rule", 2, 2, 2, 2), // 2 rules x $1/month
            line("gcp-spot-l4-armor", "usage", "gcp-cloud-armor-requests", 1, 1, 0.75, 0.75), // 1 M requests x $0.75
            line("gcp-spot-l4-api-key-version", "fixed", "gcp-secret-version", 1, 1, 0.06, 0.06), // $0.06/month
            line("gpu-vm-vm", "storage", "azure-managed-disk-p10", 1, 1, 19.71, 19.71), // 128 GB Premium_LRS -> P10 $19.71
            line("gpu-vm-vm", "capacity", "Standard_NC4as_T4_v3", 1, 1, 146, 146), // spot max price $0.20/h x 730
            line("gpu-vm-ip", "fixed", "azure-standard-public-ip", 1, 1, 3.65, 3.65), // 0.005 x 730
            line("gpu-vm-ip", "usage", "azure-internet-egress", 50, 50, 4.35, 4.35), // 50 GB x $0.087
            line("eks-inf2-cluster", "fixed", "eks-control-plane", 1, 1, 73, 73), // 1.35 in standard support until 2027-03-27: 0.10 x 730
            line("eks-inf2-system-nodes", "capacity", "m5.large", 2, 3, 140.16, 210.24), // 2 / 3 x 0.096 x 730
            line("eks-inf2-system-nodes", "storage", "aws-ebs", 2, 3, 8, 12), // 2 / 3 x 50 GiB gp3 x $0.08
            line("eks-inf2-system-nodes", "transient", "m5.large update surge", 0, 4, 0, 1.62), // max(2 x 2 subnets, 1) = 4 x (0.096 + 4/730) x 4 h = 1.6238
            line("eks-inf2-nat", "fixed", "aws-nat-gateway", 1, 1, 32.85, 32.85), // 0.045 x 730
            line("eks-inf2-nat", "usage", "aws-nat-processed", 200, 200, 9, 9), // 200 GB x $0.045
            line("eks-inf2-nlb", "fixed", "aws-nlb", 1, 1, 16.43, 16.43), // 0.0225 x 730 = 16.425
            line("eks-inf2-nlb", "fixed", "aws-public-ipv4", 2, 2, 7.3, 7.3), // internet-facing in 2 subnets: 2 x 0.005 x 730
            line("eks-inf2-nlb", "usage", "aws-nlb-processed", 50, 50, 0.3, 0.3), // 50 GB x $0.006
            line("eks-inf2-nlb", "usage", "aws-internet-egress", 50, 50, 4.5, 4.5), // 50 GB x $0.09
            line("eks-inf2-nat-ip", "fixed", "aws-public-ipv4", 1, 1, 3.65, 3.65), // 0.005 x 730
            line("eks-inf2-secrets-key", "fixed", "aws-kms-key", 1, 3, 1, 3), // $1/month, + $1 for each of the first two rotations
            // eksInf2 observability (issue #18): the alert topic's key, AMP's managed collector, its samples
            // (1 worker x 300 + 10 head series, every 30 s: 730 x 120 = 87,600 scrapes), rules, Managed Grafana.
            line("eks-inf2-obs-alerts-key", "fixed", "aws-kms-key", 1, 3, 1, 3),
            line("eks-inf2-scraper", "fixed", "aws-amp-collector", 1, 1, 29.2, 29.2), // 0.04 x 730
            line("eks-inf2-scraper", "usage", "aws-amp-collector-samples", 27.16, 27.16, 0.27, 0.27), // 27.16 M x $0.01
            line("eks-inf2-scraper", "usage", "aws-amp-samples", 27.16, 27.16, 2.44, 2.44), // 27.16 M x $0.09
            line("eks-inf2-scraper", "usage", "aws-amp-storage", 0.249, 0.249, 0.01, 0.01), // 27.16 M x 2 bytes x 150/30.42 months / 2^30 = 0.249 GB x $0.03
            line("eks-inf2-alerts", "usage", "aws-amp-query-samples", 219, 219, 0.02, 0.02), // 5 rules x 43,800 evaluations x 1,000 samples = 219 M x $0.0001
            line("eks-inf2-grafana", "fixed", "aws-managed-grafana-editor", 1, 2, 9, 18), // one Editor license required, the deployer's service account a second in the worst case
            line("eks-inf2-control-plane-logs", "usage", "aws-cloudwatch-logs-ingestion", 10, 10, 5, 5), // 10 GB x $0.50
            // Spot inf2.8xlarge: no price cap, so on-demand; the RayService keeps 1 Neuron worker (1 device per inf2.8xlarge): baseline 1 node.
            line("eks-inf2-nodepool", "capacity", "inf2.8xlarge", 1, 1, 1436.54, 1436.54), // 1 x 1.96786 x 730 = 1436.5378
            line("eks-inf2-nodepool", "storage", "aws-ebs", 1, 1, 16, 16), // 200 GiB gp3 x $0.08
            line("eks-inf2-nodepool", "transient", "inf2.8xlarge overshoot", 0, 1, 0, 3.98), // 1 x (1.96786 + 16/730) x 2 h = 3.9796
            line("eks-inf2-nodepool", "transient", "inf2.8xlarge replacement", 0, 1, 0, 3.98), // 1 node x (1.96786 + 16/730) x 2 h
            // Observability (#18): five PromQL alert policies of one condition each ($1.50/condition-month; one series a
            // minute = 43,800 a month = 0.0438 M x $0.35 = $0.0153 -> $0.02), and Managed Prometheus samples on the dashboard.
            line("gcp-spot-l4-obs-no-healthy-replica", "fixed", "gcp-alert-condition", 1, 1, 1.5, 1.5),
            line("gcp-spot-l4-obs-no-healthy-replica", "usage", "gcp-alert-time-series", 0.0438, 0.0438, 0.02, 0.02),
            line("gcp-spot-l4-obs-queue-waiting", "fixed", "gcp-alert-condition", 1, 1, 1.5, 1.5),
            line("gcp-spot-l4-obs-queue-waiting", "usage", "gcp-alert-time-series", 0.0438, 0.0438, 0.02, 0.02),
            line("gcp-spot-l4-obs-kv-cache-full", "fixed", "gcp-alert-condition", 1, 1, 1.5, 1.5),
            line("gcp-spot-l4-obs-kv-cache-full", "usage", "gcp-alert-time-series", 0.0438, 0.0438, 0.02, 0.02),
            line("gcp-spot-l4-obs-ttft-p95", "fixed", "gcp-alert-condition", 1, 1, 1.5, 1.5),
            line("gcp-spot-l4-obs-ttft-p95", "usage", "gcp-alert-time-series", 0.0438, 0.0438, 0.02, 0.02),
            line("gcp-spot-l4-obs-eviction-burst", "fixed", "gcp-alert-condition", 1, 1, 1.5, 1.5),
            line("gcp-spot-l4-obs-eviction-burst", "usage", "gcp-alert-time-series", 0.0438, 0.0438, 0.02, 0.02),
            line("gcp-spot-l4-obs-dashboard", "usage", "gcp-prometheus-samples", 10, 10, 0.6, 0.6), // 10 M samples x $0.06
            // gpuVm's (#18): 10 M managed Prometheus samples x $0.016 per million = $0.16; its rule group's 5 rules x
            // 43,800 one-minute evaluations x 1,000 samples = 219 M samples processed x $0.0001 = $0.0219 -> $0.02.
            line("gpu-vm-amw", "usage", "azure-prometheus-samples", 10, 10, 0.16, 0.16),
            line("gpu-vm-alerts", "usage", "azure-prometheus-query-samples", 219, 219, 0.02, 0.02),
        ],
    },
    prod: {
        cap: 8500,
        lines: [
            line("gcp-spot-l4-mig", "capacity", "g2-standard-4", 3, 8, 1547.96, 4127.89), // 3 / 8 x 0.70683 x 730 = 1547.9577 / 4127.8872
            line("gcp-spot-l4-mig", "storage", "gcp-disk", 3, 8, 30, 80), // 3 / 8 x 100 GB x $0.10
            line("gcp-spot-l4-mig", "transient", "g2-standard-4 surge", 0, 3, 0, 8.65), // 3 x (0.70683 + 10/730) x 4 h = 8.6463
            line("gcp-spot-l4-forwarding", "fixed", "gcp-lb-forwarding-rule-first5", 1, 1, 18.25, 18.25),
            line("gcp-spot-l4-nat", "fixed", "gcp-cloud-nat-vm", 3, 8, 3.07, 8.18), // 3 / 8 x 0.0014 x 730 = 3.066 / 8.176
            line("gcp-spot-l4-nat", "fixed", "gcp-nat-ip", 1, 1, 3.65, 3.65),
            line("gcp-spot-l4-nat", "usage", "gcp-nat-processed", 500, 500, 22.5, 22.5), // 500 x 0.045
            line("gcp-spot-l4-ip", "fixed", "gcp-static-ip", 1, 1, 3.65, 3.65),
            line("gcp-spot-l4-backend", "usage", "gcp-lb-processed", 500, 500, 4, 4), // 500 x 0.008
            line("gcp-spot-l4-backend", "usage", "gcp-internet-egress", 500, 500, 60, 60), // 500 x 0.12
            line("gcp-spot-l4-armor", "fixed", "gcp-cloud-armor-policy", 1, 1, 5, 5),
            line("gcp-spot-l4-armor", "fixed", "gcp-cloud-armor-rule", 3, 3, 3, 3), // 3 rules x $1
            line("gcp-spot-l4-armor", "usage", "gcp-cloud-armor-requests", 10, 10, 7.5, 7.5), // 10 M x 0.75
            line("gcp-spot-l4-api-key-version", "fixed", "gcp-secret-version", 1, 1, 0.06, 0.06),
            // Issue #18 on Azure: 40 M samples x $0.016, 5 rules x 43,800 x 1,000 samples x $0.0001/M, 4 metric alerts x $0.10.
            line("aks-gpu-amw", "usage", "azure-prometheus-samples", 40, 40, 0.64, 0.64),
            line("aks-gpu-alerts", "usage", "azure-prometheus-query-samples", 219, 219, 0.02, 0.02),
            ...["request-latency", "no-healthy-instance", "gpu-saturated", "gpu-memory-full"].map((id) => line(`azure-ml-${id}`, "usage", "azure-metric-alert-series", 1, 1, 0.1, 0.1)),
            line("aks-gpu-cluster", "fixed", "aks-standard-tier", 1, 1, 73, 73), // 0.10 x 730
            line("aks-gpu-cluster", "fixed", "azure-standard-lb-first5-rules", 1, 1, 18.25, 18.25), // 0.025 x 730
            line("aks-gpu-cluster", "fixed", "azure-standard-public-ip", 1, 1, 3.65, 3.65),
            line("aks-gpu-cluster", "capacity", "Standard_D4s_v5", 1, 1, 140.16, 140.16), // 0.192 x 730
            line("aks-gpu-cluster", "storage", "azure-managed-disk", 1, 1, 19.71, 19.71), // default 128 GB OS disk -> P10
            line("aks-gpu-cluster", "transient", "Standard_D4s_v5 upgrade surge", 0, 1, 0, 2.19), // 10% of 1 -> 1 x (0.192 + 19.71/730) x 10 h = 2.19
            // Two single-GPU replicas always run on 1-GPU nodes: baseline 2 (the pool's min is 1).
            line("aks-gpu-gpu-pool", "capacity", "Standard_NC24ads_A100_v4", 2, 2, 1460, 1460), // 2 x max price 1.00 x 730
            line("aks-gpu-gpu-pool", "storage", "azure-managed-disk", 2, 2, 76.04, 76.04), // 2 x 256 GB -> P15 $38.02
            line("aks-gpu-gpu-pool", "transient", "Standard_NC24ads_A100_v4 upgrade surge", 0, 1, 0, 10.52), // 1 x (1.00 + 38.02/730) x 10 h = 10.5208
            line("azure-ml-acr", "fixed", "azure-acr-basic", 1, 1, 5.08, 5.08), // 0.167/24 x 730 = 5.0796
            line("azure-ml-logs", "usage", "azure-log-analytics-ingestion", 50, 50, 138, 138), // 50 GB x 2.76
            // Issue 16: the workspace's storage account at the storage floor (policies/model/azure/breaker.ts).
            line("azure-ml-storage", "usage", "azure-blob-hot-lrs-capacity", 1, 1, 0.02, 0.02), // 1 GB x $0.0208
            line("azure-ml-storage", "usage", "azure-blob-hot-write-operations", 10, 10, 0.65, 0.65), // 10 x 10,000 operations x $0.065
            line("azure-ml-deployment", "capacity", "Standard_NC8as_T4_v3", 2, 3, 1097.92, 1646.88), // 2 / 3 x 0.752 x 730
            line("aks-gpu-service", "fixed", "azure-standard-public-ip", 1, 1, 3.65, 3.65),
            line("aks-gpu-service", "usage", "azure-lb-processed", 500, 500, 2.5, 2.5), // 500 x 0.005
            line("aks-gpu-service", "usage", "azure-internet-egress", 500, 500, 43.5, 43.5), // 500 x 0.087
            // Observability (#18): five PromQL alert policies of one condition each ($1.50/condition-month; one series a
            // minute = 43,800 a month = 0.0438 M x $0.35 = $0.0153 -> $0.02), and Managed Prometheus samples on the dashboard.
            line("gcp-spot-l4-obs-no-healthy-replica", "fixed", "gcp-alert-condition", 1, 1, 1.5, 1.5),
            line("gcp-spot-l4-obs-no-healthy-replica", "usage", "gcp-alert-time-series", 0.0438, 0.0438, 0.02, 0.02),
            line("gcp-spot-l4-obs-queue-waiting", "fixed", "gcp-alert-condition", 1, 1, 1.5, 1.5),
            line("gcp-spot-l4-obs-queue-waiting", "usage", "gcp-alert-time-series", 0.0438, 0.0438, 0.02, 0.02),
            line("gcp-spot-l4-obs-kv-cache-full", "fixed", "gcp-alert-condition", 1, 1, 1.5, 1.5),
            line("gcp-spot-l4-obs-kv-cache-full", "usage", "gcp-alert-time-series", 0.0438, 0.0438, 0.02, 0.02),
            line("gcp-spot-l4-obs-ttft-p95", "fixed", "gcp-alert-condition", 1, 1, 1.5, 1.5),
            line("gcp-spot-l4-obs-ttft-p95", "usage", "gcp-alert-time-series", 0.0438, 0.0438, 0.02, 0.02),
            line("gcp-spot-l4-obs-eviction-burst", "fixed", "gcp-alert-condition", 1, 1, 1.5, 1.5),
            line("gcp-spot-l4-obs-eviction-burst", "usage", "gcp-alert-time-series", 0.0438, 0.0438, 0.02, 0.02),
            line("gcp-spot-l4-obs-dashboard", "usage", "gcp-prometheus-samples", 40, 40, 2.4, 2.4), // 40 M samples x $0.06
            // The circuit breaker (issue 16, on in prod): its function's image, 0.5 GB assumed x $0.10/GB-month = $0.05;
            // its source object, 1 MiB x $0.020/GB-month / 1024 = $0.00002, so $0.00 to the cent.
            line("breaker-gcp-function", "fixed", "gcp-function-image", 1, 1, 0.05, 0.05),
            line("breaker-gcp-source", "fixed", "gcp-storage-standard-mib", 1, 1, 0, 0),
            // The Azure breaker: 100 runs x 300 s x 1.5 GB = 45,000 GB-s x $0.000016 = $0.72; 100 executions x
            // $0.20 per million = $0.00; its storage account at the floor ($0.02 + $0.65).
            line("breaker-azure-app", "usage", "azure-functions-execution-time", 45000, 45000, 0.72, 0.72),
            line("breaker-azure-logs", "usage", "azure-log-analytics-ingestion", 3.1, 3.1, 8.56, 8.56), // its daily cap 0.1 GB x 31 days x $2.76 = 8.556
            line("breaker-azure-app", "usage", "azure-functions-executions", 0.0001, 0.0001, 0, 0),
            line("breaker-azure-storage", "usage", "azure-blob-hot-lrs-capacity", 1, 1, 0.02, 0.02),
            line("breaker-azure-storage", "usage", "azure-blob-hot-write-operations", 10, 10, 0.65, 0.65),
        ],
    },
    // The source plans' remaining systems (issue #20): eksInf2 on demand at prod's floor of 2 replicas, GCS fault
    // tolerance on ElastiCache, the chat UI (one small pod on the system nodes, whose maximum is already here).
    showcase: {
        cap: 6000,
        lines: [
            line("eks-inf2-cluster", "fixed", "eks-control-plane", 1, 1, 73, 73), // 0.10 x 730
            line("eks-inf2-system-nodes", "capacity", "m5.large", 2, 3, 140.16, 210.24), // 2 / 3 x 0.096 x 730
            line("eks-inf2-system-nodes", "storage", "aws-ebs", 2, 3, 8, 12), // 2 / 3 x 50 GiB gp3 x $0.08
            line("eks-inf2-system-nodes", "transient", "m5.large update surge", 0, 4, 0, 1.62), // 4 x (0.096 + 4/730) x 4 h
            line("eks-inf2-nat", "fixed", "aws-nat-gateway", 1, 1, 32.85, 32.85), // 0.045 x 730
            line("eks-inf2-nat", "usage", "aws-nat-processed", 500, 500, 22.5, 22.5), // 500 GB x $0.045 (prod's usage assumptions)
            line("eks-inf2-nlb", "fixed", "aws-nlb", 1, 1, 16.43, 16.43), // 0.0225 x 730
            line("eks-inf2-nlb", "fixed", "aws-public-ipv4", 2, 2, 7.3, 7.3), // 2 x 0.005 x 730
            line("eks-inf2-nlb", "usage", "aws-nlb-processed", 500, 500, 3, 3), // 500 GB x $0.006
            line("eks-inf2-nlb", "usage", "aws-internet-egress", 500, 500, 45, 45), // 500 GB x $0.09
            line("eks-inf2-nat-ip", "fixed", "aws-public-ipv4", 1, 1, 3.65, 3.65), // 0.005 x 730
            // GCS fault tolerance: one cache.t4g.small node, $0.032/h (aws.amazon.com/elasticache/pricing) x 730 = 23.36
            line("eks-inf2-redis", "capacity", "cache.t4g.small", 1, 1, 23.36, 23.36),
            line("eks-inf2-secrets-key", "fixed", "aws-kms-key", 1, 3, 1, 3), // $1/month, + $1 for each of the first two rotations
            line("eks-inf2-control-plane-logs", "usage", "aws-cloudwatch-logs-ingestion", 50, 50, 25, 25), // 50 GB x $0.50
            line("eks-inf2-nodepool", "capacity", "inf2.8xlarge", 2, 2, 2873.08, 2873.08), // 2 x 1.96786 x 730 = 2873.0756
            line("eks-inf2-nodepool", "storage", "aws-ebs", 2, 2, 32, 32), // 2 x 200 GiB gp3 x $0.08
            line("eks-inf2-nodepool", "transient", "inf2.8xlarge overshoot", 0, 1, 0, 3.98), // 1 x (1.96786 + 16/730) x 2 h
            line("eks-inf2-nodepool", "transient", "inf2.8xlarge replacement", 0, 2, 0, 7.96), // 2 nodes x (1.96786 + 16/730) x 2 h
            // eksInf2 observability (issue #18): the alert topic's key, AMP's managed collector, its samples
            // (2 workers x 300 + 10 head series, every 30 s: 730 x 120 = 87,600 scrapes), rules, Managed Grafana.
            line("eks-inf2-obs-alerts-key", "fixed", "aws-kms-key", 1, 3, 1, 3),
            line("eks-inf2-scraper", "fixed", "aws-amp-collector", 1, 1, 29.2, 29.2), // 0.04 x 730
            line("eks-inf2-scraper", "usage", "aws-amp-collector-samples", 53.44, 53.44, 0.53, 0.53), // 53.44 M x $0.01
            line("eks-inf2-scraper", "usage", "aws-amp-samples", 53.44, 53.44, 4.81, 4.81), // 53.44 M x $0.09
            line("eks-inf2-scraper", "usage", "aws-amp-storage", 0.491, 0.491, 0.01, 0.01), // 53.44 M x 2 bytes x 150/30.42 months / 2^30 = 0.491 GB x $0.03
            line("eks-inf2-alerts", "usage", "aws-amp-query-samples", 219, 219, 0.02, 0.02), // 5 rules x 43,800 evaluations x 1,000 samples = 219 M x $0.0001
            line("eks-inf2-grafana", "fixed", "aws-managed-grafana-editor", 1, 2, 9, 18), // one Editor license required, the deployer's service account a second in the worst case
            // llama.cpp on Kubernetes (issue #20): aksGpu's CPU mode, the cluster as prod's (Standard tier, one
            // D4s_v5 system node) and two Standard_D8s_v5 nodes for the llama-server pods in place of a GPU pool.
            line("aks-gpu-cluster", "fixed", "aks-standard-tier", 1, 1, 73, 73), // 0.10 x 730
            line("aks-gpu-cluster", "fixed", "azure-standard-lb-first5-rules", 1, 1, 18.25, 18.25), // 0.025 x 730
            line("aks-gpu-cluster", "fixed", "azure-standard-public-ip", 1, 1, 3.65, 3.65), // 0.005 x 730
            line("aks-gpu-cluster", "capacity", "Standard_D4s_v5", 1, 1, 140.16, 140.16), // 0.192 x 730
            line("aks-gpu-cluster", "storage", "azure-managed-disk", 1, 1, 19.71, 19.71), // default 128 GB OS disk -> P10
            line("aks-gpu-cluster", "transient", "Standard_D4s_v5 upgrade surge", 0, 1, 0, 2.19), // 1 x (0.192 + 19.71/730) x 10 h
            line("aks-gpu-cpu-pool", "capacity", "Standard_D8s_v5", 2, 2, 560.64, 560.64), // 2 x 0.384 x 730
            line("aks-gpu-cpu-pool", "storage", "azure-managed-disk", 2, 2, 20.42, 20.42), // 2 x 64 GB -> P6 $10.21
            line("aks-gpu-cpu-pool", "transient", "Standard_D8s_v5 upgrade surge", 0, 1, 0, 3.98), // 1 x (0.384 + 10.21/730) x 10 h = 3.9799
            line("aks-gpu-service", "fixed", "azure-standard-public-ip", 1, 1, 3.65, 3.65), // 0.005 x 730
            line("aks-gpu-service", "usage", "azure-lb-processed", 500, 500, 2.5, 2.5), // 500 x 0.005
            line("aks-gpu-service", "usage", "azure-internet-egress", 500, 500, 43.5, 43.5), // 500 x 0.087
            // Rasa on aksGpu (the Azure plan): its own User pool, one Standard_D4s_v5 (autoscaling 1..1).
            line("aks-gpu-rasa-pool", "capacity", "Standard_D4s_v5", 1, 1, 140.16, 140.16), // 0.192 x 730
            line("aks-gpu-rasa-pool", "storage", "azure-managed-disk", 1, 1, 10.21, 10.21), // 64 GB -> P6 $10.21
            line("aks-gpu-rasa-pool", "transient", "Standard_D4s_v5 upgrade surge", 0, 1, 0, 2.06), // 1 x (0.192 + 10.21/730) x 10 h = 2.0599
            // Issue #18 on the llama.cpp pods: the workspace's ingestion at the stack's 40 M samples x $0.016, and
            // 3 rules (llama.cpp has no KV-cache or TTFT metric) x 43,800 evaluations x 1,000 samples = 131.4 M x $0.0001.
            line("aks-gpu-amw", "usage", "azure-prometheus-samples", 40, 40, 0.64, 0.64),
            line("aks-gpu-alerts", "usage", "azure-prometheus-query-samples", 131.4, 131.4, 0.01, 0.01),
        ],
    },
};

async function planJson(stack: string): Promise<PlanReport> {
    let stdout = "";
    const code = await main(["--stack", stack, "--json"], (s) => (stdout += s), () => undefined);
    assert.equal(code, EXIT.ok);
    return JSON.parse(stdout) as PlanReport;
}

describe("committed stacks: cost to the cent, computed by hand", () => {
    for (const [stack, expected] of Object.entries(STACKS)) {
        it(`${stack}: every line, the totals and the cap`, async () => {
            const report = await planJson(stack);
            const actual = report.cost.lines.map((l) => ({
                name: l.urn.slice(l.urn.lastIndexOf("::") + 2),
                kind: l.kind,
                sku: l.sku,
                countMin: l.countMin,
                countMax: l.countMax,
                baseline: l.baselineMonthlyUsd,
                worst: l.worstCaseMonthlyUsd,
            }));
            const order = (a: Expected, b: Expected) => `${a.name}|${a.kind}|${a.sku}`.localeCompare(`${b.name}|${b.kind}|${b.sku}`);
            assert.deepEqual([...actual].sort(order), [...expected.lines].sort(order));
            const worst = cents(expected.lines.reduce((sum, l) => sum + l.worst, 0));
            const baseline = cents(expected.lines.reduce((sum, l) => sum + l.baseline, 0));
            assert.equal(report.cost.worstCaseMonthlyUsd, worst);
            assert.equal(report.cost.baselineMonthlyUsd, baseline);
            assert.equal(report.cost.capMonthlyUsd, expected.cap);
            assert.ok(worst <= expected.cap, `${stack} worst case ${worst} over its cap ${expected.cap}`);
        });
    }

    it("dev: spot shows its expected figure beside the worst case, labelled expected and never capped", async () => {
        const report = await planJson("dev");
        const expected = Object.fromEntries(report.cost.lines.filter((l) => l.expected).map((l) => [`${l.urn.slice(l.urn.lastIndexOf("::") + 2)}|${l.sku}`, l.expected!.worstCaseMonthlyUsd]));
        assert.deepEqual(expected, {
            "gcp-spot-l4-mig|g2-standard-4": 514.36, // 2 x 0.28184 x 1.25 x 730 = 514.358
            "gpu-vm-vm|Standard_NC4as_T4_v3": 57.21, // min(0.062699 x 1.25, max price 0.20) x 730 = 57.2128
            "eks-inf2-nodepool|inf2.8xlarge": 575.15, // 0.6303 (top of the us-west-2 range) x 1.25 x 730 = 575.149
        });
        // The worst case with those three lines at their expected figures instead: 3185.84 - (1031.97 - 514.36) - (146 - 57.21) - (1436.54 - 575.15)
        // (3185.84: 3127.52 with the run-time budgets + 8.20 of alerting and Managed Prometheus samples + 52.94 of eksInf2's AMP, Grafana and alert key
        // + 0.18 of gpuVm's managed Prometheus samples and rule evaluation - 3 of the AWS budget topic's key, gone with one SNS topic per notification)
        assert.equal(report.cost.expectedWorstCaseMonthlyUsd, 1718.05);
    });

    it("the README's cost table is the one the plan gives (npm run readme:costs regenerates it)", async () => {
        const reports: PlanReport[] = [];
        for (const stack of committedStacks(path.resolve(__dirname, "..", ".."))) reports.push(await planJson(stack));
        for (const stack of ["dev", "prod"]) assert.ok(reports.some((r) => r.stack === stack), `${stack} not planned`);
        const readme = fs.readFileSync(path.resolve(__dirname, "..", "..", "README.md"), "utf8");
        assert.equal(currentTable(readme), costTable(reports), "README cost table is stale: run npm run readme:costs");
        // Negative control: a README whose table differs is caught.
        assert.notEqual(currentTable(readme.replace(/\$[0-9,]+\.\d\d/, "$0.00")), costTable(reports));
    });
});
