// Kubernetes Services of type LoadBalancer: the load balancer the cloud makes for them, priced from
// the annotations the program writes (policies/contract/keys.ts).
import { CLOUD_ANNOTATION, REGION_ANNOTATION } from "../contract/keys";
import { fee, FeeName, usagePrice } from "./catalog";
import { StackIndex } from "./graph";
import { Sink } from "./pricing";
import { CostInputResource } from "./types";
import { K8S } from "../model/kubernetes/workloads";
import { readString } from "../model/read";
import { kindsOf } from "../model";

export const KUBERNETES_SERVICE = K8S.service;

/**
 * What one more LoadBalancer Service costs, per cloud: on AKS a public IP on the cluster's
 * existing Standard load balancer (priced with the cluster; a Service's rules fit in its first
 * five); on GCP a forwarding rule. AWS creates a Classic or Network load balancer depending on
 * controllers the pack cannot see: left unpriced, so the component must declare its NLB itself.
 */
const SERVICE_LOAD_BALANCER_FEES: Partial<Record<string, FeeName>> = {
    azure: "azure-standard-public-ip",
    gcp: "gcp-lb-forwarding-rule-first5",
};

/**
 * A Service of type LoadBalancer makes the cloud create a load balancer at run time, outside the
 * stack. Priced from its annotations; without them it is a cost the pack cannot know: unpriced.
 */
export function priceKubernetes(index: StackIndex, sink: Sink): void {
    for (const service of index.ofType(KUBERNETES_SERVICE)) priceLoadBalancerService(service, sink);
    // Kinds that price themselves (an HPA reading Managed Prometheus, issue #18).
    for (const kind of kindsOf("kubernetes")) kind.price?.(index, sink, { countVms: () => undefined }); // no Kubernetes kind here counts VMs
}

function priceLoadBalancerService(service: CostInputResource, sink: Sink): void {
    const type = readString(service.props, ["spec", "type"]);
    if (sink.unusable(service, type, "Service type")) return;
    if (type.state !== "known" || type.value !== "LoadBalancer") return;
    const cloud = readString(service.props, ["metadata", "annotations", CLOUD_ANNOTATION]);
    if (sink.unusable(service, cloud, "cloud annotation")) return;
    const name = cloud.state === "known" ? SERVICE_LOAD_BALANCER_FEES[cloud.value] : undefined;
    if (!name) {
        sink.issue(
            service,
            "unpriced",
            `a LoadBalancer Service makes the cloud create a load balancer at run time; annotate it with ${CLOUD_ANNOTATION} (azure or gcp) so the pack can price it, or declare the load balancer as a resource`,
            `metadata.annotations.${CLOUD_ANNOTATION}`,
        );
        return;
    }
    const region = readString(service.props, ["metadata", "annotations", REGION_ANNOTATION]);
    const f = fee(name);
    sink.line(service, {
        kind: "fixed",
        sku: f.name,
        region: region.state === "known" ? region.value : "-",
        countMin: 1,
        countMax: 1,
        hourlyUsd: f.hourlyUsd,
        pricing: "fee",
        basis: `LoadBalancer Service: the ${f.name} the cloud creates for it at run time, $${f.hourlyUsd}/h`,
    });
    const where = region.state === "known" ? region.value : "-";
    if (cloud.state === "known" && cloud.value === "azure") {
        const lb = usagePrice("azure-lb-processed");
        sink.usageLine(service, { sku: lb.name, region: where, quantity: sink.usage.loadBalancerProcessedGb, unitUsd: lb.usd, unit: "GB", basis: "data the cluster's load balancer processes for this Service (usage.loadBalancerProcessedGb)" });
    }
    const out = usagePrice(cloud.state === "known" && cloud.value === "gcp" ? "gcp-internet-egress" : "azure-internet-egress");
    sink.usageLine(service, { sku: out.name, region: where, quantity: sink.usage.internetEgressGb, unitUsd: out.usd, unit: "GB", basis: "responses leaving the cloud through this Service (usage.internetEgressGb)" });
}
