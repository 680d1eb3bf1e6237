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
                    kubernetesVersion: "1.32",
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
];
