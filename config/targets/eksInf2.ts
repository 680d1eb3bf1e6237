import { z } from "zod";
import { allowedCidrs, cidr, domain, int, oneOf, range } from "../fields";

/**
 * What the program can deploy and price on AWS. Every region and instance type listed here has a
 * price in policies/cost/catalog.ts: a value the cost policy cannot price is refused here, before
 * anything is registered. The model server is the Neuron build of vLLM, so only inf2 types serve.
 */
export const AWS_REGIONS = ["us-east-1", "us-west-2"] as const;
export type AwsRegion = (typeof AWS_REGIONS)[number];

/** Two zones per region by default: EKS needs subnets in at least two. */
export const DEFAULT_AWS_ZONES: Record<AwsRegion, readonly [string, string]> = {
    "us-east-1": ["us-east-1a", "us-east-1b"],
    "us-west-2": ["us-west-2a", "us-west-2b"],
};

/** Versions in EKS standard support on 2026-12-01 (the price catalog's EKS calendar). */
export const EKS_KUBERNETES_VERSIONS = ["1.34", "1.35"] as const;

export const INF2_INSTANCE_TYPES = ["inf2.xlarge", "inf2.8xlarge", "inf2.24xlarge", "inf2.48xlarge"] as const;
export type Inf2InstanceType = (typeof INF2_INSTANCE_TYPES)[number];

/**
 * Per-node capacity of each inf2 size (AWS instance pages via prices.md). `neuron` counts
 * Inferentia2 devices (the Kubernetes resource `aws.amazon.com/neuron`), 2 NeuronCores each.
 */
export const INF2_CAPACITY: Record<Inf2InstanceType, { readonly vcpu: number; readonly memoryGib: number; readonly neuron: number }> = {
    "inf2.xlarge": { vcpu: 4, memoryGib: 16, neuron: 1 },
    "inf2.8xlarge": { vcpu: 32, memoryGib: 128, neuron: 1 },
    "inf2.24xlarge": { vcpu: 96, memoryGib: 384, neuron: 6 },
    "inf2.48xlarge": { vcpu: 192, memoryGib: 768, neuron: 12 },
};

/** System node types (CoreDNS, Karpenter, KubeRay, the Ray head, the front proxy). */
export const SYSTEM_INSTANCE_TYPES = ["m5.large"] as const;
export const CAPACITY_TYPES = ["on-demand", "spot"] as const;

const AZ = /^[a-z]{2}-[a-z]+-\d[a-z]$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;
const ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]{1,512}$/;

const subnetIds = z
    .array(z.string().regex(SUBNET_ID, { error: "must be a subnet id such as subnet-0123abcd" }), {
        error: "must be a list of subnet ids",
    })
    .min(2, { error: "must list at least 2 subnets (EKS needs two availability zones)" })
    .max(6, { error: "must list at most 6 subnets" });

export const eksInf2Schema = z
    .strictObject(
        {
            region: oneOf(AWS_REGIONS, "regions"),
            /** Zones for the new VPC's subnets (ignored with `existingNetwork`). @default two zones of the region */
            availabilityZones: z
                .array(z.string().regex(AZ, { error: "must be a zone name such as us-west-2a" }), {
                    error: "must be a list of availability zone names",
                })
                .min(2, { error: "must list at least 2 zones (EKS needs two)" })
                .max(3, { error: "must list at most 3 zones" })
                .optional(),
            /** CIDR of the new VPC. @default "10.40.0.0/16" */
            vpcCidr: cidr.default("10.40.0.0/16"),
            /**
             * Use existing subnets instead of creating a VPC: private subnets for nodes (with a NAT
             * route), public subnets for the load balancer. They are tagged for Karpenter discovery.
             * @default a new VPC with one NAT gateway
             */
            existingNetwork: z
                .strictObject(
                    {
                        vpcId: z.string().regex(VPC_ID, { error: "must be a VPC id such as vpc-0123abcd" }),
                        privateSubnetIds: subnetIds,
                        publicSubnetIds: subnetIds,
                    },
                    { error: "must be an object { vpcId, privateSubnetIds, publicSubnetIds }" },
                )
                .optional(),
            /**
             * EKS Kubernetes version: the versions in EKS standard support on 2026-12-01 (1.34 until
             * 2026-12-02, 1.35 until 2027-03-27; endoflife.date/amazon-eks). @default "1.35"
             */
            kubernetesVersion: oneOf(EKS_KUBERNETES_VERSIONS, "EKS versions").default("1.35"),
            /**
             * What EKS does when the version leaves standard support: STANDARD upgrades the cluster
             * to the next version (never billed extended support, $0.60 instead of $0.10 per hour);
             * EXTENDED keeps it and bills extended support (the cost policy then prices $0.60/h).
             * @default "STANDARD"
             */
            supportType: oneOf(["STANDARD", "EXTENDED"] as const, "EKS support types").default("STANDARD"),
            /**
             * CIDRs allowed to reach the Kubernetes API endpoint. Empty: the endpoint is private
             * only (reachable from inside the VPC). "0.0.0.0/0" is refused. @default []
             */
            apiAccessCidrs: allowedCidrs,
            /** IAM principals (role or user ARNs) granted cluster-admin through EKS access entries. @default [] */
            adminPrincipalArns: z
                .array(z.string().regex(ARN, { error: "must be an IAM role or user ARN" }), {
                    error: "must be a list of IAM role or user ARNs",
                })
                .max(10, { error: "must list at most 10 principals" })
                .default([]),
            /** Managed node group for system pods: type and size. */
            systemNodes: z
                .strictObject(
                    {
                        /** @default "m5.large" */
                        instanceType: oneOf(SYSTEM_INSTANCE_TYPES, "system instance types").default("m5.large"),
                        /** @default { min: 2, max: 3 } */
                        count: range(1, 5).default({ min: 2, max: 3 }),
                    },
                    { error: "must be an object { instanceType, count }" },
                )
                .default({ instanceType: "m5.large", count: { min: 2, max: 3 } }),
            /** inf2 types Karpenter may launch for model workers. @default ["inf2.8xlarge"] */
            instanceTypes: z
                .array(oneOf(INF2_INSTANCE_TYPES, "inf2 instance types"), { error: "must be a list of inf2 instance types" })
                .min(1, { error: "must list at least one inf2 instance type" })
                .refine((l) => new Set(l).size === l.length, { error: "must not repeat an instance type" })
                .default(["inf2.8xlarge"]),
            /** Capacity type of inf2 nodes; spot needs the interruption queue (always created). @default "on-demand" */
            capacityType: oneOf(CAPACITY_TYPES, "capacity types").default("on-demand"),
            /**
             * Most inf2 nodes at once. The NodePool's `spec.limits` (cpu, memory, aws.amazon.com/neuron)
             * are this times the largest allowed type, which is what the cost policy prices.
             */
            maxNodes: int(1, 20),
            /** Ray Serve replicas of the model (autoscaling bounds); each takes one Inferentia2 device. */
            replicas: range(1, 40),
            /** Root volume of inf2 nodes: image, Neuron compile cache and weights. @default 200 */
            nodeVolumeGib: int(100, 2000).default(200),
            /**
             * Serve HTTPS on 443 under this DNS name with the stack's certificate
             * (llm-serving:tlsCertificate and tlsPrivateKey, both required with it); point the name
             * at the endpoint's address yourself. @default plain HTTP (development only)
             */
            domain: domain.optional(),
            /** Client CIDRs admitted by the load balancer. @default [] (any client with the key) */
            allowedCidrs,
            /** Ray GCS fault tolerance through an ElastiCache Redis (TLS, password from a secret). @default false */
            gcsFaultTolerance: z.boolean({ error: "must be true or false" }).default(false),
            /**
             * The serving image built from images/neuron-ray-serve/Dockerfile (vLLM for Neuron plus
             * Ray Serve) and pushed to your registry, pinned to a tag or digest. Required: no public
             * image carries both, and a RayService without Ray never starts.
             */
            image: z
                .string({
                    error: "must be the image built from images/neuron-ray-serve/Dockerfile (vLLM for Neuron plus Ray Serve), pushed to your registry, with a tag or digest",
                })
                .regex(/^[\w.-]+(:\d+)?(\/[\w.-]+)+(@sha256:[0-9a-f]{64}|:[\w][\w.-]{0,127})$/, {
                    error: "must be an image reference pinned to a tag or digest",
                })
                .refine((image) => !/:latest$/.test(image), { error: "must not use the tag latest" }),
        },
        { error: "must be an object" },
    )
    .superRefine((cfg, ctx) => {
        for (const [i, zone] of (cfg.availabilityZones ?? []).entries()) {
            if (!zone.startsWith(cfg.region)) {
                ctx.addIssue({ code: "custom", path: ["availabilityZones", i], input: zone, message: `must be a zone of ${cfg.region}` });
            }
        }
        const devices = maxNeuronDevices(cfg.instanceTypes, cfg.maxNodes);
        if (cfg.replicas.max > devices) {
            ctx.addIssue({
                code: "custom",
                path: ["replicas", "max"],
                input: cfg.replicas.max,
                message: `must not exceed the Inferentia2 devices maxNodes allows (${devices}: ${cfg.maxNodes} x ${maxOf(cfg.instanceTypes, "neuron")} per node); each replica takes one device`,
            });
        }
    })
    .transform((cfg) => ({ ...cfg, availabilityZones: cfg.availabilityZones ?? [...DEFAULT_AWS_ZONES[cfg.region]] }));

export type EksInf2Config = z.output<typeof eksInf2Schema>;

/** The largest per-node value of `key` over the allowed types (NodePool limits are sized from it). */
export function maxOf(types: readonly Inf2InstanceType[], key: "vcpu" | "memoryGib" | "neuron"): number {
    return Math.max(...types.map((t) => INF2_CAPACITY[t][key]));
}

/** Inferentia2 devices the NodePool's limits admit. */
export function maxNeuronDevices(types: readonly Inf2InstanceType[], maxNodes: number): number {
    return maxNodes * maxOf(types, "neuron");
}
