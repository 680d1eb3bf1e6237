/**
 * The inputs a reviewer looks at first, per resource type, shown under each resource in the
 * text plan (the JSON plan carries every input). Paths are dotted; `[]` maps over a list.
 */
export const HIGHLIGHTS: Record<string, readonly string[]> = {
    "gcp:compute/instanceTemplate:InstanceTemplate": [
        "machineType",
        "scheduling.provisioningModel",
        "disks[].diskSizeGb",
        "disks[].sourceImage",
        "serviceAccount.scopes",
        "networkInterfaces[].accessConfigs",
    ],
    "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager": [
        "distributionPolicyZones",
        "autoHealingPolicies.initialDelaySec",
        "namedPorts[].port",
    ],
    "gcp:compute/regionAutoscaler:RegionAutoscaler": ["autoscalingPolicy.minReplicas", "autoscalingPolicy.maxReplicas"],
    "gcp:compute/healthCheck:HealthCheck": ["httpHealthCheck.requestPath", "httpHealthCheck.port"],
    "gcp:compute/firewall:Firewall": ["direction", "sourceRanges", "allows[].ports"],
    "gcp:compute/securityPolicy:SecurityPolicy": ["rules[].action"],
    "gcp:compute/backendService:BackendService": ["loadBalancingScheme", "timeoutSec", "backends[].maxRatePerInstance"],
    "gcp:compute/globalForwardingRule:GlobalForwardingRule": ["portRange", "loadBalancingScheme"],
    "gcp:serviceaccount/account:Account": ["accountId"],
    "gcp:projects/iAMMember:IAMMember": ["role"],
    "gcp:serviceaccount/iAMMember:IAMMember": ["role"],
    "gcp:secretmanager/secret:Secret": ["secretId"],
    "gcp:secretmanager/secretVersion:SecretVersion": ["secretData"],
    "gcp:secretmanager/secretIamMember:SecretIamMember": ["role"],
    "random:index/randomPassword:RandomPassword": ["length"],
    // Azure targets
    "azure-native:containerservice:ManagedCluster": [
        "sku.tier",
        "disableLocalAccounts",
        "aadProfile.enableAzureRBAC",
        "apiServerAccessProfile.authorizedIPRanges",
        "apiServerAccessProfile.enablePrivateCluster",
        "networkProfile.networkPolicy",
        "agentPoolProfiles[].vmSize",
        "agentPoolProfiles[].count",
    ],
    "azure-native:containerservice:AgentPool": [
        "vmSize",
        "minCount",
        "maxCount",
        "scaleSetPriority",
        "spotMaxPrice",
        "nodeTaints",
        "enableNodePublicIP",
    ],
    "kubernetes:helm.sh/v3:Release": ["chart", "version"],
    "kubernetes:apps/v1:Deployment": ["spec.replicas", "spec.template.spec.containers[].image"],
    "kubernetes:core/v1:Service": ["spec.type", "spec.loadBalancerSourceRanges"],
    "kubernetes:policy/v1:PodDisruptionBudget": ["spec.maxUnavailable"],
    "azure-native:compute:VirtualMachine": [
        "hardwareProfile.vmSize",
        "priority",
        "evictionPolicy",
        "billingProfile.maxPrice",
        "osProfile.linuxConfiguration.disablePasswordAuthentication",
    ],
    "azure-native:network:NetworkSecurityGroup": ["securityRules[].destinationPortRange", "securityRules[].sourceAddressPrefixes"],
    "azure-native:authorization:RoleAssignment": ["roleDefinitionId"],
    "azure-native:machinelearningservices:Workspace": ["publicNetworkAccess"],
    "azure-native:machinelearningservices:OnlineEndpoint": ["properties.authMode", "properties.publicNetworkAccess"],
    "azure-native:machinelearningservices:OnlineDeployment": ["properties.instanceType", "sku.capacity"],
    "azure-native:monitor:AutoscaleSetting": ["profiles[].capacity.minimum", "profiles[].capacity.maximum"],
};

/** Reads a dotted path with `[]` list mapping; undefined where absent. */
export function readPath(value: unknown, dotted: string): unknown {
    let current: unknown[] = [value];
    let mapped = false;
    for (const part of dotted.split(".")) {
        const list = part.endsWith("[]");
        const key = list ? part.slice(0, -2) : part;
        current = current.flatMap((v) => {
            const next = v !== null && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined;
            if (list) {
                mapped = true;
                return Array.isArray(next) ? next : [];
            }
            return [next];
        });
    }
    const present = current.filter((v) => v !== undefined);
    if (present.length === 0) return undefined;
    return mapped ? present : present[0];
}
