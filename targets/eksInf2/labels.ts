/**
 * Names shared by the inf2 target's parts. The NodePool, the RayService and the consistency
 * check all read them from here, so the worker's selector and the pool's labels agree by
 * construction; the check (consistency.ts) proves it for whatever objects are finally built.
 */

/** Subnets and security groups Karpenter may use carry this tag, valued with the cluster name. */
export const DISCOVERY_TAG = "karpenter.sh/discovery";
/** Node label that tells the pools apart; the workload selects on it. */
export const POOL_LABEL = "llm-serving.dev/pool";
export const INF2_POOL = "inf2";
export const SYSTEM_POOL = "system";
/** Extended resource of the Neuron device plugin: whole Inferentia2 devices. */
export const NEURON_RESOURCE = "aws.amazon.com/neuron";
/** Taint on every inf2 node so that only pods tolerating it (the model workers) land there. */
export const NEURON_TAINT = { key: NEURON_RESOURCE, value: "true", effect: "NoSchedule" } as const;
/** Where the cost engine reads a NodePool's region, and the label keys Karpenter sets and matches on. */
export { CAPACITY_TYPE_LABEL, INSTANCE_TYPE_LABEL, REGION_ANNOTATION } from "../../policies/contract/keys";
/** Namespace of the model's RayService, its secrets and the front proxy. */
export const SERVING_NAMESPACE = "llm-serving";
