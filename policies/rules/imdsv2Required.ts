import { ResourceValidationPolicy } from "@pulumi/policy";
import { EC2 } from "../model/aws/ec2";
import { KARPENTER } from "../model/kubernetes/karpenter";
import { asNumber, readAt } from "../model/read";

export interface Imdsv2RequiredConfig {
    maxHopLimit?: number;
}

/** Where each kind keeps its instance metadata options. */
const METADATA_OPTIONS: Readonly<Record<string, ReadonlyArray<string>>> = {
    [KARPENTER.ec2NodeClass]: ["spec", "metadataOptions"],
    [KARPENTER.ec2NodeClassV1beta1]: ["spec", "metadataOptions"],
    [EC2.launchTemplate]: ["metadataOptions"],
    [EC2.instance]: ["metadataOptions"],
};

/**
 * EC2 capacity answers instance metadata only with IMDSv2 session tokens and a hop limit of 1, so
 * a container cannot lift the node's credentials (origin: CKV_AWS_79, CKV_AWS_341). Enforced on
 * the EC2NodeClass because Karpenter makes its launch templates at run time. The settings must be
 * explicit: AWS's defaults for a launch template are IMDSv1 allowed and, on AL2023, hop limit 2.
 */
export const imdsv2Required: ResourceValidationPolicy = {
    name: "imdsv2-required",
    description: "EC2NodeClasses, launch templates and EC2 instances must require IMDSv2 (metadataOptions.httpTokens: required) with httpPutResponseHopLimit 1 (CKV_AWS_79, CKV_AWS_341).",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            maxHopLimit: {
                type: "integer",
                minimum: 1,
                maximum: 64,
                default: 1,
                description: "Highest httpPutResponseHopLimit allowed; 1 keeps pods away from node credentials.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        const path = METADATA_OPTIONS[args.type];
        if (!path) {
            return;
        }
        const maxHops = args.getConfig<Imdsv2RequiredConfig>().maxHopLimit ?? 1;
        const report = (message: string) => reportViolation(`${args.name} [${args.type}]: ${message}`, args.urn);
        const fix = `Set metadataOptions { httpTokens: "required", httpPutResponseHopLimit: ${maxHops} }.`;
        const endpoint = readAt(args.props, [...path, "httpEndpoint"]);
        if (endpoint.state === "known" && String(endpoint.value).toLowerCase() === "disabled") {
            return; // no metadata service at all
        }
        const tokens = readAt(args.props, [...path, "httpTokens"]);
        if (tokens.state === "unknown") {
            report(`${tokens.field} is unknown at preview. ${fix}`);
        } else if (!(tokens.state === "known" && String(tokens.value).toLowerCase() === "required")) {
            report(`${tokens.field} is not "required", so IMDSv1 answers without a session token. ${fix}`);
        }
        const hops = asNumber(readAt(args.props, [...path, "httpPutResponseHopLimit"]));
        if (hops.state === "unknown") {
            report(`${hops.field} is unknown at preview. ${fix}`);
        } else if (hops.state === "absent") {
            report(`${hops.field} is not set, so the AMI's default applies (2 on AL2023: pods reach the node's credentials). ${fix}`);
        } else if (hops.value > maxHops) {
            report(`${hops.field} is ${hops.value}, above ${maxHops}: pods can reach the node's credentials. ${fix}`);
        }
    },
};
