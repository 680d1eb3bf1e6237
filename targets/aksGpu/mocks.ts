import type { MockInvoke, MockOutputs } from "../definition";

/** What Azure computes for the AKS cluster (its name), for the offline plan. */
export const AKS_GPU_MOCK_OUTPUTS: Readonly<Record<string, MockOutputs>> = {
    "azure-native:containerservice:ManagedCluster": (name) => ({ name }),
    // The query endpoint KEDA's scaler reads (issue #18): Azure gives it at creation.
    "azure-native:monitor:AzureMonitorWorkspace": (name) => ({ name, metrics: { prometheusQueryEndpoint: `https://${name}.eastus.prometheus.monitor.azure.com` } }),
};

const FAKE_KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{ name: mock, cluster: { server: "https://mock-cluster.example.invalid:443" } }]
contexts: [{ name: mock, context: { cluster: mock, user: mock } }]
current-context: mock
users: [{ name: mock, user: { exec: { apiVersion: client.authentication.k8s.io/v1beta1, command: kubelogin } } }]
`;

/** The cluster user's kubeconfig the Kubernetes provider is built from: a fake cluster, kubelogin auth. */
export const AKS_GPU_MOCK_INVOKES: Readonly<Record<string, MockInvoke>> = {
    "azure-native:containerservice:listManagedClusterUserCredentials": () => ({
        kubeconfigs: [{ name: "clusterUser", value: Buffer.from(FAKE_KUBECONFIG).toString("base64") }],
    }),
};
