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
    "aws:elasticache/replicationGroup:ReplicationGroup": (name) => ({ primaryEndpointAddress: `${name}.cache.example.invalid` }),
};
