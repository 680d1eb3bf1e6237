// The baseline of a node pool is what always runs on it (DESIGN §4): the larger of the pool's own
// minimum and the nodes the workloads' minimum replicas need on that node shape. A workload counts
// toward a pool when every key of its pod nodeSelector matches one of the pool's labels, and not
// toward a pool it only falls back to (a preferred node-affinity key the pool sets to another value).
import { CatalogEntry } from "./catalog";
import { GIB, parseQuantity } from "./quantity";
import { StackIndex } from "./graph";
import { RAY_V1_TYPES, REPLICATED_WORKLOADS } from "../model/kubernetes/workloads";
import { PathKey, readArray, readCount, readField, readKeys, readString, readStringList } from "../model/read";

const DEPLOYMENTS = REPLICATED_WORKLOADS;
const RAY = RAY_V1_TYPES;

/** One group of identical pods that always runs: how many, what each requests, where it may go. */
export interface PodGroup {
    readonly source: string;
    readonly replicas: number;
    readonly nodeSelector: Readonly<Record<string, string>>;
    /** Requests per pod in base units (cores, bytes, devices). */
    readonly requests: Readonly<Record<string, number>>;
    /** Preferred node affinity as `key In values` terms (what the pod goes to when it can). */
    readonly preferred?: ReadonlyArray<{ readonly key: string; readonly values: readonly string[] }>;
}

/** `preferredDuringScheduling...` terms of a pod spec that are plain `key In [values]` expressions. */
function readPreferred(root: unknown, spec: PathKey[]): Array<{ key: string; values: string[] }> {
    const base = [...spec, "affinity", "nodeAffinity", "preferredDuringSchedulingIgnoredDuringExecution"];
    const terms = readArray(root, base);
    const out: Array<{ key: string; values: string[] }> = [];
    if (terms.state !== "known") return out;
    for (let i = 0; i < terms.value.length; i++) {
        const exprs = readArray(root, [...base, i, "preference", "matchExpressions"]);
        if (exprs.state !== "known") continue;
        for (let j = 0; j < exprs.value.length; j++) {
            const key = readString(root, [...base, i, "preference", "matchExpressions", j, "key"]);
            const op = readString(root, [...base, i, "preference", "matchExpressions", j, "operator"]);
            const values = readStringList(root, [...base, i, "preference", "matchExpressions", j, "values"]);
            if (key.state === "known" && op.state === "known" && op.value === "In" && values.state === "known") {
                out.push({ key: key.value, values: [...values.value] });
            }
        }
    }
    return out;
}

/** A string map (labels, nodeSelector) as far as it is known. */
export function readSelector(root: unknown, path: PathKey[]): Record<string, string> {
    const keys = readKeys(root, path);
    const out: Record<string, string> = {};
    if (keys.state !== "known") return out;
    for (const k of keys.value) {
        const v = readString(root, [...path, k]);
        if (v.state === "known") out[k] = v.value;
    }
    return out;
}

/** Sum of the containers' requests (limits stand in where a device has no request). */
export function readRequests(root: unknown, specPath: PathKey[]): Record<string, number> {
    const containers = readArray(root, [...specPath, "containers"]);
    const total: Record<string, number> = {};
    if (containers.state !== "known") return total;
    for (let i = 0; i < containers.value.length; i++) {
        for (const bucket of ["requests", "limits"]) {
            const keys = readKeys(root, [...specPath, "containers", i, "resources", bucket]);
            if (keys.state !== "known") continue;
            for (const k of keys.value) {
                if (bucket === "limits" && !k.includes("/")) continue; // only extended resources default requests to limits
                const q = readField(root, [...specPath, "containers", i, "resources", bucket, k]);
                const n = q.state === "known" ? parseQuantity(q.value) : undefined;
                if (n === undefined) continue;
                const key = `${i}:${k}`;
                if (bucket === "requests" || total[key] === undefined) total[key] = n;
            }
        }
    }
    const sum: Record<string, number> = {};
    for (const [key, n] of Object.entries(total)) {
        const name = key.slice(key.indexOf(":") + 1);
        sum[name] = (sum[name] ?? 0) + n;
    }
    return sum;
}

/** The pod groups of the stack that always run: Deployment replicas, Ray worker-group minimums. */
export function alwaysRunningPods(index: StackIndex): PodGroup[] {
    const groups: PodGroup[] = [];
    for (const d of index.ofType(...DEPLOYMENTS)) {
        const replicas = readCount(d.props, ["spec", "replicas"]);
        const spec = ["spec", "template", "spec"];
        groups.push({ source: `${d.name} (${replicas.state === "known" ? replicas.value : 1} replicas)`, replicas: replicas.state === "known" ? replicas.value : 1, nodeSelector: readSelector(d.props, [...spec, "nodeSelector"]), requests: readRequests(d.props, spec), preferred: readPreferred(d.props, spec) });
    }
    for (const r of index.ofType(...RAY)) {
        const base: PathKey[] = r.type.endsWith(":RayService") ? ["spec", "rayClusterConfig"] : ["spec"];
        const workers = readArray(r.props, [...base, "workerGroupSpecs"]);
        if (workers.state !== "known") continue;
        for (let i = 0; i < workers.value.length; i++) {
            const min = readCount(r.props, [...base, "workerGroupSpecs", i, "minReplicas"]);
            const n = min.state === "known" ? min.value : 0;
            const spec = [...base, "workerGroupSpecs", i, "template", "spec"];
            groups.push({ source: `${r.name} worker group ${i} (minReplicas ${n})`, replicas: n, nodeSelector: readSelector(r.props, [...spec, "nodeSelector"]), requests: readRequests(r.props, spec) });
        }
    }
    return groups;
}

/** What one node of a catalog SKU holds, in the dimensions pods request. */
export function nodeCapacity(entry: CatalogEntry): Record<string, number> {
    const acc = entry.accelerators;
    const cap: Record<string, number> = { cpu: entry.vcpu, memory: entry.memoryGb * GIB };
    if (acc?.kind === "AWS Inferentia2") {
        cap["aws.amazon.com/neuron"] = acc.count;
        cap["aws.amazon.com/neuroncore"] = acc.count * 2;
    } else if (acc?.kind.startsWith("NVIDIA")) {
        cap["nvidia.com/gpu"] = acc.count;
    }
    return cap;
}

/** Pods of a group one node holds (0: it does not fit, or requests a device the node lacks). */
export function podsPerNode(requests: Readonly<Record<string, number>>, capacity: Readonly<Record<string, number>>): number {
    let fit = Infinity;
    for (const [k, want] of Object.entries(requests)) {
        if (!(want > 0)) continue;
        const have = capacity[k];
        if (have === undefined) {
            if (k.includes("/")) return 0; // an extended resource this node does not have
            continue; // ephemeral-storage and the like do not bound the count here
        }
        fit = Math.min(fit, Math.floor(have / want + 1e-9));
    }
    return fit === Infinity ? 0 : fit;
}

/**
 * Nodes the always-running pods need on a pool with `labels`, each node a `entry`. Returns the
 * count and a sentence for the basis, or undefined when no workload targets the pool.
 */
export function workloadFloor(index: StackIndex, labels: Readonly<Record<string, string>>, entry: CatalogEntry): { nodes: number; why: string } | undefined {
    const capacity = nodeCapacity(entry);
    let nodes = 0;
    const why: string[] = [];
    for (const g of alwaysRunningPods(index)) {
        const keys = Object.keys(g.nodeSelector);
        if (keys.length === 0 || g.replicas === 0 || !keys.every((k) => labels[k] === g.nodeSelector[k])) continue;
        // A pool that carries a preferred key with a value the pod does not prefer (the on-demand
        // pool beside a spot pool the pod prefers, issue 19) takes it only as fallback: what always
        // runs there is counted on the preferred pool, and the fallback is in the worst case.
        if ((g.preferred ?? []).some((p) => labels[p.key] !== undefined && !p.values.includes(labels[p.key]))) continue;
        const per = podsPerNode(g.requests, capacity);
        if (per === 0) continue;
        const need = Math.ceil(g.replicas / per);
        nodes += need;
        why.push(`${g.source} at ${per} per ${entry.sku} = ${need}`);
    }
    return nodes > 0 ? { nodes, why: `workloads always running on it need ${nodes} node(s): ${why.join("; ")}` } : undefined;
}
