// Policy-pack config handled the way the Pulumi CLI handles `--policy-pack-config` before it calls
// the pack's Configure: parse levels, fill schema defaults, overlay the given config, validate each
// policy's config against its configSchema. The CLI does this in Go (pkg/resource/analyzer/config.go,
// gojsonschema); @pulumi/policy has no JS equivalent to reuse, so this mirrors it for the offline
// plan and tests (JSON schema by ajv), and phrases errors the same way (`validating policy config:
// <pack> <version>  <policy>: maxMonthlyUsd is required`).
import type { EnforcementLevel, PolicyConfigSchema } from "@pulumi/policy";
import type { default as Ajv, ErrorObject, ValidateFunction } from "ajv";
import { AJV_OPTIONS, validatorBuild, wrappedConfigSchema } from "./configSchema";
import { PRECOMPILED_CONFIG_VALIDATORS, PRECOMPILED_FOR } from "./configValidators.generated";
import { secretLikeReason } from "./contract/secrets";

export const ENFORCEMENT_LEVELS: ReadonlyArray<EnforcementLevel> = ["advisory", "mandatory", "remediate", "disabled"];

/** A policy as far as config is concerned. */
export interface ConfigurablePolicy {
    readonly name: string;
    readonly enforcementLevel?: EnforcementLevel;
    readonly configSchema?: PolicyConfigSchema;
}

/** One policy's effective config after reconciliation. */
export interface ResolvedPolicyConfig {
    readonly enforcementLevel: EnforcementLevel;
    readonly properties: Record<string, unknown>;
}

export class PolicyConfigError extends Error {}

interface GivenConfig {
    enforcementLevel?: EnforcementLevel;
    properties: Record<string, unknown>;
}

/**
 * Reconciles `--policy-pack-config` JSON with the policies: defaults, then the given config, then
 * validation. Unlike the CLI, a key that names no policy, or a setting a policy's schema does not
 * declare, is an error: a typo must not silently drop a guardrail's settings.
 */
export function resolvePolicyConfig(
    pack: { name: string; version: string; enforcementLevel: EnforcementLevel },
    policies: ReadonlyArray<ConfigurablePolicy>,
    raw: Record<string, unknown>,
): Map<string, ResolvedPolicyConfig> {
    const infinite = nonFinite(raw, "");
    if (infinite) {
        // JSON.parse turns 1e400 into Infinity, which every later step would show as null.
        throw new PolicyConfigError(`${infinite}: must be a finite number (got a number too large to represent)`);
    }
    const given = parseConfig(raw);
    const known = new Set(policies.map((p) => p.name));
    for (const name of given.keys()) {
        if (name !== "all" && !known.has(name)) {
            throw new PolicyConfigError(`policy pack config names ${shown(name)}, which is not a policy in ${pack.name}; known: ${[...known].join(", ")}`);
        }
    }
    const all = given.get("all")?.enforcementLevel;
    const resolved = new Map<string, ResolvedPolicyConfig>();
    const errors: string[] = [];
    for (const policy of policies) {
        const mine = given.get(policy.name);
        const properties = { ...schemaDefaults(policy.configSchema), ...(mine?.properties ?? {}) };
        const enforcementLevel = mine?.enforcementLevel ?? all ?? policy.enforcementLevel ?? pack.enforcementLevel;
        for (const key of Object.keys(mine?.properties ?? {})) {
            // Stricter than the CLI, which cannot express additionalProperties at the top level:
            // a misspelt setting would otherwise fall back to its default without a word.
            // Own keys only: `constructor` and `__proto__` are "in" every object's prototype chain.
            if (!policy.configSchema || !Object.hasOwn(policy.configSchema.properties, key)) {
                errors.push(`validating policy config: ${pack.name} ${pack.version}  ${policy.name}: Additional property ${shown(key).slice(1, -1)} is not allowed`);
            }
        }
        if (policy.configSchema) {
            for (const e of validatePolicyConfig(policy.configSchema, properties)) {
                // gojsonschema prints root errors as "(root): ..."; the CLI trims that prefix.
                const message = e.replace(/^\(root\): /, "");
                errors.push(`validating policy config: ${pack.name} ${pack.version}  ${policy.name}: ${message}`);
            }
        }
        resolved.set(policy.name, { enforcementLevel, properties });
    }
    if (errors.length > 0) {
        throw new PolicyConfigError(errors.join("\n"));
    }
    return resolved;
}

function parseConfig(raw: Record<string, unknown>): Map<string, GivenConfig> {
    const result = new Map<string, GivenConfig>();
    for (const [name, value] of Object.entries(raw)) {
        if (typeof value === "string") {
            result.set(name, { enforcementLevel: parseLevel(name, value), properties: {} });
        } else if (isPlainObject(value)) {
            const { enforcementLevel, ...properties } = value;
            result.set(name, {
                enforcementLevel: enforcementLevel === undefined ? undefined : parseLevel(name, enforcementLevel),
                properties,
            });
        } else {
            throw new PolicyConfigError(`parsing ${shown(name)}: must be an enforcement level string or an object`);
        }
    }
    return result;
}

function parseLevel(name: string, value: unknown): EnforcementLevel {
    const level = ENFORCEMENT_LEVELS.find((l) => l === value);
    if (!level) {
        throw new PolicyConfigError(`parsing enforcement level for ${shown(name)}: ${shown(value)} is not a valid enforcement level (${ENFORCEMENT_LEVELS.join(", ")})`);
    }
    return level;
}

/** The CLI fills only top-level `default`s (createConfigWithDefaults). */
function schemaDefaults(schema: PolicyConfigSchema | undefined): Record<string, unknown> {
    const defaults: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(schema?.properties ?? {})) {
        if (property.default !== undefined) {
            defaults[key] = structuredClone(property.default);
        }
    }
    return defaults;
}

/**
 * Validators compiled ahead of time (policies/configValidators.generated.ts), by the JSON of the
 * schema each was generated from, used only if generated by this ajv with these options: a schema
 * that has changed since, or a new ajv or new options, finds none and is compiled here, so a stale
 * file costs time, never another verdict.
 */
const precompiled = usableValidators(PRECOMPILED_CONFIG_VALIDATORS, PRECOMPILED_FOR, validatorBuild());

/** The validators by schema JSON, or none when they were compiled by another ajv or with other options. */
export function usableValidators(
    table: ReadonlyArray<readonly [policy: string, schemaJson: string, validate: ValidateFunction]>,
    builtFor: string,
    build: string,
): ReadonlyMap<string, ValidateFunction> {
    return new Map(builtFor === build ? table.map(([, schemaJson, validate]) => [schemaJson, validate]) : []);
}
let ajv: Ajv | undefined;
const compiled = new WeakMap<PolicyConfigSchema, ValidateFunction>();

/** The CLI wraps a policy's configSchema as an object schema (convertSchema) and validates it. */
function validatorFor(schema: PolicyConfigSchema): ValidateFunction {
    let validate = compiled.get(schema);
    if (!validate) {
        const wrapped = wrappedConfigSchema(schema);
        validate = precompiled.get(JSON.stringify(wrapped)) ?? compileValidator(wrapped);
        compiled.set(schema, validate);
    }
    return validate;
}

/** ajv's compiler, loaded only for a schema that has no validator compiled ahead of time. */
function compileValidator(schema: object): ValidateFunction {
    if (!ajv) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { default: AjvClass } = require("ajv") as { default: typeof Ajv };
        ajv = new AjvClass(AJV_OPTIONS);
    }
    return ajv.compile(schema);
}

/** Validates a policy's config; messages follow gojsonschema's (`field: description`). */
export function validatePolicyConfig(schema: PolicyConfigSchema, config: Record<string, unknown>): string[] {
    const validate = validatorFor(schema);
    if (validate(config)) {
        return [];
    }
    return (validate.errors ?? []).map(describeError);
}

function describeError(e: ErrorObject): string {
    const field = e.instancePath === "" ? "(root)" : e.instancePath.slice(1).replace(/\//g, ".");
    if (e.keyword === "required") {
        return `${field}: ${String((e.params as { missingProperty: unknown }).missingProperty)} is required`;
    }
    if (e.keyword === "additionalProperties") {
        return `${field}: Additional property ${shown(String((e.params as { additionalProperty: unknown }).additionalProperty)).slice(1, -1)} is not allowed`;
    }
    return `${field}: ${e.message ?? e.keyword}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The path of the first non-finite number in a parsed config, or undefined. */
function nonFinite(value: unknown, at: string): string | undefined {
    if (typeof value === "number") return Number.isFinite(value) ? undefined : at || "(root)";
    if (value === null || typeof value !== "object") return undefined;
    for (const [key, v] of Object.entries(value)) {
        const found = nonFinite(v, Array.isArray(value) ? `${at}[${key}]` : at ? `${at}.${JSON.stringify(key)}` : JSON.stringify(key));
        if (found) return found;
    }
    return undefined;
}

/** A user-given name or value for a message: JSON-quoted, unless it may be a secret. */
function shown(value: unknown): string {
    const text = JSON.stringify(value) ?? String(value);
    const reason = secretLikeReason(text, true);
    if (reason) return `"(not shown: it ${reason})"`;
    return text.length > 80 ? `${text.slice(0, 77)}...` : text.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/g, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}
