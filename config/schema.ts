import { z } from "zod";
import { int, labelValue } from "./fields";
import { gcpSpotL4Schema } from "../targets/gcpSpotL4/config";
import { eksInf2Schema } from "../targets/eksInf2/config";
import { aksGpuSchema } from "../targets/aksGpu/config";
import { azureMlSchema } from "../targets/azureMl/config";
import { gpuVmSchema } from "../targets/gpuVm/config";
import { isGpuSize, needsAwq } from "./azure";
import { AWQ_BUILDS, GGUF_BUILDS } from "./gguf";
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

/** Each key present selects that target; its value configures it. */
export const targetsSchema = z
    .strictObject(
        {
            gcpSpotL4: gcpSpotL4Schema.optional(),
            eksInf2: eksInf2Schema.optional(),
            aksGpu: aksGpuSchema.optional(),
            azureMl: azureMlSchema.optional(),
            gpuVm: gpuVmSchema.optional(),
        },
        { error: "must be an object whose keys name targets" },
    )
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
        // A CPU-only gpuVm runs llama.cpp, which needs a quantized GGUF build of the model.
        const vm = cfg.targets.gpuVm;
        if (vm && !isGpuSize(vm.vmSize) && !(cfg.model.id in GGUF_BUILDS)) {
            ctx.addIssue({
                code: "custom",
                path: ["targets", "gpuVm", "vmSize"],
                input: vm.vmSize,
                message: `must be a GPU size for model ${cfg.model.id}: CPU sizes run llama.cpp, which has a GGUF build only of ${Object.keys(GGUF_BUILDS).join(", ")}`,
            });
        }
        // 16 GB GPUs serve a 4-bit AWQ build: float16 weights of a 7B model leave no room for a KV cache.
        const sized: Array<[string, string, string | undefined]> = [
            ["aksGpu", "vmSize", cfg.targets.aksGpu?.vmSize],
            ["azureMl", "instanceType", cfg.targets.azureMl?.instanceType],
            ["gpuVm", "vmSize", vm?.vmSize],
        ];
        for (const [target, key, size] of sized) {
            if (size && needsAwq(size) && !(cfg.model.id in AWQ_BUILDS)) {
                ctx.addIssue({
                    code: "custom",
                    path: ["targets", target, key],
                    input: size,
                    message: `must have at least 24 GB of GPU memory for model ${cfg.model.id}: 16 GB sizes serve a 4-bit AWQ build, which exists only for ${Object.keys(AWQ_BUILDS).join(", ")}`,
                });
            }
        }
    });

export type ModelConfig = z.output<typeof modelSchema>;
export type TagsConfig = z.output<typeof tagsSchema>;
export type TargetsConfig = z.output<typeof targetsSchema>;
export type TargetName = keyof TargetsConfig;
export const TARGET_NAMES = Object.keys(targetsSchema.shape) as TargetName[];
