import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Upstream specs the conformance tier reads (CRDs, chart values, vLLM's parser source...): unmodified
 * files at pinned versions, never copied into this repository. `upstream.lock.json` lists each one's
 * URL and sha256; `npm run upstream:fetch` downloads them into `.upstream/`. A maintainer's checkout
 * may instead point LLM_SERVING_UPSTREAM_DIR at a folder laid out the same way.
 */
export interface UpstreamEntry {
    /** Path under the upstream folder: `<project>/<version>/<path in the upstream repo>`. */
    readonly file: string;
    readonly url: string;
    readonly sha256: string;
}

export const PROJECT_DIR = path.resolve(__dirname, "..", "..");
export const LOCK_FILE = path.join(__dirname, "upstream.lock.json");
/** Where `npm run upstream:fetch` puts the files (git-ignored). */
export const FETCHED_DIR = path.join(PROJECT_DIR, ".upstream");

export function upstreamLock(): UpstreamEntry[] {
    return JSON.parse(fs.readFileSync(LOCK_FILE, "utf8")) as UpstreamEntry[];
}

/** The first folder that holds upstream files: the env override, the shared checkout, then .upstream/. */
export function upstreamDir(): string {
    const candidates = [process.env.LLM_SERVING_UPSTREAM_DIR, path.resolve(PROJECT_DIR, "..", "shared", "upstream"), FETCHED_DIR];
    for (const dir of candidates) if (dir && fs.existsSync(path.join(dir, upstreamLock()[0].file))) return dir;
    throw new Error(
        `no upstream specs found (looked in ${candidates.filter(Boolean).join(", ")}): run \`npm run upstream:fetch\` first`,
    );
}

export function sha256(bytes: Buffer | string): string {
    return createHash("sha256").update(bytes).digest("hex");
}

/**
 * Reads one pinned upstream file and checks it against the lock's sha256, so a check never runs
 * against an edited or different version of the spec.
 */
export function readUpstream(file: string, dir: string = upstreamDir()): string {
    const entry = upstreamLock().find((e) => e.file === file);
    if (!entry) throw new Error(`${file} is not in test/conformance/upstream.lock.json`);
    const bytes = fs.readFileSync(path.join(dir, file));
    const actual = sha256(bytes);
    if (actual !== entry.sha256) throw new Error(`${file}: sha256 ${actual} does not match the lock's ${entry.sha256}`);
    return bytes.toString("utf8");
}
