// The breaker on Aws: placeholder, its cloud's implementation replaces it.
import type { BreakerArgs, BreakerTriggers } from "./index";

export function awsBreaker(_name: string, _args: BreakerArgs): BreakerTriggers {
    return {};
}
