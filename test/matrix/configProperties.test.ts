// Property: whatever document a stack file holds, the config parser either accepts it or throws
// a ConfigError whose every problem line names an `llm-serving:` key; never a TypeError, never a
// zod error, never an empty problem list. Random JSON at random keys, and mutations of the
// committed stacks' configs (a value replaced, a key dropped, a key added) at random paths.
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { NAMESPACE } from "../../config";
import { ConfigError, parseStackConfig, SECRET_KEYS } from "../../stack";
import { committedStack } from "../helpers/program";

const RUNS = 400;
const KEYS = ["model", "tags", "targets", ...SECRET_KEYS, "target", "tag", "extra"];

function checkParse(values: Record<string, string>, secretKeys: ReadonlySet<string>): void {
    try {
        parseStackConfig({ values, secretKeys }, "dev");
    } catch (e) {
        assert.ok(e instanceof ConfigError, `not a ConfigError: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        assert.ok(e.problems.length > 0, "a ConfigError lists its problems");
        for (const line of e.problems) {
            assert.ok(line.startsWith(`${NAMESPACE}:`), `problem line does not start with ${NAMESPACE}: ${line}`);
        }
    }
}

/** The committed stacks' own config values, parsed back into objects. */
function committedDocuments(): Record<string, unknown>[] {
    return ["dev", "prod"].map((name) => {
        const stack = committedStack(name);
        const doc: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(stack.config)) {
            if (!k.startsWith(`${NAMESPACE}:`)) continue;
            try {
                doc[k.slice(NAMESPACE.length + 1)] = JSON.parse(v);
            } catch {
                doc[k.slice(NAMESPACE.length + 1)] = v;
            }
        }
        return doc;
    });
}

function encode(doc: Record<string, unknown>): Record<string, string> {
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(doc)) {
        if (v !== undefined) values[`${NAMESPACE}:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
    }
    return values;
}

/** Sets (or deletes, for undefined) the value at `path`, walking only through plain objects/arrays. */
function mutateAt(doc: unknown, path: readonly number[], value: unknown): unknown {
    if (path.length === 0 || doc === null || typeof doc !== "object") return value;
    const keys = Object.keys(doc);
    if (keys.length === 0) return value;
    const key = keys[path[0] % keys.length];
    const copy: Record<string, unknown> | unknown[] = Array.isArray(doc) ? [...doc] : { ...(doc as Record<string, unknown>) };
    const next = mutateAt((doc as Record<string, unknown>)[key], path.slice(1), value);
    if (next === undefined && !Array.isArray(copy)) delete copy[key];
    else (copy as Record<string, unknown>)[key] = next;
    return copy;
}

describe("config parser properties (fast-check)", () => {
    it(`random documents at random keys give a valid config or a ConfigError of llm-serving: lines (${RUNS} runs)`, () => {
        fc.assert(
            fc.property(
                fc.dictionary(fc.constantFrom(...KEYS), fc.oneof(fc.jsonValue(), fc.string()), { maxKeys: 6 }),
                fc.subarray([...SECRET_KEYS]),
                (doc, secrets) => checkParse(encode(doc), new Set(secrets.map((k) => `${NAMESPACE}:${k}`))),
            ),
            { numRuns: RUNS },
        );
    });

    it(`mutations of the committed stacks' configs never crash the parser (${RUNS} runs)`, () => {
        const docs = committedDocuments();
        const leaf = fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.constantFrom(-1, 0, 1e9, "", "0.0.0.0/0", "latest", null, [], {}));
        fc.assert(
            fc.property(
                fc.nat(docs.length - 1),
                fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
                leaf,
                fc.option(fc.tuple(fc.string({ maxLength: 12 }), fc.jsonValue())),
                (which, path, value, extra) => {
                    const mutated = mutateAt(docs[which], path, value) as Record<string, unknown>;
                    const withExtra = extra && mutated && typeof mutated.targets === "object" && mutated.targets !== null
                        ? { ...mutated, targets: { ...(mutated.targets as object), [extra[0]]: extra[1] } }
                        : mutated;
                    checkParse(encode(withExtra ?? {}), new Set());
                },
            ),
            { numRuns: RUNS },
        );
    });

    it("parses the committed stacks unchanged (the mutation base is valid)", () => {
        // `secure:` entries arrive as secrets (the plan's stand-in value), as the engine hands them over.
        const secretKeys = new Set(SECRET_KEYS.map((k) => `${NAMESPACE}:${k}`));
        for (const doc of committedDocuments()) parseStackConfig({ values: encode(doc), secretKeys }, "dev");
    });
});
