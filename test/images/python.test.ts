import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as path from "node:path";

/**
 * The Python that ships in images/ (the chat UI's request logic, the Rasa action's model call), run here with the standard
 * library's unittest against a stand-in model endpoint over real HTTP (test/images/standin.py).
 * Gradio itself is not installable on this machine: the UI module only wires these functions.
 */
const DIR = __dirname;

function unittest(pattern: string): { status: number | null; out: string } {
    const run = spawnSync("python3", ["-m", "unittest", "discover", "-s", DIR, "-t", DIR, "-p", pattern, "-v"], {
        encoding: "utf8",
        timeout: 60_000,
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
    });
    return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

describe("images/ Python logic against a stand-in endpoint (real HTTP)", () => {
    it("chat UI: builds the request, streams and parses the reply, maps errors, keeps the key server-side", () => {
        const run = unittest("test_chat_ui.py");
        assert.equal(run.status, 0, run.out);
        const ran = /Ran (\d+) tests?/.exec(run.out);
        assert.ok(ran && Number(ran[1]) >= 7, run.out);
    });

    it("Rasa action: asks the stack's model with the key from the environment, falls back on failure, never shows the key", () => {
        const run = unittest("test_rasa_action.py");
        assert.equal(run.status, 0, run.out);
        const ran = /Ran (\d+) tests?/.exec(run.out);
        assert.ok(ran && Number(ran[1]) >= 5, run.out);
    });

    it("negative control: a failing Python test fails this one", () => {
        const run = spawnSync("python3", ["-c", "import unittest,sys\nclass T(unittest.TestCase):\n    def test(self): self.fail('x')\nsys.exit(not unittest.main(exit=False).result.wasSuccessful())"], { encoding: "utf8" });
        assert.notEqual(run.status, 0);
        assert.ok(path.isAbsolute(DIR));
    });
});
