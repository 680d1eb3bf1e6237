// Google Kubernetes Engine: clusters and node pools.
//
// A node pool runs compute the cost engine does not price yet, so it is reported `unpriced` (never
// $0); it has no capacity or identity reader, so allowed-instance-types and
// gcp-no-default-service-account refuse it as not understood. Teaching the pack node pools means
// adding `capacity`, `gcpIdentity` and a `price` that covers them to the node pool kind here.
import { fee } from "../../cost/catalog";
import { Kind } from "../kind";

export const GKE = {
    cluster: "gcp:container/cluster:Cluster",
    nodePool: "gcp:container/nodePool:NodePool",
} as const;

export const GKE_KINDS: ReadonlyArray<Kind> = [
    {
        name: "gke-cluster",
        provider: "gcp",
        types: [GKE.cluster],
        price: (index, sink) => {
            for (const cluster of index.ofType(GKE.cluster)) {
                const f = fee("gke-cluster");
                sink.line(cluster, { kind: "fixed", sku: f.name, region: "-", countMin: 1, countMax: 1, hourlyUsd: f.hourlyUsd, pricing: "fee", basis: `GKE cluster management fee $${f.hourlyUsd}/h (the free-tier credit is not counted)` });
            }
        },
    },
    { name: "gke-node-pool", provider: "gcp", types: [GKE.nodePool], compute: "unpriced" },
];
