// Azure platform services the stacks use: autoscale settings, Log Analytics, container
// registries, Key Vault secrets and keys.
import { Kind } from "../kind";

export const AZURE_PLATFORM = {
    autoscaleSetting: "azure-native:monitor:AutoscaleSetting",
    logWorkspace: "azure-native:operationalinsights:Workspace",
    registry: "azure-native:containerregistry:Registry",
    keyVaultSecret: "azure-native:keyvault:Secret",
    keyVaultKey: "azure-native:keyvault:Key",
} as const;

export const AZURE_PLATFORM_KINDS: ReadonlyArray<Kind> = [
    { name: "azure-autoscale-setting", provider: "azure", types: [AZURE_PLATFORM.autoscaleSetting] },
    { name: "azure-log-workspace", provider: "azure", types: [AZURE_PLATFORM.logWorkspace] },
    { name: "azure-container-registry", provider: "azure", types: [AZURE_PLATFORM.registry] },
    { name: "azure-key-vault-item", provider: "azure", types: [AZURE_PLATFORM.keyVaultSecret, AZURE_PLATFORM.keyVaultKey] },
];
