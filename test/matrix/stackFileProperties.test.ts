// Property: whatever text a stack file holds (random keys in every spelling, YAML tags, anchors,
// .inf/.nan, secure: values in odd places, a planted token anywhere), reading it and parsing its
// config either succeeds or ends in a PlanUsageError or ConfigError (the CLI's exit 2) whose
// message never holds the planted token: never a TypeError, never a library error.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { ConfigError, parseStackConfig } from "../../stack";
import { loadStack, PlanUsageError } from "../../plan/stackFiles";
import { PROJECT_DIR } from "../helpers/program";

const TOKEN = "hf_PrOpErTy0123456789abcdefGHIJKLmnopQR";
const RUNS = 250;

const KEYS = ["targets", "llm-serving:targets", "llm-serving:config:targets", "tags", "llm-serving:tags", "model", "llm-serving:hfToken", "hfToken", "apiKey", "gcp:project", "llm-servng:x", "a:b:c", "bad key", TOKEN, "\u200btargets", "__proto__", "constructor"];
const VALUES = [
    `!secret ${TOKEN}`, `!!python/object:os.system ${TOKEN}`, `!!binary aGVsbG8=`, ".inf", "-.inf", ".nan", `{secure: ${TOKEN}}`, `{secure: ${TOKEN}, x: 1}`,
    `{gcpSpotL4: {project: ${TOKEN}, region: us-central1, replicas: {min: 2, max: .inf}}}`,
    `{gcpSpotL4: {project: acme-llm-dev, region: us-central1, replicas: {min: 2, max: 3}, allowedCidrs: [0.0.0.0/1, 128.0.0.0/1]}}`,
    `{gcpSpotL4: {project: acme-llm-dev, region: us-central1, replicas: {min: 2, max: 3}, domain: {secure: ${TOKEN}}}}`,
    `{owner: ml-platform, costCenter: cc-1}`, `[${TOKEN}]`, `"${TOKEN}"`, "null", "~", "&a [1, 2]", "*a", "!!set {a, b}", "!!str 1", "2001-12-14", "0x1F", "{? [1]: 2}",
];

function yamlText(entries: ReadonlyArray<[string, string]>, top: string): string {
    const lines = entries.map(([k, v]) => `  ${JSON.stringify(k)}: ${v}`);
    return `${top}config:\n${lines.join("\n")}\n`;
}

describe("stack file properties (fast-check)", () => {
    let dir: string;
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "llm-stackprop-"))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it(`random stack files end in a config or a usage/config error that never prints the planted token (${RUNS} runs)`, () => {
        let n = 0;
        fc.assert(
            fc.property(
                fc.array(fc.tuple(fc.constantFrom(...KEYS), fc.oneof(fc.constantFrom(...VALUES), fc.jsonValue().map((v) => JSON.stringify(v)))), { maxLength: 6 }),
                fc.constantFrom("", "targets: {}\n", "secretsprovider: passphrase\n", `x: !secret ${TOKEN}\n`),
                (entries, top) => {
                    const file = path.join(dir, `s${n++}.yaml`);
                    fs.writeFileSync(file, yamlText(entries, top));
                    try {
                        const stack = loadStack(PROJECT_DIR, "dev", file);
                        parseStackConfig({ values: stack.config, secretKeys: new Set(stack.secretKeys) }, stack.stack);
                    } catch (e) {
                        assert.ok(e instanceof PlanUsageError || e instanceof ConfigError, `not a usage error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
                        assert.ok(!e.message.includes(TOKEN), `prints the planted token:\n${e.message}`);
                        assert.doesNotMatch(e.message, /\u200b/, "an invisible character printed as is");
                    }
                },
            ),
            { numRuns: RUNS },
        );
    });

    it("negative control: a file that plants the token where the message quotes it is caught by the check", () => {
        const message = new PlanUsageError(`x: got ${TOKEN}`).message;
        assert.throws(() => assert.ok(!message.includes(TOKEN)));
    });
});
