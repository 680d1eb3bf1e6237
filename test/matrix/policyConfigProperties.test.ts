// Property: whatever JSON a policy config holds (random policy names, settings, prototype keys,
// huge numbers, a planted token as a name or a value), the pack's config resolution either
// accepts it or throws a PolicyConfigError (the plan's exit 2) that never prints the token.
import * as assert from "node:assert/strict";
import fc from "fast-check";
import devConfig from "../../policies/config/dev.json";
import { evaluatePolicies } from "../../policies/evaluate";
import { PolicyConfigError } from "../../policies/packConfig";

const TOKEN = "hf_PoLiCy0123456789abcdefGHIJKLmnopQRst";
const RUNS = 300;
const NAMES = [...Object.keys(devConfig), "all", "__proto__", "constructor", "toString", TOKEN, "monthly-cost-cap "];
const SETTINGS = ["enforcementLevel", "maxMonthlyUsd", "spotMargin", "allowed", "ports", "__proto__", "constructor", TOKEN, "gcp", "aws"];
const value = fc.oneof(
    fc.jsonValue(),
    fc.constantFrom(TOKEN, "mandatory", "advisory", "disabled", "strict", 1e308, -1, 0, 0.5, [TOKEN], { [TOKEN]: 1 }, { gcp: [TOKEN] }),
);

describe("policy config properties (fast-check)", () => {
    it(`random policy configs resolve or fail with a PolicyConfigError that never prints the planted token (${RUNS} runs)`, async () => {
        await fc.assert(
            fc.asyncProperty(
                fc.array(
                    fc.tuple(
                        fc.constantFrom(...NAMES),
                        fc.oneof(
                            value.map((v) => JSON.stringify(v) ?? "null"),
                            fc.array(fc.tuple(fc.constantFrom(...SETTINGS), value), { maxLength: 4 }).map((kv) => `{${kv.map(([a, b]) => `${JSON.stringify(a)}:${JSON.stringify(b) ?? "null"}`).join(",")}}`),
                        ),
                    ),
                    { maxLength: 5 },
                ),
                async (entries) => {
                    // Built as JSON text and parsed, so __proto__ arrives as an own key, as from a file.
                    const text = JSON.stringify(devConfig).slice(0, -1) + entries.map(([k, v]) => `,${JSON.stringify(k)}:${v}`).join("") + "}";
                    try {
                        await evaluatePolicies([], JSON.parse(text) as Record<string, unknown>);
                    } catch (e) {
                        assert.ok(e instanceof PolicyConfigError, `not a PolicyConfigError: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
                        assert.ok(!e.message.includes(TOKEN), `prints the planted token:\n${e.message}`);
                    }
                },
            ),
            { numRuns: RUNS },
        );
    });
});
