import * as pulumi from "@pulumi/pulumi";
import * as monitoring from "@pulumi/gcp/monitoring";
import type { NotificationsConfig } from "../../config/notifications";
import { gcpEmailChannels } from "../notify/gcp";
import { AlertRule, AlertThresholds, alertRules, dashboardPanels, MetricServer } from "./signals";

/**
 * Cloud Monitoring alerts and dashboard for one target whose model servers write to Google
 * Managed Prometheus (the gcpSpotL4 collector; GKE managed collection): PromQL conditions and
 * PromQL chart widgets over the same queries signals.ts builds, routed to the stack's e-mail
 * channels (components/notify).
 */
export interface GcpServingMonitoringArgs {
    readonly project: pulumi.Input<string>;
    /** Which build's metric names to query. */
    readonly server: MetricServer;
    /** PromQL label selector of the target's replicas, e.g. `job="llm-serving"`. */
    readonly selector: string;
    readonly thresholds: AlertThresholds;
    readonly notifications?: NotificationsConfig;
    /** Shown in titles: which target this is. */
    readonly title: string;
    readonly labels?: Readonly<Record<string, string>>;
}

/** How often Cloud Monitoring evaluates a PromQL condition: one time series per evaluation. */
export const EVALUATION_INTERVAL_SECONDS = 60;

/** The alert policy's inputs for one rule (pure; tests read it). */
export function gcpAlertPolicyArgs(
    rule: AlertRule,
    title: string,
    project: pulumi.Input<string>,
    channels: pulumi.Input<string[]>,
    labels?: Readonly<Record<string, string>>,
): monitoring.AlertPolicyArgs {
    return {
        project,
        displayName: `${title}: ${rule.title}`,
        combiner: "OR",
        severity: rule.severity === "critical" ? "CRITICAL" : "WARNING",
        notificationChannels: channels,
        documentation: { content: rule.summary, mimeType: "text/markdown" },
        userLabels: labels ? { ...labels } : undefined,
        conditions: [
            {
                displayName: rule.title,
                conditionPrometheusQueryLanguage: {
                    query: rule.expr,
                    duration: `${rule.forMinutes * 60}s`,
                    evaluationInterval: `${EVALUATION_INTERVAL_SECONDS}s`,
                    // The series appear only once a replica has been scraped: creating the policy
                    // before the first scrape must not fail on metrics Cloud Monitoring has not seen.
                    disableMetricValidation: true,
                },
            },
        ],
    };
}

/** The dashboard: one PromQL chart per golden signal, two columns (pure; tests read it). */
export function gcpDashboardJson(server: MetricServer, selector: string, title: string): string {
    const panels = dashboardPanels(server, selector);
    return JSON.stringify({
        displayName: `${title}: LLM serving`,
        mosaicLayout: {
            columns: 12,
            tiles: panels.map((p, i) => ({
                xPos: (i % 2) * 6,
                yPos: Math.floor(i / 2) * 4,
                width: 6,
                height: 4,
                widget: {
                    title: p.title,
                    xyChart: {
                        chartOptions: { mode: "COLOR" },
                        dataSets: [{ plotType: "LINE", targetAxis: "Y1", timeSeriesQuery: { prometheusQuery: p.query, unitOverride: p.unit } }],
                    },
                },
            })),
        },
    });
}

/** Creates the channels, one alert policy per rule and the dashboard; returns the policies. */
export function gcpServingMonitoring(name: string, args: GcpServingMonitoringArgs, opts: pulumi.ComponentResourceOptions): monitoring.AlertPolicy[] {
    const channels = gcpEmailChannels(`${name}-alerts`, args.project, args.notifications, opts, { labels: args.labels });
    const policies = alertRules(args.server, args.selector, args.thresholds).map(
        (rule) => new monitoring.AlertPolicy(`${name}-${rule.id}`, gcpAlertPolicyArgs(rule, args.title, args.project, channels, args.labels), opts),
    );
    new monitoring.Dashboard(`${name}-dashboard`, { project: args.project, dashboardJson: gcpDashboardJson(args.server, args.selector, args.title) }, opts);
    return policies;
}
