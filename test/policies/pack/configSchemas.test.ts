import * as assert from "node:assert/strict";
import Ajv from "ajv";
import { wrappedConfigSchema } from "../../../policies/configSchema";
import { allPolicies } from "../../../policies/rules";

// The pack compiles its config schemas without checking them against JSON Schema's meta-schema
// (policies/packConfig.ts: they are its own code, and the check cost every plan); here they are.
describe("policy config schemas: valid JSON Schema (checked here, not at every plan)", () => {
    const strict = new Ajv({ allErrors: true, strict: true });
    const configurable = allPolicies.filter((p) => p.configSchema);

    it("every configurable policy's schema, as the pack compiles it, passes the meta-schema and ajv's strict mode", () => {
        assert.ok(configurable.length >= 20, `${configurable.length} configurable policies`);
        for (const policy of configurable) {
            const schema = wrappedConfigSchema(policy.configSchema!);
            assert.equal(strict.validateSchema(schema), true, `${policy.name}: ${strict.errorsText(strict.errors)}`);
            assert.doesNotThrow(() => strict.compile(schema), policy.name);
        }
    });

    it("control: a schema with a wrong type name, or an unknown keyword, is refused", () => {
        assert.equal(strict.validateSchema({ type: "object", properties: { x: { type: "integr" } } }), false);
        assert.throws(() => strict.compile({ type: "object", properties: { x: { type: "integer", minimun: 1 } } }), /unknown keyword/);
    });
});
