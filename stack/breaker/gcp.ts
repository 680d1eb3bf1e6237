// The breaker on Gcp: placeholder, its cloud's implementation replaces it.
import type { BreakerArgs, BreakerTriggers } from "./index";

export function gcpBreaker(_name: string, _args: BreakerArgs): BreakerTriggers {
    return {};
}
