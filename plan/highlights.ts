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
