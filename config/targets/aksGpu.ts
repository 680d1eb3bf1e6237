import { z } from "zod";
import { allowedCidrs, domain, int, noDuplicates, oneOf, range } from "../fields";
import {
    adminCidrs,
    AKS_CLUSTER_ID,
    AZURE_GPU_SIZE_NAMES,
    AZURE_LOCATIONS,
    checkSizeAndSpot,
    objectId,
    spotMaxPrice,
} from "./azure";

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
            namespace: z
                .string({ error: "must be a Kubernetes namespace name" })
                .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, {
                    error: "must be a Kubernetes namespace name: lowercase letters, digits and '-', at most 63",
                })
                .default("llm-serving"),
            /**
             * Serve HTTPS on 443 under this DNS name with the stack's certificate
             * (llm-serving:tlsCertificate and tlsPrivateKey, both required with it); point the name
             * at the endpoint's address yourself. @default plain HTTP (development only)
             */
            domain: domain.optional(),
            /** Client CIDRs admitted by the Service's load balancer. @default [] (any client with the key) */
            allowedCidrs,
        },
        { error: "must be an object" },
    )
    .superRefine((cfg, ctx) => {
        checkSizeAndSpot(cfg, "vmSize", ctx);
        if (cfg.replicas > cfg.nodes.max) {
            ctx.addIssue({
                code: "custom",
                path: ["replicas"],
                input: cfg.replicas,
                message: `must not exceed nodes.max (${cfg.nodes.max}): each replica needs a GPU node of its own, extra replicas would stay Pending`,
            });
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
