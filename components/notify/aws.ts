// AWS side of the stack's notification targets: one SNS topic, encrypted with a customer managed
// KMS key, with an e-mail subscription per address. AWS Budgets and CloudWatch alarms publish to
// topic ARNs. The key is customer managed because the AWS managed key (alias/aws/sns) has a key
// policy nobody can edit, so neither Budgets nor CloudWatch could encrypt messages with it: both
// need kms:GenerateDataKey* and kms:Decrypt granted in the key policy (AWS Budgets User Guide,
// "Creating an Amazon SNS topic for budget notifications"; Amazon SNS Developer Guide,
// "Configure AWS KMS permissions" for AWS service event sources).
import * as pulumi from "@pulumi/pulumi";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import * as kms from "@pulumi/aws/kms";
import * as sns from "@pulumi/aws/sns";
import type { NotificationsConfig } from "../../config/notifications";
import { addressSuffix } from "./names";

export interface AwsNotifyOptions {
    /** Region of the topic and its key (CloudWatch alarms publish only to a topic in their region). @default the provider's */
    readonly region?: string;
    /** Cost-allocation tags for the topic and the key; the stack's costLabels. */
    readonly tags?: Readonly<Record<string, string>>;
}

/** AWS services that publish the stack's alerts to the topic. */
export const AWS_ALERT_PUBLISHERS = ["budgets.amazonaws.com", "cloudwatch.amazonaws.com"] as const;
/**
 * Amazon Managed Service for Prometheus's alert manager (eksInf2's alerts) publishes too; it also
 * reads the topic's attributes before publishing, and encrypts with the topic's key (AMP user
 * guide, "Permission to send alert messages to your Amazon SNS topic").
 */
export const AMP_ALERT_PUBLISHER = "aps.amazonaws.com";

/** A statement letting AWS service principals act on a key or topic for this account only (aws:SourceAccount). */
export interface ServiceGrant {
    readonly sid: string;
    readonly services: string | ReadonlyArray<string>;
    readonly actions: string | ReadonlyArray<string>;
}

const accountRoot = (accountId: string) => ({ AWS: `arn:aws:iam::${accountId}:root` });
const serviceStatement = (accountId: string, resource: string, g: ServiceGrant) => ({
    Sid: g.sid,
    Effect: "Allow",
    Principal: { Service: g.services },
    Action: g.actions,
    Resource: resource,
    Condition: { StringEquals: { "aws:SourceAccount": accountId } },
});

/** A topic key's policy: the account administers the key; the services may only encrypt with it, for this account. */
export function serviceKeyPolicy(accountId: string, grant: Omit<ServiceGrant, "actions">): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Sid: "AccountAdministers", Effect: "Allow", Principal: accountRoot(accountId), Action: "kms:*", Resource: "*" },
            serviceStatement(accountId, "*", { ...grant, actions: ["kms:GenerateDataKey*", "kms:Decrypt"] }),
        ],
    });
}

/** A topic's policy: the account keeps `accountActions`; each grant's services act on the topic for this account only. */
export function serviceTopicPolicy(accountId: string, topicArn: string, accountActions: ReadonlyArray<string>, grants: ReadonlyArray<ServiceGrant>): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Sid: "AccountOwns", Effect: "Allow", Principal: accountRoot(accountId), Action: accountActions, Resource: topicArn },
            ...grants.map((g) => serviceStatement(accountId, topicArn, g)),
        ],
    });
}

/** The topic's default rights the account keeps (SNS's default policy, less what no one here uses). */
export const TOPIC_OWNER_ACTIONS = ["SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic"] as const;

/** The key policy: the account administers the key; the publishers may only encrypt with it, for this account. */
export function alertKeyPolicy(accountId: string): string {
    return serviceKeyPolicy(accountId, { sid: "AlertPublishersEncrypt", services: [...AWS_ALERT_PUBLISHERS, AMP_ALERT_PUBLISHER] });
}

/** The topic policy: the account keeps its default rights; Budgets, CloudWatch and AMP's alert manager of this account may publish. */
export function alertTopicPolicy(accountId: string, topicArn: string): string {
    return serviceTopicPolicy(accountId, topicArn, [...TOPIC_OWNER_ACTIONS, "SNS:Publish"], [
        { sid: "AlertPublishersPublish", services: [...AWS_ALERT_PUBLISHERS], actions: "SNS:Publish" },
        { sid: "PrometheusAlertManagerPublishes", services: AMP_ALERT_PUBLISHER, actions: ["SNS:Publish", "SNS:GetTopicAttributes"] },
    ]);
}

/** The topics to publish to and the policy that lets AWS Budgets and CloudWatch publish to the own one. */
export interface AwsAlertTopics {
    readonly arns: pulumi.Output<string[]>;
    /** The own topic's policy (undefined without addresses): a budget that publishes must depend on it. */
    readonly policy?: sns.TopicPolicy;
}

/**
 * One encrypted topic with an e-mail subscription per address (each address must confirm the
 * subscription AWS mails it before it receives anything). Returns the topic ARNs to publish to: its
 * own (when there are addresses) and `n.awsSnsTopicArn` (when set); [] when neither. The ARNs carry
 * the topic policy as a dependency, so whatever publishes to them is created after Budgets and
 * CloudWatch may publish (else the first alert can be refused).
 */
export function awsAlertTopics(
    name: string,
    n: NotificationsConfig | undefined,
    opts: pulumi.ComponentResourceOptions,
    settings: AwsNotifyOptions = {},
): pulumi.Output<string[]> {
    return awsAlertTopicsWithPolicy(name, n, opts, settings).arns;
}

/** awsAlertTopics, also returning the topic policy (for an explicit dependsOn). */
export function awsAlertTopicsWithPolicy(
    name: string,
    n: NotificationsConfig | undefined,
    opts: pulumi.ComponentResourceOptions,
    settings: AwsNotifyOptions = {},
): AwsAlertTopics {
    const emails = n?.emails ?? [];
    const arns: pulumi.Input<string>[] = [];
    let policy: sns.TopicPolicy | undefined;
    if (emails.length > 0) {
        const { region } = settings;
        const tags = settings.tags ? { ...settings.tags } : undefined;
        const accountId = getCallerIdentityOutput({}, { parent: opts.parent }).accountId;
        const key = new kms.Key(
            `${name}-alerts-key`,
            { region, description: `Encrypts the ${name} alert topic`, enableKeyRotation: true, deletionWindowInDays: 30, policy: accountId.apply(alertKeyPolicy), tags },
            opts,
        );
        const topic = new sns.Topic(`${name}-alerts`, { region, kmsMasterKeyId: key.arn, tags }, opts);
        policy = new sns.TopicPolicy(`${name}-alerts`, { region, arn: topic.arn, policy: pulumi.all([accountId, topic.arn]).apply(([a, t]) => alertTopicPolicy(a, t)) }, opts);
        for (const email of emails) {
            new sns.TopicSubscription(`${name}-email-${addressSuffix(email)}`, { region, topic: topic.arn, protocol: "email", endpoint: email }, opts);
        }
        arns.push(topic.arn);
    }
    if (n?.awsSnsTopicArn !== undefined) arns.push(n.awsSnsTopicArn);
    const all = pulumi.all(arns);
    return { arns: policy ? pulumi.all([all, policy.urn]).apply(([a]) => a) : all, ...(policy ? { policy } : {}) };
}
