// Loaded by .mocharc.json before any test file: every test in the process that plans the same
// stack with the same config shares one run of the program (plan/run.ts shareProgramRuns). A test
// file run on its own (`npx mocha --no-config -r tsx/cjs <file>`) runs the program every time, so
// no test depends on the sharing.
import { shareProgramRuns } from "../../plan/run";

shareProgramRuns(true);
