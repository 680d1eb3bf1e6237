import * as pulumi from "@pulumi/pulumi";

/**
 * Built-in Azure role definition ids used by the Azure targets (Azure built-in roles reference).
 * Each grant is the narrowest role that lets the holder do its one job.
 */
export const BUILTIN_ROLES = {
    /** Read secret contents from a Key Vault that uses Azure RBAC. */
    keyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
    /** Create and update secrets in a Key Vault that uses Azure RBAC (the deployer, for our own secrets). */
    keyVaultSecretsOfficer: "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
    /** Read workspace connection secrets (Azure ML secret injection into online deployments). */
    amlWorkspaceConnectionSecretsReader: "ea01e6af-a1c1-4350-9563-ad00f8c72ec5",
} as const;

/** The full id a RoleAssignment needs for a built-in role in a subscription. */
export function roleDefinitionId(subscriptionId: pulumi.Input<string>, roleId: string): pulumi.Output<string> {
    return pulumi.interpolate`/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleId}`;
}
