import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { elementsOf, portsInExpression, readIn, stringOf, stringReads } from "../inspect";
import { AWS_LISTENERS as AWS_LISTENER_TYPES, AWS_LOAD_BALANCERS as AWS_LOAD_BALANCER_TYPES } from "../model/aws/network";
import { AZURE_NET } from "../model/azure/network";
import { GCP_NET } from "../model/gcp/network";
import { K8S } from "../model/kubernetes/workloads";
import { Read, readAt } from "../model/read";
import { urnName } from "../stackCost";

export interface EndpointTlsConfig {
    plaintextPorts?: number[];
}

/** Ports a model endpoint answers plain HTTP on: nginx route guards, vLLM, HTTP load balancers. */
const DEFAULT_PLAINTEXT_PORTS = [80, 8000, 8080];
const TLS_PORT = 443;

const GCP_FORWARDING_RULE = GCP_NET.globalForwardingRule;
const GCP_HTTP_PROXY = GCP_NET.targetHttpProxy;
const AWS_LISTENERS: ReadonlySet<string> = new Set(AWS_LISTENER_TYPES);
const AWS_LOAD_BALANCERS: ReadonlySet<string> = new Set(AWS_LOAD_BALANCER_TYPES);
const AZURE_NSG = AZURE_NET.securityGroup;
const AZURE_RULE = AZURE_NET.securityRule;
const AZURE_PUBLIC_IP = AZURE_NET.publicIp;
const AZURE_VNET = AZURE_NET.virtualNetwork;
const K8S_SERVICE = K8S.service;
/** Label the model-server builders put on their Services (components/k8s/modelServer.ts). */
const MODEL_SERVER_LABEL = ["app.kubernetes.io/component", "model-server"] as const;

const HOW =
    "Set the target's domain with a certificate source (gcpSpotL4: a Google-managed certificate; aksGpu: acme; eksInf2: acmCertificateArn; any target: llm-serving:tlsCertificate and llm-serving:tlsPrivateKey set with pulumi config set --secret) and remove plaintextHttp: true, which is for development only";

/**
 * A public model endpoint serves HTTPS only: clients send the API key as a bearer token, and
 * over plain HTTP it crosses the internet in clear (origin: CKV_AWS_2/CKV_AWS_103 for load balancer
 * listeners, CKV_GCP's HTTPS-proxy checks, OWASP API security). Checked where each target faces
 * the internet: GCP external managed forwarding rules must reach a TargetHttpsProxy on 443; AWS
 * listeners of internet-facing load balancers must be TLS or HTTPS (or redirect only); an Azure
 * NSG in a stack with a public IP must not admit a plaintext model port from outside the virtual
 * network; a Kubernetes LoadBalancer Service of a model server must expose 443 only. Reads only
 * fields known at preview (types, ports, protocols, source ranges, dependencies); an unknown one
 * is reported, never skipped.
 */
export const endpointTls: StackValidationPolicy = {
    name: "endpoint-tls",
    description: "Public model endpoints must serve HTTPS: GCP forwarding rules to a TargetHttpsProxy on 443, AWS listeners TLS/HTTPS, no plaintext model port in an Azure NSG beside a public IP, Kubernetes model LoadBalancer Services on 443 only.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            plaintextPorts: {
                type: "array",
                items: { type: "integer", minimum: 1, maximum: 65535 },
                minItems: 1,
                uniqueItems: true,
                default: DEFAULT_PLAINTEXT_PORTS,
                description: "Ports on which a model endpoint speaks plain HTTP (checked on Azure NSG rules).",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const ports = args.getConfig<EndpointTlsConfig>().plaintextPorts ?? DEFAULT_PLAINTEXT_PORTS;
        const hasPublicIp = args.resources.some((r) => r.type === AZURE_PUBLIC_IP);
        const vnetRanges = args.resources
            .filter((r) => r.type === AZURE_VNET)
            .flatMap((r) => stringReads(readAt(r.props, ["addressSpace", "addressPrefixes"])))
            .flatMap((read) => (stringOf(read) !== undefined ? [stringOf(read)!] : []));
        for (const resource of args.resources) {
            const problems = check(resource, { ports, hasPublicIp, vnetRanges });
            if (problems.length > 0) {
                reportViolation(`${urnName(resource.urn)} [${resource.type}]: ${problems.join("; ")}. ${HOW}.`, resource.urn);
            }
        }
    },
};

interface Context {
    readonly ports: readonly number[];
    readonly hasPublicIp: boolean;
    readonly vnetRanges: readonly string[];
}

function check(resource: PolicyResource, ctx: Context): string[] {
    if (resource.type === GCP_FORWARDING_RULE) return gcpForwardingRule(resource);
    if (AWS_LISTENERS.has(resource.type)) return awsListener(resource);
    if (resource.type === AZURE_NSG && ctx.hasPublicIp) {
        const rules = readAt(resource.props, ["securityRules"]);
        return (rules.state === "unknown" ? [rules] : elementsOf(rules)).flatMap((rule) => azureRule(rule, ctx));
    }
    if (resource.type === AZURE_RULE && ctx.hasPublicIp) return azureRule({ state: "known", value: resource.props, field: "" }, ctx);
    if (resource.type === K8S_SERVICE) return k8sService(resource);
    return [];
}

function unknown(read: Read): string {
    return `${read.field} is unknown at preview, so whether the endpoint serves HTTPS cannot be checked (build it from config)`;
}

function gcpForwardingRule(rule: PolicyResource): string[] {
    const scheme = readAt(rule.props, ["loadBalancingScheme"]);
    if (scheme.state === "unknown") return [unknown(scheme)];
    if (stringOf(scheme) !== "EXTERNAL_MANAGED") return [];
    const problems: string[] = [];
    const target = readAt(rule.props, ["target"]);
    const viaDependency = (rule.propertyDependencies.target ?? []).some((d) => d.type === GCP_HTTP_PROXY);
    const viaLink = /\/targetHttpProxies\//.test(stringOf(target) ?? "");
    if (viaDependency || viaLink) {
        problems.push("targets a TargetHttpProxy (plain HTTP); it must target a TargetHttpsProxy");
    }
    const portRange = readAt(rule.props, ["portRange"]);
    if (portRange.state === "unknown") {
        problems.push(unknown(portRange));
    } else if (portRange.state === "absent" || !/^443(-443)?$/.test(String(portRange.value).trim())) {
        problems.push(`portRange is ${portRange.state === "absent" ? "not set" : String(portRange.value)}; it must be ${TLS_PORT}`);
    }
    return problems;
}

function awsListener(listener: PolicyResource): string[] {
    const lbs = (listener.propertyDependencies.loadBalancerArn ?? []).filter((d) => AWS_LOAD_BALANCERS.has(d.type));
    const internal = (lb: PolicyResource) => {
        const read = readAt(lb.props, ["internal"]);
        return read.state === "known" && read.value === true;
    };
    if (lbs.length > 0 && lbs.every(internal)) {
        return [];
    }
    const protocol = readAt(listener.props, ["protocol"]);
    if (protocol.state === "unknown") return [unknown(protocol)];
    const value = (stringOf(protocol) ?? "").toUpperCase();
    if (value === "TLS" || value === "HTTPS") return [];
    const actions = elementsOf(readAt(listener.props, ["defaultActions"]));
    if (actions.length > 0 && actions.every((a) => stringOf(readIn(a, ["type"])) === "redirect")) return [];
    return [`listener protocol is ${value || "not set"} (plain text); it must be TLS (network load balancer) or HTTPS with a certificate`];
}

function azureRule(rule: Read, ctx: Context): string[] {
    if (rule.state === "unknown") return [unknown(rule)];
    const direction = stringOf(readIn(rule, ["direction"]))?.toLowerCase();
    const access = stringOf(readIn(rule, ["access"]))?.toLowerCase();
    const protocol = (stringOf(readIn(rule, ["protocol"])) ?? "*").toLowerCase();
    if (direction !== "inbound" || access !== "allow" || !["tcp", "*", "6"].includes(protocol)) return [];
    const label = stringOf(readIn(rule, ["name"])) ?? rule.field;
    const portReads = [...stringReads(readIn(rule, ["destinationPortRange"])), ...stringReads(readIn(rule, ["destinationPortRanges"]))];
    const plaintext = new Set<number>();
    for (const p of portReads) {
        if (p.state === "unknown") return [unknown(p)];
        (portsInExpression(String(stringOf(p) ?? ""), ctx.ports) ?? ctx.ports).forEach((port) => plaintext.add(port));
    }
    if (plaintext.size === 0) return [];
    const sources = [...stringReads(readIn(rule, ["sourceAddressPrefix"])), ...stringReads(readIn(rule, ["sourceAddressPrefixes"]))];
    for (const source of sources) {
        if (source.state === "unknown") return [unknown(source)];
    }
    const outside = sources.some((s) => !insideVnet(String(stringOf(s) ?? "*"), ctx.vnetRanges));
    if (!outside && sources.length > 0) return [];
    return [`security rule ${label} admits plaintext port ${[...plaintext].join(", ")} from outside the virtual network while the stack has a public IP; admit ${TLS_PORT} instead`];
}

function k8sService(service: PolicyResource): string[] {
    const type = readAt(service.props, ["spec", "type"]);
    if (type.state === "unknown") return [unknown(type)];
    if (stringOf(type) !== "LoadBalancer") return [];
    const [key, value] = MODEL_SERVER_LABEL;
    const labelled = [["metadata", "labels", key], ["spec", "selector", key]].some((path) => stringOf(readAt(service.props, path)) === value);
    if (!labelled) return [];
    const ports = readAt(service.props, ["spec", "ports"]);
    if (ports.state === "unknown") return [unknown(ports)];
    const problems: string[] = [];
    for (const port of elementsOf(ports)) {
        const number = readIn(port, ["port"]);
        if (number.state === "unknown") problems.push(unknown(number));
        else if (number.state !== "known" || Number(number.value) !== TLS_PORT) {
            problems.push(`exposes port ${number.state === "known" ? String(number.value) : "(not set)"} through a public load balancer; a model server's Service must expose ${TLS_PORT} only, with the route guard terminating TLS`);
        }
    }
    return problems;
}

/** True for Azure's VirtualNetwork tag, and for an IPv4 range inside one of the stack's VNets. */
function insideVnet(source: string, vnetRanges: readonly string[]): boolean {
    if (source.toLowerCase() === "virtualnetwork") return true;
    const inner = parseCidr(source);
    return inner !== undefined && vnetRanges.some((r) => {
        const outer = parseCidr(r);
        return outer !== undefined && inner.bits >= outer.bits && (inner.base & mask(outer.bits)) >>> 0 === outer.base;
    });
}

function parseCidr(text: string): { base: number; bits: number } | undefined {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(text.trim());
    if (!m) return undefined;
    const octets = m.slice(1, 5).map(Number);
    if (octets.some((o) => o > 255)) return undefined;
    const bits = m[5] === undefined ? 32 : Number(m[5]);
    if (bits > 32) return undefined;
    const address = octets.reduce((acc, o) => ((acc << 8) | o) >>> 0, 0);
    return { base: (address & mask(bits)) >>> 0, bits };
}

function mask(bits: number): number {
    return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}
