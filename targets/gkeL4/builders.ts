import type * as container from "@pulumi/gcp/container";
import { BREAKER_BASELINE_LABEL } from "../../policies/contract/breaker";
import type { IClusterIssuer } from "@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer";
import type { IIoK8sApiCoreV1Toleration } from "kubernetes-models/v1/Toleration";
import { LETS_ENCRYPT } from "../../components/k8s/certManager";
import { SECRET_DATA_KEYS } from "../../components/k8s/modelServer";
import { G2_L4_COUNT, G2MachineType, GkeL4Config } from "./config";

/**
 * Pure builders of the gkeL4 target: the cluster's and the GPU pool's arguments, the kubeconfig,
 * the objects that bring the API key from Secret Manager into the namespace, and cert-manager's
 * Cloud DNS issuer. The component (GkeL4Cluster.ts) only wires them into resources.
 */

/** The Google APIs this target calls, enabled by the program (logical name -> service). */
export const GKE_APIS = {
    /** The network, Cloud NAT, and the load balancer GKE creates for the Service. */
    compute: "compute.googleapis.com",
    /** The cluster and its node pool. */
    container: "container.googleapis.com",
    /** The nodes' and cert-manager's service accounts, Workload Identity bindings. */
    iam: "iam.googleapis.com",
    /** The API key and Hugging Face token. */
    secretManager: "secretmanager.googleapis.com",
    /** Project-level IAM bindings (the node account's role). */
    resourceManager: "cloudresourcemanager.googleapis.com",
    logging: "logging.googleapis.com",
    monitoring: "monitoring.googleapis.com",
} as const;
export type GkeApi = keyof typeof GKE_APIS;

/** Logical name of an API's Service resource: `<component>-api-<key>`, never the API's host name. */
export function apiResourceName(componentName: string, api: GkeApi): string {
    return `${componentName}-api-${api.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** Primary range of the nodes' subnet and its secondary ranges for pods and Services (VPC-native). */
export const NETWORK_RANGES = {
    nodes: "10.30.0.0/20",
    pods: { name: "pods", range: "10.32.0.0/14" },
    services: { name: "services", range: "10.36.0.0/20" },
    /** The control plane's private range (VPC peering): a /28 outside the ranges above. */
    controlPlane: "172.16.0.32/28",
} as const;

/**
 * The nodes' OAuth scopes: logs, metrics and read-only Storage (image layers from Artifact
 * Registry). Never cloud-platform: workloads reach Google APIs through Workload Identity, as
 * their own accounts, not through the node's.
 */
export const NODE_SCOPES = [
    "https://www.googleapis.com/auth/logging.write",
    "https://www.googleapis.com/auth/monitoring",
    "https://www.googleapis.com/auth/devstorage.read_only",
] as const;

/** GKE's role for a node service account that is not the default one (logs, metrics, autoscaling metrics). */
export const NODE_ACCOUNT_ROLE = "roles/container.defaultNodeServiceAccount";

/** The accelerator GKE attaches to every g2 machine. */
export const L4_ACCELERATOR = "nvidia-l4";
/** Kubernetes label and taint GKE puts on GPU nodes. */
export const GKE_ACCELERATOR_LABEL = "cloud.google.com/gke-accelerator";
export const GKE_SPOT_LABEL = "cloud.google.com/gke-spot";
export const GPU_RESOURCE = "nvidia.com/gpu";

/** Workload Identity pool of a project's GKE clusters. */
export function workloadPool(project: string): string {
    return `${project}.svc.id.goog`;
}

/** The IAM member a Kubernetes service account acts as under Workload Identity. */
export function workloadIdentityMember(project: string, namespace: string, serviceAccount: string): string {
    return `serviceAccount:${workloadPool(project)}[${namespace}/${serviceAccount}]`;
}

/**
 * A Kubernetes service account as an IAM principal of its own (Workload Identity Federation for
 * GKE, no IAM service account in between): IAM grants can name it directly. Needs the project's
 * number, which only the Resource Manager API knows.
 */
export function kubernetesPrincipal(projectNumber: string, project: string, namespace: string, serviceAccount: string): string {
    return `principal://iam.googleapis.com/projects/${projectNumber}/locations/global/workloadIdentityPools/${workloadPool(project)}/subject/ns/${namespace}/sa/${serviceAccount}`;
}

/** Annotation that links a Kubernetes service account to an IAM service account (Workload Identity). */
export const GKE_SERVICE_ACCOUNT_ANNOTATION = "iam.gke.io/gcp-service-account";

/**
 * An IAM service account id for `role` of component `name`: 6-30 characters of [a-z0-9-],
 * starting with a letter. Stable: derived from the component name and role only.
 */
export function accountId(name: string, role: string): string {
    const base = name.toLowerCase().replace(/[^a-z0-9-]/g, "-").replace(/^[^a-z]+/, "") || "llm";
    const id = `${base.slice(0, 29 - role.length)}-${role}`.replace(/-+/g, "-").replace(/-+$/, "");
    return id.length >= 6 ? id : `${id}-llm`;
}

/**
 * The cluster, hardened: private nodes (no external addresses; Cloud NAT for egress), the public
 * control-plane endpoint admitting only `masterAuthorizedCidrs` (not even other Google Cloud
 * addresses), Workload Identity, a release channel, Dataplane V2 (network policy), shielded
 * nodes, and GKE's secret sync (Secret Manager -> Kubernetes Secrets). Its default node pool is
 * removed at creation: the GPU pool is its own resource; the default pool exists only while the
 * cluster is created, and even then runs as `nodeServiceAccount`, never the default compute account.
 */
export function clusterArgs(
    cfg: GkeL4Config,
    a: { network: container.ClusterArgs["network"]; subnetwork: container.ClusterArgs["subnetwork"]; nodeServiceAccount: string; labels: Readonly<Record<string, string>> },
): container.ClusterArgs {
    return {
        project: cfg.project,
        // Regional: the control plane spans the region's zones; nodes run in `zones` (the pool's node locations).
        location: cfg.region,
        network: a.network,
        subnetwork: a.subnetwork,
        removeDefaultNodePool: true,
        initialNodeCount: 1,
        nodeConfig: {
            serviceAccount: a.nodeServiceAccount,
            oauthScopes: [...NODE_SCOPES],
            workloadMetadataConfig: { mode: "GKE_METADATA" },
            shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
        },
        releaseChannel: { channel: cfg.releaseChannel },
        minMasterVersion: MIN_MASTER_VERSION,
        workloadIdentityConfig: { workloadPool: workloadPool(cfg.project) },
        // Managed collection said, not left to the default for new clusters: the PodMonitoring
        // that scrapes the model server needs its CRDs and collectors on the cluster.
        monitoringConfig: { enableComponents: ["SYSTEM_COMPONENTS"], managedPrometheus: { enabled: true } },
        privateClusterConfig: {
            enablePrivateNodes: true,
            // The deployer applies Kubernetes objects through the public endpoint, limited below.
            enablePrivateEndpoint: false,
            masterIpv4CidrBlock: NETWORK_RANGES.controlPlane,
        },
        masterAuthorizedNetworksConfig: {
            cidrBlocks: cfg.masterAuthorizedCidrs.map((cidrBlock, i) => ({ cidrBlock, displayName: `deployer-${i + 1}` })),
            gcpPublicCidrsAccessEnabled: false,
        },
        ipAllocationPolicy: {
            clusterSecondaryRangeName: NETWORK_RANGES.pods.name,
            servicesSecondaryRangeName: NETWORK_RANGES.services.name,
        },
        datapathProvider: "ADVANCED_DATAPATH",
        enableShieldedNodes: true,
        secretSyncConfig: { enabled: true, rotationConfig: { enabled: true, rotationInterval: "120s" } },
        resourceLabels: { ...a.labels },
        // Pulumi owns the cluster's lifecycle (`pulumi destroy` must be able to delete it).
        deletionProtection: false,
    };
}

/**
 * The oldest control plane GKE may create: GKE's secret sync (Secret Manager -> Kubernetes
 * Secrets), which brings the API key into the namespace, needs GKE 1.34 or later
 * (https://cloud.google.com/secret-manager/docs/sync-k8-secrets). "1.34" is a version alias: GKE
 * picks the newest 1.34 patch it offers, and its release channel upgrades from there.
 */
export const MIN_MASTER_VERSION = "1.34";

/**
 * How long Helm waits for cert-manager's pods on the first install (seconds; Helm's default is
 * 300). The cluster's only pool is the spot GPU pool, which starts empty: cert-manager's pods wait
 * for the autoscaler to bring up a g2 node and GKE to install its GPU driver, which on a cold
 * start takes longer than five minutes.
 */
export const CERT_MANAGER_TIMEOUT_SECONDS = 900;

/**
 * Minutes a model server Deployment may take beyond its weights' load time before Pulumi gives
 * up on it: a cold spot scale-up of a g2 node, GKE's driver install, and the vLLM image pull.
 */
export const NODE_AND_IMAGE_MINUTES = 20;

/**
 * The Deployment's create/update timeouts (Pulumi's default is 10 minutes): a node and the image
 * (NODE_AND_IMAGE_MINUTES), then the model load the startup probe allows (`loadSeconds`), so
 * Pulumi does not fail a first `up` that Kubernetes would have finished.
 */
export function modelServerTimeouts(loadSeconds: number): { create: string; update: string } {
    const minutes = Math.ceil(loadSeconds / 60) + NODE_AND_IMAGE_MINUTES;
    return { create: `${minutes}m`, update: `${minutes}m` };
}

/** Surge upgrades: one extra node at a time, none unavailable, so replicas keep serving. */
export const POOL_UPGRADE = { strategy: "SURGE", maxSurge: 1, maxUnavailable: 0 } as const;

/**
 * The GPU pool: spot g2 nodes with their L4s, the NVIDIA driver installed by GKE, autoscaled
 * between the pool's TOTAL bounds (`totalMin/MaxNodeCount`, across zones, so `nodes.max` is the
 * exact ceiling; GKE's `maxNodeCount` would be per zone), running as `nodeServiceAccount`.
 */
export function nodePoolArgs(
    cfg: GkeL4Config,
    a: { cluster: container.NodePoolArgs["cluster"]; nodeServiceAccount: string; labels: Readonly<Record<string, string>> },
): container.NodePoolArgs {
    return {
        project: cfg.project,
        location: cfg.region,
        cluster: a.cluster,
        nodeLocations: [...cfg.zones],
        // Nodes come from the autoscaler (pending pods); the pool starts empty in every zone.
        initialNodeCount: 0,
        autoscaling: {
            totalMinNodeCount: cfg.nodes.min,
            totalMaxNodeCount: cfg.nodes.max,
            // Spot capacity: take it in whichever zone has it.
            locationPolicy: "ANY",
        },
        management: { autoRepair: true, autoUpgrade: true },
        upgradeSettings: { ...POOL_UPGRADE },
        nodeConfig: {
            machineType: cfg.machineType,
            spot: true,
            diskType: "pd-balanced",
            diskSizeGb: cfg.bootDiskGb,
            imageType: "COS_CONTAINERD",
            serviceAccount: a.nodeServiceAccount,
            oauthScopes: [...NODE_SCOPES],
            guestAccelerators: [
                {
                    type: L4_ACCELERATOR,
                    count: G2_L4_COUNT[cfg.machineType],
                    // GKE installs the driver that matches the node image; no DaemonSet of ours.
                    gpuDriverInstallationConfig: { gpuDriverVersion: "LATEST" },
                },
            ],
            workloadMetadataConfig: { mode: "GKE_METADATA" },
            shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
            metadata: { "disable-legacy-endpoints": "true" },
            // The pool's baseline (its minimum) for the circuit breaker, which lowers the pool's maximum to it.
            resourceLabels: { ...a.labels, [BREAKER_BASELINE_LABEL]: String(cfg.nodes.min) },
            labels: { "llm-serving/pool": "gpu" },
        },
    };
}

/**
 * CPU and memory of one replica on a g2 node: what is left of the machine after GKE's
 * reservations (kubelet, system daemons, eviction threshold) and the cluster's system pods,
 * which share these nodes.
 */
export const REPLICA_RESOURCES: Record<G2MachineType, { cpu: string; memory: string; memoryLimit: string }> = {
    "g2-standard-4": { cpu: "2", memory: "10Gi", memoryLimit: "12Gi" },
    "g2-standard-8": { cpu: "5", memory: "22Gi", memoryLimit: "26Gi" },
    "g2-standard-12": { cpu: "9", memory: "36Gi", memoryLimit: "40Gi" },
    "g2-standard-24": { cpu: "20", memory: "76Gi", memoryLimit: "84Gi" },
};

/** GKE taints GPU nodes when the cluster also has CPU pools; the model server tolerates that taint. */
export const GPU_TOLERATIONS: readonly IIoK8sApiCoreV1Toleration[] = [{ key: GPU_RESOURCE, operator: "Exists", effect: "NoSchedule" }];

/**
 * A kubeconfig for the cluster's public endpoint, signed in through `gke-gcloud-auth-plugin`
 * (the gcloud credentials of whoever runs Pulumi); no token is stored in it.
 */
export function gkeKubeconfig(endpoint: string, caCertificate: string, clusterName: string): string {
    return `apiVersion: v1
kind: Config
clusters:
- name: ${clusterName}
  cluster:
    server: https://${endpoint}
    certificate-authority-data: ${caCertificate}
contexts:
- name: ${clusterName}
  context:
    cluster: ${clusterName}
    user: ${clusterName}
current-context: ${clusterName}
users:
- name: ${clusterName}
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: gke-gcloud-auth-plugin
      installHint: Install gke-gcloud-auth-plugin (gcloud components install gke-gcloud-auth-plugin).
      provideClusterInfo: true
`;
}

/** A secret of Secret Manager the namespace receives: its id there and its key in the Kubernetes Secret. */
export interface SyncedSecret {
    readonly secretId: string;
    readonly key: string;
}

/** The secrets the model server needs: the API key, and the Hugging Face token when the stack has one. */
export function syncedSecrets(name: string, hfToken: boolean): SyncedSecret[] {
    return [
        { secretId: `${name}-api-key`, key: SECRET_DATA_KEYS.apiKey },
        ...(hfToken ? [{ secretId: `${name}-hf-token`, key: SECRET_DATA_KEYS.hfToken }] : []),
    ];
}

/**
 * The SecretProviderClass (GKE's Secret Manager provider) naming the secrets to read: names of
 * secrets, never values.
 */
export function secretProviderClass(a: { name: string; namespace: string; project: string; secrets: readonly SyncedSecret[]; labels?: Readonly<Record<string, string>> }) {
    const list = a.secrets.map((s) => `- resourceName: "projects/${a.project}/secrets/${s.secretId}/versions/latest"\n  path: "${s.key}"`).join("\n");
    return {
        apiVersion: "secrets-store.csi.x-k8s.io/v1",
        kind: "SecretProviderClass",
        metadata: { name: a.name, namespace: a.namespace, ...(a.labels ? { labels: { ...a.labels } } : {}) },
        spec: { provider: "gke", parameters: { secrets: `${list}\n` } },
    };
}

/**
 * The SecretSync that makes GKE's controller write the Kubernetes Secret `secretName` from
 * Secret Manager, reading as `serviceAccountName` through Workload Identity (and again every
 * rotation interval). The Deployment reads that Secret by reference, as on the other clusters.
 */
export function secretSync(a: { secretName: string; namespace: string; serviceAccountName: string; providerClass: string; secrets: readonly SyncedSecret[]; labels?: Readonly<Record<string, string>> }) {
    return {
        apiVersion: "secret-sync.gke.io/v1",
        kind: "SecretSync",
        metadata: { name: a.secretName, namespace: a.namespace, ...(a.labels ? { labels: { ...a.labels } } : {}) },
        spec: {
            serviceAccountName: a.serviceAccountName,
            secretProviderClassName: a.providerClass,
            secretObject: { type: "Opaque", data: a.secrets.map((s) => ({ sourcePath: s.key, targetKey: s.key })) },
        },
    };
}

/**
 * A ClusterIssuer for Let's Encrypt solving DNS-01 in a Cloud DNS zone with cert-manager's
 * ambient credentials: its Kubernetes service account acts, through Workload Identity, as an IAM
 * account that may edit that zone only. No key file, no secret.
 */
export function cloudDnsClusterIssuer(a: { name: string; email: string; staging: boolean; project: string; zoneName: string; dnsName: string }): IClusterIssuer & { metadata: { name: string } } {
    return {
        apiVersion: "cert-manager.io/v1",
        kind: "ClusterIssuer",
        metadata: { name: a.name },
        spec: {
            acme: {
                server: a.staging ? LETS_ENCRYPT.staging : LETS_ENCRYPT.production,
                email: a.email,
                privateKeySecretRef: { name: `${a.name}-account-key` },
                // The zone by name: its grant is on that zone only, which does not allow listing the project's zones.
                solvers: [{ selector: { dnsZones: [a.dnsName] }, dns01: { cloudDNS: { project: a.project, hostedZoneName: a.zoneName } } }],
            },
        },
    };
}
