// Temporary folders for tests, removed when the process that made them exits (a mocha worker, or
// a file run on its own): the suite used to leave about a hundred in the system's temporary folder
// at every run (pasted stack files of the sizing tool, plans' stack files, stubs).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const made: string[] = [];

function removeAll(): void {
    for (const dir of made.splice(0)) {
        try {
            fs.rmSync(dir, { recursive: true, force: true });
        } catch {
            // One folder that cannot be removed (EACCES, EBUSY) neither keeps the others nor fails the run.
        }
    }
}

/** A new folder in the system's temporary folder, named `<prefix>XXXXXX`, removed at exit. */
export function scratchDir(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    if (made.length === 0) process.once("exit", removeAll);
    made.push(dir);
    return dir;
}
