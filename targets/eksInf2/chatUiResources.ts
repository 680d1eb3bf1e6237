import * as pulumi from "@pulumi/pulumi";
import { Deployment, DeploymentArgs } from "@pulumi/kubernetes/apps/v1";
import { Secret, Service } from "@pulumi/kubernetes/core/v1";
import * as random from "@pulumi/random";
import { buildChatUiDeployment, buildChatUiService, CHAT_UI_NAME, CHAT_UI_PATH, CHAT_UI_USER, CHAT_UI_USERS_DIR, CHAT_UI_USERS_FILE, CHAT_UI_USERS_SECRET, ChatUiInput, chatUiLocation, htpasswdLine } from "./chatUi";
import { ProxySecretMount } from "./proxy";
import { SERVING_NAMESPACE } from "./labels";

export interface ChatUi {
    /** The guard's location block for the UI. */
    readonly location: string;
    /** What the guard mounts: the chat user's htpasswd. */
    readonly usersMount: ProxySecretMount;
    /** Resources the guard should wait for. */
    readonly usersSecret: Secret;
    /** The chat user's name and generated password (secret). */
    readonly user: string;
    readonly password: pulumi.Output<string>;
    /** Path of the UI under the endpoint's host. */
    readonly path: string;
}

/** The chat UI's resources: its user's credential (generated, a secret), the htpasswd Secret, the Deployment and Service. */
export function createChatUi(name: string, input: ChatUiInput, parent: pulumi.Resource, k8sOpts: pulumi.CustomResourceOptions): ChatUi {
    const childOpts = { parent };
    const password = pulumi.secret(new random.RandomPassword(`${name}-chat-password`, { length: 32, special: false }, childOpts).result);
    // Per-stack salt; not secret by itself, kept secret with the line it is part of.
    const salt = new random.RandomPassword(`${name}-chat-salt`, { length: 16, special: false }, childOpts).result;
    const usersSecret = new Secret(
        `${name}-chat-users`,
        {
            metadata: { name: CHAT_UI_USERS_SECRET, namespace: SERVING_NAMESPACE },
            stringData: { [CHAT_UI_USERS_FILE]: pulumi.secret(pulumi.all([password, salt]).apply(([p, s]) => htpasswdLine(CHAT_UI_USER, p, s))) },
        },
        k8sOpts,
    );
    // Typed by kubernetes-models (schema-validated in tests); its IntOrString unions differ from the SDK's.
    new Deployment(`${name}-chat`, buildChatUiDeployment(input) as DeploymentArgs, k8sOpts);
    new Service(`${name}-chat`, buildChatUiService(), k8sOpts);
    return {
        location: chatUiLocation(`${CHAT_UI_NAME}.${SERVING_NAMESPACE}.svc.cluster.local`),
        usersMount: { secretName: CHAT_UI_USERS_SECRET, mountPath: CHAT_UI_USERS_DIR },
        usersSecret,
        user: CHAT_UI_USER,
        password,
        path: CHAT_UI_PATH,
    };
}
