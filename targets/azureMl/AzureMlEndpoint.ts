import * as pulumi from "@pulumi/pulumi";
import type { ObservabilityConfig } from "../../config/observability";
import type { NotificationsConfig } from "../../config/notifications";
import { azureMlAlerts } from "./alerts";
import { amlDashboardPanels, amlGrafanaDashboardJson } from "./dashboard";
import { azureGrafanaDashboardOf } from "../../components/observability/azureDashboard";
import * as local from "@pulumi/command/local";
import * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import * as authorization from "@pulumi/azure-native/authorization";
import * as containerregistry from "@pulumi/azure-native/containerregistry";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as ml from "@pulumi/azure-native/machinelearningservices";
import * as monitor from "@pulumi/azure-native/monitor";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as resources from "@pulumi/azure-native/resources";
import * as storage from "@pulumi/azure-native/storage";
import { ModelConfig } from "../../config";
import { AzureMlConfig } from "./config";
import {
    amlProbes,
    autoscaleProfile,
    connectionSecretRef,
    inferenceConfig,
    requestSettings,
    servingDockerfile,
    trafficCommands,
    BUILD_CONTEXT_CONTAINER,
} from "./aml";
import { containerRegistryName, storageAccountName } from "../../components/azure/names";
import { BASELINE_TAG, registerAzureBreakerGroup } from "../../components/azure/breakerTargets";
import { openAiBaseUrl } from "../../components/serving";
import { azureVllmServer } from "../../components/azure/server";
import { modelAccessOf } from "../../components/modelAccess";

export interface AzureMlEndpointArgs {
    /** Validated `targets.azureMl` config. */
    readonly config: AzureMlConfig;
    readonly model: ModelConfig;
    /** Azure tags for every taggable child (owner, cost-center, environment). */
    readonly tags: Readonly<Record<string, string>>;
    /** Hugging Face token, for gated models. */
    readonly hfToken?: pulumi.Input<string>;
    /** Alert thresholds (issue #18). */
    readonly observability?: ObservabilityConfig;
    /** Where the alerts go (issue #18). */
    readonly notifications?: NotificationsConfig;
}

/** Fixed deployment name: the traffic split and the autoscale setting refer to it. */
export const AML_DEPLOYMENT_NAME = "vllm";
/** Workspace connection holding the Hugging Face token, and its key. */
export const HF_CONNECTION = { name: "huggingface", key: "token" } as const;
/** What `apiKey` says in AADToken mode, where there is no static key. */
export const AAD_TOKEN_NOTE = "AADToken auth: send an Entra token (az account get-access-token --resource https://ml.azure.com)";

/**
 * vLLM as a custom container on an Azure ML managed online endpoint: a workspace with its
 * storage, Key Vault, Application Insights (on Log Analytics) and container registry; the image
 * built FROM the pinned vLLM image; a deployment autoscaled by Azure Monitor between
 * `instances.min` and `instances.max`; all traffic to that deployment.
 *
 * Authentication is Azure ML's (key or Entra token on every route), so the container runs
 * without its own API key: the endpoint's key is the `apiKey` output. The `llm-serving:apiKey`
 * config cannot be used here (Azure generates endpoint keys).
 */
export class AzureMlEndpoint extends pulumi.ComponentResource {
    /** OpenAI-compatible base URL (`.../v1`). */
    public readonly endpoint: pulumi.Output<string>;
    /** Endpoint key (secret); in AADToken mode, a note on how to get a token. */
    public readonly apiKey: pulumi.Output<string>;

    constructor(name: string, args: AzureMlEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
        // Which model this target downloads and whether it holds a token for it (the model-access policy).
        super("llm-serving:azure:AzureMlEndpoint", name, modelAccessOf(args.model, args.hfToken), opts);
        const childOpts = { parent: this };
        const { config, tags } = args;
        const { location } = config;
        const server = azureVllmServer(args.model, config.instanceType);
        const client = authorization.getClientConfigOutput({ parent: this });

        const group = new resources.ResourceGroup(`${name}-rg`, { location, tags }, childOpts);
        const resourceGroupName = group.name;

        // What a workspace requires.
        const accountName = client.subscriptionId.apply((id) => storageAccountName(id, pulumi.getStack(), name));
        const account = new storage.StorageAccount(
            `${name}-storage`,
            {
                accountName,
                resourceGroupName,
                location,
                kind: "StorageV2",
                sku: { name: "Standard_LRS" },
                allowBlobPublicAccess: false,
                minimumTlsVersion: "TLS1_2",
                enableHttpsTrafficOnly: true,
                tags,
            },
            childOpts,
        );
        const vault = new keyvault.Vault(
            `${name}-kv`,
            {
                resourceGroupName,
                location,
                properties: {
                    tenantId: client.tenantId,
                    sku: { family: "A", name: "standard" },
                    enableRbacAuthorization: true,
                    enableSoftDelete: true,
                    softDeleteRetentionInDays: 7,
                },
                tags,
            },
            childOpts,
        );
        const logs = new operationalinsights.Workspace(
            `${name}-logs`,
            { resourceGroupName, location, sku: { name: "PerGB2018" }, retentionInDays: 30, tags },
            childOpts,
        );
        const insights = new applicationinsights.Component(
            `${name}-insights`,
            {
                resourceGroupName,
                location,
                kind: "web",
                applicationType: "web",
                ingestionMode: "LogAnalytics",
                workspaceResourceId: logs.id,
                tags,
            },
            childOpts,
        );
        // Needed: the serving image is built by the workspace and pushed here. Named, never
        // autonamed: ARM allows letters and digits only, and an autoname keeps the hyphens.
        const registry = new containerregistry.Registry(
            `${name}-acr`,
            {
                registryName: client.subscriptionId.apply((id) => containerRegistryName(id, pulumi.getStack(), name)),
                resourceGroupName,
                location,
                sku: { name: "Basic" },
                adminUserEnabled: false,
                tags,
            },
            childOpts,
        );
        const workspace = new ml.Workspace(
            `${name}-workspace`,
            {
                resourceGroupName,
                location,
                sku: { name: "Basic", tier: "Basic" },
                identity: { type: "SystemAssigned" },
                storageAccount: account.id,
                keyVault: vault.id,
                applicationInsights: insights.id,
                containerRegistry: registry.id,
                publicNetworkAccess: config.publicNetworkAccess ? "Enabled" : "Disabled",
                // Deployments and image builds run in the workspace's managed network; they need
                // the internet for Docker Hub and Hugging Face.
                managedNetwork: { isolationMode: "AllowInternetOutbound" },
                tags,
            },
            childOpts,
        );

        // The serving image: a Dockerfile in the workspace storage, built by Azure ML.
        const context = new storage.BlobContainer(
            `${name}-build-context`,
            { resourceGroupName, accountName: account.name, containerName: BUILD_CONTEXT_CONTAINER, publicAccess: "None" },
            childOpts,
        );
        const dockerfile = new storage.Blob(
            `${name}-dockerfile`,
            {
                resourceGroupName,
                accountName: account.name,
                containerName: context.name,
                blobName: "vllm/Dockerfile",
                type: "Block",
                source: new pulumi.asset.StringAsset(servingDockerfile(server)),
            },
            childOpts,
        );
        const environment = new ml.EnvironmentVersion(
            `${name}-environment`,
            {
                resourceGroupName,
                workspaceName: workspace.name,
                name: "vllm-openai",
                // A new version whenever the image or arguments change (versions are immutable).
                version: String(hash(servingDockerfile(server))),
                properties: {
                    osType: "Linux",
                    build: {
                        contextUri: pulumi.interpolate`https://${accountName}.blob.core.windows.net/${BUILD_CONTEXT_CONTAINER}/vllm/`,
                        dockerfilePath: "Dockerfile",
                    },
                    inferenceConfig: inferenceConfig(server),
                },
            },
            { ...childOpts, dependsOn: [context, dockerfile] },
        );

        const endpointProperties = {
            // Never anonymous: Azure ML checks a key or an Entra token on every request.
            authMode: config.authMode,
            publicNetworkAccess: config.endpointPublicAccess ? "Enabled" : "Disabled",
            // Lets the deployment read workspace connection secrets (the HF token) by reference.
            // Azure ML then grants the endpoint's identity the Workspace Connection Secrets Reader
            // role itself, on behalf of the deployer (who needs roleAssignments/write for it).
            properties: { enforce_access_to_default_secret_stores: "enabled" },
        };
        const endpoint = new ml.OnlineEndpoint(
            `${name}-endpoint`,
            {
                resourceGroupName,
                workspaceName: workspace.name,
                location,
                identity: { type: "SystemAssigned" },
                properties: endpointProperties,
                tags,
            },
            childOpts,
        );

        let hfConnection: ml.WorkspaceConnection | undefined;
        if (args.hfToken) {
            hfConnection = new ml.WorkspaceConnection(
                `${name}-hf-connection`,
                {
                    resourceGroupName,
                    workspaceName: workspace.name,
                    connectionName: HF_CONNECTION.name,
                    properties: {
                        authType: "CustomKeys",
                        category: "CustomKeys",
                        target: "https://huggingface.co",
                        credentials: { keys: pulumi.secret(pulumi.output(args.hfToken).apply((t) => ({ [HF_CONNECTION.key]: t }))) },
                    },
                },
                childOpts,
            );
        }

        const deployment = new ml.OnlineDeployment(
            `${name}-deployment`,
            {
                resourceGroupName,
                workspaceName: workspace.name,
                endpointName: endpoint.name,
                deploymentName: AML_DEPLOYMENT_NAME,
                location,
                // Initial count; the autoscale setting owns it from then on.
                sku: { name: "Default", capacity: config.instances.min },
                properties: {
                    endpointComputeType: "Managed",
                    instanceType: config.instanceType,
                    environmentId: environment.id,
                    scaleSettings: { scaleType: "Default" },
                    requestSettings: requestSettings(config),
                    ...amlProbes(server),
                    appInsightsEnabled: true,
                    // References only: Azure ML resolves them at start (no secret value in the deployment).
                    environmentVariables: args.hfToken
                        ? { [server.secretEnv.hfToken]: connectionSecretRef(HF_CONNECTION.name, HF_CONNECTION.key) }
                        : {},
                },
                tags,
            },
            { ...childOpts, dependsOn: hfConnection ? [hfConnection] : [], ignoreChanges: ["sku.capacity"] },
        );

        // Metric alerts on the platform metrics, to the stack's action groups (issue #18; targets/azureMl/alerts.ts).
        azureMlAlerts(this, name, { resourceGroupName, endpointId: endpoint.id, deploymentId: deployment.id, observability: args.observability, notifications: args.notifications, tags });

        const autoscale = new monitor.AutoscaleSetting(
            `${name}-autoscale`,
            {
                resourceGroupName,
                location,
                enabled: true,
                targetResourceUri: deployment.id,
                profiles: [autoscaleProfile(config, deployment.id, server.loadSeconds)],
                // The bound it always runs at: the circuit breaker steps capacity.maximum down to it.
                tags: { ...tags, [BASELINE_TAG]: String(config.instances.min) },
            },
            childOpts,
        );
        // The deployment scales through this setting (not its own scaleSettings): the breaker lowers its maximum.
        registerAzureBreakerGroup({ kind: "azureml-autoscale", id: autoscale.id, resourceGroupId: group.id });

        // The golden-signals dashboard over the endpoint's, deployment's and autoscale's platform
        // metrics (issue #18; targets/azureMl/dashboard.ts), free, in the target's group.
        const panels = amlDashboardPanels(config);
        const serializedData = pulumi
            .all([client.subscriptionId, resourceGroupName, workspace.name, endpoint.name, autoscale.name])
            .apply(([subscription, resourceGroup, ws, ep, scale]) =>
                amlGrafanaDashboardJson(`llm-serving ${name}: LLM serving`, panels, { subscription, resourceGroup, region: location, workspace: ws, endpoint: ep, deployment: AML_DEPLOYMENT_NAME, autoscale: scale }),
            );
        azureGrafanaDashboardOf(name, { resourceGroupName, location, serializedData, tags }, childOpts);

        // All traffic to the deployment. Azure ML refuses an endpoint whose traffic names a
        // deployment that does not exist, and a deployment needs its endpoint first, so the split
        // cannot be an input of the endpoint on create. Nor can it be a second azure-native
        // resource at the endpoint's id: the provider refuses to create what already exists.
        // So, as `az ml online-deployment create --all-traffic` does, the order is:
        //   1. create the endpoint (no traffic), 2. create the deployment and wait for it,
        //   3. this command sets the split on the existing endpoint (`az ml online-endpoint update`).
        // On updates it runs again whenever the deployment or the endpoint's own settings change
        // (a PUT of the endpoint from those settings may reset the split); on destroy it sets the
        // split to 0 first, so the deployment can be deleted before its endpoint.
        const traffic = trafficCommands({ [AML_DEPLOYMENT_NAME]: 100 });
        new local.Command(
            `${name}-traffic`,
            {
                create: traffic.apply,
                update: traffic.apply,
                delete: traffic.release,
                environment: {
                    AML_SUBSCRIPTION: client.subscriptionId,
                    AML_RESOURCE_GROUP: resourceGroupName,
                    AML_WORKSPACE: workspace.name,
                    AML_ENDPOINT: endpoint.name,
                    AML_TRAFFIC: traffic.split,
                    AML_TRAFFIC_RELEASED: traffic.released,
                    // Not read by the script: a change to either re-runs it.
                    AML_DEPLOYMENT_ID: deployment.id,
                    AML_ENDPOINT_SETTINGS: JSON.stringify({ ...endpointProperties, tags }),
                },
            },
            { ...childOpts, dependsOn: [endpoint, deployment] },
        );

        // https://<endpoint>.<region>.inference.ml.azure.com/score -> .../v1
        this.endpoint = endpoint.properties.apply((p) => openAiBaseUrl((p.scoringUri ?? "https://pending").replace(/\/score$/, "")));
        this.apiKey =
            config.authMode === "Key"
                ? pulumi.secret(
                      ml
                          .listOnlineEndpointKeysOutput(
                              { resourceGroupName, workspaceName: workspace.name, endpointName: endpoint.name },
                              { parent: this },
                          )
                          .apply((k) => k.primaryKey ?? ""),
                  )
                : pulumi.secret(AAD_TOKEN_NOTE);
        this.registerOutputs({ endpoint: this.endpoint, apiKey: this.apiKey });
    }
}

/** A short stable number from text (environment versions must be new when the image changes). */
function hash(text: string): number {
    let h = 5381;
    for (let i = 0; i < text.length; i++) h = ((h * 33) ^ text.charCodeAt(i)) >>> 0;
    return h % 1_000_000_000;
}
