/**
 * What the cloud itself (or the program that consumes a value) would refuse, field by field, with
 * where the limit is written down. The schema encodes each limit so that a value the cloud would
 * refuse stops the plan with the key instead of failing a deploy half-way; test/config/limits.test.ts
 * feeds each `refused` sample to the schema and expects the error at `key`. Fields whose bounds are
 * this program's choice (replica ceilings, priced SKUs) say so.
 */
export interface FieldLimit {
    /** Path below llm-serving: ("targets.eksInf2.vpcCidr"). */
    readonly key: string;
    readonly limit: string;
    readonly source: string;
    /** A value just past the limit, which the schema must refuse at `key`. */
    readonly refused: unknown;
}

export const FIELD_LIMITS: readonly FieldLimit[] = [
    { key: "tags.owner", limit: "label value: <= 63 lowercase letters, digits, '-', '_' (GCP is the strictest of the three clouds; Azure and AWS tag values allow 256)", source: "cloud.google.com/resource-manager/docs/labels-overview", refused: "A".repeat(64) },
    { key: "targets.gcpSpotL4.project", limit: "6-30 characters, lowercase letters, digits, hyphens, starting with a letter, not ending with a hyphen", source: "cloud.google.com/resource-manager/docs/creating-managing-projects", refused: "acme-" },
    { key: "targets.gcpSpotL4.zones", limit: "zones of the region that offer L4 GPUs; each once (a regional MIG's distributionPolicy.zones)", source: "cloud.google.com/compute/docs/gpus/gpu-regions-zones", refused: ["us-central1-f"] },
    { key: "targets.gcpSpotL4.initialDelaySec", limit: "autohealing initialDelaySec 0-3600", source: "cloud.google.com/compute/docs/reference/rest/v1/regionInstanceGroupManagers (autoHealingPolicies[].initialDelaySec)", refused: 3601 },
    { key: "targets.gcpSpotL4.allowedCidrs", limit: "Cloud Armor: at most 10 IP ranges per rule's srcIpRanges; never most of the internet (ADDRESS_LIMITS.client)", source: "cloud.google.com/armor/docs/security-policy-overview (rules: up to 10 IP address ranges)", refused: Array.from({ length: 11 }, (_, i) => `203.0.${i}.0/24`) },
    { key: "targets.gcpSpotL4.domain", limit: "a DNS name: <= 253 characters, labels <= 63", source: "RFC 1035 section 2.3.4", refused: `${"a".repeat(64)}.example.com` },
    { key: "targets.eksInf2.availabilityZones", limit: "at least two zones (EKS needs subnets in two AZs); each once", source: "docs.aws.amazon.com/eks/latest/userguide/network-reqs.html", refused: ["us-west-2a"] },
    { key: "targets.eksInf2.vpcCidr", limit: "a VPC block from /16 to /28, outside reserved ranges; the subnet plan needs /18 or larger", source: "docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html", refused: "10.0.0.0/15" },
    { key: "targets.eksInf2.existingNetwork.privateSubnetIds", limit: "subnet ids, 2-6, each once", source: "docs.aws.amazon.com/eks/latest/userguide/network-reqs.html", refused: ["subnet-0123abcd", "subnet-0123abcd"] },
    { key: "targets.eksInf2.apiAccessCidrs", limit: "publicAccessCidrs: IPv4 CIDRs; never most of the internet (ADDRESS_LIMITS.admin)", source: "docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html", refused: ["0.0.0.0/1", "128.0.0.0/1"] },
    { key: "targets.eksInf2.adminPrincipalArns", limit: "IAM role or user ARNs; one access entry per principal (IAM names are case-insensitive)", source: "docs.aws.amazon.com/eks/latest/userguide/access-entries.html", refused: ["arn:aws:iam::123456789012:role/A", "arn:aws:iam::123456789012:role/a"] },
    { key: "targets.eksInf2.kubernetesVersion", limit: "an EKS-supported version", source: "docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html", refused: "1.20" },
    { key: "targets.eksInf2.nodeVolumeGib", limit: "gp3: up to 16,384 GiB; the program allows 100-2000", source: "docs.aws.amazon.com/ebs/latest/userguide/general-purpose.html", refused: 2001 },
    { key: "targets.eksInf2.image", limit: "an image reference pinned to a tag (<= 128 characters) or a digest", source: "github.com/opencontainers/distribution-spec (tag grammar)", refused: "registry.example.com/x:" + "t".repeat(129) },
    { key: "targets.aksGpu.existingClusterId", limit: "an ARM id of Microsoft.ContainerService/managedClusters; cluster names 1-63 characters", source: "learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules", refused: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c" },
    { key: "targets.aksGpu.osDiskSizeGb", limit: "AKS osDiskSizeGB up to 2048", source: "learn.microsoft.com/rest/api/aks/agent-pools (osDiskSizeGB: 0-2048)", refused: 2049 },
    { key: "targets.aksGpu.apiServerAuthorizedRanges", limit: "IPv4 CIDRs; never most of the internet (ADDRESS_LIMITS.admin)", source: "learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges", refused: ["1.2.3.4/0"] },
    { key: "targets.aksGpu.adminGroupObjectIds", limit: "Entra object ids (GUIDs), each once", source: "learn.microsoft.com/azure/aks/manage-azure-rbac", refused: ["0f0e0d0c-0b0a-0908-0706-050403020100", "0F0E0D0C-0B0A-0908-0706-050403020100"] },
    { key: "targets.aksGpu.namespace", limit: "a DNS-1123 label: <= 63 lowercase letters, digits and '-'", source: "kubernetes.io/docs/concepts/overview/working-with-objects/names", refused: "n".repeat(64) },
    { key: "targets.azureMl.requestTimeoutSeconds", limit: "request_timeout_ms at most 180,000", source: "learn.microsoft.com/azure/machine-learning/reference-yaml-deployment-managed-online (request_settings)", refused: 181 },
    { key: "targets.gpuVm.adminUsername", limit: "Linux admin names: not a reserved name (root, admin, administrator, azure, ...)", source: "learn.microsoft.com/azure/virtual-machines/linux/faq (what are the username requirements)", refused: "root" },
    { key: "targets.gpuVm.sshPublicKey", limit: "RSA (>= 2048 bits) or Ed25519 in OpenSSH format", source: "learn.microsoft.com/azure/virtual-machines/linux/mac-create-ssh-keys", refused: "ssh-dss AAAAB3NzaC1kc3M" },
    { key: "targets.gpuVm.sshAllowedCidrs", limit: "NSG source prefixes; never most of the internet (ADDRESS_LIMITS.admin)", source: "learn.microsoft.com/azure/virtual-network/network-security-groups-overview", refused: ["0.0.0.0/1", "128.0.0.0/1"] },
    { key: "targets.gpuVm.spotMaxPrice", limit: "billingProfile.maxPrice: -1, or a price above 0", source: "learn.microsoft.com/azure/virtual-machines/spot-vms (pricing)", refused: 0 },
    { key: "targets.gpuVm.osDiskSizeGb", limit: "OS disks up to 4,095 GiB; the program allows 64-1024", source: "learn.microsoft.com/azure/virtual-machines/managed-disks-overview", refused: 1025 },
];
