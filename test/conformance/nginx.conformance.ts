import { strict as assert } from "node:assert";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as tls from "node:tls";
import OpenAI, { AuthenticationError } from "openai";
import { NginxArtifact, nginxArtifacts } from "./artifacts";
import {
    dnsStub,
    fetchTrusting,
    freePort,
    nginxTest,
    NginxPrefix,
    preparePrefix,
    rawRequest,
    renderTemplate,
    RunningNginx,
    standIn,
    startNginx,
    STREAM_CHUNKS,
    STREAM_DELAY_MS,
    TestCertificate,
    testCertificate,
} from "./nginxHarness";

/**
 * Every generated route-guard config against the real nginx: `nginx -t` as the image would load
 * it, then behaviour with a stand-in model server and the official openai client as the caller.
 * Debian's nginx is 1.22; the images run 1.27.3 and 1.28.0: the configs use only directives both
 * accept (no `http2 on;`, no 1.25+ `listen ... quic`), which nginx -t here enforces for 1.22.
 */

const KEY = "sk-conformance-0123456789abcdef";
const RESOLVER_PLACEHOLDER = "127.0.0.1:1"; // nginx -t needs a resolver address only; behaviour tests use the DNS stub.

let artifacts: NginxArtifact[] = [];
let cert: TestCertificate;
const prefixes: NginxPrefix[] = [];

/** The entrypoint's environment for a guard container: the key, and the resolvers 15-local-resolvers.envsh exports. */
function entrypointEnv(a: NginxArtifact, resolver: string, key = KEY): Record<string, string> {
    return { ROUTE_GUARD_API_KEY: key, ...(a.localResolvers ? { NGINX_LOCAL_RESOLVERS: `${resolver} ` } : {}) };
}

function prepare(a: NginxArtifact, opts: { listenPort: number; upstreamPort: number; resolver?: string; key?: string; mutate?: (conf: string) => string }): NginxPrefix {
    const rendered = renderTemplate(a.template, a.envsubstFilter, entrypointEnv(a, opts.resolver ?? RESOLVER_PLACEHOLDER, opts.key));
    const p = preparePrefix(a.image, (opts.mutate ?? ((c) => c))(rendered), opts, cert);
    prefixes.push(p);
    return p;
}

const isTls = (a: NginxArtifact) => /listen \d+ ssl;/.test(a.template);
const healthPath = (a: NginxArtifact) => a.template.match(/location = (\S+) \{\s+access_log off;/)?.[1] ?? "/guard-healthz";

/** Unique configs (the same template under several stacks behaves the same), for the behaviour cases. */
function distinct(list: NginxArtifact[]): NginxArtifact[] {
    const seen = new Set<string>();
    return list.filter((a) => {
        const k = `${a.image}\n${a.envsubstFilter}\n${a.template}`;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
    });
}

before(async function () {
    this.timeout(300_000);
    artifacts = await nginxArtifacts();
    cert = testCertificate();
});

after(() => {
    for (const p of prefixes) fs.rmSync(p.dir, { recursive: true, force: true });
});

describe("conformance: nginx route guards", () => {
    it("finds every generated guard config (AKS sidecar, eksInf2 front proxy, the VM's guard; TLS on and off)", () => {
        const labels = artifacts.map((a) => a.label);
        assert.ok(artifacts.length >= 6, labels.join("\n"));
        assert.ok(artifacts.some((a) => a.label.includes("front-conf") && a.localResolvers), "eksInf2 proxy");
        assert.ok(artifacts.some((a) => a.label.includes("route-guard.conf.template") && a.localResolvers), "VM guard");
        assert.ok(artifacts.some((a) => a.label.includes("route-guard") && !a.localResolvers), "AKS sidecar");
        assert.ok(artifacts.some(isTls) && artifacts.some((a) => !isTls(a)), "TLS on and off");
        for (const a of artifacts) {
            assert.match(a.image, /^nginxinc\/nginx-unprivileged:\d+\.\d+\.\d+-alpine$/, a.label);
            assert.ok(a.envsubstFilter.length > 0, `${a.label}: the container sets NGINX_ENVSUBST_FILTER`);
        }
    });

    it("every config passes the real nginx -t, as its image loads it", async () => {
        for (const a of artifacts) {
            const p = prepare(a, { listenPort: await freePort(), upstreamPort: await freePort() });
            const r = nginxTest(p);
            assert.ok(r.ok, `${a.label}:\n${r.output}`);
        }
    });

    it("no config holds the key: it is substituted at start, and an empty or missing key stops nginx", async () => {
        for (const a of artifacts) {
            assert.ok(!a.template.includes(KEY));
            assert.match(a.template, /\$\{ROUTE_GUARD_API_KEY\}/, a.label);
            const empty = prepare(a, { listenPort: await freePort(), upstreamPort: await freePort(), key: "" });
            assert.equal(nginxTest(empty).ok, false, `${a.label}: an empty key must fail nginx -t`);
        }
        // Not delivered at all (e.g. the filter or the env var missing): the placeholder is an unknown variable.
        const a = artifacts[0];
        const missing = preparePrefix(a.image, renderTemplate(a.template, a.envsubstFilter, { NGINX_LOCAL_RESOLVERS: RESOLVER_PLACEHOLDER }), { listenPort: await freePort(), upstreamPort: await freePort() }, cert);
        prefixes.push(missing);
        const r = nginxTest(missing);
        assert.equal(r.ok, false);
        assert.match(r.output, /unknown "route_guard_api_key" variable/i);
    });

    it("negative control: a config with a bad directive fails nginx -t", async () => {
        const p = prepare(artifacts[0], { listenPort: await freePort(), upstreamPort: await freePort(), mutate: (c) => c.replace("proxy_buffering off;", "proxy_bufering off;") });
        const r = nginxTest(p);
        assert.equal(r.ok, false);
        assert.match(r.output, /unknown directive "proxy_bufering"/);
    });

    it("negative control (eksInf2, before): a literal upstream name with no resolver fails to start while the Service does not exist", async () => {
        const a = artifacts.find((x) => x.label.includes("front-conf"))!;
        const p = prepare(a, {
            listenPort: await freePort(),
            upstreamPort: 8000,
            mutate: (c) =>
                c
                    .replace(/^\s*resolver(_timeout)? .*$/gm, "")
                    .replace(/^\s*set \$llm_upstream (\S+);\s*proxy_pass http:\/\/\$llm_upstream;/m, "        proxy_pass http://$1;"),
        });
        const r = nginxTest(p);
        assert.equal(r.ok, false);
        assert.match(r.output, /host not found in upstream/);
    });
});

/** The behaviour cases, against one running guard. */
interface Guard {
    base: string;
    ca?: string;
    upstream: Awaited<ReturnType<typeof standIn>>;
}

function client(g: Guard, apiKey: string): OpenAI {
    return new OpenAI({ baseURL: `${g.base}/v1`, apiKey, maxRetries: 0, timeout: 20_000, ...(g.ca ? { fetch: fetchTrusting(g.ca) } : {}) });
}

/** Paths that must never reach the model server, even with the right key. */
const REFUSED_PATHS = [
    "/metrics",
    "/docs",
    "/openapi.json",
    "/health",
    "/tokenize",
    "/v1",
    "/metrics/../v1/models",
    "/v1/../metrics",
    "/v1/models/../../metrics",
    "/v1/%2e%2e/metrics",
    "/metrics/%2e%2e/v1/models",
    "/v1/..%2fmetrics",
    "/%2e%2e/v1/models",
    "/%76%31/models",
    "/v1/%6dodels",
    "//v1/models",
    "/v1//models",
    "/./v1/models",
    "/V1/models",
    "/METRICS",
    "/Docs",
    "/v1\\..\\metrics",
];

async function streamTimes(c: OpenAI): Promise<{ texts: string[]; times: number[] }> {
    const start = Date.now();
    const stream = await c.chat.completions.create({ model: "mistral-7b", messages: [{ role: "user", content: "hi" }], stream: true });
    const texts: string[] = [];
    const times: number[] = [];
    for await (const chunk of stream) {
        texts.push(chunk.choices[0]?.delta?.content ?? "");
        times.push(Date.now() - start);
    }
    return { texts, times };
}

/** Chunks arrive as sent: one per pause, not all together at the end. */
function assertStreamed(times: number[], label: string): void {
    assert.equal(times.length, STREAM_CHUNKS.length, label);
    for (let i = 1; i < times.length; i++) {
        assert.ok(times[i] - times[i - 1] >= STREAM_DELAY_MS / 2, `${label}: chunk ${i} came ${times[i] - times[i - 1]} ms after the previous one (buffered?) ${times.join(",")}`);
    }
}

async function withGuard(a: NginxArtifact, body: (g: Guard) => Promise<void>, mutate?: (c: string) => string): Promise<void> {
    const upstream = await standIn();
    const dns = await dnsStub();
    dns.answering = true;
    const listenPort = await freePort();
    let nginx: RunningNginx | undefined;
    try {
        const p = prepare(a, { listenPort, upstreamPort: upstream.port, resolver: `127.0.0.1:${dns.port}`, mutate });
        const scheme = isTls(a) ? "https" : "http";
        const base = `${scheme}://127.0.0.1:${listenPort}`;
        const ca = isTls(a) ? cert.cert : undefined;
        nginx = await startNginx(p, `${base}${healthPath(a)}`, ca);
        await body({ base, ca, upstream });
    } finally {
        await nginx?.stop();
        await upstream.close();
        await dns.close();
    }
}

describe("conformance: route guard behaviour (real nginx, stand-in model server, openai client)", function () {
    this.timeout(120_000);
    let cases = 0;

    it("for every distinct config: key checked at the guard, only canonical /v1/ forwarded, SSE unbuffered", async () => {
        const list = distinct(artifacts);
        assert.ok(list.length >= 4);
        for (const a of list) {
            await withGuard(a, async (g) => {
                const get = (path: string, headers: Record<string, string> = {}) => rawRequest(g.base, { path, headers, ca: g.ca });
                // No key, and wrong keys: 401 from the guard, the upstream never asked.
                const none = await get("/v1/models");
                assert.equal(none.status, 401, `${a.label}: no key`);
                assert.match(none.body, /invalid_api_key/);
                assert.equal(none.headers["www-authenticate"], "Bearer");
                await assert.rejects(client(g, "sk-wrong").models.list(), (e: unknown) => e instanceof AuthenticationError && e.status === 401);
                for (const auth of [`bearer ${KEY}`, `Bearer ${KEY}x`, `Bearer ${KEY.slice(0, -1)}`, `Bearer  ${KEY}`, KEY, "Bearer "]) {
                    const r = await get("/v1/models", { authorization: auth });
                    assert.equal(r.status, 401, `${a.label}: Authorization "${auth.replace(KEY, "<key>")}"`);
                    cases++;
                }
                await assert.rejects(
                    client(g, "sk-wrong").chat.completions.create({ model: "mistral-7b", messages: [{ role: "user", content: "x" }], stream: true }),
                    (e: unknown) => e instanceof AuthenticationError,
                );
                cases += 3;
                assert.equal(g.upstream.seen.length, 0, `${a.label}: requests without the key reached the model server`);

                // Tricks with the right key: never forwarded.
                for (const path of REFUSED_PATHS) {
                    for (const method of ["GET", "POST"]) {
                        const r = await rawRequest(g.base, { path, method, headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" }, ca: g.ca, body: method === "POST" ? "{}" : undefined });
                        // 301: nginx's own redirect of "/v1" to "/v1/" (a prefix location), answered by the guard.
                        assert.ok([301, 400, 403, 404].includes(r.status), `${a.label}: ${method} ${path} answered ${r.status}`);
                        cases++;
                    }
                }
                const post = await rawRequest(g.base, { path: "/invocations", method: "POST", headers: { authorization: `Bearer ${KEY}` }, ca: g.ca, body: "{}" });
                assert.equal(post.status, 403);
                cases++;
                assert.deepEqual(g.upstream.seen.map((s) => s.url), [], `${a.label}: tricks reached the model server`);

                // The right key: /v1/models and a streamed chat completion pass, as sent.
                const c = client(g, KEY);
                const models = await c.models.list();
                assert.deepEqual(models.data.map((m) => m.id), ["mistral-7b"]);
                const { texts, times } = await streamTimes(c);
                assert.deepEqual(texts, STREAM_CHUNKS);
                assertStreamed(times, a.label);
                const withQuery = await get("/v1/models?limit=1", { authorization: `Bearer ${KEY}`, "x-forwarded-for": "203.0.113.66" });
                assert.equal(withQuery.status, 200);
                assert.match(String(withQuery.headers.server), /^nginx$/, "server_tokens off: no version");
                cases += 3;
                const seen = g.upstream.seen;
                assert.deepEqual(seen.map((s) => `${s.method} ${s.url}`), ["GET /v1/models", "POST /v1/chat/completions", "GET /v1/models?limit=1"]);
                // The guard forwards the key (the model server checks it again) and sets the forwarding headers itself.
                for (const s of seen) assert.equal(s.headers.authorization, `Bearer ${KEY}`);
                assert.equal(seen[2].headers["x-forwarded-for"], "127.0.0.1", "a client's X-Forwarded-For is replaced");
                assert.equal(seen[2].headers["x-forwarded-proto"], isTls(a) ? "https" : "http");
                const health = await get(healthPath(a));
                assert.equal(health.status, 200);
            });
        }
        assert.ok(cases > 100, `${cases} cases`);
        console.log(`      nginx: ${artifacts.length} configs (${list.length} distinct) through nginx -t; ${cases} behaviour cases`);
    });

    it("negative control: without the guard's checks, tricks and keyless requests reach the model server (the harness sees them)", async () => {
        const a = artifacts.find((x) => !isTls(x) && !x.localResolvers)!;
        const unguarded = (c: string) => c.replace(/^\s*if \([^)]*\) \{[\s\S]*?^\s*\}\n/gm, "");
        await withGuard(
            a,
            async (g) => {
                await rawRequest(g.base, { path: "/metrics/../v1/models" });
                await rawRequest(g.base, { path: "/v1/models" });
                assert.deepEqual(g.upstream.seen.map((s) => s.url), ["/metrics/../v1/models", "/v1/models"]);
            },
            unguarded,
        );
    });

    it("negative control: a stream that arrives all at once (buffered) fails the timing check", async () => {
        const upstream = await standIn({ bufferAll: true });
        try {
            const { texts, times } = await streamTimes(new OpenAI({ baseURL: `http://127.0.0.1:${upstream.port}/v1`, apiKey: KEY, maxRetries: 0 }));
            assert.deepEqual(texts, STREAM_CHUNKS);
            assert.throws(() => assertStreamed(times, "buffered"), /buffered/);
        } finally {
            await upstream.close();
        }
    });

    it("eksInf2: starts before the Serve Service exists (502, upstream untouched), then follows it once DNS answers", async function () {
        this.timeout(60_000);
        const a = artifacts.find((x) => x.label.includes("front-conf"))!;
        const upstream = await standIn();
        const dns = await dnsStub();
        const listenPort = await freePort();
        let nginx: RunningNginx | undefined;
        try {
            const p = prepare(a, { listenPort, upstreamPort: upstream.port, resolver: `127.0.0.1:${dns.port}` });
            const base = `http://127.0.0.1:${listenPort}`;
            nginx = await startNginx(p, `${base}${healthPath(a)}`);
            const auth = { authorization: `Bearer ${KEY}` };
            const before = await rawRequest(base, { path: "/v1/models", headers: auth });
            assert.equal(before.status, 502);
            assert.ok(dns.queries.some((q) => q.startsWith("llm-serve-svc.llm-serving.svc.cluster.local")), dns.queries.join(","));
            dns.answering = true;
            // Negative answers are cached for the resolver's valid= time (10 s): poll, bounded.
            let status = 0;
            for (let i = 0; i < 30 && status !== 200; i++) {
                await new Promise((r) => setTimeout(r, 500));
                status = (await rawRequest(base, { path: "/v1/models", headers: auth })).status;
            }
            assert.equal(status, 200, "the guard resolved the Service once it existed");
            assert.deepEqual(upstream.seen.map((s) => s.url), ["/v1/models"]);
        } finally {
            await nginx?.stop();
            await upstream.close();
            await dns.close();
        }
    });
});

/** SHA-256 of the certificate a TLS server presents on a fresh connection (no session reuse). */
function servedFingerprint(port: number): Promise<string> {
    return new Promise((resolve, reject) => {
        const socket = tls.connect({ host: "127.0.0.1", port, servername: "localhost", rejectUnauthorized: false }, () => {
            const raw = socket.getPeerCertificate().raw;
            socket.end();
            resolve(crypto.createHash("sha256").update(raw).digest("hex"));
        });
        socket.once("error", reject);
    });
}

const pemFingerprint = (pem: string) => crypto.createHash("sha256").update(new crypto.X509Certificate(pem).raw).digest("hex");

describe("conformance: a renewed certificate is served without a reload (real nginx)", function () {
    this.timeout(60_000);

    /** Starts the first TLS guard, swaps the mounted certificate and key, and returns what a new connection gets. */
    async function renew(mutate?: (conf: string) => string): Promise<{ before: string; after: string; renewed: string; original: string }> {
        const a = artifacts.find((x) => isTls(x))!;
        const upstream = await standIn();
        const dns = await dnsStub();
        dns.answering = true;
        const listenPort = await freePort();
        let nginx: RunningNginx | undefined;
        try {
            const p = prepare(a, { listenPort, upstreamPort: upstream.port, resolver: `127.0.0.1:${dns.port}`, mutate });
            nginx = await startNginx(p, `https://127.0.0.1:${listenPort}${healthPath(a)}`, cert.cert);
            const before = await servedFingerprint(listenPort);
            // What the kubelet does when cert-manager renews the Secret: new files in the mounted directory.
            const next = testCertificate();
            fs.writeFileSync(path.join(p.dir, "etc/nginx/tls/tls.crt"), next.cert);
            fs.writeFileSync(path.join(p.dir, "etc/nginx/tls/tls.key"), next.key);
            const after = await servedFingerprint(listenPort);
            return { before, after, renewed: pemFingerprint(next.cert), original: pemFingerprint(cert.cert) };
        } finally {
            await nginx?.stop();
            await upstream.close();
            await dns.close();
        }
    }

    it("the generated TLS guard serves the new certificate on the next connection, with no reload", async () => {
        const r = await renew();
        assert.equal(r.before, r.original);
        assert.equal(r.after, r.renewed);
    });

    it("negative control: with the files named literally (read once at start), nginx keeps serving the old certificate", async () => {
        const literal = (conf: string) =>
            conf
                .replace(/^map \$ssl_server_name \$route_guard_(certificate|private_key) \{[^}]*\}\n/gm, "")
                .replace("ssl_certificate $route_guard_certificate;", "ssl_certificate /etc/nginx/tls/tls.crt;")
                .replace("ssl_certificate_key $route_guard_private_key;", "ssl_certificate_key /etc/nginx/tls/tls.key;");
        const r = await renew(literal);
        assert.equal(r.before, r.original);
        assert.equal(r.after, r.original);
    });
});
