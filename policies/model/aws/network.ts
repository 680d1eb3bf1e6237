// AWS networking: load balancers and listeners, NAT gateways, Elastic IPs, security groups.
import { Kind } from "../kind";

export const AWS_NET = {
    loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
    albLoadBalancer: "aws:alb/loadBalancer:LoadBalancer",
    listener: "aws:lb/listener:Listener",
    albListener: "aws:alb/listener:Listener",
    natGateway: "aws:ec2/natGateway:NatGateway",
    eip: "aws:ec2/eip:Eip",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
} as const;

export const AWS_LOAD_BALANCERS: ReadonlyArray<string> = [AWS_NET.loadBalancer, AWS_NET.albLoadBalancer];
export const AWS_LISTENERS: ReadonlyArray<string> = [AWS_NET.listener, AWS_NET.albListener];

export const AWS_NET_KINDS: ReadonlyArray<Kind> = [
    { name: "aws-load-balancer", provider: "aws", types: AWS_LOAD_BALANCERS },
    { name: "aws-listener", provider: "aws", types: AWS_LISTENERS },
    { name: "aws-nat-gateway", provider: "aws", types: [AWS_NET.natGateway] },
    { name: "aws-eip", provider: "aws", types: [AWS_NET.eip] },
    { name: "aws-security-group", provider: "aws", types: [AWS_NET.securityGroup] },
    { name: "aws-security-group-rule", provider: "aws", types: [AWS_NET.securityGroupRule, AWS_NET.ingressRule] },
];
