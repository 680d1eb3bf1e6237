import * as crypto from "node:crypto";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IService } from "kubernetes-models/v1/Service";
import type { SecretKeyRef } from "../../components/k8s/routeGuard";
import { POOL_LABEL, SERVING_NAMESPACE, SYSTEM_POOL } from "./labels";

/**
 * The chat UI (config `chatUi`): the Gradio app built from images/chat-ui/Dockerfile, after the
 * Inferentia2 blueprint's UI but OpenAI-compatible and never port-forwarded. It runs on the system
 * nodes (no extra node group: the system group's maximum is already priced) and calls the Serve
 * Service inside the cluster with the stack's API key from its Secret, so the key stays in the pod.
 * Clients reach it only through the route guard at CHAT_UI_PATH, which asks for the chat user's own
 * credential (HTTP basic auth, a separate generated password) and is served over TLS: the config
 * schema refuses chatUi without a domain.
 */

export const CHAT_UI_NAME = "llm-chat";
/** Gradio's default port. */
export const CHAT_UI_PORT = 7860;
/** Where the guard serves the UI; the guard strips it, and Gradio builds its links under it (root_path). */
export const CHAT_UI_PATH = "/chat/";
/** The basic-auth user; its password is generated per stack. */
export const CHAT_UI_USER = "chat";
/** Secret (htpasswd) the guard reads the chat user's credential from, and where it is mounted. */
export const CHAT_UI_USERS_SECRET = "llm-chat-users";
export const CHAT_UI_USERS_DIR = "/etc/nginx/chat-users";
export const CHAT_UI_USERS_FILE = "htpasswd";
const APP_LABEL = { "app.kubernetes.io/name": CHAT_UI_NAME } as const;

export interface ChatUiInput {
    /** The chat UI image, pinned (config `chatUiImage`). */
    readonly image: string;
    /** OpenAI base URL inside the cluster (the Serve Service, `/v1`). */
    readonly openAiBaseUrl: string;
    /** The served model name requests ask for. */
    readonly model: string;
    /** The stack's API key Secret. */
    readonly apiKey: SecretKeyRef;
}

/** The UI's Deployment: one replica (a UI, not the model: its loss costs a page reload), probes on Gradio's page. */
export function buildChatUiDeployment(input: ChatUiInput): IDeployment {
    const probe = { httpGet: { path: "/", port: CHAT_UI_PORT } };
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: CHAT_UI_NAME, namespace: SERVING_NAMESPACE, labels: { ...APP_LABEL } },
        spec: {
            replicas: 1,
            selector: { matchLabels: { ...APP_LABEL } },
            template: {
                metadata: { labels: { ...APP_LABEL } },
                spec: {
                    nodeSelector: { [POOL_LABEL]: SYSTEM_POOL },
                    automountServiceAccountToken: false,
                    securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } },
                    containers: [
                        {
                            name: "chat-ui",
                            image: input.image,
                            ports: [{ name: "http", containerPort: CHAT_UI_PORT }],
                            env: [
                                { name: "CHAT_UI_OPENAI_BASE_URL", value: input.openAiBaseUrl },
                                { name: "CHAT_UI_OPENAI_API_KEY", valueFrom: { secretKeyRef: { name: input.apiKey.name, key: input.apiKey.key, optional: false } } },
                                { name: "CHAT_UI_MODEL", value: input.model },
                                { name: "CHAT_UI_ROOT_PATH", value: CHAT_UI_PATH.replace(/\/$/, "") },
                                { name: "CHAT_UI_PORT", value: String(CHAT_UI_PORT) },
                            ],
                            // Gradio imports in a few seconds; give a slow node a minute before liveness counts.
                            startupProbe: { ...probe, periodSeconds: 5, failureThreshold: 24 },
                            readinessProbe: { ...probe, periodSeconds: 10 },
                            livenessProbe: { ...probe, periodSeconds: 20, timeoutSeconds: 5 },
                            resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
                            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
                        },
                    ],
                },
            },
        },
    };
}

/** ClusterIP only: the guard is the way in. */
export function buildChatUiService(): IService {
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: CHAT_UI_NAME, namespace: SERVING_NAMESPACE },
        spec: { type: "ClusterIP", selector: { ...APP_LABEL }, ports: [{ name: "http", port: CHAT_UI_PORT, targetPort: CHAT_UI_PORT, protocol: "TCP" }] },
    };
}

/**
 * The guard's location for the UI: basic auth against the chat user's htpasswd (a credential of its
 * own, not the API key), canonical paths only, the credential not forwarded, the prefix stripped,
 * streaming unbuffered (Gradio streams over server-sent events). Resolved per request like the model
 * route, so the guard starts before the UI's Service exists.
 */
export function chatUiLocation(upstreamHost: string): string {
    return `    # The chat UI: its own user (basic auth over TLS); the model key never leaves the UI's pod.
    location ${CHAT_UI_PATH} {
        auth_basic "chat";
        auth_basic_user_file ${CHAT_UI_USERS_DIR}/${CHAT_UI_USERS_FILE};
        if ($request_uri != "$uri$is_args$args") {
            return 400;
        }
        set $chat_upstream ${upstreamHost}:${CHAT_UI_PORT};
        rewrite ^${CHAT_UI_PATH}(.*)$ /$1 break;
        proxy_pass http://$chat_upstream;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header Authorization "";
        proxy_set_header X-Forwarded-For $remote_addr;
        # Clients always arrive over HTTPS (chatUi requires domain); TLS may end at the NLB, where
        # $scheme here would be http and Gradio would build http:// URLs the browser blocks as mixed content.
        proxy_set_header X-Forwarded-Proto https;
        proxy_buffering off;
        proxy_read_timeout 600s;
    }

`;
}

/**
 * One htpasswd line in nginx's `{SSHA}` scheme (RFC 2307: base64 of SHA-1(password + salt) + salt),
 * which nginx's auth_basic reads without crypt(3) support. `salt` is random per stack.
 */
export function htpasswdLine(user: string, password: string, salt: string): string {
    const saltBytes = Buffer.from(salt, "utf8");
    const digest = crypto.createHash("sha1").update(Buffer.concat([Buffer.from(password, "utf8"), saltBytes])).digest();
    return `${user}:{SSHA}${Buffer.concat([digest, saltBytes]).toString("base64")}\n`;
}
