import { ResourceValidationPolicy } from "@pulumi/policy";
import { AKS } from "../model/azure/aks";
import { Read, readAt } from "../model/read";

export interface AksLocalAccountsAndRbacConfig {
    requireNetworkPolicy?: boolean;
}

const MANAGED_CLUSTER = AKS.managedCluster;

/**
 * AKS clusters authenticate through Entra ID only and authorize through Kubernetes and Azure RBAC
 * (origin: CKV_AZURE_141 disableLocalAccounts, CKV_AZURE_5 and AVD-AZU-0042 RBAC, CKV_AZURE_7
 * network policy). Local accounts would hand out a static admin kubeconfig that bypasses both.
 */
export const aksLocalAccountsAndRbac: ResourceValidationPolicy = {
    name: "aks-local-accounts-and-rbac",
    description: "AKS clusters must disable local accounts, enable Kubernetes RBAC and managed Entra ID with Azure RBAC, and set a network policy (CKV_AZURE_141, CKV_AZURE_5, AVD-AZU-0042, CKV_AZURE_7).",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            requireNetworkPolicy: {
                type: "boolean",
                default: true,
                description: "Require networkProfile.networkPolicy (CKV_AZURE_7).",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== MANAGED_CLUSTER) {
            return;
        }
        const report = (message: string) => reportViolation(`${args.name} [${args.type}]: ${message}`, args.urn);
        const requireTrue = (read: Read, fix: string) => {
            if (read.state === "unknown") {
                report(`${read.field} is unknown at preview. ${fix}`);
            } else if (!(read.state === "known" && read.value === true)) {
                report(`${read.field} is not true. ${fix}`);
            }
        };
        requireTrue(readAt(args.props, ["disableLocalAccounts"]), "Set disableLocalAccounts: true so no static admin credential exists (needs aadProfile.managed).");
        requireTrue(readAt(args.props, ["enableRBAC"]), "Set enableRBAC: true.");
        requireTrue(readAt(args.props, ["aadProfile", "managed"]), "Set aadProfile.managed: true (Entra ID integration).");
        requireTrue(readAt(args.props, ["aadProfile", "enableAzureRBAC"]), "Set aadProfile.enableAzureRBAC: true and grant access with role assignments.");
        if (args.getConfig<AksLocalAccountsAndRbacConfig>().requireNetworkPolicy ?? true) {
            const policy = readAt(args.props, ["networkProfile", "networkPolicy"]);
            if (policy.state === "unknown") {
                report(`${policy.field} is unknown at preview. Set it to cilium, calico or azure.`);
            } else if (policy.state === "absent" || String(policy.value).toLowerCase() === "none") {
                report(`${policy.field} is not set, so every pod can reach every other. Set it to cilium, calico or azure.`);
            }
        }
    },
};
