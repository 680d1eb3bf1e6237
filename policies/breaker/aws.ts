// breaker-least-privilege on AWS: the Lambda role of the AWS breaker (its helper fills this in).
import type { BreakerCheck } from "./check";

export const checkAwsBreaker: BreakerCheck = () => undefined;
