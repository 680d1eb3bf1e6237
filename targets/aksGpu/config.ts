import { z } from "zod";
import { allowedCidrs, checkPlaintextWithDomain, domain, int, kubernetesNamespace, noDuplicates, oneOf, plaintextHttp, range } from "../../config/fields";
import {
    adminCidrs,
    AKS_CLUSTER_ID,
    AZURE_GPU_SIZE_NAMES,
    AZURE_LOCATIONS,
    checkSizeAndSpot,
    objectId,
    spotMaxPrice,
} from "../../config/azure";
import { llamaCppConfigProblems, llamaCppSchema } from "./llamaCpp";
import { aksRasaSchema } from "./rasa";

/** An Azure DNS zone's resource id: /subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.Network/dnsZones/<zone>. */
export const AZURE_DNS_ZONE_ID = /^\/subscriptions\/([0-9a-fA-F-]{36})\/resourceGroups\/([\w.()-]{1,90})\/providers\/Microsoft\.Network\/dnsZones\/([a-z0-9][a-z0-9.-]*[a-z0-9])$/;

/** Subscription, resource group and zone name of an Azure DNS zone id. */
export function dnsZoneOf(id: string): { subscriptionId: string; resourceGroupName: string; zoneName: string } {
    const m = AZURE_DNS_ZONE_ID.exec(id);
    if (!m) throw new Error(`not an Azure DNS zone resource id: ${id}`);
    return { subscriptionId: m[1], resourceGroupName: m[2], zoneName: m[3] };
}

/** True when `name` is `zone` or a name inside it. */
export function inZone(name: string, zone: string): boolean {
    return name === zone || name.endsWith(`.${zone}`);
}

/** Let's Encrypt through cert-manager, DNS-01 in an Azure DNS zone. */
export const acmeSchema = z.strictObject(
    {
        /** Let's Encrypt account contact (expiry notices). */
        email: z
            .string({ error: "must be an email address" })
            .regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, { error: "must be an email address" }),
        /** Resource id of the Azure DNS zone that holds `domain`; cert-manager writes the challenge records there. */
        azureDnsZoneId: z.string({ error: "must be an Azure DNS zone resource id" }).regex(AZURE_DNS_ZONE_ID, {
            error: "must be an Azure DNS zone resource id: /subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.Network/dnsZones/<zone>",
        }),
        /** Let's Encrypt's staging CA (untrusted certificates, generous rate limits) for trials. @default false */
        staging: z.boolean({ error: "must be true or false" }).default(false),
    },
    { error: "must be an object { email, azureDnsZoneId, staging }" },
);
export type AcmeConfig = z.output<typeof acmeSchema>;

/** Small D-series sizes for the AKS system pool (it runs only cluster add-ons). */
export const AKS_SYSTEM_SIZES = ["Standard_D4s_v5", "Standard_D8s_v5"] as const;
/** Network policy engines: Cilium selects Azure CNI powered by Cilium as the dataplane. */
export const AKS_NETWORK_POLICIES = ["cilium", "calico"] as const;

export const aksGpuSchema = z
    .strictObject(
        {
            /** Azure location of the resource group and cluster. */
            location: oneOf(AZURE_LOCATIONS, "Azure locations"),
            /**
             * Resource id of an existing AKS cluster to add the GPU pool to, instead of creating one.
             * The cluster's own security settings are then its owner's responsibility.
             * @default a new cluster
             */
            existingClusterId: z
                .string({ error: "must be an AKS cluster resource id" })
                .regex(AKS_CLUSTER_ID, {
                    error: "must be an AKS cluster resource id: /subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.ContainerService/managedClusters/<name>",
                })
                .optional(),
            /** Kubernetes minor version ("1.33"). @default AKS's default version */
            kubernetesVersion: z
                .string({ error: "must be a Kubernetes version such as 1.33" })
                .regex(/^1\.\d{2}(\.\d{1,2})?$/, { error: "must be a Kubernetes version such as 1.33" })
                .optional(),
            /** AKS pricing tier: Standard carries the uptime SLA ($0.10 per cluster-hour). @default "Standard" */
            tier: oneOf(["Free", "Standard"] as const, "AKS tiers").default("Standard"),
            /** System pool (fixed size, inline in the cluster). @default { vmSize: "Standard_D4s_v5", count: 1 } */
            systemPool: z
                .strictObject(
                    {
                        /** @default "Standard_D4s_v5" */
                        vmSize: oneOf(AKS_SYSTEM_SIZES, "system pool sizes").default("Standard_D4s_v5"),
                        /** @default 1 */
                        count: int(1, 3).default(1),
                    },
                    { error: "must be an object { vmSize, count }" },
                )
                .default({ vmSize: "Standard_D4s_v5", count: 1 }),
            /** GPU pool VM size. @default "Standard_NC24ads_A100_v4" */
            vmSize: oneOf(AZURE_GPU_SIZE_NAMES, "GPU VM sizes").default("Standard_NC24ads_A100_v4"),
            /** GPU pool autoscaler bounds; the cost cap is checked against `max`. */
            nodes: range(0, 10),
            /** Model server replicas; each takes every GPU of one node. @default 1 */
            replicas: int(1, 10).default(1),
            /** Run the GPU pool on Spot capacity (eviction policy Delete). @default false */
            spot: z.boolean({ error: "must be true or false" }).default(false),
            /**
             * On-demand GPU nodes that always run beside the spot pool, holding `onDemandBase`
             * replicas no eviction can take (spot pools only). They share `nodes.max` with spot. @default 0
             */
            onDemandBase: int(0, 10).default(0),
            /**
             * Further on-demand GPU nodes the cluster autoscaler adds when the spot pool cannot grow
             * (priority expander: spot first), carved out of `nodes.max`. @default 0
             */
            onDemandFallback: int(0, 10).default(0),
            /** Spot max price in USD per hour, or -1 for up to on-demand. @default -1 (with spot) */
            spotMaxPrice: spotMaxPrice.optional(),
            /** GPU node OS disk: image, container and model weights. @default 256 */
            osDiskSizeGb: int(64, 2048).default(256),
            /**
             * CIDRs allowed to reach the API server. Required unless `privateCluster` is true:
             * include the network Pulumi runs from.
             * @default []
             */
            apiServerAuthorizedRanges: adminCidrs,
            /** Private API server (reachable only from the cluster's network). @default false */
            privateCluster: z.boolean({ error: "must be true or false" }).default(false),
            /** Entra groups granted cluster admin through Azure RBAC. @default [] */
            adminGroupObjectIds: z
                .array(objectId, { error: "must be a list of Entra object ids" })
                .max(10, { error: "must list at most 10 groups" })
                .superRefine(noDuplicates<string>("group", (id) => id.toLowerCase()))
                .default([]),
            /** Network policy engine. @default "cilium" */
            networkPolicy: oneOf(AKS_NETWORK_POLICIES, "network policy engines").default("cilium"),
            /** Kubernetes namespace of the model server. @default "llm-serving" */
            namespace: kubernetesNamespace,
            /**
             * Serve HTTPS on 443 under this DNS name with the stack's certificate
             * (llm-serving:tlsCertificate and tlsPrivateKey, both required with it); point the name
             * at the endpoint's address yourself. @default plain HTTP (development only)
             */
            domain: domain.optional(),
            /**
             * Certificates for `domain` from Let's Encrypt through cert-manager on the cluster, with
             * the DNS-01 challenge in the Azure DNS zone named here (no port opens to the internet
             * for it, so `allowedCidrs` still apply; renewals are automatic). No secret in the stack.
             * @default the stack's certificate (llm-serving:tlsCertificate and tlsPrivateKey)
             */
            acme: acmeSchema.optional(),
            /** Serve plain HTTP on the Service's IP without a domain (development only). @default false */
            plaintextHttp,
            /** Client CIDRs admitted by the Service's load balancer. @default [] (any client with the key) */
            allowedCidrs,
            /**
             * The model server: vLLM on the GPU pool, or llama.cpp's server on a CPU pool (no GPU pool,
             * no device plugin; `nodes` and `replicas` then size the CPU pool). @default "vllm"
             */
            serverKind: oneOf(["vllm", "llamacpp"] as const, "server kinds").default("vllm"),
            /** The CPU pool and server settings of serverKind llamacpp (targets/aksGpu/llamaCpp.ts). @default { vmSize: "Standard_D8s_v5", parallel: 2, threads: 8 } */
            llamaCpp: llamaCppSchema.optional(),
            /**
             * Rasa beside the model (the Azure plan): the Rasa server and the action server
             * (config/rasa.ts: `image`, `actionsImage`, `modelUrl` public https without
             * credentials, `replicas` 1) on a small User pool of their own (`vmSize`
             * Standard_D4s_v5 or Standard_B2s, 1..`maxNodes` nodes); REST webhook at
             * https://<domain>/webhooks/rest/webhook behind the guard with a token of its own.
             * Needs domain. @default none
             */
            rasa: aksRasaSchema.optional(),
        },
        { error: "must be an object" },
    )
    .superRefine((cfg, ctx) => {
        for (const p of llamaCppConfigProblems(cfg)) ctx.addIssue({ code: "custom", ...p });
        if (cfg.serverKind !== "llamacpp") checkSizeAndSpot(cfg, "vmSize", ctx);
        checkPlaintextWithDomain(cfg, ctx);
        if (cfg.rasa && cfg.domain === undefined) {
            ctx.addIssue({ code: "custom", path: ["rasa"], input: cfg.rasa.image, message: "needs domain: the Rasa token would otherwise cross the network in clear" });
        }
        if (cfg.acme && cfg.existingClusterId) {
            ctx.addIssue({
                code: "custom",
                path: ["acme"],
                input: cfg.acme.azureDnsZoneId,
                message: "must not be set with existingClusterId: cert-manager signs in through the Workload Identity and OIDC issuer this stack enables on a cluster it creates; use the stack's certificate on an existing cluster",
            });
        } else if (cfg.acme && cfg.domain === undefined) {
            ctx.addIssue({ code: "custom", path: ["acme"], input: cfg.acme.azureDnsZoneId, message: "must only be set together with domain (the name its certificate is for)" });
        } else if (cfg.acme && cfg.domain !== undefined && AZURE_DNS_ZONE_ID.test(cfg.acme.azureDnsZoneId) && !inZone(cfg.domain, dnsZoneOf(cfg.acme.azureDnsZoneId).zoneName)) {
            ctx.addIssue({
                code: "custom",
                path: ["acme", "azureDnsZoneId"],
                input: cfg.acme.azureDnsZoneId,
                message: `must be the Azure DNS zone of domain ${cfg.domain} (the zone itself or a parent of it): the DNS-01 challenge record goes there`,
            });
        }
        if (cfg.replicas > cfg.nodes.max) {
            ctx.addIssue({
                code: "custom",
                path: ["replicas"],
                input: cfg.replicas,
                message: `must not exceed nodes.max (${cfg.nodes.max}): each replica needs a GPU node of its own, extra replicas would stay Pending`,
            });
        }
        const onDemand = cfg.onDemandBase + cfg.onDemandFallback;
        if (onDemand > 0 && !cfg.spot) {
            ctx.addIssue({ code: "custom", path: ["onDemandBase"], input: cfg.onDemandBase, message: "onDemandBase and onDemandFallback need spot: true (an on-demand pool is already all on-demand)" });
        } else if (onDemand > 0 && cfg.nodes.max - onDemand < 1) {
            ctx.addIssue({ code: "custom", path: ["onDemandFallback"], input: cfg.onDemandFallback, message: `onDemandBase + onDemandFallback (${onDemand}) must leave at least one spot node under nodes.max (${cfg.nodes.max})` });
        }
        if (cfg.onDemandBase > 0 && cfg.onDemandBase >= cfg.replicas) {
            ctx.addIssue({ code: "custom", path: ["onDemandBase"], input: cfg.onDemandBase, message: `must be below replicas (${cfg.replicas}): the floor is part of the replicas and at least one prefers spot` });
        }
        if (cfg.onDemandFallback > 0 && cfg.existingClusterId) {
            ctx.addIssue({ code: "custom", path: ["onDemandFallback"], input: cfg.onDemandFallback, message: "must not be set with existingClusterId: fallback needs the priority expander on a cluster this stack creates" });
        }
        if (!cfg.existingClusterId && !cfg.privateCluster && cfg.apiServerAuthorizedRanges.length === 0) {
            ctx.addIssue({
                code: "custom",
                path: ["apiServerAuthorizedRanges"],
                input: cfg.apiServerAuthorizedRanges,
                message: "must list at least one CIDR (the networks Pulumi and admins connect from), or set privateCluster: true",
            });
        }
    });

export type AksGpuConfig = z.output<typeof aksGpuSchema>;
