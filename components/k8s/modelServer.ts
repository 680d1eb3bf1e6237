import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { INamespace } from "kubernetes-models/v1/Namespace";
import type { IService } from "kubernetes-models/v1/Service";
import type { IIoK8sApiCoreV1Probe } from "kubernetes-models/v1/Probe";
import type { IIoK8sApiCoreV1Toleration } from "kubernetes-models/v1/Toleration";
import type { IIoK8sApiCoreV1EnvVar } from "kubernetes-models/v1/EnvVar";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { HF_CACHE_PATH, ModelServerSpec } from "../serving";
import {
    ROUTE_GUARD_GROUP,
    ROUTE_GUARD_PORT_NAME,
    ROUTE_GUARD_RENDERED_VOLUME,
    ROUTE_GUARD_TEMPLATE_FILE,
    ROUTE_GUARD_TLS_DIR,
    ROUTE_GUARD_TLS_PORT_NAME,
    routeGuardConf,
    routeGuardContainer,
} from "./routeGuard";

/**
 * Kubernetes objects for one model server, cloud-neutral: AKS uses them today, EKS can reuse
 * them. Pure functions returning typed objects (kubernetes-models interfaces), validated against
 * the Kubernetes schemas in tests; components only hand them to `@pulumi/kubernetes`.
 */

/** A built object whose metadata is always present (Pulumi resources take it separately). */
export type Built<T extends { metadata?: unknown }> = T & { metadata: NonNullable<T["metadata"]> };
/** ...and whose spec is present too. */
export type BuiltWithSpec<T extends { metadata?: unknown; spec?: unknown }> = Built<T> & { spec: NonNullable<T["spec"]> };

/** Keys of the Kubernetes Secret holding the server's secrets (values never appear here). */
export const SECRET_DATA_KEYS = { apiKey: "api-key", hfToken: "hf-token" } as const;
/** Name of the model server's container port; probes target it, the Service does not. */
export const MODEL_PORT_NAME = "model";

export interface ModelServerWorkload {
    /** App name: Deployment, Service, PDB and labels use it. */
    readonly name: string;
    readonly namespace: string;
    /** Extra labels on every object (cost allocation). */
    readonly labels?: Readonly<Record<string, string>>;
    readonly server: ModelServerSpec;
    readonly replicas: number;
    /** Accelerator resource and count per replica, e.g. { resource: "nvidia.com/gpu", count: 1 }. */
    readonly accelerator?: { readonly resource: string; readonly count: number };
    /** CPU and memory per replica. */
    readonly resources: { readonly cpu: string; readonly memory: string; readonly memoryLimit: string };
    readonly tolerations?: readonly IIoK8sApiCoreV1Toleration[];
    readonly nodeSelector?: Readonly<Record<string, string>>;
    /** Secret holding `SECRET_DATA_KEYS` (created elsewhere: its data is a Pulumi secret). */
    readonly secretName: string;
    /** Whether the Secret carries a Hugging Face token. */
    readonly hfToken: boolean;
    /** Size of the weights cache volume. @default "40Gi" */
    readonly cacheSize?: string;
    /** Shared memory for tensor-parallel workers. @default "2Gi" (x4 when several accelerators) */
    readonly shmSize?: string;
    /**
     * A `kubernetes.io/tls` Secret (created elsewhere: its data is a Pulumi secret); the route
     * guard then serves HTTPS with it. @default plain HTTP
     */
    readonly tlsSecretName?: string;
}

/** Files of a `kubernetes.io/tls` Secret as the route guard sees them when mounted. */
const TLS_FILES = { certificateFile: `${ROUTE_GUARD_TLS_DIR}/tls.crt`, privateKeyFile: `${ROUTE_GUARD_TLS_DIR}/tls.key` } as const;

/** Selector labels: stable, so a change of settings never orphans pods. */
export function selectorLabels(name: string): Record<string, string> {
    return { "app.kubernetes.io/name": name, "app.kubernetes.io/component": "model-server" };
}

function objectLabels(w: Pick<ModelServerWorkload, "name" | "labels">): Record<string, string> {
    return { ...(w.labels ?? {}), ...selectorLabels(w.name), "app.kubernetes.io/part-of": "llm-serving" };
}

/**
 * Probes on the model's health path, sized to model load: the startup probe allows
 * `loadSeconds` before liveness takes over, so a slow weights download is not killed.
 */
export function modelProbes(server: ModelServerSpec): {
    startupProbe: IIoK8sApiCoreV1Probe;
    readinessProbe: IIoK8sApiCoreV1Probe;
    livenessProbe: IIoK8sApiCoreV1Probe;
} {
    const httpGet = { path: server.healthPath, port: MODEL_PORT_NAME };
    const period = 10;
    return {
        startupProbe: { httpGet, periodSeconds: period, timeoutSeconds: 5, failureThreshold: Math.ceil(server.loadSeconds / period) },
        readinessProbe: { httpGet, periodSeconds: period, timeoutSeconds: 5, failureThreshold: 3 },
        livenessProbe: { httpGet, periodSeconds: 20, timeoutSeconds: 10, failureThreshold: 3 },
    };
}

/** The route guard's nginx config template as a ConfigMap (upstream: the model server in the same pod); no key in it. */
export function routeGuardConfigMap(
    w: Pick<ModelServerWorkload, "name" | "namespace" | "labels" | "server" | "tlsSecretName">,
    extraLocations?: string,
): Built<IConfigMap> {
    const tls = w.tlsSecretName ? TLS_FILES : undefined;
    return {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: `${w.name}-route-guard`, namespace: w.namespace, labels: objectLabels(w) },
        data: { [ROUTE_GUARD_TEMPLATE_FILE]: routeGuardConf({ upstream: `127.0.0.1:${w.server.port}`, ...(tls ? { tls } : {}), ...(extraLocations ? { extraLocations } : {}) }) },
    };
}

/** The model server Deployment: the server container plus the route guard sidecar. */
export function modelServerDeployment(w: ModelServerWorkload): BuiltWithSpec<IDeployment> {
    const { server } = w;
    const secretEnv = (env: string, key: string, optional: boolean): IIoK8sApiCoreV1EnvVar => ({
        name: env,
        valueFrom: { secretKeyRef: { name: w.secretName, key, optional } },
    });
    const accel = w.accelerator ? { [w.accelerator.resource]: String(w.accelerator.count) } : {};
    const shm = w.shmSize ?? ((w.accelerator?.count ?? 1) > 1 ? "8Gi" : "2Gi");
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: w.name, namespace: w.namespace, labels: objectLabels(w) },
        spec: {
            replicas: w.replicas,
            selector: { matchLabels: selectorLabels(w.name) },
            // Never more replicas than asked for: GPU nodes are the cost, surge would need one more.
            strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
            template: {
                metadata: { labels: objectLabels(w) },
                spec: {
                    automountServiceAccountToken: false,
                    enableServiceLinks: false,
                    // Model load can take minutes; a graceful stop lets in-flight generations finish.
                    terminationGracePeriodSeconds: 120,
                    securityContext: {
                        seccompProfile: { type: "RuntimeDefault" },
                        // The unprivileged nginx runs in group 101: it must read the mounted key.
                        ...(w.tlsSecretName ? { fsGroup: ROUTE_GUARD_GROUP } : {}),
                    },
                    ...(w.nodeSelector ? { nodeSelector: { ...w.nodeSelector } } : {}),
                    ...(w.tolerations ? { tolerations: [...w.tolerations] } : {}),
                    containers: [
                        {
                            name: "model-server",
                            image: server.image,
                            args: [...server.args],
                            ports: [{ name: MODEL_PORT_NAME, containerPort: server.port, protocol: "TCP" }],
                            env: [
                                secretEnv(server.secretEnv.apiKey, SECRET_DATA_KEYS.apiKey, false),
                                ...(w.hfToken ? [secretEnv(server.secretEnv.hfToken, SECRET_DATA_KEYS.hfToken, false)] : []),
                            ],
                            resources: {
                                requests: { cpu: w.resources.cpu, memory: w.resources.memory, ...accel },
                                limits: { memory: w.resources.memoryLimit, ...accel },
                            },
                            ...modelProbes(server),
                            volumeMounts: [
                                { name: "hf-cache", mountPath: HF_CACHE_PATH },
                                { name: "shm", mountPath: "/dev/shm" },
                            ],
                            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
                        },
                        routeGuardContainer({
                            templateVolume: "route-guard-conf",
                            renderedVolume: ROUTE_GUARD_RENDERED_VOLUME,
                            apiKey: { name: w.secretName, key: SECRET_DATA_KEYS.apiKey },
                            ...(w.tlsSecretName ? { tlsVolume: "route-guard-tls" } : {}),
                        }),
                    ],
                    volumes: [
                        { name: "hf-cache", emptyDir: { sizeLimit: w.cacheSize ?? "40Gi" } },
                        { name: "shm", emptyDir: { medium: "Memory", sizeLimit: shm } },
                        { name: "route-guard-conf", configMap: { name: `${w.name}-route-guard` } },
                        // The entrypoint renders the template here (the image's own conf.d, with its demo site, is hidden).
                        { name: ROUTE_GUARD_RENDERED_VOLUME, emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
                        // Mounted in the guard only; readable by owner and group (fsGroup: nginx's group), no one else.
                        ...(w.tlsSecretName ? [{ name: "route-guard-tls", secret: { secretName: w.tlsSecretName, defaultMode: 0o440 } }] : []),
                    ],
                },
            },
        },
    };
}

export interface ModelServiceOptions {
    /** @default "LoadBalancer" */
    readonly type?: "LoadBalancer" | "ClusterIP";
    /** Client CIDRs the load balancer admits; empty admits anyone (the API key still applies). */
    readonly allowedCidrs?: readonly string[];
    /** Cloud-specific annotations (load balancer settings). */
    readonly annotations?: Readonly<Record<string, string>>;
    /** @default 443 with `tls`, else 80 */
    readonly port?: number;
    /** Target the route guard's TLS port (the guard terminates TLS). @default false */
    readonly tls?: boolean;
}

/** The Service in front of the route guard: it never targets the model port itself. */
export function modelServerService(
    w: Pick<ModelServerWorkload, "name" | "namespace" | "labels">,
    opts: ModelServiceOptions = {},
): BuiltWithSpec<IService> {
    const type = opts.type ?? "LoadBalancer";
    const ranges = opts.allowedCidrs ?? [];
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: {
            name: w.name,
            namespace: w.namespace,
            labels: objectLabels(w),
            ...(opts.annotations ? { annotations: { ...opts.annotations } } : {}),
        },
        spec: {
            type,
            selector: selectorLabels(w.name),
            ports: [
                opts.tls
                    ? { name: "https", port: opts.port ?? 443, targetPort: ROUTE_GUARD_TLS_PORT_NAME, protocol: "TCP" }
                    : { name: "http", port: opts.port ?? 80, targetPort: ROUTE_GUARD_PORT_NAME, protocol: "TCP" },
            ],
            ...(type === "LoadBalancer"
                ? {
                      // Local keeps the client address, so source ranges and logs see the real client.
                      externalTrafficPolicy: "Local",
                      ...(ranges.length > 0 ? { loadBalancerSourceRanges: [...ranges] } : {}),
                  }
                : {}),
        },
    };
}

/** One replica may be down at a time (node upgrades, spot evictions), never all of them. */
export function modelServerPdb(w: Pick<ModelServerWorkload, "name" | "namespace" | "labels">): BuiltWithSpec<IPodDisruptionBudget> {
    return {
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: { name: w.name, namespace: w.namespace, labels: objectLabels(w) },
        spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(w.name) } },
    };
}

/** The namespace, with Pod Security admission: baseline enforced (vLLM runs as root), restricted warned. */
export function modelNamespace(name: string, labels: Readonly<Record<string, string>> = {}): Built<INamespace> {
    return {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: {
            name,
            labels: {
                ...labels,
                "pod-security.kubernetes.io/enforce": "baseline",
                "pod-security.kubernetes.io/warn": "restricted",
            },
        },
    };
}

/**
 * Hands a built object's part to `@pulumi/kubernetes`. The two type libraries differ only in how
 * they type quantities (kubernetes-models: string | number, Pulumi: string); the builders here
 * emit strings, so the value is valid for both.
 */
export function asPulumi<T>(part: unknown): T {
    return part as T;
}
