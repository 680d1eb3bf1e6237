import { z } from "zod";
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
    });

export type TargetsConfig = z.output<typeof targetsSchema>;
export type TargetName = keyof TargetsConfig;
export const TARGET_NAMES = TARGETS.map((t) => t.key) as TargetName[];
