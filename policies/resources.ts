// Where each kind of compute capacity keeps its SKU and its spot setting, read without throwing on
// unknowns. Used by allowed-instance-types and spot-required. A Karpenter NodePool's instance types
// come from the cost engine's own reading of its requirements, so the two never disagree.
import { PolicyResource } from "@pulumi/policy";
import type { CostInputResource } from "./cost/estimate";
import { allowedInstanceTypes as karpenterInstanceTypes } from "./cost/karpenter";
import { Read, asNumber, asString, readAt, readElements } from "./model/read";

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
    "ec2-launch-template",
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

/**
 * A launch template may leave the instance type to whatever launches from it (an EKS node group's
 * instanceTypes, checked there); when it names one, that type is capacity like an instance's.
 */
function ec2LaunchTemplate(props: unknown): Capacity[] {
    const sku = asString(readAt(props, ["instanceType"]));
    if (sku.state === "absent") {
        return [];
    }
    return [{ ...ec2Instance(props)[0], kind: "ec2-launch-template" }];
}

const INSTANCE_TYPE_KEY = "node.kubernetes.io/instance-type";
const INSTANCE_FAMILY_KEY = "karpenter.k8s.aws/instance-family";
const CAPACITY_TYPE_KEY = "karpenter.sh/capacity-type";
const REQUIREMENTS = ["spec", "template", "spec", "requirements"];

/** The In/NotIn sets of one requirement key, as the cost engine keeps them. */
interface KeyConstraint {
    in?: Set<string>;
    notIn: Set<string>;
    none: boolean;
}

/**
 * A NodePool's SKUs are the instance types its requirements admit, worked out by the cost engine's
 * own function (In sets intersect, NotIn removes, an instance-family In expands to the family's
 * sizes), so the allow-list sees exactly the types the cost cap prices. Spot means the
 * requirements admit spot and nothing else, as the engine prices it.
 */
function karpenterNodePool(props: unknown): Capacity[] {
    const requirements = readElements(props, REQUIREMENTS);
    const field = "spec.template.spec.requirements";
    if (!Array.isArray(requirements)) {
        const unknownOrNone = requirements.state === "unknown" ? [requirements] : [];
        return [nodePool(unknownOrNone, unknownOrNone, requirements.state === "unknown" ? requirements : { state: "known", value: false, field })];
    }
    const unknowns: Read<string>[] = [];
    const families: Read<string>[] = [];
    const constraints = new Map<string, KeyConstraint>();
    for (const requirement of requirements) {
        if (requirement.state !== "known") {
            // An unknown requirement could pin anything: treat it as an unknown SKU and spot setting.
            unknowns.push({ state: "unknown", field: requirement.field });
            continue;
        }
        const key = asString(readAt(requirement.value, ["key"], requirement.field));
        const operator = asString(readAt(requirement.value, ["operator"], requirement.field));
        if (key.state === "unknown" || operator.state === "unknown") {
            unknowns.push(key.state === "unknown" ? key : operator);
            continue;
        }
        if (key.state !== "known" || operator.state !== "known") {
            continue;
        }
        const values = stringList(requirement.value, ["values"], requirement.field);
        const unknownValue = values.find((v) => v.state === "unknown");
        if (unknownValue) {
            unknowns.push(unknownValue);
            continue;
        }
        const known = values.flatMap((v) => (v.state === "known" ? [v.value] : []));
        if (key.value === INSTANCE_FAMILY_KEY && operator.value === "In") {
            families.push(...values);
        }
        const c = constraints.get(key.value) ?? { notIn: new Set<string>(), none: false };
        if (operator.value === "In") c.in = c.in ? new Set(known.filter((v) => c.in!.has(v))) : new Set(known);
        if (operator.value === "NotIn") known.forEach((v) => c.notIn.add(v));
        if (operator.value === "DoesNotExist") c.none = true;
        constraints.set(key.value, c);
    }
    if (unknowns.length > 0) {
        return [nodePool(unknowns, families, unknowns[0] as Read<boolean>)];
    }
    const admitted = karpenterInstanceTypes(constraints);
    const skus: Read<string>[] = "types" in admitted ? admitted.types.map((t) => ({ state: "known", value: t, field: `${field}[key=${INSTANCE_TYPE_KEY}]` })) : [];
    const capacity = constraints.get(CAPACITY_TYPE_KEY);
    const admits = (v: string) => !capacity || (!capacity.none && (!capacity.in || capacity.in.has(v)) && !capacity.notIn.has(v));
    const kinds = ["spot", "on-demand", "reserved"].filter(admits);
    const spot: Read<boolean> = { state: "known", value: kinds.length === 1 && kinds[0] === "spot", field: `${field}[key=${CAPACITY_TYPE_KEY}]` };
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
    "aws:ec2/launchTemplate:LaunchTemplate": ec2LaunchTemplate,
    "azure-native:compute:VirtualMachine": azureVm,
    "azure-native:containerservice:AgentPool": aksAgentPool,
    "azure-native:containerservice:ManagedCluster": aksManagedCluster,
    "azure-native:machinelearningservices:OnlineDeployment": azureMlDeployment,
    "aws:eks/nodeGroup:NodeGroup": eksNodeGroup,
    "kubernetes:karpenter.sh/v1:NodePool": karpenterNodePool,
    "kubernetes:karpenter.sh/v1beta1:NodePool": karpenterNodePool,
};

/**
 * Types that carry a node count but take their SKU from another resource the readers do check:
 * a GCP instance group runs its instance template (versions[].instanceTemplate).
 */
const SKU_BY_REFERENCE: ReadonlySet<string> = new Set([
    "gcp:compute/instanceGroupManager:InstanceGroupManager",
    "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager",
]);

/** True when the readers understand `type`'s compute: its SKU is read here or where it refers to. */
export function understandsCapacity(type: string): boolean {
    return Object.hasOwn(READERS, type) || SKU_BY_REFERENCE.has(type);
}

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
