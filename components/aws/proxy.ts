import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IService } from "kubernetes-models/v1/Service";
import { OPENAI_ROUTE_PREFIX } from "../serving";
import { POOL_LABEL, SERVING_NAMESPACE, SYSTEM_POOL } from "./labels";

/**
 * The front door. vLLM's `--api-key` guards only the `/v1` routes; Ray Serve's proxy and vLLM
 * also answer `/health`, `/metrics`, `/docs` and more without a key. An NLB works at layer 4 and
 * cannot filter paths, so a small unprivileged nginx sits between the NLB and the Serve Service
 * and forwards `/v1/` only; everything else gets 404. Clients still need the key, which vLLM checks.
 */

/** nginx, unprivileged build (listens on 8080 as a non-root user), pinned. */
export const PROXY_IMAGE = "nginxinc/nginx-unprivileged:1.27.3-alpine";
export const PROXY_PORT = 8080;
export const PROXY_HEALTH_PATH = "/healthz";
/** Fixed NodePort the NLB's target group sends to on the system nodes. */
export const PROXY_NODE_PORT = 30080;
export const PROXY_APP_LABEL = { "app.kubernetes.io/name": "llm-front" } as const;

export function proxyConfig(upstreamHost: string, upstreamPort: number): string {
    return [
        "server {",
        `    listen ${PROXY_PORT};`,
        "    client_max_body_size 8m;",
        `    location = ${PROXY_HEALTH_PATH} { access_log off; return 200 "ok\\n"; }`,
        `    location ${OPENAI_ROUTE_PREFIX} {`,
        `        proxy_pass http://${upstreamHost}:${upstreamPort};`,
        "        proxy_http_version 1.1;",
        "        proxy_buffering off;",
        "        proxy_read_timeout 600s;",
        "        proxy_set_header Host $host;",
        "    }",
        "    location / { return 404; }",
        "}",
        "",
    ].join("\n");
}

export function buildProxyDeployment(name: string, configMap: string): IDeployment {
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name, namespace: SERVING_NAMESPACE },
        spec: {
            replicas: 2,
            selector: { matchLabels: { ...PROXY_APP_LABEL } },
            template: {
                metadata: { labels: { ...PROXY_APP_LABEL } },
                spec: {
                    nodeSelector: { [POOL_LABEL]: SYSTEM_POOL },
                    automountServiceAccountToken: false,
                    securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
                    containers: [
                        {
                            name: "nginx",
                            image: PROXY_IMAGE,
                            ports: [{ name: "http", containerPort: PROXY_PORT }],
                            readinessProbe: { httpGet: { path: PROXY_HEALTH_PATH, port: PROXY_PORT }, periodSeconds: 5 },
                            livenessProbe: { httpGet: { path: PROXY_HEALTH_PATH, port: PROXY_PORT }, periodSeconds: 10 },
                            resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } },
                            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
                            volumeMounts: [{ name: "conf", mountPath: "/etc/nginx/conf.d", readOnly: true }],
                        },
                    ],
                    volumes: [{ name: "conf", configMap: { name: configMap } }],
                },
            },
        },
    };
}

/** NodePort Service: the explicit NLB (a Pulumi resource, so it is priced) targets the system nodes on it. */
export function buildProxyService(name: string): IService {
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name, namespace: SERVING_NAMESPACE },
        spec: {
            type: "NodePort",
            selector: { ...PROXY_APP_LABEL },
            ports: [{ name: "http", port: 80, targetPort: PROXY_PORT, nodePort: PROXY_NODE_PORT, protocol: "TCP" }],
        },
    };
}
