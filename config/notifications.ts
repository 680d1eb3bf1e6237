import { z } from "zod";

/**
 * Where the stack's run-time signals go: budget alerts (runtime budgets) and model-server alerts
 * (observability) share these targets, so an operator subscribes once. Every cloud the stack
 * deploys to routes to the same addresses through its own channel (a Cloud Monitoring e-mail
 * channel, an SNS e-mail subscription, an Azure Monitor action group), plus any existing channel
 * named here. Optional: a stack without targets is still planned, and the policies that need
 * them report it (a violation, not a config error), so it can be set up before on-call exists.
 */

/** The same address check the ACME e-mail fields use. */
export const emailAddress = z
    .string({ error: "must be an email address" })
    .regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, { error: "must be an email address" });

/**
 * A GCP budget notifies at most 5 Cloud Monitoring channels
 * (NotificationsRule.monitoringNotificationChannels: "a maximum of 5",
 * cloud.google.com/billing/docs/reference/budget/rest/v1/billingAccounts.budgets), the tightest of the
 * three clouds, so at most 5 addresses: each becomes one channel.
 */
export const MAX_NOTIFICATION_EMAILS = 5;

export const notificationsSchema = z.strictObject(
    {
        /** Addresses every alert and budget notification of the stack goes to. */
        emails: z
            .array(emailAddress, { error: "must be a list of email addresses" })
            .min(1, { error: "must list at least one email address (or leave emails out)" })
            .max(MAX_NOTIFICATION_EMAILS, { error: `must list at most ${MAX_NOTIFICATION_EMAILS} email addresses (a GCP budget notifies at most 5 channels)` })
            .refine((list) => new Set(list.map((e) => e.toLowerCase())).size === list.length, { error: "must not list an address twice" })
            .optional(),
        /** An existing SNS topic (same account) that also receives the stack's AWS alerts and budget notifications. */
        awsSnsTopicArn: z
            .string({ error: "must be an SNS topic ARN such as arn:aws:sns:us-west-2:123456789012:oncall" })
            .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, {
                error: "must be an SNS topic ARN such as arn:aws:sns:us-west-2:123456789012:oncall",
            })
            .optional(),
        /** An existing Pub/Sub topic that also receives the stack's GCP budget notifications. */
        gcpPubsubTopic: z
            .string({ error: "must be a Pub/Sub topic such as projects/acme-ops/topics/oncall" })
            .regex(/^projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/topics\/[A-Za-z][\w.~+%-]{2,254}$/, {
                error: "must be a Pub/Sub topic such as projects/acme-ops/topics/oncall",
            })
            .optional(),
        /** An existing Azure Monitor action group that also receives the stack's Azure alerts and budget notifications. */
        azureActionGroupId: z
            .string({ error: "must be an action group resource id such as /subscriptions/<id>/resourceGroups/<rg>/providers/microsoft.insights/actionGroups/<name>" })
            .regex(/^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[\w.()-]{1,90}\/providers\/microsoft\.insights\/actionGroups\/[\w.-]{1,260}$/i, {
                error: "must be an action group resource id such as /subscriptions/<id>/resourceGroups/<rg>/providers/microsoft.insights/actionGroups/<name>",
            })
            .optional(),
    },
    { error: "must be an object { emails, awsSnsTopicArn, gcpPubsubTopic, azureActionGroupId }" },
);

export type NotificationsConfig = z.output<typeof notificationsSchema>;

/** Whether any target is set: the policies that need somewhere to send alerts ask this. */
export function hasNotificationTarget(n: NotificationsConfig | undefined): boolean {
    return n !== undefined && ((n.emails?.length ?? 0) > 0 || n.awsSnsTopicArn !== undefined || n.gcpPubsubTopic !== undefined || n.azureActionGroupId !== undefined);
}
