// Compliant resources for policy tests, one per kind of capacity, plus the GCP dev stack
// (2..3 spot g2-standard-4 replicas behind one forwarding rule). Tests change one thing each.
import type { PlannedResource } from "../../policies/evaluate";

export const STACK_URN_PREFIX = "urn:pulumi:test::llm-serving::";

export function urnOf(type: string, name: string): string {
    return `${STACK_URN_PREFIX}${type}::${name}`;
}

export const TYPES = {
    template: "gcp:compute/instanceTemplate:InstanceTemplate",
    mig: "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager",
    autoscaler: "gcp:compute/regionAutoscaler:RegionAutoscaler",
    forwardingRule: "gcp:compute/globalForwardingRule:GlobalForwardingRule",
    azureVm: "azure-native:compute:VirtualMachine",
    agentPool: "azure-native:containerservice:AgentPool",
    managedCluster: "azure-native:containerservice:ManagedCluster",
    mlDeployment: "azure-native:machinelearningservices:OnlineDeployment",
    eksNodeGroup: "aws:eks/nodeGroup:NodeGroup",
    gcpVm: "gcp:compute/instance:Instance",
    ec2Instance: "aws:ec2/instance:Instance",
    nodePool: "kubernetes:karpenter.sh/v1:NodePool",
} as const;

export function planned(type: string, name: string, inputs: Record<string, unknown>, propertyDependencies: Record<string, string[]> = {}): PlannedResource {
    return { urn: urnOf(type, name), type, name, parent: null, inputs, propertyDependencies };
}

/** Cost-allocation labels, as costLabels (components/costLabels.ts) builds them (cost-allocation-tags). */
export const COST_LABELS = { owner: "ml-platform", "cost-center": "cc-1234", environment: "dev" };

/** The dev GCP stack: SPOT template, regional MIG, autoscaler 2..3, one global forwarding rule. */
export function gcpStack(replicas: { min: number; max: number } = { min: 2, max: 3 }): PlannedResource[] {
    const template = planned(TYPES.template, "llm-template", {
        project: "acme-llm-dev",
        region: "us-central1",
        machineType: "g2-standard-4",
        labels: COST_LABELS,
        scheduling: { provisioningModel: "SPOT", preemptible: true, automaticRestart: false, onHostMaintenance: "TERMINATE", instanceTerminationAction: "DELETE" },
        // A value a violation message must never print.
        metadata: { "startup-script": "export HF_TOKEN=hf_do_not_print_me" },
    });
    const mig = planned(
        TYPES.mig,
        "llm-mig",
        { project: "acme-llm-dev", region: "us-central1", baseInstanceName: "llm", autoHealingPolicies: { healthCheck: "llm-health", initialDelaySec: 1200 }, versions: [{ name: "primary", instanceTemplate: "projects/acme-llm-dev/regions/us-central1/instanceTemplates/llm-template" }] },
        { versions: [template.urn] },
    );
    const autoscaler = planned(
        TYPES.autoscaler,
        "llm-autoscaler",
        { project: "acme-llm-dev", region: "us-central1", target: "projects/acme-llm-dev/regions/us-central1/instanceGroupManagers/llm-mig", autoscalingPolicy: { minReplicas: replicas.min, maxReplicas: replicas.max } },
        { target: [mig.urn] },
    );
    const forwardingRule = planned(TYPES.forwardingRule, "llm-https", { project: "acme-llm-dev", portRange: "443", loadBalancingScheme: "EXTERNAL_MANAGED", target: "llm-https-proxy", labels: COST_LABELS });
    return [template, mig, autoscaler, forwardingRule];
}

export function azureSpotVm(): PlannedResource {
    return planned(TYPES.azureVm, "llm-vm", {
        location: "eastus",
        hardwareProfile: { vmSize: "Standard_NC4as_T4_v3" },
        priority: "Spot",
        evictionPolicy: "Delete",
        billingProfile: { maxPrice: -1 },
        osProfile: { adminUsername: "azureuser", customData: "c2VjcmV0" },
    });
}

export function aksGpuPool(): PlannedResource {
    return planned(TYPES.agentPool, "llm-gpu", {
        vmSize: "Standard_NC4as_T4_v3",
        scaleSetPriority: "Spot",
        scaleSetEvictionPolicy: "Delete",
        enableAutoScaling: true,
        minCount: 0,
        maxCount: 2,
        mode: "User",
    });
}

export function aksCluster(): PlannedResource {
    return planned(TYPES.managedCluster, "llm-aks", {
        location: "eastus",
        agentPoolProfiles: [{ name: "system", mode: "System", vmSize: "Standard_D4s_v5", count: 1 }],
    });
}

export function mlDeployment(): PlannedResource {
    return planned(TYPES.mlDeployment, "llm-ml", {
        location: "eastus",
        properties: { endpointComputeType: "Managed", instanceType: "Standard_NC8as_T4_v3" },
        sku: { name: "Default", capacity: 1 },
    });
}

export function eksNodeGroup(): PlannedResource {
    return planned(TYPES.eksNodeGroup, "llm-system", {
        instanceTypes: ["m5.large"],
        capacityType: "ON_DEMAND",
        scalingConfig: { minSize: 1, maxSize: 2, desiredSize: 1 },
    });
}

export function gcpSpotVm(): PlannedResource {
    return planned(TYPES.gcpVm, "llm-vm-gcp", {
        zone: "us-central1-a",
        machineType: "g2-standard-4",
        scheduling: { provisioningModel: "SPOT", automaticRestart: false, onHostMaintenance: "TERMINATE" },
    });
}

export function ec2SpotInstance(): PlannedResource {
    return planned(TYPES.ec2Instance, "llm-ec2", {
        instanceType: "inf2.xlarge",
        instanceMarketOptions: { marketType: "spot" },
        metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
    });
}

export function inf2NodePool(): PlannedResource {
    return planned(TYPES.nodePool, "llm-inf2", {
        apiVersion: "karpenter.sh/v1",
        kind: "NodePool",
        metadata: { name: "inf2" },
        spec: {
            template: {
                spec: {
                    requirements: [
                        { key: "node.kubernetes.io/instance-type", operator: "In", values: ["inf2.xlarge", "inf2.8xlarge"] },
                        { key: "karpenter.sh/capacity-type", operator: "In", values: ["spot"] },
                    ],
                    nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "inf2" },
                },
            },
            limits: { cpu: "64", memory: "256Gi", "aws.amazon.com/neuron": "2" },
        },
    });
}

/** Deep copy of `resource` with `mutate` applied to its inputs: one change per test. */
export function mutated(resource: PlannedResource, mutate: (inputs: Record<string, unknown>) => void): PlannedResource {
    const inputs = structuredClone(resource.inputs);
    mutate(inputs);
    return { ...resource, inputs };
}

/** `resources` with the one named `name` mutated. */
export function mutatedIn(resources: ReadonlyArray<PlannedResource>, name: string, mutate: (inputs: Record<string, unknown>) => void): PlannedResource[] {
    if (!resources.some((r) => r.name === name)) {
        throw new Error(`no resource named ${name}`);
    }
    return resources.map((r) => (r.name === name ? mutated(r, mutate) : r));
}

/** Sets `inputs.a.b.c = value`, creating objects on the way. */
export function setPath(inputs: Record<string, unknown>, path: ReadonlyArray<string | number>, value: unknown): void {
    let node = inputs as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) {
        node[key] ??= {};
        node = node[key] as Record<string | number, unknown>;
    }
    node[path[path.length - 1]] = value;
}

/**
 * An autoscaler maximum that puts gcpStack() over `capMonthlyUsd`: each replica is a spot
 * g2-standard-4 whose worst case is on-demand, 0.70683 $/h, plus one forwarding rule at $0.025/h,
 * over 730 h (the surge hours only add to it). Derived from the cap so tests follow the config.
 */
export function maxReplicasOverCap(capMonthlyUsd: number): number {
    const replicaMonthly = 0.70683 * 730;
    const forwardingMonthly = 0.025 * 730;
    return Math.floor((capMonthlyUsd - forwardingMonthly) / replicaMonthly) + 1;
}

/**
 * Violations other than `catalog-freshness`, an advisory that starts to fire once the committed
 * catalog is older than 90 days: tests that expect a clean verdict must not fail with the calendar.
 */
export function ignoringCatalogAge<T extends { policy: string }>(violations: readonly T[]): T[] {
    return violations.filter((v) => v.policy !== "catalog-freshness");
}

/**
 * A GCP run-time budget as the program declares it (issue 16): `amount` USD a month, 50/80/100%
 * actual and 100% forecast alerts to a channel. A stack of GCP fixtures needs one to pass
 * runtime-budget; for a stack on one cloud, its share of the cap is the whole cap.
 */
export function gcpRuntimeBudget(amount: number, extra: Record<string, unknown> = {}): PlannedResource {
    return planned("gcp:billing/budget:Budget", "rb-gcp", {
        billingAccount: "01A2B3-C4D5E6-F7A8B9",
        // One project number per project of the fixtures' GCP resources (acme-llm-dev).
        budgetFilter: { projects: ["projects/123456789012"], calendarPeriod: "MONTH", creditTypesTreatment: "EXCLUDE_ALL_CREDITS" },
        amount: { specifiedAmount: { currencyCode: "USD", units: String(amount) } },
        thresholdRules: [
            { thresholdPercent: 0.5, spendBasis: "CURRENT_SPEND" },
            { thresholdPercent: 0.8, spendBasis: "CURRENT_SPEND" },
            { thresholdPercent: 1, spendBasis: "CURRENT_SPEND" },
            { thresholdPercent: 1, spendBasis: "FORECASTED_SPEND" },
        ],
        allUpdatesRule: { monitoringNotificationChannels: ["projects/acme-llm-dev/notificationChannels/1"] },
        ...extra,
    });
}

/** `resources` with a GCP run-time budget at `cap` (the whole cap: the fixtures bill on GCP only). */
export function withGcpBudget(resources: PlannedResource[], cap: number): PlannedResource[] {
    return [...resources, gcpRuntimeBudget(cap)];
}

/**
 * Issue 19: the GCP group of gcpStack with a shared maximum of 4: spot autoscaler 1..2 beside an
 * on-demand group 1..2 (floor 1, fallback 1 more): two groups whose maxima fill one maximum.
 */
export function gcpFallbackStack(share: { max?: string; floorMax?: number } = {}): PlannedResource[] {
    const max = share.max ?? "4";
    const shareLabels = (role: string) => ({ ...COST_LABELS, "llm-serving-capacity": role, "llm-serving-capacity-share": "llm", "llm-serving-capacity-max": max });
    const [template, mig, autoscaler, forwardingRule] = gcpStack({ min: 1, max: 2 });
    (template.inputs as Record<string, unknown>).labels = shareLabels("spot");
    const floorTemplate = planned(TYPES.template, "llm-floor-template", {
        ...(template.inputs as Record<string, unknown>),
        labels: shareLabels("on-demand-floor"),
        scheduling: { provisioningModel: "STANDARD", automaticRestart: true, onHostMaintenance: "TERMINATE" },
    });
    const floorMig = planned(TYPES.mig, "llm-floor-mig", { ...(mig.inputs as Record<string, unknown>), baseInstanceName: "llm-floor" }, { versions: [floorTemplate.urn] });
    const floorAutoscaler = planned(
        TYPES.autoscaler,
        "llm-floor-autoscaler",
        { project: "acme-llm-dev", region: "us-central1", target: "llm-floor-mig", autoscalingPolicy: { minReplicas: 1, maxReplicas: share.floorMax ?? 2 } },
        { target: [floorMig.urn] },
    );
    return [template, mig, autoscaler, floorTemplate, floorMig, floorAutoscaler, forwardingRule];
}

/**
 * Issue 19 on Karpenter: the eksInf2 builders' spot NodePool (weight 100) and on-demand floor
 * NodePool (weight 10) under one shared maximum of `maxNodes`, as the component registers them.
 */
export function karpenterFallbackStack(maxNodes = 4, onDemandBase = 1, onDemandFallback = 1): PlannedResource[] {
    // Required lazily: the fixtures stay free of the program's modules for every other test.
    const { capacityNodePools } = require("../../targets/eksInf2/capacity") as typeof import("../../targets/eksInf2/capacity");
    const { buildNodePool } = require("../../targets/eksInf2/karpenter") as typeof import("../../targets/eksInf2/karpenter");
    const pools = capacityNodePools({ pool: { name: "inf2", nodeClassName: "inf2", region: "us-west-2", instanceTypes: ["inf2.8xlarge"], maxNodes }, onDemandBase, onDemandFallback });
    return pools.map((p, i) => planned(TYPES.nodePool, i === 0 ? "llm-inf2" : "llm-inf2-ondemand", JSON.parse(JSON.stringify(buildNodePool(p))) as Record<string, unknown>));
}
