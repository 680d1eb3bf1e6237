import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { ModelConfig, SharedStackConfig, TargetProblem } from "../config";

export type { TargetProblem };

/**
 * What one target contributes to the program. Each `targets/<key>/index.ts` exports one of these
 * and `targets/index.ts` lists them; everything that used to name the targets one by one (the
 * `targets` config schema, the deploy loop, the stack-wide checks, the plan's mocks, the README's
 * target table) is derived from that list.
 */
export interface TargetDefinition<Key extends string = string, Schema extends z.ZodType = z.ZodType> {
    /** Config key under `llm-serving:targets` (and the key of the stack's outputs), e.g. "gcpSpotL4". */
    readonly key: Key;
    /**
     * Logical name of the target's component resource. It is part of every child's URN: changing
     * it replaces every resource the target has deployed.
     */
    readonly componentName: string;
    /** The target's row in the README's target table (`npm run readme:targets`). */
    readonly readme: {
        /** The cloud it runs on, as the README names it: "GCP", "Azure", "AWS". */
        readonly cloud: string;
        /** What a stack gets, in one sentence without a final period. */
        readonly serves: string;
        /** The model server it runs. */
        readonly server: string;
    };
    /** This target's config schema: the value of `llm-serving:targets.<key>`. */
    readonly schema: Schema;
    /**
     * Checks that need the rest of the stack (the model), run by the stack schema after its own.
     * `report` takes the key below the target ("vmSize"), the offending value and the message.
     * Methods (not function properties) so that a table of differently typed definitions is one
     * type; each is only ever called with the output of this definition's own schema.
     */
    checkStack?(target: z.output<Schema>, stack: StackView, report: (key: string, input: unknown, message: string) => void): void;
    /**
     * The GCP project and region whose GPU quotas this target holds with consumer quota overrides
     * (components/gcp/quota.ts). The API keeps one override per project, metric, limit and region
     * and answers a second with 409 ALREADY_EXISTS, so the stack schema refuses two targets that
     * would hold the same one. One scope per region the target holds quotas in; `path` is the
     * config key (below the target) that names the region, for the error message.
     */
    gcpGpuQuotaScope?(target: z.output<Schema>): ReadonlyArray<{ readonly project: string; readonly region: string; readonly path: ReadonlyArray<string | number> }>;
    /**
     * A public endpoint that would carry the API key over plain HTTP without the explicit opt-in,
     * checked once the whole schema passed (the rule is about what faces the internet).
     */
    checkPlaintext?(target: z.output<Schema>): TargetProblem[];
    /**
     * What this target cannot serve when the stack sets no certificate of its own
     * (llm-serving:tlsCertificate and tlsPrivateKey), checked once the whole schema passed.
     */
    checkWithoutStackCertificate?(target: z.output<Schema>): TargetProblem[];
    /** Registers the target's resources (one component named `componentName`). */
    deploy(target: z.output<Schema>, stack: SharedStackConfig): ServingTarget;
    /** Outputs a cloud computes for resource types this target reads, for the offline plan (keyed by type token). */
    readonly mockOutputs?: Readonly<Record<string, MockOutputs>>;
    /** Results of the invokes (data sources) this target calls, for the offline plan (keyed by invoke token). */
    readonly mockInvokes?: Readonly<Record<string, MockInvoke>>;
}

/** The stack settings a target's `checkStack` may read. */
export interface StackView {
    readonly model: ModelConfig;
}

/** What every target component exposes. */
export interface ServingTarget {
    /** OpenAI-compatible base URL. */
    readonly endpoint: pulumi.Output<string>;
    /** Bearer token (secret). */
    readonly apiKey: pulumi.Output<string>;
}

/**
 * Outputs a cloud would compute for a resource, from its logical name and inputs. Under the plan's
 * mocks a resource's state is its inputs plus these. Values are fixed and obviously fake
 * (documentation IP ranges, example.invalid hosts).
 */
export type MockOutputs = (name: string, inputs: Record<string, unknown>) => Record<string, unknown>;

/** The result of an invoke (data source) under the plan's mocks, from its arguments. */
export type MockInvoke = (args: Record<string, unknown>) => Record<string, unknown>;

/** Keeps the literal `key` and the schema's type of a definition (`defineTarget({ key: "gpuVm", ... })`). */
export function defineTarget<const Key extends string, Schema extends z.ZodType>(
    definition: TargetDefinition<Key, Schema>,
): TargetDefinition<Key, Schema> {
    return definition;
}
