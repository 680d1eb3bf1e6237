// The bad-input matrix, hardening rows (issue 13): one row per way a class of bad input used to
// get through. Each row runs the real plan CLI (main() of plan/cli.ts) in process, in every output
// format (text, --json, --markdown), and asserts the exit code, the key named in the message, no
// stack trace or internal error, and no planted secret anywhere in stdout or stderr. One row spawns
// the CLI: a warning the YAML library prints goes to the process's stderr, which only a real
// process shows. "resource" rows feed hand-built resources through the pack in process.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import devConfig from "../../policies/config/dev.json";
import { evaluatePolicies } from "../../policies/evaluate";
import { main } from "../../plan/cli";

/** Planted secrets: a token-shaped value and a ciphertext; neither may show in any output. */
const TOKEN = "hf_PlAnTeD0123456789abcdefGHIJKLmnopQR";
const CIPHER = "v1:PLANTEDciphertext0123456789==";
const PLANTED = [TOKEN, CIPHER, "PlAnTeD"];

const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJfoWyC9ZHstsumTKS3eh/fuQYXsbvuvDYGhGjnDN5/H oncall@example.com";
const TAGS = "  llm-serving:tags: {owner: ml-platform, costCenter: cc-1234}\n";
const GCP = "project: acme-llm-dev, region: us-central1, replicas: {min: 2, max: 3}, plaintextHttp: true";
const VM = `location: eastus, vmSize: Standard_NC4as_T4_v3, sshPublicKey: "${SSH_KEY}", allowedCidrs: [203.0.113.0/24], plaintextHttp: true`;
const AKS = "location: eastus, vmSize: Standard_NC8as_T4_v3, nodes: {min: 1, max: 2}, replicas: 2, apiServerAuthorizedRanges: [203.0.113.0/24], plaintextHttp: true";
const EKS = "region: us-west-2, apiAccessCidrs: [203.0.113.0/24], plaintextHttp: true, maxNodes: 2, replicas: {min: 2, max: 2}, image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/llm-serving/neuron-ray-serve:vllm0.9.1-ray2.46.0";
/** A stack file whose only target is `target: {fields}` (flow YAML, one line). */
const stack = (target: string, fields: string) => `config:\n${TAGS}  llm-serving:targets:\n    ${target}: {${fields}}\n`;
const gcp = (extra: string) => stack("gcpSpotL4", `${GCP}, ${extra}`);
const vm = (extra: string) => stack("gpuVm", `${VM}, ${extra}`);
const aks = (extra: string) => stack("aksGpu", `${AKS}, ${extra}`);
const eks = (extra: string) => stack("eksInf2", `${extra.includes("apiAccessCidrs") ? EKS.replace("apiAccessCidrs: [203.0.113.0/24], ", "") : EKS}, ${extra}`);
const GOOD = gcp("machineType: g2-standard-4");

/** A minimal --json plan for --compare rows. */
const PLAN = { stack: "dev", resources: [{ urn: "urn:a", type: "t", name: "a", inputs: {} }], cost: { lines: [], baselineMonthlyUsd: 0, worstCaseMonthlyUsd: 0 } };

interface CliRow {
    readonly kind: "cli";
    readonly class: string;
    readonly what: string;
    /** The stack file's text (written to a temp file and passed with --stack-file), if any. */
    readonly stackFile?: string;
    /** Text of a policy config file passed with --policy-config, if any. */
    readonly policyConfig?: string;
    /** Text of an earlier plan passed with --compare ("<dir>" passes a directory). */
    readonly compare?: string;
    /** --stack (default dev). */
    readonly stack?: string;
    /** Further command-line arguments. */
    readonly extraArgs?: readonly string[];
    readonly exit: 1 | 2;
    /** What the message must contain: the key (and what is allowed, where a row says so). */
    readonly fragments: readonly string[];
}
interface ResourceRow {
    readonly kind: "resource";
    readonly class: string;
    readonly what: string;
    readonly type: string;
    readonly inputs: Record<string, unknown>;
    readonly policy: string;
    readonly fragment: string;
}
type Row = CliRow | ResourceRow;

const cli = (r: Omit<CliRow, "kind">): CliRow => ({ kind: "cli", ...r });
const policyWith = (mutate: (c: Record<string, unknown>) => string) => mutate(structuredClone(devConfig) as Record<string, unknown>);

export const ROWS: readonly Row[] = [
    // --- "never the whole internet", however it is spelt (schema) ---
    cli({ class: "cidr", what: "clients from 0.0.0.0/1 + 128.0.0.0/1", stackFile: gcp("allowedCidrs: [0.0.0.0/1, 128.0.0.0/1]"), exit: 2, fragments: ["llm-serving:targets.gcpSpotL4.allowedCidrs[0]", "/8 or narrower"] }),
    cli({ class: "cidr", what: "clients from 1.2.3.4/0", stackFile: gcp("allowedCidrs: [1.2.3.4/0]"), exit: 2, fragments: ["llm-serving:targets.gcpSpotL4.allowedCidrs[0]", "0.0.0.0/0"] }),
    cli({ class: "cidr", what: "ten /8s of clients (union past a /8)", stackFile: gcp(`allowedCidrs: [${[11, 12, 13, 14, 15, 16, 17, 18, 19, 20].map((n) => `${n}.0.0.0/8`).join(", ")}]`), exit: 2, fragments: ["llm-serving:targets.gcpSpotL4.allowedCidrs", "more than one /8"] }),
    cli({ class: "cidr", what: "SSH from 0.0.0.0/1 + 128.0.0.0/1", stackFile: vm("sshAllowedCidrs: [0.0.0.0/1, 128.0.0.0/1]"), exit: 2, fragments: ["llm-serving:targets.gpuVm.sshAllowedCidrs[0]", "/16 or narrower"] }),
    cli({ class: "cidr", what: "SSH from a /8", stackFile: vm("sshAllowedCidrs: [10.0.0.0/8]"), exit: 2, fragments: ["llm-serving:targets.gpuVm.sshAllowedCidrs[0]", "/16 or narrower"] }),
    cli({ class: "cidr", what: "SSH from three /17s (union past a /16)", stackFile: vm("sshAllowedCidrs: [198.51.0.0/17, 198.51.128.0/17, 198.52.0.0/17]"), exit: 2, fragments: ["llm-serving:targets.gpuVm.sshAllowedCidrs", "more than one /16"] }),
    cli({ class: "cidr", what: "AKS API server from 128.0.0.0/1", stackFile: aks("replicas: 1").replace("203.0.113.0/24", "128.0.0.0/1").replace(", replicas: 2", ""), exit: 2, fragments: ["llm-serving:targets.aksGpu.apiServerAuthorizedRanges[0]"] }),
    cli({ class: "cidr", what: "EKS API access from ::/0", stackFile: eks('apiAccessCidrs: ["::/0"]'), exit: 2, fragments: ["llm-serving:targets.eksInf2.apiAccessCidrs[0]", "IPv6"] }),
    cli({ class: "cidr", what: "EKS API access from ::/1 + 8000::/1", stackFile: eks('apiAccessCidrs: ["::/1", "8000::/1"]'), exit: 2, fragments: ["llm-serving:targets.eksInf2.apiAccessCidrs[0]"] }),
    cli({ class: "cidr", what: "VM clients from 2000::/3", stackFile: vm('allowedCidrs: ["2000::/3"]').replace(", allowedCidrs: [203.0.113.0/24]", ""), exit: 2, fragments: ["llm-serving:targets.gpuVm.allowedCidrs[0]", "IPv6"] }),
    cli({ class: "cidr", what: "a host address with a prefix (10.0.0.1/8)", stackFile: aks("allowedCidrs: [10.0.0.1/8]"), exit: 2, fragments: ["llm-serving:targets.aksGpu.allowedCidrs[0]", "10.0.0.0/8"] }),
    // --- duplicates ---
    cli({ class: "duplicates", what: "a client CIDR twice", stackFile: gcp("allowedCidrs: [203.0.113.0/24, 203.0.113.0/24]"), exit: 2, fragments: ["llm-serving:targets.gcpSpotL4.allowedCidrs[1]", "repeats"] }),
    cli({ class: "duplicates", what: "an availability zone twice", stackFile: eks("availabilityZones: [us-west-2a, us-west-2a]"), exit: 2, fragments: ["llm-serving:targets.eksInf2.availabilityZones[1]", "repeats entry 0"] }),
    cli({ class: "duplicates", what: "a principal ARN twice (case differs)", stackFile: eks('adminPrincipalArns: ["arn:aws:iam::123456789012:role/Admin", "arn:aws:iam::123456789012:role/admin"]'), exit: 2, fragments: ["llm-serving:targets.eksInf2.adminPrincipalArns[1]", "repeats entry 0"] }),
    cli({ class: "duplicates", what: "a GCP zone twice", stackFile: gcp("zones: [us-central1-a, us-central1-a]"), exit: 2, fragments: ["llm-serving:targets.gcpSpotL4.zones[1]"] }),
    cli({ class: "duplicates", what: "an Entra admin group twice", stackFile: aks("adminGroupObjectIds: [0f0e0d0c-0b0a-0908-0706-050403020100, 0F0E0D0C-0B0A-0908-0706-050403020100]"), exit: 2, fragments: ["llm-serving:targets.aksGpu.adminGroupObjectIds[1]"] }),
    cli({ class: "duplicates", what: "a subnet both private and public", stackFile: eks("existingNetwork: {vpcId: vpc-0123abcd, privateSubnetIds: [subnet-0123abcd, subnet-0123abce], publicSubnetIds: [subnet-0123abcd, subnet-0123abcf]}"), exit: 2, fragments: ["llm-serving:targets.eksInf2.existingNetwork.publicSubnetIds[0]"] }),
    // --- values the cloud would refuse / that used to throw later ---
    cli({ class: "cloud-limits", what: "a VPC block too small to split (/24)", stackFile: eks("vpcCidr: 10.40.0.0/24"), exit: 2, fragments: ["llm-serving:targets.eksInf2.vpcCidr", "/16 to /28"] }),
    cli({ class: "cloud-limits", what: "a VPC block larger than AWS allows (/8)", stackFile: eks("vpcCidr: 10.0.0.0/8"), exit: 2, fragments: ["llm-serving:targets.eksInf2.vpcCidr"] }),
    cli({ class: "cloud-limits", what: "a loopback VPC block", stackFile: eks("vpcCidr: 127.0.0.0/16"), exit: 2, fragments: ["llm-serving:targets.eksInf2.vpcCidr", "loopback"] }),
    cli({ class: "cloud-limits", what: "a VPC block with host bits", stackFile: eks("vpcCidr: 10.40.0.1/16"), exit: 2, fragments: ["llm-serving:targets.eksInf2.vpcCidr", "10.40.0.0/16"] }),
    cli({ class: "exceptions", what: "spotMargin below 1 (used to throw in the cost engine)", stackFile: GOOD, policyConfig: policyWith((c) => JSON.stringify({ ...c, "monthly-cost-cap": { ...(c["monthly-cost-cap"] as object), spotMargin: 0.5 } })), exit: 2, fragments: ["monthly-cost-cap", "spotMargin"] }),
    cli({ class: "exceptions", what: "spotMargin as a string", stackFile: GOOD, policyConfig: policyWith((c) => JSON.stringify({ ...c, "monthly-cost-cap": { ...(c["monthly-cost-cap"] as object), spotMargin: "high" } })), exit: 2, fragments: ["spotMargin"] }),
    cli({ class: "exceptions", what: "--compare with a directory", stackFile: GOOD, compare: "<dir>", exit: 2, fragments: ["is not a file"] }),
    cli({ class: "exceptions", what: "--compare with a null resource", stackFile: GOOD, compare: JSON.stringify({ ...PLAN, resources: [null] }), exit: 2, fragments: ["resources[0]", "got null"] }),
    cli({ class: "exceptions", what: "--compare with null cost figures", stackFile: GOOD, compare: JSON.stringify({ ...PLAN, cost: { ...PLAN.cost, lines: [{ urn: "u", sku: "s", baselineMonthlyUsd: null, worstCaseMonthlyUsd: 1 }] } }), exit: 2, fragments: ["cost.lines[0].baselineMonthlyUsd"] }),
    cli({ class: "exceptions", what: "--compare with broken JSON around a token", stackFile: GOOD, compare: `{"stack": "${TOKEN}" oops}`, exit: 2, fragments: ["not valid JSON"] }),
    cli({ class: "exceptions", what: "--compare with a JSON list", stackFile: GOOD, compare: "[]", exit: 2, fragments: ["must be a JSON object", "a list"] }),
    cli({ class: "exceptions", what: "--policy-config with broken JSON around a token", stackFile: GOOD, policyConfig: `{"x": ${TOKEN}}`, exit: 2, fragments: ["not valid JSON"] }),
    cli({ class: "messages", what: "a cap of 1e400 (Infinity after JSON.parse)", stackFile: GOOD, policyConfig: JSON.stringify(devConfig).replace(/"maxMonthlyUsd":\d+/, '"maxMonthlyUsd":1e400'), exit: 2, fragments: ["maxMonthlyUsd", "finite number"] }),
    // --- values that leak through warnings and errors ---
    cli({ class: "leaks", what: "a !secret tag on the HF token", stackFile: `config:\n  llm-serving:hfToken: !secret ${TOKEN}\n${TAGS}  llm-serving:targets: {gcpSpotL4: {${GCP}}}\n`, exit: 2, fragments: [":2:", "YAML tag"] }),
    cli({ class: "leaks", what: "a secure: value nested in a target", stackFile: `config:\n${TAGS}  llm-serving:targets:\n    gcpSpotL4: {${GCP}, domain: {secure: "${CIPHER}"}}\n`, exit: 2, fragments: ["llm-serving:targets.gcpSpotL4.domain", "value not shown"] }),
    cli({ class: "leaks", what: "a secure: value with an extra key", stackFile: `config:\n${TAGS}  llm-serving:apiKey: {secure: "${CIPHER}", note: x}\n  llm-serving:targets: {gcpSpotL4: {${GCP}}}\n`, exit: 2, fragments: ["llm-serving:apiKey"] }),
    cli({ class: "leaks", what: "a token pasted into the project id", stackFile: stack("gcpSpotL4", `project: ${TOKEN}, region: us-central1, replicas: {min: 2, max: 3}`), exit: 2, fragments: ["llm-serving:targets.gcpSpotL4.project", "value not shown"] }),
    cli({ class: "leaks", what: "a token pasted into the model id", stackFile: `config:\n${TAGS}  llm-serving:model: {id: "${TOKEN}"}\n  llm-serving:targets: {gcpSpotL4: {${GCP}}}\n`, exit: 2, fragments: ["llm-serving:model.id", "value not shown"] }),
    cli({ class: "leaks", what: "a token as a whole target", stackFile: `config:\n${TAGS}  llm-serving:targets: {gcpSpotL4: "${TOKEN}"}\n`, exit: 2, fragments: ["llm-serving:targets.gcpSpotL4", "value not shown"] }),
    cli({ class: "leaks", what: "all of targets as a secure: value", stackFile: `config:\n${TAGS}  llm-serving:targets: {secure: "${CIPHER}"}\n`, exit: 2, fragments: ["llm-serving:targets: must not hold a secret"] }),
    cli({ class: "leaks", what: "an unknown option carrying a token", stackFile: GOOD, extraArgs: [`--hf-token=${TOKEN}`], exit: 2, fragments: ["unknown option", "value not shown"] }),
    cli({ class: "leaks", what: "a token pasted as a key inside a target", stackFile: gcp(`${TOKEN}: 1`), exit: 2, fragments: ["llm-serving:targets.gcpSpotL4", "not shown"] }),
    cli({ class: "leaks", what: "a token pasted as a config key", stackFile: `config:\n${TAGS}  ${TOKEN}: x\n  llm-serving:targets: {gcpSpotL4: {${GCP}}}\n`, exit: 2, fragments: ["not shown"] }),
    // --- YAML tags and ambiguous config ---
    cli({ class: "yaml", what: "a !!python/object tag", stackFile: `config:\n  llm-serving:model: !!python/object:os.system {id: x}\n`, exit: 2, fragments: ["!!python/object"] }),
    cli({ class: "yaml", what: "a !!binary value", stackFile: `config:\n${TAGS}  llm-serving:targets: {gcpSpotL4: {${GCP}, domain: !!binary aGVsbG8=}}\n`, exit: 2, fragments: ["!!binary"] }),
    cli({ class: "yaml", what: "targets and llm-serving:targets both", stackFile: `config:\n${TAGS}  targets: {gcpSpotL4: {${GCP}}}\n  llm-serving:targets: {gcpSpotL4: {${GCP}}}\n`, exit: 2, fragments: ["llm-serving:targets", "same key"] }),
    cli({ class: "yaml", what: "the legacy ns:config:key form", stackFile: `config:\n${TAGS}  llm-serving:config:targets: {gcpSpotL4: {${GCP}}}\n`, exit: 2, fragments: ["llm-serving:config:targets", "legacy"] }),
    cli({ class: "yaml", what: "a misspelt namespace", stackFile: `config:\n${TAGS}  llm-servng:hfToken: x\n  llm-serving:targets: {gcpSpotL4: {${GCP}}}\n`, exit: 2, fragments: ["llm-servng", "unknown namespace"] }),
    cli({ class: "yaml", what: "targets outside config:", stackFile: `targets: {gcpSpotL4: {${GCP}}}\nconfig:\n${TAGS}`, exit: 2, fragments: ["targets", "unknown top-level key"] }),
    cli({ class: "yaml", what: "a key twice in one mapping", stackFile: `config:\n${TAGS}  llm-serving:targets: {gcpSpotL4: {${GCP}}}\n  llm-serving:targets: {gcpSpotL4: {${GCP}}}\n`, exit: 2, fragments: ["appears twice"] }),
    cli({ class: "yaml", what: "a !!set value", stackFile: `config:\n${TAGS}  llm-serving:targets: {gcpSpotL4: {${GCP}, zones: !!set {us-central1-a}}}\n`, exit: 2, fragments: ["!!set"] }),
    // --- stack names ---
    cli({ class: "stack-name", what: "--stack ../../x", stack: "../../x", exit: 2, fragments: ["--stack", "Pulumi's rule"] }),
    cli({ class: "stack-name", what: "an empty --stack", stack: "", exit: 2, fragments: ["--stack: is empty"] }),
    cli({ class: "stack-name", what: "a stack name with a space", stack: "my stack", exit: 2, fragments: ["--stack"] }),
    cli({ class: "stack-name", what: "a stack name of 101 characters", stack: "d".repeat(101), exit: 2, fragments: ["--stack", "1-100"] }),
    cli({ class: "stack-name", what: "org/project/stack of another project", stack: "acme/other/dev", exit: 2, fragments: ["--stack", "project part"] }),
    cli({ class: "stack-name", what: "a stack name of ..", stack: "..", exit: 2, fragments: ["--stack"] }),
    // --- prototype keys in the policy config ---
    cli({ class: "prototype-keys", what: "__proto__ inside allowed-instance-types.allowed", stackFile: GOOD, policyConfig: JSON.stringify(devConfig).replace('"allowed":{', '"allowed":{"__proto__":{"gcp":["x"]},'), exit: 2, fragments: ["allowed-instance-types", "__proto__"] }),
    cli({ class: "prototype-keys", what: "constructor as a monthly-cost-cap setting", stackFile: GOOD, policyConfig: JSON.stringify(devConfig).replace('"maxMonthlyUsd"', '"constructor":1,"maxMonthlyUsd"'), exit: 2, fragments: ["monthly-cost-cap", "constructor"] }),
    cli({ class: "prototype-keys", what: "__proto__ as a policy name", stackFile: GOOD, policyConfig: JSON.stringify(devConfig).replace(/^\{/, '{"__proto__":"mandatory",'), exit: 2, fragments: ["__proto__", "not a policy"] }),
    cli({ class: "prototype-keys", what: "__proto__ and constructor keys in the stack config", stackFile: `config:\n  llm-serving:tags: {owner: a, costCenter: b, __proto__: {owner: x}}\n  llm-serving:targets: {gcpSpotL4: {${GCP}}, constructor: {}}\n`, exit: 2, fragments: ["llm-serving:tags.__proto__: unknown key", "llm-serving:targets.constructor: unknown key"] }),
    // --- unclear messages ---
    cli({ class: "messages", what: ".inf as a replica bound", stackFile: stack("gcpSpotL4", "project: acme-llm-dev, region: us-central1, replicas: {min: 2, max: .inf}"), exit: 2, fragments: ["llm-serving:targets.gcpSpotL4.replicas.max", ".inf (infinity)"] }),
    cli({ class: "messages", what: ".nan as a replica bound", stackFile: stack("gcpSpotL4", "project: acme-llm-dev, region: us-central1, replicas: {min: .nan, max: 3}"), exit: 2, fragments: ["llm-serving:targets.gcpSpotL4.replicas.min", ".nan"] }),
    cli({ class: "messages", what: "a zero-width space in a target name", stackFile: stack("gcpSpotL4\u200b", GCP), exit: 2, fragments: ["gcpSpotL4\\u{200b}", "unknown key"] }),
    cli({ class: "messages", what: "a zero-width space in a machine type", stackFile: gcp('machineType: "g2-standard-4\u200b"'), exit: 2, fragments: ["llm-serving:targets.gcpSpotL4.machineType", "\\u{200b}"] }),
    cli({ class: "messages", what: "config: as a list", stackFile: "config:\n  - llm-serving:targets\n", exit: 2, fragments: ["config: must be a mapping", "a list"] }),
    // --- the policies judge sources by their union too (the pack, in process) ---
    { kind: "resource", class: "cidr", what: "a GCP firewall opening 8000 to 0.0.0.0/1 + 128.0.0.0/1", type: "gcp:compute/firewall:Firewall", inputs: { direction: "INGRESS", sourceRanges: ["0.0.0.0/1", "128.0.0.0/1"], allows: [{ protocol: "tcp", ports: ["8000"] }] }, policy: "no-public-ssh-or-model-port", fragment: "the whole internet" },
    { kind: "resource", class: "cidr", what: "an NSG admitting SSH from a /8", type: "azure-native:network:NetworkSecurityGroup", inputs: { securityRules: [{ name: "ssh", direction: "Inbound", access: "Allow", protocol: "Tcp", sourceAddressPrefixes: ["10.0.0.0/8"], destinationPortRange: "22" }] }, policy: "no-public-ssh-or-model-port", fragment: "port 22" },
    { kind: "resource", class: "cidr", what: "an SG ingress rule with SSH from ::/0", type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", inputs: { cidrIpv6: "::/0", ipProtocol: "tcp", fromPort: 22, toPort: 22 }, policy: "no-public-ssh-or-model-port", fragment: "the whole internet" },
    { kind: "resource", class: "cidr", what: "an EKS endpoint open to ::/1 + 8000::/1", type: "aws:eks/cluster:Cluster", inputs: { vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ["::/1", "8000::/1"] } }, policy: "api-server-not-public", fragment: "the whole internet" },
    { kind: "resource", class: "cidr", what: "an AKS API server open to 1.2.3.4/0", type: "azure-native:containerservice:ManagedCluster", inputs: { apiServerAccessProfile: { authorizedIPRanges: ["1.2.3.4/0"] } }, policy: "api-server-not-public", fragment: "the whole internet" },
    { kind: "resource", class: "cidr", what: "a LoadBalancer Service admitting thirty /8s", type: "kubernetes:core/v1:Service", inputs: { spec: { type: "LoadBalancer", loadBalancerSourceRanges: Array.from({ length: 30 }, (_, i) => `${i + 1}.0.0.0/8`), ports: [{ port: 443 }] } }, policy: "no-public-ssh-or-model-port", fragment: "more than one /8" },
    { kind: "resource", class: "cidr", what: "an NSG source that is no CIDR or known tag", type: "azure-native:network:SecurityRule", inputs: { direction: "Inbound", access: "Allow", protocol: "Tcp", sourceAddressPrefix: "AzureCloud", destinationPortRange: "8000" }, policy: "no-public-ssh-or-model-port", fragment: "not understood" },
    { kind: "resource", class: "fail-closed", what: "a GKE node pool of an SKU off the allow-list (refused as not understood until the model read GKE pools)", type: "gcp:container/nodePool:NodePool", inputs: { nodeConfig: { machineType: "a3-highgpu-8g" }, nodeCount: 4 }, policy: "allowed-instance-types", fragment: "SKU a3-highgpu-8g (nodeConfig.machineType) is not allowed" },
    { kind: "resource", class: "fail-closed", what: "a GKE cluster with no authorized networks (refused as not understood until the model read GKE clusters)", type: "gcp:container/cluster:Cluster", inputs: {}, policy: "api-server-not-public", fragment: "reachable from anywhere" },
];

const FORMATS: ReadonlyArray<readonly string[]> = [[], ["--json"], ["--markdown"]];

async function run(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const code = await main(argv, (s) => (out += s), (s) => (err += s));
    return { code, out, err };
}

function assertClean(text: string, where: string): void {
    assert.doesNotMatch(text, /^\s+at /m, `${where}: a stack trace`);
    assert.doesNotMatch(text, /internal error/, `${where}: an internal error`);
    for (const p of PLANTED) assert.ok(!text.includes(p), `${where}: prints a planted secret:\n${text}`);
}

describe("bad-input matrix: hardening rows (issue 13)", () => {
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "llm-harden-"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("adds at least 40 rows over every class", () => {
        assert.ok(ROWS.length >= 40, `${ROWS.length} rows`);
        for (const c of ["cidr", "duplicates", "cloud-limits", "exceptions", "leaks", "yaml", "stack-name", "prototype-keys", "messages", "fail-closed"]) {
            assert.ok(ROWS.some((r) => r.class === c), c);
        }
    });

    it("negative control: the good stack file plans with exit 0 and the checks see a planted value", async () => {
        const file = path.join(dir, "good.yaml");
        fs.writeFileSync(file, GOOD);
        const { code, out } = await run(["--stack", "dev", "--stack-file", file]);
        assert.equal(code, 0, out.slice(-2000));
        assert.throws(() => assertClean(`x ${TOKEN}`, "control"));
        assert.throws(() => assertClean("Error\n    at main (cli.ts:1:1)", "control"));
    });

    ROWS.forEach((row, n) => {
        if (row.kind === "resource") {
            it(`[${row.class}] ${row.what} → ${row.policy} blocks`, async () => {
                const resource = { urn: `urn:pulumi:dev::llm-serving::${row.type}::probe`, type: row.type, name: "probe", parent: null, inputs: row.inputs, propertyDependencies: {} };
                const { violations } = await evaluatePolicies([resource], devConfig);
                const hits = violations.filter((v) => v.policy === row.policy && v.enforcementLevel === "mandatory");
                assert.ok(hits.some((v) => v.message.includes(row.fragment)), `expected ${row.policy} with ${JSON.stringify(row.fragment)}; got:\n${violations.map((v) => `${v.policy}: ${v.message}`).join("\n")}`);
            });
            return;
        }
        it(`[${row.class}] ${row.what} → exit ${row.exit} in text, --json and --markdown`, async () => {
            const argv = ["--stack", row.stack ?? "dev"];
            if (row.stackFile !== undefined) {
                const file = path.join(dir, `stack-${n}.yaml`);
                fs.writeFileSync(file, row.stackFile);
                argv.push("--stack-file", file);
            }
            if (row.policyConfig !== undefined) {
                const file = path.join(dir, `policy-${n}.json`);
                fs.writeFileSync(file, row.policyConfig);
                argv.push("--policy-config", file);
            }
            if (row.compare !== undefined) {
                const file = path.join(dir, row.compare === "<dir>" ? `dir-${n}` : `plan-${n}.json`);
                if (row.compare === "<dir>") fs.mkdirSync(file, { recursive: true });
                else fs.writeFileSync(file, row.compare);
                argv.push("--compare", file);
            }
            argv.push(...(row.extraArgs ?? []));
            for (const format of FORMATS) {
                const { code, out, err } = await run([...argv, ...format]);
                const where: string = `${row.what} ${format.join(" ") || "(text)"}`;
                assert.equal(code, row.exit, `${where}: exit ${code}\n${err}${out.slice(-1500)}`);
                const said = row.exit === 2 ? err : out;
                for (const fragment of row.fragments) assert.ok(said.includes(fragment), `${where}: expected ${JSON.stringify(fragment)} in:\n${said.slice(-2000)}`);
                assertClean(out + err, where);
            }
        });
    });

    it("[leaks] the CLI process prints no planted secret on stderr for a !secret tag (spawned: the YAML library's warnings go to the process)", () => {
        const file = path.join(dir, "tagged.yaml");
        fs.writeFileSync(file, `config:\n  llm-serving:hfToken: !secret ${TOKEN}\n  llm-serving:weird: !custom ${TOKEN}\n${TAGS}  llm-serving:targets: {gcpSpotL4: {${GCP}}}\n`);
        const root = path.resolve(__dirname, "..", "..");
        const result = spawnSync(process.execPath, [path.join(root, "plan", "fast.cjs"), "--stack", "dev", "--stack-file", file, "--json"], { encoding: "utf8", timeout: 120000 });
        assert.equal(result.status, 2, result.stderr);
        assert.match(result.stderr, /YAML tag/);
        assertClean(result.stdout + result.stderr, "spawned CLI");
    });
});
