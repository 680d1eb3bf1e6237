import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import Ajv, { ValidateFunction } from "ajv";
import type { PolicyConfigSchema } from "@pulumi/policy";
import { AJV_OPTIONS, validatorBuild, wrappedConfigSchema } from "../../../policies/configSchema";
import { PRECOMPILED_CONFIG_VALIDATORS, PRECOMPILED_FOR } from "../../../policies/configValidators.generated";
import { ConfigurablePolicy, usableValidators, validatePolicyConfig } from "../../../policies/packConfig";
import { allPolicies } from "../../../policies/rules";
import { GENERATED_FILE, validatorName, validatorsModule } from "../../../scripts/policyValidators";

type JsonSchema = { type?: string; properties?: Record<string, JsonSchema>; items?: JsonSchema; default?: unknown };

const BAD_VALUES: unknown[] = ["a string", 12, -1, 0.5, 1e9, [], [1, "x"], {}, { nested: true }, null, true];

/**
 * Configs that reach every keyword of `schema`: none, its defaults, an unknown key, not an object,
 * and at every property (nested objects' and array items' included) each of BAD_VALUES in turn.
 */
function probeConfigs(schema: JsonSchema): unknown[] {
    const defaults = Object.fromEntries(Object.entries(schema.properties ?? {}).flatMap(([k, v]) => (v.default === undefined ? [] : [[k, v.default]])));
    const configs: unknown[] = [{}, defaults, { ...defaults, notASetting: 1 }, "not an object"];
    const at = (base: Record<string, unknown>, key: string, sub: JsonSchema, put: (value: unknown) => Record<string, unknown>) => {
        for (const value of BAD_VALUES) configs.push(put(value));
        for (const [k, v] of Object.entries(sub.properties ?? {})) at(base, k, v, (value) => put({ ...(isObject(base[key]) ? base[key] : {}), [k]: value }));
        if (sub.items) for (const value of BAD_VALUES) configs.push(put([value]));
    };
    for (const [key, sub] of Object.entries(schema.properties ?? {})) at(defaults, key, sub, (value) => ({ ...defaults, [key]: value }));
    return configs;
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
