// The import structure the layout promises, read from the sources themselves: no import cycle
// among project files (type-only imports count: they still tie the files' meanings together), the
// program reaches the policy pack only through policies/contract, the pack never imports the
// program, and the program's folders depend one way (config <- components <- targets <- stack).
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { PROJECT_DIR } from "./helpers/program";

/** Project-relative path ("targets/gpuVm/index.ts") -> the project files it imports. */
type ImportGraph = ReadonlyMap<string, readonly string[]>;

/** Where a file sits in the layout, for the rules below. */
function areaOf(file: string): string {
    if (file === "index.ts") return "index.ts";
    if (file.startsWith("policies/contract/")) return "policies/contract";
    return file.split("/")[0];
}

/** The program's folders, lowest first: each may import only from those before it. */
const PROGRAM_LAYERS = ["config", "components", "targets", "stack", "index.ts"] as const;

/** Every import, export-from, require and dynamic import of a source text, type-only ones included. */
export function importSpecifiers(source: string): string[] {
    return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

/** A relative specifier resolved against `from` to a project .ts file, as Node and TypeScript would. */
function resolve(from: string, specifier: string, exists: (file: string) => boolean): string | undefined {
    if (!specifier.startsWith(".")) return undefined; // a package
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
    return [`${base}.ts`, `${base}/index.ts`, base].find((f) => f.endsWith(".ts") && exists(f));
}

/** The import graph of every non-test .ts file of the project. */
function projectGraph(): ImportGraph {
    const roots = ["index.ts", "components", "config", "targets", "stack", "plan", "policies", "prices", "scripts", "bench"];
    const files: string[] = [];
    for (const root of roots) {
        const full = path.join(PROJECT_DIR, root);
        if (!fs.existsSync(full)) continue;
        if (fs.statSync(full).isFile()) {
            files.push(root);
            continue;
        }
        for (const entry of fs.readdirSync(full, { recursive: true, withFileTypes: true })) {
            const rel = path.relative(PROJECT_DIR, path.join(entry.parentPath, entry.name)).split(path.sep).join("/");
            if (entry.isFile() && rel.endsWith(".ts") && !rel.endsWith(".d.ts") && !rel.includes("node_modules/")) files.push(rel);
        }
    }
    const known = new Set(files);
    const graph = new Map<string, string[]>();
    for (const file of files) {
        const text = fs.readFileSync(path.join(PROJECT_DIR, file), "utf8");
        const targets = importSpecifiers(text)
            .map((s) => resolve(file, s, (f) => known.has(f)))
            .filter((f): f is string => f !== undefined);
        graph.set(file, [...new Set(targets)]);
    }
    return graph;
}

/** Every cycle's files (Tarjan's strongly connected components of more than one file, or a file importing itself). */
export function importCycles(graph: ImportGraph): string[][] {
    let counter = 0;
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const cycles: string[][] = [];
    const visit = (file: string): void => {
        index.set(file, counter);
        low.set(file, counter++);
        stack.push(file);
        onStack.add(file);
        for (const next of graph.get(file) ?? []) {
            if (!index.has(next)) {
                visit(next);
                low.set(file, Math.min(low.get(file)!, low.get(next)!));
            } else if (onStack.has(next)) {
                low.set(file, Math.min(low.get(file)!, index.get(next)!));
            }
        }
        if (low.get(file) === index.get(file)) {
            const component: string[] = [];
            let member: string;
            do {
                member = stack.pop()!;
                onStack.delete(member);
                component.push(member);
            } while (member !== file);
            if (component.length > 1 || (graph.get(file) ?? []).includes(file)) cycles.push(component.sort());
        }
    };
    for (const file of [...graph.keys()].sort()) if (!index.has(file)) visit(file);
    return cycles;
}

/** Imports that cross the layout's boundaries, as "from -> to: why". */
export function boundaryViolations(graph: ImportGraph): string[] {
    const problems: string[] = [];
    for (const [from, imports] of graph) {
        const a = areaOf(from);
        for (const to of imports) {
            const b = areaOf(to);
            const program = (area: string) => (PROGRAM_LAYERS as readonly string[]).includes(area);
            if (program(a) && b === "policies") {
                problems.push(`${from} -> ${to}: the program imports the pack only through policies/contract/`);
            } else if ((a === "policies" || a === "policies/contract") && (program(b) || b === "plan")) {
                problems.push(`${from} -> ${to}: the pack must not import the program (or the plan tooling)`);
            } else if (a === "policies/contract" && b !== "policies/contract") {
                problems.push(`${from} -> ${to}: policies/contract/ imports nothing outside itself`);
            } else if (program(a) && program(b) && PROGRAM_LAYERS.indexOf(b as never) > PROGRAM_LAYERS.indexOf(a as never)) {
                problems.push(`${from} -> ${to}: ${a} must not import ${b} (program folders depend ${PROGRAM_LAYERS.join(" <- ")})`);
            } else if (program(a) && b === "plan") {
                problems.push(`${from} -> ${to}: the program must not import the plan tooling`);
            } else if (a === "targets" && b === "targets") {
                // A target's folder is self-contained: only the table (targets/index.ts) and the
                // shared definition (targets/definition.ts) are shared between them.
                const own = from.split("/")[1];
                const other = to.split("/")[1];
                const shared = (f: string) => f === "targets/index.ts" || f === "targets/definition.ts";
                if (!shared(from) && !shared(to) && own !== other) problems.push(`${from} -> ${to}: one target's folder must not import another's`);
            }
        }
    }
    return problems.sort();
}

describe("architecture: the import graph", () => {
    const graph = projectGraph();

    it("reads the whole project (the program, the pack, the plan tooling)", () => {
        for (const file of ["index.ts", "stack/index.ts", "targets/index.ts", "config/index.ts", "plan/cli.ts", "policies/index.ts", "policies/contract/keys.ts"]) {
            assert.ok(graph.has(file), `${file} not read`);
        }
        assert.ok((graph.get("index.ts") ?? []).includes("stack/index.ts"), "index.ts -> stack/index.ts not seen");
    });

    it("has no import cycle, type-only imports included", () => {
        assert.deepEqual(importCycles(graph), []);
    });

    it("crosses no boundary: program -> pack only through policies/contract, pack -> program never, program folders one way", () => {
        assert.deepEqual(boundaryViolations(graph), []);
    });

    it("every folder under targets/ is a target in the table, and only the table imports the targets", () => {
        const folders = fs.readdirSync(path.join(PROJECT_DIR, "targets"), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
        const table = (graph.get("targets/index.ts") ?? []).filter((f) => f !== "targets/definition.ts").map((f) => f.split("/")[1]).sort();
        assert.deepEqual(table, folders);
        for (const [from, imports] of graph) {
            for (const to of imports) {
                if (/^targets\/\w+\/index\.ts$/.test(to)) assert.equal(from, "targets/index.ts", `${from} imports ${to}: go through the table`);
            }
        }
    });

    describe("negative controls: the checks catch what they are for", () => {
        it("reads type-only imports, re-exports, require and dynamic import as edges", () => {
            const text = [
                'import type { A } from "./a";',
                'export { B } from "../b";',
                'export * from "./c";',
                'const d = require("./d");',
                'const e = import("./e");',
                "// import { F } from \"./f\";",
            ].join("\n");
            assert.deepEqual(importSpecifiers(text).sort(), ["../b", "./a", "./c", "./d", "./e"]);
        });

        it("finds a cycle closed by a type-only import, and a file importing itself", () => {
            const sources: Record<string, string> = {
                "config/index.ts": 'export * from "./schema";',
                "config/schema.ts": 'import type { Accelerator } from "../components/serving";',
                "components/serving.ts": 'import { ModelConfig } from "../config";',
                "components/self.ts": 'import "./self";',
                "components/leaf.ts": 'import { z } from "zod";',
            };
            const known = new Set(Object.keys(sources));
            const graph = new Map(
                Object.entries(sources).map(([file, text]) => [
                    file,
                    importSpecifiers(text).map((s) => resolve(file, s, (f) => known.has(f))).filter((f): f is string => f !== undefined),
                ]),
            );
            assert.deepEqual(importCycles(graph), [["components/self.ts"], ["components/serving.ts", "config/index.ts", "config/schema.ts"]]);
        });

        it("flags each kind of boundary crossing", () => {
            const graph = new Map<string, string[]>([
                ["config/fields.ts", ["policies/cidr.ts", "policies/contract/cidr.ts", "components/serving.ts"]],
                ["targets/gpuVm/index.ts", ["targets/aksGpu/config.ts", "targets/definition.ts", "stack/schema.ts", "plan/mocks.ts"]],
                ["policies/rules/x.ts", ["config/index.ts", "policies/contract/keys.ts"]],
                ["policies/contract/keys.ts", ["policies/read.ts"]],
                ["plan/mockOutputs.ts", ["targets/index.ts", "policies/index.ts"]],
            ]);
            assert.deepEqual(boundaryViolations(graph).map((p) => p.split(":")[0]), [
                "config/fields.ts -> components/serving.ts",
                "config/fields.ts -> policies/cidr.ts",
                "policies/contract/keys.ts -> policies/read.ts",
                "policies/rules/x.ts -> config/index.ts",
                "targets/gpuVm/index.ts -> plan/mocks.ts",
                "targets/gpuVm/index.ts -> stack/schema.ts",
                "targets/gpuVm/index.ts -> targets/aksGpu/config.ts",
            ]);
        });
    });
});
