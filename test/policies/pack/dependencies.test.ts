// Pulumi Cloud installs the published pack from policies/package.json alone and type-checks it
// with policies/tsconfig.json: a package the pack imports (or a tsconfig `types` entry) that only
// the repo's root package.json declares works here, where the root node_modules is on the path,
// and fails there. So every bare import in every file tsc -p policies/tsconfig.json checks, and
// every `types` entry, must be a dependency of policies/package.json; a relative import must stay
// inside policies/ (nothing outside it is published).
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { builtinModules } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { PROJECT_DIR } from "../../helpers/program";

/** The files tsc would check for the pack's tsconfig (its include/exclude), absolute. */
function packFiles(dir: string): string[] {
    const configPath = path.join(dir, "tsconfig.json");
    const read = ts.readConfigFile(configPath, ts.sys.readFile);
    if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, "\n"));
    return ts.parseJsonConfigFileContent(read.config, ts.sys, dir).fileNames.map((f) => path.resolve(f));
}

/** What the pack needs that policies/package.json does not declare, one line each. */
export function undeclaredPackDependencies(dir: string): string[] {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    const declared = new Set(Object.keys(pkg.dependencies ?? {}));
    const problems: string[] = [];
    const tsconfig = ts.readConfigFile(path.join(dir, "tsconfig.json"), ts.sys.readFile).config as { compilerOptions?: { types?: string[] } };
    for (const t of tsconfig.compilerOptions?.types ?? []) {
        if (!declared.has(`@types/${t}`) && !declared.has(t)) problems.push(`tsconfig.json types: ${t} (needs @types/${t})`);
    }
    const builtins = new Set(builtinModules);
    for (const file of packFiles(dir)) {
        const rel = path.relative(dir, file);
        for (const { fileName: spec } of ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true).importedFiles) {
            if (spec.startsWith(".")) {
                const target = path.resolve(path.dirname(file), spec);
                if (path.relative(dir, target).startsWith("..")) problems.push(`${rel}: ${spec} (outside policies/)`);
                continue;
            }
            if (spec.startsWith("node:") || builtins.has(spec)) continue;
            const parts = spec.split("/");
            const name = spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
            if (!declared.has(name)) problems.push(`${rel}: ${spec}`);
        }
    }
    return problems;
}

describe("the published pack declares what it loads (policies/package.json)", () => {
    it("every bare import of every file tsc checks, and every tsconfig types entry, is a dependency", () => {
        assert.deepEqual(undeclaredPackDependencies(path.join(PROJECT_DIR, "policies")), []);
    });

    it("the pack's pins are the root's (one version of each package is tested)", () => {
        const root = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
        const pack = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "policies", "package.json"), "utf8")) as { dependencies: Record<string, string> };
        for (const [name, version] of Object.entries(pack.dependencies)) {
            assert.equal(version, root.dependencies[name] ?? root.devDependencies[name], name);
        }
    });

    // packConfig.ts names ajv twice: its types, and the compiler it loads for a schema with no validator compiled ahead of time.
    it("negative control: a copy of the pack without @types/node and ajv is reported, and so is an import from outside", () => {
        const copy = fs.mkdtempSync(path.join(os.tmpdir(), "pack-deps-"));
        try {
            const src = path.join(PROJECT_DIR, "policies");
            fs.copyFileSync(path.join(src, "tsconfig.json"), path.join(copy, "tsconfig.json"));
            const pkg = JSON.parse(fs.readFileSync(path.join(src, "package.json"), "utf8")) as { dependencies: Record<string, string> };
            delete pkg.dependencies["@types/node"];
            delete pkg.dependencies.ajv;
            fs.writeFileSync(path.join(copy, "package.json"), JSON.stringify(pkg));
            fs.copyFileSync(path.join(src, "packConfig.ts"), path.join(copy, "packConfig.ts"));
            fs.writeFileSync(path.join(copy, "outside.ts"), 'import { x } from "../components/serving";\nexport const y = x;\n');
            assert.deepEqual(undeclaredPackDependencies(copy), ["tsconfig.json types: node (needs @types/node)", "outside.ts: ../components/serving (outside policies/)", "packConfig.ts: ajv", "packConfig.ts: ajv"]);
        } finally {
            fs.rmSync(copy, { recursive: true, force: true });
        }
    });
});
