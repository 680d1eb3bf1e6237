// Names and values the program writes and the policy pack reads. Both sides import them from here
// (the program only through policies/contract), so a key renamed on one side cannot silently stop
// the other from finding it. This file imports nothing.

/** Annotation on Kubernetes objects (LoadBalancer Services, Karpenter NodePools) naming the cloud region they bill in. */
export const REGION_ANNOTATION = "llm-serving.dev/region";
/** Annotation on a LoadBalancer Service naming the cloud whose load balancer it makes ("gcp", "azure", "aws"). */
export const CLOUD_ANNOTATION = "llm-serving.dev/cloud";
/** Tag on an AKS agent pool naming its region, for a pool whose cluster is not in the same stack. */
export const AGENT_POOL_REGION_TAG = "llm-serving-region";

/** Well-known node labels Karpenter sets and NodePool requirements match on. */
export const INSTANCE_TYPE_LABEL = "node.kubernetes.io/instance-type";
export const INSTANCE_FAMILY_LABEL = "karpenter.k8s.aws/instance-family";
export const INSTANCE_SIZE_LABEL = "karpenter.k8s.aws/instance-size";
export const CAPACITY_TYPE_LABEL = "karpenter.sh/capacity-type";

/**
 * Multiplier on a catalog spot price for the expected spot figure the plan shows beside the worst
 * case (spot prices move); never used by a cap. Policy config may set `spotMargin` per policy.
 */
export const DEFAULT_SPOT_MARGIN = 1.25;

/**
 * Pulumi's sentinels for values unknown at preview (as @pulumi/policy's proxy defines them, kept in
 * step by a test). Over the wire, and in the offline plan, every unknown is the string one.
 */
export const UNKNOWN_STRING_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    UNKNOWN_STRING_SENTINEL, // string
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

/** True for one of Pulumi's raw unknown sentinels. */
export function isUnknownSentinel(value: unknown): boolean {
    return typeof value === "string" && UNKNOWN_SENTINELS.has(value);
}

/** How the offline plan shows a value that is a Pulumi secret; the pack treats it as one. */
export const PLAN_SECRET_PLACEHOLDER = "[secret]";
