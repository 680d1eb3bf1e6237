import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import Ajv from "ajv";
import type { PolicyConfigSchema } from "@pulumi/policy";
import { PRECOMPILED } from "../../../policies/configValidators.generated";
import { AJV_OPTIONS, ConfigurablePolicy, validatePolicyConfig, wrappedConfigSchema } from "../../../policies/packConfig";
import { allPolicies } from "../../../policies/rules";
import { GENERATED_FILE, validatorsModule } from "../../../scripts/policyValidators";

// The plan validates policy configs with validators compiled ahead of time (issue 21); these
// tests hold them to the schemas they came from and to what ajv compiles from those schemas now.
describe("policy config validators compiled ahead of time (policies/configValidators.generated.ts)", () => {
    const configurable = allPolicies.filter((p) => p.configSchema);

    it("the committed file is what `npm run policies:validators` prints from the pack's schemas now", () => {
        assert.equal(fs.readFileSync(GENERATED_FILE, "utf8"), validatorsModule(), "stale: run npm run policies:validators");
    });

    it("control: a changed schema prints a different file", () => {
        const changed: ConfigurablePolicy[] = configurable.map((p, i) =>
            i === 0 ? { ...p, configSchema: { ...p.configSchema!, properties: { ...p.configSchema!.properties, extra: { type: "string" as const } } } } : p,
        );
        assert.notEqual(validatorsModule(changed), validatorsModule(configurable));
    });

    it("one validator per configurable policy, keyed by the JSON of its schema as the pack wraps it", () => {
        assert.ok(configurable.length >= 20, `${configurable.length} configurable policies`);
        assert.deepEqual(
            PRECOMPILED.map(([policy, schemaJson]) => [policy, schemaJson]),
            configurable.map((p) => [p.name, JSON.stringify(wrappedConfigSchema(p.configSchema!))]),
        );
    });

    it("each gives the errors ajv compiles from the schema at run time, on good and bad configs", () => {
        const ajv = new Ajv(AJV_OPTIONS);
        const bad: unknown[] = ["a string", 12, -1, 1e9, [], [1, "x"], {}, { nested: true }, null, true];
        let compared = 0;
        for (const [policy, schemaJson, precompiled] of PRECOMPILED) {
            const schema = JSON.parse(schemaJson) as { properties: Record<string, { default?: unknown }> };
            const compiled = ajv.compile(schema);
            const defaults = Object.fromEntries(Object.entries(schema.properties).flatMap(([k, v]) => (v.default === undefined ? [] : [[k, v.default]])));
            const configs: unknown[] = [{}, defaults, { ...defaults, notASetting: 1 }, "not an object"];
            for (const key of Object.keys(schema.properties)) for (const value of bad) configs.push({ ...defaults, [key]: value });
            for (const config of configs) {
                const a = precompiled(config);
                const b = compiled(config);
                assert.equal(a, b, `${policy}: ${JSON.stringify(config)}`);
                assert.deepEqual(precompiled.errors ?? null, compiled.errors ?? null, `${policy}: ${JSON.stringify(config)}`);
                compared++;
            }
        }
        assert.ok(compared > 500, `${compared} configs compared`);
    });

    it("a schema with no validator compiled ahead of time is compiled at run time: it accepts and refuses as its schema says", () => {
        const schema: PolicyConfigSchema = { properties: { limit: { type: "integer", minimum: 1 } }, required: ["limit"] };
        assert.ok(!PRECOMPILED.some(([, schemaJson]) => schemaJson === JSON.stringify(wrappedConfigSchema(schema))));
        assert.deepEqual(validatePolicyConfig(schema, { limit: 3 }), []);
        assert.deepEqual(validatePolicyConfig(schema, { limit: 0 }), ["limit: must be >= 1"]);
        assert.deepEqual(validatePolicyConfig(schema, {}), ["(root): limit is required"]);
    });
});
