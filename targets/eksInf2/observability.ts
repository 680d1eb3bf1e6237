import * as pulumi from "@pulumi/pulumi";
import * as amp from "@pulumi/aws/amp";
import * as grafana from "@pulumi/aws/grafana";
import * as iam from "@pulumi/aws/iam";
import { Provider as GrafanaProvider } from "@pulumiverse/grafana/provider";
import { DataSource } from "@pulumiverse/grafana/oss/dataSource";
import { Dashboard } from "@pulumiverse/grafana/oss/dashboard";
import { stringify } from "yaml";
import { AwsRegion, Inf2InstanceType } from "./config";
import { DEFAULT_OBSERVABILITY, ObservabilityConfig } from "../../config/observability";
import type { NotificationsConfig } from "../../config/notifications";
import { awsAlertTopicsWithPolicy } from "../../components/notify/aws";
import { POD_SCRAPE_INTERVAL_SECONDS } from "../../components/observability/podMonitoring";
import { AlertRule, alertRules, dashboardPanels, Panel, rayServePanels, RAY_SERVE_QUERY_METRICS } from "../../components/observability/signals";
import { RAY_METRICS_PORT, VLLM_METRICS_PORT } from "./rayService";
import { SERVING_NAMESPACE } from "./labels";

/**
 * Issue #18 on EKS: Amazon Managed Service for Prometheus (AMP) with its managed, agentless
 * scraper; five alert rules in an AMP rule groups namespace routed by AMP's alert manager to the
 * stack's SNS topics; one Amazon Managed Grafana dashboard over the workspace.
 *
 * Why the managed scraper and not an in-cluster collector: the scraper reaches pods through ENIs
 * it places in the cluster's subnets and writes to AMP through a VPC endpoint, so nothing is
 * exposed publicly and nothing runs on the nodes. Its prerequisites are ones this cluster
 * declares: private endpoint access on (cluster.ts sets endpointPrivateAccess), DNS in the VPC
 * (network.ts), subnets in two zones, and Kubernetes access for its service-linked role. That
 * access is NOT declared here: the cluster's authenticationMode is API (cluster.ts), and for such
 * clusters a scraper created through the API "will automatically have the correct access entry
 * policy created for you" (AMP user guide, "Set up managed collectors for Amazon EKS",
 * docs.aws.amazon.com/prometheus/latest/userguide/AMP-collector-how-to.html, "Configure Amazon
 * EKS for scraper access with access entries"). EKS allows one access entry per principal ARN, so
 * declaring our own (with an `aps-collector-*` ClusterRole) collides with AMP's and fails the
 * create; the aws-auth ConfigMap route the guide also shows is for CONFIG_MAP clusters only.
 *
 * What it scrapes, inside the cluster only (the NLB still forwards only the guard's routes):
 * - vLLM's own /metrics, relayed by each Serve replica on the worker pod's `vllm-metrics` port
 *   (rayService.ts: vLLM runs as a subprocess bound to 127.0.0.1 with its own prometheus_client
 *   registry, so its metrics never reach Ray's metrics agent);
 * - Ray's metrics export port (`metrics`, 8080) on the head and workers, for Ray Serve's replica
 *   health and ongoing requests (the autoscaler's own signal).
 * metric_relabel_configs keep only the series the rules and the dashboard read: what AMP bills.
 */

/** Job names: the `job` label every series (and `up`) carries; the selectors below use them. */
export const VLLM_JOB = "llm-vllm-neuron";
export const RAY_SERVE_JOB = "llm-ray-serve";
/** The Serve deployment (serveConfig's deployments[0].name). */
export const SERVE_DEPLOYMENT = "VllmNeuron";

/** PromQL selector of the vLLM engines' series. */
export function vllmSelector(namespace = SERVING_NAMESPACE): string {
    return `job="${VLLM_JOB}",namespace="${namespace}"`;
}

/** PromQL selector of the Ray Serve series of the model's deployment. */
export function raySelector(namespace = SERVING_NAMESPACE): string {
    return `job="${RAY_SERVE_JOB}",namespace="${namespace}",deployment="${SERVE_DEPLOYMENT}"`;
}

/** One pod-discovery job that keeps the pods' container ports named `port` in `namespace`, and the metrics matching `keep`. */
function podJob(job: string, namespace: string, port: string, keep: string) {
    return {
        job_name: job,
        kubernetes_sd_configs: [{ role: "pod", namespaces: { names: [namespace] } }],
        relabel_configs: [
            { source_labels: ["__meta_kubernetes_pod_container_port_name"], action: "keep", regex: port },
            { source_labels: ["__meta_kubernetes_namespace"], target_label: "namespace" },
            { source_labels: ["__meta_kubernetes_pod_name"], target_label: "pod" },
        ],
        metric_relabel_configs: [{ source_labels: ["__name__"], action: "keep", regex: keep }],
    };
}

/** The scraper's Prometheus configuration (YAML, as AMP's CreateScraper takes it). */
export function scrapeConfiguration(namespace = SERVING_NAMESPACE): string {
    return stringify({
        global: { scrape_interval: `${POD_SCRAPE_INTERVAL_SECONDS}s`, scrape_timeout: "10s" },
        scrape_configs: [
            podJob(VLLM_JOB, namespace, VLLM_METRICS_PORT.name, "vllm:.+"),
            podJob(RAY_SERVE_JOB, namespace, RAY_METRICS_PORT.name, RAY_SERVE_QUERY_METRICS.join("|")),
        ],
    });
}

/** One Prometheus alerting rule (AMP evaluates standard Prometheus rule files). */
export function prometheusRule(rule: AlertRule) {
    return {
        alert: rule.id,
        expr: rule.expr,
        // Prometheus fires at once without `for`.
        ...(rule.forMinutes > 0 ? { for: `${rule.forMinutes}m` } : {}),
        labels: { severity: rule.severity, target: "eksInf2" },
        annotations: { summary: rule.summary, title: rule.title },
    };
}

/** The rule groups namespace's data: one group of the five alerts, evaluated every minute. */
export function ruleGroupsData(t: ObservabilityConfig, namespace = SERVING_NAMESPACE): string {
    return stringify({ groups: [{ name: "llm-serving-eks-inf2", interval: "1m", rules: alertRules("vllmNeuron", vllmSelector(namespace), t).map(prometheusRule) }] });
}

/** The region of an SNS topic ARN (AMP signs its publish for that region). */
export function topicRegion(arn: string): string {
    return arn.split(":")[3] ?? "";
}

/**
 * AMP's alert manager definition: every alert to the stack's SNS topics. Without topics the one
 * receiver has no sns_configs (a valid Alertmanager config that notifies no one), which the
 * model-server-observability policy reports.
 */
export function alertManagerDefinition(topicArns: ReadonlyArray<string>): string {
    const receiver = {
        name: "stack-notifications",
        ...(topicArns.length > 0
            ? { sns_configs: topicArns.map((arn) => ({ topic_arn: arn, sigv4: { region: topicRegion(arn) }, subject: "llm-serving eksInf2 alert" })) }
            : {}),
    };
    const config = {
        route: { receiver: receiver.name, group_by: ["alertname"], group_wait: "30s", group_interval: "5m", repeat_interval: "4h" },
        receivers: [receiver],
    };
    return stringify({ alertmanager_config: stringify(config) });
}

/** A Grafana panel of the dashboard (timeseries over the AMP data source). */
function grafanaPanel(p: Panel, i: number, datasourceUid: string) {
    const unit = p.unit === "s" ? "s" : p.unit === "1/s" ? "reqps" : "short";
    return {
        id: i + 1,
        type: "timeseries",
        title: p.title,
        gridPos: { h: 8, w: 8, x: (i % 3) * 8, y: Math.floor(i / 3) * 8 },
        datasource: { type: "prometheus", uid: datasourceUid },
        fieldConfig: { defaults: { unit }, overrides: [] },
        targets: [{ refId: "A", expr: p.query, datasource: { type: "prometheus", uid: datasourceUid } }],
    };
}

/** The panels of the eksInf2 dashboard: the shared golden signals plus Ray Serve's own. */
export function eksDashboardPanels(namespace = SERVING_NAMESPACE): Panel[] {
    return [...dashboardPanels("vllmNeuron", vllmSelector(namespace)), ...rayServePanels(raySelector(namespace))];
}

/**
 * On-demand USD per hour of each inf2 type, for the dashboard's cost rate: the price catalog's
 * figures (policies/cost/catalog.ts, read by a test that fails when they differ; the program may
 * not import the pack). The same in both regions the program deploys to.
 */
export const INF2_ON_DEMAND_HOURLY_USD: Readonly<Record<AwsRegion, Readonly<Record<Inf2InstanceType, number>>>> = {
    "us-east-1": { "inf2.xlarge": 0.7582, "inf2.8xlarge": 1.96786, "inf2.24xlarge": 6.49063, "inf2.48xlarge": 12.98127 },
    "us-west-2": { "inf2.xlarge": 0.7582, "inf2.8xlarge": 1.96786, "inf2.24xlarge": 6.49063, "inf2.48xlarge": 12.98127 },
};

/**
 * Cost rate of the model workers now, in USD per hour: the replicas answering scrapes (one inf2
 * node each) times the on-demand price of the dearest type the pool may launch, the figure the
 * pack's worst case uses for uncapped Karpenter spot. Undefined for a type or region without a
 * price (the config refuses those first).
 */
export function costRateQuery(region: string, instanceTypes: ReadonlyArray<string>, namespace = SERVING_NAMESPACE): { query: string; hourlyUsd: number } | undefined {
    const table = (INF2_ON_DEMAND_HOURLY_USD as Record<string, Record<string, number> | undefined>)[region];
    const prices = instanceTypes.map((t) => table?.[t]);
    if (prices.length === 0 || prices.some((p) => p === undefined)) return undefined;
    const hourlyUsd = Math.max(...(prices as number[]));
    return { query: `sum(up{${vllmSelector(namespace)}}) * ${hourlyUsd}`, hourlyUsd };
}

/** The dashboard model (Grafana JSON): the golden signals, and the cost rate when the catalog prices the pool. */
export function grafanaDashboard(title: string, datasourceUid: string, cost: { query: string; hourlyUsd: number } | undefined, namespace = SERVING_NAMESPACE) {
    const panels = eksDashboardPanels(namespace).map((p, i) => grafanaPanel(p, i, datasourceUid));
    const i = panels.length;
    const costPanel = cost
        ? {
              ...grafanaPanel({ title: `Model workers' cost rate (on-demand $${cost.hourlyUsd}/h each, the pack's worst case)`, query: cost.query, unit: "1" }, i, datasourceUid),
              fieldConfig: { defaults: { unit: "currencyUSD" }, overrides: [] },
          }
        : { id: i + 1, type: "text", title: "Cost rate", gridPos: { h: 4, w: 24, x: 0, y: Math.ceil(i / 3) * 8 }, options: { mode: "markdown", content: "No catalog price for the pool's instance types: see the stack's plan." } };
    return {
        title,
        uid: "llm-serving-eks-inf2",
        tags: ["llm-serving", "eksInf2"],
        timezone: "utc",
        refresh: "1m",
        time: { from: "now-6h", to: "now" },
        schemaVersion: 39,
        panels: [...panels, costPanel],
    };
}

/** The Grafana workspace's role: query AMP, nothing else (AWS managed AmazonPrometheusQueryAccess). */
export const GRAFANA_QUERY_POLICY = "arn:aws:iam::aws:policy/AmazonPrometheusQueryAccess";

/**
 * The Grafana role of the deployer's service account: ADMIN, because the provider creates the AMP
 * data source, and in Grafana adding and configuring data sources takes "the organization
 * administrator role" (grafana.com docs, "Amazon Managed Service for Prometheus" data source,
 * read 2026-12-02); an EDITOR token gets 403 on the data source. Billed as an editor license all the same
 * (aws.amazon.com/grafana/pricing: $9 per active editor or administrator).
 */
export const DEPLOYER_GRAFANA_ROLE = "ADMIN";

/** Days a deployer token lives (Grafana's cap for a workspace service account token is 30 days). */
export const GRAFANA_TOKEN_LIFETIME_DAYS = 30;
/** Days between token rotations: well inside the lifetime, so a stack updated at least every 16 days never holds an expired token. */
export const GRAFANA_TOKEN_ROTATION_DAYS = 14;

/**
 * The deployer token's name for the run at `nowMs`: `pulumi-<n>`, n = floor(days since the epoch /
 * 14). Why: the token expires after 30 days and the AWS provider never replaces it by itself (its
 * Read does not look at expires_at, so an expired token shows no diff), after which the Grafana
 * provider's calls fail 401 and the stack can neither update nor destroy its dashboard. The name
 * forces a replacement, so the first update in each new 14-day bucket creates a fresh token (Pulumi
 * creates the replacement before deleting the old one) while the old one still has >= 16 days left.
 */
export function grafanaTokenName(nowMs: number): string {
    return `pulumi-${Math.floor(nowMs / 86_400_000 / GRAFANA_TOKEN_ROTATION_DAYS)}`;
}

export interface EksObservabilityArgs {
    readonly region: string;
    readonly clusterArn: pulumi.Input<string>;
    readonly privateSubnetIds: pulumi.Input<string>[];
    readonly clusterSecurityGroupId: pulumi.Input<string>;
    /** The inf2 types the NodePool may launch (the dashboard's cost rate). */
    readonly instanceTypes: ReadonlyArray<string>;
    readonly observability?: ObservabilityConfig;
    readonly notifications?: NotificationsConfig;
    readonly tags: Readonly<Record<string, string>>;
}

export interface EksObservability {
    readonly workspace: amp.Workspace;
    readonly scraper: amp.Scraper;
    /** The Grafana workspace's URL (sign-in through IAM Identity Center); none with `eksManagedGrafana: false`. */
    readonly dashboardUrl?: pulumi.Output<string>;
}

/** Declares the workspace, scraper (AMP grants its cluster access itself), the alerts and the dashboard. */
export function eksObservability(parent: pulumi.Resource, name: string, a: EksObservabilityArgs): EksObservability {
    const opts = { parent };
    const { region } = a;
    const tags = { ...a.tags };
    const obs = a.observability ?? DEFAULT_OBSERVABILITY;

    const workspace = new amp.Workspace(`${name}-amp`, { region, alias: `${name}-${pulumi.getStack()}`, tags }, opts);

    // No access entry or ClusterRole for the scraper: AMP creates its own access entry for its
    // service-linked role on this API-mode cluster, and a second one for the same ARN fails (see the header).
    const scraper = new amp.Scraper(
        `${name}-scraper`,
        {
            region,
            alias: `${name}-${pulumi.getStack()}`,
            source: { eks: { clusterArn: a.clusterArn, subnetIds: a.privateSubnetIds, securityGroupIds: [a.clusterSecurityGroupId] } },
            destination: { amp: { workspaceArn: workspace.arn } },
            scrapeConfiguration: scrapeConfiguration(),
            tags,
        },
        opts,
    );

    // Alerts: the rules, and the alert manager publishing to the stack's topics (the topic policy lets AMP publish).
    new amp.RuleGroupNamespace(`${name}-alerts`, { region, workspaceId: workspace.id, name: "llm-serving", data: ruleGroupsData(obs), tags }, opts);
    const topics = awsAlertTopicsWithPolicy(`${name}-obs`, a.notifications, opts, { region, tags });
    new amp.AlertManagerDefinition(`${name}-alertmanager`, { region, workspaceId: workspace.id, definition: topics.arns.apply(alertManagerDefinition) }, opts);

    // Dashboard: only where the account has IAM Identity Center (config/observability.ts, eksManagedGrafana).
    const dashboardUrl = obs.eksManagedGrafana ? managedGrafana(parent, name, region, workspace, a.instanceTypes, tags) : undefined;
    return { workspace, scraper, ...(dashboardUrl ? { dashboardUrl } : {}) };
}

/** Amazon Managed Grafana reading the AMP workspace with its own role, the deployer's token, the data source and the dashboard; returns its URL. */
function managedGrafana(parent: pulumi.Resource, name: string, region: string, workspace: amp.Workspace, instanceTypes: ReadonlyArray<string>, tags: Record<string, string>): pulumi.Output<string> {
    const opts = { parent };
    const grafanaRole = new iam.Role(
        `${name}-grafana`,
        {
            assumeRolePolicy: pulumi.output(workspace.arn).apply((arn) =>
                JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { Service: "grafana.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": arn.split(":")[4] } } }],
                }),
            ),
            managedPolicyArns: [GRAFANA_QUERY_POLICY],
            tags,
        },
        opts,
    );
    const grafanaWorkspace = new grafana.Workspace(
        `${name}-grafana`,
        {
            region,
            name: `${name}-${pulumi.getStack()}`,
            accountAccessType: "CURRENT_ACCOUNT",
            // IAM Identity Center must be enabled in the account (an organisation-level prerequisite the program
            // cannot declare; without it the create fails "SSO is not enabled in any region": eksManagedGrafana: false).
            authenticationProviders: ["AWS_SSO"],
            permissionType: "CUSTOMER_MANAGED",
            roleArn: grafanaRole.arn,
            dataSources: ["PROMETHEUS"],
            tags,
        },
        opts,
    );
    // The provider's credential: a service account token living 30 days, renamed (so replaced) every 14 (grafanaTokenName).
    const account = new grafana.WorkspaceServiceAccount(`${name}-grafana-deployer`, { region, workspaceId: grafanaWorkspace.id, name: "pulumi", grafanaRole: DEPLOYER_GRAFANA_ROLE }, opts);
    const token = new grafana.WorkspaceServiceAccountToken(
        `${name}-grafana-deployer`,
        { region, workspaceId: grafanaWorkspace.id, serviceAccountId: account.serviceAccountId, name: grafanaTokenName(Date.now()), secondsToLive: GRAFANA_TOKEN_LIFETIME_DAYS * 24 * 3600 },
        opts,
    );
    const gf = new GrafanaProvider(`${name}-grafana`, { url: pulumi.interpolate`https://${grafanaWorkspace.endpoint}`, auth: pulumi.secret(token.key) }, opts);
    const ds = new DataSource(
        `${name}-amp`,
        {
            name: "amp",
            type: "prometheus",
            uid: "llm-serving-amp",
            url: workspace.prometheusEndpoint,
            jsonDataEncoded: JSON.stringify({ httpMethod: "POST", sigV4Auth: true, sigV4AuthType: "ec2_iam_role", sigV4Region: region }),
        },
        { parent, provider: gf },
    );
    new Dashboard(
        `${name}-dashboard`,
        {
            configJson: JSON.stringify(grafanaDashboard(`llm-serving eksInf2 (${pulumi.getStack()})`, "llm-serving-amp", costRateQuery(region, instanceTypes))),
            overwrite: true,
        },
        { parent, provider: gf, dependsOn: [ds] },
    );
    return pulumi.interpolate`https://${grafanaWorkspace.endpoint}`;
}
