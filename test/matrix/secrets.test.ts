// Secret leak test: known sentinel values in every secret config key (SECRET_KEYS, discovered, not
// hard-coded), passed as Pulumi secrets the way the engine passes `secure:` values, for every
// committed stack; the plan rendered as text, JSON and Markdown must not contain them (plainly,
// JSON-escaped or base64-encoded), the recorded resource inputs must not either, and every stack
// output that holds a secret must be marked secret.
import * as assert from "node:assert/strict";
import { NAMESPACE } from "../../config";
import { SECRET_KEYS } from "../../stack";
import { renderMarkdown, renderText } from "../../plan/format";
import { buildReport, loadPolicyConfig } from "../../plan/report";
import { committedStacks, LoadedStack } from "../../plan/stackFiles";
import { committedStack, plan, PROJECT_DIR } from "../helpers/program";

/** One sentinel per secret key: long, random-looking, unique. */
const SENTINELS: Readonly<Record<string, string>> = Object.fromEntries(
    SECRET_KEYS.map((key, i) => [key, `SeNtInEl${i}x${key}Q7vR2mK9pL4wZ8nB3cX6`]),
);
/** PEM-shaped keys get their sentinel wrapped as a PEM body, so the config's shape check accepts it. */
const PEM_LABELS: Readonly<Record<string, string>> = { tlsCertificate: "CERTIFICATE", tlsPrivateKey: "PRIVATE KEY" };
function secretValue(key: string, sentinel: string): string {
    const label = PEM_LABELS[key];
    return label ? `-----BEGIN ${label}-----\n${sentinel}\n-----END ${label}-----\n` : sentinel;
}
/** Outputs that hold secrets by name (apiKeys now, kubeconfig(s) when a target exports them). */
const SECRET_OUTPUT = /key|kubeconfig|token|password|secret/i;

function withSentinels(stack: LoadedStack): LoadedStack {
    const config = { ...stack.config };
    for (const [key, value] of Object.entries(SENTINELS)) config[`${NAMESPACE}:${key}`] = secretValue(key, value);
    return { ...stack, config, secretKeys: [...new Set([...stack.secretKeys, ...Object.keys(SENTINELS).map((k) => `${NAMESPACE}:${k}`)])] };
}

/** Every way a sentinel could show: as is, JSON-escaped, or inside a base64 blob. */
function leaks(text: string): string[] {
    const found: string[] = [];
    const decoded = [...text.matchAll(/[A-Za-z0-9+/]{24,}={0,2}/g)].map((m) => Buffer.from(m[0], "base64").toString("latin1"));
    for (const [key, sentinel] of Object.entries(SENTINELS)) {
        if (text.includes(sentinel) || text.includes(JSON.stringify(sentinel).slice(1, -1)) || decoded.some((d) => d.includes(sentinel))) found.push(key);
    }
    return found;
}

describe("secrets never leak from the plan", () => {
    const stacks = committedStacks(PROJECT_DIR);

    it("checks every secret key the config declares, and every committed stack", () => {
        assert.ok(SECRET_KEYS.length >= 4, SECRET_KEYS.join(", "));
        for (const key of Object.keys(PEM_LABELS)) assert.ok((SECRET_KEYS as readonly string[]).includes(key), key);
        assert.ok(stacks.includes("dev") && stacks.includes("prod"), stacks.join(", "));
    });

    it("the leak detector has teeth: plain, escaped and base64 forms are found", () => {
        const [key, sentinel] = Object.entries(SENTINELS)[0];
        assert.deepEqual(leaks(`x ${sentinel} y`), [key]);
        assert.deepEqual(leaks(Buffer.from(`#cloud-config\nexport K=${sentinel}\n`).toString("base64")), [key]);
    });

    for (const name of stacks) {
        it(`${name}: no sentinel in text, JSON or Markdown, nor in the recorded inputs; secret outputs stay secret`, async () => {
            const stack = withSentinels(committedStack(name));
            const run = await plan(stack);
            const details = await buildReport(stack.project, stack.stack, run.resources, run.outputs, loadPolicyConfig(PROJECT_DIR, name));
            const rendered = {
                text: renderText(details, run.resources),
                json: JSON.stringify(details.report, null, 2),
                markdown: renderMarkdown(details, run.resources),
                inputs: JSON.stringify(run.resources),
                outputs: JSON.stringify(run.outputs),
                violations: details.report.policies.violations.map((v) => v.message).join("\n"),
            };
            for (const [form, text] of Object.entries(rendered)) {
                assert.deepEqual(leaks(text), [], `${name}: a sentinel shows in the ${form}`);
            }
            // The secrets did reach the program: some input is a marked secret.
            assert.ok(rendered.inputs.includes("[secret]"), "the sentinels should arrive as secrets somewhere");
            const secretOutputs = Object.keys(run.outputs).filter((k) => SECRET_OUTPUT.test(k));
            assert.ok(secretOutputs.includes("apiKeys"), `outputs: ${Object.keys(run.outputs).join(", ")}`);
            for (const key of secretOutputs) {
                assert.equal(run.outputs[key], "[secret]", `${name}: output ${key} must be a secret`);
            }
        });
    }
});
