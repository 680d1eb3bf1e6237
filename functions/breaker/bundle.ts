// The breaker's deployable code: each cloud's entry point (functions/breaker/entry/<cloud>.ts) and
// the modules it imports, bundled by esbuild into one CommonJS file, so the function ships the
// code the tests ran and nothing the program itself loads. Each entry talks to its cloud's REST
// APIs with the runtime's own credentials (metadata server, Lambda role, managed identity) and
// Node's fetch, so the archive needs no npm install at deploy time; the AWS entry may import
// `@aws-sdk/*`, which the Lambda Node.js runtime provides (left external here).
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

export type BreakerCloud = "gcp" | "aws" | "azure";

/** The Node.js major each function runtime is declared with (Cloud Functions nodejs22, Lambda nodejs22.x, Azure Functions node 22). */
export const BREAKER_NODE_MAJOR = 22;

const bundled = new Map<BreakerCloud, string>();

/** The entry's bundled JavaScript (built once per process). */
export function breakerBundle(cloud: BreakerCloud): string {
    let code = bundled.get(cloud);
    if (code === undefined) {
        // Loaded here, not at the top: only stacks with the breaker on pay for esbuild.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const esbuild = require("esbuild") as typeof import("esbuild");
        const result = esbuild.buildSync({
            entryPoints: [path.join(__dirname, "entry", `${cloud}.ts`)],
            bundle: true,
            platform: "node",
            target: `node${BREAKER_NODE_MAJOR}`,
            format: "cjs",
            write: false,
            legalComments: "none",
            external: cloud === "aws" ? ["@aws-sdk/*"] : [],
            logLevel: "silent",
        });
        code = result.outputFiles[0].text;
        bundled.set(cloud, code);
    }
    return code;
}

/**
 * The archive a function resource deploys: the bundle as `index.js` plus whatever files the
 * cloud's runtime wants beside it (package.json for Cloud Functions, host.json and
 * function.json for Azure Functions).
 */
export function breakerArchive(cloud: BreakerCloud, extra: Readonly<Record<string, string>> = {}): pulumi.asset.AssetArchive {
    const files: Record<string, pulumi.asset.Asset> = { "index.js": new pulumi.asset.StringAsset(breakerBundle(cloud)) };
    for (const [name, text] of Object.entries(extra)) files[name] = new pulumi.asset.StringAsset(text);
    return new pulumi.asset.AssetArchive(files);
}
