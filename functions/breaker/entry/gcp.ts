// The GCP breaker function: Cloud Functions (2nd gen, nodejs22), triggered through Eventarc by the
// Pub/Sub topic the stack's billing budget publishes to (CloudEvent
// google.cloud.pubsub.topic.v1.messagePublished; its data is { message: { data, attributes } }).
// It talks to the Compute and Kubernetes Engine REST APIs with Node's fetch and an access token
// of the function's own service account from the metadata server, so the bundle has no npm
// dependency (functions/breaker/bundle.ts). What it does is functions/breaker/handler.ts.
//
// Settings come from the environment the program sets (stack/breaker/gcp.ts):
//   LLM_SERVING_ENVIRONMENT      the stack's environment label (groups are found by it)
//   LLM_SERVING_GCP_PROJECTS     the stack's GCP projects, comma-separated
//   LLM_SERVING_GCP_MIG_REGIONS  regions of gcpSpotL4's autoscalers (none: no MIG adapter)
//   LLM_SERVING_GCP_GKE          "true" when the stack runs gkeL4 (a GKE node-pool adapter per project)
//   LLM_SERVING_FORECAST_PERCENT forecast percent at which it acts (100)
//   LLM_SERVING_STEP_TO_ZERO     "true" to allow the second step
//   LLM_SERVING_FORWARD_TOPIC    notifications.gcpPubsubTopic: a budget publishes to ONE topic,
//                                which is the breaker's, so every message is republished there
import type { GroupAdapter, GcpAutoscalers, GkeAutoscaling, GkeClusters } from "../adapters";
import { gcpMigAdapter, gkePoolAdapter } from "../adapters";
import type { BreakerSettings } from "../decide";
import { handle, Outcome } from "../handler";
import { gcpMessageOf, parseGcp } from "../notification";

export type Fetch = (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string }) => Promise<{ ok: boolean; status: number; json(): Promise<unknown>; text(): Promise<string> }>;

export const METADATA_TOKEN_URL = "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token";
const COMPUTE = "https://compute.googleapis.com/compute/v1";
const CONTAINER = "https://container.googleapis.com/v1";
const PUBSUB = "https://pubsub.googleapis.com/v1";

export interface GcpBreakerEnv {
    readonly environment: string;
    readonly projects: string[];
    readonly migRegions: string[];
    readonly gke: boolean;
    readonly settings: BreakerSettings;
    readonly forwardTopic?: string;
}

const list = (v: string | undefined) => (v ?? "").split(",").map((s) => s.trim()).filter((s) => s.length > 0);

/** The function's settings from its environment; throws on a missing stack or projects (a deploy error, not a message's). */
export function gcpBreakerEnv(env: Record<string, string | undefined>): GcpBreakerEnv {
    const environment = env.LLM_SERVING_ENVIRONMENT ?? "";
    const projects = list(env.LLM_SERVING_GCP_PROJECTS);
    if (environment === "" || projects.length === 0) throw new Error("LLM_SERVING_ENVIRONMENT and LLM_SERVING_GCP_PROJECTS must be set");
    const forecastPercent = Number(env.LLM_SERVING_FORECAST_PERCENT ?? "100");
    return {
        environment,
        projects,
        migRegions: list(env.LLM_SERVING_GCP_MIG_REGIONS),
        gke: env.LLM_SERVING_GCP_GKE === "true",
        settings: { forecastPercent: Number.isFinite(forecastPercent) && forecastPercent > 0 ? forecastPercent : 100, stepToZero: env.LLM_SERVING_STEP_TO_ZERO === "true" },
        ...(env.LLM_SERVING_FORWARD_TOPIC ? { forwardTopic: env.LLM_SERVING_FORWARD_TOPIC } : {}),
    };
}

/** A REST caller with the service account's token (fetched once per invocation). */
function restClient(fetchFn: Fetch) {
    let token: Promise<string> | undefined;
    const bearer = () =>
        (token ??= fetchFn(METADATA_TOKEN_URL, { headers: { "Metadata-Flavor": "Google" } }).then(async (r) => {
            if (!r.ok) throw new Error(`metadata server token: HTTP ${r.status}`);
            const body = (await r.json()) as { access_token?: unknown };
            if (typeof body.access_token !== "string") throw new Error("metadata server token: no access_token");
            return body.access_token;
        }));
    return async (method: string, url: string, body?: unknown): Promise<unknown> => {
        const r = await fetchFn(url, {
            method,
            headers: { Authorization: `Bearer ${await bearer()}`, "Content-Type": "application/json" },
            ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
        // The error body may name resources; never a credential (the token is only in the request).
        if (!r.ok) throw new Error(`${method} ${url}: HTTP ${r.status} ${(await r.text()).slice(0, 300)}`);
        return r.json();
    };
}

type Rest = ReturnType<typeof restClient>;

/**
 * The two filters gcpMigAdapter passes ("name=<n>", 'description:"<text>"'), applied here to the
 * full list: the Compute API's filter grammar has no substring match on description, so a server
 * filter could miss a group.
 */
export function matchesAutoscalerFilter(a: { name: string; description?: string }, filter: string): boolean {
    if (filter.startsWith("name=")) return a.name === filter.slice(5);
    const m = /^description:"(.*)"$/.exec(filter);
    if (m) return (a.description ?? "").split(/\s+/).includes(m[1]);
    return false;
}

/** regionAutoscalers list (every page) and patch. */
export function gcpAutoscalersRest(rest: Rest): GcpAutoscalers {
    return {
        async list(req) {
            const all: Array<{ name: string; autoscalingPolicy: { maxNumReplicas: number }; description?: string }> = [];
            let pageToken: string | undefined;
            do {
                const url = `${COMPUTE}/projects/${encodeURIComponent(req.project)}/regions/${encodeURIComponent(req.region)}/autoscalers${pageToken ? `?pageToken=${encodeURIComponent(pageToken)}` : ""}`;
                const page = (await rest("GET", url)) as { items?: typeof all; nextPageToken?: string };
                all.push(...(page.items ?? []));
                pageToken = page.nextPageToken;
            } while (pageToken);
            return all.filter((a) => matchesAutoscalerFilter(a, req.filter));
        },
        async patch(req) {
            const url = `${COMPUTE}/projects/${encodeURIComponent(req.project)}/regions/${encodeURIComponent(req.region)}/autoscalers?autoscaler=${encodeURIComponent(req.autoscaler)}`;
            await rest("PATCH", url, req.autoscalerResource);
        },
    };
}

/** clusters list (every location), nodePools setAutoscaling, clusters setResourceLabels. */
export function gkeClustersRest(rest: Rest): GkeClusters {
    return {
        async list(project) {
            const body = (await rest("GET", `${CONTAINER}/projects/${encodeURIComponent(project)}/locations/-/clusters`)) as { clusters?: Awaited<ReturnType<GkeClusters["list"]>> };
            return body.clusters ?? [];
        },
        async setAutoscaling(nodePool: string, autoscaling: GkeAutoscaling) {
            await rest("POST", `${CONTAINER}/${nodePool}:setAutoscaling`, { autoscaling });
        },
        async setResourceLabels(cluster, labels, labelFingerprint) {
            await rest("POST", `${CONTAINER}/${cluster}:setResourceLabels`, { resourceLabels: labels, ...(labelFingerprint !== undefined ? { labelFingerprint } : {}) });
        },
    };
}

/** The adapters for the stack's GCP groups: a MIG adapter per project and region, a GKE adapter per project. */
export function gcpAdapters(env: GcpBreakerEnv, rest: Rest): GroupAdapter[] {
    const adapters: GroupAdapter[] = [];
    const autoscalers = gcpAutoscalersRest(rest);
    for (const project of env.projects) {
        for (const region of env.migRegions) adapters.push(gcpMigAdapter(autoscalers, { project, region, stack: env.environment }));
        if (env.gke) adapters.push(gkePoolAdapter(gkeClustersRest(rest), { project, stack: env.environment }));
    }
    return adapters;
}

/**
 * One invocation on the CloudEvent's data. Several adapters of one kind (a MIG adapter per
 * region): handle applies a step through the first adapter of its kind, so each adapter here is
 * run on its own, its groups stepped through itself.
 */
export async function runGcpBreaker(data: unknown, env: GcpBreakerEnv, fetchFn: Fetch, log: (line: string) => void, now: () => Date = () => new Date()): Promise<Outcome[]> {
    const rest = restClient(fetchFn);
    const parsed = parseGcp(data);
    if (env.forwardTopic !== undefined) await forward(rest, env.forwardTopic, data, log);
    if (!parsed.ok) return [await handle(parsed, [], env.settings, log, now)];
    // One project's or region's failing API call must not leave the others at their maximum: every
    // adapter runs, the failures are collected, and the invocation throws after (logged as its error).
    const outcomes: Outcome[] = [];
    const failures: string[] = [];
    for (const adapter of gcpAdapters(env, rest)) {
        try {
            outcomes.push(await handle(parsed, [adapter], env.settings, log, now));
        } catch (e) {
            failures.push((e as Error).message);
        }
    }
    if (failures.length > 0) throw new Error(`llm-serving breaker: ${failures.length} group list(s) or change(s) failed (the others were acted on): ${failures.join("; ")}`);
    return outcomes;
}

/** Republishes the budget's message, as received, to the operator's topic; a failure is logged, never stops the breaker. */
async function forward(rest: Rest, topic: string, data: unknown, log: (line: string) => void): Promise<void> {
    const message = gcpMessageOf(data);
    if (!message || typeof message.data !== "string") return;
    try {
        await rest("POST", `${PUBSUB}/${topic}:publish`, { messages: [{ data: message.data, ...(typeof message.attributes === "object" && message.attributes !== null ? { attributes: message.attributes } : {}) }] });
    } catch (e) {
        log(`llm-serving breaker: could not forward the budget message to ${topic}: ${(e as Error).message}`);
    }
}

/**
 * The function's entry point (entryPoint "breakerGcp"): the Functions Framework calls it with the
 * CloudEvent. A malformed message is logged and returns normally, so it is acknowledged and never
 * redelivered; an API failure throws (logged as the invocation's error); the budget republishes
 * its state several times a day, and a repeat is idempotent, so the next message is the retry.
 */
export async function breakerGcp(cloudEvent: { data?: unknown }): Promise<void> {
    const env = gcpBreakerEnv(process.env);
    await runGcpBreaker(cloudEvent?.data, env, fetch as unknown as Fetch, (line) => console.log(line));
}
