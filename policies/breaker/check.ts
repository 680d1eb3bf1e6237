// The shape of a cloud's breaker-least-privilege check (policies/rules/breakerLeastPrivilege.ts):
// one function per cloud, given the stack's resources and a reporter.
import type { PolicyResource } from "@pulumi/policy";

/** Reports each grant, role or identity of the cloud's breaker that exceeds what its adapters call. */
export type BreakerCheck = (resources: ReadonlyArray<PolicyResource>, report: (message: string, urn?: string) => void) => void;
