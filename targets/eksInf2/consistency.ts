/**
 * Consistency checks between the Kubernetes objects of the inf2 target, pure and exported so the
 * policy pack can run them on the registered inputs. Each returns a list of problems (empty: OK),
 * worded to say what to change. The first is the check that would have caught the ai-on-eks
 * blueprint's Pending pods: a worker selecting node labels no NodePool defines.
 */
import { CAPACITY_TYPE_LABEL, INSTANCE_TYPE_LABEL } from "./labels";

/** Per-node capacity by instance type, as the check needs it (see INF2_CAPACITY). */
export type CapacityTable = Readonly<Record<string, { readonly vcpu: number; readonly memoryGib: number; readonly neuron: number }>>;

interface Toleration {
    key?: string;
    operator?: string;
    value?: string;
    effect?: string;
}
interface Taint {
    key: string;
    value?: string;
    effect: string;
}
interface Requirement {
    key: string;
    operator: string;
    values?: string[];
}
interface PoolView {
    name: string;
    labels: Record<string, string>;
    taints: Taint[];
    requirements: Requirement[];
}
interface WorkerView {
    group: string;
    minReplicas: unknown;
    nodeSelector: Record<string, string>;
    tolerations: Toleration[];
    requests: Record<string, string>;
}

const NEURON = "aws.amazon.com/neuron";
const INSTANCE_TYPE = INSTANCE_TYPE_LABEL;

function at(obj: unknown, ...path: string[]): unknown {
    let v: unknown = obj;
    for (const p of path) v = v !== null && typeof v === "object" ? (v as Record<string, unknown>)[p] : undefined;
    return v;
}
const asRecord = (v: unknown): Record<string, string> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, string>) : {});
const asList = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

function poolView(pool: unknown): PoolView {
    return {
        name: String(at(pool, "metadata", "name") ?? "(unnamed)"),
        labels: asRecord(at(pool, "spec", "template", "metadata", "labels")),
        taints: asList<Taint>(at(pool, "spec", "template", "spec", "taints")),
        requirements: asList<Requirement>(at(pool, "spec", "template", "spec", "requirements")),
    };
}

function workerViews(rayService: unknown): WorkerView[] {
    return asList<unknown>(at(rayService, "spec", "rayClusterConfig", "workerGroupSpecs")).map((g) => {
        const containers = asList<unknown>(at(g, "template", "spec", "containers"));
        const requests: Record<string, string> = {};
        for (const c of containers) {
            for (const [k, v] of Object.entries(asRecord(at(c, "resources", "requests")))) requests[k] = String(v);
            for (const [k, v] of Object.entries(asRecord(at(c, "resources", "limits")))) requests[k] ??= String(v);
        }
        return {
            group: String(at(g, "groupName") ?? "(unnamed)"),
            minReplicas: at(g, "minReplicas"),
            nodeSelector: asRecord(at(g, "template", "spec", "nodeSelector")),
            tolerations: asList<Toleration>(at(g, "template", "spec", "tolerations")),
            requests,
        };
    });
}

/** A node of `pool` carries label key=value: a template label, or a single-valued `In` requirement. */
function poolSets(pool: PoolView, key: string, value: string): boolean {
    if (pool.labels[key] === value) return true;
    return pool.requirements.some((r) => r.key === key && r.operator === "In" && (r.values ?? []).length === 1 && r.values![0] === value);
}

function tolerates(tolerations: Toleration[], taint: Taint): boolean {
    return tolerations.some((t) => {
        if (t.effect && t.effect !== taint.effect) return false;
        if (t.operator === "Exists") return t.key === undefined || t.key === taint.key;
        return t.key === taint.key && (t.value ?? "") === (taint.value ?? "");
    });
}

/** NodePools whose nodes a worker group can be scheduled on (selector satisfied, every taint tolerated). */
export function matchingPools(worker: WorkerView, pools: PoolView[]): PoolView[] {
    return pools.filter(
        (p) =>
            Object.entries(worker.nodeSelector).every(([k, v]) => poolSets(p, k, v)) &&
            p.taints.every((t) => tolerates(worker.tolerations, t)),
    );
}

/**
 * Every RayService worker group must be schedulable on some NodePool: its node selector matched
 * by the pool's labels, the pool's taints tolerated. Otherwise Karpenter never launches a node
 * for it and the pods stay Pending.
 */
export function checkWorkersMatchPools(rayService: unknown, nodePools: readonly unknown[]): string[] {
    const pools = nodePools.map(poolView);
    const problems: string[] = [];
    for (const w of workerViews(rayService)) {
        if (matchingPools(w, pools).length > 0) continue;
        const detail = pools
            .map((p) => {
                const missing = Object.entries(w.nodeSelector).filter(([k, v]) => !poolSets(p, k, v)).map(([k, v]) => `${k}=${v}`);
                const untolerated = p.taints.filter((t) => !tolerates(w.tolerations, t)).map((t) => `${t.key}:${t.effect}`);
                return `NodePool ${p.name}: ${missing.length ? `lacks labels ${missing.join(", ")}` : "labels match"}; ${untolerated.length ? `taints not tolerated ${untolerated.join(", ")}` : "taints tolerated"}`;
            })
            .join("; ");
        problems.push(
            `RayService worker group ${w.group} matches no NodePool, so its pods would stay Pending (${detail || "no NodePool"}). ` +
                "Make the worker's nodeSelector and tolerations match a NodePool's template labels and taints.",
        );
    }
    return problems;
}

function memGib(q: string): number {
    const m = /^(\d+(?:\.\d+)?)(Gi|Mi|G|M)?$/.exec(q);
    if (!m) return Number.NaN;
    const n = Number(m[1]);
    return m[2] === "Mi" ? n / 1024 : m[2] === "M" ? n / 1073.741824 : m[2] === "G" ? n / 1.073741824 : m[2] === "Gi" ? n : n / 2 ** 30;
}
function cpuCores(q: string): number {
    return q.endsWith("m") ? Number(q.slice(0, -1)) / 1000 : Number(q);
}

/**
 * A worker's requests (Neuron devices, CPU, memory) must fit at least one instance type its
 * matching NodePool allows; a type absent from `capacity` is reported, never assumed to fit.
 */
export function checkWorkersFitInstanceTypes(rayService: unknown, nodePools: readonly unknown[], capacity: CapacityTable): string[] {
    const pools = nodePools.map(poolView);
    const problems: string[] = [];
    for (const w of workerViews(rayService)) {
        for (const pool of matchingPools(w, pools)) {
            const types = pool.requirements.filter((r) => r.key === INSTANCE_TYPE && r.operator === "In").flatMap((r) => r.values ?? []);
            if (types.length === 0) {
                problems.push(`NodePool ${pool.name} does not list ${INSTANCE_TYPE} In [...], so worker group ${w.group}'s fit cannot be checked.`);
                continue;
            }
            const unknown = types.filter((t) => !(t in capacity));
            if (unknown.length) problems.push(`NodePool ${pool.name} allows instance types with unknown capacity: ${unknown.join(", ")}.`);
            const devices = Number(w.requests[NEURON] ?? 0);
            const cpu = cpuCores(w.requests.cpu ?? "0");
            const mem = memGib(w.requests.memory ?? "0");
            const fits = types.filter((t) => t in capacity && capacity[t].neuron >= devices && capacity[t].vcpu >= cpu && capacity[t].memoryGib >= mem);
            if (fits.length === 0) {
                problems.push(
                    `RayService worker group ${w.group} requests ${devices} ${NEURON}, ${w.requests.cpu ?? "0"} CPU and ${w.requests.memory ?? "0"} memory, ` +
                        `which no instance type of NodePool ${pool.name} can hold (${types.join(", ")}). Lower the requests or allow a larger type.`,
                );
            }
        }
    }
    return problems;
}

/** Ports a pod template's containers declare, by number and by name. */
function containerPorts(template: unknown): { numbers: Set<number>; names: Set<string> } {
    const numbers = new Set<number>();
    const names = new Set<string>();
    for (const c of asList<unknown>(at(template, "spec", "containers"))) {
        for (const p of asList<{ containerPort?: number; name?: string }>(at(c, "ports"))) {
            if (typeof p.containerPort === "number") numbers.add(p.containerPort);
            if (p.name) names.add(p.name);
        }
    }
    return { numbers, names };
}

function portDeclared(port: unknown, ports: { numbers: Set<number>; names: Set<string> }): boolean {
    return typeof port === "number" ? ports.numbers.has(port) : typeof port === "string" ? ports.names.has(port) : false;
}

/**
 * The front proxy: its Service's targetPorts and its probes' ports must be ports its container
 * declares; its upstream port must be the Serve port every RayService worker declares.
 */
export function checkProxyPorts(deployment: unknown, service: unknown, rayService: unknown, upstreamPort: number): string[] {
    const problems: string[] = [];
    const template = at(deployment, "spec", "template");
    const ports = containerPorts(template);
    for (const p of asList<{ name?: string; targetPort?: unknown; port?: number }>(at(service, "spec", "ports"))) {
        const target = p.targetPort ?? p.port;
        if (!portDeclared(target, ports)) {
            problems.push(`Service port ${p.name ?? p.port} targets ${String(target)}, which the proxy container does not declare.`);
        }
    }
    for (const c of asList<unknown>(at(template, "spec", "containers"))) {
        for (const probe of ["readinessProbe", "livenessProbe", "startupProbe"]) {
            const port = at(c, probe, "httpGet", "port");
            if (port !== undefined && !portDeclared(port, ports)) {
                problems.push(`${probe} of container ${String(at(c, "name"))} checks port ${String(port)}, which the container does not declare.`);
            }
        }
    }
    for (const g of asList<unknown>(at(rayService, "spec", "rayClusterConfig", "workerGroupSpecs"))) {
        if (!containerPorts(at(g, "template")).numbers.has(upstreamPort)) {
            problems.push(`The proxy forwards to port ${upstreamPort}, which RayService worker group ${String(at(g, "groupName"))} does not declare.`);
        }
    }
    return problems;
}

/** The capacity types a pool's nodes may have: its capacity-type `In` values (Karpenter defaults to on-demand). */
function poolCapacityTypes(pool: PoolView): string[] {
    const r = pool.requirements.filter((q) => q.key === CAPACITY_TYPE_LABEL);
    if (r.length === 0) return ["on-demand"];
    return r.every((q) => q.operator === "In") ? [...new Set(r.flatMap((q) => q.values ?? []))] : ["(not an In requirement)"];
}

/**
 * Issue 19: the floor holds only if its workers can never land on spot. Every worker group that
 * selects `karpenter.sh/capacity-type: on-demand` (the floor) must always run (minReplicas >= 1),
 * match some NodePool, and match only NodePools whose nodes are all on-demand; and `floorGroups`,
 * the groups the program meant as the floor, must be among them. Proven by construction: the
 * selector leaves the scheduler no spot node to pick.
 */
export function checkFloorOnOnDemand(rayService: unknown, nodePools: readonly unknown[], floorGroups: readonly string[]): string[] {
    const pools = nodePools.map(poolView);
    const problems: string[] = [];
    const workers = workerViews(rayService);
    for (const name of floorGroups) {
        const w = workers.find((x) => x.group === name);
        if (!w) problems.push(`RayService has no worker group ${name}, the on-demand floor.`);
        else if (w.nodeSelector[CAPACITY_TYPE_LABEL] !== "on-demand") {
            problems.push(`Floor worker group ${name} does not select ${CAPACITY_TYPE_LABEL}=on-demand, so its workers may land on spot nodes.`);
        }
    }
    for (const w of workers.filter((x) => x.nodeSelector[CAPACITY_TYPE_LABEL] === "on-demand")) {
        if (!(typeof w.minReplicas === "number" && w.minReplicas >= 1)) problems.push(`Floor worker group ${w.group} has minReplicas ${String(w.minReplicas)}: a floor must always run (>= 1).`);
        const matched = matchingPools(w, pools);
        if (matched.length === 0) problems.push(`Floor worker group ${w.group} matches no NodePool, so its pods would stay Pending.`);
        for (const p of matched) {
            const types = poolCapacityTypes(p);
            if (types.length !== 1 || types[0] !== "on-demand") problems.push(`Floor worker group ${w.group} matches NodePool ${p.name}, whose nodes may be ${types.join(", ")}: a floor NodePool must allow on-demand only.`);
        }
    }
    return problems;
}
