// The pack's resource model: every kind of resource the rules and the cost engine know.
//
// How to add a kind: in the module of its provider area (policies/model/<provider>/<area>.ts, or a
// new one listed below), add its type tokens to the area's token table and a `Kind` to the area's
// list, declaring what the pack reads of it (see kind.ts): `compute` ("unpriced" until the engine
// prices it, so it is reported and never $0), `capacity` (SKUs and spot, for allowed-instance-types
// and spot-required; a new capacity kind name becomes a value spot-required's `kinds` accepts),
// `skuFrom`, `gcpIdentity`, `apiServer`, and `price` (its cost lines; the GCP pass runs GCP kinds'
// pricers, the other providers' kinds are priced in policies/cost/<provider>.ts).
// Everything below is derived from the list: the types the model knows, which compute is priced or
// not, the capacity readers and the rules that refuse what they cannot read. A type no kind knows
// is refused by the rules that guard what it may carry (guarded.data.json) and, if it runs
// machines, reported unpriced by the cost engine.
import { Capacity, Kind, Provider } from "./kind";
import { GCE_KINDS } from "./gcp/compute";
import { GKE_KINDS } from "./gcp/gke";
import { GCP_NET_KINDS } from "./gcp/network";
import { GCP_IAM_KINDS } from "./gcp/iam";
import { GCP_PLATFORM_KINDS } from "./gcp/platform";
import { GCP_NOTIFY_KINDS } from "./gcp/notify";
import { GCP_BUDGET_KINDS } from "./gcp/budgets";
import { GCP_MONITORING_KINDS } from "./gcp/monitoring";
import { GCP_BREAKER_KINDS } from "./gcp/breaker";
import { AZURE_COMPUTE_KINDS } from "./azure/compute";
import { AKS_KINDS } from "./azure/aks";
import { AZURE_ML_KINDS } from "./azure/ml";
import { AZURE_NET_KINDS } from "./azure/network";
import { AZURE_PLATFORM_KINDS } from "./azure/platform";
import { AZURE_NOTIFY_KINDS } from "./azure/notify";
import { AZURE_BUDGET_KINDS } from "./azure/budgets";
import { AZURE_MONITORING_KINDS } from "./azure/monitoring";
import { AZURE_FUNCTIONS_KINDS } from "./azure/breaker";
import { EKS_KINDS } from "./aws/eks";
import { EC2_KINDS } from "./aws/ec2";
import { AWS_NET_KINDS } from "./aws/network";
import { AWS_PLATFORM_KINDS } from "./aws/platform";
import { AWS_NOTIFY_KINDS } from "./aws/notify";
import { AWS_BUDGET_KINDS } from "./aws/budgets";
import { AWS_MONITORING_KINDS } from "./aws/monitoring";
import { KARPENTER_KINDS } from "./kubernetes/karpenter";
import { K8S_KINDS } from "./kubernetes/workloads";
import { K8S_OBSERVABILITY_KINDS } from "./kubernetes/observability";

export type { ApiServerAccess, Capacity, CapacitySpec, Cloud, GcpIdentity, Kind, PriceContext, Provider } from "./kind";

/** Every kind, by provider; the order is the order of capacity kinds in config schemas. */
export const KINDS: ReadonlyArray<Kind> = [
    ...GCE_KINDS,
    ...GKE_KINDS,
    ...GCP_NET_KINDS,
    ...GCP_IAM_KINDS,
    ...GCP_PLATFORM_KINDS,
    ...GCP_NOTIFY_KINDS,
    ...GCP_BUDGET_KINDS,
    ...GCP_MONITORING_KINDS,
    ...GCP_BREAKER_KINDS,
    ...AZURE_COMPUTE_KINDS,
    ...AKS_KINDS,
    ...AZURE_ML_KINDS,
    ...AZURE_NET_KINDS,
    ...AZURE_PLATFORM_KINDS,
    ...AZURE_NOTIFY_KINDS,
    ...AZURE_BUDGET_KINDS,
    ...AZURE_MONITORING_KINDS,
    ...AZURE_FUNCTIONS_KINDS,
    ...EKS_KINDS,
    ...EC2_KINDS,
    ...AWS_NET_KINDS,
    ...AWS_PLATFORM_KINDS,
    ...AWS_NOTIFY_KINDS,
    ...AWS_BUDGET_KINDS,
    ...AWS_MONITORING_KINDS,
    ...KARPENTER_KINDS,
    ...K8S_KINDS,
    ...K8S_OBSERVABILITY_KINDS,
];

const BY_TYPE: ReadonlyMap<string, Kind> = new Map(KINDS.flatMap((k) => k.types.map((t): [string, Kind] => [t, k])));

/** The kind that reads `type`, if the model knows it. */
export function kindOf(type: string): Kind | undefined {
    return BY_TYPE.get(type);
}

/** Every type token the model knows. */
export const KNOWN_TYPES: ReadonlySet<string> = new Set(BY_TYPE.keys());

/** The kinds of one provider, in registry order. */
export function kindsOf(provider: Provider): Kind[] {
    return KINDS.filter((k) => k.provider === provider);
}

/** Compute the cost engine does not price: reported `unpriced`, never counted as $0. */
export const UNPRICED_COMPUTE_TYPES: ReadonlyArray<string> = KINDS.filter((k) => k.compute === "unpriced").flatMap((k) => k.types);

/** The subset of a resource the readers need; PolicyResource and ResourceValidationArgs both fit. */
export interface TypedProps {
    readonly type: string;
    readonly props: unknown;
}

/** The blocks of capacity in a resource (none for a kind without a capacity reader). */
export function capacitiesOf(resource: TypedProps): Capacity[] {
    const capacity = kindOf(resource.type)?.capacity;
    return capacity ? capacity.read(resource.props) : [];
}

/** True when the model understands `type`'s compute: its SKU is read, here or where it refers to. */
export function understandsCapacity(type: string): boolean {
    const kind = kindOf(type);
    return kind !== undefined && (kind.capacity !== undefined || kind.skuFrom !== undefined);
}

const CAPACITY_SPECS = new Map(KINDS.flatMap((k) => (k.capacity ? [[k.capacity.kind, k.capacity] as const] : [])));

/** The capacity kinds config may name (spot-required's `kinds`), in registry order. */
export const CAPACITY_KINDS: ReadonlyArray<string> = [...CAPACITY_SPECS.keys()];

/** Capacity kinds that can be spot at all. */
export const SPOT_CAPABLE_KINDS: ReadonlyArray<string> = CAPACITY_KINDS.filter((k) => CAPACITY_SPECS.get(k)?.howToSpot !== undefined);

/** What to set to make a capacity kind spot. */
export function howToSpot(capacityKind: string): string | undefined {
    return CAPACITY_SPECS.get(capacityKind)?.howToSpot;
}
