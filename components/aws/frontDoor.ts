import * as pulumi from "@pulumi/pulumi";
import * as autoscaling from "@pulumi/aws/autoscaling";
import * as ec2 from "@pulumi/aws/ec2";
import * as eks from "@pulumi/aws/eks";
import * as lb from "@pulumi/aws/lb";
import * as vpc from "@pulumi/aws/vpc";
import { AwsRegion } from "../../config/targets/eksInf2";
import { PROXY_HEALTH_PATH, PROXY_NODE_PORT } from "./proxy";

/**
 * The public entry, declared explicitly: an internet-facing NLB whose target group is the system
 * node group's autoscaling group on the proxy's NodePort. A Kubernetes Service of type
 * LoadBalancer would make an NLB at run time that neither Pulumi nor the cost policy sees; this
 * one is an `aws:lb/loadBalancer:LoadBalancer` with a region, so it is priced. Its security group
 * admits port 80 from the allowed CIDRs only (any address when none is set: the API key applies).
 */
export interface FrontDoorArgs {
    readonly region: AwsRegion;
    readonly vpcId: pulumi.Input<string>;
    readonly publicSubnetIds: pulumi.Input<string>[];
    readonly nodeSecurityGroupId: pulumi.Input<string>;
    readonly systemNodes: eks.NodeGroup;
    readonly allowedCidrs: readonly string[];
    readonly tags: Readonly<Record<string, string>>;
}

export function createFrontDoor(name: string, args: FrontDoorArgs, opts: { parent: pulumi.Resource }): lb.LoadBalancer {
    const { region, tags } = args;
    const sg = new ec2.SecurityGroup(
        `${name}-nlb`,
        { region, vpcId: args.vpcId, description: "NLB: HTTP from allowed clients; to the proxy NodePort only", tags },
        opts,
    );
    const sources = args.allowedCidrs.length > 0 ? args.allowedCidrs : ["0.0.0.0/0"];
    for (const cidr of sources) {
        new vpc.SecurityGroupIngressRule(
            `${name}-nlb-from-${cidr.replace(/[./]/g, "-")}`,
            { region, securityGroupId: sg.id, cidrIpv4: cidr, ipProtocol: "tcp", fromPort: 80, toPort: 80, description: "clients", tags },
            opts,
        );
    }
    new vpc.SecurityGroupEgressRule(
        `${name}-nlb-to-nodes`,
        { region, securityGroupId: sg.id, referencedSecurityGroupId: args.nodeSecurityGroupId, ipProtocol: "tcp", fromPort: PROXY_NODE_PORT, toPort: PROXY_NODE_PORT, tags },
        opts,
    );
    new vpc.SecurityGroupIngressRule(
        `${name}-nodes-from-nlb`,
        { region, securityGroupId: args.nodeSecurityGroupId, referencedSecurityGroupId: sg.id, ipProtocol: "tcp", fromPort: PROXY_NODE_PORT, toPort: PROXY_NODE_PORT, description: "NLB to the proxy NodePort", tags },
        opts,
    );

    const nlb = new lb.LoadBalancer(
        `${name}-nlb`,
        { region, loadBalancerType: "network", internal: false, subnets: args.publicSubnetIds, securityGroups: [sg.id], tags },
        opts,
    );
    const targets = new lb.TargetGroup(
        `${name}-proxy`,
        {
            region,
            vpcId: args.vpcId,
            port: PROXY_NODE_PORT,
            protocol: "TCP",
            targetType: "instance",
            healthCheck: { protocol: "HTTP", path: PROXY_HEALTH_PATH, port: String(PROXY_NODE_PORT), healthyThreshold: 2, unhealthyThreshold: 2, interval: 10 },
            tags,
        },
        opts,
    );
    new lb.Listener(
        `${name}-http`,
        { region, loadBalancerArn: nlb.arn, port: 80, protocol: "TCP", defaultActions: [{ type: "forward", targetGroupArn: targets.arn }], tags },
        opts,
    );
    new autoscaling.Attachment(
        `${name}-system-nodes`,
        {
            region,
            autoscalingGroupName: args.systemNodes.resources.apply((r) => r[0]?.autoscalingGroups?.[0]?.name ?? ""),
            lbTargetGroupArn: targets.arn,
        },
        opts,
    );
    return nlb;
}
