import type { MockInvoke, MockOutputs } from "../definition";

/**
 * Outputs GKE computes that gkeL4 reads, for the plan's mocks: the control plane's endpoint and
 * CA (the kubeconfig of the Kubernetes provider) and the cluster's name. Obviously fake values.
 */
export const GKE_L4_MOCK_OUTPUTS: Readonly<Record<string, MockOutputs>> = {
    "gcp:container/cluster:Cluster": (name, inputs) => ({
        name: String(inputs.name ?? name),
        endpoint: "198.51.100.40",
        masterAuth: { clusterCaCertificate: Buffer.from("mock-gke-ca").toString("base64") },
    }),
};

/**
 * The project lookup (its number names the Workload Identity principal) is shared with the GCP
 * run-time budget, so it is mocked once, in plan/mockOutputs.ts.
 */
export const GKE_L4_MOCK_INVOKES: Readonly<Record<string, MockInvoke>> = {};
