import * as fs from "node:fs";
import * as path from "node:path";
import { FETCHED_DIR, sha256, upstreamLock } from "../test/conformance/upstream";

/**
 * Downloads the upstream specs the conformance tier reads (test/conformance/upstream.lock.json) into
 * .upstream/, checking each file's sha256. Files already present with the right digest are kept.
 */
async function fetchAll(): Promise<number> {
    let failed = 0;
    for (const entry of upstreamLock()) {
        const target = path.join(FETCHED_DIR, entry.file);
        if (fs.existsSync(target) && sha256(fs.readFileSync(target)) === entry.sha256) continue;
        const response = await fetch(entry.url);
        if (!response.ok) {
            process.stderr.write(`${entry.url}: HTTP ${response.status}\n`);
            failed++;
            continue;
        }
        const bytes = Buffer.from(await response.arrayBuffer());
        const digest = sha256(bytes);
        if (digest !== entry.sha256) {
            process.stderr.write(`${entry.url}: sha256 ${digest}, expected ${entry.sha256}\n`);
            failed++;
            continue;
        }
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, bytes);
        process.stdout.write(`fetched ${entry.file}\n`);
    }
    return failed === 0 ? 0 : 1;
}

fetchAll().then(
    (code) => process.exit(code),
    (e: unknown) => {
        process.stderr.write(`upstream:fetch failed: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(1);
    },
);
