import type { IIoK8sApiCoreV1Toleration } from "kubernetes-models/v1/Toleration";
import { AKS_CLUSTER_ID, AZURE_GPU_SIZES } from "../../config";
import { AksGpuConfig } from "./config";
import { BUILTIN_ROLES } from "../../components/azure/roles";

/**
 * Pure builders for the AKS target: cluster security settings, the GPU pool, how pods land on
 * it and the NVIDIA device plugin's values. The component only wires them into resources.
 */

/** NVIDIA's device plugin chart (advertises `nvidia.com/gpu`), pinned. */
export const DEVICE_PLUGIN_CHART = {
    chart: "nvidia-device-plugin",
    version: "0.17.1",
    repo: "https://nvidia.github.io/k8s-device-plugin",
} as const;

export const GPU_RESOURCE = "nvidia.com/gpu";
/** Agent pool names: lowercase, at most 12 characters for Linux pools. */
export const SYSTEM_POOL_NAME = "system";
export const GPU_POOL_NAME = "gpu";
/** Our taint on the GPU pool: only pods that tolerate it (the model server, the device plugin) land there. */
export const GPU_TAINT = { key: GPU_RESOURCE, value: "present", effect: "NoSchedule" } as const;
/** AKS puts this taint on every spot node itself. */
export const SPOT_TAINT = { key: "kubernetes.azure.com/scalesetpriority", value: "spot", effect: "NoSchedule" } as const;
/** Label on GPU nodes; the device plugin chart's default node affinity selects it. */
export const GPU_NODE_LABELS = { "nvidia.com/gpu.present": "true", "llm-serving/pool": GPU_POOL_NAME } as const;

/** Built-in role that lets a principal administer the cluster through Azure RBAC. */
export const AKS_RBAC_CLUSTER_ADMIN_ROLE = BUILTIN_ROLES.aksRbacClusterAdmin;

/** Resource group and cluster name of an existing cluster's resource id. */
export function parseClusterId(id: string): { resourceGroupName: string; clusterName: string } {
    const m = AKS_CLUSTER_ID.exec(id);
    if (!m) throw new Error(`not an AKS cluster resource id: ${id}`);
    return { resourceGroupName: m[1], clusterName: m[2] };
}

/** Security-relevant cluster settings (Checkov's AKS checks, e.g. CKV_AZURE_141 for local accounts). */
export function clusterSecurity(config: AksGpuConfig) {
    return {
        enableRBAC: true,
        // Entra ID sign-in with Azure RBAC; no static admin kubeconfig exists.
        disableLocalAccounts: true,
        aadProfile: {
            managed: true,
            enableAzureRBAC: true,
            ...(config.adminGroupObjectIds.length > 0 ? { adminGroupObjectIDs: [...config.adminGroupObjectIds] } : {}),
        },
        apiServerAccessProfile: config.privateCluster
            ? { enablePrivateCluster: true }
            : { authorizedIPRanges: [...config.apiServerAuthorizedRanges] },
        networkProfile: {
            networkPlugin: "azure",
            networkPluginMode: "overlay",
            networkPolicy: config.networkPolicy,
            ...(config.networkPolicy === "cilium" ? { networkDataplane: "cilium" } : {}),
            loadBalancerSku: "standard",
            outboundType: "loadBalancer",
        },
    };
}

/** The inline system pool: fixed size (no autoscaling), so its cost bound is its count. */
export function systemPoolProfile(config: AksGpuConfig) {
    return {
        name: SYSTEM_POOL_NAME,
        mode: "System",
        vmSize: config.systemPool.vmSize,
        count: config.systemPool.count,
        enableAutoScaling: false,
        osType: "Linux",
        osSKU: "AzureLinux",
        type: "VirtualMachineScaleSets",
        enableNodePublicIP: false,
        // Only critical add-ons run here; workloads go to user pools.
        nodeTaints: ["CriticalAddonsOnly=true:NoSchedule"],
    };
}

/**
 * The GPU user pool: autoscaled between `nodes.min` and `nodes.max` (the bound the cost policy
 * reads), tainted, no public IPs; on spot, eviction deletes the node (Deallocate would keep
 * holding quota and disk) and the max price is explicit. Priority and max price cannot change
 * after creation: changing them replaces the pool.
 */
export function gpuPoolSpec(config: AksGpuConfig) {
    return {
        agentPoolName: GPU_POOL_NAME,
        mode: "User",
        vmSize: config.vmSize,
        enableAutoScaling: true,
        minCount: config.nodes.min,
        maxCount: config.nodes.max,
        count: config.nodes.min,
        osType: "Linux",
        osSKU: "Ubuntu",
        osDiskSizeGB: config.osDiskSizeGb,
        type: "VirtualMachineScaleSets",
        enableNodePublicIP: false,
        // AKS installs the NVIDIA driver; the device plugin comes from NVIDIA's chart.
        gpuProfile: { driver: "Install" },
        nodeTaints: [`${GPU_TAINT.key}=${GPU_TAINT.value}:${GPU_TAINT.effect}`],
        nodeLabels: { ...GPU_NODE_LABELS },
        ...(config.spot
            ? { scaleSetPriority: "Spot", scaleSetEvictionPolicy: "Delete", spotMaxPrice: config.spotMaxPrice ?? -1 }
            : { scaleSetPriority: "Regular" }),
    };
}

/** Tolerations a pod needs to run on the GPU pool (plus AKS's own spot taint on spot pools). */
export function gpuTolerations(spot: boolean): IIoK8sApiCoreV1Toleration[] {
    return [
        { key: GPU_TAINT.key, operator: "Equal", value: GPU_TAINT.value, effect: GPU_TAINT.effect },
        ...(spot ? [{ key: SPOT_TAINT.key, operator: "Equal" as const, value: SPOT_TAINT.value, effect: SPOT_TAINT.effect }] : []),
    ];
}

/** CPU and memory of one replica: half the node's CPUs, half its memory (limit three quarters). */
export function replicaResources(config: AksGpuConfig): { cpu: string; memory: string; memoryLimit: string } {
    const size = AZURE_GPU_SIZES[config.vmSize];
    return {
        cpu: String(Math.max(1, Math.floor(size.vcpus / 2))),
        memory: `${Math.floor(size.memoryGb / 2)}Gi`,
        memoryLimit: `${Math.floor((size.memoryGb * 3) / 4)}Gi`,
    };
}

/** Helm values of the device plugin: only on GPU nodes, tolerating their taints. */
export function devicePluginValues(spot: boolean): Record<string, unknown> {
    return {
        nodeSelector: { "llm-serving/pool": GPU_POOL_NAME },
        tolerations: gpuTolerations(spot),
        priorityClassName: "system-node-critical",
    };
}
