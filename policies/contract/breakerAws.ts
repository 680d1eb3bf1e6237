// The AWS breaker's rights (issue 16), the one definition both sides read: the program builds its
// role's inline policy and its Kubernetes Role from these (stack/breaker/aws.ts), and the pack's
// breaker-least-privilege rule checks what was declared against them (policies/breaker/aws.ts).
//   IAM:        write to its own log group; manage the ENIs Lambda places in the cluster's VPC.
//               Nothing else: the EKS token is presigned locally (no STS call), and the endpoint and
//               CA come in the environment (no eks:DescribeCluster).
//   Kubernetes: get and patch ONE RayService in the model's namespace (a Role, not a ClusterRole),
//               through a group on its EKS access entry; no EKS access policy is associated.

/** The Kubernetes group the breaker's access entry carries and its RoleBinding names. */
export const BREAKER_K8S_GROUP = "llm-serving-breaker";

/**
 * The ENI actions a Lambda in a VPC needs (the EC2 statement of the AWS managed policy
 * AWSLambdaVPCAccessExecutionRole; Lambda Developer Guide, "Giving Lambda functions access to
 * resources in an Amazon VPC"). Lambda creates the ENIs with the role when the function is
 * created or changed; the Describe actions take no resource-level permission, so AWS's own policy
 * grants all six on "*" and so does this one. Without the logs statement of that managed policy,
 * which grants logs:* writes on every log group.
 */
export const LAMBDA_VPC_ENI_ACTIONS = [
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
] as const;
/** Writing its own log lines (the log group is declared by the program, so no logs:CreateLogGroup). */
export const LOG_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents"] as const;
export const AWS_BREAKER_ACTIONS: ReadonlySet<string> = new Set([...LOG_ACTIONS, ...LAMBDA_VPC_ENI_ACTIONS]);

/** The log group's streams: `<log group ARN>:*` (CloudWatch Logs' log-stream resource form). */
export const OWN_LOG_STREAMS = /^arn:aws[a-z-]*:logs:[a-z0-9-]+:[0-9]{12}:log-group:\/aws\/lambda\/llm-serving-breaker-[A-Za-z0-9_.-]+:\*$/;

export interface IamStatement {
    readonly Sid?: string;
    readonly Effect: string;
    readonly Action?: string | string[];
    readonly NotAction?: unknown;
    readonly Resource?: string | string[];
    readonly NotResource?: unknown;
}
export interface IamPolicy {
    readonly Version: string;
    readonly Statement: IamStatement[];
}

/** The role's inline policy; `logGroupArn` is the log group's ARN (without a trailing ":*"). */
export function awsBreakerPolicy(logGroupArn: string): IamPolicy {
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "OwnLogGroup", Effect: "Allow", Action: [...LOG_ACTIONS], Resource: `${logGroupArn.replace(/:\*$/, "")}:*` },
            { Sid: "VpcNetworkInterfaces", Effect: "Allow", Action: [...LAMBDA_VPC_ENI_ACTIONS], Resource: "*" },
        ],
    };
}

/** The Kubernetes Role's rules: get and patch the one RayService. */
export function breakerRbacRules(rayService: string): Array<{ apiGroups: string[]; resources: string[]; resourceNames: string[]; verbs: string[] }> {
    return [{ apiGroups: ["ray.io"], resources: ["rayservices"], resourceNames: [rayService], verbs: ["get", "patch"] }];
}

