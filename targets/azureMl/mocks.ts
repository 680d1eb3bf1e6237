import type { MockInvoke, MockOutputs } from "../definition";

/** What Azure computes for the workspace, its storage and the online endpoint, for the offline plan. */
export const AZURE_ML_MOCK_OUTPUTS: Readonly<Record<string, MockOutputs>> = {
    "azure-native:storage:StorageAccount": (name) => ({ name: name.replace(/[^a-z0-9]/g, "").slice(0, 24) }),
    "azure-native:storage:BlobContainer": (name) => ({ name }),
    "azure-native:machinelearningservices:Workspace": (name) => ({ name }),
    "azure-native:machinelearningservices:OnlineEndpoint": (name, inputs) => ({
        name,
        properties: { ...(inputs.properties as object), scoringUri: `https://${name}.eastus.inference.ml.azure.com/score` },
    }),
};

/** The endpoint's generated keys (Azure ML makes them; the stack's apiKey does not apply). */
export const AZURE_ML_MOCK_INVOKES: Readonly<Record<string, MockInvoke>> = {
    "azure-native:machinelearningservices:listOnlineEndpointKeys": () => ({
        primaryKey: "mock-endpoint-primary-key",
        secondaryKey: "mock-endpoint-secondary-key",
    }),
};
