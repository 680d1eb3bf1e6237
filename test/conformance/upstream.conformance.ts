import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { readUpstream, upstreamDir, upstreamLock } from "./upstream";
import { scratchDir } from "../helpers/scratch";

describe("conformance: the pinned upstream specs", () => {
    it("every locked file is present and matches its sha256", () => {
        const dir = upstreamDir();
        for (const entry of upstreamLock()) assert.doesNotThrow(() => readUpstream(entry.file, dir), entry.file);
    });

    it("negative control: an edited copy is refused", () => {
        const [entry] = upstreamLock();
        const dir = scratchDir("upstream-");
        fs.mkdirSync(path.dirname(path.join(dir, entry.file)), { recursive: true });
        fs.writeFileSync(path.join(dir, entry.file), readUpstream(entry.file) + "\n# edited\n");
        assert.throws(() => readUpstream(entry.file, dir), /does not match the lock/);
    });
});
