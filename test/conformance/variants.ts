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
    image: "123456789012.dkr.ecr.us-west-2.amazonaws.com/llm-serving/neuron-ray-serve:vllm0.9.1-ray2.46.0",
};
/** PEM-shaped placeholders (the plan checks shape only; the nginx checks mount a real test certificate). */
const stackTls = {
    tlsCertificate: "-----BEGIN CERTIFICATE-----\nQ29uZm9ybWFuY2VWYXJpYW50Q2VydA==\n-----END CERTIFICATE-----\n",
    tlsPrivateKey: "-----BEGIN PRIVATE KEY-----\nQ29uZm9ybWFuY2VWYXJpYW50S2V5\n-----END PRIVATE KEY-----\n",
};

export const VARIANTS: readonly Variant[] = [
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
                    image: "123456789012.dkr.ecr.us-west-2.amazonaws.com/llm-serving/neuron-ray-serve:vllm0.9.1-ray2.46.0",
                },
            },
        },
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
