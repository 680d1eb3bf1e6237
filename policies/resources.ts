// Where each kind of compute capacity keeps its SKU and its spot setting, read without throwing on
// unknowns. Used by allowed-instance-types and spot-required; the cost engine has its own readers.
import { PolicyResource } from "@pulumi/policy";
import type { CostInputResource } from "./cost/estimate";
import { Read, asNumber, asString, readAt, readElements } from "./read";

export type Cloud = "gcp" | "azure" | "aws";

/** The kinds of capacity the SKU and spot policies know; config refers to them by these names. */
export const CAPACITY_KINDS = [
    "gcp-instance-template",
    "gcp-instance",
    "azure-vm",
    "aks-agent-pool",
    "azure-ml-deployment",
    "eks-node-group",
    "ec2-instance",
    "karpenter-node-pool",
] as const;
export type CapacityKind = (typeof CAPACITY_KINDS)[number];

/** One block of capacity inside a resource (a ManagedCluster carries several pools). */
export interface Capacity {
    readonly cloud: Cloud;
    readonly kind: CapacityKind;
    /** Where in the props this capacity lives, e.g. `agentPoolProfiles[1]`; "" for the whole resource. */
    readonly at: string;
    /** The SKUs it may run; a NodePool or EKS node group may list several. Empty: none is set. */
    readonly skus: ReadonlyArray<Read<string>>;
    /** Field to name when no SKU is set. */
    readonly skuField: string;
    /** Whether it is spot (or preemptible) capacity. */
    readonly spot: Read<boolean>;
    /** Field that makes it spot, to name in messages. */
    readonly spotField: string;
    /** Accelerator families (Karpenter instance-family) when types are not pinned. */
    readonly families: ReadonlyArray<Read<string>>;
    /** GCP guest accelerators attached to a general-purpose machine. */
    readonly hasGuestAccelerators: boolean;
}

/** The subset of a resource the readers need; PolicyResource and ResourceValidationArgs both fit. */
export interface TypedProps {
    readonly type: string;
    readonly props: unknown;
}

export function capacitiesOf(resource: TypedProps): Capacity[] {
    const reader = READERS[resource.type];
    return reader ? reader(resource.props) : [];
}

/** Stack policies hand the cost engine URNs, not resource objects; props pass through untouched. */
export function toCostInput(r: PolicyResource): CostInputResource {
    const propertyDependencies: Record<string, string[]> = {};
    for (const [key, deps] of Object.entries(r.propertyDependencies ?? {})) {
        propertyDependencies[key] = deps.map((d) => d.urn);
    }
    return { urn: r.urn, type: r.type, name: r.name, props: r.props, propertyDependencies };
}

type CapacityReader = (props: unknown) => Capacity[];

const SPOT_FIELDS_GCP = "scheduling.provisioningModel";

function gcpTemplate(props: unknown): Capacity[] {
    return gcpMachine(props, "gcp-instance-template");
}

/** A lone VM reads like a template: same machineType, guestAccelerators and scheduling. */
function gcpInstance(props: unknown): Capacity[] {
    return gcpMachine(props, "gcp-instance");
}

function gcpMachine(props: unknown, kind: CapacityKind): Capacity[] {
    const accelerators = gcpGuestAccelerators(props);
    return [
        {
            cloud: "gcp",
            kind,
            at: "",
            skus: nonAbsent([gcpSku(asString(readAt(props, ["machineType"])), accelerators)]),
            skuField: "machineType",
            spot: gcpSpot(props),
            spotField: SPOT_FIELDS_GCP,
            families: [],
            hasGuestAccelerators: accelerators.state !== "known" || accelerators.value.length > 0,
        },
    ];
}

/**
 * A GCP machine's SKU as the catalog names it: the machine type plus its guest accelerators
 * (`n1-standard-8+1xnvidia-tesla-t4`), so allowing a host does not allow any GPU bolted onto it.
 */
function gcpSku(machineType: Read<string>, accelerators: Read<string[]>): Read<string> {
    if (machineType.state !== "known") {
        return machineType;
    }
    if (accelerators.state !== "known") {
        return accelerators;
    }
    return { state: "known", value: [machineType.value, ...accelerators.value].join("+"), field: machineType.field };
}

/** `guestAccelerators` as sorted `<count>x<type>` strings; unknown if any part is unknown. */
function gcpGuestAccelerators(props: unknown): Read<string[]> {
    const list = readElements(props, ["guestAccelerators"]);
    if (!Array.isArray(list)) {
        return list.state === "unknown" ? list : { state: "known", value: [], field: list.field };
    }
    const out: string[] = [];
    for (const element of list) {
        const type = asString(readAt(element.state === "known" ? element.value : undefined, ["type"], element.field));
        const count = asNumber(readAt(element.state === "known" ? element.value : undefined, ["count"], element.field));
        if (element.state === "unknown") return element;
        if (type.state === "unknown") return type;
        if (count.state === "unknown") return count;
        if (type.state === "known" && count.state === "known" && count.value > 0) {
            out.push(`${count.value}x${type.value}`);
        }
    }
    return { state: "known", value: out.sort(), field: "guestAccelerators" };
}

/** SPOT provisioning or the older `preemptible` flag both make a GCP VM spot-priced. */
function gcpSpot(props: unknown): Read<boolean> {
    const model = asString(readAt(props, ["scheduling", "provisioningModel"]));
    if (model.state === "unknown") {
        return model;
    }
    if (model.state === "known" && model.value.toUpperCase() === "SPOT") {
        return { state: "known", value: true, field: model.field };
    }
    const preemptible = readAt(props, ["scheduling", "preemptible"]);
    if (preemptible.state === "unknown") {
        return preemptible;
    }
    return { state: "known", value: preemptible.state === "known" && preemptible.value === true, field: SPOT_FIELDS_GCP };
}

function azureVm(props: unknown): Capacity[] {
    return [
        {
            cloud: "azure",
            kind: "azure-vm",
            at: "",
            skus: nonAbsent([asString(readAt(props, ["hardwareProfile", "vmSize"]))]),
            skuField: "hardwareProfile.vmSize",
            spot: equalsAny(readAt(props, ["priority"]), ["spot", "low"]),
            spotField: "priority",
            families: [],
            hasGuestAccelerators: false,
        },
    ];
}

function aksAgentPool(props: unknown): Capacity[] {
    return [aksPool(props, [], "")];
}

function aksPool(props: unknown, path: ReadonlyArray<string | number>, at: string): Capacity {
    return {
        cloud: "azure",
        kind: "aks-agent-pool",
        at,
        skus: nonAbsent([asString(readAt(props, [...path, "vmSize"]))]),
        skuField: at === "" ? "vmSize" : `${at}.vmSize`,
        spot: equalsAny(readAt(props, [...path, "scaleSetPriority"]), ["spot"]),
        spotField: at === "" ? "scaleSetPriority" : `${at}.scaleSetPriority`,
        families: [],
        hasGuestAccelerators: false,
    };
}

/** A ManagedCluster's inline pools are capacity too (the system pool at least). */
function aksManagedCluster(props: unknown): Capacity[] {
    const pools = readElements(props, ["agentPoolProfiles"]);
    if (!Array.isArray(pools)) {
        // Unknown pool list: report it as one pool whose SKU is unknown, so it cannot slip through.
        return pools.state === "unknown" ? [{ ...aksPool(undefined, [], "agentPoolProfiles"), skus: [pools], spot: pools }] : [];
    }
    return pools.map((pool, i) => aksPool(props, ["agentPoolProfiles", i], `agentPoolProfiles[${i}]`));
}

/** Azure ML managed online deployments cannot run on spot; they are listed for the SKU allow-list. */
function azureMlDeployment(props: unknown): Capacity[] {
    return [
        {
            cloud: "azure",
            kind: "azure-ml-deployment",
            at: "",
            skus: nonAbsent([asString(readAt(props, ["properties", "instanceType"]))]),
            skuField: "properties.instanceType",
            spot: { state: "known", value: false, field: "properties.instanceType" },
            spotField: "properties.instanceType",
            families: [],
            hasGuestAccelerators: false,
        },
    ];
}

function eksNodeGroup(props: unknown): Capacity[] {
    return [
        {
            cloud: "aws",
            kind: "eks-node-group",
            at: "",
            skus: stringList(props, ["instanceTypes"]),
            skuField: "instanceTypes",
            spot: equalsAny(readAt(props, ["capacityType"]), ["spot"]),
            spotField: "capacityType",
            families: [],
            hasGuestAccelerators: false,
        },
    ];
}

/** EC2 instances are spot when instanceMarketOptions.marketType is "spot". */
function ec2Instance(props: unknown): Capacity[] {
    return [
        {
            cloud: "aws",
            kind: "ec2-instance",
            at: "",
            skus: nonAbsent([asString(readAt(props, ["instanceType"]))]),
            skuField: "instanceType",
            spot: equalsAny(readAt(props, ["instanceMarketOptions", "marketType"]), ["spot"]),
            spotField: "instanceMarketOptions.marketType",
            families: [],
            hasGuestAccelerators: false,
        },
    ];
}

const INSTANCE_TYPE_KEY = "node.kubernetes.io/instance-type";
const INSTANCE_FAMILY_KEY = "karpenter.k8s.aws/instance-family";
const CAPACITY_TYPE_KEY = "karpenter.sh/capacity-type";
const REQUIREMENTS = ["spec", "template", "spec", "requirements"];

/** A NodePool's SKUs are its `instance-type In [...]` requirement; spot is `capacity-type In [spot]`. */
function karpenterNodePool(props: unknown): Capacity[] {
    const requirements = readElements(props, REQUIREMENTS);
    const field = "spec.template.spec.requirements";
    if (!Array.isArray(requirements)) {
        const unknownOrNone = requirements.state === "unknown" ? [requirements] : [];
        return [nodePool(unknownOrNone, unknownOrNone, requirements.state === "unknown" ? requirements : { state: "known", value: false, field })];
    }
    let skus: Read<string>[] = [];
    let families: Read<string>[] = [];
    // Karpenter's default capacity type is on-demand.
    let spot: Read<boolean> = { state: "known", value: false, field: `${field}[key=${CAPACITY_TYPE_KEY}]` };
    for (const requirement of requirements) {
        if (requirement.state !== "known") {
            // An unknown requirement could pin anything: treat it as an unknown SKU and spot setting.
            skus = [...skus, { state: "unknown", field: requirement.field }];
            spot = { state: "unknown", field: requirement.field };
            continue;
        }
        const key = asString(readAt(requirement.value, ["key"], requirement.field));
        const operator = asString(readAt(requirement.value, ["operator"], requirement.field));
        if (key.state === "unknown" || operator.state === "unknown") {
            skus = [...skus, key.state === "unknown" ? key : operator];
            continue;
        }
        if (key.state !== "known" || operator.state !== "known" || operator.value !== "In") {
            continue;
        }
        const values = stringList(requirement.value, ["values"], requirement.field);
        if (key.value === INSTANCE_TYPE_KEY) {
            skus = [...skus, ...values];
        } else if (key.value === INSTANCE_FAMILY_KEY) {
            families = [...families, ...values];
        } else if (key.value === CAPACITY_TYPE_KEY) {
            spot = onlySpot(values, `${requirement.field}.values`);
        }
    }
    return [nodePool(skus, families, spot)];
}

function nodePool(skus: Read<string>[], families: Read<string>[], spot: Read<boolean>): Capacity {
    return {
        cloud: "aws",
        kind: "karpenter-node-pool",
        at: "",
        skus,
        skuField: `spec.template.spec.requirements[key=${INSTANCE_TYPE_KEY}]`,
        spot,
        spotField: `spec.template.spec.requirements[key=${CAPACITY_TYPE_KEY}]`,
        families,
        hasGuestAccelerators: false,
    };
}

/** Spot only when every allowed capacity type is spot: `[spot, on-demand]` may run on-demand. */
function onlySpot(values: Read<string>[], field: string): Read<boolean> {
    const unknown = values.find((v) => v.state === "unknown");
    if (unknown) {
        return unknown as Read<boolean>;
    }
    const known = values.filter((v): v is Extract<Read<string>, { state: "known" }> => v.state === "known");
    return { state: "known", value: known.length > 0 && known.every((v) => v.value === "spot"), field };
}

/** A string array field as one read per element; an unknown array is one unknown read. */
function stringList(base: unknown, path: ReadonlyArray<string | number>, prefix = ""): Read<string>[] {
    const elements = readElements(base, path, prefix);
    if (!Array.isArray(elements)) {
        return elements.state === "unknown" ? [elements] : [];
    }
    return nonAbsent(elements.map(asString));
}

/** True when a known string equals one of `values` (case-insensitive); unknown stays unknown. */
function equalsAny(read: Read, values: ReadonlyArray<string>): Read<boolean> {
    if (read.state === "unknown") {
        return read;
    }
    const value = read.state === "known" && typeof read.value === "string" && values.includes(read.value.toLowerCase());
    return { state: "known", value, field: read.field };
}

function nonAbsent<T>(reads: Read<T>[]): Read<T>[] {
    return reads.filter((r) => r.state !== "absent");
}

const READERS: Readonly<Record<string, CapacityReader>> = {
    "gcp:compute/instanceTemplate:InstanceTemplate": gcpTemplate,
    "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate": gcpTemplate,
    "gcp:compute/instance:Instance": gcpInstance,
    "aws:ec2/instance:Instance": ec2Instance,
    "azure-native:compute:VirtualMachine": azureVm,
    "azure-native:containerservice:AgentPool": aksAgentPool,
    "azure-native:containerservice:ManagedCluster": aksManagedCluster,
    "azure-native:machinelearningservices:OnlineDeployment": azureMlDeployment,
    "aws:eks/nodeGroup:NodeGroup": eksNodeGroup,
    "kubernetes:karpenter.sh/v1:NodePool": karpenterNodePool,
    "kubernetes:karpenter.sh/v1beta1:NodePool": karpenterNodePool,
};

/**
 * Accelerator SKUs by the clouds' naming: GCP g2/a2/a3/g4 (GPUs built in), Azure N-series,
 * AWS p/g (GPU), inf/trn (Neuron) and dl. Spot requirements apply to these.
 */
export function isAcceleratorSku(cloud: Cloud, sku: string): boolean {
    switch (cloud) {
        case "gcp":
            return /^(a2|a3|a4|g2|g4)-/i.test(sku);
        case "azure":
            return /^Standard_N/i.test(sku);
        case "aws":
            return /^(p\d|g\d|inf\d|trn\d|dl\d)/i.test(sku);
    }
}

/** Karpenter instance families with accelerators (same prefixes as the SKUs, without the size). */
export function isAcceleratorFamily(family: string): boolean {
    return /^(p\d|g\d|inf\d|trn\d|dl\d)/i.test(family);
}
