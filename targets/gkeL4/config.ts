import { z } from "zod";
import { allowedCidrs, checkPlaintextWithDomain, cidrList, domain, int, kubernetesNamespace, noDuplicates, oneOf, plaintextHttp, range } from "../../config/fields";

/**
 * Where and on what this target runs: every region and machine type here has a price in the
 * catalog (test/targets/gkeL4/config.test.ts checks it), so a value the cost policy cannot price
 * is refused before anything is registered. Its own lists (not gcpSpotL4's): a target's folder
 * imports no other target's.
 */
export const GKE_REGIONS = ["us-central1"] as const;
/** Zones of each region that offer L4 GPUs. */
export const GKE_L4_ZONES: Record<(typeof GKE_REGIONS)[number], readonly string[]> = {
    "us-central1": ["us-central1-a", "us-central1-b", "us-central1-c"],
};
/** g2 machine types come with their L4s: one up to g2-standard-16, two on g2-standard-24. */
export const G2_L4_COUNT = {
    "g2-standard-4": 1,
    "g2-standard-8": 1,
    "g2-standard-12": 1,
    "g2-standard-24": 2,
} as const;
export type G2MachineType = keyof typeof G2_L4_COUNT;
export const G2_MACHINE_TYPES = Object.keys(G2_L4_COUNT) as [G2MachineType, ...G2MachineType[]];

/** GKE release channels: GKE upgrades the control plane and nodes within the channel. */
export const GKE_RELEASE_CHANNELS = ["RAPID", "REGULAR", "STABLE"] as const;

/** The largest GPU pool this target admits (nodes across all its zones). */
export const MAX_GPU_NODES = 20;

/** A GCP project id (6-30 lowercase letters, digits or hyphens, starting with a letter). */
const projectId = z
    .string({ error: "must be a GCP project id" })
    .regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, {
        error: "must be a GCP project id: 6-30 lowercase letters, digits or hyphens, starting with a letter",
    });

/** Let's Encrypt through cert-manager, DNS-01 in a Cloud DNS managed zone. */
export const gkeAcmeSchema = z.strictObject(
    {
        /** Let's Encrypt account contact (expiry notices). */
        email: z
            .string({ error: "must be an email address" })
            .regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, { error: "must be an email address" }),
        /** The Cloud DNS managed zone that holds `domain`: cert-manager writes the challenge records there. */
        cloudDnsZone: z.strictObject(
            {
                /** Project of the zone. @default the target's project */
                project: projectId.optional(),
                /** The managed zone's resource name (not its DNS name). */
                name: z
                    .string({ error: "must be a Cloud DNS managed zone name" })
                    .regex(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/, {
                        error: "must be a Cloud DNS managed zone name: 1-63 lowercase letters, digits or '-', starting with a letter",
                    }),
                /** The zone's DNS name (example.com), which `domain` must be in. */
                dnsName: domain,
            },
            { error: "must be an object { project, name, dnsName }" },
        ),
        /** Let's Encrypt's staging CA (untrusted certificates, generous rate limits) for trials. @default false */
        staging: z.boolean({ error: "must be true or false" }).default(false),
    },
    { error: "must be an object { email, cloudDnsZone, staging }" },
);

export const gkeL4Schema = z
    .strictObject(
        {
            /** GCP project id. */
            project: projectId,
            region: oneOf(GKE_REGIONS, "regions"),
            /** Zones the GPU pool's nodes run in (node locations). @default all L4 zones of the region */
            zones: z
                .array(z.string({ error: "must be a zone name such as us-central1-a" }), { error: "must be a list of zone names" })
                .min(1, { error: "must list at least one zone" })
                .superRefine(noDuplicates<string>("zone"))
                .optional(),
            /** Release channel the cluster follows (GKE upgrades within it). @default "REGULAR" */
            releaseChannel: oneOf(GKE_RELEASE_CHANNELS, "release channels").default("REGULAR"),
            /** GPU pool machine type; each g2 comes with its L4s. @default "g2-standard-4" */
            machineType: oneOf(G2_MACHINE_TYPES, "g2 machine types").default("g2-standard-4"),
            /**
             * GPU pool autoscaler bounds, in nodes across all zones (the pool's total limits, not
             * GKE's per-zone ones); the cost cap is checked against `max`. The pool also runs the
             * cluster's system pods, so `min` is at least 1.
             */
            nodes: range(1, MAX_GPU_NODES),
            /** Model server replicas; each takes every GPU of one node. @default 1 */
            replicas: int(1, MAX_GPU_NODES).default(1),
            /** Node boot disk (pd-balanced): image, container and model weights cache. @default 100 */
            bootDiskGb: int(60, 2000).default(100),
            /**
             * CIDRs admitted to the cluster's public control-plane endpoint (master authorized
             * networks): the networks Pulumi and admins run from. Required: Pulumi applies the
             * Kubernetes objects through that endpoint.
             */
            masterAuthorizedCidrs: cidrList("admin", 20),
            /** Kubernetes namespace of the model server. @default "llm-serving" */
            namespace: kubernetesNamespace,
            /**
             * Serve HTTPS on 443 under this DNS name: with `acme` (cert-manager and Let's Encrypt
             * through Cloud DNS), else with the stack's certificate (llm-serving:tlsCertificate and
             * tlsPrivateKey). Point the name at the Service's IP yourself. @default none
             */
            domain: domain.optional(),
            /** Certificates for `domain` from Let's Encrypt (DNS-01 in Cloud DNS), no secret in the stack. */
            acme: gkeAcmeSchema.optional(),
            /** Serve plain HTTP on the Service's IP without a domain (development only). @default false */
            plaintextHttp,
            /** Client CIDRs admitted by the Service's load balancer. @default [] (any client with the key) */
            allowedCidrs,
        },
        { error: "must be an object" },
    )
    .superRefine((cfg, ctx) => {
        checkPlaintextWithDomain(cfg, ctx);
        const allowed = GKE_L4_ZONES[cfg.region];
        for (const [i, zone] of (cfg.zones ?? []).entries()) {
            if (!allowed.includes(zone)) {
                ctx.addIssue({ code: "custom", path: ["zones", i], input: zone, message: `must be a zone of ${cfg.region} with L4 GPUs: ${allowed.join(", ")}` });
            }
        }
        if (cfg.replicas > cfg.nodes.max) {
            ctx.addIssue({
                code: "custom",
                path: ["replicas"],
                input: cfg.replicas,
                message: `must not exceed nodes.max (${cfg.nodes.max}): each replica needs a GPU node of its own, extra replicas would stay Pending`,
            });
        }
        if (cfg.masterAuthorizedCidrs.length === 0) {
            ctx.addIssue({
                code: "custom",
                path: ["masterAuthorizedCidrs"],
                input: cfg.masterAuthorizedCidrs,
                message: "must list at least one CIDR: the networks Pulumi and admins reach the cluster's control plane from",
            });
        }
        if (cfg.acme && cfg.domain === undefined) {
            ctx.addIssue({ code: "custom", path: ["acme"], input: cfg.acme.email, message: "must only be set together with domain (the name its certificate is for)" });
        } else if (cfg.acme && cfg.domain !== undefined && !inZone(cfg.domain, cfg.acme.cloudDnsZone.dnsName)) {
            ctx.addIssue({
                code: "custom",
                path: ["acme", "cloudDnsZone", "dnsName"],
                input: cfg.acme.cloudDnsZone.dnsName,
                message: `must be the DNS name of domain ${cfg.domain}'s zone (the name itself or a parent of it): the DNS-01 challenge record goes there`,
            });
        }
    })
    .transform((cfg) => ({ ...cfg, zones: cfg.zones ?? [...GKE_L4_ZONES[cfg.region]] }));

export type GkeL4Config = z.output<typeof gkeL4Schema>;

/** True when `name` is `zone` or a name inside it. */
function inZone(name: string, zone: string): boolean {
    return name === zone || name.endsWith(`.${zone}`);
}
