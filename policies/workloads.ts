// Where Kubernetes workloads keep their pod specs and containers (Deployments and friends, and
// KubeRay's RayService/RayCluster custom resources), and which containers are model servers.
// Shared by the image, secret, authentication, probe, replica and disruption-budget rules.
import { POD_SPEC_PATHS, RAY_TYPES as RAY_TYPE_LIST, REPLICATED_WORKLOADS as REPLICATED_WORKLOAD_TYPES } from "./model/kubernetes/workloads";
import { PathKey, Read, readAt } from "./model/read";
import { elementsOf, readIn, stringOf } from "./inspect";

/** Workloads whose replica count and pods a PodDisruptionBudget governs. */
export const REPLICATED_WORKLOADS: ReadonlySet<string> = new Set(REPLICATED_WORKLOAD_TYPES);

export const RAY_TYPES: ReadonlySet<string> = new Set(RAY_TYPE_LIST);

export type PodRole = "pod" | "ray-head" | "ray-worker";

export interface PodSpecAt {
    readonly spec: Read;
    readonly role: PodRole;
}

export interface ContainerAt {
    /** The container object (known) or its unknown read. */
    readonly read: Read;
    readonly field: string;
    readonly role: PodRole;
    readonly init: boolean;
}

export function isWorkload(type: string): boolean {
    return type in POD_SPEC_PATHS || RAY_TYPES.has(type);
}

/** The pod specs of a workload; a RayService has a head and one per worker group. */
export function podSpecsOf(type: string, props: unknown): PodSpecAt[] {
    const path = POD_SPEC_PATHS[type];
    if (path) {
        return [{ spec: readAt(props, path), role: "pod" }];
    }
    if (!RAY_TYPES.has(type)) {
        return [];
    }
    const cluster: ReadonlyArray<PathKey> = type.endsWith(":RayService") ? ["spec", "rayClusterConfig"] : ["spec"];
    const head = readAt(props, [...cluster, "headGroupSpec", "template", "spec"]);
    const groups = readAt(props, [...cluster, "workerGroupSpecs"]);
    const workers: PodSpecAt[] =
        groups.state === "unknown" ? [{ spec: groups, role: "ray-worker" }] : elementsOf(groups).map((g) => ({ spec: readIn(g, ["template", "spec"]), role: "ray-worker" }));
    return [{ spec: head, role: "ray-head" }, ...workers];
}

/** Every container (and init container) of a workload; an unknown list comes back as one unknown read. */
export function containersOf(type: string, props: unknown): ContainerAt[] {
    const out: ContainerAt[] = [];
    for (const pod of podSpecsOf(type, props)) {
        if (pod.spec.state === "unknown") {
            out.push({ read: pod.spec, field: pod.spec.field, role: pod.role, init: false });
            continue;
        }
        for (const [key, init] of [["containers", false], ["initContainers", true]] as const) {
            const list = readIn(pod.spec, [key]);
            if (list.state === "unknown") {
                out.push({ read: list, field: list.field, role: pod.role, init });
                continue;
            }
            for (const container of elementsOf(list)) {
                out.push({ read: container, field: container.field, role: pod.role, init });
            }
        }
    }
    return out;
}

/** Settings that say which containers are model servers (shared config schema pieces). */
export interface ModelServerSelector {
    modelServerImages?: string[];
    modelPorts?: number[];
}

export const DEFAULT_MODEL_SERVER_IMAGES = ["vllm", "llama.cpp", "neuronx", "text-generation-inference", "tritonserver", "ollama"];
export const DEFAULT_MODEL_PORTS = [8000];

export const modelServerImagesSchema = {
    type: "array",
    items: { type: "string", minLength: 1 },
    default: DEFAULT_MODEL_SERVER_IMAGES,
    description: "Image name fragments that mark a container as a model server (case-insensitive).",
} as const;

export const modelPortsSchema = {
    type: "array",
    items: { type: "integer", minimum: 1, maximum: 65535 },
    default: DEFAULT_MODEL_PORTS,
    description: "Ports the model server listens on; a container exposing one is a model server.",
} as const;

/**
 * A container is a model server when its image names a model server or it exposes a model port.
 * An image unknown at preview counts as a model server (fail closed).
 */
export function isModelServer(container: Read, selector: ModelServerSelector): boolean {
    if (container.state !== "known") {
        return container.state === "unknown";
    }
    const images = (selector.modelServerImages ?? DEFAULT_MODEL_SERVER_IMAGES).map((i) => i.toLowerCase());
    const ports = selector.modelPorts ?? DEFAULT_MODEL_PORTS;
    const image = readIn(container, ["image"]);
    if (image.state === "unknown") {
        return true;
    }
    const name = stringOf(image)?.toLowerCase() ?? "";
    if (images.some((fragment) => name.includes(fragment))) {
        return true;
    }
    return elementsOf(readIn(container, ["ports"])).some((port) => {
        const n = readIn(port, ["containerPort"]);
        return n.state === "known" && typeof n.value === "number" && ports.includes(n.value);
    });
}

/** `name` of a container for messages (container names are not secret). */
export function containerLabel(container: ContainerAt): string {
    const name = stringOf(readIn(container.read, ["name"]));
    return `${container.init ? "init container" : "container"} ${name ?? container.field}`;
}
