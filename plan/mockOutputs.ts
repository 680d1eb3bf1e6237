/**
 * Outputs a cloud would compute, for the resources whose computed outputs the program reads
 * (emails, addresses, kubeconfigs). Under mocks a resource's state is its inputs plus these.
 * Values are fixed and obviously fake (documentation IP ranges, example.invalid hosts).
 */
export type MockOutputs = (name: string, inputs: Record<string, unknown>) => Record<string, unknown>;

export const MOCK_OUTPUTS: Record<string, MockOutputs> = {
    "gcp:serviceaccount/account:Account": (_name, inputs) => ({
        email: `${String(inputs.accountId)}@${String(inputs.project ?? "mock-project")}.iam.gserviceaccount.com`,
        member: `serviceAccount:${String(inputs.accountId)}@${String(inputs.project ?? "mock-project")}.iam.gserviceaccount.com`,
    }),
    "gcp:compute/globalAddress:GlobalAddress": () => ({ address: "198.51.100.10" }),
    "gcp:secretmanager/secret:Secret": (name, inputs) => ({
        name: `projects/${String(inputs.project ?? "mock-project")}/secrets/${String(inputs.secretId ?? name)}`,
    }),
    "random:index/randomPassword:RandomPassword": () => ({ result: "mock-generated-api-key" }),
};
