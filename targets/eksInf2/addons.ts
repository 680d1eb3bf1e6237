import { POOL_LABEL, SYSTEM_POOL } from "./labels";

/**
 * Cluster add-ons from their pinned charts, as pure chart references and values.
 *
 * Neuron scheduler extension: not installed. It places pods that ask for a subset of a node's
 * NeuronCores on contiguous cores; every model worker here asks for whole devices
 * (`aws.amazon.com/neuron`), for which the device plugin alone allocates correctly (Neuron docs:
 * the extension is optional when a pod consumes whole devices).
 */

/** AWS Neuron chart (device plugin, scheduler extension, node problem detector), aws-neuron/neuron-helm-charts Chart.yaml 1.1.2. */
export const NEURON_CHART = { chart: "oci://public.ecr.aws/neuron/neuron-helm-chart", version: "1.1.2" } as const;
/** KubeRay operator 1.4.2 (ray-project/kuberay-helm release; RayService ray.io/v1 with upgradeStrategy and GCS FT options). */
export const KUBERAY_CHART = { chart: "kuberay-operator", version: "1.4.2", repo: "https://ray-project.github.io/kuberay-helm/" } as const;

/** Device plugin only: its default tolerations include the aws.amazon.com/neuron taint and its affinity selects inf2 types. */
export function neuronValues() {
    return {
        npd: { enabled: false },
        scheduler: { enabled: false },
    };
}

export function kubeRayValues() {
    return {
        nodeSelector: { [POOL_LABEL]: SYSTEM_POOL },
        resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
    };
}
