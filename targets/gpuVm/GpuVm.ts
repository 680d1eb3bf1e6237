import * as pulumi from "@pulumi/pulumi";
import * as local from "@pulumi/command/local";
import * as authorization from "@pulumi/azure-native/authorization";
import * as compute from "@pulumi/azure-native/compute";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import * as random from "@pulumi/random";
import { AZURE_CPU_SIZES, GGUF_BUILDS, isGpuSize, ModelConfig, NotificationsConfig, ObservabilityConfig, TlsCertificate } from "../../config";
import { vmObservability } from "./observability";
import { vmMetricServer } from "./metrics";
import { GpuVmConfig } from "./config";
import { BUILTIN_ROLES, roleDefinitionId } from "../../components/azure/roles";
import { buildCloudInit, clientPort, nsgRules, SUBNET_RANGE, VM_IMAGE, VM_PRIVATE_IP, VNET_RANGE } from "./vm";
import { llamaCppServer, ModelServerSpec, openAiBaseUrl } from "../../components/serving";
import { keyVaultName, PURGE_DELETED_VAULT } from "../../components/azure/names";
import { azureVllmServer } from "../../components/azure/server";
import { modelAccessOf } from "../../components/modelAccess";

export interface GpuVmArgs {
    /** Validated `targets.gpuVm` config. */
    readonly config: GpuVmConfig;
    readonly model: ModelConfig;
    /** Azure tags for every taggable child (owner, cost-center, environment). */
    readonly tags: Readonly<Record<string, string>>;
    /** Bearer token clients must send. @default a generated 48-character key */
    readonly apiKey?: pulumi.Input<string>;
    /** Hugging Face token, for gated models. */
    readonly hfToken?: pulumi.Input<string>;
    /** The stack's certificate; required with `config.domain` (the route guard then serves HTTPS on 443). */
    readonly tls?: TlsCertificate;
    /** Alert thresholds (`llm-serving:observability`). */
    readonly observability?: ObservabilityConfig;
    /** Where the alerts go (`llm-serving:notifications`). */
    readonly notifications?: NotificationsConfig;
}

/** Names of the Key Vault secrets (stable: the VM's boot script reads them by name). */
export const VM_SECRET_NAMES = {
    apiKey: "api-key",
    hfToken: "hf-token",
    tlsCertificate: "tls-certificate",
    tlsPrivateKey: "tls-private-key",
    /** Not a secret: the Azure Monitor ingestion URL, kept beside the others so customData stays known at preview. */
    metricsIngestionUrl: "metrics-ingestion-url",
} as const;

/** The model server for a VM size: vLLM on GPU sizes, llama.cpp with a GGUF build on CPU sizes. */
export function vmServer(model: ModelConfig, vmSize: GpuVmConfig["vmSize"]): ModelServerSpec {
    if (isGpuSize(vmSize)) {
        return azureVllmServer(model, vmSize);
    }
    const gguf = GGUF_BUILDS[model.id];
    // The config schema refuses a CPU size for a model without a GGUF build; this is a backstop.
    if (!gguf) throw new Error(`no GGUF build of ${model.id} for the llama.cpp tier`);
    return llamaCppServer(model, { gguf, threads: AZURE_CPU_SIZES[vmSize].vcpus });
}

/**
 * One Linux VM serving the model: vLLM on a GPU size, llama.cpp on a CPU D-series size. SSH keys
 * only, an NSG that admits the model port from allowed CIDRs and SSH from admin CIDRs only, and
 * secrets in Key Vault read at boot through a user-assigned identity (never in customData).
 * The route guard (nginx) publishes only `/v1/` on the model port; with `domain` it serves HTTPS
 * on 443 instead, with the stack's certificate read from Key Vault at boot into a root-only tmpfs
 * directory (point the DNS name at the VM's public IP).
 */
export class GpuVm extends pulumi.ComponentResource {
    /** OpenAI-compatible base URL (`.../v1`). */
    public readonly endpoint: pulumi.Output<string>;
    /** Bearer token for the endpoint (secret). */
    public readonly apiKey: pulumi.Output<string>;

    constructor(name: string, args: GpuVmArgs, opts?: pulumi.ComponentResourceOptions) {
        // Which model this target downloads and whether it holds a token for it (the model-access policy).
        super("llm-serving:azure:GpuVm", name, modelAccessOf(args.model, args.hfToken), opts);
        const childOpts = { parent: this };
        const { config, tags } = args;
        const { location } = config;
        const server = vmServer(args.model, config.vmSize);
        if (config.domain && !args.tls) {
            // The config schema refuses this; a backstop for direct use of the component.
            throw new Error(`${name}: domain ${config.domain} needs the stack's TLS certificate`);
        }
        const tls = config.domain ? args.tls : undefined;

        const apiKey = pulumi.secret(
            args.apiKey ?? new random.RandomPassword(`${name}-api-key`, { length: 48, special: false }, childOpts).result,
        );
        const group = new resources.ResourceGroup(`${name}-rg`, { location, tags }, childOpts);
        const resourceGroupName = group.name;
        const client = authorization.getClientConfigOutput({ parent: this });

        // Identity and secrets: the VM reads its secrets from Key Vault through this identity only.
        const identity = new managedidentity.UserAssignedIdentity(`${name}-identity`, { resourceGroupName, location, tags }, childOpts);
        const vaultName = client.subscriptionId.apply((id) => keyVaultName(id, pulumi.getStack(), name));
        // Runs only on destroy, after the vault is gone (the vault depends on it): purges the
        // soft-deleted vault so that its fixed name is free for the stack's next `pulumi up`.
        const purge = new local.Command(
            `${name}-kv-purge`,
            {
                delete: PURGE_DELETED_VAULT,
                environment: { KV_SUBSCRIPTION: client.subscriptionId, KV_NAME: vaultName, KV_LOCATION: location },
            },
            childOpts,
        );
        const vault = new keyvault.Vault(
            `${name}-kv`,
            {
                vaultName,
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
            { ...childOpts, dependsOn: [purge] },
        );
        // Written through the management plane (Contributor suffices), read through the data plane.
        const secret = (role: string, secretName: string, value: pulumi.Input<string>) =>
            new keyvault.Secret(
                `${name}-${role}`,
                { resourceGroupName, vaultName: vault.name, secretName, properties: { value: pulumi.secret(value) }, tags },
                childOpts,
            );
        // Metrics (issue #18): vLLM's on GPU sizes, llama.cpp's server (started with --metrics) on CPU sizes.
        const metrics = vmObservability(this, name, {
            config,
            resourceGroupName,
            identityPrincipalId: identity.principalId,
            subscriptionId: client.subscriptionId,
            observability: args.observability,
            notifications: args.notifications,
            tags,
        });
        const secrets = [
            secret("api-key-secret", VM_SECRET_NAMES.apiKey, apiKey),
            secret("metrics-url-secret", VM_SECRET_NAMES.metricsIngestionUrl, metrics.ingestionUrl),
            ...(args.hfToken ? [secret("hf-token-secret", VM_SECRET_NAMES.hfToken, args.hfToken)] : []),
            ...(tls
                ? [
                      secret("tls-cert-secret", VM_SECRET_NAMES.tlsCertificate, tls.certificate),
                      secret("tls-key-secret", VM_SECRET_NAMES.tlsPrivateKey, tls.privateKey),
                  ]
                : []),
        ];
        const reader = new authorization.RoleAssignment(
            `${name}-kv-reader`,
            {
                principalId: identity.principalId,
                principalType: "ServicePrincipal",
                roleDefinitionId: roleDefinitionId(client.subscriptionId, BUILTIN_ROLES.keyVaultSecretsUser),
                scope: vault.id,
            },
            childOpts,
        );

        // Network: the NSG guards the subnet; Azure's default rules deny all other inbound traffic.
        const nsg = new network.NetworkSecurityGroup(
            `${name}-nsg`,
            { resourceGroupName, location, securityRules: nsgRules(config.allowedCidrs, config.sshAllowedCidrs, tls !== undefined), tags },
            childOpts,
        );
        const vnet = new network.VirtualNetwork(
            `${name}-vnet`,
            { resourceGroupName, location, addressSpace: { addressPrefixes: [VNET_RANGE] }, tags },
            // Subnets are their own resources; keep the VNet from claiming them.
            { ...childOpts, ignoreChanges: ["subnets"] },
        );
        const subnet = new network.Subnet(
            `${name}-subnet`,
            {
                resourceGroupName,
                virtualNetworkName: vnet.name,
                addressPrefix: SUBNET_RANGE,
                networkSecurityGroup: { id: nsg.id },
            },
            childOpts,
        );
        const publicIp = config.publicIp
            ? new network.PublicIPAddress(
                  `${name}-ip`,
                  {
                      resourceGroupName,
                      location,
                      sku: { name: "Standard", tier: "Regional" },
                      publicIPAllocationMethod: "Static",
                      publicIPAddressVersion: "IPv4",
                      tags,
                  },
                  childOpts,
              )
            : undefined;
        const nic = new network.NetworkInterface(
            `${name}-nic`,
            {
                resourceGroupName,
                location,
                ipConfigurations: [
                    {
                        name: "primary",
                        primary: true,
                        subnet: { id: subnet.id },
                        privateIPAllocationMethod: "Static",
                        privateIPAddress: VM_PRIVATE_IP,
                        ...(publicIp ? { publicIPAddress: { id: publicIp.id } } : {}),
                    },
                ],
                tags,
            },
            childOpts,
        );

        // Built from names known at preview (not from the vault's or identity's outputs), so the
        // pack can check it for secrets and unpinned images before anything exists.
        const customData = vaultName.apply((vault: string) =>
            Buffer.from(
                buildCloudInit({
                    server,
                    gpu: isGpuSize(config.vmSize),
                    vaultName: vault,
                    apiKeySecret: VM_SECRET_NAMES.apiKey,
                    hfTokenSecret: args.hfToken ? VM_SECRET_NAMES.hfToken : undefined,
                    metrics: { ingestionUrlSecret: VM_SECRET_NAMES.metricsIngestionUrl, server: vmMetricServer(isGpuSize(config.vmSize)) },
                    ...(tls
                        ? { tls: { certificateSecret: VM_SECRET_NAMES.tlsCertificate, privateKeySecret: VM_SECRET_NAMES.tlsPrivateKey } }
                        : {}),
                }),
            ).toString("base64"),
        );

        new compute.VirtualMachine(
            `${name}-vm`,
            {
                resourceGroupName,
                location,
                hardwareProfile: { vmSize: config.vmSize },
                ...(config.spot
                    ? {
                          priority: "Spot",
                          evictionPolicy: config.evictionPolicy,
                          // -1: pay up to on-demand (the cost policy then charges on-demand).
                          billingProfile: { maxPrice: config.spotMaxPrice ?? -1 },
                      }
                    : { priority: "Regular" }),
                identity: { type: "UserAssigned", userAssignedIdentities: [identity.id] },
                osProfile: {
                    computerName: "llm-serving",
                    adminUsername: config.adminUsername,
                    customData,
                    linuxConfiguration: {
                        disablePasswordAuthentication: true,
                        provisionVMAgent: true,
                        ssh: {
                            publicKeys: [
                                { path: `/home/${config.adminUsername}/.ssh/authorized_keys`, keyData: config.sshPublicKey },
                            ],
                        },
                    },
                },
                storageProfile: {
                    imageReference: { ...VM_IMAGE },
                    osDisk: {
                        createOption: "FromImage",
                        diskSizeGB: config.osDiskSizeGb,
                        managedDisk: { storageAccountType: "Premium_LRS" },
                        deleteOption: "Delete",
                    },
                },
                networkProfile: { networkInterfaces: [{ id: nic.id, primary: true, deleteOption: "Delete" }] },
                diagnosticsProfile: { bootDiagnostics: { enabled: true } },
                tags,
            },
            // The boot script reads the secrets: they and the grant must exist first.
            { ...childOpts, dependsOn: [...secrets, reader, metrics.publisher] },
        );

        const host = publicIp ? publicIp.ipAddress.apply((ip) => ip ?? "pending") : pulumi.output(VM_PRIVATE_IP);
        this.endpoint = config.domain
            ? pulumi.output(openAiBaseUrl(`https://${config.domain}`))
            : host.apply((h) => openAiBaseUrl(`http://${h}:${clientPort(false)}`));
        this.apiKey = apiKey;
        this.registerOutputs({ endpoint: this.endpoint, apiKey: this.apiKey });
    }
}
