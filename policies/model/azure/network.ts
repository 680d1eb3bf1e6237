// Azure networking: public IPs, load balancers, network security groups and rules, VNets.
import { Kind } from "../kind";

export const AZURE_NET = {
    publicIp: "azure-native:network:PublicIPAddress",
    loadBalancer: "azure-native:network:LoadBalancer",
    securityGroup: "azure-native:network:NetworkSecurityGroup",
    securityRule: "azure-native:network:SecurityRule",
    virtualNetwork: "azure-native:network:VirtualNetwork",
} as const;

export const AZURE_NET_KINDS: ReadonlyArray<Kind> = [
    { name: "azure-public-ip", provider: "azure", types: [AZURE_NET.publicIp] },
    { name: "azure-load-balancer", provider: "azure", types: [AZURE_NET.loadBalancer] },
    { name: "azure-network-security-group", provider: "azure", types: [AZURE_NET.securityGroup] },
    { name: "azure-security-rule", provider: "azure", types: [AZURE_NET.securityRule] },
    { name: "azure-virtual-network", provider: "azure", types: [AZURE_NET.virtualNetwork] },
];
