import { z } from "zod";
import { allowedCidrs, checkPlaintextWithDomain, cidr, cidrList, domain, int, noDuplicates, oneOf, plaintextHttp, range } from "../../config/fields";
import { parseCidr } from "../../policies/contract/cidr";
import { rasaSchema } from "../../config/rasa";

/** An image reference pinned to a tag or digest (registry host, optional port, a path). */
const PINNED_IMAGE = /^[\w.-]+(:\d+)?(\/[\w.-]+)+(@sha256:[0-9a-f]{64}|:[\w][\w.-]{0,127})$/;

/**
 * What the program can deploy and price on AWS. Every region and instance type listed here has a
 * price in policies/cost/catalog.ts: a value the cost policy cannot price is refused here, before
 * anything is registered. The model server is the Neuron build of vLLM, so only inf2 types serve.
 */
export const AWS_REGIONS = ["us-east-1", "us-west-2"] as const;
/** An ACM certificate's ARN; group 1 is its region. */
export const ACM_CERTIFICATE_ARN = /^arn:aws:acm:([a-z]{2}-[a-z]+-\d):\d{12}:certificate\/[0-9a-f-]{36}$/;
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
 * Per-node capacity of each inf2 size (AWS instance type pages). `neuron` counts
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
/** Who provides the account's EC2 Spot service-linked role: this stack, or the account already. */
export const SPOT_ROLE_MODES = ["create", "existing"] as const;

const AZ = /^[a-z]{2}-[a-z]+-\d[a-z]$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;
const ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]{1,512}$/;

const subnetIds = z
    .array(z.string().regex(SUBNET_ID, { error: "must be a subnet id such as subnet-0123abcd" }), {
        error: "must be a list of subnet ids",
    })
    .min(2, { error: "must list at least 2 subnets (EKS needs two availability zones)" })
    .max(6, { error: "must list at most 6 subnets" })
    .superRefine(noDuplicates<string>("subnet"));

/**
 * Ranges AWS refuses as a VPC block (VPC user guide, "VPC CIDR blocks"): 0.0.0.0/8, loopback,
 * link-local, multicast and the reserved 240.0.0.0/4; and 172.17.0.0/16, which EKS's user guide
 * says not to use (Docker's bridge network on the nodes).
 */
const VPC_REFUSED = ["0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "240.0.0.0/4", "172.17.0.0/16"].map((c) => parseCidr(c)!);

/**
 * The new VPC's block. AWS takes /16 to /28 (VPC user guide, "VPC CIDR blocks"); the subnet plan
 * (targets/eksInf2/network.ts: a /prefix+4 public and private subnet per zone) needs /18 at most.
 */
const vpcCidr = cidr.superRefine((text, ctx) => {
    const c = parseCidr(text);
    if (!c || !c.canonical) return;
    if (c.prefix < 16 || c.prefix > 18) {
        ctx.addIssue({
            code: "custom",
            input: text,
            message: `must be a /16, /17 or /18: AWS accepts VPC blocks from /16 to /28, and the subnets (a /${c.prefix + 4} public and private per zone) need /18 or larger`,
        });
    }
    const bits = (x: { prefix: number }) => BigInt(32 - x.prefix);
    const clash = VPC_REFUSED.find((r) => (c.network >> bits(r)) === (r.network >> bits(r)) || (r.network >> bits(c)) === (c.network >> bits(c)));
    if (clash) {
        ctx.addIssue({ code: "custom", input: text, message: "must be a private range AWS accepts for a VPC, such as 10.40.0.0/16 (not 0.0.0.0/8, loopback, link-local, multicast, 240.0.0.0/4 or 172.17.0.0/16)" });
    }
});

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
                .superRefine(noDuplicates<string>("zone"))
                .optional(),
            /** CIDR of the new VPC. @default "10.40.0.0/16" */
            vpcCidr: vpcCidr.default("10.40.0.0/16"),
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
                .superRefine((net, ctx) => {
                    // A subnet is private (nodes) or public (load balancer), never both: its tags say which.
                    net.publicSubnetIds.forEach((id, i) => {
                        if (net.privateSubnetIds.includes(id)) {
                            ctx.addIssue({ code: "custom", path: ["publicSubnetIds", i], input: id, message: "is also listed in privateSubnetIds; a subnet is either private or public" });
                        }
                    });
                })
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
             * The deployer's egress CIDRs (the self-hosted runners, an operator's network): the only
             * addresses admitted to the cluster's public API endpoint; private access stays on for
             * the nodes. Required: Pulumi installs the add-ons and the model through that endpoint,
             * so a private-only endpoint would fail every Kubernetes resource after the cluster is
             * built. "0.0.0.0/0" is refused.
             */
            apiAccessCidrs: cidrList("admin", 10).refine((list) => list.length > 0, {
                error: "must list the deployer's egress CIDRs (at least one): Pulumi reaches the cluster's API through its public endpoint, which admits only these ranges",
            }),
            /** IAM principals (role or user ARNs) granted cluster-admin through EKS access entries. @default [] */
            adminPrincipalArns: z
                .array(z.string().regex(ARN, { error: "must be an IAM role or user ARN" }), {
                    error: "must be a list of IAM role or user ARNs",
                })
                .max(10, { error: "must list at most 10 principals" })
                // IAM names are unique without regard to case, so Role and role are one principal.
                .superRefine(noDuplicates<string>("principal", (arn) => arn.toLowerCase()))
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
             * With spot: EC2 launches spot instances only when the account has the service-linked
             * role AWSServiceRoleForEC2Spot, which an account new to spot lacks. "create" makes it
             * (kept on destroy: other workloads of the account may use it); "existing" when the
             * account already has it (AWS refuses to create it twice). @default "create"
             */
            spotServiceLinkedRole: oneOf(SPOT_ROLE_MODES, "modes").default("create"),
            /**
             * Most inf2 nodes at once. The NodePool's `spec.limits` (cpu, memory, aws.amazon.com/neuron)
             * are this times the largest allowed type, which is what the cost policy prices.
             */
            maxNodes: int(1, 20),
            /**
             * inf2 nodes on demand that always run beside spot (with capacityType spot), holding
             * `onDemandBase` always-running Ray workers: a spot NodePool weighted over an on-demand
             * NodePool, both sharing `maxNodes` (targets/eksInf2/capacity.ts). @default 0
             */
            onDemandBase: int(0, 19).default(0),
            /**
             * Further on-demand nodes Karpenter may launch when spot cannot be had (its
             * capacity-type fallback over the weighted NodePools), carved out of `maxNodes`. Needs
             * `onDemandBase` >= 1, as on the other targets. @default 0
             */
            onDemandFallback: int(0, 19).default(0),
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
            /**
             * An ACM certificate for `domain` in `region` (a free public certificate requested with
             * DNS validation, or one imported into ACM); the NLB's TLS listener uses it by ARN, so no
             * secret sits in the stack. @default the stack's certificate, imported into ACM
             */
            acmCertificateArn: z
                .string({ error: "must be an ACM certificate ARN" })
                .regex(ACM_CERTIFICATE_ARN, { error: "must be an ACM certificate ARN: arn:aws:acm:<region>:<account>:certificate/<id>" })
                .optional(),
            /** Serve plain TCP on port 80 of the NLB without a domain (development only). @default false */
            plaintextHttp,
            /** Client CIDRs admitted by the load balancer. @default [] (any client with the key) */
            allowedCidrs,
            /** Ray GCS fault tolerance through an ElastiCache Redis (TLS, password from a secret). @default false */
            gcsFaultTolerance: z.boolean({ error: "must be true or false" }).default(false),
            /**
             * The serving image built from images/neuron-ray-serve/Dockerfile (vLLM for Neuron plus
             * Ray Serve) and pushed to your registry, pinned to a tag or digest. Required: no public
             * image carries both, and a RayService without Ray never starts.
             */
            /**
             * A chat page (Gradio, images/chat-ui/Dockerfile) at https://<domain>/chat/, behind the
             * route guard with a user of its own (basic auth, generated password) and TLS; it calls
             * the model with the stack's key from the server. Needs domain and chatUiImage. @default false
             */
            chatUi: z.boolean({ error: "must be true or false" }).default(false),
            /**
             * Rasa beside the model: the Rasa server (`image`, pinned) with the trained model fetched
             * from `modelUrl` at start, and the action server built from images/rasa-actions
             * (`actionsImage`), whose action asks this stack's model. Its REST webhook is served at
             * https://<domain>/webhooks/rest/webhook with a token of its own. `modelUrl` must be a
             * public https URL (one with credentials is refused: it would sit in plain text in the
             * config and the Deployment); `replicas` is 1 (no shared tracker/lock store yet).
             * Needs domain. @default none
             */
            rasa: rasaSchema.optional(),
            /** The chat UI image built from images/chat-ui/Dockerfile, pinned to a tag or digest (with chatUi). */
            chatUiImage: z
                .string({ error: "must be the image built from images/chat-ui/Dockerfile, pushed to your registry, with a tag or digest" })
                .regex(PINNED_IMAGE, { error: "must be an image reference pinned to a tag or digest" })
                .refine((image) => !/:latest$/.test(image), { error: "must not use the tag latest" })
                .optional(),
            image: z
                .string({
                    error: "must be the image built from images/neuron-ray-serve/Dockerfile (vLLM for Neuron plus Ray Serve), pushed to your registry, with a tag or digest",
                })
                .regex(PINNED_IMAGE, {
                    error: "must be an image reference pinned to a tag or digest",
                })
                .refine((image) => !/:latest$/.test(image), { error: "must not use the tag latest" }),
        },
        { error: "must be an object" },
    )
    .superRefine((cfg, ctx) => {
        checkPlaintextWithDomain(cfg, ctx);
        if (cfg.chatUi && cfg.domain === undefined) {
            ctx.addIssue({ code: "custom", path: ["chatUi"], input: cfg.chatUi, message: "needs domain: the chat user's password would otherwise cross the network in clear" });
        }
        if (cfg.rasa && cfg.domain === undefined) {
            ctx.addIssue({ code: "custom", path: ["rasa"], input: cfg.rasa.modelUrl, message: "needs domain: the Rasa token would otherwise cross the network in clear" });
        }
        if (cfg.chatUi && cfg.chatUiImage === undefined) {
            ctx.addIssue({ code: "custom", path: ["chatUiImage"], input: cfg.chatUiImage, message: "is required with chatUi: the image built from images/chat-ui/Dockerfile, pushed to your registry, with a tag or digest" });
        }
        if (!cfg.chatUi && cfg.chatUiImage !== undefined) {
            ctx.addIssue({ code: "custom", path: ["chatUiImage"], input: cfg.chatUiImage, message: "must only be set together with chatUi: true" });
        }
        if (cfg.acmCertificateArn !== undefined) {
            const region = ACM_CERTIFICATE_ARN.exec(cfg.acmCertificateArn)?.[1];
            if (cfg.domain === undefined) {
                ctx.addIssue({ code: "custom", path: ["acmCertificateArn"], input: cfg.acmCertificateArn, message: "must only be set together with domain" });
            } else if (region !== cfg.region) {
                ctx.addIssue({
                    code: "custom",
                    path: ["acmCertificateArn"],
                    input: cfg.acmCertificateArn,
                    message: `must be a certificate in ${cfg.region}: a load balancer uses ACM certificates of its own region only`,
                });
            }
        }
        for (const [i, zone] of (cfg.availabilityZones ?? []).entries()) {
            if (!zone.startsWith(cfg.region)) {
                ctx.addIssue({ code: "custom", path: ["availabilityZones", i], input: zone, message: `must be a zone of ${cfg.region}` });
            }
        }
        const onDemand = cfg.onDemandBase + cfg.onDemandFallback;
        if (onDemand > 0 && cfg.capacityType === "on-demand") {
            // Every inf2 node is already on demand: a floor or fallback pool would mean nothing.
            const key = cfg.onDemandBase > 0 ? "onDemandBase" : "onDemandFallback";
            ctx.addIssue({ code: "custom", path: [key], input: cfg[key], message: `must be 0 with capacityType on-demand (every inf2 node is already on demand; allowed: 0, or capacityType spot)` });
        } else if (onDemand > 0 && cfg.maxNodes - onDemand < 1) {
            ctx.addIssue({ code: "custom", path: ["onDemandFallback"], input: cfg.onDemandFallback, message: `onDemandBase + onDemandFallback (${onDemand}) must leave at least one spot node under maxNodes (${cfg.maxNodes}) (allowed: at most ${cfg.maxNodes - 1} together)` });
        }
        if (cfg.onDemandFallback > 0 && cfg.onDemandBase === 0) {
            ctx.addIssue({ code: "custom", path: ["onDemandFallback"], input: cfg.onDemandFallback, message: "must be 0 unless onDemandBase is at least 1: the fallback is declared to the cost policy as part of the floor's share, as on the other targets (allowed: onDemandFallback 0, or onDemandBase >= 1 with it)" });
        }
        if (cfg.onDemandBase > 0 && cfg.onDemandBase > cfg.replicas.min) {
            // The floor's workers always run: Serve must keep at least one replica on each.
            ctx.addIssue({ code: "custom", path: ["onDemandBase"], input: cfg.onDemandBase, message: `must not exceed replicas.min (${cfg.replicas.min}): the floor's workers always run and the Serve app's minimum replicas must cover them (allowed: 0..${cfg.replicas.min})` });
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
