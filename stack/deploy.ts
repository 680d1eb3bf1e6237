import { ALL_TARGETS, ServingTarget } from "../targets";
import { StackConfig } from "./config";
import { TargetName } from "./schema";

/**
 * Builds every target the config names, in the table's order. Each target registers one component
 * under its fixed `componentName`, which is part of every child's URN.
 */
export function deployTargets(config: StackConfig): Partial<Record<TargetName, ServingTarget>> {
    const deployed: Partial<Record<string, ServingTarget>> = {};
    for (const target of ALL_TARGETS) {
        const value = (config.targets as Record<string, unknown>)[target.key];
        if (value !== undefined) deployed[target.key] = target.deploy(value, config);
    }
    return deployed;
}
