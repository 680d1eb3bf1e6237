import { z } from "zod";
import { notificationsSchema } from "../config/notifications";
import { budgetsSchema } from "../config/budgets";
import { observabilitySchema } from "../config/observability";
import { modelSchema, tagsSchema } from "../config/schema";
import { ALL_TARGETS, TARGETS } from "../targets";

type Target = (typeof TARGETS)[number];
/** `{ gcpSpotL4: <its schema>.optional(), ... }`, with each target's own types. */
type TargetsShape = { [T in Target as T["key"]]: z.ZodOptional<T["schema"]> };

/** Each key present selects that target; its value configures it. Keys and order come from the table. */
export const targetsSchema = z
    .strictObject(Object.fromEntries(TARGETS.map((t) => [t.key, t.schema.optional()])) as TargetsShape, {
        error: "must be an object whose keys name targets",
    })
    .refine((t) => Object.values(t).some((v) => v !== undefined), {
        error: "must name at least one target",
    });

export const stackConfigSchema = z
    .strictObject({
        model: modelSchema,
        tags: tagsSchema,
        targets: targetsSchema,
        notifications: notificationsSchema.optional(),
        budgets: budgetsSchema.optional(),
        observability: observabilitySchema.default(() => observabilitySchema.parse({})),
    })
    .superRefine((cfg, ctx) => {
        // The checks that need the model as well as the target (a GGUF or AWQ build for its size).
        for (const target of ALL_TARGETS) {
            const value = (cfg.targets as Record<string, unknown>)[target.key];
            if (value === undefined || !target.checkStack) continue;
            target.checkStack(value, cfg, (key, input, message) => {
                ctx.addIssue({ code: "custom", path: ["targets", target.key, key], input, message });
            });
        }
        // Two targets that would hold the same GCP GPU quota override: the API refuses the second
        // (409 ALREADY_EXISTS), so such a stack could never finish its first update. Refused here,
        // naming both targets; the later one in the table is reported.
        const holders = new Map<string, string>();
        for (const target of ALL_TARGETS) {
            const value = (cfg.targets as Record<string, unknown>)[target.key];
            if (value === undefined || !target.gcpGpuQuotaScope) continue;
            for (const { project, region, path } of target.gcpGpuQuotaScope(value)) {
                const key = `${project}|${region}`;
                const first = holders.get(key);
                if (first === undefined) {
                    holders.set(key, target.key);
                    continue;
                }
                // A region a target lists twice is its own schema's error (it holds one override).
                if (first === target.key) continue;
                ctx.addIssue({
                    code: "custom",
                    path: ["targets", target.key, ...path],
                    input: region,
                    message:
                        `${first} already holds the L4 GPU quotas of project ${project} in ${region} (consumer quota overrides, one per project, ` +
                        `quota and region: a second is refused with 409 ALREADY_EXISTS); allowed: another region or project than ${first}'s`,
                });
            }
        }
    });

export type TargetsConfig = z.output<typeof targetsSchema>;
export type TargetName = keyof TargetsConfig;
export const TARGET_NAMES = TARGETS.map((t) => t.key) as TargetName[];
