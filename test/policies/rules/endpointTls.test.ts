import * as assert from "node:assert/strict";
import { endpointTls } from "../../../policies/rules/endpointTls";
import { UNKNOWN_STRING_SENTINEL } from "../../../policies/contract/keys";
import type { PlannedResource } from "../../../policies/evaluate";
import { assertNoViolations, assertOneViolation, runStackPolicy } from "../../helpers/policyArgs";
import { mutatedIn, planned, setPath, urnOf } from "../../helpers/policyFixtures";
import { assertNoValueIn, SENTINEL_KEY } from "../../helpers/policySecurityFixtures";

// Compliant stacks, one per cloud, shaped like what the components register with TLS on. Each
// case changes one thing in one resource.
const HTTPS_PROXY = "gcp:compute/targetHttpsProxy:TargetHttpsProxy";
const HTTP_PROXY = "gcp:compute/targetHttpProxy:TargetHttpProxy";
const FORWARDING = "gcp:compute/globalForwardingRule:GlobalForwardingRule";

function gcpStack(): PlannedResource[] {
    return [
        planned(HTTPS_PROXY, "gcp-https-proxy", { project: "acme-llm-prod", urlMap: UNKNOWN_STRING_SENTINEL, sslCertificates: [UNKNOWN_STRING_SENTINEL] }),
        planned(
            FORWARDING,
            "gcp-forwarding",
            { project: "acme-llm-prod", target: UNKNOWN_STRING_SENTINEL, ipProtocol: "TCP", portRange: "443", loadBalancingScheme: "EXTERNAL_MANAGED" },
            { target: [urnOf(HTTPS_PROXY, "gcp-https-proxy")] },
        ),
    ];
}

/** The same front end over plain HTTP: what gcpSpotL4 registers without a domain. */
function gcpHttpStack(): PlannedResource[] {
    return [
        planned(HTTP_PROXY, "gcp-http-proxy", { project: "acme-llm-prod", urlMap: UNKNOWN_STRING_SENTINEL }),
        planned(
            FORWARDING,
            "gcp-forwarding",
            { project: "acme-llm-prod", target: UNKNOWN_STRING_SENTINEL, ipProtocol: "TCP", portRange: "443", loadBalancingScheme: "EXTERNAL_MANAGED" },
            { target: [urnOf(HTTP_PROXY, "gcp-http-proxy")] },
        ),
    ];
}

function awsStack(): PlannedResource[] {
    const lb = "aws:lb/loadBalancer:LoadBalancer";
    return [
        planned(lb, "eks-nlb", { region: "us-west-2", loadBalancerType: "network", internal: false }),
        planned(
            "aws:lb/listener:Listener",
            "eks-https",
            { region: "us-west-2", loadBalancerArn: UNKNOWN_STRING_SENTINEL, port: 443, protocol: "TLS", certificateArn: UNKNOWN_STRING_SENTINEL, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN_STRING_SENTINEL }] },
            { loadBalancerArn: [urnOf(lb, "eks-nlb")] },
        ),
    ];
}

function azureVmStack(): PlannedResource[] {
    const rule = (name: string, port: string, sources: string[]) => ({
        name,
        priority: 100,
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        sourceAddressPrefixes: sources,
        sourcePortRange: "*",
        destinationAddressPrefix: "*",
        destinationPortRange: port,
    });
    return [
        planned("azure-native:network:VirtualNetwork", "vm-vnet", { addressSpace: { addressPrefixes: ["10.30.0.0/16"] } }),
        planned("azure-native:network:PublicIPAddress", "vm-ip", { publicIPAllocationMethod: "Static" }),
        planned("azure-native:network:NetworkSecurityGroup", "vm-nsg", {
            securityRules: [rule("allow-model-clients", "443", ["203.0.113.0/24"]), rule("allow-vnet-metrics", "8000", ["10.30.1.0/24"])],
        }),
    ];
}

function k8sStack(): PlannedResource[] {
    return [
        planned("kubernetes:core/v1:Service", "aks-service", {
            metadata: { name: "model-server", namespace: "llm-serving", labels: { "app.kubernetes.io/component": "model-server" } },
            spec: { type: "LoadBalancer", ports: [{ name: "https", port: 443, targetPort: "https" }], loadBalancerSourceRanges: ["203.0.113.0/24"] },
        }),
    ];
}

const CASES: ReadonlyArray<{ what: string; stack: () => PlannedResource[]; name: string; mutate: (i: Record<string, unknown>) => void; parts: string[] }> = [
    { what: "a GCP forwarding rule on port 80", stack: gcpStack, name: "gcp-forwarding", mutate: (i) => (i.portRange = "80"), parts: ["portRange is 80", "443", "llm-serving:tlsCertificate"] },
    {
        what: "a GCP forwarding rule whose target is a TargetHttpProxy self link",
        stack: gcpStack,
        name: "gcp-forwarding",
        mutate: (i) => (i.target = "projects/acme-llm-prod/global/targetHttpProxies/gcp-http-proxy"),
        parts: ["TargetHttpProxy", "TargetHttpsProxy"],
    },
    { what: "an AWS NLB listener on plain TCP", stack: awsStack, name: "eks-https", mutate: (i) => ((i.protocol = "TCP"), (i.port = 80)), parts: ["protocol is TCP", "TLS", "domain"] },
    {
        what: "an Azure NSG admitting the plaintext model port from client CIDRs beside a public IP",
        stack: azureVmStack,
        name: "vm-nsg",
        mutate: (i) => setPath(i, ["securityRules", 0, "destinationPortRange"], "8000"),
        parts: ["allow-model-clients", "plaintext port 8000", "outside the virtual network", "admit 443"],
    },
    {
        what: "a model server LoadBalancer Service on port 80",
        stack: k8sStack,
        name: "aks-service",
        mutate: (i) => setPath(i, ["spec", "ports", 0, "port"], 80),
        parts: ["exposes port 80", "443 only", "llm-serving:tlsPrivateKey"],
    },
];

describe("policy endpoint-tls", () => {
    for (const c of CASES) {
        it(`passes the compliant stack and blocks ${c.what}`, async () => {
            assertNoViolations(await runStackPolicy(endpointTls, c.stack()));
            const resources = mutatedIn(c.stack(), c.name, c.mutate);
            const target = resources.find((r) => r.name === c.name)!;
            const reported = await runStackPolicy(endpointTls, resources);
            assertOneViolation(reported, c.parts, target.urn);
            assertNoValueIn(reported);
        });
    }

    it("blocks a forwarding rule wired to a TargetHttpProxy even while its target is unknown at preview", async () => {
        assertOneViolation(await runStackPolicy(endpointTls, gcpHttpStack(), {}, { preview: true }), ["targets a TargetHttpProxy"]);
    });

    it("leaves internal forwarding rules, internal NLBs and HTTP-to-HTTPS redirects alone", async () => {
        const internalGcp = mutatedIn(gcpHttpStack(), "gcp-forwarding", (i) => ((i.loadBalancingScheme = "INTERNAL_MANAGED"), (i.portRange = "80")));
        assertNoViolations(await runStackPolicy(endpointTls, internalGcp));
        const internalNlb = mutatedIn(mutatedIn(awsStack(), "eks-nlb", (i) => (i.internal = true)), "eks-https", (i) => (i.protocol = "TCP"));
        assertNoViolations(await runStackPolicy(endpointTls, internalNlb));
        const redirect = mutatedIn(awsStack(), "eks-https", (i) => ((i.protocol = "HTTP"), (i.defaultActions = [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443" } }])));
        assertNoViolations(await runStackPolicy(endpointTls, redirect));
    });

    it("lets the plaintext model port stay open inside the VNet, and anywhere when the stack has no public IP", async () => {
        const vnetOnly = mutatedIn(azureVmStack(), "vm-nsg", (i) => {
            setPath(i, ["securityRules", 0, "destinationPortRange"], "8000");
            setPath(i, ["securityRules", 0, "sourceAddressPrefixes"], ["10.30.0.0/16"]);
        });
        assertNoViolations(await runStackPolicy(endpointTls, vnetOnly));
        const noPublicIp = mutatedIn(azureVmStack(), "vm-nsg", (i) => setPath(i, ["securityRules", 0, "destinationPortRange"], "8000")).filter(
            (r) => r.type !== "azure-native:network:PublicIPAddress",
        );
        assertNoViolations(await runStackPolicy(endpointTls, noPublicIp));
    });

    it("ignores LoadBalancer Services that are not model servers", async () => {
        const other = mutatedIn(k8sStack(), "aks-service", (i) => {
            setPath(i, ["metadata", "labels"], { app: "grafana" });
            setPath(i, ["spec", "ports", 0, "port"], 80);
        });
        assertNoViolations(await runStackPolicy(endpointTls, other));
    });

    it("reports a listener protocol unknown at preview instead of skipping it", async () => {
        const resources = mutatedIn(awsStack(), "eks-https", (i) => (i.protocol = UNKNOWN_STRING_SENTINEL));
        assertOneViolation(await runStackPolicy(endpointTls, resources, {}, { preview: true }), ["protocol is unknown at preview"]);
    });

    it("never prints a value, even one planted where a port name goes", async () => {
        const resources = mutatedIn(k8sStack(), "aks-service", (i) => setPath(i, ["spec", "ports", 0], { name: SENTINEL_KEY, port: 8000 }));
        const reported = await runStackPolicy(endpointTls, resources);
        assert.equal(reported.length, 1);
        assertNoValueIn(reported);
    });
});
