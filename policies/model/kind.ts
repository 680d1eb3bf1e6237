// What a resource kind module declares. One module per provider area (policies/model/<provider>/)
// owns the Pulumi type tokens of its kinds and how the pack reads them; the rules and the cost
// engine ask the registry (policies/model/index.ts) instead of listing type strings of their own.
import type { StackIndex } from "../cost/graph";
import type { Sink } from "../cost/pricing";
import type { Read } from "./read";

export type Provider = "gcp" | "azure" | "aws" | "kubernetes";
export type Cloud = "gcp" | "azure" | "aws";

/** One block of capacity inside a resource (a ManagedCluster carries several pools). */
export interface Capacity {
    readonly cloud: Cloud;
    /** The capacity kind config refers to (spot-required's `kinds`), e.g. "aks-agent-pool". */
    readonly kind: string;
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
    /** A pool that may launch types nobody pinned (Karpenter without types or families) counts as accelerated. */
    readonly unpinnedMayBeAccelerated?: boolean;
}

/** How a kind's capacity is read for the SKU allow-list and spot-required. */
export interface CapacitySpec {
    /** The capacity kind its blocks report (several resource kinds may share one, e.g. AKS pools). */
    readonly kind: string;
    /** What to set to make it spot, for messages; absent when the kind has no spot option. */
    readonly howToSpot?: string;
    readonly read: (props: unknown) => Capacity[];
}

/** The service account a GCP kind's machines run as (gcp-no-default-service-account). */
export interface GcpIdentity {
    /** The identity block; absent means the machines run with no identity at all. */
    readonly account: Read;
    /** The account's email (absent: the default compute account). */
    readonly email: Read;
    /** The OAuth scopes the machines get. */
    readonly scopes: Read;
    /** The property whose dependencies show the account comes from this stack. */
    readonly dependencyProp: string;
}

/** How a cluster's Kubernetes API server is reachable (api-server-not-public). */
export type ApiServerAccess =
    | { readonly state: "private" }
    | { readonly state: "unknown"; readonly field: string }
    /** Public, limited to `ranges` (empty or absent: open to anyone); `fix` says how to close it. */
    | { readonly state: "public"; readonly ranges: Read; readonly fix: string };

/** What a kind's own pricing gets besides the stack and the sink. */
export interface PriceContext {
    /** Counts VMs of a region for the shared per-VM fees (GCP Cloud NAT). */
    readonly countVms: (region: string | undefined, min: number, max: number) => void;
}

export interface Kind {
    /** A stable name for messages and tests, e.g. "gcp-instance-template". */
    readonly name: string;
    readonly provider: Provider;
    /** The Pulumi type tokens read this way. */
    readonly types: ReadonlyArray<string>;
    /**
     * It runs machines that are billed: `priced` by the cost engine, or `unpriced`, reported as such
     * (never $0) so a stack that adds one is blocked until the engine learns it.
     */
    readonly compute?: "priced" | "unpriced";
    /** Its SKUs and spot setting. */
    readonly capacity?: CapacitySpec;
    /** It carries a node count but runs the SKU of the kind named here (a MIG runs its template). */
    readonly skuFrom?: string;
    /** The GCP service account its machines run as. */
    readonly gcpIdentity?: (props: unknown) => GcpIdentity;
    /** How its Kubernetes API server is exposed. */
    readonly apiServer?: (props: unknown) => ApiServerAccess;
    /**
     * Prices the stack's resources of this kind (index.ofType(...types)). Run once per estimate in
     * its provider's pass, in registry order; so far only the GCP pass runs kind pricers (after
     * the VMs, so a kind can add its VMs to Cloud NAT's count). The other kinds are priced by their
     * provider module under policies/cost/, which reads several kinds together (groups with their
     * templates and autoscalers).
     */
    readonly price?: (index: StackIndex, sink: Sink, context: PriceContext) => void;
}
