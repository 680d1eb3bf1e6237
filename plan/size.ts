// Sizing from a goal: for each target, the replicas it needs to serve a number of output tokens a
// second, or the largest bounds whose worst case fits a budget, and what that costs. Every figure
// comes from planning the proposed config with the offline plan (the same engine lines, the same
// policy config the cap uses): the per-replica throughput only picks the candidate counts.
import * as fs from "node:fs";
import * as path from "node:path";
import { findPrice } from "../policies/cost/catalog";
import { servingConfigurationOf, throughputFor } from "../policies/cost/throughput";
import type { TargetCapacity } from "../policies/cost/tokens";
import { AZURE_GPU_SIZE_NAMES } from "../config";
import { AML_INSTANCE_TYPES } from "../targets/azureMl/config";
import { GPU_VM_SIZES } from "../targets/gpuVm/config";
import { G2_MACHINE_TYPES } from "../targets/gcpSpotL4/config";
import { INF2_INSTANCE_TYPES, INF2_CAPACITY } from "../targets/eksInf2/config";
import { MAX_GPU_NODES } from "../targets/gkeL4/config";
import { usd } from "./format";
import { buildReport, loadPolicyConfig } from "./report";
import { runProgram } from "./run";
import { committedStacks, LoadedStack, loadStack, PlanUsageError } from "./stackFiles";
import { targetKeyOfComponent as keyOf } from "./targetKeys";

export const PROJECT_DIR = path.resolve(__dirname, "..");
/**
 * The environments the tool sizes for: every committed stack (Pulumi.<env>.yaml) that has a policy
 * config (policies/config/<env>.json), since both the template and the rules come from them.
 */
export function environments(projectDir = PROJECT_DIR): string[] {
    return committedStacks(projectDir).filter((e) => fs.existsSync(path.join(projectDir, "policies", "config", `${e}.json`)));
}
export const ENVIRONMENTS: readonly string[] = environments();
export type Environment = string;
export type CloudName = "gcp" | "azure" | "aws";
export const CLOUD_NAMES: readonly CloudName[] = ["gcp", "azure", "aws"];

type Block = Record<string, unknown>;

/** How one target is resized: the SKUs it may run, the schema's bound on its count, and the edit. */
export interface Sizer {
    readonly key: string;
    readonly cloud: CloudName;
    /** Region (or location) of the template block, where the SKU is priced. */
    region(block: Block): string;
    readonly skus: readonly string[];
    /** The most replicas the target's schema admits on this SKU. */
    maxReplicas(sku: string): number;
    /** The template block with this SKU and at most `replicas` (at least `min`, default all of them). */
    apply(block: Block, sku: string, replicas: number, min?: number): Block;
    /** The bounds a reader sets from this block: "replicas 3", "nodes 2 (2 replicas)". */
    describe(sku: string, replicas: number): string;
    /** The block's current bounds in the same unit as `apply`'s count (undefined: one fixed machine). */
    current(block: Block): { min: number; max: number } | undefined;
}

const bounds = (v: unknown): { min: number; max: number } | undefined => {
    const r = v as { min?: unknown; max?: unknown } | undefined;
    return typeof r?.min === "number" && typeof r.max === "number" ? { min: r.min, max: r.max } : undefined;
};

const minMax = (n: number, min = n) => ({ min: Math.min(min, n), max: n });

/**
 * The sizing rule of each target, with the bounds its config schema sets (a test plans one past
 * each bound and expects the schema to refuse it). A target without a rule here is reported as
 * not sized.
 */
export const SIZERS: readonly Sizer[] = [
    {
        key: "gcpSpotL4", cloud: "gcp", region: (b) => String(b.region), skus: G2_MACHINE_TYPES,
        maxReplicas: () => 20,
        apply: (b, sku, n, min) => ({ ...b, machineType: sku, replicas: minMax(n, min) }),
        describe: (sku, n) => `machineType ${sku}, replicas ${n}`,
        current: (b) => bounds(b.replicas),
    },
    {
        key: "aksGpu", cloud: "azure", region: (b) => String(b.location), skus: AZURE_GPU_SIZE_NAMES,
        // nodes.max and replicas are both at most 10; one model server per GPU node.
        maxReplicas: () => 10,
        apply: (b, sku, n, min) => ({ ...b, vmSize: sku, nodes: minMax(n, min), replicas: n }),
        describe: (sku, n) => `vmSize ${sku}, nodes ${n}, replicas ${n}`,
        current: (b) => bounds(b.nodes),
    },
    {
        key: "gkeL4", cloud: "gcp", region: (b) => String(b.region), skus: G2_MACHINE_TYPES,
        // nodes.max and replicas share the schema's bound; one model server per L4 node.
        maxReplicas: () => MAX_GPU_NODES,
        apply: (b, sku, n, min) => ({ ...b, machineType: sku, nodes: minMax(n, min), replicas: n }),
        describe: (sku, n) => `machineType ${sku}, nodes ${n}, replicas ${n}`,
        current: (b) => bounds(b.nodes),
    },
    {
        key: "azureMl", cloud: "azure", region: (b) => String(b.location), skus: AML_INSTANCE_TYPES,
        maxReplicas: () => 20,
        apply: (b, sku, n, min) => ({ ...b, instanceType: sku, instances: minMax(n, min) }),
        describe: (sku, n) => `instanceType ${sku}, instances ${n}`,
        current: (b) => bounds(b.instances),
    },
    {
        key: "gpuVm", cloud: "azure", region: (b) => String(b.location), skus: GPU_VM_SIZES,
        maxReplicas: () => 1,
        // A spot max price set for another size would misstate this one: -1 bounds it at on-demand.
        apply: (b, sku) => ({ ...b, vmSize: sku, ...(b.spot === true ? { spotMaxPrice: -1 } : {}) }),
        describe: (sku) => `vmSize ${sku} (one VM)`,
        current: () => undefined,
    },
    {
        key: "eksInf2", cloud: "aws", region: (b) => String(b.region), skus: INF2_INSTANCE_TYPES,
        maxReplicas: (sku) => Math.min(40, 20 * INF2_CAPACITY[sku as keyof typeof INF2_CAPACITY].neuron),
        apply: (b, sku, n, min) => ({ ...b, instanceTypes: [sku], replicas: minMax(n, min), maxNodes: Math.ceil(n / INF2_CAPACITY[sku as keyof typeof INF2_CAPACITY].neuron) }),
        describe: (sku, n) => `instanceTypes [${sku}], replicas ${n}, maxNodes ${Math.ceil(n / INF2_CAPACITY[sku as keyof typeof INF2_CAPACITY].neuron)}`,
        current: (b) => bounds(b.replicas),
    },
];

/** A candidate's planned outcome. */
export interface Candidate {
    readonly target: string;
    readonly cloud: CloudName;
    readonly sku: string;
    readonly replicas: number;
    readonly block: Block;
    readonly tokensPerSecond: number | null;
    readonly baselineMonthlyUsd: number;
    readonly worstCaseMonthlyUsd: number;
    readonly usdPerMillionTokensWorst: number | null;
    /** Mandatory policies the planned config violates under the environment's policy config. */
    readonly refusedBy: readonly string[];
    readonly bounds: string;
    /** The committed stack whose block for this target is the template (set by the goal sizer). */
    readonly template?: string;
}

/** A target (or SKU) that could not be sized, and why. */
export interface NotSized {
    readonly target: string;
    readonly sku?: string;
    readonly why: string;
}

/**
 * The committed stacks' target blocks as templates: the environment's stack first, then the others
 * (so gkeL4, which only staging configures, is sized from staging's block). `from` names the stack
 * each template came from, which the tool prints beside the block.
 */
export function templates(env: Environment): { base: LoadedStack; blocks: Record<string, Block>; from: Record<string, string> } {
    const order = [env, ...committedStacks(PROJECT_DIR).filter((e) => e !== env)];
    const blocks: Record<string, Block> = {};
    const from: Record<string, string> = {};
    // A block with an on-demand floor or fallback (issue 19) splits its maximum between groups, a
    // split the sizer's new bounds could break: another stack's plain block is preferred to it.
    const split = (b: Block | undefined) => b !== undefined && ((b as { onDemandBase?: number }).onDemandBase ?? 0) + ((b as { onDemandFallback?: number }).onDemandFallback ?? 0) > 0;
    for (const e of [...order].reverse()) {
        const s = loadStack(PROJECT_DIR, e);
        const targets = JSON.parse(s.config["llm-serving:targets"] ?? "{}") as Record<string, Block>;
        for (const [k, b] of Object.entries(targets)) {
            if (e !== env && split(b) && blocks[k] !== undefined && !split(blocks[k])) continue;
            blocks[k] = b;
            from[k] = e;
        }
    }
    return { base: loadStack(PROJECT_DIR, env), blocks, from };
}

/** A stack holding `base`'s model, tags and provider settings and only `targets`. */
export function stackWith(base: LoadedStack, targets: Record<string, Block>): LoadedStack {
    return { ...base, config: { ...base.config, "llm-serving:targets": JSON.stringify(targets) } };
}

export interface PlannedStack {
    readonly capacity: TargetCapacity[];
    readonly mandatory: string[];
    readonly worstCaseMonthlyUsd: number;
}

/** Plans a stack in process with the environment's policy config. */
export async function planStack(stack: LoadedStack, env: Environment): Promise<PlannedStack> {
    const policy = loadPolicyConfig(PROJECT_DIR, env);
    const run = await runProgram(stack);
    const details = await buildReport(stack.project, stack.stack, run.resources, run.outputs, policy);
    const mandatory = [...new Set(details.report.policies.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policy))];
    return { capacity: details.capacityDetails, mandatory, worstCaseMonthlyUsd: details.report.cost.worstCaseMonthlyUsd };
}

/** Plans one target alone with `sku` and `replicas`. */
export async function planCandidate(env: Environment, base: LoadedStack, sizer: Sizer, template: Block, sku: string, replicas: number, min?: number): Promise<Candidate> {
    const block = sizer.apply(template, sku, replicas, min);
    const planned = await planStack(stackWith(base, { [sizer.key]: block }), env);
    const cap = planned.capacity[0];
    return {
        target: sizer.key, cloud: sizer.cloud, sku, replicas, block,
        tokensPerSecond: cap?.tokensPerSecondMax ?? null,
        baselineMonthlyUsd: cap?.baselineMonthlyUsd ?? 0,
        worstCaseMonthlyUsd: cap?.worstCaseMonthlyUsd ?? 0,
        usdPerMillionTokensWorst: cap?.usdPerMillionTokensWorst ?? null,
        refusedBy: planned.mandatory,
        bounds: sizer.describe(sku, replicas),
    };
}

/** Output tokens/s of one replica of `sizer` on `sku` in `region`, or why it is unknown. */
export function perReplica(sizer: Sizer, region: string, sku: string): { tokensPerSecond: number; medianTtftMs: number | null } | { why: string } {
    const entry = findPrice(sizer.cloud, region, sku);
    if (!entry) return { why: `${sku} has no price in ${region}` };
    const config = servingConfigurationOf(entry);
    const known = throughputFor(config);
    if (!known?.figure) return { why: `no sourced throughput for ${config.server} on ${config.devicesPerReplica} x ${config.accelerator} (${config.build})` };
    return { tokensPerSecond: known.figure.outputTokensPerSecond, medianTtftMs: known.figure.medianTimeToFirstTokenMs };
}

/** The environment's floor on replicas where min-replicas is mandatory there, else 1. */
export function replicaFloor(env: Environment): number {
    const { config } = loadPolicyConfig(PROJECT_DIR, env);
    const rule = config["min-replicas"];
    if (rule && typeof rule === "object" && (rule as Record<string, unknown>).enforcementLevel === "mandatory") {
        const n = (rule as Record<string, unknown>).minReplicas;
        return typeof n === "number" ? n : 2;
    }
    return 1;
}

export interface TokenGoal {
    readonly tokensPerSecond: number;
    readonly p95TtftMs?: number;
    readonly clouds: readonly CloudName[];
    readonly env: Environment;
}

export interface SizeResult {
    readonly goal: TokenGoal;
    /** Candidates that meet the goal and plan clean, cheapest worst case first. */
    readonly candidates: Candidate[];
    /** Candidates that meet the goal but a mandatory policy of the environment refuses. */
    readonly refused: Candidate[];
    readonly notSized: NotSized[];
}

/** Thrown for a goal no target can meet: the CLI prints it and exits 2. */
export class GoalError extends PlanUsageError {}

/** For each target and SKU with a sourced figure: the replicas that meet the goal, planned. */
export async function sizeForTokens(goal: TokenGoal): Promise<SizeResult> {
    const { base, blocks, from } = templates(goal.env);
    const floor = replicaFloor(goal.env);
    const candidates: Candidate[] = [];
    const notSized: NotSized[] = [];
    const ceilings: string[] = [];
    for (const sizer of SIZERS) {
        if (!goal.clouds.includes(sizer.cloud)) continue;
        const template = blocks[sizer.key];
        if (!template) {
            notSized.push({ target: sizer.key, why: "no committed stack configures it, so there is no template to size" });
            continue;
        }
        const region = sizer.region(template);
        let sized = false;
        const whys = new Set<string>();
        const medians: Array<string | undefined> = [];
        for (const sku of sizer.skus) {
            const per = perReplica(sizer, region, sku);
            if ("why" in per) {
                whys.add(per.why);
                continue;
            }
            if (goal.p95TtftMs !== undefined) {
                // Sources publish a median at one load at best, never a p95: a median over the goal
                // shows the p95 misses it too; otherwise nothing can be shown either way.
                medians.push(per.medianTtftMs === null ? undefined : `median ${per.medianTtftMs.toLocaleString("en-US")} ms on ${sku}${per.medianTtftMs > goal.p95TtftMs ? ", already over the goal" : ""}`);
                continue;
            }
            const need = Math.max(Math.ceil(goal.tokensPerSecond / per.tokensPerSecond - 1e-9), sizer.maxReplicas(sku) >= floor ? floor : 1);
            if (need > sizer.maxReplicas(sku)) {
                const ceiling = `at most ${sizer.maxReplicas(sku)} replica(s) on ${sku} x ${per.tokensPerSecond} = ${sizer.maxReplicas(sku) * per.tokensPerSecond} tokens/s`;
                ceilings.push(`${sizer.key}: ${ceiling}`);
                whys.add(ceiling);
                continue;
            }
            candidates.push({ ...(await planCandidate(goal.env, base, sizer, template, sku, need)), template: from[sizer.key] });
            sized = true;
        }
        if (medians.length > 0) {
            // Only the p95 reason: the SKUs with no figure at all would bury it.
            const known = medians.filter((m): m is string => m !== undefined);
            whys.clear();
            whys.add(`cannot be shown: no source publishes a p95 time to first token (${known.length > 0 ? known.join("; ") : "nor a median, for these machines"})`);
        }
        if (!sized) notSized.push({ target: sizer.key, why: [...whys].join("; ") || "no SKU meets the goal within its bounds" });
    }
    const meets = candidates.filter((c) => c.tokensPerSecond !== null && c.tokensPerSecond >= goal.tokensPerSecond);
    const clean = meets.filter((c) => c.refusedBy.length === 0).sort(cheapestFirst);
    const refused = meets.filter((c) => c.refusedBy.length > 0).sort(cheapestFirst);
    if (clean.length === 0 && refused.length === 0) {
        const reasons = [...ceilings, ...notSized.map((n) => `${n.target}: ${n.why}`)];
        const head =
            goal.p95TtftMs !== undefined
                ? `no target can be shown to serve ${goal.tokensPerSecond} output tokens/s with p95 time to first token <= ${goal.p95TtftMs} ms (clouds ${goal.clouds.join(", ")}):`
                : `no target can serve ${goal.tokensPerSecond} output tokens/s within its bounds (clouds ${goal.clouds.join(", ")}):`;
        throw new GoalError([head, ...reasons.map((r) => `  ${r}`)].join("\n"));
    }
    return { goal, candidates: clean, refused, notSized };
}

function cheapestFirst(a: Candidate, b: Candidate): number {
    return a.worstCaseMonthlyUsd - b.worstCaseMonthlyUsd || a.baselineMonthlyUsd - b.baselineMonthlyUsd || a.target.localeCompare(b.target);
}

/** The SKU a template block runs on, as its sizer names it. */
export function templateSku(sizer: Sizer, block: Block): string | undefined {
    const v = block.machineType ?? block.vmSize ?? block.instanceType ?? (Array.isArray(block.instanceTypes) ? block.instanceTypes[0] : undefined);
    return typeof v === "string" ? v : undefined;
}

export interface BudgetRow {
    readonly target: string;
    /** The committed stack whose block for this target is the template. */
    readonly template?: string;
    /** The largest bounds that fit (within the budget and refused by no mandatory policy), planned; undefined when none does. */
    readonly fit?: Candidate;
    /** The same target one step larger (over the budget, refused, or past the schema's bound when undefined). */
    readonly next?: Candidate;
    /** Set when no bounds fit because a mandatory policy refuses even the smallest: that plan. */
    readonly refused?: Candidate;
    readonly why?: string;
}

/**
 * Whether a planned config fits: within the budget AND refused by none of the environment's
 * mandatory policies (its own monthly-cost-cap, allowed-instance-types, ...). A config the
 * environment refuses cannot be deployed there, whatever the budget says.
 */
export function fitsBudget(c: { worstCaseMonthlyUsd: number; refusedBy?: readonly string[]; mandatory?: readonly string[] }, budget: number): boolean {
    return c.worstCaseMonthlyUsd <= budget && (c.refusedBy ?? c.mandatory ?? []).length === 0;
}

/** Why a planned config does not fit, in a few words: "over" and/or the refusing policies. */
export function whyNot(c: Candidate, budget: number): string {
    const parts = [];
    if (c.worstCaseMonthlyUsd > budget) parts.push("over");
    if (c.refusedBy.length > 0) parts.push(`refused by ${c.refusedBy.join(", ")}`);
    return parts.join("; ");
}

/**
 * Per target on its own, on the SKU its committed config uses: the most replicas (nodes, NodePool
 * limits) whose planned worst case is within `budget` and that no mandatory policy of the
 * environment refuses, found by bisection over planned configs. The smallest size tried is the
 * environment's replica floor (or the schema's maximum, when that is lower): below the floor
 * min-replicas refuses anyway.
 */
export async function sizeForBudget(budget: number, env: Environment, clouds: readonly CloudName[]): Promise<BudgetRow[]> {
    const { base, blocks, from } = templates(env);
    const floor = replicaFloor(env);
    const rows: BudgetRow[] = [];
    for (const sizer of SIZERS) {
        if (!clouds.includes(sizer.cloud)) continue;
        const template = blocks[sizer.key];
        const sku = template && templateSku(sizer, template);
        if (!template || !sku) {
            rows.push({ target: sizer.key, why: "no committed stack configures it, so there is no template to size" });
            continue;
        }
        const plan = (n: number) => planCandidate(env, base, sizer, template, sku, n, floor);
        const smallest = Math.min(floor, sizer.maxReplicas(sku));
        let lo = smallest - 1;
        let fit: Candidate | undefined;
        let hi = sizer.maxReplicas(sku) + 1;
        let next: Candidate | undefined;
        // Invariant: lo fits (smallest - 1 = nothing yet), hi does not fit or is past the schema's bound.
        while (hi - lo > 1) {
            const mid = Math.floor((lo + hi) / 2);
            const c = await plan(mid);
            if (fitsBudget(c, budget)) {
                lo = mid;
                fit = c;
            } else {
                hi = mid;
                next = c;
            }
        }
        if (next && next.replicas !== hi) next = await plan(hi);
        if (!next && hi <= sizer.maxReplicas(sku)) next = await plan(hi);
        if (fit) {
            rows.push({ target: sizer.key, template: from[sizer.key], fit, next });
            continue;
        }
        const least = next && next.replicas === smallest ? next : await plan(smallest);
        rows.push(
            least.refusedBy.length > 0
                ? { target: sizer.key, refused: least, why: `${env}'s mandatory policies refuse even ${least.bounds} (${least.refusedBy.join(", ")}; worst case ${usd(least.worstCaseMonthlyUsd)}/month)` }
                : { target: sizer.key, next: least, why: `even ${least.bounds} costs ${usd(least.worstCaseMonthlyUsd)}/month at worst` },
        );
    }
    return rows;
}

export interface StackStep {
    readonly target: string;
    readonly max: number;
    readonly worstCaseMonthlyUsd: number;
    /** Mandatory policies that refuse the stack after this step. */
    readonly refusedBy: readonly string[];
}

export interface StackBudget {
    readonly stack: string;
    /** Targets in the order steps are taken: cheapest worst-case $/M tokens first (unknown last). */
    readonly order: string[];
    readonly start: { readonly worstCaseMonthlyUsd: number; readonly maxima: Record<string, number> };
    /** The maxima after scaling, the stack's planned worst case and tokens/s at them. */
    readonly maxima: Record<string, number>;
    readonly worstCaseMonthlyUsd: number;
    readonly tokensPerSecondMax: number | null;
    /** Within the budget and refused by no mandatory policy (false: no block to print). */
    readonly fits: boolean;
    /** Mandatory policies that refuse the final maxima (empty when it fits or is only over the budget). */
    readonly refusedBy: string[];
    /** Each step tried, in turn: kept when it fit (or, scaling down, until the stack fit). */
    readonly steps: StackStep[];
    readonly targets: Record<string, Block>;
    /** Targets held where they are: one fixed machine, or no sizing rule. */
    readonly fixed: string[];
}

/**
 * The stack's current targets together: scales every scalable target's maximum by whole steps in
 * turn (cheapest worst-case $/M tokens first; down from the dearest when over budget) and replans
 * the whole stack after each step, until the stack fits and one more step up would not.
 */
export async function sizeStackForBudget(budget: number, env: Environment): Promise<StackBudget> {
    const base = loadStack(PROJECT_DIR, env);
    const targets = JSON.parse(base.config["llm-serving:targets"] ?? "{}") as Record<string, Block>;
    const scalable = SIZERS.filter((s) => targets[s.key] && s.current(targets[s.key]) && templateSku(s, targets[s.key]));
    const fixed = Object.keys(targets).filter((k) => !scalable.some((s) => s.key === k));
    const maxima: Record<string, number> = Object.fromEntries(scalable.map((s) => [s.key, s.current(targets[s.key])!.max]));
    const mins: Record<string, number> = Object.fromEntries(scalable.map((s) => [s.key, s.current(targets[s.key])!.min]));
    const build = (m: Record<string, number>): Record<string, Block> => ({
        ...targets,
        ...Object.fromEntries(scalable.map((s) => [s.key, s.apply(targets[s.key], templateSku(s, targets[s.key])!, m[s.key], mins[s.key])])),
    });
    const plan = (m: Record<string, number>) => planStack(stackWith(base, build(m)), env);

    let current = await plan(maxima);
    const start = { worstCaseMonthlyUsd: current.worstCaseMonthlyUsd, maxima: { ...maxima } };
    const perM = (key: string) => current.capacity.find((c) => keyOf(c.component) === key)?.usdPerMillionTokensWorst ?? Infinity;
    const order = scalable.map((s) => s.key).sort((a, b) => perM(a) - perM(b) || a.localeCompare(b));
    const steps: StackStep[] = [];

    const ok = (p: PlannedStack) => fitsBudget(p, budget);
    // A maximum never goes below the target's minimum nor the environment's replica floor (below
    // it min-replicas refuses the stack whatever it costs).
    const floor = replicaFloor(env);
    const lowest = (key: string) => {
        const sizer = scalable.find((s) => s.key === key)!;
        return Math.max(mins[key], Math.min(floor, sizer.maxReplicas(templateSku(sizer, targets[key])!)), 1);
    };
    // Over budget or refused (monthly-cost-cap is one of the mandatory policies): one step down per
    // target in turn, dearest first, until the stack fits or every target is at its minimum.
    let progress = true;
    while (!ok(current) && progress) {
        progress = false;
        for (const key of [...order].reverse()) {
            if (ok(current)) break;
            if (maxima[key] - 1 < lowest(key)) continue;
            maxima[key] -= 1;
            current = await plan(maxima);
            steps.push({ target: key, max: maxima[key], worstCaseMonthlyUsd: current.worstCaseMonthlyUsd, refusedBy: current.mandatory });
            progress = true;
        }
    }
    // Fits: one step up per target in turn, cheapest first, while the stack still fits.
    if (ok(current)) {
        const done = new Set<string>();
        while (done.size < order.length) {
            for (const key of order) {
                if (done.has(key)) continue;
                const sizer = scalable.find((s) => s.key === key)!;
                if (maxima[key] + 1 > sizer.maxReplicas(templateSku(sizer, targets[key])!)) {
                    done.add(key);
                    continue;
                }
                const tried = await plan({ ...maxima, [key]: maxima[key] + 1 });
                steps.push({ target: key, max: maxima[key] + 1, worstCaseMonthlyUsd: tried.worstCaseMonthlyUsd, refusedBy: tried.mandatory });
                if (ok(tried)) {
                    maxima[key] += 1;
                    current = tried;
                } else {
                    done.add(key);
                }
            }
        }
    }
    const tps = current.capacity.every((c) => c.tokensPerSecondMax !== null) ? current.capacity.reduce((sum, c) => sum + c.tokensPerSecondMax!, 0) : null;
    return {
        stack: env, order, start, maxima: { ...maxima }, worstCaseMonthlyUsd: current.worstCaseMonthlyUsd, tokensPerSecondMax: tps,
        fits: ok(current), refusedBy: current.mandatory, steps, targets: build(maxima), fixed,
    };
}
