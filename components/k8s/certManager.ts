import type { ICertificate } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate";
import type { IClusterIssuer } from "@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer";
import type { IIoK8sApiCoreV1Toleration } from "kubernetes-models/v1/Toleration";

/**
 * cert-manager with a Let's Encrypt (ACME) issuer: the TLS certificate of a cluster's model
 * endpoint, with no secret in the stack. The chart is pinned; the ClusterIssuer and Certificate are
 * explicit resources (typed by @kubernetes-models/cert-manager, schema-validated in tests), never
 * chart templates. The challenge is DNS-01: a TXT record in the domain's zone, so the endpoint's
 * client restrictions (`allowedCidrs`) stay in force (HTTP-01 would need port 80 open to the
 * internet for the CA's validators, whose addresses are not published).
 */

/** jetstack's cert-manager chart, pinned (chart version = app version). */
export const CERT_MANAGER_CHART = {
    chart: "cert-manager",
    version: "v1.19.2",
    repo: "https://charts.jetstack.io",
    namespace: "cert-manager",
} as const;

/** cert-manager's controller ServiceAccount (set in the chart values): the federated identity's subject. */
export const CERT_MANAGER_SERVICE_ACCOUNT = { namespace: CERT_MANAGER_CHART.namespace, name: "cert-manager" } as const;

export const LETS_ENCRYPT = {
    production: "https://acme-v02.api.letsencrypt.org/directory",
    staging: "https://acme-staging-v02.api.letsencrypt.org/directory",
} as const;

/** Label Azure Workload Identity's webhook looks for on pods and service accounts. */
export const AZURE_WORKLOAD_IDENTITY_LABEL = { "azure.workload.identity/use": "true" } as const;

/**
 * Helm values: CRDs installed (and kept on uninstall, so Certificates survive a chart removal),
 * every component tolerating `tolerations` (e.g. AKS's CriticalAddonsOnly system pool) and the
 * controller labelled for Azure Workload Identity when `azureWorkloadIdentity`.
 */
export function certManagerValues(opts: {
    readonly tolerations: readonly IIoK8sApiCoreV1Toleration[];
    readonly azureWorkloadIdentity: boolean;
}): Record<string, unknown> {
    const tolerations = [...opts.tolerations];
    return {
        crds: { enabled: true, keep: true },
        tolerations,
        webhook: { tolerations },
        cainjector: { tolerations },
        startupapicheck: { tolerations },
        // Named explicitly: the federated identity's subject names this account, whatever the release is called.
        serviceAccount: {
            name: CERT_MANAGER_SERVICE_ACCOUNT.name,
            ...(opts.azureWorkloadIdentity ? { labels: { ...AZURE_WORKLOAD_IDENTITY_LABEL } } : {}),
        },
        ...(opts.azureWorkloadIdentity ? { podLabels: { ...AZURE_WORKLOAD_IDENTITY_LABEL } } : {}),
    };
}

export interface AzureDnsAcmeIssuer {
    readonly name: string;
    readonly email: string;
    readonly staging: boolean;
    readonly subscriptionId: string;
    readonly resourceGroupName: string;
    readonly zoneName: string;
    /** Client id of the managed identity cert-manager signs in as (Workload Identity); an output at deploy time. */
    readonly identityClientId: string;
}

/** A ClusterIssuer for Let's Encrypt, solving DNS-01 in an Azure DNS zone through a managed identity. */
export function azureDnsClusterIssuer(issuer: AzureDnsAcmeIssuer): IClusterIssuer & { metadata: { name: string } } {
    return {
        apiVersion: "cert-manager.io/v1",
        kind: "ClusterIssuer",
        metadata: { name: issuer.name },
        spec: {
            acme: {
                server: issuer.staging ? LETS_ENCRYPT.staging : LETS_ENCRYPT.production,
                email: issuer.email,
                // The ACME account key cert-manager generates and keeps here (no secret of ours).
                privateKeySecretRef: { name: `${issuer.name}-account-key` },
                solvers: [
                    {
                        selector: { dnsZones: [issuer.zoneName] },
                        dns01: {
                            azureDNS: {
                                subscriptionID: issuer.subscriptionId,
                                resourceGroupName: issuer.resourceGroupName,
                                hostedZoneName: issuer.zoneName,
                                environment: "AzurePublicCloud",
                                managedIdentity: { clientID: issuer.identityClientId },
                            },
                        },
                    },
                ],
            },
        },
    };
}

/**
 * The endpoint's Certificate: a `kubernetes.io/tls` Secret named `secretName` in `namespace`, which
 * the route guard mounts, renewed by cert-manager 30 days before expiry with a fresh key.
 */
export function endpointCertificate(opts: {
    readonly name: string;
    readonly namespace: string;
    readonly secretName: string;
    readonly domain: string;
    readonly issuerName: string;
    readonly labels?: Readonly<Record<string, string>>;
}): ICertificate & { metadata: { name: string; namespace: string } } {
    return {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name: opts.name, namespace: opts.namespace, ...(opts.labels ? { labels: { ...opts.labels } } : {}) },
        spec: {
            secretName: opts.secretName,
            dnsNames: [opts.domain],
            issuerRef: { name: opts.issuerName, kind: "ClusterIssuer", group: "cert-manager.io" },
            privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
            renewBefore: "720h",
        },
    };
}
