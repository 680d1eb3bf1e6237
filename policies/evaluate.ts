// Runs the pack's policies in process, the way the CLI and @pulumi/policy's analyzer server do,
// for the offline plan and the tests: config reconciled and validated as the CLI does, resource
// policies once per resource, stack policies once, and the server's handling of throws (an
// UnknownValueError becomes an advisory "can't run policy ... during preview").
import type { EnforcementLevel, Policies, ReportViolation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { version as PACK_VERSION } from "./package.json";
import { ResolvedPolicyConfig, resolvePolicyConfig } from "./packConfig";
import { allPolicies } from "./rules";
import { isUnknownValueError } from "./unknowns";
import { NotApplicableError, PlannedResource, resourceArgs, stackArgs } from "./validationArgs";

export type { PlannedResource } from "./validationArgs";

export const PACK_NAME = "llm-serving-guardrails";

/** The pack's default level for policies that set none (PolicyPack's own default). */
const PACK_ENFORCEMENT_LEVEL: EnforcementLevel = "advisory";

export interface PolicyViolation {
    readonly policy: string;
    readonly enforcementLevel: "mandatory" | "advisory";
    readonly urn?: string;
    /** As the CLI shows it: the policy's description, a newline, then the violation's message. */
    readonly message: string;
}

export interface PolicyEvaluation {
    readonly pack: typeof PACK_NAME;
    readonly violations: PolicyViolation[];
}

export interface EvaluateOptions {
    /** Props go through the unknown-checking proxy as under `pulumi preview`. Default false. */
    readonly preview?: boolean;
}

/**
 * Evaluates every policy of the pack against `resources` with `policyConfig` in the
 * `--policy-pack-config` format. Throws PolicyConfigError when the config is invalid, exactly
 * where the CLI would refuse to run (e.g. `monthly-cost-cap: maxMonthlyUsd is required`).
 */
export async function evaluatePolicies(
    resources: PlannedResource[],
    policyConfig: Record<string, unknown>,
    opts: EvaluateOptions = {},
): Promise<PolicyEvaluation> {
    const configs = resolvePolicyConfig({ name: PACK_NAME, version: PACK_VERSION, enforcementLevel: PACK_ENFORCEMENT_LEVEL }, allPolicies, policyConfig);
    const violations: PolicyViolation[] = [];
    // Resource policies first, resource by resource (the CLI's Analyze calls), then the stack
    // policies (its single AnalyzeStack call at the end).
    for (const resource of resources) {
        for (const policy of resourcePolicies(allPolicies)) {
            await runPolicy(policy, configs, violations, (report, config) => runResourcePolicy(policy, resource, report, config, opts));
        }
    }
    for (const policy of stackPolicies(allPolicies)) {
        await runPolicy(policy, configs, violations, async (report, config) => {
            await policy.validateStack(stackArgs(resources, { preview: opts.preview, config }), report);
        });
    }
    return { pack: PACK_NAME, violations };
}

type Run = (report: ReportViolation, config: Record<string, unknown>) => Promise<void>;

async function runPolicy(
    policy: ResourceValidationPolicy | StackValidationPolicy,
    configs: ReadonlyMap<string, ResolvedPolicyConfig>,
    violations: PolicyViolation[],
    run: Run,
): Promise<void> {
    const config = configs.get(policy.name);
    if (!config || config.enforcementLevel === "disabled") {
        return;
    }
    // A stack policy cannot remediate and a violation that survives remediation is mandatory.
    const level = config.enforcementLevel === "advisory" ? "advisory" : "mandatory";
    const report: ReportViolation = (message, urn) => {
        violations.push({ policy: policy.name, enforcementLevel: level, ...(urn ? { urn } : {}), message: withDescription(policy.description, message) });
    };
    try {
        await run(report, config.properties);
    } catch (e) {
        const from = `policy '${policy.name}' from policy pack '${PACK_NAME}@v${PACK_VERSION}'`;
        if (isUnknownValueError(e)) {
            // What @pulumi/policy does (server.ts): the whole policy turns advisory in preview.
            violations.push({ policy: policy.name, enforcementLevel: "advisory", message: `can't run ${from} during preview: ${e.message}` });
        } else if (!(e instanceof NotApplicableError)) {
            throw new Error(`Error validating resource with ${from}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
        }
    }
}

async function runResourcePolicy(
    policy: ResourceValidationPolicy,
    resource: PlannedResource,
    report: ReportViolation,
    config: Record<string, unknown>,
    opts: EvaluateOptions,
): Promise<void> {
    const validations = Array.isArray(policy.validateResource) ? policy.validateResource : policy.validateResource ? [policy.validateResource] : [];
    for (const validate of validations) {
        // Fresh args per validation, as the server deserializes afresh for each.
        await validate(resourceArgs(resource, { preview: opts.preview, config }), report);
    }
}

/** makeReportViolationFun in server.js: description, then the message on its own line. */
function withDescription(description: string, message: string): string {
    return message ? `${description}\n${message}` : description;
}

function resourcePolicies(policies: Policies): ResourceValidationPolicy[] {
    return policies.filter((p): p is ResourceValidationPolicy => !("validateStack" in p));
}

function stackPolicies(policies: Policies): StackValidationPolicy[] {
    return policies.filter((p): p is StackValidationPolicy => "validateStack" in p && typeof p.validateStack === "function");
}
