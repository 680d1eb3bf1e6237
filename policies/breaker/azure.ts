// breaker-least-privilege on Azure: the Function's managed identity (its helper fills this in).
import type { BreakerCheck } from "./check";

export const checkAzureBreaker: BreakerCheck = () => undefined;
