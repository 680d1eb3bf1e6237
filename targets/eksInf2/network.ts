import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import { EksInf2Config } from "./config";
import { DISCOVERY_TAG } from "./labels";

export interface Network {
    readonly vpcId: pulumi.Output<string>;
    /** Nodes live here (outbound through NAT); tagged for Karpenter discovery. */
    readonly privateSubnetIds: pulumi.Output<string>[];
    /** The internet-facing NLB lives here. */
    readonly publicSubnetIds: pulumi.Output<string>[];
}

export interface NetworkArgs {
    readonly config: EksInf2Config;
    readonly clusterName: string;
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * Public and private /20 subnets for each zone, carved from a /16 (or larger) VPC CIDR: public
 * ones from the start of the range, private ones from its middle.
 */
export function subnetCidrs(vpcCidr: string, zones: readonly string[]): { public: string[]; private: string[] } {
    const [base, prefixText] = vpcCidr.split("/");
    const prefix = Number(prefixText);
    if (prefix > 18) throw new Error(`vpcCidr ${vpcCidr}: must be /18 or larger to hold ${zones.length * 2} subnets`);
    const start = base.split(".").reduce((acc, o) => acc * 256 + Number(o), 0) >>> 0;
    const size = 2 ** (32 - prefix - 4); // /prefix+4 subnets: 16 of them
    const ip = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");
    const at = (i: number) => `${ip(start + i * size)}/${prefix + 4}`;
    return { public: zones.map((_, i) => at(i)), private: zones.map((_, i) => at(8 + i)) };
}

/** A VPC with one NAT gateway, or existing subnets tagged for discovery. */
export function createNetwork(name: string, args: NetworkArgs, opts: { parent: pulumi.Resource }): Network {
    const { config, tags } = args;
    const region = config.region;
    const discovery = { [DISCOVERY_TAG]: args.clusterName };
    if (config.existingNetwork) {
        const existing = config.existingNetwork;
        // Subnet ids are stable identifiers, so tagging resources are named by id, never by index.
        for (const id of existing.privateSubnetIds) {
            new ec2.Tag(`${name}-discovery-${id}`, { region, resourceId: id, key: DISCOVERY_TAG, value: args.clusterName }, opts);
        }
        return {
            vpcId: pulumi.output(existing.vpcId),
            privateSubnetIds: existing.privateSubnetIds.map((id) => pulumi.output(id)),
            publicSubnetIds: existing.publicSubnetIds.map((id) => pulumi.output(id)),
        };
    }

    const cidrs = subnetCidrs(config.vpcCidr, config.availabilityZones);
    const vpc = new ec2.Vpc(
        `${name}-vpc`,
        { region, cidrBlock: config.vpcCidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { ...tags, Name: `${args.clusterName}` } },
        opts,
    );
    const igw = new ec2.InternetGateway(`${name}-igw`, { region, vpcId: vpc.id, tags }, opts);
    // Children are named by zone (stable), not by list position.
    const publics = config.availabilityZones.map(
        (zone, i) =>
            new ec2.Subnet(
                `${name}-public-${zone}`,
                {
                    region,
                    vpcId: vpc.id,
                    availabilityZone: zone,
                    cidrBlock: cidrs.public[i],
                    mapPublicIpOnLaunch: false,
                    tags: { ...tags, "kubernetes.io/role/elb": "1" },
                },
                opts,
            ),
    );
    const privates = config.availabilityZones.map(
        (zone, i) =>
            new ec2.Subnet(
                `${name}-private-${zone}`,
                {
                    region,
                    vpcId: vpc.id,
                    availabilityZone: zone,
                    cidrBlock: cidrs.private[i],
                    tags: { ...tags, ...discovery, "kubernetes.io/role/internal-elb": "1" },
                },
                opts,
            ),
    );
    const publicRoutes = new ec2.RouteTable(
        `${name}-public-rt`,
        { region, vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }], tags },
        opts,
    );
    // One NAT gateway (not one per zone): nodes only pull images and weights through it, and
    // each gateway is priced per hour. A zone outage costs egress, not serving capacity in place.
    const eip = new ec2.Eip(`${name}-nat-ip`, { region, domain: "vpc", tags }, opts);
    const nat = new ec2.NatGateway(`${name}-nat`, { region, allocationId: eip.id, subnetId: publics[0].id, tags }, opts);
    const privateRoutes = new ec2.RouteTable(
        `${name}-private-rt`,
        { region, vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }], tags },
        opts,
    );
    config.availabilityZones.forEach((zone, i) => {
        new ec2.RouteTableAssociation(`${name}-public-${zone}`, { region, subnetId: publics[i].id, routeTableId: publicRoutes.id }, opts);
        new ec2.RouteTableAssociation(`${name}-private-${zone}`, { region, subnetId: privates[i].id, routeTableId: privateRoutes.id }, opts);
    });
    return {
        vpcId: vpc.id,
        privateSubnetIds: privates.map((s) => s.id),
        publicSubnetIds: publics.map((s) => s.id),
    };
}
