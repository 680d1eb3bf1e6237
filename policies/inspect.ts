// Guarded walking of nested props for the security rules: object entries and list elements as
// reads (so an unknown value anywhere is data, never a throw), what counts as "the whole
// internet", port coverage, container image references, and values that look like secrets.
// Nothing here ever returns a prop value for a message: helpers say WHAT is wrong, never the value.
import { PathKey, Read, readAt } from "./model/read";

export type Known<T = unknown> = Extract<Read<T>, { state: "known" }>;

/** The entries of a known object read, each value read through readAt; [] for anything else. */
export function entriesOf(read: Read): Array<[string, Read]> {
    if (read.state !== "known" || typeof read.value !== "object" || read.value === null || Array.isArray(read.value)) {
        return [];
    }
    const base = read.value;
    return Object.keys(base).map((key) => [key, readAt(base, [key], read.field)]);
}

/** The elements of a known array read, each read through readAt; [] for anything else. */
export function elementsOf(read: Read): Read[] {
    if (read.state !== "known" || !Array.isArray(read.value)) {
        return [];
    }
    const list = read.value;
    const out: Read[] = [];
    for (let i = 0; i < list.length; i++) {
        out.push(readAt(list, [i], read.field));
    }
    return out;
}

/** Reads `path` below a known read; an unknown or absent parent passes through. */
export function readIn(read: Read, path: ReadonlyArray<PathKey>): Read {
    if (read.state !== "known") {
        return read;
    }
    return readAt(read.value, path, read.field);
}

/** The string value of a read, or undefined. */
export function stringOf(read: Read): string | undefined {
    return read.state === "known" && typeof read.value === "string" ? read.value : undefined;
}

/** A read as a list of strings: one read per element; a lone string counts as a list of one. */
export function stringReads(read: Read): Read[] {
    if (read.state === "known" && typeof read.value === "string") {
        return [read];
    }
    return read.state === "unknown" ? [read] : elementsOf(read);
}

/** True when the port range `from..to` covers any of `ports`. */
export function coversAny(from: number, to: number, ports: ReadonlyArray<number>): number[] {
    return ports.filter((p) => p >= from && p <= to);
}

/**
 * Ports of `ports` that an Azure or GCP port expression covers: "*", "22", "8000-8100".
 * Returns undefined when the expression cannot be parsed (callers fail closed).
 */
export function portsInExpression(expression: string, ports: ReadonlyArray<number>): number[] | undefined {
    const e = expression.trim();
    if (e === "*" || e === "") {
        return [...ports];
    }
    const range = /^(\d+)\s*-\s*(\d+)$/.exec(e);
    if (range) {
        return coversAny(Number(range[1]), Number(range[2]), ports);
    }
    if (/^\d+$/.test(e)) {
        return coversAny(Number(e), Number(e), ports);
    }
    return undefined;
}

/** What is wrong with a container image reference for reproducible deploys, or undefined. */
export function imageProblem(image: string, forbiddenTags: ReadonlyArray<string>, requireDigest: boolean): string | undefined {
    const ref = image.trim();
    if (ref === "") {
        return "is empty";
    }
    if (/@sha256:[0-9a-f]{64}$/i.test(ref)) {
        return undefined;
    }
    if (requireDigest) {
        return "is not pinned to a digest (@sha256:...)";
    }
    const lastComponent = ref.slice(ref.lastIndexOf("/") + 1);
    const colon = lastComponent.lastIndexOf(":");
    if (colon < 0) {
        return "has no tag, so it pulls latest";
    }
    const tag = lastComponent.slice(colon + 1);
    if (forbiddenTags.some((t) => t.toLowerCase() === tag.toLowerCase())) {
        return `uses the moving tag ${tag}`;
    }
    return undefined;
}

/** `docker run` options that take a value as the next word (the rest are flags). */
const DOCKER_VALUE_OPTIONS = new Set([
    "--name", "--restart", "--env-file", "--volume", "-v", "--device", "--publish", "-p", "--network", "--net", "--gpus",
    "--ipc", "-e", "--env", "--mount", "--entrypoint", "--user", "-u", "--label", "-l", "--shm-size", "--memory", "-m",
    "--cpus", "--runtime", "--workdir", "-w", "--log-driver", "--log-opt", "--ulimit", "--cap-add", "--cap-drop",
    "--security-opt", "--hostname", "-h", "--add-host", "--tmpfs", "--pull", "--platform", "--pid", "--uts",
    "--health-cmd", "--health-interval", "--health-retries", "--health-timeout", "--stop-timeout", "--stop-signal",
    "--memory-swap", "--cpuset-cpus", "--dns", "--sysctl", "--group-add", "--volumes-from", "--link", "--expose",
]);

/**
 * The image of every `docker run` / `docker pull` / `docker create` in a shell script or
 * cloud-init (continuation lines joined). Shell variables are returned as written; the caller
 * decides what an unresolvable reference means.
 */
export function dockerImagesIn(script: string): string[] {
    const joined = script.replace(/\\\r?\n/g, " ");
    const images: string[] = [];
    for (const match of joined.matchAll(/\bdocker\s+(run|create|pull)\b([^\n;&|]*)/g)) {
        const words = match[2].trim().split(/\s+/).filter((w) => w !== "");
        for (let i = 0; i < words.length; i++) {
            const word = words[i].replace(/^["']|["']$/g, "");
            if (word.startsWith("-")) {
                if (!word.includes("=") && DOCKER_VALUE_OPTIONS.has(word)) {
                    i++;
                }
                continue;
            }
            images.push(word);
            break;
        }
    }
    return images;
}

/** Decodes base64 cloud-init / user data; returns the text unchanged when it is not base64. */
export function decodeUserData(value: string): string {
    const compact = value.replace(/\s+/g, "");
    if (compact.length >= 8 && compact.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
        const text = Buffer.from(compact, "base64").toString("utf8");
        // Printable text (cloud-init, shell) only; a binary blob stays as given.
        if (!/[\u0000-\u0008\u000e-\u001f]/.test(text)) {
            return text;
        }
    }
    return value;
}
