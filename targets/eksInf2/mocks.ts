import type { MockOutputs } from "../definition";

/**
 * What AWS computes for the resources eksInf2 reads outputs of (ARNs, endpoints, names), for the
 * offline plan. Account 123456789012 is AWS's documentation account; hosts are example.invalid.
 */
export const EKS_INF2_MOCK_OUTPUTS: Readonly<Record<string, MockOutputs>> = {
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
    // The AWS run-time breaker's function (stack/breaker/aws.ts), which only eksInf2 stacks declare: its ARN is the SNS subscription's endpoint.
    "aws:lambda/function:Function": (name, inputs) => ({
        arn: `arn:aws:lambda:${String(inputs.region ?? "us-west-2")}:123456789012:function:${String(inputs.name ?? name)}`,
        name: String(inputs.name ?? name),
    }),
    "aws:amp/workspace:Workspace": (name, inputs) => ({
        arn: `arn:aws:aps:${String(inputs.region ?? "us-west-2")}:123456789012:workspace/ws-${name}`,
        prometheusEndpoint: `https://aps-workspaces.${String(inputs.region ?? "us-west-2")}.amazonaws.com/workspaces/ws-${name}/`,
    }),
    "aws:amp/scraper:Scraper": (name) => ({
        arn: `arn:aws:aps:us-west-2:123456789012:scraper/s-${name}`,
        roleArn: `arn:aws:iam::123456789012:role/aws-service-role/scraper.aps.amazonaws.com/AWSServiceRoleForAmazonPrometheusScraper_${name}`,
    }),
    "aws:grafana/workspace:Workspace": (name) => ({ endpoint: `g-${name}.grafana-workspace.us-west-2.example.invalid` }),
    "aws:grafana/workspaceServiceAccount:WorkspaceServiceAccount": (name) => ({ serviceAccountId: `sa-${name}` }),
    "aws:grafana/workspaceServiceAccountToken:WorkspaceServiceAccountToken": () => ({ key: "mock-grafana-token" }),
    "aws:elasticache/replicationGroup:ReplicationGroup": (name) => ({ primaryEndpointAddress: `${name}.cache.example.invalid` }),
};
