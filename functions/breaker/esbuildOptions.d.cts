import type { BuildOptions } from "esbuild";

export declare const BREAKER_NODE_MAJOR: 22;
export declare const BREAKER_CLOUDS: ReadonlyArray<"gcp" | "aws" | "azure">;
export declare function breakerBuildOptions(cloud: "gcp" | "aws" | "azure", root: string): BuildOptions & { write: false };
