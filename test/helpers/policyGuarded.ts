// Reads the provider SDKs' input types to find every resource type that carries what the SKU and
// API-server policies guard: a machine or VM size, a node count, or a Kubernetes API endpoint's
// public access. A resource type qualifies when its `<Name>Args` interface, or an input type one
// of its top-level properties refers to (`hardwareProfile: inputs.compute.HardwareProfileArgs`),
// declares a property of one of the names below. policies/guarded.data.json is this function's
// output, committed; a test regenerates it and compares, so an SDK upgrade that adds a type fails
// loudly until the policies check it or refuse it.
//   Regenerate: npx tsx test/helpers/policyGuarded.ts > policies/guarded.data.json
import * as fs from "node:fs";
import * as path from "node:path";
import type { GuardedKind } from "../../policies/guarded";

const SDK_ROOT = path.resolve(__dirname, "..", "..", "node_modules", "@pulumi");
export const GUARDED_PROVIDERS = ["aws", "azure-native", "gcp", "kubernetes"] as const;
export type GuardedProvider = (typeof GUARDED_PROVIDERS)[number];

/** Property names that carry each kind, as the SDKs spell them. */
export const GUARDED_PROPERTIES: Record<GuardedKind, RegExp> = {
    size: /^(vmSize|vmSizes|machineType|instanceType|instanceTypes|nodeType|nodeSize|instanceSize)$/,
    count: /^(nodeCount|initialNodeCount|minNodeCount|maxNodeCount|totalMinNodeCount|totalMaxNodeCount|desiredSize|desiredCapacity|minSize|maxSize|instanceCount|minCount|maxCount|targetSize)$/,
    // GCP compute runs as a service account (the default compute account unless one is named).
    "service-account": /^(serviceAccount|serviceAccounts)$/,
    "api-endpoint": /^(endpointPublicAccess|publicAccessCidrs|authorizedIPRanges|apiServerAccessProfile|masterAuthorizedNetworksConfig|privateClusterConfig|enablePrivateCluster|controlPlaneEndpointsConfig)$/,
};

export interface GuardedTypes {
    readonly source: Record<GuardedProvider, string>;
    /** Type token -> the kinds it carries, sorted, per provider. */
    readonly types: Record<GuardedProvider, Record<string, GuardedKind[]>>;
}

interface Member {
    readonly name: string;
    readonly type: string;
}

/** Top-level members of an interface body (indented one level deeper than the interface). */
function members(lines: readonly string[], indent: number): Member[] {
    const pad = " ".repeat(indent);
    const out: Member[] = [];
    for (const line of lines) {
        if (!line.startsWith(pad) || line[indent] === " ") continue;
        const m = /^(\w+)\??: (.*)$/.exec(line.slice(indent));
        if (m) out.push({ name: m[1], type: m[2] });
    }
    return out;
}

/** Every interface of types/input.d.ts by its namespace path: "compute.HardwareProfileArgs". */
function inputInterfaces(file: string): Map<string, Member[]> {
    const index = new Map<string, Member[]>();
    if (!fs.existsSync(file)) return index;
    const lines = fs.readFileSync(file, "utf8").split("\n");
    const spaces: Array<{ name: string; indent: number }> = [];
    for (let i = 0; i < lines.length; i++) {
        const line = lines[i];
        const indent = line.length - line.trimStart().length;
        if (spaces.length > 0 && line === " ".repeat(spaces[spaces.length - 1].indent) + "}") {
            spaces.pop();
            continue;
        }
        const ns = /^\s*(?:export )?(?:declare )?namespace (\w+) \{$/.exec(line);
        if (ns) {
            spaces.push({ name: ns[1], indent });
            continue;
        }
        const iface = /^\s*(?:export )?interface (\w+) \{$/.exec(line);
        if (iface) {
            const body: string[] = [];
            const close = " ".repeat(indent) + "}";
            let j = i + 1;
            for (; j < lines.length && lines[j] !== close; j++) body.push(lines[j]);
            index.set([...spaces.map((s) => s.name), iface[1]].join("."), members(body, indent + 4));
            i = j;
        }
    }
    return index;
}

/** Input types are followed this many levels below the Args (Azure ML's Compute keeps vmSize at properties.properties). */
const DEPTH = 2;

/** The kinds `props` carry, directly or up to DEPTH input types down. */
function kindsOf(props: readonly Member[], inputs: ReadonlyMap<string, Member[]>): GuardedKind[] {
    const kinds = new Set<GuardedKind>();
    const seen = new Set<string>();
    const scan = (list: readonly Member[], depth: number) => {
        for (const m of list) {
            for (const [kind, pattern] of Object.entries(GUARDED_PROPERTIES) as Array<[GuardedKind, RegExp]>) {
                if (pattern.test(m.name)) kinds.add(kind);
            }
        }
        if (depth === DEPTH) return;
        for (const m of list) {
            for (const ref of m.type.matchAll(/inputs\.([\w.]+)/g)) {
                const nested = inputs.get(ref[1]);
                if (nested && !seen.has(ref[1])) {
                    seen.add(ref[1]);
                    scan(nested, depth + 1);
                }
            }
        }
    };
    scan(props, 0);
    return [...kinds].sort();
}

function argsMembers(dts: string): Member[] | undefined {
    const start = /^export interface \w+Args \{$/m.exec(dts);
    if (!start) return undefined;
    const body = dts.slice(start.index + start[0].length);
    const end = body.search(/^\}$/m);
    return members((end < 0 ? body : body.slice(0, end)).split("\n"), 4);
}

function resourceToken(js: string): string | undefined {
    if (!fs.existsSync(js)) return undefined;
    return /static __pulumiType = '([^']+)'/.exec(fs.readFileSync(js, "utf8"))?.[1];
}

/** Resource .d.ts files: one module level down; Kubernetes nests group/version (apps/v1/...). */
function resourceFiles(dir: string, provider: GuardedProvider): string[] {
    const files: string[] = [];
    const walk = (d: string, depth: number) => {
        for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
            if (entry.isDirectory()) {
                if (["types", "node_modules", "config", "scripts"].includes(entry.name)) continue;
                // azure-native's versioned sub-modules are older API versions of the same tokens.
                if (depth === 0 || (provider === "kubernetes" && depth < 3)) walk(path.join(d, entry.name), depth + 1);
            } else if (depth > 0 && entry.name.endsWith(".d.ts") && entry.name !== "index.d.ts") {
                files.push(path.join(d, entry.name));
            }
        }
    };
    walk(dir, 0);
    return files;
}

export function guardedTypesFromSdk(root = SDK_ROOT): GuardedTypes {
    const source = {} as Record<GuardedProvider, string>;
    const types = {} as Record<GuardedProvider, Record<string, GuardedKind[]>>;
    for (const provider of GUARDED_PROVIDERS) {
        const dir = path.join(root, provider);
        source[provider] = `@pulumi/${provider}@${(JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string }).version}`;
        const inputs = inputInterfaces(path.join(dir, "types", "input.d.ts"));
        const found: Record<string, GuardedKind[]> = {};
        for (const file of resourceFiles(dir, provider)) {
            const props = argsMembers(fs.readFileSync(file, "utf8"));
            if (!props) continue;
            const kinds = kindsOf(props, inputs);
            if (kinds.length === 0) continue;
            const token = resourceToken(file.replace(/\.d\.ts$/, ".js"));
            if (token) found[token] = [...new Set([...(found[token] ?? []), ...kinds])].sort();
        }
        types[provider] = Object.fromEntries(Object.entries(found).sort(([a], [b]) => (a < b ? -1 : 1)));
    }
    return { source, types };
}

if (require.main === module) {
    process.stdout.write(JSON.stringify(guardedTypesFromSdk(), null, 1) + "\n");
}
