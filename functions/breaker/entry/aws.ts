// The AWS breaker: a Lambda (nodejs22.x) subscribed to the SNS topic AWS Budgets notifies. Each
// SNS record carries the Budgets alert text (notification.ts parseAws); `handle` decides, and the
// Ray Serve adapter lowers the RayService's Serve max_replicas through the EKS API server.
//
// No AWS SDK call is made, so the function needs no STS or EKS endpoint, no NAT and no VPC
// endpoint: the Kubernetes bearer token is a SigV4-presigned STS GetCallerIdentity URL, signed
// here with the Lambda role's credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// AWS_SESSION_TOKEN in the environment) and verified by the API server's authenticator, which calls
// STS itself (aws-iam-authenticator's token format, the one `aws eks get-token` prints). The
// cluster's endpoint and CA come in environment variables from the program, so not even
// eks:DescribeCluster is needed. SigV4 is written against node:crypto (below, tested against
// AWS's published presigned-URL example) rather than importing @aws-sdk/* or @smithy/* from the
// runtime, whose bundled package set is not pinned by the nodejs22.x runtime's contract.
import { createHash, createHmac } from "node:crypto";
import * as https from "node:https";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { rayServeAdapter, TaggedScaled } from "../adapters";
import { handle, Outcome } from "../handler";
import { parseAws } from "../notification";

// ---------------------------------------------------------------------------------------------
// SigV4 query presigning (AWS General Reference, "Create a signed AWS API request"; S3 API
// Reference, "Authenticating Requests: Using Query Parameters").

export interface AwsCredentials {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
}

export interface PresignRequest {
    readonly method: string;
    /** Host and path only: no query (it is added here). */
    readonly url: string;
    readonly region: string;
    readonly service: string;
    /** Query parameters of the request itself (Action, Version). */
    readonly query?: Readonly<Record<string, string>>;
    /** Headers signed besides host (x-k8s-aws-id). Lower-case names. */
    readonly headers?: Readonly<Record<string, string>>;
    readonly expiresSeconds: number;
    /** The payload's SHA-256 hex, or UNSIGNED-PAYLOAD (S3). @default the empty body's hash */
    readonly payloadHash?: string;
    readonly now: Date;
}

/** RFC 3986 encoding, as SigV4 requires (encodeURIComponent leaves !'()* alone). */
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");
const hmac = (key: Buffer | string, s: string) => createHmac("sha256", key).update(s, "utf8").digest();
/** 20130524T000000Z */
export const amzDate = (d: Date) => d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");

/** A SigV4 presigned URL (the signature in X-Amz-Signature). */
export function presignUrl(req: PresignRequest, creds: AwsCredentials): string {
    const u = new URL(req.url);
    const date = amzDate(req.now);
    const day = date.slice(0, 8);
    const scope = `${day}/${req.region}/${req.service}/aws4_request`;
    const headers: Record<string, string> = { host: u.host, ...(req.headers ?? {}) };
    const signedHeaders = Object.keys(headers).map((h) => h.toLowerCase()).sort().join(";");
    const query: Record<string, string> = {
        ...(req.query ?? {}),
        "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
        "X-Amz-Credential": `${creds.accessKeyId}/${scope}`,
        "X-Amz-Date": date,
        "X-Amz-Expires": String(req.expiresSeconds),
        "X-Amz-SignedHeaders": signedHeaders,
        ...(creds.sessionToken ? { "X-Amz-Security-Token": creds.sessionToken } : {}),
    };
    const canonicalQuery = Object.entries(query)
        .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => `${k}=${v}`)
        .join("&");
    const canonicalHeaders = Object.entries(headers)
        .map(([k, v]) => [k.toLowerCase(), v.trim().replace(/\s+/g, " ")] as const)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => `${k}:${v}\n`)
        .join("");
    const path = u.pathname.split("/").map((p) => rfc3986(decodeURIComponent(p))).join("/") || "/";
    const canonicalRequest = [req.method, path, canonicalQuery, canonicalHeaders, signedHeaders, req.payloadHash ?? sha256("")].join("\n");
    const stringToSign = ["AWS4-HMAC-SHA256", date, scope, sha256(canonicalRequest)].join("\n");
    const key = hmac(hmac(hmac(hmac(`AWS4${creds.secretAccessKey}`, day), req.region), req.service), "aws4_request");
    const signature = createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");
    return `${u.origin}${path}?${canonicalQuery}&X-Amz-Signature=${signature}`;
}

/**
 * The EKS bearer token: "k8s-aws-v1." + unpadded base64url of a presigned STS GetCallerIdentity
 * URL that signs the header x-k8s-aws-id = the cluster name (aws-iam-authenticator; the API
 * server refuses a token for another cluster). Regional STS endpoint; valid 60 s.
 */
export function eksToken(clusterName: string, region: string, creds: AwsCredentials, now: Date): string {
    const url = presignUrl(
        {
            method: "GET",
            url: `https://sts.${region}.amazonaws.com/`,
            region,
            service: "sts",
            query: { Action: "GetCallerIdentity", Version: "2011-06-15" },
            headers: { "x-k8s-aws-id": clusterName },
            expiresSeconds: 60,
            now,
        },
        creds,
    );
    return `k8s-aws-v1.${Buffer.from(url, "utf8").toString("base64url")}`;
}

// ---------------------------------------------------------------------------------------------
// The RayService through the Kubernetes API (ray.io/v1, rayservices). The only calls: GET and a
// JSON merge PATCH of one named object, which is what the Role the program binds allows.

export interface HttpRequest {
    readonly method: "GET" | "PATCH";
    readonly url: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly body?: string;
}
export interface HttpResponse {
    readonly status: number;
    readonly body: string;
}
/** The network boundary the tests stub (in the Lambda: node:https with the cluster's CA). */
export type HttpCall = (req: HttpRequest) => Promise<HttpResponse>;

export interface AwsBreakerEnv {
    /** https://<id>.<gr7>.<region>.eks.amazonaws.com */
    readonly endpoint: string;
    readonly clusterName: string;
    readonly region: string;
    /** The cluster CA bundle, PEM (the cluster's certificateAuthority.data is its base64). */
    readonly caPem: string;
    readonly namespace: string;
    readonly rayService: string;
    readonly forecastPercent: number;
    readonly stepToZero: boolean;
}

/** The environment variables the program sets on the function (stack/breaker/aws.ts). */
export const ENV = {
    endpoint: "BREAKER_EKS_ENDPOINT",
    clusterName: "BREAKER_EKS_CLUSTER",
    region: "BREAKER_EKS_REGION",
    caData: "BREAKER_EKS_CA_DATA",
    namespace: "BREAKER_RAY_NAMESPACE",
    rayService: "BREAKER_RAY_SERVICE",
    forecastPercent: "BREAKER_FORECAST_PERCENT",
    stepToZero: "BREAKER_STEP_TO_ZERO",
} as const;

/** Reads and checks the function's configuration; throws naming the variable (a deploy bug, not a notification). */
export function readEnv(env: Readonly<Record<string, string | undefined>>): AwsBreakerEnv {
    const need = (k: string) => {
        const v = env[k];
        if (v === undefined || v === "") throw new Error(`llm-serving breaker: environment variable ${k} is not set`);
        return v;
    };
    const endpoint = need(ENV.endpoint);
    if (!endpoint.startsWith("https://")) throw new Error(`llm-serving breaker: ${ENV.endpoint} must be an https URL`);
    const forecastPercent = Number(env[ENV.forecastPercent] ?? "100");
    if (!Number.isFinite(forecastPercent) || forecastPercent <= 0) throw new Error(`llm-serving breaker: ${ENV.forecastPercent} must be a positive number`);
    return {
        endpoint: endpoint.replace(/\/+$/, ""),
        clusterName: need(ENV.clusterName),
        region: need(ENV.region),
        caPem: Buffer.from(need(ENV.caData), "base64").toString("utf8"),
        namespace: need(ENV.namespace),
        rayService: need(ENV.rayService),
        forecastPercent,
        stepToZero: env[ENV.stepToZero] === "true",
    };
}

/** The annotation keys the breaker owns on the RayService (the baseline the program writes, and its state). */
const OWN_KEY = /^llm-serving-(baseline|breaker)(-|$)/;

interface ServeDeployment {
    autoscaling_config?: { min_replicas?: number; max_replicas?: number; initial_replicas?: number };
}
interface ServeConfig {
    applications?: Array<{ deployments?: ServeDeployment[] }>;
}

/** The largest Serve max_replicas of the RayService's deployments (0 when no application is left). */
export function serveMaxReplicas(serveConfigV2: string): number {
    const cfg = (parseYaml(serveConfigV2) ?? {}) as ServeConfig;
    const maxima = (cfg.applications ?? []).flatMap((a) => (a.deployments ?? []).map((d) => d.autoscaling_config?.max_replicas ?? 0));
    return maxima.length === 0 ? 0 : Math.max(...maxima);
}

/**
 * The Serve config with every deployment's max_replicas lowered to `to` (min_replicas and
 * initial_replicas clamped to it: Serve refuses max < min). `to` = 0 removes the applications:
 * Serve's max_replicas must be at least 1 (ray.serve.config.AutoscalingConfig, PositiveInt), and an
 * empty application list is how Serve runs no replica.
 */
export function lowerServeConfig(serveConfigV2: string, to: number): string {
    const cfg = (parseYaml(serveConfigV2) ?? {}) as ServeConfig;
    if (to <= 0) return stringifyYaml({ ...cfg, applications: [] });
    for (const app of cfg.applications ?? []) {
        for (const d of app.deployments ?? []) {
            const a = d.autoscaling_config;
            if (!a || (a.max_replicas ?? 0) <= to) continue;
            a.max_replicas = to;
            if (a.min_replicas !== undefined && a.min_replicas > to) a.min_replicas = to;
            if (a.initial_replicas !== undefined && a.initial_replicas > to) a.initial_replicas = to;
        }
    }
    return stringifyYaml(cfg);
}

interface RayServiceObject {
    metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> };
    spec?: { serveConfigV2?: string };
}

/** The Ray Serve adapter's client: the one RayService, read and patched through the API server. */
export function rayServiceClient(http: HttpCall, env: AwsBreakerEnv, token: () => string): TaggedScaled {
    const url = `${env.endpoint}/apis/ray.io/v1/namespaces/${encodeURIComponent(env.namespace)}/rayservices/${encodeURIComponent(env.rayService)}`;
    const id = `${env.namespace}/${env.rayService}`;
    const call = async (req: Omit<HttpRequest, "headers"> & { contentType?: string }) => {
        const res = await http({ method: req.method, url: req.url, body: req.body, headers: { authorization: `Bearer ${token()}`, accept: "application/json", ...(req.contentType ? { "content-type": req.contentType } : {}) } });
        if (res.status < 200 || res.status > 299) throw new Error(`llm-serving breaker: ${req.method} ${id} answered ${res.status}: ${res.body.slice(0, 300)}`);
        return res.body;
    };
    const get = async () => JSON.parse(await call({ method: "GET", url })) as RayServiceObject;
    return {
        async list() {
            const rs = await get();
            const annotations = rs.metadata?.annotations ?? {};
            const own = Object.fromEntries(Object.entries(annotations).filter(([k]) => OWN_KEY.test(k)));
            return [{ id, max: serveMaxReplicas(rs.spec?.serveConfigV2 ?? ""), tags: own }];
        },
        async update(_id, max, tags) {
            // Re-read so the patch lowers the config as it is now (the program's apply or another run may have changed it).
            const rs = await get();
            const annotations = Object.fromEntries(Object.entries(tags).filter(([k]) => OWN_KEY.test(k) && k !== "llm-serving-baseline"));
            const patch = { metadata: { annotations }, spec: { serveConfigV2: lowerServeConfig(rs.spec?.serveConfigV2 ?? "", max) } };
            await call({ method: "PATCH", url, body: JSON.stringify(patch), contentType: "application/merge-patch+json" });
        },
    };
}

// ---------------------------------------------------------------------------------------------
// The Lambda handler.

export interface SnsEvent {
    readonly Records?: ReadonlyArray<{ readonly Sns?: { readonly Message?: unknown } }>;
}

export interface AwsBreakerDeps {
    readonly env: AwsBreakerEnv;
    readonly credentials: AwsCredentials;
    readonly http: HttpCall;
    readonly log: (line: string) => void;
    readonly now: () => Date;
}

/** One invocation: every SNS record is one notification, handled in turn. */
export async function run(event: unknown, deps: AwsBreakerDeps): Promise<Outcome[]> {
    const records = (event as SnsEvent | null)?.Records;
    if (!Array.isArray(records) || records.length === 0) {
        deps.log("llm-serving breaker: ignored a malformed notification: not an SNS event (no Records)");
        return [{ acted: false, steps: [], ignored: "not an SNS event" }];
    }
    const client = rayServiceClient(deps.http, deps.env, () => eksToken(deps.env.clusterName, deps.env.region, deps.credentials, deps.now()));
    const settings = { forecastPercent: deps.env.forecastPercent, stepToZero: deps.env.stepToZero };
    const outcomes: Outcome[] = [];
    for (const record of records) {
        outcomes.push(await handle(parseAws(record?.Sns?.Message), [rayServeAdapter(client)], settings, deps.log, deps.now));
    }
    return outcomes;
}

/** node:https with the cluster's CA only (Node's fetch takes no per-request CA). */
export function httpsWithCa(caPem: string, timeoutMs = 10_000): HttpCall {
    return (req) =>
        new Promise((resolve, reject) => {
            const u = new URL(req.url);
            const r = https.request(
                { method: req.method, hostname: u.hostname, port: u.port || 443, path: `${u.pathname}${u.search}`, headers: { ...req.headers, ...(req.body ? { "content-length": String(Buffer.byteLength(req.body)) } : {}) }, ca: caPem, timeout: timeoutMs },
                (res) => {
                    const chunks: Buffer[] = [];
                    res.on("data", (c: Buffer) => chunks.push(c));
                    res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
                    res.on("error", reject);
                },
            );
            r.on("timeout", () => r.destroy(new Error(`timed out after ${timeoutMs} ms`)));
            r.on("error", reject);
            if (req.body) r.write(req.body);
            r.end();
        });
}

/** The Lambda entry (index.handler). An error reaching the API server is thrown, so Lambda retries the event (twice, asynchronously). */
export async function handler(event: unknown): Promise<Outcome[]> {
    const env = readEnv(process.env);
    const credentials: AwsCredentials = {
        accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? "",
        secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? "",
        sessionToken: process.env.AWS_SESSION_TOKEN,
    };
    return run(event, { env, credentials, http: httpsWithCa(env.caPem), log: (l) => console.log(l), now: () => new Date() });
}
