// What the program's Azure circuit breaker (stack/breaker/azure.ts) and the pack's least-privilege
// check (policies/breaker/azure.ts) must agree on: the ARM actions its role grants, and the
// component type its resources are declared under.

/** The ARM operations the function performs (functions/breaker/entry/azure.ts): read and PUT of agent pools and of autoscale settings. */
export const BREAKER_AZURE_ACTIONS = [
    "Microsoft.ContainerService/managedClusters/agentPools/read",
    "Microsoft.ContainerService/managedClusters/agentPools/write",
    "Microsoft.Insights/autoscalesettings/read",
    "Microsoft.Insights/autoscalesettings/write",
] as const;

/** The breaker's component type: its resources carry it in their URN (parent chain). */
export const AZURE_BREAKER_COMPONENT = "llm-serving:breaker:AzureBreaker";
