// GCP networking: load-balancer pieces, addresses, Cloud NAT, Cloud Armor, firewalls.
import { Kind } from "../kind";

export const GCP_NET = {
    globalForwardingRule: "gcp:compute/globalForwardingRule:GlobalForwardingRule",
    forwardingRule: "gcp:compute/forwardingRule:ForwardingRule",
    targetHttpProxy: "gcp:compute/targetHttpProxy:TargetHttpProxy",
    backendService: "gcp:compute/backendService:BackendService",
    securityPolicy: "gcp:compute/securityPolicy:SecurityPolicy",
    globalAddress: "gcp:compute/globalAddress:GlobalAddress",
    address: "gcp:compute/address:Address",
    routerNat: "gcp:compute/routerNat:RouterNat",
    firewall: "gcp:compute/firewall:Firewall",
} as const;

export const GCP_NET_KINDS: ReadonlyArray<Kind> = [
    { name: "gcp-forwarding-rule", provider: "gcp", types: [GCP_NET.globalForwardingRule, GCP_NET.forwardingRule] },
    { name: "gcp-target-http-proxy", provider: "gcp", types: [GCP_NET.targetHttpProxy] },
    { name: "gcp-backend-service", provider: "gcp", types: [GCP_NET.backendService] },
    { name: "gcp-security-policy", provider: "gcp", types: [GCP_NET.securityPolicy] },
    { name: "gcp-address", provider: "gcp", types: [GCP_NET.globalAddress, GCP_NET.address] },
    { name: "gcp-router-nat", provider: "gcp", types: [GCP_NET.routerNat] },
    { name: "gcp-firewall", provider: "gcp", types: [GCP_NET.firewall] },
];
