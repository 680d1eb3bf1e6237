import { z } from "zod";
import { allowedCidrs, checkPlaintextWithDomain, domain, int, noDuplicates, oneOf, plaintextHttp, range } from "../../config/fields";

/**
 * What the program can deploy and price on GCP. Every machine type and region listed here has a
 * price in policies/cost/catalog.ts (test/targets/priced.test.ts checks it): a value the cost policy cannot price is
 * refused here, before anything is registered.
 */
export const GCP_REGIONS = ["us-central1", "us-east1"] as const;
export type GcpRegion = (typeof GCP_REGIONS)[number];
/**
 * Zones of each region that offer L4 GPUs (g2): the zones SkyPilot's GCP catalog lists g2 rows
 * for (catalogs/v7/gcp/vms.csv, the snapshot policies/cost/catalog.data.json cites).
 */
export const GCP_L4_ZONES: Record<GcpRegion, readonly string[]> = {
    "us-central1": ["us-central1-a", "us-central1-b", "us-central1-c"],
    "us-east1": ["us-east1-b", "us-east1-c", "us-east1-d"],
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
            /**
             * One region: shorthand for `regions: [region]` (kept so single-region stacks keep
             * their resources and plans). Give `region` or `regions`, never both.
             */
            region: oneOf(GCP_REGIONS, "regions").optional(),
            /**
             * Regions with replicas, each with its own groups behind the one global load balancer
             * (which sends a client to the nearest region with a healthy, non-full backend). The
             * first keeps the resource names a single-region stack had, so adding a second region
             * does not replace the first; reordering the list would. Each region needs its own L4
             * quota (the stack holds an override per region). `replicas`, `onDemandBase` and
             * `onDemandFallback` apply per region.
             */
            regions: z
                .array(oneOf(GCP_REGIONS, "regions"), { error: "must be a list of regions" })
                .min(1, { error: "must list at least one region" })
                .max(GCP_REGIONS.length, { error: `must list at most ${GCP_REGIONS.length} regions` })
                .superRefine(noDuplicates<string>("region"))
                .optional(),
            /**
             * On-demand replicas per region that always run beside the spot group, so a spot
             * outage never takes the endpoint dark. They share the region's `replicas.max` with
             * spot. @default 0
             */
            onDemandBase: int(0, 20).default(0),
            /**
             * Further on-demand replicas per region the on-demand group may grow into when the spot
             * group cannot carry the load (GCP has no spot-to-standard fallback inside a group, so
             * this headroom is carved out of `replicas.max`: the spot group's maximum is
             * `replicas.max - onDemandBase - onDemandFallback`). Needs `onDemandBase` >= 1: the
             * on-demand group scales on the load its own replicas report, and an empty group
             * reports none. @default 0
             */
            onDemandFallback: int(0, 20).default(0),
            /** Zones the regional instance group spreads over (one region only). @default all L4 zones of the region */
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
        if (cfg.region !== undefined && cfg.regions !== undefined) {
            ctx.addIssue({ code: "custom", path: ["regions"], input: cfg.regions, message: "must not be set together with region: give region (one region) or regions (a list), not both" });
            return;
        }
        if (cfg.region === undefined && cfg.regions === undefined) {
            ctx.addIssue({ code: "custom", path: ["regions"], input: undefined, message: `must be set (or region): allowed regions are ${GCP_REGIONS.join(", ")}` });
            return;
        }
        const regions = cfg.regions ?? [cfg.region as GcpRegion];
        if (cfg.zones !== undefined && regions.length > 1) {
            ctx.addIssue({ code: "custom", path: ["zones"], input: cfg.zones, message: "must only be set with one region; with several, each region uses all its L4 zones" });
        }
        const allowed = GCP_L4_ZONES[regions[0]];
        for (const [i, zone] of (cfg.zones ?? []).entries()) {
            if (!allowed.includes(zone)) {
                ctx.addIssue({
                    code: "custom",
                    path: ["zones", i],
                    input: zone,
                    message: `must be a zone of ${regions[0]} with L4 GPUs: ${allowed.join(", ")}`,
                });
            }
        }
        const onDemand = cfg.onDemandBase + cfg.onDemandFallback;
        if (onDemand > 0 && cfg.replicas.max - onDemand < 1) {
            ctx.addIssue({
                code: "custom",
                path: ["onDemandFallback"],
                input: cfg.onDemandFallback,
                message: `onDemandBase + onDemandFallback (${onDemand}) must leave at least one spot replica under replicas.max (${cfg.replicas.max})`,
            });
        }
        if (cfg.onDemandFallback > 0 && cfg.onDemandBase === 0) {
            // The group's autoscaler scales on the in-flight gauge its own replicas report: an
            // empty on-demand group reports nothing, so it would never grow into its fallback.
            ctx.addIssue({
                code: "custom",
                path: ["onDemandFallback"],
                input: cfg.onDemandFallback,
                message: "must be 0 unless onDemandBase is at least 1: an empty on-demand group reports no load to its autoscaler, so it would never grow (allowed: onDemandFallback 0, or onDemandBase >= 1 with it)",
            });
        }
        if (cfg.onDemandBase > 0 && cfg.onDemandBase >= cfg.replicas.min) {
            // The floor is part of the minimum, and the spot group keeps one replica: an empty
            // group receives no load-balancer traffic, so its utilization could never scale it out.
            ctx.addIssue({ code: "custom", path: ["onDemandBase"], input: cfg.onDemandBase, message: `must be below replicas.min (${cfg.replicas.min}): the floor is part of the minimum and the spot group keeps at least one replica` });
        }
    })
    .transform(({ region, regions, zones, ...cfg }) => {
        const list = regions ?? [region as GcpRegion];
        return {
            ...cfg,
            regions: list,
            /** Zones per region: the configured ones for a single region, else all L4 zones. */
            zones: Object.fromEntries(list.map((r) => [r, list.length === 1 && zones ? zones : [...GCP_L4_ZONES[r]]])) as Partial<Record<GcpRegion, string[]>>,
        };
    });

export type GcpSpotL4Config = z.output<typeof gcpSpotL4Schema>;
