// The breaker's deployable code: each cloud's entry point (functions/breaker/entry/<cloud>.ts) and
// the modules it imports, bundled by esbuild into one CommonJS file, so the function ships the
// code the tests ran and nothing the program itself loads. Each entry talks to its cloud's REST
// APIs with the runtime's own credentials (metadata server, Lambda role, managed identity) and
// Node's fetch, so the archive needs no npm install at deploy time; the AWS entry may import
// `@aws-sdk/*`, which the Lambda Node.js runtime provides (left external here).
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

import { BREAKER_NODE_MAJOR, breakerBuildOptions } from "./esbuildOptions.cjs";

export type BreakerCloud = "gcp" | "aws" | "azure";

export { BREAKER_NODE_MAJOR };

/**
 * The three bundles, built into the offline plan's own bundle by plan/fast.cjs from the same
 * options and sources; undefined everywhere else.
 */
declare const PLAN_BREAKER_BUNDLES: Readonly<Record<BreakerCloud, string>> | undefined;

const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
const bundled = new Map<BreakerCloud, string>();

/** The entry's bundled JavaScript (built once per process, or taken from the plan's bundle). */
export function breakerBundle(cloud: BreakerCloud): string {
    let code = bundled.get(cloud);
    if (code === undefined) {
        if (typeof PLAN_BREAKER_BUNDLES !== "undefined") {
            code = PLAN_BREAKER_BUNDLES[cloud];
        } else {
            // Loaded here, not at the top: only stacks with the breaker on pay for esbuild.
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const esbuild = require("esbuild") as typeof import("esbuild");
            code = esbuild.buildSync(breakerBuildOptions(cloud, PROJECT_ROOT)).outputFiles[0].text;
        }
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
