// EC2: instances, launch templates, volumes, and the fleet and group kinds the engine does not price.
import { Capacity, Kind } from "../kind";
import { equalsAny, nonAbsent } from "../common";
import { asString, readAt } from "../read";

export const EC2 = {
    instance: "aws:ec2/instance:Instance",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    ebsVolume: "aws:ebs/volume:Volume",
    spotInstanceRequest: "aws:ec2/spotInstanceRequest:SpotInstanceRequest",
    spotFleetRequest: "aws:ec2/spotFleetRequest:SpotFleetRequest",
    fleet: "aws:ec2/fleet:Fleet",
    autoscalingGroup: "aws:autoscaling/group:Group",
} as const;

const HOW_TO_SPOT = 'set instanceMarketOptions.marketType to "spot"';

/** EC2 instances are spot when instanceMarketOptions.marketType is "spot". */
function instance(props: unknown, kind: string): Capacity {
    return {
        cloud: "aws",
        kind,
        at: "",
        skus: nonAbsent([asString(readAt(props, ["instanceType"]))]),
        skuField: "instanceType",
        spot: equalsAny(readAt(props, ["instanceMarketOptions", "marketType"]), ["spot"]),
        spotField: "instanceMarketOptions.marketType",
        families: [],
        hasGuestAccelerators: false,
    };
}

/**
 * A launch template may leave the instance type to whatever launches from it (an EKS node group's
 * instanceTypes, checked there); when it names one, that type is capacity like an instance's.
 */
function launchTemplate(props: unknown): Capacity[] {
    const sku = asString(readAt(props, ["instanceType"]));
    if (sku.state === "absent") {
        return [];
    }
    return [instance(props, "ec2-launch-template")];
}

export const EC2_KINDS: ReadonlyArray<Kind> = [
    { name: "ec2-instance", provider: "aws", types: [EC2.instance], compute: "priced", capacity: { kind: "ec2-instance", howToSpot: HOW_TO_SPOT, read: (props) => [instance(props, "ec2-instance")] } },
    { name: "ec2-launch-template", provider: "aws", types: [EC2.launchTemplate], capacity: { kind: "ec2-launch-template", howToSpot: HOW_TO_SPOT, read: launchTemplate } },
    { name: "ebs-volume", provider: "aws", types: [EC2.ebsVolume] },
    { name: "ec2-spot-request", provider: "aws", types: [EC2.spotInstanceRequest, EC2.spotFleetRequest], compute: "unpriced" },
    { name: "ec2-fleet", provider: "aws", types: [EC2.fleet], compute: "unpriced" },
    { name: "autoscaling-group", provider: "aws", types: [EC2.autoscalingGroup], compute: "unpriced" },
];
