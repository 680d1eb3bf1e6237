import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { CostKind, DEFAULT_SPOT_MARGIN, Estimate, KindTotals, estimateCosts } from "../policies/cost/estimate";
import { evaluatePolicies, PACK_NAME } from "../policies/evaluate";
import { PolicyConfigError } from "../policies/packConfig";
import type { TargetCapacity } from "../policies/cost/tokens";
import { planCapacity, PlanCapacity } from "./capacity";
import { planRuntime, PlanRuntime, resolveBudgetAmounts, withBudgetAmounts } from "./budgets";
import { worstCaseByCloud } from "../policies/cost/byCloud";
import type { BudgetCloud } from "../policies/contract/budgets";
import { PlannedResource } from "./mocks";
import { QuotaNeed, quotaNeeds } from "./quotas";
import { planDocument } from "./render";
import { PlanUsageError, readJsonObject } from "./stackFiles";

/** One priced line as the plan prints and serializes it (`--json` shape of issue 3). */
export interface PlanCostLine {
    readonly urn: string;
    /** capacity | storage | fixed | transient | usage (DESIGN §4). */
    readonly kind: CostKind;
    readonly sku: string;
    readonly region: string;
    readonly countMin: number;
    readonly countMax: number;
    readonly baselineMonthlyUsd: number;
    readonly worstCaseMonthlyUsd: number;
    /** Spot capacity: the expected figures (catalog spot x spotMargin); caps never use them. */
    readonly expected?: { readonly baselineMonthlyUsd: number; readonly worstCaseMonthlyUsd: number };
    readonly basis: string;
}

export interface PlanReport {
    readonly project: string;
    readonly stack: string;
    readonly resources: ReturnType<typeof planDocument>["resources"];
    readonly cost: {
        readonly currency: "USD";
        readonly lines: PlanCostLine[];
        readonly baselineMonthlyUsd: number;
        readonly worstCaseMonthlyUsd: number;
        /** The worst case with spot capacity at its expected figure (shown, never capped). */
        readonly expectedWorstCaseMonthlyUsd: number;
        /** Baseline and worst case per kind. */
        readonly byKind: Record<CostKind, KindTotals>;
        /** The stack's `monthly-cost-cap`, or null when that policy is disabled. */
        readonly capMonthlyUsd: number | null;
        /** The worst case per cloud (what the run-time budgets' shares of the cap follow). */
        readonly byCloud: Partial<Record<BudgetCloud, number>>;
    };
    /**
     * Per serving target: output tokens/s at its baseline and at its bounds, and dollars per
     * million output tokens at full use for each (null where no sourced figure applies).
     */
    readonly capacity: PlanCapacity[];
    readonly policies: {
        readonly pack: typeof PACK_NAME;
        readonly violations: Array<{ policy: string; enforcementLevel: "mandatory" | "advisory"; urn: string | null; message: string }>;
    };
    /**
     * The policy config the verdicts and the cap came from: its path (relative to the project when
     * inside it) and the SHA-256 of its bytes, so a reviewer can tell which file a plan used and
     * compare it with what `npm run policy:publish` enabled.
     */
    readonly policyConfig: { readonly file: string; readonly sha256: string };
    /** The accelerator quotas the stack needs at its bounds, per cloud, quota and region (plan/quotas.ts). */
    readonly quotas: QuotaNeed[];
    /** The run-time budgets (amounts as resolved) and breakers the stack declares (issue 16). */
    readonly runtime: PlanRuntime;
}

/** What the text and Markdown renderers need beyond the JSON document. */
export interface PlanDetails {
    readonly report: PlanReport;
    /** Hourly unit price per line (same order as report.cost.lines). */
    readonly hourly: number[];
    readonly outputs: Record<string, unknown>;
    readonly policyConfigFile: string;
    /** Per serving target: the capacity rows' inputs (replicas, configuration, monthly sums), for `npm run size`. */
    readonly capacityDetails: TargetCapacity[];
}

/** `policies/config/<stack>.json`, or the file given with --policy-config. */
export function loadPolicyConfig(projectDir: string, stack: string, file?: string): { file: string; config: Record<string, unknown> } {
    const resolved = file ?? path.join(projectDir, "policies", "config", `${stack}.json`);
    if (!fs.existsSync(resolved)) {
        throw new PlanUsageError(`no policy config ${resolved}; create it or pass --policy-config <file>`);
    }
    return { file: resolved, config: readJsonObject(resolved, "a policy config") };
}

/**
 * Prices the planned resources with the pack's own engine and runs the pack's policies on them,
 * in process, with the same policy config the CLI would be given.
 */
export async function buildReport(
    project: string,
    stack: string,
    resources: PlannedResource[],
    outputs: Record<string, unknown>,
    policy: { file: string; config: Record<string, unknown> },
    opts: { preview?: boolean } = {},
): Promise<PlanDetails> {
    // Run-time budgets: their amounts are resolved from the priced worst case per cloud before the
    // policies see them (plan/budgets.ts). A config the engine refuses leaves them as declared; the
    // policies then report the config.
    const capSettings0 = asRecord(policy.config["monthly-cost-cap"]);
    try {
        const pre = estimateCosts(
            resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, props: r.inputs, propertyDependencies: r.propertyDependencies })),
            { spotMargin: typeof capSettings0.spotMargin === "number" ? capSettings0.spotMargin : DEFAULT_SPOT_MARGIN, transientHoursPerMonth: asRecord(capSettings0.transientHoursPerMonth), usage: asRecord(capSettings0.usage) },
        );
        const cap0 = capSettings0.enforcementLevel !== "disabled" && typeof capSettings0.maxMonthlyUsd === "number" ? capSettings0.maxMonthlyUsd : null;
        if (pre.issues.length === 0) {
            const { byCloud, unattributed } = worstCaseByCloud(pre.lines, resources.map((r) => ({ urn: r.urn, props: r.inputs })));
            if (unattributed.length === 0) resources = resolveBudgetAmounts(resources, byCloud, cap0);
        }
    } catch (e) {
        if (!(e instanceof RangeError)) throw e;
    }
    // The policies validate the config first: a setting is read (spotMargin below) only once it is known to be valid.
    let evaluation;
    try {
        evaluation = await evaluatePolicies(resources, policy.config, { preview: opts.preview });
    } catch (e) {
        if (e instanceof PolicyConfigError) throw new PlanUsageError(`${policy.file}: ${e.message}`);
        throw e;
    }
    const capSettings = asRecord(policy.config["monthly-cost-cap"]);
    const spotMargin = typeof capSettings.spotMargin === "number" ? capSettings.spotMargin : DEFAULT_SPOT_MARGIN;
    let estimate: Estimate;
    const costInputs = resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, props: r.inputs, propertyDependencies: r.propertyDependencies }));
    try {
        estimate = estimateCosts(
            costInputs,
            { spotMargin, transientHoursPerMonth: asRecord(capSettings.transientHoursPerMonth), usage: asRecord(capSettings.usage) },
        );
    } catch (e) {
        if (e instanceof RangeError) throw new PlanUsageError(`${policy.file}: monthly-cost-cap: ${e.message}`);
        throw e;
    }
    const capacity = planCapacity(costInputs, estimate);
    const capDisabled = capSettings.enforcementLevel === "disabled" || policy.config["monthly-cost-cap"] === "disabled";
    const report: PlanReport = {
        ...planDocument(project, stack, resources),
        cost: {
            currency: "USD",
            lines: estimate.lines.map((l) => ({
                urn: l.urn,
                kind: l.kind,
                sku: l.sku,
                region: l.region,
                countMin: l.countMin,
                countMax: l.countMax,
                baselineMonthlyUsd: l.baselineMonthlyUsd,
                worstCaseMonthlyUsd: l.worstCaseMonthlyUsd,
                ...(l.expected ? { expected: { baselineMonthlyUsd: l.expected.baselineMonthlyUsd, worstCaseMonthlyUsd: l.expected.worstCaseMonthlyUsd } } : {}),
                basis: l.basis,
            })),
            baselineMonthlyUsd: estimate.baselineMonthlyUsd,
            worstCaseMonthlyUsd: estimate.worstCaseMonthlyUsd,
            expectedWorstCaseMonthlyUsd: estimate.expectedWorstCaseMonthlyUsd,
            byKind: estimate.byKind,
            capMonthlyUsd: !capDisabled && typeof capSettings.maxMonthlyUsd === "number" ? capSettings.maxMonthlyUsd : null,
            byCloud: worstCaseByCloud(estimate.lines, costInputs).byCloud,
        },
        capacity: capacity.rows,
        policies: {
            pack: evaluation.pack,
            violations: evaluation.violations.map((v) => ({
                policy: v.policy,
                enforcementLevel: v.enforcementLevel,
                urn: v.urn ?? null,
                message: v.message,
            })),
        },
        policyConfig: { file: displayPath(policy.file), sha256: createHash("sha256").update(fs.readFileSync(policy.file)).digest("hex") },
        quotas: quotaNeeds(estimate.lines, resources),
        runtime: planRuntime(resources),
    };
    return { report, hourly: estimate.lines.map((l) => l.hourlyUsd), outputs: withBudgetAmounts(stack, outputs, report.cost.byCloud), policyConfigFile: displayPath(policy.file), capacityDetails: capacity.details };
}

export function hasMandatoryViolation(report: PlanReport): boolean {
    return report.policies.violations.some((v) => v.enforcementLevel === "mandatory");
}

/** Paths inside the project are shown relative to it, so output reads the same on every machine. */
function displayPath(file: string): string {
    const relative = path.relative(path.resolve(__dirname, ".."), path.resolve(file));
    return relative.startsWith("..") ? file : relative;
}

function asRecord(v: unknown): Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
