// Elastic Kubernetes Service: clusters, managed node groups, Fargate profiles.
import { Kind } from "../kind";
import { equalsAny, stringList } from "../common";
import { readAt } from "../read";

export const EKS = {
    cluster: "aws:eks/cluster:Cluster",
    nodeGroup: "aws:eks/nodeGroup:NodeGroup",
    fargateProfile: "aws:eks/fargateProfile:FargateProfile",
} as const;

export const EKS_KINDS: ReadonlyArray<Kind> = [
    {
        name: "eks-cluster",
        provider: "aws",
        types: [EKS.cluster],
        apiServer: (props) => {
            const publicAccess = readAt(props, ["vpcConfig", "endpointPublicAccess"]);
            if (publicAccess.state === "known" && publicAccess.value === false) {
                return { state: "private" };
            }
            if (publicAccess.state === "unknown") {
                return { state: "unknown", field: publicAccess.field };
            }
            return {
                state: "public",
                ranges: readAt(props, ["vpcConfig", "publicAccessCidrs"]),
                fix: "Set vpcConfig.publicAccessCidrs to the admin CIDRs, or endpointPublicAccess: false (private endpoint only).",
            };
        },
    },
    {
        name: "eks-node-group",
        provider: "aws",
        types: [EKS.nodeGroup],
        compute: "priced",
        capacity: {
            kind: "eks-node-group",
            howToSpot: 'set capacityType to "SPOT"',
            read: (props) => [
                {
                    cloud: "aws",
                    kind: "eks-node-group",
                    at: "",
                    skus: stringList(props, ["instanceTypes"]),
                    skuField: "instanceTypes",
                    spot: equalsAny(readAt(props, ["capacityType"]), ["spot"]),
                    spotField: "capacityType",
                    families: [],
                    hasGuestAccelerators: false,
                },
            ],
        },
    },
    { name: "eks-fargate-profile", provider: "aws", types: [EKS.fargateProfile], compute: "unpriced" },
];
