// Policy config schemas as the pack validates them (policies/packConfig.ts), and the ajv options
// and version its validators are compiled with. Apart from packConfig so that
// scripts/policyValidators.ts can compile the validators ahead of time without loading the file
// it writes (policies/configValidators.generated.ts), which may be stale or broken when it runs.
import type { PolicyConfigSchema } from "@pulumi/policy";
import type { Options } from "ajv";

/**
 * The options the pack's validators are compiled with, at run time and ahead of time. The
 * schemas are the pack's own code, never a user's input: each is checked against JSON Schema's
 * meta-schema by the tests (test/policies/pack/configSchemas.test.ts), not at every plan, where
 * compiling the meta-schema was a third of the time ajv took (profile of `plan --stack ha`, issue 21).
 */
export const AJV_OPTIONS: Options = { allErrors: true, validateSchema: false };

/** What a compiled validator depends on besides its schema: ajv's version and the options. */
export function validatorBuild(): string {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { version } = require("ajv/package.json") as { version: string };
    return `ajv ${version} ${JSON.stringify(AJV_OPTIONS)}`;
}

/** The object schema the CLI validates a policy's config against (convertSchema), closed. */
export function wrappedConfigSchema(schema: PolicyConfigSchema): object {
    return closed({ type: "object", properties: schema.properties, ...(schema.required ? { required: schema.required } : {}) }) as object;
}

/**
 * The schema with `additionalProperties: false` on every object that lists its properties and
 * says nothing about others, so that a misspelt or prototype key (`__proto__`, `constructor`)
 * nested in a setting is refused like one at the top.
 */
function closed(schema: unknown): unknown {
    if (Array.isArray(schema)) return schema.map(closed);
    if (schema === null || typeof schema !== "object") return schema;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(schema)) {
        out[key] = key === "properties" && value !== null && typeof value === "object"
            ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, closed(v)]))
            : key === "default" || key === "enum" || key === "const" ? value : closed(value);
    }
    if ("properties" in out && !("additionalProperties" in out)) out.additionalProperties = false;
    return out;
}
