// Which config key deployed which component: the plan names targets by their key.
import { ALL_TARGETS } from "../targets";

/** The config key of the target whose component has this logical name (the name itself if none). */
export function targetKeyOfComponent(componentName: string): string {
    return ALL_TARGETS.find((t) => t.componentName === componentName)?.key ?? componentName;
}
