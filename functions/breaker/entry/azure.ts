// The breaker on Azure: an HTTP-triggered Azure Function (Node.js, programming model v3: the
// function.json beside the bundle declares the trigger, so the archive needs no @azure/functions
// package) that the budget's action group calls through an Azure Function receiver with the
// common alert schema. It reads the stack's scaled groups by ARM id (app settings written by
// stack/breaker/azure.ts), and lowers them through Azure Resource Manager's REST API with Node's
// fetch and the Function App's system-assigned managed identity:
//   AKS agent pool:   GET/PUT Microsoft.ContainerService/managedClusters/agentPools (maxCount; the
//                     cluster autoscaler removes nodes above it), tags in properties.tags;
//   Azure ML:         GET/PUT microsoft.insights/autoscalesettings (targets/azureMl scales the
//                     online deployment with an Azure Monitor autoscale setting: every profile's
//                     capacity.maximum, minimum and default at most the new bound), tags at the top.
// The token comes from the App Service managed identity endpoint (IDENTITY_ENDPOINT with the
// X-IDENTITY-HEADER secret, api-version 2019-08-01; App Service docs, "Managed identities",
// REST endpoint reference).
import type { TaggedScaled } from "../adapters";
import { aksPoolAdapter, azureMlAdapter } from "../adapters";
import { handle, Outcome } from "../handler";
import { parseAzure } from "../notification";

/** The ARM API versions the calls use (the agent pool's is the one azure-native 3.28 declares pools with). */
export const ARM = {
    endpoint: "https://management.azure.com",
    agentPools: "2025-09-01",
    autoscaleSettings: "2022-10-01",
} as const;

/** What the Function App's settings tell the breaker (stack/breaker/azure.ts writes them). */
export interface AzureBreakerEnv {
    /** JSON array of agent pool ARM ids. */
    readonly BREAKER_AKS_POOLS?: string;
    /** JSON array of autoscale setting ARM ids. */
    readonly BREAKER_AUTOSCALE_SETTINGS?: string;
    /** "true" to take the second step to zero. */
    readonly BREAKER_STEP_TO_ZERO?: string;
    /** Forecast percent of the budget at which the breaker acts (default 100). */
    readonly BREAKER_FORECAST_PERCENT?: string;
    readonly IDENTITY_ENDPOINT?: string;
    readonly IDENTITY_HEADER?: string;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** The ids of a JSON array setting; anything else is none (a misconfigured app acts on nothing). */
export function idsOf(setting: string | undefined): string[] {
    if (!setting) return [];
    try {
        const parsed: unknown = JSON.parse(setting);
        return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === "string" && v.startsWith("/subscriptions/")) : [];
    } catch {
        return [];
    }
}

/** ARM over fetch with a bearer token from the managed identity (fetched once per run). */
export function armClient(env: AzureBreakerEnv, fetchFn: typeof fetch = fetch) {
    let token: Promise<string> | undefined;
    const getToken = () =>
        (token ??= (async () => {
            if (!env.IDENTITY_ENDPOINT || !env.IDENTITY_HEADER) throw new Error("no managed identity (IDENTITY_ENDPOINT/IDENTITY_HEADER unset)");
            const url = `${env.IDENTITY_ENDPOINT}?resource=${encodeURIComponent(`${ARM.endpoint}/`)}&api-version=2019-08-01`;
            const res = await fetchFn(url, { headers: { "X-IDENTITY-HEADER": env.IDENTITY_HEADER } });
            const body = (await res.json()) as { access_token?: unknown };
            if (!res.ok || typeof body.access_token !== "string") throw new Error(`managed identity token: HTTP ${res.status}`);
            return body.access_token;
        })());
    const call = async (method: "GET" | "PUT", id: string, apiVersion: string, body?: Json): Promise<Json> => {
        const res = await fetchFn(`${ARM.endpoint}${id}?api-version=${apiVersion}`, {
            method,
            headers: { Authorization: `Bearer ${await getToken()}`, "Content-Type": "application/json" },
            ...(body ? { body: JSON.stringify(body) } : {}),
        });
        if (!res.ok) throw new Error(`${method} ${id}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
        const text = await res.text();
        return text ? (JSON.parse(text) as Json) : {};
    };
    return { get: (id: string, v: string) => call("GET", id, v), put: (id: string, v: string, body: Json) => call("PUT", id, v, body) };
}
export type Arm = ReturnType<typeof armClient>;

const stringTags = (v: unknown): Record<string, string> =>
    isObj(v) ? Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === "string")) : {};

/** Read-only properties of an agent pool that a PUT must not echo back. */
const AGENT_POOL_READ_ONLY = ["provisioningState", "currentOrchestratorVersion", "nodeImageVersion", "eTag"];

/** An agent pool's bound: maxCount when autoscaled, its fixed count otherwise (after a step to zero). */
export function agentPoolMax(props: Json): number {
    return props.enableAutoScaling === true ? Number(props.maxCount) : Number(props.count);
}

/**
 * The properties a PUT lowers an agent pool with: maxCount (and minCount, which may not exceed it)
 * at the new bound; at zero, autoscaling off and count 0 (a User pool may sit at zero nodes).
 */
export function loweredAgentPool(props: Json, max: number, tags: Record<string, string>): Json {
    const out: Json = Object.fromEntries(Object.entries(props).filter(([k]) => !AGENT_POOL_READ_ONLY.includes(k)));
    out.tags = tags;
    if (max === 0) {
        out.enableAutoScaling = false;
        out.count = 0;
        delete out.minCount;
        delete out.maxCount;
        return out;
    }
    out.maxCount = max;
    if (typeof out.minCount === "number" && out.minCount > max) out.minCount = max;
    if (typeof out.count === "number" && out.count > max) out.count = max;
    return out;
}

/** AKS agent pools by ARM id, as the adapters' TaggedScaled slice. */
export function armAgentPools(arm: Arm, ids: ReadonlyArray<string>): TaggedScaled {
    return {
        async list() {
            const pools = await Promise.all(ids.map((id) => arm.get(id, ARM.agentPools)));
            return pools.map((p, i) => {
                const props = isObj(p.properties) ? p.properties : {};
                return { id: ids[i], max: agentPoolMax(props), tags: stringTags(props.tags) };
            });
        },
        async update(id, max, tags) {
            const current = await arm.get(id, ARM.agentPools);
            const props = isObj(current.properties) ? current.properties : {};
            await arm.put(id, ARM.agentPools, { properties: loweredAgentPool(props, max, tags) });
        },
    };
}

/** An autoscale setting's bound: the largest capacity.maximum of its profiles. */
export function autoscaleMax(props: Json): number {
    const profiles = Array.isArray(props.profiles) ? props.profiles : [];
    const maxima = profiles.map((p) => Number(isObj(p) && isObj(p.capacity) ? p.capacity.maximum : NaN)).filter(Number.isFinite);
    return maxima.length > 0 ? Math.max(...maxima) : NaN;
}

/**
 * Azure ML managed online deployments keep at least one instance (Azure ML has no scale to zero
 * for them): a step to zero holds one, and the tag records the step.
 */
export const AZURE_ML_FLOOR = 1;

/** Every profile's capacity at most `max` (minimum and default too: Azure Monitor refuses minimum > maximum). */
export function loweredAutoscale(props: Json, max: number): Json {
    const bound = Math.max(max, AZURE_ML_FLOOR);
    const profiles = (Array.isArray(props.profiles) ? props.profiles : []).map((p) => {
        if (!isObj(p) || !isObj(p.capacity)) return p;
        const cap = p.capacity;
        const at = (v: unknown) => String(Math.min(Number(v), bound));
        return { ...p, capacity: { ...cap, minimum: at(cap.minimum), maximum: String(bound), default: at(cap.default) } };
    });
    return { ...props, profiles };
}

/** Azure ML's autoscale settings by ARM id, as the adapters' TaggedScaled slice. */
export function armAutoscaleSettings(arm: Arm, ids: ReadonlyArray<string>): TaggedScaled {
    return {
        async list() {
            const settings = await Promise.all(ids.map((id) => arm.get(id, ARM.autoscaleSettings)));
            return settings.map((s, i) => ({ id: ids[i], max: autoscaleMax(isObj(s.properties) ? s.properties : {}), tags: stringTags(s.tags) }));
        },
        async update(id, max, tags) {
            const current = await arm.get(id, ARM.autoscaleSettings);
            const props = isObj(current.properties) ? current.properties : {};
            await arm.put(id, ARM.autoscaleSettings, { location: current.location, tags, properties: loweredAutoscale(props, max) });
        },
    };
}

/** One run: the action group's request body in, the outcome out. */
export async function runAzureBreaker(body: unknown, env: AzureBreakerEnv, log: (line: string) => void, fetchFn: typeof fetch = fetch, now?: () => Date): Promise<Outcome> {
    const arm = armClient(env, fetchFn);
    const adapters = [aksPoolAdapter(armAgentPools(arm, idsOf(env.BREAKER_AKS_POOLS))), azureMlAdapter(armAutoscaleSettings(arm, idsOf(env.BREAKER_AUTOSCALE_SETTINGS)))];
    const percent = Number(env.BREAKER_FORECAST_PERCENT ?? "100");
    const settings = { forecastPercent: Number.isFinite(percent) && percent > 0 ? percent : 100, stepToZero: env.BREAKER_STEP_TO_ZERO === "true" };
    return handle(parseAzure(body), adapters, settings, log, now);
}

/** The Functions v3 context the function uses. */
interface Context {
    log: (...args: unknown[]) => void;
    res?: { status: number; headers?: Record<string, string>; body: string };
}

/**
 * The function (function.json's entryPoint). A malformed body is answered 200 and ignored (the
 * action group must not retry it); a failure to lower a group is 500, so the action group retries.
 */
export async function azureBreaker(context: Context, req: { body?: unknown; rawBody?: string }): Promise<void> {
    let body: unknown = req.body;
    if (typeof body === "string") {
        try {
            body = JSON.parse(body);
        } catch {
            body = undefined;
        }
    }
    try {
        const outcome = await runAzureBreaker(body, process.env as AzureBreakerEnv, (line) => context.log(line));
        context.res = { status: 200, headers: { "Content-Type": "application/json" }, body: JSON.stringify(outcome) };
    } catch (e) {
        context.log(`llm-serving breaker FAILED: ${e instanceof Error ? e.message : String(e)}`);
        context.res = { status: 500, body: "breaker failed; see the function log" };
    }
}
