"use strict";
// How a breaker entry is bundled, in one place for the two builders: functions/breaker/bundle.ts
// (at run time, under `pulumi up` and the tests) and plan/fast.cjs (once per change of the
// sources, into the offline plan's own bundle, so that a plan does not start esbuild three
// times). Plain CommonJS because plan/fast.cjs must read it before anything compiles TypeScript.
const path = require("node:path");

/** The Node.js major each function runtime is declared with (Cloud Functions nodejs22, Lambda nodejs22.x, Azure Functions node 22). */
const BREAKER_NODE_MAJOR = 22;

/** The clouds with a breaker entry (functions/breaker/entry/<cloud>.ts). */
const BREAKER_CLOUDS = ["gcp", "aws", "azure"];

/**
 * esbuild's options for one cloud's entry, from the project root: one CommonJS file with nothing
 * external but `@aws-sdk/*`, which the Lambda Node.js runtime provides. The working directory is
 * the root whoever builds, because esbuild names each input in the output by its path from it,
 * and the bundle's bytes are hashed into object names.
 */
function breakerBuildOptions(cloud, root) {
    return {
        entryPoints: [path.join(root, "functions", "breaker", "entry", `${cloud}.ts`)],
        absWorkingDir: root,
        bundle: true,
        platform: "node",
        target: `node${BREAKER_NODE_MAJOR}`,
        format: "cjs",
        write: false,
        legalComments: "none",
        external: cloud === "aws" ? ["@aws-sdk/*"] : [],
        logLevel: "silent",
    };
}

module.exports = { BREAKER_CLOUDS, BREAKER_NODE_MAJOR, breakerBuildOptions };
