// Runs one policy against planned resources with the args the analyzer server would build, and
// collects what it reports. The config goes through the CLI's reconciliation (defaults, schema).
import * as assert from "node:assert/strict";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { PlannedResource } from "../../policies/evaluate";
import { resolvePolicyConfig } from "../../policies/packConfig";
import { resourceArgs, stackArgs } from "../../policies/validationArgs";

export interface Reported {
    readonly message: string;
    readonly urn?: string;
}

export interface RunOptions {
    /** Wrap props in @pulumi/policy's unknown-checking proxy, as `pulumi preview` does. */
    readonly preview?: boolean;
}

/** The policy's config as the CLI would hand it over: schema defaults, then `given`, validated. */
export function configFor(policy: ResourceValidationPolicy | StackValidationPolicy, given: Record<string, unknown> = {}): Record<string, unknown> {
    const resolved = resolvePolicyConfig({ name: "test-pack", version: "0.0.0", enforcementLevel: "advisory" }, [policy], { [policy.name]: given });
    return resolved.get(policy.name)?.properties ?? {};
}

export async function runResourcePolicy(
    policy: ResourceValidationPolicy,
    resource: PlannedResource,
    config: Record<string, unknown> = {},
    opts: RunOptions = {},
): Promise<Reported[]> {
    const reported: Reported[] = [];
    const validations = Array.isArray(policy.validateResource) ? policy.validateResource : policy.validateResource ? [policy.validateResource] : [];
    for (const validate of validations) {
        const args = resourceArgs(resource, { preview: opts.preview ?? true, config: configFor(policy, config) });
        await validate(args, (message, urn) => reported.push({ message, ...(urn ? { urn } : {}) }));
    }
    return reported;
}

export async function runStackPolicy(
    policy: StackValidationPolicy,
    resources: ReadonlyArray<PlannedResource>,
    config: Record<string, unknown> = {},
    opts: RunOptions = {},
): Promise<Reported[]> {
    const reported: Reported[] = [];
    const args = stackArgs(resources, { preview: opts.preview ?? true, config: configFor(policy, config) });
    await policy.validateStack(args, (message, urn) => reported.push({ message, ...(urn ? { urn } : {}) }));
    return reported;
}

export function assertNoViolations(reported: ReadonlyArray<Reported>): void {
    assert.deepEqual(reported, [], `expected no violations, got:\n${reported.map((r) => r.message).join("\n")}`);
}

/** Exactly one violation, on `urn` when given, whose message contains every one of `parts`. */
export function assertOneViolation(reported: ReadonlyArray<Reported>, parts: ReadonlyArray<string>, urn?: string): Reported {
    assert.equal(reported.length, 1, `expected one violation, got ${reported.length}:\n${reported.map((r) => r.message).join("\n")}`);
    const [only] = reported;
    for (const part of parts) {
        assert.ok(only.message.includes(part), `message should mention ${JSON.stringify(part)}:\n${only.message}`);
    }
    if (urn !== undefined) {
        assert.equal(only.urn, urn);
    }
    return only;
}

/** Messages must never echo resource values that may be secrets (the fixtures plant some). */
export function assertNoSecretsIn(reported: ReadonlyArray<Reported>): void {
    for (const r of reported) {
        assert.ok(!/hf_do_not_print_me|c2VjcmV0/.test(r.message), `message leaks a prop value:\n${r.message}`);
    }
}
