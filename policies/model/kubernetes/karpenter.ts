// Karpenter on EKS: NodePools and EC2NodeClasses. A NodePool's requirements are read here and only
// here: the SKU allow-list, spot-required, the interruption-queue rule and the cost engine all see
// the same instance types and the same capacity types.
import { CAPACITY_TYPE_LABEL, INSTANCE_FAMILY_LABEL, INSTANCE_SIZE_LABEL, INSTANCE_TYPE_LABEL } from "../../contract/keys";
import { COMPLETE_AWS_FAMILIES, CATALOG } from "../../cost/catalog";
import { Capacity, Kind } from "../kind";
import { FieldRead, Read, Typed, readArray, readString, readStringList } from "../read";

export const KARPENTER = {
    nodePool: "kubernetes:karpenter.sh/v1:NodePool",
    nodePoolV1beta1: "kubernetes:karpenter.sh/v1beta1:NodePool",
    ec2NodeClass: "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass",
    ec2NodeClassV1beta1: "kubernetes:karpenter.k8s.aws/v1beta1:EC2NodeClass",
} as const;

export const NODE_POOL_TYPES: ReadonlyArray<string> = [KARPENTER.nodePool, KARPENTER.nodePoolV1beta1];
export const EC2_NODE_CLASS_TYPES: ReadonlyArray<string> = [KARPENTER.ec2NodeClass, KARPENTER.ec2NodeClassV1beta1];

const KEY_TYPE = INSTANCE_TYPE_LABEL;
const KEY_FAMILY = INSTANCE_FAMILY_LABEL;
const KEY_SIZE = INSTANCE_SIZE_LABEL;
const KEY_CAPACITY = CAPACITY_TYPE_LABEL;

/** The keys that decide what a NodePool launches and how it is bought; other keys only narrow it. */
const DECIDING_KEYS: ReadonlyArray<string> = [KEY_TYPE, KEY_FAMILY, KEY_SIZE, KEY_CAPACITY];

export const REQUIREMENTS_PATH = ["spec", "template", "spec", "requirements"];
const REQUIREMENTS_FIELD = "spec.template.spec.requirements";

/** The In/NotIn sets of one requirement key; In sets intersect (requirements are ANDed). */
export interface KeyConstraint {
    in?: Set<string>;
    notIn: Set<string>;
    none: boolean; // DoesNotExist on a well-known label: nothing can launch
}

export type Requirements = Map<string, KeyConstraint>;

/** A value the requirements cannot be read without: unknown at preview, or of the wrong type. */
export interface RequirementProblem {
    readonly read: Extract<Typed<unknown>, { state: "unknown" } | { state: "invalid" }>;
    /** What it is, for messages: "requirement key", "values of requirement <key>"... */
    readonly what: string;
    /** The requirement's key when known; undefined when the list, the element or its key is unreadable. */
    readonly key?: string;
}

export interface NodePoolRequirements {
    /** The constraints of the deciding keys whose requirements could be read. */
    readonly constraints: Requirements;
    /** Every unreadable requirement, in order; the first is what the cost engine reports. */
    readonly problems: ReadonlyArray<RequirementProblem>;
    /** The values of instance-family In requirements, as written (before intersecting). */
    readonly familiesIn: ReadonlyArray<Read<string>>;
}

function problem(read: Typed<unknown> | FieldRead, what: string, key?: string): RequirementProblem | undefined {
    return read.state === "unknown" || read.state === "invalid" ? { read, what, key } : undefined;
}

/**
 * Reads a NodePool's requirements. Exists, Gt and Lt only narrow the set further, so they are
 * kept as unconstrained entries and an upper bound results; values of keys that do not decide the
 * instance or capacity type are not read.
 */
export function readRequirements(props: unknown): NodePoolRequirements {
    const constraints: Requirements = new Map();
    const problems: RequirementProblem[] = [];
    const familiesIn: Read<string>[] = [];
    const list = readArray(props, REQUIREMENTS_PATH);
    const listProblem = problem(list, "requirements");
    if (listProblem) return { constraints, problems: [listProblem], familiesIn };
    if (list.state !== "known") return { constraints, problems, familiesIn };
    for (let i = 0; i < list.value.length; i++) {
        const key = readString(props, [...REQUIREMENTS_PATH, i, "key"]);
        const op = readString(props, [...REQUIREMENTS_PATH, i, "operator"]);
        const keyProblem = problem(key, "requirement key");
        if (keyProblem) {
            problems.push(keyProblem);
            continue;
        }
        const opProblem = problem(op, "requirement operator", key.state === "known" ? key.value : undefined);
        if (opProblem) {
            problems.push(opProblem);
            continue;
        }
        if (key.state !== "known" || op.state !== "known" || !DECIDING_KEYS.includes(key.value)) continue;
        const values = readStringList(props, [...REQUIREMENTS_PATH, i, "values"]);
        const valuesProblem = problem(values, `values of requirement ${key.value}`, key.value);
        if (valuesProblem) {
            problems.push(valuesProblem);
            continue;
        }
        const vals = values.state === "known" ? values.value : [];
        if (key.value === KEY_FAMILY && op.value === "In") {
            familiesIn.push(...vals.map((v, j): Read<string> => ({ state: "known", value: v, field: `${values.field}[${j}]` })));
        }
        const c = constraints.get(key.value) ?? { notIn: new Set<string>(), none: false };
        if (op.value === "In") c.in = c.in ? new Set(vals.filter((v) => c.in!.has(v))) : new Set(vals);
        if (op.value === "NotIn") vals.forEach((v) => c.notIn.add(v));
        if (op.value === "DoesNotExist") c.none = true;
        constraints.set(key.value, c);
    }
    return { constraints, problems, familiesIn };
}

const familyOf = (sku: string) => sku.split(".")[0];
const sizeOf = (sku: string) => sku.split(".").slice(1).join(".");
const admits = (c: KeyConstraint | undefined, v: string) => !c || (!c.none && (!c.in || c.in.has(v)) && !c.notIn.has(v));

/**
 * The instance types the requirements allow, as a finite list, or a reason why the list cannot be
 * narrowed to types the catalog knows (Karpenter may launch any EC2 type not excluded).
 */
export function allowedInstanceTypes(reqs: Requirements): { types: string[] } | { reason: string } {
    const typeC = reqs.get(KEY_TYPE);
    const familyC = reqs.get(KEY_FAMILY);
    const sizeC = reqs.get(KEY_SIZE);
    let candidates: string[];
    if (typeC?.in) {
        candidates = [...typeC.in];
    } else if (familyC?.in) {
        candidates = [];
        for (const family of familyC.in) {
            if (sizeC?.in) {
                candidates.push(...[...sizeC.in].map((s) => `${family}.${s}`));
            } else if (COMPLETE_AWS_FAMILIES.has(family)) {
                candidates.push(...new Set(CATALOG.filter((e) => e.cloud === "aws" && familyOf(e.sku) === family).map((e) => e.sku)));
            } else {
                return { reason: `instance family ${family} has sizes the catalog does not price; narrow it with ${KEY_SIZE} or ${KEY_TYPE}` };
            }
        }
    } else {
        return { reason: `requirements do not restrict ${KEY_TYPE} or ${KEY_FAMILY} with In, so Karpenter may launch instance types the catalog does not price` };
    }
    const types = [...new Set(candidates)].filter((t) => admits(typeC, t) && admits(familyC, familyOf(t)) && admits(sizeC, sizeOf(t)));
    return types.length > 0 ? { types } : { reason: "requirements admit no instance type" };
}

/** The capacity types the requirements admit (no capacity-type requirement: Karpenter's default set). */
function capacityTypes(reqs: Requirements): string[] {
    const c = reqs.get(KEY_CAPACITY);
    return ["spot", "on-demand", "reserved"].filter((k) => admits(c, k));
}

/** Spot only: the requirements admit spot and nothing else (how the engine prices the pool). */
export function spotOnly(reqs: Requirements): boolean {
    const kinds = capacityTypes(reqs);
    return kinds.length === 1 && kinds[0] === "spot";
}

/**
 * Whether the pool may launch spot nodes: a capacity-type requirement that admits spot, or one
 * that cannot be read. Without any capacity-type requirement Karpenter launches on-demand only.
 */
export function mayLaunchSpot(reqs: NodePoolRequirements): boolean {
    if (reqs.problems.some((p) => p.key === undefined || p.key === KEY_CAPACITY)) return true;
    return reqs.constraints.has(KEY_CAPACITY) && capacityTypes(reqs.constraints).includes("spot");
}

function asUnknown(p: RequirementProblem): Read<never> {
    return { state: "unknown", field: p.read.field };
}

/**
 * A NodePool's SKUs are the instance types its requirements admit (In sets intersect, NotIn
 * removes, an instance-family In expands to the family's sizes), exactly the types the cost cap
 * prices. An unreadable requirement could pin anything: its SKU and spot setting are unknown.
 */
function nodePoolCapacity(props: unknown): Capacity[] {
    const reqs = readRequirements(props);
    const base = {
        cloud: "aws" as const,
        kind: "karpenter-node-pool",
        at: "",
        skuField: `${REQUIREMENTS_FIELD}[key=${KEY_TYPE}]`,
        spotField: `${REQUIREMENTS_FIELD}[key=${KEY_CAPACITY}]`,
        families: reqs.familiesIn,
        hasGuestAccelerators: false,
        unpinnedMayBeAccelerated: true,
    };
    if (reqs.problems.length > 0) {
        const unknowns = reqs.problems.map(asUnknown);
        return [{ ...base, skus: unknowns, spot: unknowns[0] }];
    }
    const admitted = allowedInstanceTypes(reqs.constraints);
    const skus: Read<string>[] = "types" in admitted ? admitted.types.map((t) => ({ state: "known", value: t, field: `${REQUIREMENTS_FIELD}[key=${KEY_TYPE}]` })) : [];
    return [{ ...base, skus, spot: { state: "known", value: spotOnly(reqs.constraints), field: `${REQUIREMENTS_FIELD}[key=${KEY_CAPACITY}]` } }];
}

export const KARPENTER_KINDS: ReadonlyArray<Kind> = [
    {
        name: "karpenter-node-pool",
        provider: "kubernetes",
        types: NODE_POOL_TYPES,
        compute: "priced",
        capacity: { kind: "karpenter-node-pool", howToSpot: 'add the requirement karpenter.sh/capacity-type In ["spot"] (spot only, with the interruption queue)', read: nodePoolCapacity },
    },
    { name: "karpenter-ec2-node-class", provider: "kubernetes", types: EC2_NODE_CLASS_TYPES },
];
