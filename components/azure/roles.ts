import * as pulumi from "@pulumi/pulumi";

/**
 * Built-in Azure role definition ids used by the Azure targets
 * (https://learn.microsoft.com/en-us/azure/role-based-access-control/built-in-roles).
 * Each grant is the narrowest role that lets the holder do its one job.
 */
export const BUILTIN_ROLES = {
    /** Read secret contents from a Key Vault that uses Azure RBAC. */
    keyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
    /** Create and update secrets in a Key Vault that uses Azure RBAC (the deployer, for our own secrets). */
    keyVaultSecretsOfficer: "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
    /** Read workspace connection secrets (Azure ML secret injection into online deployments). */
    amlWorkspaceConnectionSecretsReader: "ea01e6af-a1c1-4350-9563-ad00f8c72ec5",
    /** Administer an AKS cluster through Azure RBAC (local accounts are disabled): the deployer. */
    aksRbacClusterAdmin: "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
    /** Query an Azure Monitor workspace's Prometheus metrics (KEDA's scaler on aksGpu). */
    monitoringDataReader: "b0d8363b-8ddd-447d-831f-62ca05bff136",
    /** Publish metrics to a data collection rule (the gpuVm collector's remote write). */
    monitoringMetricsPublisher: "3913510d-42f4-4e42-8a64-420c390055eb",
} as const;

/** The built-in role each id above is, by its exact role name (checked by the conformance tier). */
export const BUILTIN_ROLE_NAMES: Readonly<Record<keyof typeof BUILTIN_ROLES, string>> = {
    keyVaultSecretsUser: "Key Vault Secrets User",
    keyVaultSecretsOfficer: "Key Vault Secrets Officer",
    amlWorkspaceConnectionSecretsReader: "Azure Machine Learning Workspace Connection Secrets Reader",
    aksRbacClusterAdmin: "Azure Kubernetes Service RBAC Cluster Admin",
    monitoringDataReader: "Monitoring Data Reader",
    monitoringMetricsPublisher: "Monitoring Metrics Publisher",
};

/** The full id a RoleAssignment needs for a built-in role in a subscription. */
export function roleDefinitionId(subscriptionId: pulumi.Input<string>, roleId: string): pulumi.Output<string> {
    return pulumi.interpolate`/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleId}`;
}

/**
 * Application ids of Microsoft's first-party public clients a person signs in with: Azure CLI
 * (also used by azd) and Azure PowerShell. A token issued to a signed-in user carries one of them
 * as its client id; a service principal's or managed identity's carries its own.
 */
export const USER_SIGN_IN_CLIENT_IDS: readonly string[] = [
    "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
    "1950a258-227b-4e31-a9cf-717495945fc2",
];

/**
 * The `principalType` of a role assignment to whoever runs Pulumi. azure-native sends `User` when
 * it is unset, and ARM refuses a service principal (a CI workflow's federated identity) with
 * UnmatchedPrincipalType; managed identities are service principals too.
 */
export function deployerPrincipalType(clientId: string): "User" | "ServicePrincipal" {
    return USER_SIGN_IN_CLIENT_IDS.includes(clientId.toLowerCase()) ? "User" : "ServicePrincipal";
}
