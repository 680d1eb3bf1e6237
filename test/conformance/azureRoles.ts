/**
 * Azure built-in role definitions by exact role name, as Microsoft publishes them
 * (https://learn.microsoft.com/en-us/azure/role-based-access-control/built-in-roles; each id
 * cross-checked against public role definitions on 2026-12-01). The conformance tier checks every
 * role id the program assigns, and every role the README tells a user to grant, against this table:
 * a typo in a GUID or a role name then fails CI instead of the first real deployment.
 */
export const BUILTIN_ROLE_IDS: Readonly<Record<string, string>> = {
    // General (https://learn.microsoft.com/en-us/azure/role-based-access-control/built-in-roles/general)
    Owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    Contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
    Reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
    // Networking (https://learn.microsoft.com/en-us/azure/role-based-access-control/built-in-roles/networking)
    "DNS Zone Contributor": "befefa01-2a29-4197-83a8-272ff33ce314",
    // Privileged (https://learn.microsoft.com/en-us/azure/role-based-access-control/built-in-roles/privileged)
    "Role Based Access Control Administrator": "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
    "User Access Administrator": "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
    // Security (https://learn.microsoft.com/en-us/azure/role-based-access-control/built-in-roles/security)
    "Key Vault Secrets User": "4633458b-17de-408a-b874-0445c86b69e6",
    "Key Vault Secrets Officer": "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
    // Containers (https://learn.microsoft.com/en-us/azure/role-based-access-control/built-in-roles/containers)
    "Azure Kubernetes Service Cluster User Role": "4abbcc35-e782-43d8-92c5-2d3f1bd2253f",
    "Azure Kubernetes Service Cluster Admin Role": "0ab0b1a8-8aac-4efd-b8c2-3ee1fb270be8",
    "Azure Kubernetes Service RBAC Cluster Admin": "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
    "Azure Kubernetes Service RBAC Admin": "3498e952-d568-435e-9b2c-8d77e338d7f7",
    "Azure Kubernetes Service RBAC Writer": "a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb",
    "Azure Kubernetes Service RBAC Reader": "7f6c6a51-bcf8-42ba-9220-52d62157d7db",
    // Monitor (https://learn.microsoft.com/en-us/azure/role-based-access-control/built-in-roles/monitor#monitoring-data-reader);
    // read access to Azure Monitor workspace (managed Prometheus) data, what KEDA queries.
    "Monitoring Data Reader": "b0d8363b-8ddd-447d-831f-62ca05bff136",
    // (…/monitor#monitoring-metrics-publisher): publish metrics to a data collection rule, what the gpuVm collector's remote write needs.
    "Monitoring Metrics Publisher": "3913510d-42f4-4e42-8a64-420c390055eb",
    // AI + machine learning (https://learn.microsoft.com/en-us/azure/role-based-access-control/built-in-roles/ai-machine-learning)
    "Azure Machine Learning Workspace Connection Secrets Reader": "ea01e6af-a1c1-4350-9563-ad00f8c72ec5",
    "AzureML Data Scientist": "f6c7c914-8db3-469d-8ca1-694a8f32e121",
};

/**
 * Azure resource provider operations a custom role of the program grants, as Microsoft publishes them
 * (https://learn.microsoft.com/en-us/azure/role-based-access-control/resource-provider-operations,
 * #microsoftcontainerservice and #microsoftinsights; cross-checked against the page's source on
 * 2026-12-02). Operation names are case-insensitive in ARM. Only the operations the program grants
 * are listed: a new action in a custom role fails the conformance tier until its row is added here.
 */
export const AZURE_OPERATIONS: Readonly<Record<string, string>> = {
    "Microsoft.ContainerService/managedClusters/agentPools/read": "Gets an agent pool",
    "Microsoft.ContainerService/managedClusters/agentPools/write": "Creates a new agent pool or updates an existing one",
    "Microsoft.Insights/AutoscaleSettings/Read": "Read an autoscale setting",
    "Microsoft.Insights/AutoscaleSettings/Write": "Create or update an autoscale setting",
};
