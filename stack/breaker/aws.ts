// The breaker on AWS (issue 16): AWS Budgets -> one SNS topic (its own, or the stack's awsSnsTopicArn) -> a Lambda that lowers the
// eksInf2 RayService's Serve max_replicas to its baseline (functions/breaker/entry/aws.ts).
//
// Network: eksInf2's API server is public only to `apiAccessCidrs` (and private for the VPC), and a
// Lambda outside a VPC has no fixed egress address, so the function runs in the cluster's private
// subnets with a security group the control plane admits on 443. It calls nothing else: the
// Kubernetes token is presigned locally (no STS call from the function), the endpoint and CA are
// passed in its environment (no eks:DescribeCluster), and Lambda ships its logs outside the VPC.
// So no NAT traffic and no interface VPC endpoint ($7.30/month per AZ each) is needed.
//
// Rights: the role may write to its own log group and manage the ENIs Lambda places in the VPC;
// in the cluster it is an access entry in group `llm-serving-breaker`, bound by a Role in the
// model's namespace to get and patch that one RayService. No cluster access policy, no admin.
import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ec2 from "@pulumi/aws/ec2";
import * as eks from "@pulumi/aws/eks";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import * as iam from "@pulumi/aws/iam";
import * as kms from "@pulumi/aws/kms";
import * as lambda from "@pulumi/aws/lambda";
import * as sns from "@pulumi/aws/sns";
import * as vpc from "@pulumi/aws/vpc";
import { Role, RoleBinding } from "@pulumi/kubernetes/rbac/v1";
import { costLabels } from "../../components/costLabels";
import { serviceKeyPolicy, serviceTopicPolicy, TOPIC_OWNER_ACTIONS } from "../../components/notify/aws";
import { breakerArchive, BREAKER_NODE_MAJOR } from "../../functions/breaker/bundle";
import { ENV } from "../../functions/breaker/entry/aws";
import { BREAKER_PERCENT, BREAKER_TAG, breakerModeOf } from "../../policies/contract/budgets";
import { awsBreakerPolicy, BREAKER_K8S_GROUP, breakerRbacRules } from "../../policies/contract/breakerAws";
import { eksInf2ForBreaker, type EksInf2BreakerHandle } from "../../targets/eksInf2/breakerHandle";
import type { BreakerTriggers } from "./triggers";
import type { BreakerArgs } from "./types";

/** Lambda settings: the run reads and patches one object; 30 s covers a cold start in a VPC and two API calls. */
export const AWS_BREAKER_FUNCTION = { runtime: `nodejs${BREAKER_NODE_MAJOR}.x`, memoryMb: 128, timeoutSeconds: 30, architecture: "arm64", logRetentionDays: 30 } as const;

/** The function's name, fixed so its log group can be declared first (64 characters at most). */
export function awsBreakerFunctionName(stack: string): string {
    return `llm-serving-breaker-${stack}`.slice(0, 64);
}

/** The topic's key policy: the account administers it; AWS Budgets of this account may encrypt with it. */
export function breakerKeyPolicy(accountId: string): string {
    return serviceKeyPolicy(accountId, { sid: "BudgetsEncrypts", services: "budgets.amazonaws.com" });
}

/** The topic policy: only AWS Budgets of this account may publish (and the account keeps its rights). */
export function breakerTopicPolicy(accountId: string, topicArn: string): string {
    return serviceTopicPolicy(accountId, topicArn, TOPIC_OWNER_ACTIONS, [{ sid: "BudgetsPublishes", services: "budgets.amazonaws.com", actions: "SNS:Publish" }]);
}

/** Lambda's trust: the Lambda service, for functions of this account only. */
export function lambdaTrust(accountId: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": accountId } } }],
    });
}

/** The breaker acts at 100% of forecast or actual spend (README, "Circuit breaker"). */
export const AWS_BREAKER_FORECAST_PERCENT = BREAKER_PERCENT;

class AwsBreaker extends pulumi.ComponentResource {
    public readonly topicArn: pulumi.Output<string>;

    constructor(name: string, args: BreakerArgs & { readonly target: EksInf2BreakerHandle }, opts?: pulumi.ComponentResourceOptions) {
        super("llm-serving:breaker:AwsBreaker", name, {}, opts);
        const { config } = args;
        const target = args.target;
        const region = target.region;
        const tags = { ...costLabels(config) };
        const childOpts = { parent: this };
        const accountId = getCallerIdentityOutput({}, { parent: this }).accountId;

        // AWS Budgets takes ONE SNS topic per notification (stack/budgets.ts, awsBudgetRoute): when the
        // stack names its own awsSnsTopicArn, that is the budget's topic and the Lambda subscribes to it
        // (it must be in this account and in the eksInf2 target's region, and let Budgets publish:
        // README, "Circuit breaker"); else the breaker has a topic of its own, encrypted, Budgets-only.
        const userTopic = config.notifications?.awsSnsTopicArn;
        if (userTopic !== undefined) {
            this.topicArn = pulumi.output(userTopic);
        } else {
            const key = new kms.Key(
                `${name}-key`,
                { region, description: "Encrypts the llm-serving breaker topic", enableKeyRotation: true, deletionWindowInDays: 30, policy: accountId.apply(breakerKeyPolicy), tags },
                childOpts,
            );
            const topic = new sns.Topic(`${name}-topic`, { region, kmsMasterKeyId: key.arn, tags }, childOpts);
            const topicPolicy = new sns.TopicPolicy(`${name}-topic`, { region, arn: topic.arn, policy: pulumi.all([accountId, topic.arn]).apply(([a, t]) => breakerTopicPolicy(a, t)) }, childOpts);
            // The budget is created after the policy that lets Budgets publish (the ARN carries it as a dependency).
            this.topicArn = pulumi.all([topic.arn, topicPolicy.urn]).apply(([arn]) => arn);
        }

        const functionName = awsBreakerFunctionName(config.stack);
        const logs = new cloudwatch.LogGroup(`${name}-logs`, { region, name: `/aws/lambda/${functionName}`, retentionInDays: AWS_BREAKER_FUNCTION.logRetentionDays, tags }, childOpts);
        const role = new iam.Role(`${name}-role`, { assumeRolePolicy: accountId.apply(lambdaTrust), tags }, childOpts);
        const rolePolicy = new iam.RolePolicy(`${name}-role`, { role: role.id, policy: accountId.apply((a) => JSON.stringify(awsBreakerPolicy(`arn:aws:logs:${region}:${a}:log-group:/aws/lambda/${functionName}`))) }, childOpts);

        // Egress to the control plane only; the control plane's security group admits it on 443.
        const sg = new ec2.SecurityGroup(
            `${name}-fn`,
            {
                region,
                vpcId: target.vpcId,
                description: "llm-serving breaker Lambda: HTTPS to the EKS API only",
                egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, securityGroups: [target.clusterSecurityGroupId], description: "EKS API server" }],
                tags,
            },
            childOpts,
        );
        const toApi = new vpc.SecurityGroupIngressRule(
            `${name}-to-api`,
            { region, securityGroupId: target.clusterSecurityGroupId, referencedSecurityGroupId: sg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, description: "llm-serving breaker Lambda to the EKS API", tags },
            childOpts,
        );

        // In the cluster: an access entry with a Kubernetes group and no access policy; a namespaced Role for that group.
        const entry = new eks.AccessEntry(`${name}-access`, { region, clusterName: target.clusterName, principalArn: role.arn, type: "STANDARD", kubernetesGroups: [BREAKER_K8S_GROUP], tags }, childOpts);
        const k8sOpts = { parent: this, provider: target.provider, dependsOn: [target.rayServiceResource] };
        const k8sRole = new Role(`${name}-rbac`, { metadata: { name: "llm-serving-breaker", namespace: target.namespace }, rules: breakerRbacRules(target.rayService) }, k8sOpts);
        const binding = new RoleBinding(
            `${name}-rbac`,
            {
                metadata: { name: "llm-serving-breaker", namespace: target.namespace },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "llm-serving-breaker" },
                subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: BREAKER_K8S_GROUP }],
            },
            { ...k8sOpts, dependsOn: [k8sRole] },
        );

        const fn = new lambda.Function(
            `${name}-fn`,
            {
                region,
                name: functionName,
                description: "llm-serving circuit breaker: lowers Ray Serve max_replicas to baseline when forecast spend passes the budget",
                runtime: AWS_BREAKER_FUNCTION.runtime,
                architectures: [AWS_BREAKER_FUNCTION.architecture],
                handler: "index.handler",
                code: breakerArchive("aws"),
                role: role.arn,
                memorySize: AWS_BREAKER_FUNCTION.memoryMb,
                timeout: AWS_BREAKER_FUNCTION.timeoutSeconds,
                // No reserved concurrency: new accounts (limit 10, 100 must stay unreserved) refuse any.
                // Two racing runs are harmless: each sets the same baseline, and a second patch of
                // an object already at it changes nothing (functions/breaker/adapters.ts).
                vpcConfig: { subnetIds: target.privateSubnetIds, securityGroupIds: [sg.id] },
                loggingConfig: { logFormat: "Text", logGroup: logs.name },
                environment: {
                    variables: {
                        [ENV.endpoint]: target.endpoint,
                        [ENV.clusterName]: target.clusterName,
                        [ENV.region]: target.region,
                        [ENV.caData]: target.caData,
                        [ENV.namespace]: target.namespace,
                        [ENV.rayService]: target.rayService,
                        [ENV.forecastPercent]: String(AWS_BREAKER_FORECAST_PERCENT),
                        [ENV.stepToZero]: String(args.stepToZero),
                    },
                },
                // The plan's line beside the cost table reads the breaker's mode from its function.
                tags: { ...tags, [BREAKER_TAG]: breakerModeOf(args.stepToZero) },
            },
            { ...childOpts, dependsOn: [rolePolicy, logs, toApi, entry, binding] },
        );
        const permission = new lambda.Permission(`${name}-from-sns`, { region, action: "lambda:InvokeFunction", function: fn.name, principal: "sns.amazonaws.com", sourceArn: this.topicArn }, childOpts);
        new sns.TopicSubscription(`${name}-fn`, { region, topic: this.topicArn, protocol: "lambda", endpoint: fn.arn }, { ...childOpts, dependsOn: [permission] });
        this.registerOutputs({ topicArn: this.topicArn });
    }
}

/** The AWS breaker; its trigger is the one SNS topic the AWS budget's notifications publish to. */
export function awsBreaker(name: string, args: BreakerArgs): BreakerTriggers {
    // eksInf2 is the one AWS target with a scaled group; without it there is nothing to lower, so no breaker.
    const target = eksInf2ForBreaker(args.config.stack);
    if (!target) return {};
    const breaker = new AwsBreaker(name, { ...args, target });
    return { awsSnsTopicArn: breaker.topicArn };
}
