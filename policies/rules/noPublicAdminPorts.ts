import { ResourceValidationPolicy } from "@pulumi/policy";
import { sourceBreadth } from "../contract/cidr";
import { coversAny, elementsOf, portsInExpression, readIn, stringOf, stringReads } from "../inspect";
import { AWS_NET } from "../model/aws/network";
import { AZURE_NET } from "../model/azure/network";
import { GCP_NET } from "../model/gcp/network";
import { K8S } from "../model/kubernetes/workloads";
import { Read, readAt } from "../model/read";

export interface NoPublicAdminPortsConfig {
    ports?: number[];
    requireServiceSourceRanges?: boolean;
}

const DEFAULT_PORTS = [22, 8000];

/** Protocols that carry SSH or HTTP (or everything). */
function isTcpOrAll(protocol: string | undefined): boolean {
    const p = (protocol ?? "").toLowerCase();
    return p === "" || p === "tcp" || p === "6" || p === "all" || p === "-1" || p === "*";
}

/**
 * No firewall opens SSH or the model port to the whole internet: GCP firewall rules, Azure NSG
 * rules (inline and standalone), AWS security groups and their ingress rules, Kubernetes Services
 * of type LoadBalancer (origin: CKV_GCP_2, CKV2_GCP_12, CKV_AZURE_10, AVD-AZU-0050, CKV_AWS_24,
 * CKV_AWS_277). The public entry of each target is a proxy or load balancer on another port that
 * lets only the authenticated /v1/ routes through; the model port itself must stay private.
 */
export const noPublicAdminPorts: ResourceValidationPolicy = {
    name: "no-public-ssh-or-model-port",
    description: "SSH and the model port must not be open to the internet: 0.0.0.0/0, ::/0, * or Internet, or ranges that together admit more than a /8 (SSH: a /16) (GCP firewalls, Azure NSGs, AWS security groups, Kubernetes LoadBalancer Services).",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            ports: {
                type: "array",
                items: { type: "integer", minimum: 1, maximum: 65535 },
                minItems: 1,
                uniqueItems: true,
                default: DEFAULT_PORTS,
                description: "Ports never to open to the internet: SSH and the model server's port.",
            },
            requireServiceSourceRanges: {
                type: "boolean",
                default: false,
                description: "Also require loadBalancerSourceRanges on every LoadBalancer Service (no API-key-only public endpoints).",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        const config = args.getConfig<NoPublicAdminPortsConfig>();
        const ports = config.ports ?? DEFAULT_PORTS;
        const report = (message: string) => reportViolation(`${args.name} [${args.type}]: ${message}`, args.urn);
        const check = CHECKS[args.type];
        if (check) {
            check(args.props, ports, report, config);
        }
    },
};

type Check = (props: unknown, ports: number[], report: (m: string) => void, config: NoPublicAdminPortsConfig) => void;

function portList(ports: number[]): string {
    return ports.join(", ");
}

/** Ports judged by the admin limit (SSH, RDP); every other guarded port by the client limit. */
const ADMIN_PORTS: ReadonlyArray<number> = [22, 3389];

/**
 * How far a rule's sources reach: for each purpose, why it is too far (undefined: within). An
 * unknown source is reported and stops the check; sources are judged together, so that
 * `0.0.0.0/1` + `128.0.0.0/1` counts as `0.0.0.0/0`.
 */
interface Reach {
    readonly admin?: string;
    readonly client?: string;
}

function reachOf(sources: ReadonlyArray<Read>, report: (m: string) => void, what: string): Reach {
    const known: string[] = [];
    for (const source of sources) {
        if (source.state === "unknown") {
            report(`${source.field} is unknown at preview, so whether ${what} is open to the internet cannot be checked. Set the source ranges from config.`);
            return {};
        }
        if (source.state === "known") {
            known.push(typeof source.value === "string" ? source.value : "(not a string)");
        }
    }
    return { admin: sourceBreadth(known, "admin"), client: sourceBreadth(known, "client") };
}

/** The guarded ports among `exposed` that `reach` makes public, and why (the widest reason). */
function publicPorts(exposed: Iterable<number>, reach: Reach): { ports: number[]; why: string } | undefined {
    const ports = [...new Set(exposed)].filter((p) => (ADMIN_PORTS.includes(p) ? reach.admin : reach.client) !== undefined).sort((a, b) => a - b);
    if (ports.length === 0) return undefined;
    const why = ports.some((p) => !ADMIN_PORTS.includes(p)) ? reach.client! : reach.admin!;
    return { ports, why };
}

/** True when the sources reach further than either limit (worth looking at the ports). */
function reachesOut(reach: Reach): boolean {
    return reach.admin !== undefined || reach.client !== undefined;
}

const gcpFirewall: Check = (props, ports, report) => {
    const direction = stringOf(readAt(props, ["direction"]));
    if (direction !== undefined && direction.toUpperCase() !== "INGRESS") {
        return;
    }
    const sources = stringReads(readAt(props, ["sourceRanges"]));
    const allows = readAt(props, ["allows"]);
    const reach = reachOf(sources, report, "this rule");
    if (!reachesOut(reach)) {
        return;
    }
    const exposed = new Set<number>();
    for (const allow of allows.state === "unknown" ? [allows] : elementsOf(allows)) {
        if (allow.state === "unknown") {
            report(`${allow.field} is unknown at preview, so the ports it opens to the internet cannot be checked. Set them from config.`);
            continue;
        }
        if (!isTcpOrAll(stringOf(readIn(allow, ["protocol"])))) {
            continue;
        }
        const list = readIn(allow, ["ports"]);
        const expressions = list.state === "absent" ? [] : stringReads(list);
        if (expressions.length === 0) {
            ports.forEach((p) => exposed.add(p));
        }
        for (const e of expressions) {
            const covered = e.state === "known" ? portsInExpression(String(e.value), ports) : undefined;
            (covered ?? ports).forEach((p) => exposed.add(p));
        }
    }
    const open = publicPorts(exposed, reach);
    if (open) {
        report(`opens port ${portList(open.ports)} to the internet: sourceRanges admit ${open.why}. Admit only the Google front-end and health-check ranges (35.191.0.0/16, 130.211.0.0/22) and explicit client CIDRs.`);
    }
};

function azureRule(rule: Read, ports: number[], report: (m: string) => void): void {
    if (rule.state === "unknown") {
        report(`${rule.field} is unknown at preview, so it cannot be checked for ports open to the internet. Build the rules from config.`);
        return;
    }
    const direction = stringOf(readIn(rule, ["direction"]));
    const access = stringOf(readIn(rule, ["access"]));
    if (direction?.toLowerCase() !== "inbound" || access?.toLowerCase() !== "allow") {
        return;
    }
    if (!isTcpOrAll(stringOf(readIn(rule, ["protocol"])))) {
        return;
    }
    const sources = [...stringReads(readIn(rule, ["sourceAddressPrefix"])), ...stringReads(readIn(rule, ["sourceAddressPrefixes"]))];
    const label = stringOf(readIn(rule, ["name"])) ?? rule.field;
    const reach = reachOf(sources, report, `rule ${label}`);
    if (!reachesOut(reach)) {
        return;
    }
    const expressions = [...stringReads(readIn(rule, ["destinationPortRange"])), ...stringReads(readIn(rule, ["destinationPortRanges"]))];
    const exposed = new Set<number>();
    for (const e of expressions) {
        const covered = e.state === "known" ? portsInExpression(String(e.value), ports) : undefined;
        (covered ?? ports).forEach((p) => exposed.add(p));
    }
    const open = publicPorts(exposed, reach);
    if (open) {
        report(`security rule ${label} allows port ${portList(open.ports)} from the internet: its sources admit ${open.why}. Set sourceAddressPrefixes to the admin or client CIDRs (or drop the rule and use Bastion).`);
    }
}

const azureNsg: Check = (props, ports, report) => {
    const rules = readAt(props, ["securityRules"]);
    for (const rule of rules.state === "unknown" ? [rules] : elementsOf(rules)) {
        azureRule(rule, ports, report);
    }
};

const azureSecurityRule: Check = (props, ports, report) => {
    azureRule({ state: "known", value: props, field: "" }, ports, report);
};

/** One AWS ingress permission (inline block, SecurityGroupRule or SecurityGroupIngressRule). */
function awsPermission(read: Read, ports: number[], report: (m: string) => void, keys: { cidrs: string[]; protocol: string }): void {
    if (read.state === "unknown") {
        report(`${read.field} is unknown at preview, so it cannot be checked for ports open to the internet. Build it from config.`);
        return;
    }
    const protocol = readIn(read, [keys.protocol]);
    if (protocol.state === "known" && !isTcpOrAll(String(protocol.value))) {
        return;
    }
    const sources = keys.cidrs.flatMap((k) => stringReads(readIn(read, [k])));
    const reach = reachOf(sources, report, "this ingress");
    if (!reachesOut(reach)) {
        return;
    }
    const all = protocol.state === "known" && ["-1", "all"].includes(String(protocol.value).toLowerCase());
    const from = readIn(read, ["fromPort"]);
    const to = readIn(read, ["toPort"]);
    const exposed =
        all || from.state !== "known" || to.state !== "known" ? ports : coversAny(Number(from.value), Number(to.value), ports);
    const open = publicPorts(exposed, reach);
    if (open) {
        report(`ingress opens port ${portList(open.ports)} to the internet: its CIDRs admit ${open.why}. Restrict the CIDRs to admin or client ranges, or reference the load balancer's security group instead.`);
    }
}

const awsSecurityGroup: Check = (props, ports, report) => {
    const ingress = readAt(props, ["ingress"]);
    for (const rule of ingress.state === "unknown" ? [ingress] : elementsOf(ingress)) {
        awsPermission(rule, ports, report, { cidrs: ["cidrBlocks", "ipv6CidrBlocks"], protocol: "protocol" });
    }
};

const awsSecurityGroupRule: Check = (props, ports, report) => {
    if (stringOf(readAt(props, ["type"])) !== "ingress") {
        return;
    }
    awsPermission({ state: "known", value: props, field: "" }, ports, report, { cidrs: ["cidrBlocks", "ipv6CidrBlocks"], protocol: "protocol" });
};

const awsIngressRule: Check = (props, ports, report) => {
    awsPermission({ state: "known", value: props, field: "" }, ports, report, { cidrs: ["cidrIpv4", "cidrIpv6"], protocol: "ipProtocol" });
};

const k8sService: Check = (props, ports, report, config) => {
    if (stringOf(readAt(props, ["spec", "type"])) !== "LoadBalancer") {
        return;
    }
    const ranges = readAt(props, ["spec", "loadBalancerSourceRanges"]);
    const sources = ranges.state === "absent" ? [] : stringReads(ranges);
    const reach = sources.length === 0 ? undefined : reachOf(sources, report, "this Service");
    if (reach !== undefined && reach.client === undefined) {
        return;
    }
    if (reach !== undefined) {
        report(`spec.loadBalancerSourceRanges admits ${reach.client}. List the client CIDRs, or leave it out only where the API key is the intended guard.`);
        return;
    }
    if (config.requireServiceSourceRanges) {
        report("is a public load balancer with no spec.loadBalancerSourceRanges. List the client CIDRs allowed here.");
        return;
    }
    const exposesPrivatePort = elementsOf(readAt(props, ["spec", "ports"])).some((port) =>
        ["port", "targetPort"].some((key) => {
            const value = readIn(port, [key]);
            return value.state === "known" && (ports.includes(Number(value.value)) || value.value === "model" || value.value === "ssh");
        }),
    );
    if (exposesPrivatePort) {
        report("exposes SSH or the model port through a public load balancer with no spec.loadBalancerSourceRanges. Point the Service at the route guard's port, or set loadBalancerSourceRanges.");
    }
};

const CHECKS: Readonly<Record<string, Check>> = {
    [GCP_NET.firewall]: gcpFirewall,
    [AZURE_NET.securityGroup]: azureNsg,
    [AZURE_NET.securityRule]: azureSecurityRule,
    [AWS_NET.securityGroup]: awsSecurityGroup,
    [AWS_NET.securityGroupRule]: awsSecurityGroupRule,
    [AWS_NET.ingressRule]: awsIngressRule,
    [K8S.service]: k8sService,
};
