import type { TargetDefinition } from "./definition";
import { gcpSpotL4 } from "./gcpSpotL4";
import { eksInf2 } from "./eksInf2";
import { aksGpu } from "./aksGpu";
import { azureMl } from "./azureMl";
import { gpuVm } from "./gpuVm";
import { gkeL4 } from "./gkeL4";

/**
 * Every target the program can deploy, one entry per `targets/<key>/` folder. The `targets`
 * config schema, the deploy loop, the stack-wide checks, the plan's mocks and the README's target
 * table are derived from this list; its order is the order targets are deployed in, their keys
 * are listed in messages and their rows appear in the README.
 */
export const TARGETS = [gcpSpotL4, eksInf2, aksGpu, azureMl, gpuVm, gkeL4] as const;

/** The same list, for code that treats every target alike (a definition's hooks take its own config). */
export const ALL_TARGETS: readonly TargetDefinition[] = TARGETS;

export type { MockInvoke, MockOutputs, ServingTarget, StackView, TargetDefinition, TargetProblem } from "./definition";
