// GCP side of the stack's notification targets: one Cloud Monitoring e-mail channel per address.
// Budgets (billing budget `monitoringNotificationChannels`, at most 5, hence at most 5 addresses in
// config/notifications.ts) and alert policies both name channels by resource name. An existing
// Pub/Sub topic (`gcpPubsubTopic`) is not a channel: a budget publishes to it through its own
// `pubsubTopic` field, so it is not returned here.
import * as pulumi from "@pulumi/pulumi";
import * as monitoring from "@pulumi/gcp/monitoring";
import type { NotificationsConfig } from "../../config/notifications";
import { addressSuffix } from "./names";

export interface GcpNotifyOptions {
    /** Cost-allocation labels for the channels (userLabels); the stack's costLabels. */
    readonly labels?: Readonly<Record<string, string>>;
}

/**
 * One e-mail notification channel per address in `project`. Returns the channels' resource names
 * (projects/<p>/notificationChannels/<id>); nothing is created, and [] returned, without addresses.
 */
export function gcpEmailChannels(
    name: string,
    project: pulumi.Input<string>,
    n: NotificationsConfig | undefined,
    opts: pulumi.ComponentResourceOptions,
    settings: GcpNotifyOptions = {},
): pulumi.Output<string[]> {
    const emails = n?.emails ?? [];
    const channels = emails.map(
        (email) =>
            new monitoring.NotificationChannel(
                `${name}-email-${addressSuffix(email)}`,
                {
                    project,
                    type: "email",
                    displayName: `llm-serving ${name}: ${email}`,
                    labels: { email_address: email },
                    userLabels: settings.labels ? { ...settings.labels } : undefined,
                    enabled: true,
                },
                opts,
            ),
    );
    return pulumi.all(channels.map((c) => c.name));
}
