import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { EXIT, main } from "../../plan/cli";
import { PlanReport } from "../../plan/report";
import { isKnownGated, UNGATED_DEFAULT_MODEL, AWQ_BUILDS, GGUF_BUILDS } from "../../config";
import { PROJECT_DIR } from "../helpers/program";
import { scratchDir } from "../helpers/scratch";

/** dev's stack file with the model replaced, written to a temp file the plan reads with --stack-file. */
function devWithModel(model: Record<string, unknown>): string {
    const doc = parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> };
    doc.config["llm-serving:model"] = model;
    const file = path.join(scratchDir("llm-serving-model-"), "Pulumi.dev.yaml");
    fs.writeFileSync(file, stringify(doc));
    return file;
}

async function plan(...argv: string[]): Promise<{ code: number; report: PlanReport }> {
    let stdout = "";
    const code = await main([...argv, "--json"], (s) => (stdout += s), () => undefined);
    return { code, report: JSON.parse(stdout) as PlanReport };
}

const modelAccessViolations = (report: PlanReport) => report.policies.violations.filter((v) => v.policy === "model-access");

describe("model access: committed stacks download their model as committed", () => {
    for (const stack of ["dev", "prod"]) {
        it(`${stack} serves an ungated model, with AWQ and GGUF builds known, and no model-access report`, async () => {
            const doc = parse(fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, { id?: string }> };
            const id = doc.config["llm-serving:model"]?.id;
            assert.equal(id, UNGATED_DEFAULT_MODEL);
            assert.equal(isKnownGated(id!), false);
            assert.ok(id! in AWQ_BUILDS && id! in GGUF_BUILDS, "T4 sizes need its AWQ build, CPU sizes its GGUF build");
            const { code, report } = await plan("--stack", stack);
            assert.equal(code, EXIT.ok);
            assert.deepEqual(modelAccessViolations(report), []);
        });
    }

    for (const preview of [false, true]) {
        it(`a gated model without a token is an advisory naming llm-serving:hfToken${preview ? " (--preview)" : ""}, not a config error`, async () => {
            const file = devWithModel({ id: "mistralai/Mistral-7B-Instruct-v0.2", servedName: "mistral-7b", maxModelLen: 8192 });
            const { code, report } = await plan("--stack", "dev", "--stack-file", file, ...(preview ? ["--preview"] : []));
            assert.equal(code, EXIT.ok, "advisory only: the stack still plans");
            const found = modelAccessViolations(report);
            // One per serving target of dev (GCP, the VM, EKS).
            assert.equal(found.length, 3, found.map((v) => v.message).join("\n"));
            for (const v of found) {
                assert.equal(v.enforcementLevel, "advisory");
                assert.match(v.message, /llm-serving:hfToken/);
            }
        });
    }

    it("model.gated overrides the publisher guess", async () => {
        const file = devWithModel({ id: UNGATED_DEFAULT_MODEL, gated: true });
        const { code, report } = await plan("--stack", "dev", "--stack-file", file);
        assert.equal(code, EXIT.ok);
        assert.equal(modelAccessViolations(report).length, 3);
    });
});
