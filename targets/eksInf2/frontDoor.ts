import * as pulumi from "@pulumi/pulumi";
import * as acm from "@pulumi/aws/acm";
import * as autoscaling from "@pulumi/aws/autoscaling";
import * as ec2 from "@pulumi/aws/ec2";
import * as eks from "@pulumi/aws/eks";
import * as lb from "@pulumi/aws/lb";
import * as vpc from "@pulumi/aws/vpc";
import { AwsRegion } from "./config";
import { splitCertificateChain, TlsCertificate } from "../../config";
import { PROXY_HEALTH_PATH, PROXY_NODE_PORT } from "./proxy";

/**
 * The public entry, declared explicitly: an internet-facing NLB whose target group is the system
 * node group's autoscaling group on the proxy's NodePort. A Kubernetes Service of type
 * LoadBalancer would make an NLB at run time that neither Pulumi nor the cost policy sees; this
 * one is an `aws:lb/loadBalancer:LoadBalancer` with a region, so it is priced. Its security group
 * admits the listener port from the allowed CIDRs only (any address when none is set: the API key
 * applies). With `tls`, the certificate is imported into ACM and the NLB terminates TLS on 443
 * (the target group stays plain TCP to the proxy's NodePort, inside the VPC); without, a TCP
 * listener on 80 (development only: the key crosses the network in clear).
 */
export interface FrontDoorArgs {
    readonly region: AwsRegion;
    readonly vpcId: pulumi.Input<string>;
    readonly publicSubnetIds: pulumi.Input<string>[];
    readonly nodeSecurityGroupId: pulumi.Input<string>;
    readonly systemNodes: eks.NodeGroup;
    readonly allowedCidrs: readonly string[];
    readonly tags: Readonly<Record<string, string>>;
    /**
     * TLS on 443: an ACM certificate by ARN (requested or imported in ACM beforehand), or the
     * stack's certificate, imported into ACM here. @default plain TCP on 80
     */
    readonly tls?: TlsCertificate | { readonly certificateArn: string };
}

/** TLS 1.3 and 1.2 only (AWS's recommended NLB policy). */
export const NLB_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export function createFrontDoor(name: string, args: FrontDoorArgs, opts: { parent: pulumi.Resource }): lb.LoadBalancer {
    const { region, tags } = args;
    const port = args.tls ? 443 : 80;
    const sg = new ec2.SecurityGroup(
        `${name}-nlb`,
        { region, vpcId: args.vpcId, description: `NLB: ${args.tls ? "HTTPS" : "HTTP"} from allowed clients; to the proxy NodePort only`, tags },
        opts,
    );
    const sources = args.allowedCidrs.length > 0 ? args.allowedCidrs : ["0.0.0.0/0"];
    for (const cidr of sources) {
        new vpc.SecurityGroupIngressRule(
            `${name}-nlb-from-${cidr.replace(/[./]/g, "-")}`,
            { region, securityGroupId: sg.id, cidrIpv4: cidr, ipProtocol: "tcp", fromPort: port, toPort: port, description: "clients", tags },
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
    const forward = [{ type: "forward", targetGroupArn: targets.arn }];
    if (args.tls) {
        const certificateArn = "certificateArn" in args.tls ? pulumi.output(args.tls.certificateArn) : importCertificate(name, args.tls, args, opts);
        new lb.Listener(
            `${name}-https`,
            {
                region,
                loadBalancerArn: nlb.arn,
                port,
                protocol: "TLS",
                certificateArn,
                sslPolicy: NLB_TLS_POLICY,
                defaultActions: forward,
                tags,
            },
            opts,
        );
    } else {
        new lb.Listener(
            `${name}-http`,
            { region, loadBalancerArn: nlb.arn, port, protocol: "TCP", defaultActions: forward, tags },
            opts,
        );
    }
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

/** The stack's certificate imported into ACM (leaf, chain, key), for the NLB's TLS listener. */
function importCertificate(name: string, tls: TlsCertificate, args: FrontDoorArgs, opts: { parent: pulumi.Resource }): pulumi.Output<string> {
    const { region, tags } = args;
    const pem = pulumi.secret(tls.certificate).apply(splitCertificateChain);
    const certificate = new acm.Certificate(
        `${name}-cert`,
        {
            region,
            certificateBody: pem.apply((p) => p.body),
            certificateChain: pem.apply((p) => p.chain),
            privateKey: pulumi.secret(tls.privateKey),
            tags,
        },
        { ...opts, additionalSecretOutputs: ["privateKey"] },
    );
    return certificate.arn;
}
