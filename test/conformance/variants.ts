/**
 * The variant matrix: stack configs beside the committed stacks, so that every target is planned in
 * every mode its schema admits (GPU and CPU, spot and on-demand, TLS on and off...) and each mode's
 * artifacts meet their real consumers. Values are the llm-serving namespace's keys, as a stack file
 * would hold them; `secrets` become `secure:` values.
 */
export interface Variant {
    readonly name: string;
    readonly config: Record<string, unknown>;
    readonly secrets?: Record<string, string>;
}

const tags = { owner: "ml-platform", costCenter: "cc-1234" };
const cidrs = ["203.0.113.0/24"];
const EKS_IMAGE = "123456789012.dkr.ecr.us-west-2.amazonaws.com/llm-serving/neuron-ray-serve:vllm0.9.1-ray2.46.0";

/** A stack certificate of the right PEM shape (the plan never checks more than that). */
const tlsSecrets = {
    tlsCertificate: "-----BEGIN CERTIFICATE-----\nVmFyaWFudENlcnRpZmljYXRl\n-----END CERTIFICATE-----\n",
    tlsPrivateKey: "-----BEGIN PRIVATE KEY-----\nVmFyaWFudFByaXZhdGVLZXk=\n-----END PRIVATE KEY-----\n",
};
const sshPublicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJfoWyC9ZHstsumTKS3eh/fuQYXsbvuvDYGhGjnDN5/H a@example.com";

const aks = {
    location: "eastus",
    vmSize: "Standard_NC24ads_A100_v4",
    nodes: { min: 1, max: 2 },
    replicas: 2,
    apiServerAuthorizedRanges: cidrs,
    allowedCidrs: cidrs,
};
const vm = { location: "eastus", sshPublicKey, sshAllowedCidrs: cidrs, allowedCidrs: cidrs };
const gcp = { project: "acme-llm-conformance", region: "us-central1", machineType: "g2-standard-4", replicas: { min: 2, max: 3 }, allowedCidrs: cidrs };
const eks = {
    region: "us-west-2",
    instanceTypes: ["inf2.8xlarge"],
    maxNodes: 2,
    replicas: { min: 1, max: 2 },
    allowedCidrs: cidrs,
    apiAccessCidrs: cidrs,
    image: "123456789012.dkr.ecr.us-west-2.amazonaws.com/llm-serving/neuron-ray-serve:vllm0.9.1-ray2.46.0",
};
/** PEM-shaped placeholders (the plan checks shape only; the nginx checks mount a real test certificate). */
const stackTls = {
    tlsCertificate: "-----BEGIN CERTIFICATE-----\nQ29uZm9ybWFuY2VWYXJpYW50Q2VydA==\n-----END CERTIFICATE-----\n",
    tlsPrivateKey: "-----BEGIN PRIVATE KEY-----\nQ29uZm9ybWFuY2VWYXJpYW50S2V5\n-----END PRIVATE KEY-----\n",
};

const RAW_VARIANTS: readonly Variant[] = [
    {
        name: "gpuVm CPU (llama.cpp), on demand",
        config: { tags, targets: { gpuVm: { location: "eastus", vmSize: "Standard_D4s_v5", sshAllowedCidrs: cidrs, allowedCidrs: cidrs, sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJfoWyC9ZHstsumTKS3eh/fuQYXsbvuvDYGhGjnDN5/H a@example.com" } } },
    },
    {
        name: "eksInf2 on demand",
        config: {
            tags,
            targets: {
                eksInf2: {
                    region: "us-west-2",
                    instanceTypes: ["inf2.8xlarge"],
                    capacityType: "on-demand",
                    maxNodes: 2,
                    replicas: { min: 1, max: 2 },
                    allowedCidrs: cidrs,
                    apiAccessCidrs: cidrs,
                    image: "123456789012.dkr.ecr.us-west-2.amazonaws.com/llm-serving/neuron-ray-serve:vllm0.9.1-ray2.46.0",
                },
            },
        },
    },
    // eksInf2: spot with TLS, several sizes, the extremes of the replica bounds, both regions.
    {
        name: "eksInf2 spot, TLS, inf2.xlarge + inf2.8xlarge, 2-4 replicas, existing spot role",
        config: {
            tags,
            targets: {
                eksInf2: {
                    region: "us-west-2",
                    instanceTypes: ["inf2.xlarge", "inf2.8xlarge"],
                    capacityType: "spot",
                    spotServiceLinkedRole: "existing",
                    maxNodes: 4,
                    replicas: { min: 2, max: 4 },
                    allowedCidrs: cidrs,
                    apiAccessCidrs: cidrs,
                    domain: "eks.llm.example.com",
                    image: EKS_IMAGE,
                    chatUi: true,
                    chatUiImage: "123456789012.dkr.ecr.us-west-2.amazonaws.com/llm-serving/chat-ui:gradio5.9.1",
                },
            },
        },
        secrets: {
            tlsCertificate: "-----BEGIN CERTIFICATE-----\nMIIBconformance\n-----END CERTIFICATE-----\n",
            tlsPrivateKey: "-----BEGIN PRIVATE KEY-----\nMIIEconformance\n-----END PRIVATE KEY-----\n",
        },
    },
    {
        name: "eksInf2 spot, inf2.24xlarge + inf2.48xlarge (6 and 12 devices per node), 1-24 replicas, GCS fault tolerance, existing network, us-east-1",
        config: {
            tags,
            targets: {
                eksInf2: {
                    region: "us-east-1",
                    availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
                    existingNetwork: {
                        vpcId: "vpc-0123abcd",
                        privateSubnetIds: ["subnet-0123abc1", "subnet-0123abc2"],
                        publicSubnetIds: ["subnet-0123abc3", "subnet-0123abc4"],
                    },
                    kubernetesVersion: "1.34",
                    instanceTypes: ["inf2.24xlarge", "inf2.48xlarge"],
                    capacityType: "spot",
                    maxNodes: 2,
                    replicas: { min: 1, max: 24 },
                    gcsFaultTolerance: true,
                    apiAccessCidrs: ["203.0.113.0/24", "198.51.100.0/28"],
                    adminPrincipalArns: ["arn:aws:iam::123456789012:role/platform-admin"],
                    image: EKS_IMAGE,
                },
            },
        },
    },
    {
        name: "eksInf2 on demand, one inf2.xlarge, 1 replica",
        config: {
            tags,
            targets: {
                eksInf2: { region: "us-west-2", instanceTypes: ["inf2.xlarge"], maxNodes: 1, replicas: { min: 1, max: 1 }, apiAccessCidrs: cidrs, image: EKS_IMAGE },
            },
        },
    },
    // Azure: AKS spot and on-demand, TLS on and off, a new cluster and an existing one; Azure ML
    // with key and Entra token auth; the VM on GPU (on demand, TLS, no public IP) as well as CPU.
    {
        name: "aksGpu on demand, TLS off",
        config: { tags, targets: { aksGpu: { location: "eastus", vmSize: "Standard_NC24ads_A100_v4", nodes: { min: 0, max: 1 }, apiServerAuthorizedRanges: cidrs, allowedCidrs: cidrs } } },
    },
    {
        name: "aksGpu spot, TLS on",
        config: {
            tags,
            targets: {
                aksGpu: {
                    location: "eastus",
                    vmSize: "Standard_NC24ads_A100_v4",
                    nodes: { min: 1, max: 2 },
                    replicas: 2,
                    spot: true,
                    spotMaxPrice: 1.0,
                    apiServerAuthorizedRanges: cidrs,
                    allowedCidrs: cidrs,
                    domain: "aks.variant.example.com",
                },
            },
        },
        secrets: tlsSecrets,
    },
    {
        name: "aksGpu on an existing cluster",
        config: {
            tags,
            targets: {
                aksGpu: {
                    location: "eastus",
                    existingClusterId: "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/platform-rg/providers/Microsoft.ContainerService/managedClusters/platform-aks",
                    vmSize: "Standard_NC24ads_A100_v4",
                    nodes: { min: 0, max: 1 },
                    allowedCidrs: cidrs,
                },
            },
        },
    },
    {
        name: "azureMl AADToken auth",
        config: { tags, targets: { azureMl: { location: "eastus", instanceType: "Standard_NC24ads_A100_v4", instances: { min: 1, max: 2 }, authMode: "AADToken" } } },
    },
    {
        name: "gpuVm GPU on demand, TLS on, no public IP",
        config: {
            tags,
            targets: {
                gpuVm: {
                    location: "eastus",
                    vmSize: "Standard_NC24ads_A100_v4",
                    publicIp: false,
                    sshPublicKey,
                    domain: "vm.variant.example.com",
                },
            },
        },
        secrets: tlsSecrets,
    },
    // Route guards, boot scripts and cloud-configs in every mode (helper "nginx").
    {
        name: "aksGpu on demand, plain HTTP",
        config: { tags, targets: { aksGpu: { ...aks, spot: false } } },
    },
    {
        name: "aksGpu spot, TLS with the stack certificate",
        config: { tags, targets: { aksGpu: { ...aks, spot: true, spotMaxPrice: 1.0, domain: "aks.llm.example.com" } } },
        secrets: { ...stackTls, apiKey: "sk-variant-aks-tls" },
    },
    {
        name: "gpuVm GPU spot, TLS, with hfToken",
        config: { tags, targets: { gpuVm: { ...vm, vmSize: "Standard_NC4as_T4_v3", spot: true, spotMaxPrice: 0.2, domain: "vm.llm.example.com" } } },
        secrets: { ...stackTls, hfToken: "hf_variant_vm" },
    },
    {
        name: "gpuVm GPU on demand, plain HTTP",
        config: { tags, targets: { gpuVm: { ...vm, vmSize: "Standard_NC4as_T4_v3", spot: false } } },
    },
    {
        name: "gpuVm CPU (llama.cpp), TLS",
        config: { tags, targets: { gpuVm: { ...vm, vmSize: "Standard_D4s_v5", domain: "vm.llm.example.com" } } },
        secrets: stackTls,
    },
    {
        name: "gcpSpotL4 without hfToken",
        config: { tags, targets: { gcpSpotL4: gcp } },
    },
    {
        name: "gcpSpotL4 with hfToken, two GPUs",
        config: { tags, targets: { gcpSpotL4: { ...gcp, machineType: "g2-standard-24" } } },
        secrets: { hfToken: "hf_variant_gcp" },
    },
    {
        name: "eksInf2 spot with hfToken",
        config: { tags, targets: { eksInf2: { ...eks, capacityType: "spot" } } },
        secrets: { hfToken: "hf_variant_eks" },
    },
];

/** Targets whose public endpoint must be HTTPS (a `domain`) or opt in to plain HTTP. */
const TLS_TARGETS = ["gcpSpotL4", "aksGpu", "gpuVm", "eksInf2"];

/**
 * A variant without a `domain` opts in to plain HTTP explicitly, as a development stack must, so
 * the plaintext mode of every guard and script is planned too.
 */
export const VARIANTS: readonly Variant[] = RAW_VARIANTS.map((v) => {
    const targets = v.config.targets as Record<string, Record<string, unknown>>;
    const opted = Object.fromEntries(
        Object.entries(targets).map(([name, t]) => [
            name,
            TLS_TARGETS.includes(name) && t.domain === undefined && t.plaintextHttp === undefined ? { ...t, plaintextHttp: true } : t,
        ]),
    );
    return { ...v, config: { ...v.config, targets: opted } };
});
