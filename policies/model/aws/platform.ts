// AWS services the stacks use beside compute and networking (caches, keys, logs, queues), and the
// managed-compute services the engine does not price.
import { Kind } from "../kind";

export const AWS_PLATFORM = {
    cacheReplicationGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
    cacheCluster: "aws:elasticache/cluster:Cluster",
    kmsKey: "aws:kms/key:Key",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    queue: "aws:sqs/queue:Queue",
    sagemakerEndpoint: "aws:sagemaker/endpoint:Endpoint",
    batchComputeEnvironment: "aws:batch/computeEnvironment:ComputeEnvironment",
} as const;

export const AWS_PLATFORM_KINDS: ReadonlyArray<Kind> = [
    { name: "elasticache", provider: "aws", types: [AWS_PLATFORM.cacheReplicationGroup, AWS_PLATFORM.cacheCluster] },
    { name: "kms-key", provider: "aws", types: [AWS_PLATFORM.kmsKey] },
    { name: "cloudwatch-log-group", provider: "aws", types: [AWS_PLATFORM.logGroup] },
    { name: "sqs-queue", provider: "aws", types: [AWS_PLATFORM.queue] },
    { name: "sagemaker-endpoint", provider: "aws", types: [AWS_PLATFORM.sagemakerEndpoint], compute: "unpriced" },
    { name: "batch-compute-environment", provider: "aws", types: [AWS_PLATFORM.batchComputeEnvironment], compute: "unpriced" },
];
