// Where the stack's GCP alerts go (components/notify/gcp.ts). A Cloud Monitoring notification
// channel bills nothing: Cloud Monitoring prices metric ingestion, API calls, uptime checks and
// alerting-policy conditions, and lists no charge for notification channels or for the e-mails
// they send (cloud.google.com/stackdriver/pricing, "Monitoring pricing summary"). A known kind with
// no compute and no price: $0 by knowledge, not by being unread.
import { Kind } from "../kind";

export const GCP_NOTIFY = {
    notificationChannel: "gcp:monitoring/notificationChannel:NotificationChannel",
} as const;

export const GCP_NOTIFY_KINDS: ReadonlyArray<Kind> = [{ name: "gcp-notification-channel", provider: "gcp", types: [GCP_NOTIFY.notificationChannel] }];
