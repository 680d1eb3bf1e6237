import type { PlannedResource } from "../../plan/mocks";
import { runProgram } from "../../plan/run";
import { committedStacks, LoadedStack, loadStack } from "../../plan/stackFiles";
import { stackFrom } from "../helpers/program";
import { PROJECT_DIR } from "./upstream";
import { VARIANTS } from "./variants";

/** One planned stack whose generated artifacts the conformance tier holds against their consumers. */
export interface ConformancePlan {
    /** "stack dev", or "variant <name>". */
    readonly label: string;
    readonly resources: PlannedResource[];
    readonly outputs: Record<string, unknown>;
}

let cached: Promise<ConformancePlan[]> | undefined;

/** Every committed stack and every variant of the matrix, planned once per process under mocks. */
export function conformancePlans(): Promise<ConformancePlan[]> {
    cached ??= planAll();
    return cached;
}

async function planAll(): Promise<ConformancePlan[]> {
    const stacks: Array<{ label: string; stack: LoadedStack }> = [
        ...committedStacks(PROJECT_DIR).map((s) => ({ label: `stack ${s}`, stack: loadStack(PROJECT_DIR, s) })),
        ...VARIANTS.map((v) => ({ label: `variant ${v.name}`, stack: stackFrom(v.config, v.secrets ?? {}, "conformance") })),
    ];
    const plans: ConformancePlan[] = [];
    // One run at a time: the mocks are process-wide.
    for (const { label, stack } of stacks) {
        const run = await runProgram(stack);
        plans.push({ label, resources: run.resources, outputs: run.outputs });
    }
    return plans;
}

/** Every resource of the given type across all plans, with the plan it came from. */
export async function resourcesOfType(type: string): Promise<Array<{ plan: string; resource: PlannedResource }>> {
    return (await conformancePlans()).flatMap((p) => p.resources.filter((r) => r.type === type).map((resource) => ({ plan: p.label, resource })));
}
