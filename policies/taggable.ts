// Which resource types take cost-allocation tags, read from the provider SDKs' input types
// (test/helpers/policyTaggable.ts generates taggable.data.json; a test keeps it in step).
import data from "./taggable.data.json";

export type TagProperty = "tags" | "labels" | "userLabels";

const TAGGABLE: ReadonlyMap<string, TagProperty> = new Map([
    ...data.types.aws.map((t): [string, TagProperty] => [t, "tags"]),
    ...data.types["azure-native"].map((t): [string, TagProperty] => [t, "tags"]),
    // GCP's `tags` are network tags; its cost-allocation metadata is `labels`.
    ...data.types.gcp.map((t): [string, TagProperty] => [t, "labels"]),
    // A notification channel's `labels` are its configuration (email_address, channel_name: the
    // channel type's own keys, nothing else accepted); its metadata is `userLabels`.
    ["gcp:monitoring/notificationChannel:NotificationChannel", "userLabels"],
]);

/** The property that carries cost-allocation tags on `type`, or undefined when it takes none. */
export function tagPropertyOf(type: string): TagProperty | undefined {
    return TAGGABLE.get(type);
}

export const TAGGABLE_SOURCE = data.source;
