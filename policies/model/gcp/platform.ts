// GCP project settings the program manages beside compute and networking. A consumer quota
// override only LOWERS a project's limit (it cannot grant more than the admin, producer or default
// limit) and bills nothing: it is a known kind with no compute and no price, so it is $0 by
// knowledge, not by being unread.
import { Kind } from "../kind";

export const GCP_PLATFORM = {
    consumerQuotaOverride: "gcp:serviceusage/consumerQuotaOverride:ConsumerQuotaOverride",
} as const;

export const GCP_PLATFORM_KINDS: ReadonlyArray<Kind> = [{ name: "gcp-consumer-quota-override", provider: "gcp", types: [GCP_PLATFORM.consumerQuotaOverride] }];
