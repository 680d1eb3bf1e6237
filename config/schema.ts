import { z } from "zod";
import { int, labelValue } from "./fields";
import { gcpSpotL4Schema } from "./targets/gcpSpotL4";
import { eksInf2Schema } from "./targets/eksInf2";

/** The one config namespace of this program (the Pulumi project name). */
export const NAMESPACE = "llm-serving";

export const modelSchema = z
    .strictObject(
        {
            /** Hugging Face repository id of the model. */
            id: z
                .string({ error: "must be a Hugging Face model id such as mistralai/Mistral-7B-Instruct-v0.2" })
                .regex(/^[A-Za-z0-9][\w.-]*\/[\w.-]+$/, {
                    error: "must be a Hugging Face model id such as mistralai/Mistral-7B-Instruct-v0.2",
                })
                .default("mistralai/Mistral-7B-Instruct-v0.2"),
            /** The name clients pass as `model` in OpenAI requests. */
            servedName: z
                .string({ error: "must be a name of lowercase letters, digits, '.', '_' or '-'" })
                .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, {
                    error: "must be 1-64 lowercase letters, digits, '.', '_' or '-'",
                })
                .default("mistral-7b"),
            /** Context length the server allocates KV cache for. */
            maxModelLen: int(512, 32768).default(8192),
            /** A pinned model revision (commit or tag). @default the repository's main branch */
            revision: z
                .string()
                .regex(/^[\w.-]{1,64}$/, { error: "must be a commit hash or tag" })
                .optional(),
        },
        { error: "must be an object" },
    )
    .default({ id: "mistralai/Mistral-7B-Instruct-v0.2", servedName: "mistral-7b", maxModelLen: 8192 });

export const tagsSchema = z.strictObject(
    {
        /** Team that owns the spend. */
        owner: labelValue,
        /** Cost center the spend is charged to. */
        costCenter: labelValue,
    },
    { error: "must be an object { owner, costCenter }" },
);

/** Each key present selects that target; its value configures it. */
export const targetsSchema = z
    .strictObject(
        {
            gcpSpotL4: gcpSpotL4Schema.optional(),
            eksInf2: eksInf2Schema.optional(),
        },
        { error: "must be an object whose keys name targets" },
    )
    .refine((t) => Object.values(t).some((v) => v !== undefined), {
        error: "must name at least one target",
    });

export const stackConfigSchema = z.strictObject({
    model: modelSchema,
    tags: tagsSchema,
    targets: targetsSchema,
});

export type ModelConfig = z.output<typeof modelSchema>;
export type TagsConfig = z.output<typeof tagsSchema>;
export type TargetsConfig = z.output<typeof targetsSchema>;
export type TargetName = keyof TargetsConfig;
export const TARGET_NAMES = Object.keys(targetsSchema.shape) as TargetName[];
