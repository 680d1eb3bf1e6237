// The bad-input matrix: every way we know to hand the program or the pack something risky, in one
// table, each row with its input, the outcome it must have and the fragment the message must
// carry. Three kinds of input:
//   - "stack": a stack file run through the real plan CLI (main() of plan/cli.ts, in process):
//     config the schema refuses (exit 2, key named, no stack trace) or config it accepts that
//     builds something the pack blocks (exit 1, policy named);
//   - "policy-config": a variant of the environment's policy config, over a fixed GCP stack;
//   - "resource": one mutation of one resource of a committed stack's real plan, evaluated by
//     the pack in process (evaluatePolicies) under that stack's policy config: the named policy
//     must report a mandatory violation on that resource, and the unmutated plan must not.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import devConfig from "../../policies/config/dev.json";
import prodConfig from "../../policies/config/prod.json";
import { evaluatePolicies } from "../../policies/evaluate";
import { EXIT, main } from "../../plan/cli";
import type { PlannedResource } from "../../plan/mocks";
import { setPath } from "../helpers/policyFixtures";
import { committedStack, plan } from "../helpers/program";

type Inputs = Record<string, unknown>;

interface StackRow {
    readonly kind: "stack";
    readonly what: string;
    /** The stack the file stands in for (its policy config applies). */
    readonly stack: "dev" | "prod";
    /** `config:` of the stack file. */
    readonly config: Inputs;
    readonly exit: 1 | 2;
    readonly fragment: string;
}
interface PolicyConfigRow {
    readonly kind: "policy-config";
    readonly what: string;
    readonly change: (config: Inputs) => void;
    readonly exit: 1 | 2;
    readonly fragment: string;
}
interface ResourceRow {
    readonly kind: "resource";
    readonly what: string;
    readonly stack: "dev" | "prod";
    readonly type: string;
    readonly name: string;
    readonly mutate: (inputs: Inputs) => void;
    readonly policy: string;
    readonly fragment: string;
}
type Row = StackRow | PolicyConfigRow | ResourceRow;

const TAGS = { "llm-serving:tags": { owner: "ml-platform", costCenter: "cc-1234" } };
const GCP = { project: "acme-llm-dev", region: "us-central1", machineType: "g2-standard-4", replicas: { min: 2, max: 3 }, plaintextHttp: true };
const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJfoWyC9ZHstsumTKS3eh/fuQYXsbvuvDYGhGjnDN5/H oncall@example.com";
const VM = { location: "eastus", vmSize: "Standard_NC4as_T4_v3", sshPublicKey: SSH_KEY, allowedCidrs: ["203.0.113.0/24"], plaintextHttp: true };
const AKS = { location: "eastus", vmSize: "Standard_NC8as_T4_v3", nodes: { min: 1, max: 2 }, replicas: 2, apiServerAuthorizedRanges: ["203.0.113.0/24"], plaintextHttp: true };
const EKS = { region: "us-west-2", apiAccessCidrs: ["203.0.113.0/24"], instanceTypes: ["inf2.8xlarge"], maxNodes: 2, replicas: { min: 2, max: 2 }, image: "123456789012.dkr.ecr.us-west-2.amazonaws.com/llm-serving/neuron-ray-serve:vllm0.9.1-ray2.46.0", plaintextHttp: true };
const ML = { location: "eastus", instanceType: "Standard_NC8as_T4_v3", instances: { min: 2, max: 3 } };
const targets = (t: Inputs): Inputs => ({ ...TAGS, "llm-serving:targets": t });

const LB = "gcp:compute/firewall:Firewall";
/** A value planted by mutations; no message may print it. */
const PLANTED = "zz-planted-value-zz";
const K8S_DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const MODEL_CONTAINER = ["spec", "template", "spec", "containers", 0];
const RAY_WORKER = ["spec", "rayClusterConfig", "workerGroupSpecs", 0, "template", "spec", "containers", 0];

export const ROWS: readonly Row[] = [
    // --- stack configs the program must refuse (exit 2, the key named) ---
    { kind: "stack", what: "GCP clients from 0.0.0.0/0", stack: "dev", config: targets({ gcpSpotL4: { ...GCP, allowedCidrs: ["0.0.0.0/0"] } }), exit: 2, fragment: "llm-serving:targets.gcpSpotL4.allowedCidrs" },
    { kind: "stack", what: "SSH to the VM from 0.0.0.0/0", stack: "dev", config: targets({ gpuVm: { ...VM, sshAllowedCidrs: ["0.0.0.0/0"] } }), exit: 2, fragment: "llm-serving:targets.gpuVm.sshAllowedCidrs" },
    { kind: "stack", what: "a public VM with no client CIDRs", stack: "dev", config: targets({ gpuVm: { ...VM, allowedCidrs: [] } }), exit: 2, fragment: "llm-serving:targets.gpuVm.allowedCidrs" },
    { kind: "stack", what: "a password where the SSH public key goes", stack: "dev", config: targets({ gpuVm: { ...VM, sshPublicKey: "hunter2" } }), exit: 2, fragment: "llm-serving:targets.gpuVm.sshPublicKey" },
    { kind: "stack", what: "a VM eviction policy without spot", stack: "dev", config: targets({ gpuVm: { ...VM, evictionPolicy: "Delete" } }), exit: 2, fragment: "llm-serving:targets.gpuVm.evictionPolicy" },
    { kind: "stack", what: "a public AKS API server with no authorized ranges", stack: "dev", config: targets({ aksGpu: { ...AKS, apiServerAuthorizedRanges: [] } }), exit: 2, fragment: "llm-serving:targets.aksGpu.apiServerAuthorizedRanges" },
    { kind: "stack", what: "an AKS API server open to 0.0.0.0/0", stack: "dev", config: targets({ aksGpu: { ...AKS, apiServerAuthorizedRanges: ["0.0.0.0/0"] } }), exit: 2, fragment: "llm-serving:targets.aksGpu.apiServerAuthorizedRanges" },
    { kind: "stack", what: "more AKS replicas than GPU nodes", stack: "dev", config: targets({ aksGpu: { ...AKS, replicas: 3 } }), exit: 2, fragment: "llm-serving:targets.aksGpu.replicas" },
    { kind: "stack", what: "an EKS API endpoint open to 0.0.0.0/0", stack: "dev", config: targets({ eksInf2: { ...EKS, apiAccessCidrs: ["0.0.0.0/0"] } }), exit: 2, fragment: "llm-serving:targets.eksInf2.apiAccessCidrs" },
    { kind: "stack", what: "an inf2 image on latest", stack: "dev", config: targets({ eksInf2: { ...EKS, image: "public.ecr.aws/acme/ray-neuron:latest" } }), exit: 2, fragment: "llm-serving:targets.eksInf2.image" },
    { kind: "stack", what: "an untagged inf2 image", stack: "dev", config: targets({ eksInf2: { ...EKS, image: "public.ecr.aws/acme/ray-neuron" } }), exit: 2, fragment: "llm-serving:targets.eksInf2.image" },
    { kind: "stack", what: "an unknown capacity type", stack: "dev", config: targets({ eksInf2: { ...EKS, capacityType: "preemptible" } }), exit: 2, fragment: "llm-serving:targets.eksInf2.capacityType" },
    { kind: "stack", what: "an anonymous Azure ML endpoint", stack: "dev", config: targets({ azureMl: { ...ML, authMode: "None" } }), exit: 2, fragment: "llm-serving:targets.azureMl.authMode" },
    { kind: "stack", what: "the API key in plaintext config", stack: "dev", config: { ...targets({ gcpSpotL4: GCP }), "llm-serving:apiKey": "not-a-secret" }, exit: 2, fragment: "llm-serving:apiKey: must be a secret" },
    { kind: "stack", what: "the HF token in plaintext config", stack: "dev", config: { ...targets({ gcpSpotL4: GCP }), "llm-serving:hfToken": "hf_plain" }, exit: 2, fragment: "llm-serving:hfToken: must be a secret" },
    { kind: "stack", what: "tags without a cost center", stack: "dev", config: { "llm-serving:tags": { owner: "ml-platform" }, "llm-serving:targets": { gcpSpotL4: GCP } }, exit: 2, fragment: "llm-serving:tags.costCenter" },
    { kind: "stack", what: "an owner tag that breaks label rules", stack: "dev", config: { "llm-serving:tags": { owner: "ML Platform", costCenter: "cc-1" }, "llm-serving:targets": { gcpSpotL4: GCP } }, exit: 2, fragment: "llm-serving:tags.owner" },
    { kind: "stack", what: "no target at all", stack: "dev", config: targets({}), exit: 2, fragment: "llm-serving:targets" },
    { kind: "stack", what: "a misspelt target (must not silently drop it)", stack: "dev", config: targets({ gcpSpotL4: GCP, gcpSpotL5: GCP }), exit: 2, fragment: "llm-serving:targets.gcpSpotL5" },
    { kind: "stack", what: "an unbounded-looking GCP maximum", stack: "dev", config: targets({ gcpSpotL4: { ...GCP, replicas: { min: 2, max: 1000 } } }), exit: 2, fragment: "llm-serving:targets.gcpSpotL4.replicas.max" },
    { kind: "stack", what: "an AKS domain without a certificate source", stack: "prod", config: targets({ aksGpu: { ...AKS, plaintextHttp: false, domain: "aks.llm.example.com" } }), exit: 2, fragment: "llm-serving:targets.aksGpu.domain: serving HTTPS needs a certificate" },
    { kind: "stack", what: "a public GCP endpoint neither HTTPS nor opted in to plain HTTP", stack: "dev", config: targets({ gcpSpotL4: { ...GCP, plaintextHttp: false } }), exit: 2, fragment: "llm-serving:targets.gcpSpotL4.domain: got nothing; must be set for a public endpoint" },
    { kind: "stack", what: "a public VM neither HTTPS nor opted in to plain HTTP", stack: "dev", config: targets({ gpuVm: { ...VM, plaintextHttp: false } }), exit: 2, fragment: "plaintextHttp: true" },
    { kind: "stack", what: "plain HTTP opted in on GCP in prod", stack: "prod", config: targets({ gcpSpotL4: { ...GCP, replicas: { min: 2, max: 3 } } }), exit: 1, fragment: "endpoint-tls" },
    { kind: "stack", what: "plaintextHttp together with a domain", stack: "dev", config: targets({ gcpSpotL4: { ...GCP, domain: "llm.example.com" } }), exit: 2, fragment: "llm-serving:targets.gcpSpotL4.plaintextHttp" },
    { kind: "stack", what: "a TLS certificate without its private key", stack: "prod", config: { ...targets({ gcpSpotL4: GCP }), "llm-serving:tlsCertificate": { secure: "AAABAJ1ZqzRv3m8kPq4xWn0c2hTfYb7L" } }, exit: 2, fragment: "llm-serving:tlsPrivateKey: is required when llm-serving:tlsCertificate is set" },
    // --- stack configs the schema accepts but the pack blocks in prod (exit 1, the policy named) ---
    { kind: "stack", what: "one GCP replica in prod", stack: "prod", config: targets({ gcpSpotL4: { ...GCP, replicas: { min: 1, max: 3 } } }), exit: 1, fragment: "min-replicas" },
    { kind: "stack", what: "one AKS replica in prod", stack: "prod", config: targets({ aksGpu: { ...AKS, replicas: 1 } }), exit: 1, fragment: "min-replicas" },
    { kind: "stack", what: "one Azure ML instance at the autoscale minimum in prod", stack: "prod", config: targets({ azureMl: { ...ML, instances: { min: 1, max: 3 } } }), exit: 1, fragment: "min-replicas" },
    { kind: "stack", what: "GCP autohealing that recreates replicas mid-load in prod", stack: "prod", config: targets({ gcpSpotL4: { ...GCP, initialDelaySec: 0 } }), exit: 1, fragment: "model-server-probes" },
    // --- policy config variants over the GCP dev stack ---
    { kind: "policy-config", what: "a cap below the worst case", change: (c) => setPath(c, ["monthly-cost-cap", "maxMonthlyUsd"], 100), exit: 1, fragment: "monthly-cost-cap" },
    { kind: "policy-config", what: "digests required of tag-pinned images", change: (c) => setPath(c, ["pinned-images", "requireDigest"], true), exit: 1, fragment: "pinned-images" },
    { kind: "policy-config", what: "three replicas required, mandatory", change: (c) => (c["min-replicas"] = { enforcementLevel: "mandatory", minReplicas: 3 }), exit: 1, fragment: "min-replicas" },
    { kind: "policy-config", what: "an API key env var the script does not set", change: (c) => setPath(c, ["endpoint-authentication", "apiKeyEnvNames"], ["OTHER_API_KEY"]), exit: 1, fragment: "endpoint-authentication" },
    { kind: "policy-config", what: "an enforcement level that does not exist", change: (c) => (c["pinned-images"] = "strict"), exit: 2, fragment: "not a valid enforcement level" },
    { kind: "policy-config", what: "a misspelt setting", change: (c) => setPath(c, ["pinned-images", "requireDigests"], true), exit: 2, fragment: "Additional property requireDigests is not allowed" },
    // --- one mutation of a planned resource (prod: gcpSpotL4, aksGpu, azureMl; dev: gpuVm, eksInf2) ---
    { kind: "resource", what: "the inf2 NodePool without limits", stack: "dev", type: "kubernetes:karpenter.sh/v1:NodePool", name: "eks-inf2-nodepool", mutate: (i) => delete (i.spec as Inputs).limits, policy: "bounded-scaling", fragment: "limits" },
    { kind: "resource", what: "the AKS GPU pool autoscaling without a maximum", stack: "prod", type: "azure-native:containerservice:AgentPool", name: "aks-gpu-gpu-pool", mutate: (i) => delete i.maxCount, policy: "bounded-scaling", fragment: "maxCount" },
    { kind: "resource", what: "the Azure ML autoscale maximum past prod's cap", stack: "prod", type: "azure-native:monitor:AutoscaleSetting", name: "azure-ml-autoscale", mutate: (i) => setPath(i, ["profiles", 0, "capacity", "maximum"], "6"), policy: "monthly-cost-cap", fragment: "azure-ml-deployment Standard_NC8as_T4_v3" },
    { kind: "resource", what: "an Azure ML endpoint without auth", stack: "prod", type: "azure-native:machinelearningservices:OnlineEndpoint", name: "azure-ml-endpoint", mutate: (i) => setPath(i, ["properties", "authMode"], "None"), policy: "endpoint-authentication", fragment: "properties.authMode" },
    { kind: "resource", what: "the Azure ML endpoint dropping authMode", stack: "prod", type: "azure-native:machinelearningservices:OnlineEndpoint", name: "azure-ml-endpoint", mutate: (i) => delete (i.properties as Inputs).authMode, policy: "endpoint-authentication", fragment: "properties.authMode is not set" },
    { kind: "resource", what: "the GCP backend without Cloud Armor", stack: "prod", type: "gcp:compute/backendService:BackendService", name: "gcp-spot-l4-backend", mutate: (i) => delete i.securityPolicy, policy: "endpoint-authentication", fragment: "no Cloud Armor policy" },
    { kind: "resource", what: "the AKS model server's key as a literal", stack: "prod", type: K8S_DEPLOYMENT, name: "aks-gpu-deployment", mutate: (i) => setPath(i, [...MODEL_CONTAINER, "env", 0], { name: "VLLM_API_KEY", value: PLANTED }), policy: "no-plaintext-secrets", fragment: "VLLM_API_KEY" },
    { kind: "resource", what: "the AKS model server with no key", stack: "prod", type: K8S_DEPLOYMENT, name: "aks-gpu-deployment", mutate: (i) => setPath(i, [...MODEL_CONTAINER, "env"], []), policy: "endpoint-authentication", fragment: "no API key" },
    { kind: "resource", what: "the GCP firewall opening the model port to all", stack: "prod", type: LB, name: "gcp-spot-l4-allow-lb", mutate: (i) => (i.sourceRanges = ["0.0.0.0/0"]), policy: "no-public-ssh-or-model-port", fragment: "port 8000" },
    { kind: "resource", what: "the AKS Service admitting everyone", stack: "prod", type: "kubernetes:core/v1:Service", name: "aks-gpu-service", mutate: (i) => setPath(i, ["spec", "loadBalancerSourceRanges"], ["0.0.0.0/0"]), policy: "no-public-ssh-or-model-port", fragment: "loadBalancerSourceRanges" },
    { kind: "resource", what: "an HTTP proxy in front of the GCP replicas in prod", stack: "prod", type: "gcp:compute/globalForwardingRule:GlobalForwardingRule", name: "gcp-spot-l4-forwarding", mutate: (i) => Object.assign(i, { target: "projects/acme-llm-prod/global/targetHttpProxies/gcp-spot-l4-http-proxy", portRange: "80" }), policy: "endpoint-tls", fragment: "targets a TargetHttpProxy" },
    { kind: "resource", what: "the AKS Service back on plain port 80 in prod", stack: "prod", type: "kubernetes:core/v1:Service", name: "aks-gpu-service", mutate: (i) => setPath(i, ["spec", "ports", 0, "port"], 80), policy: "endpoint-tls", fragment: "exposes port 80" },
    { kind: "resource", what: "AKS local accounts back on", stack: "prod", type: "azure-native:containerservice:ManagedCluster", name: "aks-gpu-cluster", mutate: (i) => (i.disableLocalAccounts = false), policy: "aks-local-accounts-and-rbac", fragment: "disableLocalAccounts" },
    { kind: "resource", what: "AKS without Azure RBAC", stack: "prod", type: "azure-native:containerservice:ManagedCluster", name: "aks-gpu-cluster", mutate: (i) => setPath(i, ["aadProfile", "enableAzureRBAC"], false), policy: "aks-local-accounts-and-rbac", fragment: "enableAzureRBAC" },
    { kind: "resource", what: "an AKS API server open to all", stack: "prod", type: "azure-native:containerservice:ManagedCluster", name: "aks-gpu-cluster", mutate: (i) => delete i.apiServerAccessProfile, policy: "api-server-not-public", fragment: "authorizedIPRanges" },
    { kind: "resource", what: "GCP replicas with the cloud-platform scope", stack: "prod", type: "gcp:compute/instanceTemplate:InstanceTemplate", name: "gcp-spot-l4-template", mutate: (i) => setPath(i, ["serviceAccount", "scopes"], ["https://www.googleapis.com/auth/cloud-platform"]), policy: "gcp-no-default-service-account", fragment: "cloud-platform scope" },
    { kind: "resource", what: "GCP replicas as the default compute account", stack: "prod", type: "gcp:compute/instanceTemplate:InstanceTemplate", name: "gcp-spot-l4-template", mutate: (i) => setPath(i, ["serviceAccount", "email"], "1234-compute@developer.gserviceaccount.com"), policy: "gcp-no-default-service-account", fragment: "default compute service account" },
    {
        kind: "resource",
        what: "the GCP startup script running vLLM on latest",
        stack: "prod",
        type: "gcp:compute/instanceTemplate:InstanceTemplate",
        name: "gcp-spot-l4-template",
        mutate: (i) => setPath(i, ["metadata", "startup-script"], String((i.metadata as Inputs)["startup-script"]).replace(/vllm\/vllm-openai:[\w.-]+/, "vllm/vllm-openai:latest")),
        policy: "pinned-images",
        fragment: "metadata.startup-script",
    },
    { kind: "resource", what: "the AKS model server untagged", stack: "prod", type: K8S_DEPLOYMENT, name: "aks-gpu-deployment", mutate: (i) => setPath(i, [...MODEL_CONTAINER, "image"], "vllm/vllm-openai"), policy: "pinned-images", fragment: "no tag" },
    { kind: "resource", what: "a Pulumi secret in Azure ML environment variables", stack: "prod", type: "azure-native:machinelearningservices:OnlineDeployment", name: "azure-ml-deployment", mutate: (i) => setPath(i, ["properties", "environmentVariables", "EXTRA"], "[secret]"), policy: "no-plaintext-secrets", fragment: "holds a Pulumi secret" },
    { kind: "resource", what: "the AKS model server without readiness", stack: "prod", type: K8S_DEPLOYMENT, name: "aks-gpu-deployment", mutate: (i) => setPath(i, [...MODEL_CONTAINER, "readinessProbe"], undefined), policy: "model-server-probes", fragment: "no readinessProbe" },
    { kind: "resource", what: "the Azure ML deployment without liveness", stack: "prod", type: "azure-native:machinelearningservices:OnlineDeployment", name: "azure-ml-deployment", mutate: (i) => setPath(i, ["properties", "livenessProbe"], undefined), policy: "model-server-probes", fragment: "livenessProbe" },
    { kind: "resource", what: "the GCP group without autohealing", stack: "prod", type: "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager", name: "gcp-spot-l4-mig", mutate: (i) => delete i.autoHealingPolicies, policy: "model-server-probes", fragment: "autoHealingPolicies" },
    { kind: "resource", what: "Azure ML autoscaling down to one", stack: "prod", type: "azure-native:monitor:AutoscaleSetting", name: "azure-ml-autoscale", mutate: (i) => setPath(i, ["profiles", 0, "capacity", "minimum"], "1"), policy: "min-replicas", fragment: "capacity.minimum is 1" },
    { kind: "resource", what: "a PDB that blocks every drain", stack: "prod", type: "kubernetes:policy/v1:PodDisruptionBudget", name: "aks-gpu-pdb", mutate: (i) => setPath(i, ["spec", "maxUnavailable"], 0), policy: "model-server-disruption-budget", fragment: "maxUnavailable to 0" },
    { kind: "resource", what: "the AKS GPU pool without cost tags", stack: "prod", type: "azure-native:containerservice:AgentPool", name: "aks-gpu-gpu-pool", mutate: (i) => delete i.tags, policy: "cost-allocation-tags", fragment: "tags lacks owner" },
    { kind: "resource", what: "the VM accepting passwords", stack: "dev", type: "azure-native:compute:VirtualMachine", name: "gpu-vm-vm", mutate: (i) => setPath(i, ["osProfile", "linuxConfiguration", "disablePasswordAuthentication"], false), policy: "vm-password-auth-disabled", fragment: "disablePasswordAuthentication" },
    { kind: "resource", what: "a secret interpolated into the VM's customData", stack: "dev", type: "azure-native:compute:VirtualMachine", name: "gpu-vm-vm", mutate: (i) => setPath(i, ["osProfile", "customData"], "[secret]"), policy: "no-plaintext-secrets", fragment: "osProfile.customData" },
    { kind: "resource", what: "the VM's NSG admitting the model port from *", stack: "dev", type: "azure-native:network:NetworkSecurityGroup", name: "gpu-vm-nsg", mutate: (i) => setPath(i, ["securityRules", 0, "sourceAddressPrefixes"], ["*"]), policy: "no-public-ssh-or-model-port", fragment: "from the internet" },
    { kind: "resource", what: "the EC2NodeClass allowing IMDSv1", stack: "dev", type: "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass", name: "eks-inf2-nodeclass", mutate: (i) => setPath(i, ["spec", "metadataOptions", "httpTokens"], "optional"), policy: "imdsv2-required", fragment: "httpTokens" },
    { kind: "resource", what: "the system launch template with hop limit 2", stack: "dev", type: "aws:ec2/launchTemplate:LaunchTemplate", name: "eks-inf2-system-nodes", mutate: (i) => setPath(i, ["metadataOptions", "httpPutResponseHopLimit"], 2), policy: "imdsv2-required", fragment: "httpPutResponseHopLimit is 2" },
    { kind: "resource", what: "the EKS endpoint open to 0.0.0.0/0", stack: "dev", type: "aws:eks/cluster:Cluster", name: "eks-inf2-cluster", mutate: (i) => setPath(i, ["vpcConfig"], { endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] }), policy: "api-server-not-public", fragment: "admits the whole internet" },
    { kind: "resource", what: "Karpenter not told about the interruption queue", stack: "dev", type: "kubernetes:helm.sh/v3:Release", name: "eks-inf2-karpenter", mutate: (i) => delete ((i.values as Inputs).settings as Inputs).interruptionQueue, policy: "karpenter-spot-interruption-queue", fragment: "settings.interruptionQueue" },
    { kind: "resource", what: "an unencrypted interruption queue", stack: "dev", type: "aws:sqs/queue:Queue", name: "eks-inf2-interruptions", mutate: (i) => (i.sqsManagedSseEnabled = false), policy: "karpenter-spot-interruption-queue", fragment: "not encrypted" },
    { kind: "resource", what: "the Ray worker on latest", stack: "dev", type: "kubernetes:ray.io/v1:RayService", name: "eks-inf2-rayservice", mutate: (i) => setPath(i, [...RAY_WORKER, "image"], "rayproject/ray:latest"), policy: "pinned-images", fragment: "moving tag latest" },
    { kind: "resource", what: "the Ray worker with no API key", stack: "dev", type: "kubernetes:ray.io/v1:RayService", name: "eks-inf2-rayservice", mutate: (i) => setPath(i, [...RAY_WORKER, "env"], []), policy: "endpoint-authentication", fragment: "no API key" },
    {
        kind: "resource",
        what: "the NLB security group admitting SSH from anywhere",
        stack: "dev",
        type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        name: "eks-inf2-nlb-from-203-0-113-0-24",
        mutate: (i) => Object.assign(i, { cidrIpv4: "0.0.0.0/0", fromPort: 22, toPort: 22 }),
        policy: "no-public-ssh-or-model-port",
        fragment: "port 22",
    },
];

const CONFIGS = { dev: devConfig, prod: prodConfig } as const;

async function runPlan(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const code = await main(argv, (s) => (stdout += s), (s) => (stderr += s));
    return { code, stdout, stderr };
}

describe("bad-input matrix: nothing risky slips through", () => {
    let dir: string;
    const plans = new Map<"dev" | "prod", PlannedResource[]>();

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "llm-matrix-"));
        for (const stack of ["dev", "prod"] as const) {
            plans.set(stack, (await plan(committedStack(stack))).resources);
        }
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("has at least 30 rows, drawn from config, policy config and planned resources", () => {
        assert.ok(ROWS.length >= 30, `${ROWS.length} rows`);
        for (const kind of ["stack", "policy-config", "resource"]) assert.ok(ROWS.some((r) => r.kind === kind), kind);
    });

    ROWS.forEach((row, n) => {
        it(`[${row.kind}] ${row.what} → ${row.kind === "resource" ? `${row.policy} blocks` : `exit ${row.exit}`}`, async () => {
            if (row.kind === "stack") {
                const file = path.join(dir, `stack-${n}.yaml`);
                fs.writeFileSync(file, stringify({ config: row.config }));
                const { code, stdout, stderr } = await runPlan("--stack", row.stack, "--stack-file", file);
                assert.equal(code, row.exit, `exit ${code}\n${stderr}${stdout.slice(-2000)}`);
                const said = row.exit === EXIT.usage ? stderr : stdout;
                assert.ok(said.includes(row.fragment), `expected ${JSON.stringify(row.fragment)} in:\n${said.slice(-3000)}`);
                assert.doesNotMatch(stderr, /^\s+at /m, "no stack trace");
                if (row.exit === EXIT.violations) assert.match(stdout, new RegExp(`\\[mandatory\\] ${row.fragment}`));
            } else if (row.kind === "policy-config") {
                const config = structuredClone(devConfig) as Inputs;
                row.change(config);
                const file = path.join(dir, `policy-${n}.json`);
                fs.writeFileSync(file, JSON.stringify(config));
                const stackFile = path.resolve(__dirname, "..", "fixtures", "stacks", "gcp-only.yaml");
                const { code, stdout, stderr } = await runPlan("--stack", "dev", "--stack-file", stackFile, "--policy-config", file);
                assert.equal(code, row.exit, `exit ${code}\n${stderr}${stdout.slice(-2000)}`);
                assert.ok((stdout + stderr).includes(row.fragment), `expected ${JSON.stringify(row.fragment)}:\n${(stdout + stderr).slice(-3000)}`);
                assert.doesNotMatch(stderr, /^\s+at /m, "no stack trace");
            } else {
                const resources = plans.get(row.stack)!;
                const matches = resources.filter((r) => r.type === row.type && r.name === row.name);
                assert.equal(matches.length, 1, `${row.type} ${row.name} in the ${row.stack} plan`);
                const before = await evaluatePolicies(resources, CONFIGS[row.stack]);
                assert.deepEqual(before.violations.filter((v) => v.policy === row.policy && v.enforcementLevel === "mandatory"), [], "the committed plan passes");
                const target = matches[0];
                const inputs = structuredClone(target.inputs);
                row.mutate(inputs);
                const after = await evaluatePolicies(resources.map((r) => (r === target ? { ...r, inputs } : r)), CONFIGS[row.stack]);
                const hits = after.violations.filter((v) => v.policy === row.policy && v.enforcementLevel === "mandatory");
                assert.ok(hits.some((v) => v.message.includes(row.fragment) && (v.urn === undefined || v.urn === target.urn || v.message.includes(row.name))), `expected a mandatory ${row.policy} violation with ${JSON.stringify(row.fragment)}; got:\n${after.violations.map((v) => `${v.policy}: ${v.message}`).join("\n")}`);
                for (const v of after.violations) assert.ok(!v.message.includes(PLANTED), `message prints a value: ${v.message}`);
            }
        });
    });
});
