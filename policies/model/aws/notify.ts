// Where the stack's AWS alerts go (components/notify/aws.ts): an SNS topic, its policy and its
// e-mail subscriptions (the topic's KMS key is the kms-key kind, priced). SNS bills no fee for a
// topic, a topic policy or a subscription; it bills requests and deliveries, and the first 1
// million requests and the first 1,000 e-mail deliveries of each month are free, against a few
// budget and alarm messages a month (aws.amazon.com/sns/pricing/, "Free Tier"). Known kinds with no
// compute and no price: $0 by knowledge, not by being unread.
import { Kind } from "../kind";

export const AWS_NOTIFY = {
    topic: "aws:sns/topic:Topic",
    topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
    topicSubscription: "aws:sns/topicSubscription:TopicSubscription",
} as const;

export const AWS_NOTIFY_KINDS: ReadonlyArray<Kind> = [
    { name: "sns-topic", provider: "aws", types: [AWS_NOTIFY.topic, AWS_NOTIFY.topicPolicy] },
    { name: "sns-subscription", provider: "aws", types: [AWS_NOTIFY.topicSubscription] },
];
