// AWS services the stacks use beside compute and networking (caches, keys, logs, queues), and the
// managed-compute services the engine does not price.
import { Capacity, Kind } from "../kind";
import { nonAbsent } from "../common";
import { asString, readAt } from "../read";

export const AWS_PLATFORM = {
    cacheReplicationGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
    cacheCluster: "aws:elasticache/cluster:Cluster",
    kmsKey: "aws:kms/key:Key",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    queue: "aws:sqs/queue:Queue",
    lambdaFunction: "aws:lambda/function:Function",
    lambdaPermission: "aws:lambda/permission:Permission",
    sagemakerEndpoint: "aws:sagemaker/endpoint:Endpoint",
    batchComputeEnvironment: "aws:batch/computeEnvironment:ComputeEnvironment",
} as const;

/**
 * An ElastiCache node type is a machine size like an instance type: the SKU allow-list reads it at
 * nodeType. ElastiCache has no spot market (on-demand or reserved nodes only), so it is never spot.
 */
function cacheNodes(props: unknown): Capacity[] {
    return [
        {
            cloud: "aws",
            kind: "elasticache",
            at: "",
            skus: nonAbsent([asString(readAt(props, ["nodeType"]))]),
            skuField: "nodeType",
            spot: { state: "known", value: false, field: "nodeType" },
            spotField: "nodeType",
            families: [],
            hasGuestAccelerators: false,
        },
    ];
}

export const AWS_PLATFORM_KINDS: ReadonlyArray<Kind> = [
    { name: "elasticache", provider: "aws", types: [AWS_PLATFORM.cacheReplicationGroup, AWS_PLATFORM.cacheCluster], compute: "priced", capacity: { kind: "elasticache", read: cacheNodes } },
    { name: "kms-key", provider: "aws", types: [AWS_PLATFORM.kmsKey] },
    { name: "cloudwatch-log-group", provider: "aws", types: [AWS_PLATFORM.logGroup] },
    { name: "sqs-queue", provider: "aws", types: [AWS_PLATFORM.queue] },
    // Priced by policies/cost/aws.ts (requests and GB-s). A permission (who may invoke) bills nothing.
    { name: "lambda-function", provider: "aws", types: [AWS_PLATFORM.lambdaFunction] },
    { name: "lambda-permission", provider: "aws", types: [AWS_PLATFORM.lambdaPermission] },
    { name: "sagemaker-endpoint", provider: "aws", types: [AWS_PLATFORM.sagemakerEndpoint], compute: "unpriced" },
    { name: "batch-compute-environment", provider: "aws", types: [AWS_PLATFORM.batchComputeEnvironment], compute: "unpriced" },
];
