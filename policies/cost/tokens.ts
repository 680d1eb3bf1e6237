// Capacity and dollars per million output tokens, per serving target, from the cost engine's own
// lines: the monthly figures are the sums of the lines under each target's component, so the plan,
// the policy and the sizing tool price tokens with the same numbers as the cap (no second pricing).
//
// A serving target is a component that carries the model-access marker (every serving component
// registers it on itself). Its replicas are read from the machines the engine priced for it (the
// capacity line whose SKU carries accelerators, or the only capacity line of a CPU-only target),
// times the replicas one machine holds, and no more than the model-server workloads ask for (a
// Deployment's replicas, a Ray worker group's bounds) where the target runs on Kubernetes.
import { MODEL_ACCESS_INPUT } from "../contract/modelAccess";
import { RAY_V1_TYPES, REPLICATED_WORKLOADS } from "../model/kubernetes/workloads";
import { HPA, KEDA } from "../model/kubernetes/observability";
import { PathKey, readArray, readCount, readString } from "../model/read";
import { CatalogEntry, Cloud, findPrice } from "./catalog";
import { nodeCapacity, podsPerNode, readRequests } from "./floors";
import { configurationKey, GQA_7B_8B_CLASS, matchFor, ServingConfiguration, servingConfigurationOf, throughputFor, ThroughputFigure } from "./throughput";
import { CostInputResource, CostLine, Estimate, HOURS_PER_MONTH } from "./types";
import { llamaCppPods, MEASURED_PARALLEL_SLOTS } from "./llamaCppPods";

/** Seconds in the engine's month (730 h): tokens per month = tokens/s x this. */
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

/** Dollars per million tokens when `tokensPerSecond` are produced all month for `monthlyUsd`. */
export function usdPerMillionTokens(monthlyUsd: number, tokensPerSecond: number): number {
    return round4(monthlyUsd / ((tokensPerSecond * SECONDS_PER_MONTH) / 1e6));
}

export interface TargetCapacity {
    /** The target component's logical name (e.g. "gcp-spot-l4") and type token. */
    readonly component: string;
    readonly componentType: string;
    /** Sums of the engine's lines under the component. */
    readonly baselineMonthlyUsd: number;
    readonly worstCaseMonthlyUsd: number;
    /** Model servers running at the baseline and at the bounds (null: not determined). */
    readonly replicasBaseline: number | null;
    readonly replicasMax: number | null;
    readonly configuration: ServingConfiguration | null;
    readonly figure: ThroughputFigure | null;
    /** Output tokens/s at full use (null: no sourced figure, or no replica). */
    readonly tokensPerSecondBaseline: number | null;
    readonly tokensPerSecondMax: number | null;
    readonly usdPerMillionTokensBaseline: number | null;
    readonly usdPerMillionTokensWorst: number | null;
    /** One sentence: configuration, figure and its source, replicas; or why the figures are unknown. */
    readonly basis: string;
}

const CLOUDS: readonly Cloud[] = ["gcp", "azure", "aws"];

/** The outermost type of a URN's type chain: the top-level component a child belongs to. */
export function topType(urn: string): string {
    const parts = urn.split("::");
    const chain = parts.length >= 4 ? parts[parts.length - 2] : "";
    return chain.split("$")[0];
}

function entryOf(line: CostLine): CatalogEntry | undefined {
    for (const cloud of CLOUDS) {
        const e = findPrice(cloud, line.region, line.sku);
        if (e) return e;
    }
    return undefined;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const range = (a: number, b: number) => (a === b ? String(a) : `${a}–${b}`);
function round4(x: number): number {
    return Math.round(x * 1e4) / 1e4;
}

/** Pods of a model-server workload under the target that ask for `device`: baseline and maximum. */
interface WorkloadBound {
    readonly min: number;
    readonly max: number;
    readonly requests: Readonly<Record<string, number>>;
    readonly source: string;
}

function workloadBounds(resources: ReadonlyArray<CostInputResource>, device: string): WorkloadBound[] | undefined {
    const out: WorkloadBound[] = [];
    for (const r of resources) {
        if (REPLICATED_WORKLOADS.includes(r.type)) {
            const spec: PathKey[] = ["spec", "template", "spec"];
            const requests = readRequests(r.props, spec);
            if (!(requests[device] > 0)) continue;
            // A KEDA ScaledObject on the Deployment owns its replicas: its bounds, not spec.replicas.
            // So does a HorizontalPodAutoscaler (spec.minReplicas/maxReplicas).
            const scaler = scaledObjectOf(resources, r);
            if (scaler) {
                const hpa = scaler.type === HPA;
                const min = readCount(scaler.props, ["spec", hpa ? "minReplicas" : "minReplicaCount"]);
                const max = readCount(scaler.props, ["spec", hpa ? "maxReplicas" : "maxReplicaCount"]);
                if (min.state !== "known" || max.state !== "known") return undefined;
                out.push({ min: min.value, max: max.value, requests, source: `${scaler.name} replicas ${min.value}–${max.value}` });
                continue;
            }
            const n = readCount(r.props, ["spec", "replicas"]);
            if (n.state !== "known") return undefined;
            out.push({ min: n.value, max: n.value, requests, source: `${r.name} replicas ${n.value}` });
        } else if (RAY_V1_TYPES.includes(r.type)) {
            const base: PathKey[] = r.type.endsWith(":RayService") ? ["spec", "rayClusterConfig"] : ["spec"];
            const groups = readArray(r.props, [...base, "workerGroupSpecs"]);
            if (groups.state !== "known") continue;
            for (let i = 0; i < groups.value.length; i++) {
                const g = [...base, "workerGroupSpecs", i];
                const requests = readRequests(r.props, [...g, "template", "spec"]);
                if (!(requests[device] > 0)) continue;
                const min = readCount(r.props, [...g, "minReplicas"]);
                const max = readCount(r.props, [...g, "maxReplicas"]);
                if (min.state !== "known" || max.state !== "known") return undefined;
                out.push({ min: min.value, max: max.value, requests, source: `${r.name} workers ${min.value}–${max.value}` });
            }
        }
    }
    return out;
}

/** The KEDA ScaledObject or HorizontalPodAutoscaler that scales a Deployment (same namespace, scaleTargetRef naming it), if any. */
export function scaledObjectOf(resources: ReadonlyArray<CostInputResource>, deployment: CostInputResource): CostInputResource | undefined {
    const name = readString(deployment.props, ["metadata", "name"]);
    const ns = readString(deployment.props, ["metadata", "namespace"]);
    if (name.state !== "known") return undefined;
    return resources.find((s) => {
        if (s.type !== KEDA.scaledObject && s.type !== HPA) return false;
        const target = readString(s.props, ["spec", "scaleTargetRef", "name"]);
        const kind = readString(s.props, ["spec", "scaleTargetRef", "kind"]);
        const sns = readString(s.props, ["metadata", "namespace"]);
        return target.state === "known" && target.value === name.value && (kind.state !== "known" || kind.value === "Deployment") && (sns.state !== "known" || ns.state !== "known" || sns.value === ns.value);
    });
}

/** The Kubernetes resource a model-server pod asks for on this accelerator, if any. */
function deviceResource(entry: CatalogEntry): string | undefined {
    const kind = entry.accelerators?.kind;
    if (!kind) return undefined;
    return kind === "AWS Inferentia2" ? "aws.amazon.com/neuron" : kind.startsWith("NVIDIA") ? "nvidia.com/gpu" : undefined;
}

/**
 * Capacity and $/M tokens of every serving target in the stack, in the order their components
 * were registered. `resources` are what the engine priced (`estimate` came from them).
 */
export function targetCapacities(resources: ReadonlyArray<CostInputResource>, estimate: Estimate): TargetCapacity[] {
    const components = resources.filter((r) => r.props !== null && typeof r.props === "object" && MODEL_ACCESS_INPUT in r.props);
    return components.map((c) => {
        const type = topType(c.urn);
        const lines = estimate.lines.filter((l) => topType(l.urn) === type);
        const members = resources.filter((r) => topType(r.urn) === type);
        const baselineMonthlyUsd = round2(lines.reduce((s, l) => s + l.baselineMonthlyUsd, 0));
        const worstCaseMonthlyUsd = round2(lines.reduce((s, l) => s + l.worstCaseMonthlyUsd, 0));
        const unknown = (basis: string, more: Partial<TargetCapacity> = {}): TargetCapacity => ({
            component: c.name, componentType: type, baselineMonthlyUsd, worstCaseMonthlyUsd,
            replicasBaseline: null, replicasMax: null, configuration: null, figure: null,
            tokensPerSecondBaseline: null, tokensPerSecondMax: null, usdPerMillionTokensBaseline: null, usdPerMillionTokensWorst: null,
            ...more, basis,
        });

        const model = readString(c.props, [MODEL_ACCESS_INPUT, "modelId"]);
        if (model.state !== "known") return unknown("unknown: the model is not known at preview");
        if (!GQA_7B_8B_CLASS.has(model.value)) {
            return unknown(`unknown: ${model.value} is not in the 7-8B grouped-query-attention class (Mistral-7B, Llama-3/3.1-8B and their fine-tunes), for which alone the throughput catalog has figures`);
        }

        // llama.cpp on Kubernetes: the configuration is the pod's, not a machine's (llamaCppPods.ts).
        const llama = llamaCppPods(members);
        if (typeof llama === "string") return unknown(`unknown: ${llama}`);
        if (llama) {
            const keys = new Set(llama.map((p) => configurationKey(p.configuration)));
            if (keys.size !== 1) return unknown(`unknown: more than one llama.cpp configuration serves this target (${[...keys].join("; ")})`);
            const configuration = llama[0].configuration;
            const replicas = llama.reduce((s, p) => s + p.replicas, 0);
            const known = throughputFor(configuration);
            if (!known?.figure) {
                const nearest = known ? `; nearest published: ${known.nearest}, not used: ${known.why}` : "; the throughput catalog does not list it";
                return unknown(`unknown: ${configurationKey(configuration)}${nearest}`, { configuration, replicasBaseline: replicas, replicasMax: replicas });
            }
            const slots = llama.find((p) => p.parallel !== MEASURED_PARALLEL_SLOTS);
            if (slots) {
                return unknown(`unknown: ${configurationKey(configuration)} with --parallel ${slots.parallel}; the figure was measured with ${MEASURED_PARALLEL_SLOTS} slots`, { configuration, replicasBaseline: replicas, replicasMax: replicas });
            }
            const f: ThroughputFigure = { ...known.figure, match: matchFor(known.figure, model.value) };
            const tps = Math.round(replicas * f.outputTokensPerSecond * 10) / 10;
            return {
                component: c.name, componentType: type, baselineMonthlyUsd, worstCaseMonthlyUsd,
                replicasBaseline: replicas, replicasMax: replicas, configuration, figure: f,
                tokensPerSecondBaseline: tps,
                tokensPerSecondMax: tps,
                usdPerMillionTokensBaseline: tps > 0 ? usdPerMillionTokens(baselineMonthlyUsd, tps) : null,
                usdPerMillionTokensWorst: tps > 0 ? usdPerMillionTokens(worstCaseMonthlyUsd, tps) : null,
                basis:
                    `${replicas} replicas (${llama.map((p) => p.source).join(", ")}) x ${f.outputTokensPerSecond} tokens/s each: ` +
                    `${configurationKey(configuration)} at --parallel ${MEASURED_PARALLEL_SLOTS}, ${f.match === "equivalent" ? `equivalent figure measured with ${f.measuredModel}` : `measured with ${f.measuredModel}`} ` +
                    `(concurrency: ${f.concurrency}), ${f.source} (${f.sourceDate})`,
            };
        }

        const capacity = lines.filter((l) => l.kind === "capacity").map((l) => ({ line: l, entry: entryOf(l) }));
        const accelerated = capacity.filter((x) => x.entry?.accelerators);
        const serving = accelerated.length > 0 ? accelerated : capacity;
        if (serving.length === 0 || serving.some((x) => !x.entry)) {
            return unknown(serving.length === 0 ? "unknown: no priced machine serves this target" : "unknown: a machine serving this target has no catalog entry");
        }
        // Several groups of ONE machine type (spot beside an on-demand floor and fallback, per
        // region) serve as one pool: their counts add up. Where they declare a shared maximum the
        // cost engine has checked that their own maxima add up to no more than it (else the stack
        // is blocked as unbounded), so the summed maximum is the shared maximum, counted once.
        if (new Set(serving.map((x) => x.line.sku)).size !== 1) return unknown("unknown: more than one machine type serves this target");
        const entry = serving[0].entry!;
        const line = {
            sku: serving[0].line.sku,
            countMin: serving.reduce((n, x) => n + x.line.countMin, 0),
            countMax: serving.reduce((n, x) => n + x.line.countMax, 0),
        };
        const groupsNote = serving.length > 1
            ? ` in ${serving.length} groups: ${serving.map((x) => `${x.line.pricing} ${range(x.line.countMin, x.line.countMax)}${x.line.region ? ` ${x.line.region}` : ""}`).join(" + ")}`
            : "";
        const configuration = servingConfigurationOf(entry);

        // Replicas one machine holds: one server per NVIDIA or CPU machine (it spans every GPU);
        // on Inferentia2, as many worker pods as fit its devices, CPU and memory.
        const device = deviceResource(entry);
        const bounds = device ? workloadBounds(members, device) : [];
        if (bounds === undefined) return unknown("unknown: a model-server workload's replicas are unknown at preview", { configuration });
        let perMachine = 1;
        if (configuration.server === "vllm-neuron") {
            const fit = bounds.length > 0 ? Math.min(...bounds.map((b) => podsPerNode(b.requests, nodeCapacity(entry)))) : entry.accelerators!.count;
            perMachine = Math.max(fit, 0);
        }
        let replicasBaseline = line.countMin * perMachine;
        let replicasMax = line.countMax * perMachine;
        let workloadNote = "";
        if (bounds.length > 0) {
            replicasBaseline = Math.min(replicasBaseline, bounds.reduce((s, b) => s + b.min, 0));
            replicasMax = Math.min(replicasMax, bounds.reduce((s, b) => s + b.max, 0));
            workloadNote = ` (capped by ${bounds.map((b) => b.source).join(", ")})`;
        }
        const machines = `${range(line.countMin, line.countMax)} x ${line.sku}${groupsNote}${perMachine !== 1 ? ` at ${perMachine} replicas each` : ""}`;

        const known = throughputFor(configuration);
        if (!known?.figure) {
            const nearest = known ? `; nearest published: ${known.nearest}, not used: ${known.why}` : "; the throughput catalog does not list it";
            return unknown(`unknown: ${configurationKey(configuration)}${nearest}`, { configuration, replicasBaseline, replicasMax });
        }
        // The catalog's match is against the class; for the model this stack serves it is measured
        // only when that is the benchmark's own model.
        const f: ThroughputFigure = { ...known.figure, match: matchFor(known.figure, model.value) };
        // Tenths of a token per second: the figures carry one decimal.
        const tpsBase = Math.round(replicasBaseline * f.outputTokensPerSecond * 10) / 10;
        const tpsMax = Math.round(replicasMax * f.outputTokensPerSecond * 10) / 10;
        return {
            component: c.name, componentType: type, baselineMonthlyUsd, worstCaseMonthlyUsd,
            replicasBaseline, replicasMax, configuration, figure: f,
            tokensPerSecondBaseline: tpsBase,
            tokensPerSecondMax: tpsMax,
            usdPerMillionTokensBaseline: tpsBase > 0 ? usdPerMillionTokens(baselineMonthlyUsd, tpsBase) : null,
            usdPerMillionTokensWorst: tpsMax > 0 ? usdPerMillionTokens(worstCaseMonthlyUsd, tpsMax) : null,
            basis:
                `${range(replicasBaseline, replicasMax)} replicas (${machines}${workloadNote}) x ${f.outputTokensPerSecond} tokens/s each: ` +
                `${configurationKey(configuration)}, ${f.match === "equivalent" ? `equivalent figure measured with ${f.measuredModel}` : `measured with ${f.measuredModel}`} ` +
                `(concurrency: ${f.concurrency}), ${f.source} (${f.sourceDate})`,
        };
    });
}
