// Kubernetes objects the pack reads: workloads and their pod templates, KubeRay services, disruption
// budgets, Services, and Helm releases.
import { Kind } from "../kind";
import { PathKey } from "../read";

export const K8S = {
    deployment: "kubernetes:apps/v1:Deployment",
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    daemonSet: "kubernetes:apps/v1:DaemonSet",
    replicaSet: "kubernetes:apps/v1:ReplicaSet",
    job: "kubernetes:batch/v1:Job",
    cronJob: "kubernetes:batch/v1:CronJob",
    pod: "kubernetes:core/v1:Pod",
    service: "kubernetes:core/v1:Service",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    pdbV1beta1: "kubernetes:policy/v1beta1:PodDisruptionBudget",
    rayService: "kubernetes:ray.io/v1:RayService",
    rayServiceV1alpha1: "kubernetes:ray.io/v1alpha1:RayService",
    rayCluster: "kubernetes:ray.io/v1:RayCluster",
    rayClusterV1alpha1: "kubernetes:ray.io/v1alpha1:RayCluster",
    helmRelease: "kubernetes:helm.sh/v3:Release",
    helmChart: "kubernetes:helm.sh/v4:Chart",
} as const;

/** Pod template paths of the built-in workload kinds, by Pulumi type token. */
export const POD_SPEC_PATHS: Readonly<Record<string, ReadonlyArray<PathKey>>> = {
    [K8S.deployment]: ["spec", "template", "spec"],
    [K8S.statefulSet]: ["spec", "template", "spec"],
    [K8S.daemonSet]: ["spec", "template", "spec"],
    [K8S.replicaSet]: ["spec", "template", "spec"],
    [K8S.job]: ["spec", "template", "spec"],
    [K8S.cronJob]: ["spec", "jobTemplate", "spec", "template", "spec"],
    [K8S.pod]: ["spec"],
};

/** Workloads whose replica count and pods a PodDisruptionBudget governs. */
export const REPLICATED_WORKLOADS: ReadonlyArray<string> = [K8S.deployment, K8S.statefulSet];
/** KubeRay's custom resources, every served version. */
export const RAY_TYPES: ReadonlyArray<string> = [K8S.rayService, K8S.rayServiceV1alpha1, K8S.rayCluster, K8S.rayClusterV1alpha1];
/** The Ray versions the cost engine reads workload floors from. */
export const RAY_V1_TYPES: ReadonlyArray<string> = [K8S.rayService, K8S.rayCluster];
export const PDB_TYPES: ReadonlyArray<string> = [K8S.pdb, K8S.pdbV1beta1];
export const HELM_TYPES: ReadonlyArray<string> = [K8S.helmRelease, K8S.helmChart];

export const K8S_KINDS: ReadonlyArray<Kind> = [
    { name: "kubernetes-workload", provider: "kubernetes", types: Object.keys(POD_SPEC_PATHS) },
    { name: "kuberay", provider: "kubernetes", types: RAY_TYPES },
    { name: "kubernetes-pdb", provider: "kubernetes", types: PDB_TYPES },
    { name: "kubernetes-service", provider: "kubernetes", types: [K8S.service] },
    { name: "helm-release", provider: "kubernetes", types: HELM_TYPES },
];
