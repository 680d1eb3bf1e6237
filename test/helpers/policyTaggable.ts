// Reads the provider SDKs' input types to find which resource types take cost-allocation tags:
// a resource is taggable when its `<Name>Args` interface has a top-level `tags` property (AWS,
// Azure) or `labels` property (GCP; a GCP `tags` field is a list of network tags, not labels).
// policies/taggable.data.json is this function's output, committed; a test regenerates it and
// compares, so an SDK upgrade that adds or drops a tags property fails loudly.
//   Regenerate: npx tsx test/helpers/policyTaggable.ts > policies/taggable.data.json
import * as fs from "node:fs";
import * as path from "node:path";

const SDK_ROOT = path.resolve(__dirname, "..", "..", "node_modules", "@pulumi");

/** Which input property carries cost-allocation metadata, per provider package. */
export const TAG_PROPERTY = { aws: "tags", "azure-native": "tags", gcp: "labels" } as const;
export type TaggedProvider = keyof typeof TAG_PROPERTY;

export interface TaggableTypes {
    /** Where the list came from (package versions), for the reviewer. */
    readonly source: Record<TaggedProvider, string>;
    /** Pulumi type tokens whose Args declare the provider's tag property, sorted, per provider. */
    readonly types: Record<TaggedProvider, string[]>;
}

export function taggableTypesFromSdk(root = SDK_ROOT): TaggableTypes {
    const source = {} as Record<TaggedProvider, string>;
    const types = {} as Record<TaggedProvider, string[]>;
    for (const provider of Object.keys(TAG_PROPERTY) as TaggedProvider[]) {
        const dir = path.join(root, provider);
        source[provider] = `@pulumi/${provider}@${(JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string }).version}`;
        const found: string[] = [];
        // Module directories only one level down: azure-native's versioned sub-modules
        // (network/v20230201/...) are older API versions of the same tokens' schemas, not extra types.
        for (const mod of fs.readdirSync(dir, { withFileTypes: true })) {
            if (!mod.isDirectory() || mod.name === "types" || mod.name === "node_modules" || mod.name === "config") continue;
            const modDir = path.join(dir, mod.name);
            for (const file of fs.readdirSync(modDir)) {
                if (!file.endsWith(".d.ts")) continue;
                const token = resourceToken(modDir, file);
                if (token && argsHaveProperty(fs.readFileSync(path.join(modDir, file), "utf8"), TAG_PROPERTY[provider])) found.push(token);
            }
        }
        types[provider] = [...new Set(found)].sort();
    }
    return { source, types };
}

function resourceToken(modDir: string, dtsFile: string): string | undefined {
    const js = path.join(modDir, dtsFile.replace(/\.d\.ts$/, ".js"));
    if (!fs.existsSync(js)) return undefined;
    const match = /static __pulumiType = '([^']+)'/.exec(fs.readFileSync(js, "utf8"));
    return match?.[1];
}

/** True when `export interface <X>Args {` declares `property?:` at its own top level. */
export function argsHaveProperty(dts: string, property: string): boolean {
    const start = /^export interface \w+Args \{$/m.exec(dts);
    if (!start) return false;
    const body = dts.slice(start.index + start[0].length);
    const end = body.search(/^\}$/m);
    const block = end < 0 ? body : body.slice(0, end);
    // Top-level members are indented by exactly four spaces.
    return new RegExp(`^ {4}${property}\\??: `, "m").test(block);
}

if (require.main === module) {
    process.stdout.write(JSON.stringify(taggableTypesFromSdk(), null, 1) + "\n");
}
