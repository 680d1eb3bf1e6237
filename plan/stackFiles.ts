import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
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
 * Reads Pulumi.yaml and a stack file the way the CLI does: keys without a namespace belong to the
 * project, objects and lists become JSON strings, `secure:` values become secrets.
 */
export function loadStack(projectDir: string, stack: string, stackFile?: string): LoadedStack {
    const projectDoc = readYaml(path.join(projectDir, "Pulumi.yaml"));
    const project = typeof projectDoc?.name === "string" ? projectDoc.name : undefined;
    if (!project) throw new PlanUsageError(`${path.join(projectDir, "Pulumi.yaml")}: no project name`);

    const file = stackFile ?? path.join(projectDir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        throw new PlanUsageError(
            `no stack file ${file}; committed stacks: ${committedStacks(projectDir).join(", ") || "none"}`,
        );
    }
    const stackDoc = readYaml(file) ?? {};
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];

    // Project-level defaults (Pulumi.yaml `config:` with `default` or `value`), then the stack's values.
    for (const [key, decl] of Object.entries(asRecord(projectDoc?.config))) {
        const value = isRecord(decl) ? (decl.value ?? decl.default) : decl;
        if (value !== undefined) config[fullKey(project, key)] = toConfigString(value);
    }
    for (const [key, value] of Object.entries(asRecord(stackDoc.config))) {
        const k = fullKey(project, key);
        if (isRecord(value) && typeof value.secure === "string" && Object.keys(value).length === 1) {
            config[k] = UNDECRYPTED_SECRET;
            secretKeys.push(k);
        } else {
            config[k] = toConfigString(value);
        }
    }
    return { project, stack, config, secretKeys };
}

function readYaml(file: string): Record<string, unknown> | undefined {
    try {
        const doc: unknown = parseYaml(fs.readFileSync(file, "utf8"));
        if (doc === null || doc === undefined) return undefined;
        if (!isRecord(doc)) throw new PlanUsageError(`${file}: must be a YAML mapping`);
        return doc;
    } catch (err) {
        if (err instanceof PlanUsageError) throw err;
        throw new PlanUsageError(`${file}: not valid YAML: ${(err as Error).message.split("\n")[0]}`);
    }
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
