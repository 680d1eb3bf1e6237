import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import Ajv, { ValidateFunction } from "ajv";
import type { PolicyConfigSchema } from "@pulumi/policy";
import { AJV_OPTIONS, validatorBuild, wrappedConfigSchema } from "../../../policies/configSchema";
import { PRECOMPILED_CONFIG_VALIDATORS, PRECOMPILED_FOR } from "../../../policies/configValidators.generated";
import { ConfigurablePolicy, usableValidators, validatePolicyConfig } from "../../../policies/packConfig";
import { allPolicies } from "../../../policies/rules";
import { GENERATED_FILE, validatorName, validatorsModule } from "../../../scripts/policyValidators";

type JsonSchema = { type?: string; properties?: Record<string, JsonSchema>; items?: JsonSchema; default?: unknown; maxItems?: number; pattern?: string };

// Values that break each keyword the pack's schemas use: wrong types, "" (minLength), 0 and -1
// (exclusiveMinimum, minimum), 1e9 (maximum), a string in no enum or pattern, [] (minItems).
const BAD_VALUES: unknown[] = ["a string", "", 12, 0, -1, 0.5, 1e9, [], [1, "x"], {}, { nested: true }, null, true];

/**
 * Configs that reach the keywords of `schema`: none, its defaults, an unknown key, not an object,
 * and at every property, nested objects' and array items' included, each of BAD_VALUES in turn,
 * plus for an array a repeated item (uniqueItems) and one item more than maxItems.
 */
function probeConfigs(schema: JsonSchema): unknown[] {
    const defaults = Object.fromEntries(Object.entries(schema.properties ?? {}).flatMap(([k, v]) => (v.default === undefined ? [] : [[k, v.default]])));
    const configs: unknown[] = [{}, defaults, { ...defaults, notASetting: 1 }, "not an object"];
    // `put` places a value at the property's path in a copy of the defaults; `current` is what is there now.
    const at = (sub: JsonSchema, current: unknown, put: (value: unknown) => unknown) => {
        for (const value of BAD_VALUES) configs.push(put(value));
        const object = isObject(current) ? current : {};
        for (const [k, v] of Object.entries(sub.properties ?? {})) at(v, object[k], (value) => put({ ...object, [k]: value }));
        if (sub.items) {
            // A valid item, so that uniqueItems and maxItems are what fails (ajv compares items of the declared type only).
            const sample = Array.isArray(current) && current.length > 0 ? current[0] : sub.items.type === "number" || sub.items.type === "integer" ? 1 : "x";
            configs.push(put([sample, sample]), put(Array.from({ length: (sub.maxItems ?? 20) + 1 }, (_, i) => (typeof sample === "number" ? sample + i : `${String(sample)}${i}`))));
            at(sub.items, sample, (value) => put([value]));
        }
    };
    for (const [key, sub] of Object.entries(schema.properties ?? {})) at(sub, defaults[key], (value) => ({ ...defaults, [key]: value }));
    return configs;
}

/** Each validation keyword in `schema`, as the schemaPath ajv reports when it fails. */
function keywordPaths(schema: JsonSchema, at = "#"): string[] {
    const paths: string[] = [];
    for (const [key, value] of Object.entries(schema)) {
        if (key === "properties") for (const [k, v] of Object.entries(value as Record<string, JsonSchema>)) paths.push(...keywordPaths(v, `${at}/properties/${k}`));
        else if (key === "items") paths.push(...keywordPaths(value as JsonSchema, `${at}/items`));
        else if (!["default", "description", "$id"].includes(key) && !(key === "additionalProperties" && value !== false)) paths.push(`${at}/${key}`);
    }
    return paths;
}

/** The schemaPaths `validate` reports over `configs`. */
function failedPaths(validate: ValidateFunction, configs: unknown[]): Set<string> {
    const seen = new Set<string>();
    for (const config of configs) if (!validate(config)) for (const e of validate.errors ?? []) seen.add(e.schemaPath);
    return seen;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Where `a` and `b` disagree, verdict or errors, on `configs`: one line each. */
function mismatches(a: ValidateFunction, b: ValidateFunction, configs: unknown[]): string[] {
    return configs.flatMap((config) => {
        const verdicts = [a(config), b(config)];
        const same = verdicts[0] === verdicts[1] && JSON.stringify(a.errors ?? null) === JSON.stringify(b.errors ?? null);
        return same ? [] : [JSON.stringify(config)];
    });
}

// The plan validates policy configs with validators compiled ahead of time (issue 21); these
// tests hold them to the schemas they came from and to what ajv compiles from those schemas now.
describe("policy config validators compiled ahead of time (policies/configValidators.generated.ts)", () => {
    const configurable = allPolicies.filter((p) => p.configSchema);

    it("the committed file is what `npm run policies:validators` prints from the pack's schemas now", () => {
        assert.equal(fs.readFileSync(GENERATED_FILE, "utf8"), validatorsModule(), "stale: run npm run policies:validators");
    });

    it("control: a changed schema prints a different file", () => {
        const [first] = configurable;
        const changed: ConfigurablePolicy = { ...first, configSchema: { ...first.configSchema!, properties: { ...first.configSchema!.properties, extra: { type: "string" } } } };
        assert.notEqual(validatorsModule([changed]), validatorsModule([first]));
    });

    it("one validator per configurable policy, named after it, keyed by the JSON of its schema as the pack wraps it, for this ajv and these options", () => {
        assert.ok(configurable.length >= 20, `${configurable.length} configurable policies`);
        assert.deepEqual(
            PRECOMPILED_CONFIG_VALIDATORS.map(([policy, schemaJson]) => [policy, schemaJson]),
            configurable.map((p) => [p.name, JSON.stringify(wrappedConfigSchema(p.configSchema!))]),
        );
        assert.equal(validatorName("monthly-cost-cap"), "monthlyCostCapConfig");
        assert.equal(PRECOMPILED_FOR, validatorBuild());
        // Policies whose schemas are the same share a key (any of their validators will do).
        const distinct = new Set(configurable.map((p) => JSON.stringify(wrappedConfigSchema(p.configSchema!)))).size;
        assert.equal(usableValidators(PRECOMPILED_CONFIG_VALIDATORS, PRECOMPILED_FOR, validatorBuild()).size, distinct);
    });

    it("validators made by another ajv or with other options are not used (control: the same table with its own build is)", () => {
        assert.equal(usableValidators(PRECOMPILED_CONFIG_VALIDATORS, PRECOMPILED_FOR, PRECOMPILED_FOR.replace(/^ajv \S+/, "ajv 9.0.0")).size, 0);
        assert.equal(usableValidators(PRECOMPILED_CONFIG_VALIDATORS, PRECOMPILED_FOR, PRECOMPILED_FOR.replace('"allErrors":true', '"allErrors":false')).size, 0);
    });

    it("the probes fail every validation keyword of every schema at least once (so the comparison below reaches each)", () => {
        const ajv = new Ajv(AJV_OPTIONS);
        for (const [policy, schemaJson] of PRECOMPILED_CONFIG_VALIDATORS) {
            const schema = JSON.parse(schemaJson) as JsonSchema;
            const failed = failedPaths(ajv.compile(schema), probeConfigs(schema));
            assert.deepEqual(keywordPaths(schema).filter((p) => !failed.has(p)), [], policy);
        }
    });

    it("control: the keyword coverage check reports a keyword no probe breaks", () => {
        const schema: JsonSchema = { type: "object", properties: { name: { type: "string", pattern: "^.*$" } } };
        assert.deepEqual(keywordPaths(schema).filter((p) => !failedPaths(new Ajv(AJV_OPTIONS).compile(schema), probeConfigs(schema)).has(p)), ["#/properties/name/pattern"]);
    });

    it("each gives the verdicts and errors ajv compiles from its schema now, nested settings and array items included", () => {
        const ajv = new Ajv(AJV_OPTIONS);
        let compared = 0;
        for (const [policy, schemaJson, precompiled] of PRECOMPILED_CONFIG_VALIDATORS) {
            const schema = JSON.parse(schemaJson) as JsonSchema;
            const configs = probeConfigs(schema);
            assert.deepEqual(mismatches(precompiled, ajv.compile(schema), configs), [], policy);
            compared += configs.length;
        }
        assert.ok(compared > 1000, `${compared} configs compared`);
    });

    it("control: a validator that loses one nested check, or the required one, is caught", () => {
        const ajv = new Ajv(AJV_OPTIONS);
        const [policy, schemaJson] = PRECOMPILED_CONFIG_VALIDATORS.find(([name]) => name === "monthly-cost-cap")!;
        const schema = JSON.parse(schemaJson) as JsonSchema & { required?: string[] };
        const compiled = ajv.compile(schema);
        const withoutRequired = ajv.compile({ ...schema, required: [] });
        const looser = structuredClone(schema);
        delete (looser.properties!.transientHoursPerMonth.properties!.aksUpgradeSurge as { maximum?: number }).maximum;
        assert.notDeepEqual(mismatches(withoutRequired, compiled, probeConfigs(schema)), [], `${policy}: required`);
        assert.notDeepEqual(mismatches(ajv.compile(looser), compiled, probeConfigs(schema)), [], `${policy}: a nested maximum`);
    });

    it("a schema with no validator compiled ahead of time is compiled at run time: it accepts and refuses as its schema says", () => {
        const schema: PolicyConfigSchema = { properties: { limit: { type: "integer", minimum: 1 } }, required: ["limit"] };
        assert.ok(!PRECOMPILED_CONFIG_VALIDATORS.some(([, schemaJson]) => schemaJson === JSON.stringify(wrappedConfigSchema(schema))));
        assert.deepEqual(validatePolicyConfig(schema, { limit: 3 }), []);
        assert.deepEqual(validatePolicyConfig(schema, { limit: 0 }), ["limit: must be >= 1"]);
        assert.deepEqual(validatePolicyConfig(schema, {}), ["(root): limit is required"]);
    });
});
