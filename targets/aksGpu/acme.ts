/**
 * What cert-manager needs on AKS to answer Let's Encrypt's DNS-01 challenge in Azure DNS: a
 * user-assigned identity, federated with the cluster's OIDC issuer for cert-manager's service
 * account (Azure Workload Identity: no client secret anywhere), holding DNS Zone Contributor on the
 * one zone (Azure's built-in role for managing a zone's record sets; the narrowest that covers TXT).
 */
export const DNS_ZONE_CONTRIBUTOR_ROLE = "befefa01-2a29-4197-83a8-272ff33ce314";
/** Audience Azure Workload Identity tokens are issued for. */
export const WORKLOAD_IDENTITY_AUDIENCE = "api://AzureADTokenExchange";

/** The federated credential's subject for a Kubernetes service account. */
export function serviceAccountSubject(namespace: string, name: string): string {
    return `system:serviceaccount:${namespace}:${name}`;
}
