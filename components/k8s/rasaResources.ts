import * as pulumi from "@pulumi/pulumi";
import { Deployment, DeploymentArgs } from "@pulumi/kubernetes/apps/v1";
import { ConfigMap, Secret, Service } from "@pulumi/kubernetes/core/v1";
import { NetworkPolicy, NetworkPolicyArgs } from "@pulumi/kubernetes/networking/v1";
import * as random from "@pulumi/random";
import { RASA_ACTIONS_PORT, RASA_REST_WEBHOOK, rasaCredentialsYml, rasaEndpointsYml } from "../rasa/files";
import {
    buildRasaActionsDeployment,
    buildRasaActionsNetworkPolicy,
    buildRasaDeployment,
    buildRasaService,
    RASA_ACTIONS_NAME,
    RASA_CONFIG_MAP,
    RASA_NAME,
    RASA_PORT,
    RASA_TOKEN_DIR,
    RASA_TOKEN_FILE,
    RASA_TOKEN_SECRET,
    RasaInput,
    rasaLocation,
    rasaTokenSnippet,
} from "./rasa";

/** A Secret the route guard mounts (the Rasa token's nginx snippet). */
export interface RasaTokenMount {
    readonly secretName: string;
    readonly mountPath: string;
}

export interface Rasa {
    readonly location: string;
    readonly tokenMount: RasaTokenMount;
    readonly tokenSecret: Secret;
    /** Bearer token of the REST webhook (secret). */
    readonly token: pulumi.Output<string>;
    readonly path: string;
    /** The two Services (a guard resolving the name once at start waits for them). */
    readonly services: Service[];
}

/** Rasa's resources: its token (generated, a secret), config files, the two Deployments, their Services, and the action server's ingress policy. */
export function createRasa(name: string, input: RasaInput, parent: pulumi.Resource, k8sOpts: pulumi.CustomResourceOptions, staticUpstream = false): Rasa {
    const namespace = input.placement.namespace;
    const token = pulumi.secret(new random.RandomPassword(`${name}-rasa-token`, { length: 40, special: false }, { parent }).result);
    const tokenSecret = new Secret(
        `${name}-rasa-token`,
        { metadata: { name: RASA_TOKEN_SECRET, namespace: namespace }, stringData: { [RASA_TOKEN_FILE]: pulumi.secret(token.apply(rasaTokenSnippet)) } },
        k8sOpts,
    );
    const config = new ConfigMap(
        `${name}-rasa-config`,
        {
            metadata: { name: RASA_CONFIG_MAP, namespace: namespace },
            data: { "endpoints.yml": rasaEndpointsYml(`${RASA_ACTIONS_NAME}.${namespace}.svc.cluster.local`), "credentials.yml": rasaCredentialsYml() },
        },
        k8sOpts,
    );
    // Typed by kubernetes-models (schema-validated in tests); its IntOrString unions differ from the SDK's.
    new Deployment(`${name}-rasa-actions`, buildRasaActionsDeployment(input) as DeploymentArgs, k8sOpts);
    new NetworkPolicy(`${name}-rasa-actions`, buildRasaActionsNetworkPolicy(namespace) as NetworkPolicyArgs, k8sOpts);
    const actionsService = new Service(`${name}-rasa-actions`, buildRasaService(RASA_ACTIONS_NAME, RASA_ACTIONS_PORT, namespace), k8sOpts);
    new Deployment(`${name}-rasa`, buildRasaDeployment(input) as DeploymentArgs, { ...k8sOpts, dependsOn: [config] });
    const rasaService = new Service(`${name}-rasa`, buildRasaService(RASA_NAME, RASA_PORT, namespace), k8sOpts);
    return {
        location: rasaLocation(`${RASA_NAME}.${namespace}.svc.cluster.local`, staticUpstream),
        tokenMount: { secretName: RASA_TOKEN_SECRET, mountPath: RASA_TOKEN_DIR },
        tokenSecret,
        token,
        path: RASA_REST_WEBHOOK,
        services: [actionsService, rasaService],
    };
}
