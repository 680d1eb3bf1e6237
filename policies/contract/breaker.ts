// The circuit breaker's identity (issue 16): what the program grants the breaker's function and
// what the pack's breaker-least-privilege allows it, named once. This file imports nothing.

/** The policy that checks the breaker's identity holds only what its adapters call. */
export const BREAKER_LEAST_PRIVILEGE_POLICY = "breaker-least-privilege";

/** GCP: the breaker's service account id is this prefix and the stack name (6-30 characters). */
export const BREAKER_GCP_ACCOUNT_PREFIX = "llm-breaker-";

/** The breaker's service account id for a stack (GCP account ids: 6-30 of [a-z0-9-], starting with a letter, not ending in -). */
export function breakerGcpAccountId(stack: string): string {
    return `${BREAKER_GCP_ACCOUNT_PREFIX}${stack.toLowerCase().replace(/[^a-z0-9-]/g, "-")}`.slice(0, 30).replace(/-+$/, "");
}

/**
 * GCP: the account Cloud Build builds the breaker's function as (buildConfig.serviceAccount). A
 * project's default build account is the default compute account, which in organizations created
 * after May 2024 holds no role, so the build fails without one of our own (Cloud Functions,
 * "Use a custom service account for build"; Cloud Build, "Cloud Build service account updates").
 * A prefix of its own, not BREAKER_GCP_ACCOUNT_PREFIX's: its rights are the build's, not the run's.
 */
export const BREAKER_GCP_BUILD_ACCOUNT_PREFIX = "llm-brkbuild-";

/** The build account's id for a stack (same rules as breakerGcpAccountId). */
export function breakerGcpBuildAccountId(stack: string): string {
    return `${BREAKER_GCP_BUILD_ACCOUNT_PREFIX}${stack.toLowerCase().replace(/[^a-z0-9-]/g, "-")}`.slice(0, 30).replace(/-+$/, "");
}

/**
 * What the build account holds, exactly (the same pages): writing build logs and pushing the image
 * on the function's project, reading the source object on the breaker's own source bucket.
 */
export const BREAKER_GCP_BUILD_PROJECT_ROLES: readonly string[] = ["roles/logging.logWriter", "roles/artifactregistry.writer"];
export const BREAKER_GCP_BUILD_BUCKET_ROLE = "roles/storage.objectViewer";

/** GCP: the custom role's id prefix (role ids: [a-zA-Z0-9_.], 3-64). */
export const BREAKER_GCP_ROLE_PREFIX = "llmServingBreaker";

/**
 * The permissions each GCP adapter's REST calls need (functions/breaker/entry/gcp.ts), from each
 * method's reference page ("Authorization requires the following IAM permission"):
 *   MIG:  regionAutoscalers.list -> compute.autoscalers.list; regionAutoscalers.patch ->
 *         compute.autoscalers.get and compute.autoscalers.update
 *   GKE:  projects.locations.clusters.list -> container.clusters.list;
 *         nodePools.setAutoscaling and clusters.setResourceLabels -> container.clusters.update
 */
export const BREAKER_GCP_PERMISSIONS = {
    mig: ["compute.autoscalers.get", "compute.autoscalers.list", "compute.autoscalers.update"],
    gke: ["container.clusters.list", "container.clusters.update"],
} as const;

export type BreakerGcpAdapter = keyof typeof BREAKER_GCP_PERMISSIONS;

/** Every permission a GCP breaker role may hold: the union of the adapters'. */
export const BREAKER_GCP_ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(Object.values(BREAKER_GCP_PERMISSIONS).flat());

/**
 * Predefined roles the breaker's identity may hold, each only on the one resource named:
 *   roles/run.invoker on the function's own Cloud Run service (Eventarc invokes the function as
 *   the breaker's account); roles/pubsub.publisher on the operator's topic it forwards to.
 */
export const BREAKER_GCP_RESOURCE_ROLES: Readonly<Record<string, string>> = {
    "gcp:cloudrunv2/serviceIamMember:ServiceIamMember": "roles/run.invoker",
    "gcp:pubsub/topicIAMMember:TopicIAMMember": "roles/pubsub.publisher",
};

/**
 * The label (tag; on a GCP autoscaler, a key=value word of its description, which takes no
 * labels) naming a scaled group's baseline: the bound the breaker lowers its maximum to. The
 * program writes it on every group the breaker may lower; a group without it is never touched.
 */
export const BREAKER_BASELINE_LABEL = "llm-serving-baseline";

/**
 * A GCP autoscaler's description: the stack's labels and the baseline as key=value words
 * (functions/breaker/adapters.ts reads them back; the breaker appends its state the same way).
 */
export function breakerAutoscalerDescription(labels: Readonly<Record<string, string>>, baseline: number): string {
    return [`app=${labels.app}`, `environment=${labels.environment}`, `${BREAKER_BASELINE_LABEL}=${baseline}`].join(" ");
}
