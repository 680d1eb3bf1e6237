// What the stack's AWS observability costs (issue #18; targets/eksInf2/observability.ts).
// - An AMP workspace bills the samples ingested into it and their storage; nothing for existing.
// - An AMP managed collector (scraper) bills per hour it exists and per sample it collects.
// - A rule groups namespace bills its rules' evaluations as query samples processed.
// - An alert manager definition bills nothing itself: the SNS messages it sends are the sns-topic
//   kind's (free tier). Known, $0 by knowledge.
// - An Amazon Managed Grafana workspace bills per active user a month, at least one Editor license
//   per workspace even when no one signs in; the deployer's service account (its API calls make it
//   an active user in months the stack is updated) is a second Editor in the worst case.
// - Its service account, token, IAM role and the Grafana objects inside it bill nothing.
//
// Samples are computed, not assumed per stack: each scraped worker exposes about SERIES_PER_WORKER
// series after the scraper's keep filters (vLLM-on-Neuron's 13 histograms at ~20 series each with
// their _sum and _count, 7 gauges, the counters with one series per finish reason, Ray Serve's two
// gauges, and the 5 series Prometheus adds per target: up, scrape_duration_seconds,
// scrape_samples_scraped, scrape_samples_post_metric_relabeling, scrape_series_added) and the head
// about SERIES_PER_HEAD; each series is scraped 730 x 3600 / interval times a month, at the
// scraper's own scrape_interval. Workers are the RayServices' maxReplicas (the worst case).
// Example: 30 s, 2 workers: (2 x 300 + 10) x 87,600 = 53.4 million samples a month (20.3 samples/s).
import { fee, usagePrice } from "../../cost/catalog";
import { StackIndex } from "../../cost/graph";
import { Sink } from "../../cost/pricing";
import { ruleEvaluationLine } from "../../cost/ruleEvaluations";
import { Kind } from "../kind";
import { K8S } from "../kubernetes/workloads";
import { readArray, readCount, readString } from "../read";
import { CostInputResource } from "../../cost/types";

export const AWS_MONITORING = {
    ampWorkspace: "aws:amp/workspace:Workspace",
    scraper: "aws:amp/scraper:Scraper",
    ruleGroupNamespace: "aws:amp/ruleGroupNamespace:RuleGroupNamespace",
    alertManagerDefinition: "aws:amp/alertManagerDefinition:AlertManagerDefinition",
    grafanaWorkspace: "aws:grafana/workspace:Workspace",
    grafanaServiceAccount: "aws:grafana/workspaceServiceAccount:WorkspaceServiceAccount",
    grafanaServiceAccountToken: "aws:grafana/workspaceServiceAccountToken:WorkspaceServiceAccountToken",
} as const;

/** Series one scraped model worker exposes after the keep filters (assumed; see the header). */
export const SERIES_PER_WORKER = 300;
/** Series the Ray head exposes after the keep filters (Serve's replica-health gauge and the target's 5). */
export const SERIES_PER_HEAD = 10;
/** Bytes one stored sample takes with its share of metadata (AMP: "typically 1 or 2 bytes" a sample, plus metadata). */
export const BYTES_PER_STORED_SAMPLE = 2;
/** Months AMP keeps samples (default retention 150 days): what is stored once the workspace is full. */
export const RETENTION_MONTHS = 150 / (730 / 24);
/** Prometheus's default scrape interval, when the configuration sets none. */
export const DEFAULT_SCRAPE_INTERVAL_SECONDS = 60;

/** The global scrape_interval of a Prometheus configuration, in seconds (s, m or h). */
export function scrapeIntervalSeconds(config: string): number | undefined {
    const m = /^\s*scrape_interval:\s*["']?(\d+)(s|m|h)["']?\s*$/m.exec(config);
    if (!m) return /scrape_interval/.test(config) ? undefined : DEFAULT_SCRAPE_INTERVAL_SECONDS;
    return Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as "s" | "m" | "h"];
}

/** Samples a month (millions) for `workers` scraped workers and one head at `intervalSeconds`. */
export function samplesPerMonthMillions(workers: number, intervalSeconds: number): number {
    const scrapes = (730 * 3600) / intervalSeconds;
    return Math.round(((workers * SERIES_PER_WORKER + SERIES_PER_HEAD) * scrapes) / 10_000) / 100;
}

/** The most Ray workers the stack's RayServices may run (sum of their groups' maxReplicas); undefined when unreadable. */
function maxRayWorkers(index: StackIndex, sink: Sink): number | undefined {
    let total = 0;
    for (const rs of index.ofType(K8S.rayService, K8S.rayServiceV1alpha1)) {
        const groups = readArray(rs.props, ["spec", "rayClusterConfig", "workerGroupSpecs"]);
        if (sink.unusable(rs, groups, "worker groups")) return undefined;
        if (groups.state !== "known") continue;
        for (let i = 0; i < groups.value.length; i++) {
            const max = readCount(rs.props, ["spec", "rayClusterConfig", "workerGroupSpecs", i, "maxReplicas"]);
            if (sink.unusable(rs, max, "worker group maxReplicas")) return undefined;
            if (max.state === "known") total += max.value;
        }
    }
    return total;
}

/** Millions of samples the scraper collects a month, or undefined (reported) when its interval is unreadable. */
function scraperSamples(s: CostInputResource, index: StackIndex, sink: Sink): { millions: number; basis: string } | undefined {
    const config = readString(s.props, ["scrapeConfiguration"]);
    if (sink.unusable(s, config, "scrape configuration")) return undefined;
    const interval = config.state === "known" ? scrapeIntervalSeconds(config.value) : DEFAULT_SCRAPE_INTERVAL_SECONDS;
    if (interval === undefined) {
        sink.issue(s, "unknown", "scrape configuration's scrape_interval is not a whole number of s, m or h, so the samples cannot be counted", "scrapeConfiguration");
        return undefined;
    }
    const workers = maxRayWorkers(index, sink);
    if (workers === undefined) return undefined;
    return {
        millions: samplesPerMonthMillions(workers, interval),
        basis: `(${workers} worker(s) x ${SERIES_PER_WORKER} + ${SERIES_PER_HEAD} head) series (assumed) x ${((730 * 3600) / interval).toLocaleString("en-US")} scrapes at ${interval} s`,
    };
}

function priceScrapers(index: StackIndex, sink: Sink): void {
    for (const s of index.ofType(AWS_MONITORING.scraper)) {
        const f = fee("aws-amp-collector");
        sink.line(s, { kind: "fixed", sku: f.name, region: "-", countMin: 1, countMax: 1, hourlyUsd: f.hourlyUsd, pricing: "fee", basis: "AMP managed collector hourly fee" });
        const samples = scraperSamples(s, index, sink);
        if (!samples) continue;
        const collected = usagePrice("aws-amp-collector-samples");
        sink.usageLine(s, { sku: collected.name, region: "-", quantity: samples.millions, unitUsd: collected.usd, unit: "million samples collected", basis: samples.basis });
        // Ingestion and storage are the workspace's bill, driven by what this scraper writes.
        const ingested = usagePrice("aws-amp-samples");
        sink.usageLine(s, { sku: ingested.name, region: "-", quantity: samples.millions, unitUsd: ingested.usd, unit: "million samples ingested", basis: `${samples.basis}, written to the workspace` });
        const stored = usagePrice("aws-amp-storage");
        const gb = Math.round(((samples.millions * 1e6 * BYTES_PER_STORED_SAMPLE * RETENTION_MONTHS) / 2 ** 30) * 1000) / 1000;
        sink.usageLine(s, { sku: stored.name, region: "-", quantity: gb, unitUsd: stored.usd, unit: "GB-month", basis: `${RETENTION_MONTHS.toFixed(2)} months of samples kept (150-day retention) x ${BYTES_PER_STORED_SAMPLE} bytes each` });
    }
}

function priceRuleGroups(index: StackIndex, sink: Sink): void {
    const u = usagePrice("aws-amp-query-samples");
    for (const g of index.ofType(AWS_MONITORING.ruleGroupNamespace)) {
        const data = readString(g.props, ["data"]);
        if (sink.unusable(g, data, "rule data")) continue;
        const rules = data.state === "known" ? Math.max(1, (data.value.match(/^\s*-?\s*alert:/gm) ?? []).length) : 1;
        sink.usageLine(g, ruleEvaluationLine(rules, u, "-", "million query samples processed"));
    }
}

function priceGrafana(index: StackIndex, sink: Sink): void {
    const f = fee("aws-managed-grafana-editor");
    for (const w of index.ofType(AWS_MONITORING.grafanaWorkspace)) {
        sink.line(w, {
            kind: "fixed",
            sku: f.name,
            region: "-",
            countMin: 1,
            countMax: 2,
            hourlyUsd: f.hourlyUsd,
            pricing: "fee",
            basis: "Editor licenses: the one every workspace needs, and in the worst case the deployer's service account as an active API user",
        });
    }
}

export const AWS_MONITORING_KINDS: ReadonlyArray<Kind> = [
    // The workspace's ingestion and storage are priced on the scraper that writes to it.
    { name: "amp-workspace", provider: "aws", types: [AWS_MONITORING.ampWorkspace, AWS_MONITORING.alertManagerDefinition] },
    { name: "amp-scraper", provider: "aws", types: [AWS_MONITORING.scraper], price: priceScrapers },
    { name: "amp-rule-group-namespace", provider: "aws", types: [AWS_MONITORING.ruleGroupNamespace], price: priceRuleGroups },
    { name: "managed-grafana-workspace", provider: "aws", types: [AWS_MONITORING.grafanaWorkspace], price: priceGrafana },
    { name: "managed-grafana-service-account", provider: "aws", types: [AWS_MONITORING.grafanaServiceAccount, AWS_MONITORING.grafanaServiceAccountToken] },
];
