// GCP project settings the program manages beside compute and networking. A consumer quota
// override only LOWERS a project's limit (it cannot grant more than the admin, producer or default
// limit) and bills nothing: it is a known kind with no compute and no price, so it is $0 by
// knowledge, not by being unread.
import { Kind } from "../kind";

export const GCP_PLATFORM = {
    consumerQuotaOverride: "gcp:serviceusage/consumerQuotaOverride:ConsumerQuotaOverride",
    /**
     * An enabled API (e.g. billingbudgets.googleapis.com for the run-time budget). Enabling an API
     * bills nothing; its use bills under the API's own SKUs ("There is no charge for enabling an
     * API", cloud.google.com/service-usage/docs/enable-disable), and budgets are free.
     */
    projectService: "gcp:projects/service:Service",
} as const;

export const GCP_PLATFORM_KINDS: ReadonlyArray<Kind> = [
    { name: "gcp-consumer-quota-override", provider: "gcp", types: [GCP_PLATFORM.consumerQuotaOverride] },
    { name: "gcp-project-service", provider: "gcp", types: [GCP_PLATFORM.projectService] },
];
