import { ConfigError, parseStackConfig } from "../../stack";
import { MockRun, PlannedResource } from "../../plan/mocks";
import { runProgram } from "../../plan/run";
import { loadStack, LoadedStack } from "../../plan/stackFiles";
import * as path from "node:path";

export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/** A committed stack, loaded as the plan loads it. */
export function committedStack(stack: string): LoadedStack {
    return loadStack(PROJECT_DIR, stack);
}

/**
 * A stack built from plain objects: `config` maps keys of the llm-serving namespace ("targets",
 * "tags", ...) to values; `secrets` maps keys to secret values.
 */
export function stackFrom(
    config: Record<string, unknown>,
    secrets: Record<string, string> = {},
    stack = "test",
): LoadedStack {
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(config)) values[`llm-serving:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
    for (const [k, v] of Object.entries(secrets)) values[`llm-serving:${k}`] = v;
    return {
        project: "llm-serving",
        stack,
        config: values,
        secretKeys: Object.keys(secrets).map((k) => `llm-serving:${k}`),
    };
}

export const TEST_TAGS = { owner: "ml-platform", costCenter: "cc-1234" };

/** Runs index.ts under mocks for `stack`. */
export function plan(stack: LoadedStack, opts: { preview?: boolean } = {}): Promise<MockRun<unknown>> {
    return runProgram(stack, opts);
}

/** The resources of one type; fails the test if there are none. */
export function ofType(resources: readonly PlannedResource[], type: string): PlannedResource[] {
    const found = resources.filter((r) => r.type === type);
    if (found.length === 0) throw new Error(`no ${type} registered; got: ${[...new Set(resources.map((r) => r.type))].join(", ")}`);
    return found;
}

/** The single resource of `type` (named `name` when given). */
export function one(resources: readonly PlannedResource[], type: string, name?: string): PlannedResource {
    const found = ofType(resources, type).filter((r) => name === undefined || r.name === name);
    if (found.length !== 1) throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}`);
    return found[0];
}

/**
 * The config problems (one line each) a stack with these targets gets from the schema, or none:
 * `tags` defaults to a valid pair. Anything thrown other than a ConfigError is a bug and rethrown.
 */
export function configProblems(targets: Record<string, unknown>, tags: Record<string, string> = { owner: "ml-platform", costCenter: "cc-1234" }): string[] {
    const values = { "llm-serving:tags": JSON.stringify(tags), "llm-serving:targets": JSON.stringify(targets) };
    try {
        parseStackConfig({ values, secretKeys: new Set() }, "test");
    } catch (e) {
        if (e instanceof ConfigError) return [...e.problems];
        throw e;
    }
    return [];
}
