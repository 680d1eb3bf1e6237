import { ChildProcess, spawn, spawnSync } from "node:child_process";
import * as dgram from "node:dgram";
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { Readable } from "node:stream";
import { requireTool, runTool } from "./tools";
import { RASA_NAME, RASA_PORT, RASA_TOKEN_DIR, RASA_TOKEN_FILE, rasaTokenSnippet } from "../../components/k8s/rasa";
import { readUpstream, upstreamLock } from "./upstream";

/**
 * Runs a generated route-guard template the way its container would: the nginx.conf of the
 * nginx-unprivileged image (the package's nginx.conf with the image Dockerfile's own `sed` edits
 * applied by the real sed), the template rendered by envsubst with the entrypoint's filter, then
 * the real nginx (Debian's) with a private prefix. Only what the test machine must differ in is
 * substituted: ports on 127.0.0.1, the upstream's port, file locations under the prefix.
 */

/**
 * The nginx.conf the nginx.org packages install (the official images start from it); the
 * unprivileged images then edit it with the `sed` commands of their Dockerfile, applied below.
 */
const PACKAGE_NGINX_CONF = `user  nginx;
worker_processes  auto;

error_log  /var/log/nginx/error.log notice;
pid        /var/run/nginx.pid;


events {
    worker_connections  1024;
}


http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;

    log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '
                      '$status $body_bytes_sent "$http_referer" '
                      '"$http_user_agent" "$http_x_forwarded_for"';

    access_log  /var/log/nginx/access.log  main;

    sendfile        on;
    #tcp_nopush     on;

    keepalive_timeout  65;

    #gzip  on;

    include /etc/nginx/conf.d/*.conf;
}
`;

/** The Dockerfile (alpine-slim: it holds the nginx.conf edits) of the image's version, from the pinned upstream files. */
export function imageDockerfile(image: string): { file: string; text: string } {
    const version = image.match(/:(\d+\.\d+\.\d+)/)?.[1];
    if (!version) throw new Error(`${image}: no version in the image tag`);
    const entry = upstreamLock().find((e) => new RegExp(`^docker-nginx-unprivileged/${version.replace(/\./g, "\\.")}/[^/]+/alpine-slim/Dockerfile$`).test(e.file));
    if (!entry) throw new Error(`${image}: no pinned nginx-unprivileged ${version} Dockerfile in test/conformance/upstream.lock.json`);
    return { file: entry.file, text: readUpstream(entry.file) };
}

/** The `sed -i ... /etc/nginx/nginx.conf` commands of a Dockerfile, as sh would run them. */
export function nginxConfEdits(dockerfile: string): string[] {
    const joined = dockerfile.replace(/\\\n/g, " ");
    const edits = [...joined.matchAll(/sed -i ((?:'[^']*'|"[^"]*"|[^'"&])+?) \/etc\/nginx\/nginx\.conf/g)].map((m) => m[1]);
    if (edits.length === 0) throw new Error("the Dockerfile edits no nginx.conf: is this the alpine-slim Dockerfile?");
    return edits;
}

/** The image's /etc/nginx/nginx.conf: the package's, with the Dockerfile's edits applied by sed. */
export function imageNginxConf(image: string, workDir: string): string {
    const file = path.join(workDir, "image-nginx.conf");
    fs.writeFileSync(file, PACKAGE_NGINX_CONF);
    for (const edit of nginxConfEdits(imageDockerfile(image).text)) {
        const r = runTool("sh", ["-c", `sed -i ${edit} "$1"`, "sh", file]);
        if (r.status !== 0) throw new Error(`sed ${edit}: ${r.stderr}`);
    }
    return fs.readFileSync(file, "utf8");
}

/**
 * docker-entrypoint.d/20-envsubst-on-templates.sh: envsubst over the variables whose names match
 * NGINX_ENVSUBST_FILTER (an awk regex; these filters are plain EREs), with the real envsubst.
 */
export function renderTemplate(template: string, filter: string, env: Record<string, string>): string {
    requireTool("envsubst", "gettext-base");
    const names = Object.keys(env).filter((n) => new RegExp(filter).test(n));
    const r = spawnSync("envsubst", [names.map((n) => `\${${n}}`).join(" ")], { input: template, encoding: "utf8", env: { PATH: process.env.PATH, ...env } });
    if (r.status !== 0) throw new Error(`envsubst: ${r.stderr}`);
    return r.stdout;
}

export interface Localisation {
    /** Ports nginx listens on here, for the guard's plain and TLS ports. */
    readonly listenPort: number;
    /** The stand-in upstream's port (replaces the model server's in proxy_pass / $llm_upstream). */
    readonly upstreamPort: number;
}

/** A prefix directory laid out like the image's /etc/nginx, /tmp and logs, with the rendered config. */
export interface NginxPrefix {
    readonly dir: string;
    readonly conf: string;
    readonly errorLog: string;
}

/**
 * Writes the image's nginx.conf and the rendered server block under a fresh prefix, with paths,
 * ports and the upstream port moved to this machine.
 */
export function preparePrefix(image: string, rendered: string, loc: Localisation, tls: TestCertificate): NginxPrefix {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "guard-"));
    fs.chmodSync(dir, 0o755);
    for (const d of ["etc/nginx/conf.d", "etc/nginx/tls", "tmp", "logs"]) fs.mkdirSync(path.join(dir, d), { recursive: true });
    fs.copyFileSync("/etc/nginx/mime.types", path.join(dir, "etc/nginx/mime.types"));
    fs.writeFileSync(path.join(dir, "etc/nginx/tls/tls.crt"), tls.cert);
    fs.writeFileSync(path.join(dir, "etc/nginx/tls/tls.key"), tls.key);
    // The Rasa token snippet the eksInf2 guard includes with `rasa` (mounted from a Secret in the pod).
    const rasaToken = path.join(dir, RASA_TOKEN_DIR.replace(/^\//, ""));
    fs.mkdirSync(rasaToken, { recursive: true });
    fs.writeFileSync(path.join(rasaToken, RASA_TOKEN_FILE), rasaTokenSnippet("conformanceRasaToken0123"));
    const move = (text: string) =>
        text
            .replace(/(\s)\/tmp\//g, `$1${dir}/tmp/`)
            .replace(/\/var\/log\/nginx\//g, `${dir}/logs/`)
            .replace(/(\s)\/etc\/nginx\//g, `$1${dir}/etc/nginx/`);
    const main = move(imageNginxConf(image, dir));
    const server = move(rendered)
        .replace(/^(\s*listen\s+)(\d+)/gm, `$1127.0.0.1:${loc.listenPort}`)
        // Rasa's Service name, resolved once at start by aksGpu's sidecar guard (it has no resolver): the
        // cluster's DNS is not here, so it stands for the local stand-in as the model's 127.0.0.1 does.
        // Only Rasa's: the eksInf2 negative control needs other literal names to stay unresolvable.
        .replace(new RegExp(`^(\\s*proxy_pass http://)${RASA_NAME}\\.[a-z0-9-]+\\.svc\\.cluster\\.local(:${RASA_PORT};)`, "gm"), "$1127.0.0.1$2")
        .replace(/^(\s*(?:proxy_pass http:\/\/|set \$llm_upstream )[^;$\s]+):\d+;/gm, `$1:${loc.upstreamPort};`);
    const conf = path.join(dir, "etc/nginx/nginx.conf");
    fs.writeFileSync(conf, main);
    fs.writeFileSync(path.join(dir, "etc/nginx/conf.d/default.conf"), server);
    return { dir, conf, errorLog: path.join(dir, "logs/error.log") };
}

/** The real `nginx -t` on a prefix. */
export function nginxTest(prefix: NginxPrefix): { ok: boolean; output: string } {
    requireTool("nginx", "nginx-light");
    const r = runTool("nginx", ["-t", "-p", `${prefix.dir}/`, "-c", prefix.conf, "-e", prefix.errorLog], { timeoutMs: 60_000 });
    return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

export interface RunningNginx {
    stop(): Promise<void>;
}

/** Starts nginx in the foreground on a prefix; resolves once `healthUrl` answers 200 (bounded wait). */
export async function startNginx(prefix: NginxPrefix, healthUrl: string, ca?: string): Promise<RunningNginx> {
    const child: ChildProcess = spawn("nginx", ["-p", `${prefix.dir}/`, "-c", prefix.conf, "-e", prefix.errorLog, "-g", "daemon off;"], { stdio: "ignore" });
    let exited = false;
    const done = new Promise<void>((resolve) => child.once("exit", () => ((exited = true), resolve())));
    const stop = async () => {
        if (!exited && child.pid) child.kill("SIGTERM");
        await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
        if (!exited && child.pid) child.kill("SIGKILL");
    };
    for (let i = 0; i < 100; i++) {
        if (exited) break;
        const status = await rawRequest(healthUrl, { ca }).then((r) => r.status, () => 0);
        if (status === 200) return { stop };
        await new Promise((r) => setTimeout(r, 100));
    }
    await stop();
    const log = fs.existsSync(prefix.errorLog) ? fs.readFileSync(prefix.errorLog, "utf8") : "";
    throw new Error(`nginx did not become healthy at ${healthUrl}: ${log.slice(-2000)}`);
}

export interface RawResponse {
    status: number;
    headers: http.IncomingHttpHeaders;
    body: string;
}

/** One request with the path sent exactly as given (no URL normalisation, unlike fetch). */
export function rawRequest(
    url: string,
    opts: { method?: string; path?: string; headers?: Record<string, string>; ca?: string; body?: string } = {},
): Promise<RawResponse> {
    const u = new URL(url);
    const mod = u.protocol === "https:" ? https : http;
    return new Promise((resolve, reject) => {
        const req = mod.request(
            {
                host: u.hostname,
                port: u.port,
                method: opts.method ?? "GET",
                path: opts.path ?? `${u.pathname}${u.search}`,
                headers: opts.headers ?? {},
                ca: opts.ca,
                servername: "localhost",
                timeout: 10_000,
            },
            (res) => {
                let body = "";
                res.setEncoding("utf8");
                res.on("data", (c: string) => (body += c));
                res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
            },
        );
        req.on("timeout", () => req.destroy(new Error("timeout")));
        req.on("error", reject);
        if (opts.body) req.write(opts.body);
        req.end();
    });
}

/** A fetch for the openai client that trusts one CA (the test certificate), built on node:https. */
export function fetchTrusting(ca: string): typeof fetch {
    return (async (input: string | URL | Request, init?: RequestInit) => {
        const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
        const headers = Object.fromEntries(new Headers(init?.headers).entries());
        const body = typeof init?.body === "string" ? init.body : undefined;
        return new Promise<Response>((resolve, reject) => {
            const req = https.request(url, { method: init?.method ?? "GET", headers, ca, servername: "localhost" }, (res) => {
                const h = new Headers();
                for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(", ") : v);
                resolve(new Response(Readable.toWeb(res) as unknown as ReadableStream, { status: res.statusCode, headers: h }));
            });
            req.on("error", reject);
            if (body) req.write(body);
            req.end();
        });
    }) as typeof fetch;
}

export interface TestCertificate {
    readonly cert: string;
    readonly key: string;
}

/** A throwaway self-signed certificate for localhost/127.0.0.1 (what the mounted TLS Secret provides at run time). */
export function testCertificate(): TestCertificate {
    requireTool("openssl", "openssl");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "guard-cert-"));
    const r = runTool("openssl", [
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"),
    ]);
    if (r.status !== 0) throw new Error(`openssl: ${r.stderr}`);
    const out = { cert: fs.readFileSync(path.join(dir, "cert.pem"), "utf8"), key: fs.readFileSync(path.join(dir, "key.pem"), "utf8") };
    fs.rmSync(dir, { recursive: true, force: true });
    return out;
}

/** Free TCP ports on 127.0.0.1, chosen by the kernel. */
export async function freePort(): Promise<number> {
    const srv = http.createServer();
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    const { port } = srv.address() as AddressInfo;
    await new Promise<void>((r) => srv.close(() => r()));
    return port;
}

export interface SeenRequest {
    readonly method: string;
    readonly url: string;
    readonly headers: http.IncomingHttpHeaders;
}

/** Chunks the stand-in streams, and the pause before each (ms). */
export const STREAM_CHUNKS = ["Hel", "lo", ", wor", "ld"];
export const STREAM_DELAY_MS = 300;

/**
 * A stand-in for the model server: answers /v1/models, streams /v1/chat/completions as
 * server-sent events with pauses, and records every request it sees. `bufferAll` sends the
 * chunks together at the end instead (what a buffering proxy delivers), for negative controls.
 */
export async function standIn(opts: { bufferAll?: boolean } = {}): Promise<{ port: number; seen: SeenRequest[]; close(): Promise<void> }> {
    const seen: SeenRequest[] = [];
    const server = http.createServer((req, res) => {
        seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
        let body = "";
        req.on("data", (c: Buffer) => (body += c.toString("utf8")));
        req.on("end", () => {
            if (req.method === "GET" && req.url?.startsWith("/v1/models")) {
                res.writeHead(200, { "content-type": "application/json" });
                res.end(JSON.stringify({ object: "list", data: [{ id: "mistral-7b", object: "model", created: 0, owned_by: "llm-serving" }] }));
                return;
            }
            if (req.method === "POST" && req.url === "/v1/chat/completions" && /"stream":\s*true/.test(body)) {
                res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
                let i = 0;
                const pending: string[] = [];
                const next = () => {
                    if (i < STREAM_CHUNKS.length) {
                        const chunk = { id: "chatcmpl-1", object: "chat.completion.chunk", created: 0, model: "mistral-7b", choices: [{ index: 0, delta: { content: STREAM_CHUNKS[i] }, finish_reason: null }] };
                        pending.push(`data: ${JSON.stringify(chunk)}\n\n`);
                        if (!opts.bufferAll) res.write(pending.splice(0).join(""));
                        i++;
                        setTimeout(next, STREAM_DELAY_MS);
                    } else {
                        res.end(`${pending.join("")}data: [DONE]\n\n`);
                    }
                };
                setTimeout(next, STREAM_DELAY_MS);
                return;
            }
            // Anything else that reaches the model server is what the guard must never let through.
            res.writeHead(200, { "content-type": "text/plain" });
            res.end("stand-in: reached");
        });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return {
        port: (server.address() as AddressInfo).port,
        seen,
        close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
    };
}

/**
 * A minimal DNS server on 127.0.0.1 (UDP): answers A queries with 127.0.0.1 when `answering`,
 * else NXDOMAIN, like the cluster DNS before and after KubeRay creates the Serve Service.
 */
export async function dnsStub(): Promise<{ port: number; answering: boolean; queries: string[]; close(): Promise<void> }> {
    const socket = dgram.createSocket("udp4");
    const state = {
        port: 0,
        answering: false,
        queries: [] as string[],
        close: () => new Promise<void>((r) => socket.close(() => r())),
    };
    socket.on("message", (msg, rinfo) => {
        if (msg.length < 12) return;
        let off = 12;
        const labels: string[] = [];
        while (off < msg.length && msg[off] !== 0) {
            labels.push(msg.subarray(off + 1, off + 1 + msg[off]).toString("ascii"));
            off += msg[off] + 1;
        }
        const questionEnd = off + 5; // zero byte, qtype, qclass
        const qtype = msg.readUInt16BE(off + 1);
        state.queries.push(labels.join("."));
        const answer = state.answering && qtype === 1;
        const header = Buffer.alloc(12);
        msg.copy(header, 0, 0, 2);
        header.writeUInt16BE(0x8180 | (state.answering ? 0 : 3), 2);
        header.writeUInt16BE(1, 4);
        header.writeUInt16BE(answer ? 1 : 0, 6);
        const question = msg.subarray(12, questionEnd);
        const record = answer ? Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 5, 0, 4, 127, 0, 0, 1]) : Buffer.alloc(0);
        socket.send(Buffer.concat([header, question, record]), rinfo.port, rinfo.address);
    });
    await new Promise<void>((r) => socket.bind(0, "127.0.0.1", r));
    state.port = socket.address().port;
    return state;
}
