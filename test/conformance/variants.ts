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

export const VARIANTS: readonly Variant[] = [
    {
        name: "gpuVm CPU (llama.cpp), on demand",
        config: { tags, targets: { gpuVm: { location: "eastus", vmSize: "Standard_D4s_v5", sshAllowedCidrs: cidrs, allowedCidrs: cidrs, sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJfoWyC9ZHstsumTKS3eh/fuQYXsbvuvDYGhGjnDN5/H a@example.com", plaintextHttp: true } } },
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
                    plaintextHttp: true,
                    image: "123456789012.dkr.ecr.us-west-2.amazonaws.com/llm-serving/neuron-ray-serve:vllm0.9.1-ray2.46.0",
                },
            },
        },
    },
];
