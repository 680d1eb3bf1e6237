import * as fs from "node:fs";
import * as path from "node:path";
import { Document, ErrorCode, LineCounter, isMap, isScalar, isSeq, parseDocument, visit, YAMLError, YAMLWarning } from "yaml";
import { escapeInvisible, secretReason, showKey } from "../config/display";
import { UNDECRYPTED_SECRET } from "../config/tls";

/** A usage or stack-file problem: the CLI prints the message and exits 2. */
export class PlanUsageError extends Error {}

export interface LoadedStack {
    readonly project: string;
    readonly stack: string;
    /** Full keys to raw string values, as the Pulumi engine hands them to a program. */
    readonly config: Record<string, string>;
    /** Keys whose values are secrets (`secure:` in the stack file). */
    readonly secretKeys: string[];
}

/** Stand-in for a `secure:` value: the plan never decrypts secrets (and could not without a key). */
export { UNDECRYPTED_SECRET };

/** Stacks committed next to Pulumi.yaml (Pulumi.<stack>.yaml). */
export function committedStacks(projectDir: string): string[] {
    return fs
        .readdirSync(projectDir)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/**
 * Pulumi's stack name rule (the CLI's and the service's): 1-100 letters, digits, '-', '_' or '.',
 * optionally qualified as `org/stack` or `org/project/stack`. A name with any other character
 * (a '/' beyond those forms, '..' segments, spaces) is refused before it is joined to a path.
 */
const STACK_PART = /^[A-Za-z0-9_.-]{1,100}$/;
const STACK_RULE = "a stack name is 1-100 letters, digits, '-', '_' or '.' (Pulumi's rule), optionally qualified as org/stack or org/project/stack";

/** The bare stack name of `--stack`, validated as Pulumi validates it. */
export function parseStackName(name: string, project?: string): string {
    if (name.trim() === "") throw new PlanUsageError(`--stack: is empty; ${STACK_RULE}`);
    const parts = name.split("/");
    const bad = parts.length > 3 || parts.some((p) => !STACK_PART.test(p) || p === "." || p === "..");
    if (bad) throw new PlanUsageError(`--stack: got ${quoteText(name)}; ${STACK_RULE}`);
    if (parts.length === 3 && project !== undefined && parts[1] !== project) {
        throw new PlanUsageError(`--stack: got ${quoteText(name)}; the project part must be ${project} (the name in Pulumi.yaml)`);
    }
    return parts[parts.length - 1];
}

/** Top-level keys of a Pulumi stack file (Pulumi's ProjectStack). */
const STACK_FILE_KEYS = ["config", "secretsprovider", "encryptedkey", "encryptionsalt", "environment"];

/**
 * Reads Pulumi.yaml and a stack file the way the CLI does: keys without a namespace belong to the
 * project, objects and lists become JSON strings, `secure:` values become secrets. Stricter than
 * the CLI where it would guess: unknown YAML tags, a key given twice in two spellings
 * (`targets` and `llm-serving:targets`), the legacy `ns:config:key` form, non-finite numbers and
 * `secure:` values nested inside objects are refused with the key, never the value.
 */
export function loadStack(projectDir: string, stackArg: string, stackFile?: string): LoadedStack {
    const projectDoc = readYaml(path.join(projectDir, "Pulumi.yaml"));
    const project = typeof projectDoc?.name === "string" ? projectDoc.name : undefined;
    if (!project) throw new PlanUsageError(`${path.join(projectDir, "Pulumi.yaml")}: no project name`);
    const stack = parseStackName(stackArg, project);

    const file = stackFile ?? path.join(projectDir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        throw new PlanUsageError(
            `no stack file ${file}; committed stacks: ${committedStacks(projectDir).join(", ") || "none"}`,
        );
    }
    const stackDoc = readYaml(file) ?? {};
    for (const key of Object.keys(stackDoc)) {
        if (!STACK_FILE_KEYS.includes(key)) {
            throw new PlanUsageError(`${file}: ${quoteText(key)}: unknown top-level key; a stack file holds ${STACK_FILE_KEYS.join(", ")} (config values go under config:)`);
        }
    }
    const configDoc = stackDoc.config;
    if (configDoc !== undefined && configDoc !== null && !isRecord(configDoc)) {
        throw new PlanUsageError(`${file}: config: must be a mapping of keys to values, got ${Array.isArray(configDoc) ? "a list" : `a ${typeof configDoc}`}`);
    }
    const namespaces = knownNamespaces(projectDir, project);
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];

    // Project-level defaults (Pulumi.yaml `config:` with `default` or `value`), then the stack's values.
    for (const [key, decl] of Object.entries(asRecord(projectDoc?.config))) {
        const value = isRecord(decl) ? (decl.value ?? decl.default) : decl;
        if (value !== undefined) config[fullKey(project, key)] = toConfigString(value);
    }
    const spelledAs = new Map<string, string>();
    for (const [key, value] of Object.entries(asRecord(configDoc))) {
        const k = configKey(file, project, key, namespaces);
        const earlier = spelledAs.get(k);
        if (earlier !== undefined) {
            throw new PlanUsageError(`${file}: config: ${quoteText(earlier)} and ${quoteText(key)} are the same key ${showKey(k)}; keep one`);
        }
        spelledAs.set(k, key);
        if (isRecord(value) && "secure" in value) {
            if (typeof value.secure !== "string" || Object.keys(value).length !== 1) {
                throw new PlanUsageError(`${file}: ${showKey(k)}: a secure: value must be a mapping with the one key secure holding the ciphertext (value not shown)`);
            }
            config[k] = UNDECRYPTED_SECRET;
            secretKeys.push(k);
        } else {
            checkValue(file, k, value);
            config[k] = toConfigString(value);
        }
    }
    return { project, stack, config, secretKeys };
}

/**
 * The full key of a stack-file config key: `name` (the project's), `ns:name`. Pulumi also reads the
 * legacy `ns:config:name`; it is refused here so that one key has one spelling.
 */
function configKey(file: string, project: string, key: string, namespaces: ReadonlySet<string>): string {
    const parts = key.split(":");
    const shown = quoteText(key);
    if (parts.length === 3 && parts[1] === "config") {
        throw new PlanUsageError(`${file}: config: ${shown} uses the legacy namespace:config:key form; write ${showKey(`${parts[0]}:${parts[2]}`)}`);
    }
    if (parts.length > 2 || parts.some((p) => p === "") || !/^[A-Za-z0-9_.:-]+$/.test(key)) {
        throw new PlanUsageError(`${file}: config: ${shown} is not a config key; keys are name or namespace:name (letters, digits, '-', '_', '.')`);
    }
    if (parts.length === 2 && !namespaces.has(parts[0])) {
        throw new PlanUsageError(
            `${file}: config: ${shown}: unknown namespace ${quoteText(parts[0])}; config keys belong to ${[...namespaces].join(", ")}`,
        );
    }
    return fullKey(project, key);
}

/** This project's namespace, `pulumi`, and each Pulumi provider package the project depends on. */
function knownNamespaces(projectDir: string, project: string): Set<string> {
    const names = new Set([project, "pulumi"]);
    try {
        const pkg = JSON.parse(fs.readFileSync(path.join(projectDir, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
        for (const dep of Object.keys(pkg.dependencies ?? {})) {
            const m = /^@pulumi\/([a-z0-9-]+)$/.exec(dep);
            if (m && m[1] !== "pulumi" && m[1] !== "policy") names.add(m[1]);
        }
    } catch {
        // No package.json: only the project's own namespace and pulumi's.
    }
    return names;
}

/**
 * Refuses values the engine would mangle or that would leak: `.inf`/`.nan` (JSON has no
 * infinity; they would arrive as null), binary or timestamp values, and a `secure:` value nested
 * inside an object (no field of ours is secret, and a schema error would print the ciphertext).
 */
function checkValue(file: string, key: string, value: unknown, at = ""): void {
    const where = `${showKey(key)}${at}`;
    if (typeof value === "number" && !Number.isFinite(value)) {
        throw new PlanUsageError(`${file}: ${escapeInvisible(where)}: got ${Number.isNaN(value) ? ".nan (not a number)" : value > 0 ? ".inf (infinity)" : "-.inf (minus infinity)"}; must be a finite number`);
    }
    if (value instanceof Uint8Array || value instanceof Date || value instanceof Map || value instanceof Set) {
        throw new PlanUsageError(`${file}: ${escapeInvisible(where)}: must be a string, number, boolean, list or mapping (YAML binary, timestamp, set and ordered-map values are not config values)`);
    }
    if (Array.isArray(value)) {
        value.forEach((v, i) => checkValue(file, key, v, `${at}[${i}]`));
    } else if (isRecord(value)) {
        if ("secure" in value && at !== "") {
            throw new PlanUsageError(`${file}: ${escapeInvisible(where)}: holds a secure: value, but this field is not a secret; set it in plain text, and keep secrets in their own keys (value not shown)`);
        }
        for (const [k, v] of Object.entries(value)) checkValue(file, key, v, `${at}.${showKey(k)}`);
    }
}

/** Explicit YAML tags a config file may carry: the JSON types. Any other is refused. */
const PLAIN_TAGS = new Set(["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`));

/** What a YAML problem code means, in words that never quote the source. */
const YAML_PROBLEMS: Partial<Record<ErrorCode, string>> = {
    DUPLICATE_KEY: "a key appears twice in one mapping",
    TAG_RESOLVE_FAILED: "a YAML tag that config values cannot carry:",
    BAD_ALIAS: "an alias to an anchor that does not exist",
    RESOURCE_EXHAUSTION: "too many aliases (resource exhaustion)",
    MULTIPLE_DOCS: "more than one YAML document",
    TAB_AS_INDENT: "a tab used as indentation",
    BAD_INDENT: "bad indentation",
};

function readYaml(file: string): Record<string, unknown> | undefined {
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new PlanUsageError(`${file}: is a directory, not a YAML file`);
    let doc: Document;
    const lines = new LineCounter();
    try {
        // parseDocument collects problems instead of printing them: the yaml library's own warning
        // output quotes the source line, which may hold a secret.
        doc = parseDocument(fs.readFileSync(file, "utf8"), { logLevel: "silent", uniqueKeys: true, prettyErrors: false, lineCounter: lines });
    } catch (err) {
        throw new PlanUsageError(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"})`);
    }
    const problem = [...doc.errors, ...doc.warnings][0] ?? explicitTagProblem(doc, lines);
    if (problem) {
        const pos = problem.linePos?.[0] ?? lines.linePos(problem.pos[0]);
        const where = pos ? `:${pos.line}:${pos.col}` : "";
        const what = `not valid YAML: ${YAML_PROBLEMS[problem.code] ?? problem.code}`;
        const tag = problem.code === "TAG_RESOLVE_FAILED" ? tagOf(problem.message) : "";
        throw new PlanUsageError(`${file}${where}: ${what}${tag}; config values are plain strings, numbers, booleans, lists and mappings (value not shown)`);
    }
    let value: unknown;
    try {
        value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
        throw new PlanUsageError(`${file}: ${err instanceof YAMLError ? (YAML_PROBLEMS[err.code] ?? err.code) : "cannot be read as YAML"} (value not shown)`);
    }
    if (value === null || value === undefined) return undefined;
    if (!isRecord(value)) throw new PlanUsageError(`${file}: must be a YAML mapping`);
    return value;
}

/** The tag name from the library's "Unresolved tag: <tag> at line ..." (the tag, not the value). */
function tagOf(message: string): string {
    const m = /^Unresolved tag: (\S{1,60})/.exec(message);
    return m ? ` ${escapeInvisible(m[1].replace(/^tag:yaml\.org,2002:/, "!!"))}` : "";
}

/** The first explicit tag outside the JSON types (`!!binary`, `!!timestamp`, `!!set` resolve, yet are refused). */
function explicitTagProblem(doc: Document, lines: LineCounter): YAMLError | undefined {
    let found: YAMLError | undefined;
    visit(doc, (_key, node) => {
        if ((isScalar(node) || isMap(node) || isSeq(node)) && node.tag && !PLAIN_TAGS.has(node.tag)) {
            const range: [number, number] = node.range ? [node.range[0], node.range[1]] : [0, 0];
            found = new YAMLWarning(range, "TAG_RESOLVE_FAILED", `Unresolved tag: ${node.tag}`);
            found.linePos = [lines.linePos(range[0])];
            return visit.BREAK;
        }
        return undefined;
    });
    return found;
}
function fullKey(project: string, key: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

function toConfigString(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

function isRecord(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

function asRecord(v: unknown): Record<string, unknown> {
    return isRecord(v) ? v : {};
}

/** A user-typed string for a message: JSON-quoted, invisible characters escaped, cut at 80. */
function quoteText(text: string): string {
    if (secretReason(text)) return "(not shown: it may be a secret)";
    const q = escapeInvisible(JSON.stringify(text));
    return q.length > 80 ? `${q.slice(0, 77)}..."` : q;
}

/**
 * Reads a JSON file that must hold an object (a policy config, an earlier plan). Node's own
 * JSON.parse message quotes the text around the error, which may be a secret: only the position
 * is kept.
 */
export function readJsonObject(file: string, what: string): Record<string, unknown> {
    if (!fs.existsSync(file)) throw new PlanUsageError(`${file}: no such file (expected ${what})`);
    if (!fs.statSync(file).isFile()) throw new PlanUsageError(`${file}: is not a file (expected ${what}, a JSON object)`);
    let parsed: unknown;
    try {
        parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        const at = /position (\d+)/.exec((e as Error).message)?.[1];
        throw new PlanUsageError(`${file}: not valid JSON${at ? ` (at character ${at})` : ""}; expected ${what} (value not shown)`);
    }
    if (!isRecord(parsed)) {
        throw new PlanUsageError(`${file}: must be a JSON object (expected ${what}), got ${parsed === null ? "null" : Array.isArray(parsed) ? "a list" : `a ${typeof parsed}`}`);
    }
    return parsed;
}
