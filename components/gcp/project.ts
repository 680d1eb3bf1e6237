/**
 * The Google APIs a gcpSpotL4 stack calls, enabled by the program itself (a fresh project has
 * only a default few on): each is a `gcp.projects.Service`, and every resource that calls an API
 * depends on its Service, so the first `pulumi up` on an empty project succeeds. Service Usage
 * (serviceusage.googleapis.com) is the one API it cannot enable for itself: the README lists it
 * as a prerequisite. Keys are stable logical names (part of the resources' URNs).
 */
export const GCP_APIS = {
    /** Networks, firewalls, templates, the instance group, health checks, the load balancer, certificates. */
    compute: "compute.googleapis.com",
    /** The replicas' service account and its IAM bindings. */
    iam: "iam.googleapis.com",
    /** Replicas mint a short-lived token for themselves to read their secrets (generateAccessToken). */
    iamCredentials: "iamcredentials.googleapis.com",
    /** The API key and Hugging Face token. */
    secretManager: "secretmanager.googleapis.com",
    /** Project-level IAM bindings (log and metric writers) go through the Resource Manager API. */
    resourceManager: "cloudresourcemanager.googleapis.com",
    /** Replicas write their logs and metrics here (logging.logWriter, monitoring.metricWriter). */
    logging: "logging.googleapis.com",
    monitoring: "monitoring.googleapis.com",
} as const;

export type GcpApi = keyof typeof GCP_APIS;

/** Logical name of an API's Service resource: `<component>-api-<key>`, never the API's host name. */
export function apiResourceName(componentName: string, api: GcpApi): string {
    return `${componentName}-api-${api.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
