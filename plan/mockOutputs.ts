/**
 * Outputs a cloud would compute, for the resources whose computed outputs the program reads
 * (emails, addresses, kubeconfigs). Under mocks a resource's state is its inputs plus these.
 * Values are fixed and obviously fake (documentation IP ranges, example.invalid hosts).
 */
export type MockOutputs = (name: string, inputs: Record<string, unknown>) => Record<string, unknown>;

/**
 * Every GCP compute resource has a computed `selfLink` (and most an `instanceGroup`-style link);
 * programs pass these between resources (e.g. a backend's `securityPolicy`), so the mock gives
 * each one in the API's own shape.
 */
export function gcpComputeSelfLink(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const m = /^gcp:compute\/(\w+):(\w+)$/.exec(type);
    if (!m) return {};
    // "SecurityPolicy" -> "securityPolicies", "URLMap" -> "urlMaps", as the Compute API spells collections.
    const singular = m[2].replace(/^[A-Z]+(?=[A-Z][a-z])|^[A-Z]/, (head) => head.toLowerCase());
    const kind = singular.endsWith("y") ? `${singular.slice(0, -1)}ies` : `${singular}s`;
    const project = String(inputs.project ?? "mock-project");
    const scope = typeof inputs.region === "string" ? `regions/${inputs.region}` : "global";
    const selfLink = `https://www.googleapis.com/compute/v1/projects/${project}/${scope}/${kind}/${name}`;
    return { selfLink, ...(m[2] === "InstanceTemplate" ? { selfLinkUnique: `${selfLink}?uniqueId=1` } : {}) };
}

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
    // AWS (eksInf2). Account 123456789012 is AWS's documentation account.
    "aws:eks/cluster:Cluster": (name, inputs) => ({
        arn: `arn:aws:eks:${String(inputs.region ?? "us-west-2")}:123456789012:cluster/${String(inputs.name ?? name)}`,
        endpoint: `https://${String(inputs.name ?? name)}.gr7.${String(inputs.region ?? "us-west-2")}.eks.example.invalid`,
        certificateAuthority: { data: "bW9jay1jYQ==" },
        vpcConfig: { ...((inputs.vpcConfig as object) ?? {}), clusterSecurityGroupId: "sg-0mockcluster0000" },
    }),
    "aws:iam/role:Role": (name) => ({ arn: `arn:aws:iam::123456789012:role/${name}`, name }),
    "aws:kms/key:Key": (name) => ({ arn: `arn:aws:kms:us-west-2:123456789012:key/${name}` }),
    "aws:sqs/queue:Queue": (name, inputs) => ({
        arn: `arn:aws:sqs:${String(inputs.region ?? "us-west-2")}:123456789012:${name}`,
        url: `https://sqs.${String(inputs.region ?? "us-west-2")}.amazonaws.com/123456789012/${name}`,
        name,
    }),
    "aws:cloudwatch/eventRule:EventRule": (name) => ({ name }),
    "aws:ec2/launchTemplate:LaunchTemplate": () => ({ latestVersion: 1 }),
    "aws:eks/nodeGroup:NodeGroup": (name) => ({ resources: [{ autoscalingGroups: [{ name: `eks-${name}-asg` }] }] }),
    "aws:eks/accessEntry:AccessEntry": (_name, inputs) => ({ principalArn: inputs.principalArn }),
    "aws:lb/loadBalancer:LoadBalancer": (name) => ({
        arn: `arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/net/${name}`,
        dnsName: `${name}.elb.example.invalid`,
    }),
    "aws:lb/targetGroup:TargetGroup": (name) => ({ arn: `arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/${name}` }),
    "aws:acm/certificate:Certificate": (name) => ({ arn: `arn:aws:acm:us-west-2:123456789012:certificate/${name}` }),
    "aws:elasticache/replicationGroup:ReplicationGroup": (name) => ({ primaryEndpointAddress: `${name}.cache.example.invalid` }),
    // Azure: autonamed resources get their logical name; computed ids and addresses are fake.
    "azure-native:resources:ResourceGroup": (name) => ({ name }),
    "azure-native:containerservice:ManagedCluster": (name) => ({ name }),
    "azure-native:managedidentity:UserAssignedIdentity": (name) => ({
        name,
        principalId: "00000000-0000-4000-8000-00000000a001",
        clientId: "00000000-0000-4000-8000-00000000a002",
    }),
    "azure-native:keyvault:Vault": (name, inputs) => ({
        name,
        properties: { ...(inputs.properties as object), vaultUri: `https://${name}.vault.azure.net/` },
    }),
    "azure-native:network:VirtualNetwork": (name) => ({ name }),
    "azure-native:network:NetworkSecurityGroup": (name) => ({ name }),
    "azure-native:network:PublicIPAddress": () => ({ ipAddress: "198.51.100.20" }),
    "azure-native:storage:StorageAccount": (name) => ({ name: name.replace(/[^a-z0-9]/g, "").slice(0, 24) }),
    "azure-native:storage:BlobContainer": (name) => ({ name }),
    "azure-native:machinelearningservices:Workspace": (name) => ({ name }),
    "azure-native:machinelearningservices:OnlineEndpoint": (name, inputs) => ({
        name,
        properties: { ...(inputs.properties as object), scoringUri: `https://${name}.eastus.inference.ml.azure.com/score` },
    }),
    "kubernetes:core/v1:Service": () => ({ status: { loadBalancer: { ingress: [{ ip: "198.51.100.30" }] } } }),
};

/** Results of the invokes (data sources) the program calls, keyed by invoke token. */
export type MockInvoke = (args: Record<string, unknown>) => Record<string, unknown>;

const FAKE_KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{ name: mock, cluster: { server: "https://mock-cluster.example.invalid:443" } }]
contexts: [{ name: mock, context: { cluster: mock, user: mock } }]
current-context: mock
users: [{ name: mock, user: { exec: { apiVersion: client.authentication.k8s.io/v1beta1, command: kubelogin } } }]
`;

export const MOCK_INVOKES: Record<string, MockInvoke> = {
    "azure-native:authorization:getClientConfig": () => ({
        clientId: "00000000-0000-4000-8000-00000000c001",
        objectId: "00000000-0000-4000-8000-00000000c002",
        subscriptionId: "00000000-0000-4000-8000-00000000c003",
        tenantId: "00000000-0000-4000-8000-00000000c004",
    }),
    "azure-native:containerservice:listManagedClusterUserCredentials": () => ({
        kubeconfigs: [{ name: "clusterUser", value: Buffer.from(FAKE_KUBECONFIG).toString("base64") }],
    }),
    "azure-native:machinelearningservices:listOnlineEndpointKeys": () => ({
        primaryKey: "mock-endpoint-primary-key",
        secondaryKey: "mock-endpoint-secondary-key",
    }),
};
