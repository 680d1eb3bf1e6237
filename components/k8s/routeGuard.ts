import type { IIoK8sApiCoreV1Container } from "kubernetes-models/v1/Container";
import type { IIoK8sApiCoreV1EnvVar } from "kubernetes-models/v1/EnvVar";
import { OPENAI_ROUTE_PREFIX } from "../serving";

/**
 * The route guard: a small nginx in front of the model server that forwards only the OpenAI
 * `/v1/` routes and answers 403 to everything else.
 *
 * Why: vLLM's `--api-key` (and llama-server's) protects only `/v1` routes; `/metrics`, `/docs`,
 * `/tokenize`, `/invocations`, ... stay open (vLLM security docs). Where no cloud front door
 * filters paths for us (GCP uses Cloud Armor, Azure ML its own gateway), this proxy is the only
 * thing a public client can reach. It is a sidecar on Kubernetes and a second container on a VM.
 */

/** nginx, unprivileged build (listens on 8080 as a non-root user), pinned. */
export const ROUTE_GUARD_IMAGE = "nginxinc/nginx-unprivileged:1.28.0-alpine";
export const ROUTE_GUARD_PORT = 8080;
/** Port name of the guard's container port; Services target it by name. */
export const ROUTE_GUARD_PORT_NAME = "http";
/** With TLS the guard listens here instead (unprivileged: no port below 1024); the Service maps 443 to it. */
export const ROUTE_GUARD_TLS_PORT = 8443;
/** The unprivileged image's user and group id (nginx): the key file must be readable by it. */
export const ROUTE_GUARD_GROUP = 101;
export const ROUTE_GUARD_TLS_PORT_NAME = "https";
/** Where a Kubernetes `kubernetes.io/tls` Secret is mounted: files tls.crt and tls.key. */
export const ROUTE_GUARD_TLS_DIR = "/etc/nginx/tls";
/**
 * The guard's config is a template that the image's own entrypoint renders at container start
 * (docker-entrypoint.d/20-envsubst-on-templates.sh: `<templates>/X.template` -> `conf.d/X`, with
 * envsubst of the variables NGINX_ENVSUBST_FILTER admits). So the API key reaches nginx from the
 * Secret through the environment, and the ConfigMap (or the VM's file) holds no value.
 */
export const ROUTE_GUARD_TEMPLATE_DIR = "/etc/nginx/templates";
export const ROUTE_GUARD_TEMPLATE_FILE = "default.conf.template";
/** Where the entrypoint writes the rendered config (nginx.conf includes conf.d/*.conf); must be writable. */
export const ROUTE_GUARD_CONF_DIR = "/etc/nginx/conf.d";
/** The variable the key is delivered in, to the guard only. */
export const ROUTE_GUARD_KEY_ENV = "ROUTE_GUARD_API_KEY";
/** Set by the image's 15-local-resolvers.envsh from /etc/resolv.conf when NGINX_ENTRYPOINT_LOCAL_RESOLVERS is set. */
export const ROUTE_GUARD_RESOLVERS_ENV = "NGINX_LOCAL_RESOLVERS";
/** Plain-HTTP health path of the guard itself; the model's /health stays private. */
export const ROUTE_GUARD_HEALTH_PATH = "/guard-healthz";

export interface RouteGuardOptions {
    /** Where the model server listens, as nginx's proxy_pass wants it ("127.0.0.1:8000", "svc.ns.svc.cluster.local:8000"). */
    readonly upstream: string;
    /**
     * Resolve `upstream` per request through the resolvers of the container's /etc/resolv.conf
     * (cluster DNS, Docker's embedded DNS), instead of once at start: nginx then starts before the
     * upstream's name exists and follows it when its address changes. @default false
     */
    readonly resolve?: boolean;
    /** Seconds a generation may stream. @default 600 */
    readonly timeoutSeconds?: number;
    /** Largest request body (long prompts). @default "16m" */
    readonly maxBodySize?: string;
    /** The guard's own liveness path. @default ROUTE_GUARD_HEALTH_PATH */
    readonly healthPath?: string;
    /**
     * Terminate TLS: listen on ROUTE_GUARD_TLS_PORT with these files (paths inside the guard's
     * container, never their contents). @default plain HTTP on ROUTE_GUARD_PORT
     */
    readonly tls?: { readonly certificateFile: string; readonly privateKeyFile: string };
    /**
     * Further nginx `location` blocks, inserted before the catch-all 403 (a target's own routes with
     * their own authentication, e.g. the chat UI's). @default none
     */
    readonly extraLocations?: string;
}

/** The guard's listening port: ROUTE_GUARD_TLS_PORT with TLS, else ROUTE_GUARD_PORT. */
export function routeGuardPort(tls: boolean): number {
    return tls ? ROUTE_GUARD_TLS_PORT : ROUTE_GUARD_PORT;
}

/**
 * The environment variables the image's entrypoint may substitute into the template: only these,
 * so nginx's own `$variables` are never touched (the filter is an awk regex over names).
 */
export function routeGuardEnvsubstFilter(resolve: boolean): string {
    return resolve ? `^(${ROUTE_GUARD_KEY_ENV}|${ROUTE_GUARD_RESOLVERS_ENV})$` : `^${ROUTE_GUARD_KEY_ENV}$`;
}

/** What OpenAI clients expect in an error body; the same for a missing and a wrong key. */
const UNAUTHORIZED_BODY = `{"error":{"message":"missing or invalid API key","type":"invalid_request_error","code":"invalid_api_key"}}`;
const NON_CANONICAL_BODY = `{"error":{"message":"the request path must be in canonical form","type":"invalid_request_error"}}`;

/**
 * The nginx server block (a template: see ROUTE_GUARD_TEMPLATE_DIR): `/v1/` proxied with
 * streaming after the guard has checked the bearer key itself, a local health path, 403 elsewhere.
 *
 * Paths: nginx matches locations against the normalised path (dot segments resolved, %XX decoded,
 * slashes merged), but forwards the client's raw target, which the model server routes without
 * normalising (`/metrics/../v1/models` is `/v1/...` to nginx and `/metrics/...` to vLLM's mounts).
 * So the guard forwards a request only when its raw target already is the normalised one.
 */
export function routeGuardConf(opts: RouteGuardOptions): string {
    const timeout = opts.timeoutSeconds ?? 600;
    const resolve = opts.resolve ?? false;
    const upstream = resolve ? "$llm_upstream" : opts.upstream;
    return `# Generated by llm-serving (components/k8s/routeGuard.ts): a template the image's entrypoint renders at start.
# Only ${OPENAI_ROUTE_PREFIX} leaves this proxy, and only with the API key; the model server checks the key again.
${tlsFiles(opts.tls)}server {
${listen(opts.tls)}
    server_tokens off;
    client_max_body_size ${opts.maxBodySize ?? "16m"};
${resolve ? `    # Resolved per request (valid=10s), so nginx starts before the upstream's name exists and follows its address.
    resolver \${${ROUTE_GUARD_RESOLVERS_ENV}} valid=10s ipv6=off;
    resolver_timeout 5s;
` : ""}
    location ${OPENAI_ROUTE_PREFIX} {
        default_type application/json;
        # The key, from the Secret through the environment. Unquoted on purpose: an empty value
        # makes this line invalid and an unset one an unknown variable, so nginx refuses to start.
        set $llm_api_key \${${ROUTE_GUARD_KEY_ENV}};
        # Dot segments, %-escapes and doubled slashes are refused, so upstream sees what was checked.
        if ($request_uri != "$uri$is_args$args") {
            return 400 '${NON_CANONICAL_BODY}\\n';
        }
        if ($http_authorization != "Bearer $llm_api_key") {
            add_header WWW-Authenticate Bearer always;
            return 401 '${UNAUTHORIZED_BODY}\\n';
        }
${resolve ? `        set $llm_upstream ${opts.upstream};
` : ""}        proxy_pass http://${upstream};
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        # This guard is the first proxy the project runs (the load balancers work at layer 4):
        # the client's own X-Forwarded-For is replaced, not trusted.
        proxy_set_header X-Forwarded-For $remote_addr;
        proxy_set_header X-Forwarded-Proto $scheme;
        # Stream tokens as they are generated (server-sent events); generations run for minutes.
        proxy_buffering off;
        proxy_cache off;
        proxy_read_timeout ${timeout}s;
        proxy_send_timeout ${timeout}s;
    }

    location = ${opts.healthPath ?? ROUTE_GUARD_HEALTH_PATH} {
        access_log off;
        default_type text/plain;
        return 200 "ok\\n";
    }

${opts.extraLocations ?? ""}    location / {
        return 403;
    }
}
`;
}

/**
 * The certificate and key files, named through variables: with a variable in the path nginx reads
 * them at each TLS handshake instead of once at start (nginx 1.15.9 and later), so a certificate
 * renewed into the mounted Secret (cert-manager renews well before Let's Encrypt's 90 days run out)
 * is served without a restart or reload. A Secret volume mounted whole (never with subPath) is
 * updated in place by the kubelet. The guard holds few, long-lived connections, so the reread
 * costs little. `map` is the way to give a variable a constant value at handshake time (`set`
 * runs later, per request).
 */
function tlsFiles(tls: RouteGuardOptions["tls"]): string {
    if (!tls) return "";
    return `# Read at each TLS handshake (variables in ssl_certificate), so a renewed certificate needs no reload.
map $ssl_server_name $route_guard_certificate { default ${tls.certificateFile}; }
map $ssl_server_name $route_guard_private_key { default ${tls.privateKeyFile}; }
`;
}

function listen(tls: RouteGuardOptions["tls"]): string {
    if (!tls) return `    listen ${ROUTE_GUARD_PORT};`;
    return `    listen ${ROUTE_GUARD_TLS_PORT} ssl;
    ssl_certificate $route_guard_certificate;
    ssl_certificate_key $route_guard_private_key;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache shared:SSL:10m;
    ssl_session_timeout 1h;`;
}

/** Where the guard reads its key: a key of a Kubernetes Secret. */
export interface SecretKeyRef {
    readonly name: string;
    readonly key: string;
}

/**
 * The guard's environment: the key from the Secret, the envsubst filter and, when resolving per
 * request, the switch that makes the entrypoint export the container's resolvers.
 */
export function routeGuardEnv(apiKey: SecretKeyRef, resolve: boolean): IIoK8sApiCoreV1EnvVar[] {
    return [
        { name: ROUTE_GUARD_KEY_ENV, valueFrom: { secretKeyRef: { name: apiKey.name, key: apiKey.key, optional: false } } },
        { name: "NGINX_ENVSUBST_FILTER", value: routeGuardEnvsubstFilter(resolve) },
        ...(resolve ? [{ name: "NGINX_ENTRYPOINT_LOCAL_RESOLVERS", value: "1" }] : []),
    ];
}

/** Volume name of the writable directory the entrypoint renders the config into. */
export const ROUTE_GUARD_RENDERED_VOLUME = "route-guard-rendered";

export interface RouteGuardContainerOptions {
    /** ConfigMap volume holding ROUTE_GUARD_TEMPLATE_FILE. */
    readonly templateVolume: string;
    /** A writable (emptyDir) volume the entrypoint renders the config into: ROUTE_GUARD_RENDERED_VOLUME. */
    readonly renderedVolume: string;
    /** The Secret key the guard compares bearer tokens with (the model server's own key). */
    readonly apiKey: SecretKeyRef;
    /** A `kubernetes.io/tls` Secret volume: the guard then serves HTTPS on ROUTE_GUARD_TLS_PORT. */
    readonly tlsVolume?: string;
}

/**
 * The guard as a sidecar container: the template mounted where the image's entrypoint renders it,
 * the key from the Secret in its environment; with `tlsVolume` it serves HTTPS.
 */
export function routeGuardContainer(opts: RouteGuardContainerOptions): IIoK8sApiCoreV1Container {
    const { tlsVolume } = opts;
    const port = routeGuardPort(tlsVolume !== undefined);
    const httpGet = { path: ROUTE_GUARD_HEALTH_PATH, port, ...(tlsVolume ? { scheme: "HTTPS" as const } : {}) };
    return {
        name: "route-guard",
        image: ROUTE_GUARD_IMAGE,
        ports: [
            tlsVolume
                ? { name: ROUTE_GUARD_TLS_PORT_NAME, containerPort: ROUTE_GUARD_TLS_PORT, protocol: "TCP" }
                : { name: ROUTE_GUARD_PORT_NAME, containerPort: ROUTE_GUARD_PORT, protocol: "TCP" },
        ],
        env: routeGuardEnv(opts.apiKey, false),
        volumeMounts: [
            { name: opts.templateVolume, mountPath: ROUTE_GUARD_TEMPLATE_DIR, readOnly: true },
            { name: opts.renderedVolume, mountPath: ROUTE_GUARD_CONF_DIR },
            ...(tlsVolume ? [{ name: tlsVolume, mountPath: ROUTE_GUARD_TLS_DIR, readOnly: true }] : []),
        ],
        readinessProbe: { httpGet, periodSeconds: 10 },
        livenessProbe: { httpGet, periodSeconds: 20 },
        resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { memory: "128Mi" } },
        securityContext: {
            allowPrivilegeEscalation: false,
            runAsNonRoot: true,
            readOnlyRootFilesystem: false,
            capabilities: { drop: ["ALL"] },
        },
    };
}
