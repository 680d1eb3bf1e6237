import { z } from "zod";
import { allowedCidrs, checkPlaintextWithDomain, domain, int, noDuplicates, oneOf, plaintextHttp, range } from "../../config/fields";

/**
 * What the program can deploy and price on GCP. Every machine type and region listed here has a
 * price in policies/cost/catalog.ts (test/targets/priced.test.ts checks it): a value the cost policy cannot price is
 * refused here, before anything is registered.
 */
export const GCP_REGIONS = ["us-central1"] as const;
/** Zones of us-central1 that offer L4 GPUs. */
export const GCP_L4_ZONES: Record<(typeof GCP_REGIONS)[number], readonly string[]> = {
    "us-central1": ["us-central1-a", "us-central1-b", "us-central1-c"],
};
/** g2 machine types come with their L4s attached: 1 L4 up to g2-standard-16, 2 on g2-standard-24. */
export const G2_MACHINE_TYPES = ["g2-standard-4", "g2-standard-8", "g2-standard-12", "g2-standard-24"] as const;
export const L4_COUNT: Record<(typeof G2_MACHINE_TYPES)[number], number> = {
    "g2-standard-4": 1,
    "g2-standard-8": 1,
    "g2-standard-12": 1,
    "g2-standard-24": 2,
};

export const gcpSpotL4Schema = z
    .strictObject(
        {
            /** GCP project id. */
            project: z
                .string({ error: "must be a GCP project id" })
                .regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, {
                    error: "must be a GCP project id: 6-30 lowercase letters, digits or hyphens, starting with a letter",
                }),
            region: oneOf(GCP_REGIONS, "regions"),
            /** Zones the regional instance group spreads over. @default all L4 zones of the region */
            zones: z
                .array(z.string({ error: "must be a zone name such as us-central1-a" }), { error: "must be a list of zone names" })
                .min(1, { error: "must list at least one zone" })
                .superRefine(noDuplicates<string>("zone"))
                .optional(),
            /** @default "g2-standard-4" */
            machineType: oneOf(G2_MACHINE_TYPES, "g2 machine types").default("g2-standard-4"),
            /** Autoscaler bounds; the cost cap is checked against `max`. */
            replicas: range(1, 20),
            /** Requests per second per replica the autoscaler aims for. @default 2 */
            targetRpsPerReplica: z
                .number({ error: "must be a number from 0.1 to 100" })
                .min(0.1, { error: "must be a number from 0.1 to 100" })
                .max(100, { error: "must be a number from 0.1 to 100" })
                .default(2),
            /** Boot disk: image, container and model weights. @default 100 */
            bootDiskGb: int(60, 2000).default(100),
            /**
             * Seconds autohealing waits before judging a new replica: weights download and load
             * take minutes. GCP allows 0-3600. @default 1200 (SkyPilot's readiness default)
             */
            initialDelaySec: int(0, 3600).default(1200),
            /** Client CIDRs admitted by the load balancer's Cloud Armor policy. @default [] (any client with the key) */
            allowedCidrs,
            /**
             * Serve HTTPS on this host name: with the stack's certificate (llm-serving:tlsCertificate
             * and tlsPrivateKey) when set, else with a Google-managed certificate. @default HTTP on the IP
             */
            domain: domain.optional(),
            /**
             * Which certificate serves `domain`: "stack" (llm-serving:tlsCertificate/tlsPrivateKey, a
             * self-managed SSL certificate) or "google-managed". @default "stack" when the stack sets a
             * certificate, else "google-managed"
             */
            certificate: oneOf(["stack", "google-managed"] as const, "certificate sources").optional(),
            /** Serve plain HTTP on the IP without a domain (development only). @default false */
            plaintextHttp,
        },
        { error: "must be an object" },
    )
    .superRefine((cfg, ctx) => {
        checkPlaintextWithDomain(cfg, ctx);
        if (cfg.certificate !== undefined && cfg.domain === undefined) {
            ctx.addIssue({
                code: "custom",
                path: ["certificate"],
                input: cfg.certificate,
                message: "must only be set together with domain (without a domain the endpoint is plain HTTP on the IP)",
            });
        }
        const allowed = GCP_L4_ZONES[cfg.region];
        for (const [i, zone] of (cfg.zones ?? []).entries()) {
            if (!allowed.includes(zone)) {
                ctx.addIssue({
                    code: "custom",
                    path: ["zones", i],
                    input: zone,
                    message: `must be a zone of ${cfg.region} with L4 GPUs: ${allowed.join(", ")}`,
                });
            }
        }
    })
    .transform((cfg) => ({ ...cfg, zones: cfg.zones ?? [...GCP_L4_ZONES[cfg.region]] }));

export type GcpSpotL4Config = z.output<typeof gcpSpotL4Schema>;
