import { z } from "zod";
import { int, labelValue } from "./fields";
import { UNGATED_DEFAULT_MODEL } from "./models";

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
                // Ungated, so a stack that names no model downloads one without a token.
                .default(UNGATED_DEFAULT_MODEL),
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
            /**
             * The repository is gated (downloads need llm-serving:hfToken from an account that
             * accepted its terms). @default true for publishers known to gate (config/models.ts)
             */
            gated: z.boolean({ error: "must be true or false" }).optional(),
        },
        { error: "must be an object" },
    )
    .default({ id: UNGATED_DEFAULT_MODEL, servedName: "mistral-7b", maxModelLen: 8192 });

export const tagsSchema = z.strictObject(
    {
        /** Team that owns the spend. */
        owner: labelValue,
        /** Cost center the spend is charged to. */
        costCenter: labelValue,
    },
    { error: "must be an object { owner, costCenter }" },
);

export type ModelConfig = z.output<typeof modelSchema>;
export type TagsConfig = z.output<typeof tagsSchema>;
