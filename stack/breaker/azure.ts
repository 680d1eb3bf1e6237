// The breaker on Azure: placeholder, its cloud's implementation replaces it.
import type { BreakerArgs, BreakerTriggers } from "./index";

export function azureBreaker(_name: string, _args: BreakerArgs): BreakerTriggers {
    return {};
}
