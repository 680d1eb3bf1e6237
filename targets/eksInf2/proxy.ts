import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IService } from "kubernetes-models/v1/Service";
import {
    ROUTE_GUARD_CONF_DIR,
    ROUTE_GUARD_PORT,
    ROUTE_GUARD_RENDERED_VOLUME,
    ROUTE_GUARD_TEMPLATE_DIR,
    routeGuardConf,
    routeGuardEnv,
    SecretKeyRef,
} from "../../components/k8s/routeGuard";
import { POOL_LABEL, SERVING_NAMESPACE, SYSTEM_POOL } from "./labels";

/**
 * The front door. vLLM's `--api-key` guards only the `/v1` routes; Ray Serve's proxy and vLLM
 * also answer `/health`, `/metrics`, `/docs` and more without a key. An NLB works at layer 4 and
 * cannot filter paths, so the route guard (an unprivileged nginx, components/k8s/routeGuard.ts)
 * sits between the NLB and the Serve Service: it forwards canonical `/v1/` requests that carry the
 * key and refuses everything else; vLLM checks the key again.
 *
 * KubeRay creates the Serve Service only once Serve is ready, and a recreated RayService changes
 * its address: the guard resolves the Service's name per request through the cluster DNS, so it
 * starts without the Service and follows it.
 */

/** nginx, unprivileged build (listens on 8080 as a non-root user), pinned. */
export const PROXY_IMAGE = "nginxinc/nginx-unprivileged:1.27.3-alpine";
export const PROXY_PORT = ROUTE_GUARD_PORT;
export const PROXY_HEALTH_PATH = "/healthz";
/** Fixed NodePort the NLB's target group sends to on the system nodes. */
export const PROXY_NODE_PORT = 30080;
export const PROXY_APP_LABEL = { "app.kubernetes.io/name": "llm-front" } as const;

/** The proxy's config template (rendered by the image's entrypoint with the key and the cluster's resolvers). */
export function proxyConfig(upstreamHost: string, upstreamPort: number, extraLocations?: string): string {
    return routeGuardConf({ upstream: `${upstreamHost}:${upstreamPort}`, resolve: true, healthPath: PROXY_HEALTH_PATH, maxBodySize: "8m", extraLocations });
}

/** A Secret the guard mounts read-only (e.g. the chat UI's htpasswd), at `mountPath`. */
export interface ProxySecretMount {
    readonly secretName: string;
    readonly mountPath: string;
}

/** The proxy Deployment: `configMap` holds ROUTE_GUARD_TEMPLATE_FILE, `apiKey` the Secret key clients must present. */
export function buildProxyDeployment(name: string, configMap: string, apiKey: SecretKeyRef, secretMounts: ReadonlyArray<ProxySecretMount> = []): IDeployment {
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
                            env: routeGuardEnv(apiKey, true),
                            readinessProbe: { httpGet: { path: PROXY_HEALTH_PATH, port: PROXY_PORT }, periodSeconds: 5 },
                            livenessProbe: { httpGet: { path: PROXY_HEALTH_PATH, port: PROXY_PORT }, periodSeconds: 10 },
                            resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } },
                            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
                            volumeMounts: [
                                { name: "conf", mountPath: ROUTE_GUARD_TEMPLATE_DIR, readOnly: true },
                                { name: ROUTE_GUARD_RENDERED_VOLUME, mountPath: ROUTE_GUARD_CONF_DIR },
                                ...secretMounts.map((m, i) => ({ name: `extra-secret-${i}`, mountPath: m.mountPath, readOnly: true })),
                            ],
                        },
                    ],
                    volumes: [
                        { name: "conf", configMap: { name: configMap } },
                        // The rendered config holds the key: memory-backed, never on the node's disk.
                        { name: ROUTE_GUARD_RENDERED_VOLUME, emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
                        // Read by the unprivileged nginx user (no fsGroup here): readable in the pod, which runs nothing else.
                        ...secretMounts.map((m, i) => ({ name: `extra-secret-${i}`, secret: { secretName: m.secretName, defaultMode: 0o444 } })),
                    ],
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
