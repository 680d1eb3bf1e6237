import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ec2 from "@pulumi/aws/ec2";
import * as eks from "@pulumi/aws/eks";
import * as iam from "@pulumi/aws/iam";
import * as kms from "@pulumi/aws/kms";
import { stringify } from "yaml";
import { EksInf2Config } from "./config";
import { Network } from "./network";
import { POOL_LABEL, SYSTEM_POOL } from "./labels";

export const CONTROL_PLANE_LOGS = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;
/** Managed policies every EKS node needs (EKS node IAM role docs); SSM for shell-less access. */
export const NODE_POLICIES = [
    "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
    "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
] as const;
const CLUSTER_ADMIN_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

/** Trust policy for a role assumed by an AWS service (never `Principal: "*"`). */
export function serviceTrust(service: string, actions: readonly string[] = ["sts:AssumeRole"]): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: [...actions] }],
    });
}

/** Stable child-name suffix for a principal ARN: reordering the list renames nothing. */
export function principalSuffix(arn: string): string {
    return createHash("sha256").update(arn).digest("hex").slice(0, 8);
}

/**
 * A kubeconfig that gets a token from `aws eks get-token` (no static credential inside). It is
 * still exported as a secret: it names the endpoint and the CA of a private control plane.
 */
export function buildKubeconfig(input: { clusterName: string; endpoint: string; caData: string; region: string }): string {
    return stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: input.clusterName, cluster: { server: input.endpoint, "certificate-authority-data": input.caData } }],
        contexts: [{ name: input.clusterName, context: { cluster: input.clusterName, user: input.clusterName } }],
        "current-context": input.clusterName,
        users: [
            {
                name: input.clusterName,
                user: {
                    exec: {
                        apiVersion: "client.authentication.k8s.io/v1beta1",
                        command: "aws",
                        args: ["eks", "get-token", "--cluster-name", input.clusterName, "--region", input.region, "--output", "json"],
                    },
                },
            },
        ],
    });
}

export interface ClusterArgs {
    readonly config: EksInf2Config;
    readonly clusterName: string;
    readonly network: Network;
    readonly tags: Readonly<Record<string, string>>;
}

export interface Cluster {
    readonly cluster: eks.Cluster;
    readonly systemNodes: eks.NodeGroup;
    readonly kubeconfig: pulumi.Output<string>;
    /** The EKS-made security group every node (managed and Karpenter) uses. */
    readonly securityGroupId: pulumi.Output<string>;
}

/** EKS control plane (public endpoint for the deployer's CIDRs plus private access, secrets encrypted, logs on), system node group and access entries. */
export function createCluster(name: string, args: ClusterArgs, opts: { parent: pulumi.Resource }): Cluster {
    const { config, clusterName, tags } = args;
    const region = config.region;

    const key = new kms.Key(
        `${name}-secrets-key`,
        { region, description: `EKS secrets encryption for ${clusterName}`, enableKeyRotation: true, deletionWindowInDays: 30, tags },
        opts,
    );
    const role = new iam.Role(`${name}-cluster-role`, { assumeRolePolicy: serviceTrust("eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"]), tags }, opts);
    const rolePolicy = new iam.RolePolicyAttachment(
        `${name}-cluster-policy`,
        { role: role.name, policyArn: "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy" },
        opts,
    );
    // Created before the cluster so EKS writes into it, with a retention instead of "never expire".
    const logs = new cloudwatch.LogGroup(
        `${name}-control-plane-logs`,
        { region, name: `/aws/eks/${clusterName}/cluster`, retentionInDays: 30, tags },
        opts,
    );

    const cluster = new eks.Cluster(
        `${name}-cluster`,
        {
            region,
            name: clusterName,
            version: config.kubernetesVersion,
            // STANDARD: EKS upgrades the cluster when standard support ends instead of billing extended support.
            upgradePolicy: { supportType: config.supportType },
            roleArn: role.arn,
            vpcConfig: {
                subnetIds: [...args.network.privateSubnetIds, ...args.network.publicSubnetIds],
                // Nodes reach the API privately; the deployer (Pulumi's Kubernetes provider) through the
                // public endpoint, admitted from its egress CIDRs only (the schema requires at least
                // one and refuses 0.0.0.0/0).
                endpointPrivateAccess: true,
                endpointPublicAccess: true,
                publicAccessCidrs: [...config.apiAccessCidrs],
            },
            encryptionConfig: { resources: ["secrets"], provider: { keyArn: key.arn } },
            enabledClusterLogTypes: [...CONTROL_PLANE_LOGS],
            // Access entries only (no aws-auth ConfigMap); the identity running Pulumi stays admin so the
            // Kubernetes provider below can install the add-ons.
            accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
            tags,
        },
        { ...opts, dependsOn: [rolePolicy, logs] },
    );

    for (const arn of config.adminPrincipalArns) {
        const suffix = principalSuffix(arn);
        const entry = new eks.AccessEntry(`${name}-admin-${suffix}`, { region, clusterName: cluster.name, principalArn: arn, type: "STANDARD", tags }, opts);
        new eks.AccessPolicyAssociation(
            `${name}-admin-${suffix}`,
            { region, clusterName: cluster.name, principalArn: entry.principalArn, policyArn: CLUSTER_ADMIN_POLICY, accessScope: { type: "cluster" } },
            opts,
        );
    }

    const nodeRole = new iam.Role(`${name}-system-node-role`, { assumeRolePolicy: serviceTrust("ec2.amazonaws.com"), tags }, opts);
    const attachments = NODE_POLICIES.map(
        (policyArn) => new iam.RolePolicyAttachment(`${name}-system-node-${policyArn.split("/").pop()}`, { role: nodeRole.name, policyArn }, opts),
    );
    const template = new ec2.LaunchTemplate(
        `${name}-system-nodes`,
        {
            region,
            description: "System nodes: IMDSv2 only, hop limit 1, encrypted root volume",
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
            blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 50, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } }],
            tagSpecifications: [{ resourceType: "instance", tags }, { resourceType: "volume", tags }],
            tags,
        },
        opts,
    );
    const systemNodes = new eks.NodeGroup(
        `${name}-system-nodes`,
        {
            region,
            clusterName: cluster.name,
            nodeRoleArn: nodeRole.arn,
            subnetIds: args.network.privateSubnetIds,
            instanceTypes: [config.systemNodes.instanceType],
            capacityType: "ON_DEMAND",
            amiType: "AL2023_x86_64_STANDARD",
            scalingConfig: { minSize: config.systemNodes.count.min, desiredSize: config.systemNodes.count.min, maxSize: config.systemNodes.count.max },
            updateConfig: { maxUnavailable: 1 },
            launchTemplate: { id: template.id, version: pulumi.interpolate`${template.latestVersion}` },
            labels: { [POOL_LABEL]: SYSTEM_POOL },
            tags,
        },
        { ...opts, dependsOn: attachments },
    );

    const kubeconfig = pulumi.secret(
        pulumi
            .all([cluster.name, cluster.endpoint, cluster.certificateAuthority])
            .apply(([n, endpoint, ca]) => buildKubeconfig({ clusterName: n, endpoint, caData: ca.data ?? "", region })),
    );
    return {
        cluster,
        systemNodes,
        kubeconfig,
        securityGroupId: cluster.vpcConfig.apply((v) => v.clusterSecurityGroupId ?? ""),
    };
}
