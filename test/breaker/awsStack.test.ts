// The ha stack with the breaker on, under mocks (the offline plan's runner): the AWS breaker's
// topic, function, subscription and in-cluster rights are declared, the AWS budget notifies the
// breaker's topic, and the least-privilege check (policies/breaker/aws.ts) passes the program's
// exact rights and blocks widened ones. Needs config/budgets.ts to accept breaker.enabled.
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { PlannedResource } from "../../plan/mocks";
import { runProgram } from "../../plan/run";
import { loadStack } from "../../plan/stackFiles";
import { awsBreakerIamProblems, awsBreakerRbacProblems, awsBreakerRightsProblems } from "../../policies/breaker/aws";
import { awsBreakerPolicy } from "../../policies/contract/breakerAws";
import { estimateStack } from "../../policies/stackCost";

const PROJECT_DIR = path.resolve(__dirname, "../..");
const LOG_GROUP = "arn:aws:logs:us-west-2:123456789012:log-group:/aws/lambda/llm-serving-breaker-ha";

async function haWithBreaker(enabled: boolean): Promise<PlannedResource[]> {
    const stack = loadStack(PROJECT_DIR, "ha");
    const budgets = JSON.parse(stack.config["llm-serving:budgets"] ?? "{}");
    const config = { ...stack.config, "llm-serving:budgets": JSON.stringify({ ...budgets, breaker: { enabled, stepToZero: false } }) };
    return (await runProgram({ ...stack, config })).resources;
}

const named = (rs: PlannedResource[], type: string, name: string) => rs.find((r) => r.type === type && r.name === name);

describe("AWS breaker in the ha stack (mocks)", () => {
    let on: PlannedResource[];
    let off: PlannedResource[];
    before(async () => {
        on = await haWithBreaker(true);
        off = await haWithBreaker(false);
    });

    it("declares the topic (KMS-encrypted, Budgets-only publish), the function, its subscription and permission", () => {
        const topic = named(on, "aws:sns/topic:Topic", "breaker-aws-topic");
        assert.ok(topic, "topic");
        assert.ok(topic.propertyDependencies.kmsMasterKeyId?.some((u) => u.endsWith("::breaker-aws-key")), "encrypted with its own key");
        const policy = JSON.parse(String(named(on, "aws:sns/topicPolicy:TopicPolicy", "breaker-aws-topic")?.inputs.policy));
        const publish = policy.Statement.find((s: { Sid: string }) => s.Sid === "BudgetsPublishes");
        assert.deepEqual(publish.Principal, { Service: "budgets.amazonaws.com" });
        assert.ok(publish.Condition.StringEquals["aws:SourceAccount"]);
        const fn = named(on, "aws:lambda/function:Function", "breaker-aws-fn");
        assert.ok(fn, "function");
        assert.equal(fn.inputs.runtime, "nodejs22.x");
        assert.equal(fn.inputs.handler, "index.handler");
        const vpc = fn.inputs.vpcConfig as { subnetIds: string[]; securityGroupIds: string[] };
        assert.equal(vpc.subnetIds.length, 2, "the cluster's private subnets (ha: two zones)");
        const env = (fn.inputs.environment as { variables: Record<string, string> }).variables;
        assert.deepEqual(Object.keys(env).sort(), ["BREAKER_EKS_CA_DATA", "BREAKER_EKS_CLUSTER", "BREAKER_EKS_ENDPOINT", "BREAKER_EKS_REGION", "BREAKER_FORECAST_PERCENT", "BREAKER_RAY_NAMESPACE", "BREAKER_RAY_SERVICE", "BREAKER_STEP_TO_ZERO"]);
        assert.equal(env.BREAKER_RAY_SERVICE, "llm");
        assert.equal(env.BREAKER_RAY_NAMESPACE, "llm-serving");
        assert.ok(fn.propertyDependencies["environment"]?.some((u) => u.includes("eks/cluster:Cluster")), "endpoint and CA from the cluster");
        const sub = named(on, "aws:sns/topicSubscription:TopicSubscription", "breaker-aws-fn");
        assert.equal(sub?.inputs.protocol, "lambda");
        assert.ok(sub?.propertyDependencies.endpoint?.some((u) => u.endsWith("::breaker-aws-fn")));
        const perm = named(on, "aws:lambda/permission:Permission", "breaker-aws-from-sns");
        assert.equal(perm?.inputs.principal, "sns.amazonaws.com");
        assert.ok(perm?.propertyDependencies.sourceArn?.some((u) => u.endsWith("::breaker-aws-topic")), "only this topic may invoke it");
        const logs = named(on, "aws:cloudwatch/logGroup:LogGroup", "breaker-aws-logs");
        assert.equal(logs?.inputs.name, "/aws/lambda/llm-serving-breaker-ha");
        assert.equal(logs?.inputs.retentionInDays, 30);
        for (const r of [topic, fn, logs]) assert.equal((r.inputs.tags as Record<string, string>).environment, "ha", `${r.name} carries the baseline tags`);
    });

    it("the AWS budget's notifications name ONE SNS topic, the breaker's, and mail the addresses themselves", () => {
        // AWS Budgets takes one SNS subscriber per notification (NotificationWithSubscribers): this
        // asserted two topics (alert + breaker) before, a budget CreateBudget refuses.
        const budget = on.find((r) => r.type === "aws:budgets/budget:Budget");
        assert.ok(budget);
        assert.ok(budget.propertyDependencies.notifications?.some((u) => u.endsWith("::breaker-aws-topic")), "the budget's notifications come from the breaker's topic");
        type Notification = { subscriberSnsTopicArns?: string[]; subscriberEmailAddresses?: string[] };
        for (const n of budget.inputs.notifications as Notification[]) {
            assert.equal(n.subscriberSnsTopicArns?.length, 1, "the breaker's topic alone");
            assert.ok((n.subscriberEmailAddresses?.length ?? 0) > 0 && (n.subscriberEmailAddresses?.length ?? 0) <= 10, "the stack's addresses, at most 10");
        }
        assert.equal(on.filter((r) => r.type === "aws:sns/topic:Topic" && r.name.startsWith("runtime-budgets")).length, 0, "no second topic for the budget");
        // Negative control: with the breaker off, no breaker resource, no SNS subscriber, the addresses still mailed.
        assert.equal(off.filter((r) => r.name.startsWith("breaker-aws")).length, 0);
        const offBudget = off.find((r) => r.type === "aws:budgets/budget:Budget");
        for (const n of offBudget?.inputs.notifications as Notification[]) {
            assert.equal(n.subscriberSnsTopicArns, undefined);
            assert.ok((n.subscriberEmailAddresses?.length ?? 0) > 0);
        }
    });

    it("with notifications.awsSnsTopicArn set, that topic is the budget's one SNS subscriber and the Lambda subscribes to it", async () => {
        const userTopic = "arn:aws:sns:us-west-2:123456789012:oncall";
        const stack = loadStack(PROJECT_DIR, "ha");
        const budgets = JSON.parse(stack.config["llm-serving:budgets"] ?? "{}");
        const notifications = JSON.parse(stack.config["llm-serving:notifications"] ?? "{}");
        const config = {
            ...stack.config,
            "llm-serving:budgets": JSON.stringify({ ...budgets, breaker: { enabled: true, stepToZero: false } }),
            "llm-serving:notifications": JSON.stringify({ ...notifications, awsSnsTopicArn: userTopic }),
        };
        const rs = (await runProgram({ ...stack, config })).resources;
        const budget = rs.find((r) => r.type === "aws:budgets/budget:Budget");
        for (const n of budget?.inputs.notifications as Array<{ subscriberSnsTopicArns: string[] }>) assert.deepEqual(n.subscriberSnsTopicArns, [userTopic]);
        assert.equal(named(rs, "aws:sns/topic:Topic", "breaker-aws-topic"), undefined, "no topic of the breaker's own");
        assert.equal(named(rs, "aws:sns/topicSubscription:TopicSubscription", "breaker-aws-fn")?.inputs.topic, userTopic);
        assert.equal(named(rs, "aws:lambda/permission:Permission", "breaker-aws-from-sns")?.inputs.sourceArn, userTopic);
    });

    it("reaches the private API: its security group may reach the cluster's on 443, which admits it", () => {
        const sg = named(on, "aws:ec2/securityGroup:SecurityGroup", "breaker-aws-fn");
        assert.deepEqual((sg?.inputs.egress as Array<{ fromPort: number; toPort: number }>).map((e) => [e.fromPort, e.toPort]), [[443, 443]]);
        assert.deepEqual(sg?.inputs.ingress ?? [], []);
        const rule = named(on, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "breaker-aws-to-api");
        assert.equal(rule?.inputs.fromPort, 443);
        assert.ok(rule?.propertyDependencies.referencedSecurityGroupId?.some((u) => u.endsWith("::breaker-aws-fn")));
    });

    it("the RayService carries the baseline annotation the breaker reads", () => {
        const rs = on.find((r) => r.type === "kubernetes:ray.io/v1:RayService");
        assert.equal((rs?.inputs.metadata as { annotations: Record<string, string> }).annotations["llm-serving-baseline"], "2");
        // The breaker's PATCH takes ownership of serveConfigV2: Pulumi's next server-side apply must force over it to restore the bound.
        assert.equal((rs?.inputs.metadata as { annotations: Record<string, string> }).annotations["pulumi.com/patchForce"], "true");
    });

    it("the program's exact rights pass the least-privilege check", () => {
        const resources = on.map((r) => ({ type: r.type, urn: r.urn, props: r.inputs }));
        assert.deepEqual(awsBreakerRightsProblems(resources), []);
        const checked = on.filter((r) => r.urn.includes("llm-serving:breaker:AwsBreaker$")).map((r) => r.type);
        for (const t of ["aws:iam/rolePolicy:RolePolicy", "aws:eks/accessEntry:AccessEntry", "kubernetes:rbac.authorization.k8s.io/v1:Role", "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding"]) assert.ok(checked.includes(t), t);
    });

    it("widened rights are blocked: a wildcard action, iam:*, another log group, an admin access policy, a cluster-wide Kubernetes role", () => {
        const resources = on.map((r) => ({ type: r.type, urn: r.urn, props: { ...r.inputs } }));
        const policy = resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.urn.includes("AwsBreaker$"))!;
        const widen = (doc: unknown) => awsBreakerRightsProblems(resources.map((r) => (r === policy ? { ...r, props: { ...r.props, policy: JSON.stringify(doc) } } : r)));
        const exact = awsBreakerPolicy(LOG_GROUP);
        assert.match(widen({ ...exact, Statement: [...exact.Statement, { Effect: "Allow", Action: "*", Resource: "*" }] }).map((p) => p.message).join("\n"), /wildcard action \*/);
        assert.match(widen({ ...exact, Statement: [...exact.Statement, { Effect: "Allow", Action: ["iam:PassRole"], Resource: "arn:aws:iam::123456789012:role/x" }] }).map((p) => p.message).join("\n"), /IAM action iam:PassRole/);
        assert.match(widen({ ...exact, Statement: [{ Effect: "Allow", Action: ["logs:PutLogEvents"], Resource: "*" }] }).map((p) => p.message).join("\n"), /not the breaker's own log group/);
        assert.match(widen({ ...exact, Statement: [...exact.Statement, { Effect: "Allow", Action: ["eks:DescribeCluster"], Resource: "*" }] }).map((p) => p.message).join("\n"), /not one the breaker needs/);
        const urnOf = (type: string, name: string) => `urn:pulumi:ha::llm-serving::llm-serving:breaker:AwsBreaker$${type}::${name}`;
        const extra = [
            { type: "aws:eks/accessPolicyAssociation:AccessPolicyAssociation", urn: urnOf("aws:eks/accessPolicyAssociation:AccessPolicyAssociation", "x"), props: { policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy" } },
            { type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", urn: urnOf("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "y"), props: { policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole" } },
            { type: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", urn: urnOf("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", "z"), props: {} },
        ];
        assert.equal(awsBreakerRightsProblems([...resources, ...extra]).length, 3);
        // The same kinds outside the breaker are not its business (negative control).
        assert.deepEqual(awsBreakerRightsProblems(extra.map((e) => ({ ...e, urn: e.urn.replace("llm-serving:breaker:AwsBreaker$", "") }))), []);
    });

    it("IAM and RBAC checks, one exact and one widened each", () => {
        assert.deepEqual(awsBreakerIamProblems(awsBreakerPolicy(LOG_GROUP)), []);
        assert.ok(awsBreakerIamProblems({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "ec2:*", Resource: "*" }] }).length > 0);
        assert.ok(awsBreakerIamProblems({ Version: "2012-10-17", Statement: [{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }] }).length > 0);
        assert.deepEqual(awsBreakerIamProblems("not json"), ["its policy is not JSON"]);
        assert.deepEqual(awsBreakerRbacProblems([{ apiGroups: ["ray.io"], resources: ["rayservices"], resourceNames: ["llm"], verbs: ["get", "patch"] }]), []);
        assert.ok(awsBreakerRbacProblems([{ apiGroups: ["ray.io"], resources: ["rayservices"], resourceNames: ["llm"], verbs: ["get", "patch", "delete"] }]).length > 0);
        assert.ok(awsBreakerRbacProblems([{ apiGroups: ["ray.io"], resources: ["rayservices"], verbs: ["get", "patch"] }]).length > 0, "every RayService of the namespace");
        assert.ok(awsBreakerRbacProblems([{ apiGroups: ["*"], resources: ["*"], resourceNames: ["llm"], verbs: ["get"] }]).length > 0);
    });

    it("is priced: the function's duration bounded by its invocations x timeout (no reserved concurrency: new accounts refuse it), its requests, its log group and its key", () => {
        const resources = on.map((r) => ({ urn: r.urn, type: r.type, name: r.name, props: r.inputs, dependencies: r.dependencies ?? [], propertyDependencies: r.propertyDependencies }));
        const est = estimateStack({ resources, getConfig: () => ({}) } as never);
        assert.ok(est.ok);
        const lines = est.estimate.lines.filter((l) => l.urn.includes("AwsBreaker$"));
        const by = (sku: string) => lines.find((l) => l.sku === sku);
        // No reserved concurrency (refused on a new account: its limit of 10 leaves nothing above the 100 that must stay unreserved).
        assert.equal(named(on, "aws:lambda/function:Function", "breaker-aws-fn")?.inputs.reservedConcurrentExecutions, undefined);
        // 15 invocations (5 notifications x 3 attempts) x 30 s timeout x 0.125 GB x $0.0000133334 = $0.00075 (Arm, us-east-1 list price): $0.00.
        const gbS = by("aws-lambda-arm64-gb-s");
        assert.equal(gbS?.countMax, 15);
        assert.equal(gbS?.hoursPerMonth, 30 / 3600);
        assert.equal(gbS?.worstCaseMonthlyUsd, 0);
        assert.equal(by("aws-lambda-arm64-gb-s")?.baselineMonthlyUsd, 0);
        assert.equal(by("aws-lambda-requests")?.worstCaseMonthlyUsd, 0); // 15 x $0.20 / 1M = $0.000003
        assert.equal(by("aws-kms-key")?.worstCaseMonthlyUsd, 3);
        assert.ok(by("aws-cloudwatch-logs-ingestion"));
        assert.deepEqual(est.estimate.issues.filter((i) => i.urn.includes("AwsBreaker$")), [], "nothing of the breaker unpriced");
    });
});
