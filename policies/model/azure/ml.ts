// Azure Machine Learning: workspaces, online endpoints and deployments, environments, compute.
import { Kind } from "../kind";
import { nonAbsent } from "../common";
import { asString, readAt } from "../read";

export const AZURE_ML = {
    workspace: "azure-native:machinelearningservices:Workspace",
    onlineEndpoint: "azure-native:machinelearningservices:OnlineEndpoint",
    onlineDeployment: "azure-native:machinelearningservices:OnlineDeployment",
    environmentVersion: "azure-native:machinelearningservices:EnvironmentVersion",
    compute: "azure-native:machinelearningservices:Compute",
    serverlessEndpoint: "azure-native:machinelearningservices:ServerlessEndpoint",
} as const;

export const AZURE_ML_KINDS: ReadonlyArray<Kind> = [
    { name: "azure-ml-workspace", provider: "azure", types: [AZURE_ML.workspace] },
    { name: "azure-ml-endpoint", provider: "azure", types: [AZURE_ML.onlineEndpoint] },
    {
        name: "azure-ml-deployment",
        provider: "azure",
        types: [AZURE_ML.onlineDeployment],
        compute: "priced",
        // Managed online deployments cannot run on spot: listed for the SKU allow-list only.
        capacity: {
            kind: "azure-ml-deployment",
            read: (props) => [
                {
                    cloud: "azure",
                    kind: "azure-ml-deployment",
                    at: "",
                    skus: nonAbsent([asString(readAt(props, ["properties", "instanceType"]))]),
                    skuField: "properties.instanceType",
                    spot: { state: "known", value: false, field: "properties.instanceType" },
                    spotField: "properties.instanceType",
                    families: [],
                    hasGuestAccelerators: false,
                },
            ],
        },
    },
    { name: "azure-ml-environment", provider: "azure", types: [AZURE_ML.environmentVersion] },
    { name: "azure-ml-compute", provider: "azure", types: [AZURE_ML.compute], compute: "unpriced" },
    { name: "azure-ml-serverless-endpoint", provider: "azure", types: [AZURE_ML.serverlessEndpoint], compute: "unpriced" },
];
