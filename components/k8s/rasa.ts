import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { IToleration } from "kubernetes-models/v1/Toleration";
import type { IService } from "kubernetes-models/v1/Service";
import type { SecretKeyRef } from "./routeGuard";
import { RASA_ACTIONS_PORT, RASA_REST_WEBHOOK } from "../rasa/files";

/**
 * Rasa beside the model (config `rasa`, eksInf2 and aksGpu), after the Azure plan's Rasa
 * microservice: the Rasa server (the pinned image in config) loading its trained model, fetched at
 * start from `modelUrl`, and the action server built from images/rasa-actions, whose custom action
 * asks the stack's own model with the API key from its Secret (Rasa Open Source has no LLM client of
 * its own). Where they run (namespace, node selector, tolerations) is the target's choice. Both sit
 * behind the route guard: only Rasa's REST webhook is forwarded, and only with the Rasa token (a
 * bearer token of its own, generated per stack), over the same TLS listener and client CIDRs as the
 * model. One replica each: the in-memory tracker and lock store (config/rasa.ts says why).
 */

export const RASA_NAME = "rasa";
export const RASA_ACTIONS_NAME = "rasa-actions";
export const RASA_PORT = 5005;
export const RASA_CONFIG_MAP = "rasa-config";
export const RASA_TOKEN_SECRET = "rasa-token";
/** Where the guard reads the Rasa token's nginx snippet (`set $rasa_token "...";`), from a Secret. */
export const RASA_TOKEN_DIR = "/etc/nginx/rasa-token";
export const RASA_TOKEN_FILE = "token.conf";
/** curl, pinned, to fetch the trained model (the Rasa image carries no downloader). */
export const FETCH_IMAGE = "curlimages/curl:8.11.1";
const MODEL_DIR = "/app/models";
const CONFIG_DIR = "/app/config";

export interface RasaInput {
    readonly image: string;
    readonly actionsImage: string;
    readonly modelUrl: string;
    readonly replicas: number;
    readonly openAiBaseUrl: string;
    readonly model: string;
    readonly apiKey: SecretKeyRef;
    /** Where both Deployments run: the target's namespace, node selector and, if its nodes are tainted, tolerations. */
    readonly placement: RasaPlacement;
}

export interface RasaPlacement {
    readonly namespace: string;
    readonly nodeSelector: Record<string, string>;
    readonly tolerations?: IToleration[];
}

function podPlacement(p: RasaPlacement) {
    return { nodeSelector: { ...p.nodeSelector }, ...(p.tolerations ? { tolerations: p.tolerations } : {}) };
}

const labels = (name: string) => ({ "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "llm-serving" });
const hardened = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } };

/** The Rasa server: REST channel only, no `--enable-api` (its HTTP API would let a caller replace the model). */
export function buildRasaDeployment(input: RasaInput): IDeployment {
    const probe = { httpGet: { path: "/", port: RASA_PORT } };
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: RASA_NAME, namespace: input.placement.namespace, labels: labels(RASA_NAME) },
        spec: {
            replicas: input.replicas,
            selector: { matchLabels: labels(RASA_NAME) },
            template: {
                metadata: { labels: labels(RASA_NAME) },
                spec: {
                    ...podPlacement(input.placement),
                    automountServiceAccountToken: false,
                    securityContext: { runAsNonRoot: true, runAsUser: 1001, fsGroup: 1001, seccompProfile: { type: "RuntimeDefault" } },
                    initContainers: [
                        {
                            name: "fetch-model",
                            image: FETCH_IMAGE,
                            command: ["curl", "-fsSL", "--retry", "5", "-o", `${MODEL_DIR}/model.tar.gz`, input.modelUrl],
                            resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } },
                            volumeMounts: [{ name: "models", mountPath: MODEL_DIR }],
                            securityContext: hardened,
                        },
                    ],
                    containers: [
                        {
                            name: "rasa",
                            image: input.image,
                            args: ["run", "--model", `${MODEL_DIR}/model.tar.gz`, "--endpoints", `${CONFIG_DIR}/endpoints.yml`, "--credentials", `${CONFIG_DIR}/credentials.yml`, "--port", String(RASA_PORT)],
                            ports: [{ name: "http", containerPort: RASA_PORT }],
                            // Loading a trained model takes a minute or two on a small CPU.
                            startupProbe: { ...probe, periodSeconds: 10, failureThreshold: 30 },
                            readinessProbe: { ...probe, periodSeconds: 10 },
                            livenessProbe: { ...probe, periodSeconds: 20, timeoutSeconds: 5 },
                            resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { memory: "2Gi" } },
                            securityContext: hardened,
                            volumeMounts: [
                                { name: "models", mountPath: MODEL_DIR, readOnly: true },
                                { name: "config", mountPath: CONFIG_DIR, readOnly: true },
                            ],
                        },
                    ],
                    volumes: [
                        { name: "models", emptyDir: { sizeLimit: "2Gi" } },
                        { name: "config", configMap: { name: RASA_CONFIG_MAP } },
                    ],
                },
            },
        },
    };
}

/** The action server: the model's key by Secret reference only. */
export function buildRasaActionsDeployment(input: RasaInput): IDeployment {
    const probe = { httpGet: { path: "/health", port: RASA_ACTIONS_PORT } };
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: RASA_ACTIONS_NAME, namespace: input.placement.namespace, labels: labels(RASA_ACTIONS_NAME) },
        spec: {
            replicas: input.replicas,
            selector: { matchLabels: labels(RASA_ACTIONS_NAME) },
            template: {
                metadata: { labels: labels(RASA_ACTIONS_NAME) },
                spec: {
                    ...podPlacement(input.placement),
                    automountServiceAccountToken: false,
                    securityContext: { runAsNonRoot: true, runAsUser: 1001, seccompProfile: { type: "RuntimeDefault" } },
                    containers: [
                        {
                            name: "actions",
                            image: input.actionsImage,
                            ports: [{ name: "http", containerPort: RASA_ACTIONS_PORT }],
                            env: [
                                { name: "LLM_OPENAI_BASE_URL", value: input.openAiBaseUrl },
                                { name: "LLM_OPENAI_API_KEY", valueFrom: { secretKeyRef: { name: input.apiKey.name, key: input.apiKey.key, optional: false } } },
                                { name: "LLM_MODEL", value: input.model },
                            ],
                            startupProbe: { ...probe, periodSeconds: 5, failureThreshold: 24 },
                            readinessProbe: { ...probe, periodSeconds: 10 },
                            livenessProbe: { ...probe, periodSeconds: 20, timeoutSeconds: 5 },
                            resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
                            securityContext: hardened,
                        },
                    ],
                },
            },
        },
    };
}

export function buildRasaService(name: string, port: number, namespace: string): IService {
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name, namespace },
        spec: { type: "ClusterIP", selector: labels(name), ports: [{ name: "http", port, targetPort: port, protocol: "TCP" }] },
    };
}

/**
 * The action server's webhook (:5055) only from the Rasa server's pods. Rasa's endpoints.yml can
 * send a token to the action server (action_endpoint.token, as a query parameter), but the Rasa SDK
 * 3.6 action server checks none, so a token would be decoration: the restriction is this policy.
 * It is enforced only where the cluster's network plugin enforces NetworkPolicy (AKS with a network
 * policy engine, which aksGpu sets; on EKS the VPC CNI's network policy agent must be enabled).
 */
export function buildRasaActionsNetworkPolicy(namespace: string): INetworkPolicy {
    return {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: `${RASA_ACTIONS_NAME}-from-rasa`, namespace },
        spec: {
            podSelector: { matchLabels: labels(RASA_ACTIONS_NAME) },
            policyTypes: ["Ingress"],
            ingress: [{ from: [{ podSelector: { matchLabels: labels(RASA_NAME) } }], ports: [{ protocol: "TCP", port: RASA_ACTIONS_PORT }] }],
        },
    };
}

/**
 * The guard's location: Rasa's REST webhook only (exact match), with the Rasa token. Rasa's REST
 * channel takes no credentials itself, so the guard is its authentication. `staticUpstream`: for a
 * guard without a resolver (aksGpu's sidecar), nginx resolves the Service name once at start (a
 * ClusterIP stays while the Service does; the Deployment waits for the Service).
 */
export function rasaLocation(upstreamHost: string, staticUpstream = false): string {
    return `    # Rasa's REST channel: its webhook only, with the Rasa token (a bearer token of its own).
    location = ${RASA_REST_WEBHOOK} {
        default_type application/json;
        include ${RASA_TOKEN_DIR}/${RASA_TOKEN_FILE};
        if ($request_uri != "$uri$is_args$args") {
            return 400;
        }
        if ($http_authorization != "Bearer $rasa_token") {
            add_header WWW-Authenticate Bearer always;
            return 401 '{"error":"missing or invalid Rasa token"}\\n';
        }
${staticUpstream ? `        proxy_pass http://${upstreamHost}:${RASA_PORT};` : `        set $rasa_upstream ${upstreamHost}:${RASA_PORT};
        proxy_pass http://$rasa_upstream;`}
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header Authorization "";
        proxy_set_header X-Forwarded-For $remote_addr;
        proxy_read_timeout 120s;
    }

`;
}

/**
 * The Secret file the guard includes: the token as an nginx variable. Letters, digits, '-' and '_'
 * only (the generated token has no others), so nothing in it can close the quotes or start a variable.
 */
export function rasaTokenSnippet(token: string): string {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) throw new Error("the Rasa token must be letters, digits, '-' or '_' only");
    return `set $rasa_token "${token}";\n`;
}
