// Loaded by .mocharc.json before any test file: every test in the process that plans the same
// stack with the same config shares one run of the program (plan/run.ts shareProgramRuns). A test
// file run on its own (`npx mocha --no-config -r tsx/cjs <file>`) runs the program every time, so
// no test depends on the sharing. LLM_SERVING_FREEZE_SHARED_RUNS=1 deep-freezes the shared runs:
// a test that changed one would then fail (the suite passed so, 2026-12-02); off by default
// because the policies run about 5x slower over frozen objects.
import { shareProgramRuns } from "../../plan/run";

shareProgramRuns(true, { freeze: process.env.LLM_SERVING_FREEZE_SHARED_RUNS === "1" });
