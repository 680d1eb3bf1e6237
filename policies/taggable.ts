// Which resource types take cost-allocation tags, read from the provider SDKs' input types
// (test/helpers/policyTaggable.ts generates taggable.data.json; a test keeps it in step).
import data from "./taggable.data.json";

export type TagProperty = "tags" | "labels" | "userLabels";

/**
 * GCP types whose `labels` input is not metadata: a Cloud Monitoring notification channel's
 * `labels` is its configuration (`email_address`, ...); its cost-allocation labels are `userLabels`
 * (registry docs of gcp.monitoring.NotificationChannel). Read there, or every channel would fail
 * cost-allocation-tags on a field that must not carry tags.
 */
const GCP_USER_LABELS: ReadonlySet<string> = new Set(["gcp:monitoring/notificationChannel:NotificationChannel"]);

const TAGGABLE: ReadonlyMap<string, TagProperty> = new Map([
    ...data.types.aws.map((t): [string, TagProperty] => [t, "tags"]),
    ...data.types["azure-native"].map((t): [string, TagProperty] => [t, "tags"]),
    // GCP's `tags` are network tags; its cost-allocation metadata is `labels`.
    ...data.types.gcp.map((t): [string, TagProperty] => [t, GCP_USER_LABELS.has(t) ? "userLabels" : "labels"]),
]);

/** The property that carries cost-allocation tags on `type`, or undefined when it takes none. */
export function tagPropertyOf(type: string): TagProperty | undefined {
    return TAGGABLE.get(type);
}

export const TAGGABLE_SOURCE = data.source;
