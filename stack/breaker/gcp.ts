// The breaker on GCP (issue 16): the stack's billing budget publishes every update to a Pub/Sub
// topic of the breaker's; Eventarc runs a Cloud Function (2nd gen, nodejs22) on each message, as a
// service account of its own that holds a custom role with exactly the permissions its adapters
// call (policies/contract/breaker.ts), granted on the stack's projects only.
//
// Decisions:
// - One topic per budget (NotificationsRule.pubsubTopic is a single field): the breaker's topic
//   takes it, and when the stack also names `notifications.gcpPubsubTopic` the function republishes
//   every message to it, as received (its account may publish to that topic and nothing else).
// - Retries off: the budget republishes its state several times a day and a repeat is idempotent,
//   so the next message is the retry; a retry policy would redeliver a message that fails for good
//   (a missing permission) for up to 7 days.
// - At most one instance: two runs never patch the same group at once.
// - Built as an account of its own (buildConfig.serviceAccount): the default build account is the
//   default compute account, which holds no role in organizations created after May 2024, so the
//   build would fail; ours holds exactly logging.logWriter and artifactregistry.writer on the
//   function's project and storage.objectViewer on the source bucket.
// - The function lives in the stack's first GCP project, in the region of its first group.
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import * as cloudfunctionsv2 from "@pulumi/gcp/cloudfunctionsv2";
import * as cloudrunv2 from "@pulumi/gcp/cloudrunv2";
import * as projects from "@pulumi/gcp/projects";
import * as pubsub from "@pulumi/gcp/pubsub";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as storage from "@pulumi/gcp/storage";
import { costLabels } from "../../components/costLabels";
import { BREAKER_NODE_MAJOR, breakerArchive, breakerBundle } from "../../functions/breaker/bundle";
import { BREAKER_PERCENT, BREAKER_TAG, breakerModeOf, type BreakerMode } from "../../policies/contract/budgets";
import {
    BREAKER_GCP_BUILD_BUCKET_ROLE,
    BREAKER_GCP_BUILD_PROJECT_ROLES,
    BREAKER_GCP_PERMISSIONS,
    BREAKER_GCP_ROLE_PREFIX,
    breakerGcpAccountId,
    breakerGcpBuildAccountId,
    type BreakerGcpAdapter,
} from "../../policies/contract/breaker";
import type { StackConfig } from "../config";
import type { BreakerTriggers } from "./triggers";
import type { BreakerArgs } from "./types";

/** The account Cloud Billing publishes budget notifications as (Cloud Billing, "Set up programmatic notifications"). */
export const BILLING_BUDGET_PUBLISHER = "serviceAccount:billing-budget-alert@system.gserviceaccount.com";

/** APIs a 2nd gen function with a Pub/Sub trigger needs: it is built by Cloud Build into Artifact Registry and runs on Cloud Run, triggered through Eventarc. */
export const BREAKER_GCP_APIS = [
    "cloudfunctions.googleapis.com",
    "run.googleapis.com",
    "eventarc.googleapis.com",
    "cloudbuild.googleapis.com",
    "artifactregistry.googleapis.com",
    "pubsub.googleapis.com",
] as const;

/** The entry point functions/breaker/entry/gcp.ts exports. */
export const BREAKER_GCP_ENTRY_POINT = "breakerGcp";

/** What the GCP breaker acts on, read from the stack's GCP targets. */
export interface GcpBreakerScope {
    readonly projects: string[];
    /** gcpSpotL4's regions (its autoscalers). */
    readonly migRegions: string[];
    /** gkeL4 is deployed (its GPU pool). */
    readonly gke: boolean;
    /** Where the function runs. */
    readonly region: string;
    readonly adapters: BreakerGcpAdapter[];
}

export function gcpBreakerScope(config: Pick<StackConfig, "targets">, projectIds: readonly string[]): GcpBreakerScope {
    const targets = config.targets as { gcpSpotL4?: { regions?: string[] }; gkeL4?: { region?: string } };
    const migRegions = [...(targets.gcpSpotL4?.regions ?? [])];
    const gke = targets.gkeL4 !== undefined;
    const region = migRegions[0] ?? targets.gkeL4?.region ?? "us-central1";
    const adapters: BreakerGcpAdapter[] = [...(migRegions.length > 0 ? (["mig"] as const) : []), ...(gke ? (["gke"] as const) : [])];
    return { projects: [...projectIds], migRegions, gke, region, adapters };
}

/** The custom role's permissions: exactly those of the adapters the stack needs, sorted. */
export function breakerGcpPermissions(adapters: readonly BreakerGcpAdapter[]): string[] {
    return [...new Set(adapters.flatMap((a) => BREAKER_GCP_PERMISSIONS[a]))].sort();
}

/** The custom role id for a stack ([a-zA-Z0-9_.], at most 64). */
export function breakerGcpRoleId(stack: string): string {
    return `${BREAKER_GCP_ROLE_PREFIX}_${stack.replace(/[^a-zA-Z0-9_]/g, "_")}`.slice(0, 64);
}

/** The function's environment (functions/breaker/entry/gcp.ts reads it). */
export function breakerGcpEnvironment(a: { environment: string; scope: GcpBreakerScope; stepToZero: boolean; forwardTopic?: string }): Record<string, string> {
    return {
        LLM_SERVING_ENVIRONMENT: a.environment,
        LLM_SERVING_GCP_PROJECTS: a.scope.projects.join(","),
        LLM_SERVING_GCP_MIG_REGIONS: a.scope.migRegions.join(","),
        LLM_SERVING_GCP_GKE: String(a.scope.gke),
        // The breaker acts at 100% of forecast or actual spend: the plan and README say so.
        LLM_SERVING_FORECAST_PERCENT: String(BREAKER_PERCENT),
        LLM_SERVING_STEP_TO_ZERO: String(a.stepToZero),
        ...(a.forwardTopic !== undefined ? { LLM_SERVING_FORWARD_TOPIC: a.forwardTopic } : {}),
    };
}

/** package.json beside the bundle: the runtime's buildpack reads `main` and adds the Functions Framework itself. */
export function breakerGcpPackageJson(): string {
    return JSON.stringify({ name: "llm-serving-breaker-gcp", private: true, main: "index.js", engines: { node: `>=${BREAKER_NODE_MAJOR}` } }, null, 2);
}

/** A topic name split into its project and id (projects/<p>/topics/<t>). */
function topicParts(topic: string): { project: string; topic: string } | undefined {
    const m = /^projects\/([^/]+)\/topics\/([^/]+)$/.exec(topic);
    return m ? { project: m[1], topic: m[2] } : undefined;
}

export function gcpBreaker(name: string, args: BreakerArgs): BreakerTriggers {
    const projectIds = args.scopes.gcp?.projects ?? [];
    if (projectIds.length === 0) return {};
    return new GcpBreaker(name, args).triggers;
}

export class GcpBreaker extends pulumi.ComponentResource {
    public readonly triggers: BreakerTriggers;
    public readonly topic: pubsub.Topic;
    public readonly function: cloudfunctionsv2.Function;

    constructor(name: string, args: BreakerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("llm-serving:breaker:GcpBreaker", name, {}, opts);
        const { config, stepToZero } = args;
        const scope = gcpBreakerScope(config, args.scopes.gcp?.projects ?? []);
        const host = scope.projects[0];
        const stack = config.stack;
        const mode: BreakerMode = breakerModeOf(stepToZero);
        const labels = costLabels(config);
        const child = { parent: this };

        // Never disabled on destroy: the targets and other tools use the same APIs.
        const apis = BREAKER_GCP_APIS.map(
            (service) => new projects.Service(`${name}-api-${service.split(".")[0]}`, { project: host, service, disableOnDestroy: false, disableDependentServices: false }, child),
        );

        this.topic = new pubsub.Topic(`${name}-topic`, { project: host, name: `llm-serving-breaker-${stack}`, labels }, { ...child, dependsOn: apis });
        // The budget API grants this itself when the caller may set the topic's IAM policy; declared
        // so the right is visible and survives a budget created by someone else.
        new pubsub.TopicIAMMember(`${name}-budget-publisher`, { project: host, topic: this.topic.name, role: "roles/pubsub.publisher", member: BILLING_BUDGET_PUBLISHER }, child);

        const account = new serviceaccount.Account(
            `${name}-sa`,
            { project: host, accountId: breakerGcpAccountId(stack), displayName: `llm-serving breaker (${stack})`, description: "Lowers the stack's scaled groups to their baseline when forecast spend passes the budget." },
            child,
        );
        // Built from the known account id, so the member (and the policy that reads it) is known at preview.
        const member = `serviceAccount:${breakerGcpAccountId(stack)}@${host}.iam.gserviceaccount.com`;

        const permissions = breakerGcpPermissions(scope.adapters);
        const roleId = breakerGcpRoleId(stack);
        const grants = scope.projects.map((project) => {
            const role = new projects.IAMCustomRole(
                `${name}-role-${project}`,
                { project, roleId, title: `llm-serving breaker (${stack})`, description: "Exactly what the breaker's adapters call (breaker-least-privilege).", permissions, stage: "GA" },
                child,
            );
            return new projects.IAMMember(`${name}-grant-${project}`, { project, role: `projects/${project}/roles/${roleId}`, member }, { ...child, dependsOn: [role, account] });
        });

        const forward = config.notifications?.gcpPubsubTopic;
        const forwardTo = forward !== undefined ? topicParts(forward) : undefined;
        const forwardGrant = forwardTo
            ? [new pubsub.TopicIAMMember(`${name}-forward-publisher`, { project: forwardTo.project, topic: forwardTo.topic, role: "roles/pubsub.publisher", member }, { ...child, dependsOn: [account] })]
            : [];

        const bucket = new storage.Bucket(
            `${name}-source`,
            {
                project: host,
                name: `${host}-llm-breaker-${stack}`.slice(0, 63).replace(/-+$/, ""),
                location: scope.region.toUpperCase(),
                uniformBucketLevelAccess: true,
                publicAccessPrevention: "enforced",
                forceDestroy: true,
                labels,
            },
            child,
        );
        const buildId = breakerGcpBuildAccountId(stack);
        const buildAccount = new serviceaccount.Account(
            `${name}-build-sa`,
            { project: host, accountId: buildId, displayName: `llm-serving breaker build (${stack})`, description: "Cloud Build builds the breaker's function as this account." },
            child,
        );
        const buildMember = `serviceAccount:${buildId}@${host}.iam.gserviceaccount.com`;
        const buildGrants = [
            ...BREAKER_GCP_BUILD_PROJECT_ROLES.map(
                (role) => new projects.IAMMember(`${name}-build-${role.split("/")[1].split(".")[0]}`, { project: host, role, member: buildMember }, { ...child, dependsOn: [buildAccount] }),
            ),
            new storage.BucketIAMMember(`${name}-build-source`, { bucket: bucket.name, role: BREAKER_GCP_BUILD_BUCKET_ROLE, member: buildMember }, { ...child, dependsOn: [buildAccount] }),
        ];

        // The object's name carries the bundle's hash, so changed code is a new object and a new build.
        const hash = createHash("sha256").update(breakerBundle("gcp")).digest("hex").slice(0, 16);
        const source = new storage.BucketObject(`${name}-source`, { bucket: bucket.name, name: `breaker-gcp-${hash}.zip`, source: breakerArchive("gcp", { "package.json": breakerGcpPackageJson() }) }, child);

        this.function = new cloudfunctionsv2.Function(
            `${name}-function`,
            {
                project: host,
                location: scope.region,
                name: `llm-serving-breaker-${stack}`,
                description: "llm-serving circuit breaker: budget notification -> scaled groups down to their baseline",
                labels: { ...labels, [BREAKER_TAG]: mode },
                buildConfig: {
                    runtime: `nodejs${BREAKER_NODE_MAJOR}`,
                    entryPoint: BREAKER_GCP_ENTRY_POINT,
                    source: { storageSource: { bucket: bucket.name, object: source.name } },
                    // The resource name Cloud Functions takes (projects/<p>/serviceAccounts/<email>), known at preview.
                    serviceAccount: `projects/${host}/serviceAccounts/${buildId}@${host}.iam.gserviceaccount.com`,
                    // The Node.js buildpack serves a plain export as an HTTP function unless told the
                    // signature; the entry point takes a CloudEvent (GCP buildpacks, Functions Framework
                    // GOOGLE_FUNCTION_SIGNATURE_TYPE).
                    environmentVariables: { GOOGLE_FUNCTION_SIGNATURE_TYPE: "cloudevent" },
                },
                serviceConfig: {
                    minInstanceCount: 0,
                    maxInstanceCount: 1,
                    availableMemory: "256M",
                    timeoutSeconds: 300,
                    ingressSettings: "ALLOW_INTERNAL_ONLY",
                    allTrafficOnLatestRevision: true,
                    serviceAccountEmail: account.email,
                    environmentVariables: breakerGcpEnvironment({ environment: labels.environment, scope, stepToZero, ...(forward !== undefined ? { forwardTopic: forward } : {}) }),
                },
                eventTrigger: {
                    triggerRegion: scope.region,
                    eventType: "google.cloud.pubsub.topic.v1.messagePublished",
                    pubsubTopic: this.topic.id,
                    retryPolicy: "RETRY_POLICY_DO_NOT_RETRY",
                    serviceAccountEmail: account.email,
                },
            },
            { ...child, dependsOn: [...apis, ...grants, ...forwardGrant, ...buildGrants] },
        );
        // Eventarc calls the function's Cloud Run service as the breaker's account: it may invoke that service only.
        new cloudrunv2.ServiceIamMember(`${name}-invoker`, { project: host, location: scope.region, name: this.function.name, role: "roles/run.invoker", member }, child);

        this.triggers = { gcpPubsubTopic: this.topic.id };
        this.registerOutputs({});
    }
}
