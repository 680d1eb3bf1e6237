/** Shared inputs of the gkeL4 tests: a valid target config and planted secret sentinels. */
export const API_KEY_SENTINEL = "sk-sentinel-gke-7c21e9";
export const HF_SENTINEL = "hf_sentinel_gke_51a0d4";
export const SECRETS = { apiKey: API_KEY_SENTINEL, hfToken: HF_SENTINEL };

export const GKE = {
    project: "acme-llm-test",
    region: "us-central1",
    zones: ["us-central1-a", "us-central1-b"],
    machineType: "g2-standard-4",
    nodes: { min: 2, max: 3 },
    replicas: 2,
    masterAuthorizedCidrs: ["203.0.113.0/24"],
    allowedCidrs: ["198.51.100.0/24"],
    domain: "gke.llm.example.com",
    acme: { email: "ops@example.com", cloudDnsZone: { name: "llm-zone", dnsName: "llm.example.com" } },
};

export const T = {
    component: "llm-serving:gcp:GkeL4Cluster",
    cluster: "gcp:container/cluster:Cluster",
    pool: "gcp:container/nodePool:NodePool",
    account: "gcp:serviceaccount/account:Account",
    accountIam: "gcp:serviceaccount/iAMMember:IAMMember",
    projectIam: "gcp:projects/iAMMember:IAMMember",
    secret: "gcp:secretmanager/secret:Secret",
    secretVersion: "gcp:secretmanager/secretVersion:SecretVersion",
    secretIam: "gcp:secretmanager/secretIamMember:SecretIamMember",
    nat: "gcp:compute/routerNat:RouterNat",
    router: "gcp:compute/router:Router",
    subnet: "gcp:compute/subnetwork:Subnetwork",
    dnsIam: "gcp:dns/dnsManagedZoneIamMember:DnsManagedZoneIamMember",
    provider: "pulumi:providers:kubernetes",
    namespace: "kubernetes:core/v1:Namespace",
    ksa: "kubernetes:core/v1:ServiceAccount",
    k8sSecret: "kubernetes:core/v1:Secret",
    providerClass: "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass",
    secretSync: "kubernetes:secret-sync.gke.io/v1:SecretSync",
    deployment: "kubernetes:apps/v1:Deployment",
    service: "kubernetes:core/v1:Service",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    release: "kubernetes:helm.sh/v3:Release",
    issuer: "kubernetes:cert-manager.io/v1:ClusterIssuer",
    certificate: "kubernetes:cert-manager.io/v1:Certificate",
} as const;
