import type { IEC2NodeClass } from "@kubernetes-models/karpenter/karpenter.k8s.aws/v1/EC2NodeClass";
import type { INodePool } from "@kubernetes-models/karpenter/karpenter.sh/v1/NodePool";
import { AwsRegion, INF2_CAPACITY, Inf2InstanceType, maxOf } from "./config";
import {
    CAPACITY_TYPE_LABEL,
    DISCOVERY_TAG,
    INF2_POOL,
    INSTANCE_TYPE_LABEL,
    NEURON_RESOURCE,
    NEURON_TAINT,
    POOL_LABEL,
    REGION_ANNOTATION,
} from "./labels";

/**
 * Karpenter, as pure builders: the NodePool and EC2NodeClass objects, the controller's IAM policy,
 * the interruption events and the chart values. The component only turns them into resources.
 */

/** Karpenter's chart, pinned, from its OCI registry (chart README, v1.8.1). */
export const KARPENTER_CHART = { chart: "oci://public.ecr.aws/karpenter/karpenter", version: "1.8.1" } as const;
/** Karpenter's service account; the EKS Pod Identity association names it. */
export const KARPENTER_SERVICE_ACCOUNT = { namespace: "kube-system", name: "karpenter" } as const;
/**
 * AL2023 alias: Karpenter resolves the EKS-optimized AL2023 AMI and picks its Neuron variant
 * (driver and runtime installed) for inf2 types. `@latest` follows new AMIs by drift; pin a
 * release (`al2023@vYYYYMMDD`) to hold nodes on one AMI.
 */
export const AMI_ALIAS = "al2023@latest";

export interface NodePoolInput {
    /** metadata.name of the NodePool and of the EC2NodeClass it references. */
    readonly name: string;
    readonly nodeClassName: string;
    readonly region: AwsRegion;
    readonly instanceTypes: readonly Inf2InstanceType[];
    readonly capacityType: "on-demand" | "spot";
    readonly maxNodes: number;
    /**
     * `spec.weight`: Karpenter tries higher-weight NodePools first, so a spot pool weighted over
     * an on-demand pool launches spot and falls back to on-demand only when spot cannot be had
     * (issue 19, capacity.ts). @default unset (Karpenter's 0)
     */
    readonly weight?: number;
    /** NodePool metadata labels: the pack's capacity-share declaration (capacity.ts). @default none */
    readonly labels?: Readonly<Record<string, string>>;
}

/**
 * `spec.limits` that bound the pool to `maxNodes` nodes of the largest allowed type: Karpenter
 * stops launching once any one of them is reached, and the cost policy prices the worst case from
 * them. Memory is in Gi, as Karpenter reports node capacity in binary units.
 */
export function nodePoolLimits(types: readonly Inf2InstanceType[], maxNodes: number): Record<string, string> {
    return {
        cpu: String(maxNodes * maxOf(types, "vcpu")),
        memory: `${maxNodes * maxOf(types, "memoryGib")}Gi`,
        [NEURON_RESOURCE]: String(maxNodes * maxOf(types, "neuron")),
    };
}

/** Most nodes the limits admit: each limit divided by the smallest allowed type's share, the least of those. */
export function maxNodesWithin(limits: Record<string, string>, types: readonly Inf2InstanceType[]): number {
    const perType = (t: Inf2InstanceType) =>
        Math.min(
            Math.floor(Number(limits.cpu) / INF2_CAPACITY[t].vcpu),
            Math.floor(parseInt(limits.memory, 10) / INF2_CAPACITY[t].memoryGib),
            Math.floor(Number(limits[NEURON_RESOURCE]) / INF2_CAPACITY[t].neuron),
        );
    return Math.max(...types.map(perType));
}

/** The inf2 NodePool: tainted for Neuron, labelled for the workload, bounded by limits, consolidating. */
export function buildNodePool(input: NodePoolInput): INodePool {
    return {
        apiVersion: "karpenter.sh/v1",
        kind: "NodePool",
        metadata: {
            name: input.name,
            annotations: { [REGION_ANNOTATION]: input.region },
            ...(input.labels && Object.keys(input.labels).length > 0 ? { labels: { ...input.labels } } : {}),
        },
        spec: {
            ...(input.weight !== undefined ? { weight: input.weight } : {}),
            template: {
                metadata: { labels: { [POOL_LABEL]: INF2_POOL } },
                spec: {
                    nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: input.nodeClassName },
                    requirements: [
                        { key: INSTANCE_TYPE_LABEL, operator: "In", values: [...input.instanceTypes] },
                        { key: CAPACITY_TYPE_LABEL, operator: "In", values: [input.capacityType] },
                        { key: "kubernetes.io/arch", operator: "In", values: ["amd64"] },
                        { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
                    ],
                    taints: [{ ...NEURON_TAINT }],
                    // Never expire: expiry is forceful (no budget holds it, per Karpenter's disruption
                    // docs), so a model worker would be evicted mid-generation on a timer. New AMIs (the @latest alias) and
                    // changed NodePool/EC2NodeClass specs replace nodes through drift instead, which the
                    // budget below limits to one node at a time and the workers' PodDisruptionBudget gates.
                    expireAfter: "Never",
                },
            },
            limits: nodePoolLimits(input.instanceTypes, input.maxNodes),
            disruption: {
                consolidationPolicy: "WhenEmptyOrUnderutilized",
                // A Neuron worker takes minutes to load and compile: do not churn nodes on brief dips.
                consolidateAfter: "10m",
                budgets: [{ nodes: "1" }],
            },
        },
    };
}

export interface NodeClassInput {
    readonly name: string;
    readonly clusterName: string;
    /** IAM role name of the nodes (Karpenter makes the instance profile). */
    readonly nodeRoleName: string;
    readonly volumeGib: number;
    readonly tags: Readonly<Record<string, string>>;
}

/** The EC2NodeClass: Neuron AMI by alias, discovery by tag, IMDSv2 only with hop limit 1, sized encrypted root volume. */
export function buildNodeClass(input: NodeClassInput): IEC2NodeClass {
    const discovery = { [DISCOVERY_TAG]: input.clusterName };
    return {
        apiVersion: "karpenter.k8s.aws/v1",
        kind: "EC2NodeClass",
        metadata: { name: input.name },
        spec: {
            role: input.nodeRoleName,
            amiSelectorTerms: [{ alias: AMI_ALIAS }],
            subnetSelectorTerms: [{ tags: discovery }],
            securityGroupSelectorTerms: [{ tags: discovery }],
            // Hop limit 1: containers cannot reach the node's instance credentials through IMDS.
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
            blockDeviceMappings: [
                {
                    deviceName: "/dev/xvda",
                    rootVolume: true,
                    ebs: {
                        volumeSize: `${input.volumeGib}Gi`,
                        volumeType: "gp3",
                        encrypted: true,
                        deleteOnTermination: true,
                    },
                },
            ],
            tags: { ...input.tags, ...discovery },
        },
    };
}

/** EventBridge rules whose events Karpenter drains nodes on (Karpenter interruption docs). */
export const INTERRUPTION_EVENTS = {
    "spot-interruption": { source: ["aws.ec2"], "detail-type": ["EC2 Spot Instance Interruption Warning"] },
    rebalance: { source: ["aws.ec2"], "detail-type": ["EC2 Instance Rebalance Recommendation"] },
    "instance-state-change": { source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"] },
    "scheduled-change": { source: ["aws.health"], "detail-type": ["AWS Health Event"] },
} as const;

export interface PolicyStatement {
    readonly Sid: string;
    readonly Effect: "Allow" | "Deny";
    readonly Action: string | readonly string[];
    readonly Resource: string | readonly string[];
    readonly Principal?: Record<string, string | readonly string[]>;
    readonly Condition?: Record<string, Record<string, string | readonly string[] | boolean>>;
}
export interface PolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: readonly PolicyStatement[];
}

/** Queue policy: EventBridge may send; any request without TLS is denied. */
export function interruptionQueuePolicy(queueArn: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "EventBridgeSends",
                Effect: "Allow",
                Principal: { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] },
                Action: "sqs:SendMessage",
                Resource: queueArn,
            },
            {
                Sid: "DenyNonTls",
                Effect: "Deny",
                Principal: { AWS: "*" },
                Action: "sqs:*",
                Resource: queueArn,
                Condition: { Bool: { "aws:SecureTransport": false } },
            },
        ],
    };
}

export interface ControllerPolicyInput {
    readonly region: AwsRegion;
    readonly clusterName: string;
    /** The cluster's ARN: its partition and account scope the instance-profile and cluster statements. */
    readonly clusterArn: string;
    readonly nodeRoleArn: string;
    readonly queueArn: string;
}

/**
 * The controller's permissions: statement for statement Karpenter v1.8's reference policy (its
 * getting-started CloudFormation), with the partition, region, account, cluster name, queue and
 * node role filled in. Launches and tags only with this cluster's tags (`kubernetes.io/cluster/<name>`
 * and `eks:eks-cluster-name`); instance profiles created, tagged and changed only when they carry
 * the cluster, region and EC2NodeClass tags (`iam:TagInstanceProfile` needs them on the profile
 * already, not only in the request); `iam:PassRole` on the node role only. The conformance tier
 * compares this with the upstream file.
 */
export function karpenterControllerPolicy(input: ControllerPolicyInput): PolicyDocument {
    const [, partition, , , account] = input.clusterArn.split(":");
    if (!partition || !/^\d{12}$/.test(account ?? "")) throw new Error(`clusterArn ${input.clusterArn}: not an EKS cluster ARN`);
    const { region, clusterName } = input;
    const ec2 = (type: string) => `arn:${partition}:ec2:${region}:*:${type}/*`;
    const profile = `arn:${partition}:iam::${account}:instance-profile/*`;
    const clusterTag = `kubernetes.io/cluster/${clusterName}`;
    const requestTagged = {
        [`aws:RequestTag/${clusterTag}`]: "owned",
        "aws:RequestTag/eks:eks-cluster-name": clusterName,
    };
    const resourceOwned = { [`aws:ResourceTag/${clusterTag}`]: "owned" };
    const resourceNodePool = { "aws:ResourceTag/karpenter.sh/nodepool": "*" };
    const profileOwned = { ...resourceOwned, "aws:ResourceTag/topology.kubernetes.io/region": region };
    const launched = ["fleet", "instance", "volume", "network-interface", "launch-template", "spot-instances-request"].map(ec2);
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AllowScopedEC2InstanceAccessActions",
                Effect: "Allow",
                Resource: [
                    `arn:${partition}:ec2:${region}::image/*`,
                    `arn:${partition}:ec2:${region}::snapshot/*`,
                    ec2("security-group"),
                    ec2("subnet"),
                    ec2("capacity-reservation"),
                ],
                Action: ["ec2:RunInstances", "ec2:CreateFleet"],
            },
            {
                Sid: "AllowScopedEC2LaunchTemplateAccessActions",
                Effect: "Allow",
                Resource: ec2("launch-template"),
                Action: ["ec2:RunInstances", "ec2:CreateFleet"],
                Condition: { StringEquals: resourceOwned, StringLike: resourceNodePool },
            },
            {
                Sid: "AllowScopedEC2InstanceActionsWithTags",
                Effect: "Allow",
                Resource: [...launched, ec2("capacity-reservation")],
                Action: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
                Condition: { StringEquals: requestTagged, StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" } },
            },
            {
                Sid: "AllowScopedResourceCreationTagging",
                Effect: "Allow",
                Resource: launched,
                Action: "ec2:CreateTags",
                Condition: {
                    StringEquals: { ...requestTagged, "ec2:CreateAction": ["RunInstances", "CreateFleet", "CreateLaunchTemplate"] },
                    StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
                },
            },
            {
                Sid: "AllowScopedResourceTagging",
                Effect: "Allow",
                Resource: ec2("instance"),
                Action: "ec2:CreateTags",
                Condition: {
                    StringEquals: resourceOwned,
                    StringLike: resourceNodePool,
                    StringEqualsIfExists: { "aws:RequestTag/eks:eks-cluster-name": clusterName },
                    "ForAllValues:StringEquals": { "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"] },
                },
            },
            {
                Sid: "AllowScopedDeletion",
                Effect: "Allow",
                Resource: [ec2("instance"), ec2("launch-template")],
                Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
                Condition: { StringEquals: resourceOwned, StringLike: resourceNodePool },
            },
            {
                Sid: "AllowRegionalReadActions",
                Effect: "Allow",
                Resource: "*",
                Action: [
                    "ec2:DescribeCapacityReservations",
                    "ec2:DescribeImages",
                    "ec2:DescribeInstances",
                    "ec2:DescribeInstanceTypeOfferings",
                    "ec2:DescribeInstanceTypes",
                    "ec2:DescribeLaunchTemplates",
                    "ec2:DescribeSecurityGroups",
                    "ec2:DescribeSpotPriceHistory",
                    "ec2:DescribeSubnets",
                ],
                Condition: { StringEquals: { "aws:RequestedRegion": region } },
            },
            { Sid: "AllowSSMReadActions", Effect: "Allow", Resource: `arn:${partition}:ssm:${region}::parameter/aws/service/*`, Action: "ssm:GetParameter" },
            { Sid: "AllowPricingReadActions", Effect: "Allow", Resource: "*", Action: "pricing:GetProducts" },
            {
                Sid: "AllowInterruptionQueueActions",
                Effect: "Allow",
                Resource: input.queueArn,
                Action: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
            },
            {
                Sid: "AllowPassingInstanceRole",
                Effect: "Allow",
                Resource: input.nodeRoleArn,
                Action: "iam:PassRole",
                Condition: { StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] } },
            },
            {
                Sid: "AllowScopedInstanceProfileCreationActions",
                Effect: "Allow",
                Resource: profile,
                Action: ["iam:CreateInstanceProfile"],
                Condition: {
                    StringEquals: { ...requestTagged, "aws:RequestTag/topology.kubernetes.io/region": region },
                    StringLike: { "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
                },
            },
            {
                Sid: "AllowScopedInstanceProfileTagActions",
                Effect: "Allow",
                Resource: profile,
                Action: ["iam:TagInstanceProfile"],
                Condition: {
                    StringEquals: { ...profileOwned, ...requestTagged, "aws:RequestTag/topology.kubernetes.io/region": region },
                    StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*", "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
                },
            },
            {
                Sid: "AllowScopedInstanceProfileActions",
                Effect: "Allow",
                Resource: profile,
                Action: ["iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"],
                Condition: { StringEquals: profileOwned, StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*" } },
            },
            { Sid: "AllowInstanceProfileReadActions", Effect: "Allow", Resource: profile, Action: "iam:GetInstanceProfile" },
            { Sid: "AllowUnscopedInstanceProfileListAction", Effect: "Allow", Resource: "*", Action: "iam:ListInstanceProfiles" },
            { Sid: "AllowAPIServerEndpointDiscovery", Effect: "Allow", Resource: input.clusterArn, Action: "eks:DescribeCluster" },
        ],
    };
}

export interface KarpenterValuesInput<T> {
    readonly clusterName: T;
    readonly queueName: T;
}

/**
 * Values for the Karpenter chart. `settings.interruptionQueue` is the queue NAME (the chart's key
 * since v0.33: `interruptionQueueName` is silently ignored, eksctl#7697). Credentials come from an
 * EKS Pod Identity association on the service account, so no IRSA annotation is needed.
 */
export function karpenterValues<T>(input: KarpenterValuesInput<T>) {
    return {
        settings: { clusterName: input.clusterName, interruptionQueue: input.queueName },
        serviceAccount: { create: true, name: KARPENTER_SERVICE_ACCOUNT.name },
        replicas: 2,
        controller: { resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "1Gi" } } },
        // The chart's default affinity keeps Karpenter off the nodes it manages (system group only).
        podDisruptionBudget: { name: "karpenter", maxUnavailable: 1 },
    };
}
