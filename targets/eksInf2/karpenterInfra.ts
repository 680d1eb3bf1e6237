import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as eks from "@pulumi/aws/eks";
import * as iam from "@pulumi/aws/iam";
import * as sqs from "@pulumi/aws/sqs";
import { AwsRegion } from "./config";
import { NODE_POLICIES, serviceTrust } from "./cluster";
import { INTERRUPTION_EVENTS, interruptionQueuePolicy, KARPENTER_SERVICE_ACCOUNT, karpenterControllerPolicy } from "./karpenter";

/** EC2's service-linked role for spot (AWSServiceRoleForEC2Spot): one per account. */
export const SPOT_SERVICE = "spot.amazonaws.com";

export interface KarpenterInfraArgs {
    readonly region: AwsRegion;
    /** Spot nodes: create the account's EC2 Spot service-linked role ("create") or rely on it ("existing"). @default no role */
    readonly spotServiceLinkedRole?: "create" | "existing";
    readonly clusterName: pulumi.Output<string>;
    readonly clusterArn: pulumi.Output<string>;
    readonly tags: Readonly<Record<string, string>>;
}

export interface KarpenterInfra {
    readonly nodeRole: iam.Role;
    readonly queue: sqs.Queue;
    readonly podIdentity: eks.PodIdentityAssociation;
    readonly nodeAccess: eks.AccessEntry;
    /** The EC2 Spot service-linked role this stack created, when it did. */
    readonly spotRole?: iam.ServiceLinkedRole;
}

/** AWS side of Karpenter: node role and access entry, interruption queue and rules, controller role via Pod Identity. */
export function createKarpenterInfra(name: string, args: KarpenterInfraArgs, opts: { parent: pulumi.Resource }): KarpenterInfra {
    const { region, tags } = args;

    const nodeRole = new iam.Role(`${name}-karpenter-node-role`, { assumeRolePolicy: serviceTrust("ec2.amazonaws.com"), tags }, opts);
    for (const policyArn of NODE_POLICIES) {
        new iam.RolePolicyAttachment(`${name}-karpenter-node-${policyArn.split("/").pop()}`, { role: nodeRole.name, policyArn }, opts);
    }
    // Nodes Karpenter launches join the cluster through this entry.
    const nodeAccess = new eks.AccessEntry(
        `${name}-karpenter-nodes`,
        { region, clusterName: args.clusterName, principalArn: nodeRole.arn, type: "EC2_LINUX", tags },
        opts,
    );

    const queue = new sqs.Queue(
        `${name}-interruptions`,
        { region, messageRetentionSeconds: 300, sqsManagedSseEnabled: true, tags },
        opts,
    );
    new sqs.QueuePolicy(
        `${name}-interruptions`,
        { region, queueUrl: queue.url, policy: queue.arn.apply((arn) => JSON.stringify(interruptionQueuePolicy(arn))) },
        opts,
    );
    for (const [event, pattern] of Object.entries(INTERRUPTION_EVENTS)) {
        const rule = new cloudwatch.EventRule(`${name}-${event}`, { region, eventPattern: JSON.stringify(pattern), tags }, opts);
        new cloudwatch.EventTarget(`${name}-${event}`, { region, rule: rule.name, arn: queue.arn }, opts);
    }

    const controllerRole = new iam.Role(
        `${name}-karpenter-controller`,
        { assumeRolePolicy: serviceTrust("pods.eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"]), tags },
        opts,
    );
    new iam.RolePolicy(
        `${name}-karpenter-controller`,
        {
            role: controllerRole.name,
            policy: pulumi
                .all([args.clusterName, args.clusterArn, nodeRole.arn, queue.arn])
                .apply(([clusterName, clusterArn, nodeRoleArn, queueArn]) =>
                    JSON.stringify(karpenterControllerPolicy({ region, clusterName, clusterArn, nodeRoleArn, queueArn })),
                ),
        },
        opts,
    );
    const agent = new eks.Addon(`${name}-pod-identity-agent`, { region, clusterName: args.clusterName, addonName: "eks-pod-identity-agent", tags }, opts);
    const podIdentity = new eks.PodIdentityAssociation(
        `${name}-karpenter`,
        {
            region,
            clusterName: args.clusterName,
            namespace: KARPENTER_SERVICE_ACCOUNT.namespace,
            serviceAccount: KARPENTER_SERVICE_ACCOUNT.name,
            roleArn: controllerRole.arn,
            tags,
        },
        { ...opts, dependsOn: [agent] },
    );
    // EC2 refuses spot launches in an account without this role, and creates it only for console
    // requests. It is account-wide: kept on destroy, since other spot users of the account need it.
    const spotRole =
        args.spotServiceLinkedRole === "create"
            ? new iam.ServiceLinkedRole(
                  `${name}-spot-service-role`,
                  { awsServiceName: SPOT_SERVICE, description: "EC2 Spot (created by llm-serving for Karpenter's spot nodes)", tags },
                  { ...opts, retainOnDelete: true },
              )
            : undefined;
    return { nodeRole, queue, podIdentity, nodeAccess, spotRole };
}
