import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { azureDnsClusterIssuer, CERT_MANAGER_CHART, endpointCertificate } from "../../components/k8s/certManager";
import { DNS_ZONE_CONTRIBUTOR_ROLE } from "../../targets/aksGpu/acme";
import { committedStacks } from "../../plan/stackFiles";
import { configProblems, one, plan, PROJECT_DIR, stackFrom, TEST_TAGS } from "../helpers/program";
import { AKS } from "./azure/fixtures";

/** Models ship as ESM only; their validate() is not in the CJS-resolved types. */
type Validatable = { validate(): void };
const ZONE_ID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/dns/providers/Microsoft.Network/dnsZones/llm.example.com";
const ACME = { email: "oncall@example.com", azureDnsZoneId: ZONE_ID };
const ARN = "arn:aws:acm:us-west-2:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
const EKS = {
    region: "us-west-2",
    apiAccessCidrs: ["203.0.113.0/24"],
    instanceTypes: ["inf2.8xlarge"],
    maxNodes: 2,
    replicas: { min: 1, max: 2 },
    allowedCidrs: ["203.0.113.0/24"],
    image: "123456789012.dkr.ecr.us-west-2.amazonaws.com/llm-serving/neuron-ray-serve:vllm0.9.1-ray2.46.0",
};

/** Every `secure:` value anywhere in a parsed YAML document. */
function secureKeys(value: unknown, at = ""): string[] {
    if (Array.isArray(value)) return value.flatMap((v, i) => secureKeys(v, `${at}[${i}]`));
    if (value !== null && typeof value === "object") {
        return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => (k === "secure" ? [at] : secureKeys(v, at ? `${at}.${k}` : k)));
    }
    return [];
}

function problems(targets: Record<string, unknown>): string[] {
    return configProblems(targets, { owner: "a", costCenter: "b" });
}

describe("committed stacks carry no secure: values", () => {
    it("finds none in any committed stack file (a CLI without the stack's key could not decrypt them)", () => {
        const stacks = committedStacks(PROJECT_DIR);
        assert.ok(stacks.length >= 2);
        for (const stack of stacks) {
            const doc = parse(fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8"));
            assert.deepEqual(secureKeys(doc), [], `Pulumi.${stack}.yaml`);
        }
    });

    it("the check sees a secure: value (negative control)", () => {
        assert.deepEqual(secureKeys(parse("config:\n  llm-serving:tlsPrivateKey:\n    secure: AAABAPx7\n")), ["config.llm-serving:tlsPrivateKey"]);
    });

    it("every public endpoint of the committed stacks is HTTPS or opted in to plain HTTP by name", () => {
        for (const stack of ["dev", "prod"]) {
            const doc = parse(fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, Record<string, Record<string, unknown>>> };
            for (const [target, cfg] of Object.entries(doc.config["llm-serving:targets"])) {
                if (target === "azureMl") continue; // Azure ML's scoring endpoint is HTTPS only
                assert.ok(cfg.domain !== undefined || cfg.plaintextHttp === true, `${stack} ${target}`);
                if (stack === "prod") assert.notEqual(cfg.plaintextHttp, true, `prod ${target} must not opt in to plain HTTP`);
            }
        }
    });
});

describe("AKS HTTPS through cert-manager and Let's Encrypt (no secret in the stack)", function () {
    let resources: Awaited<ReturnType<typeof plan>>["resources"];
    before(async () => {
        const aks = { ...AKS, plaintextHttp: false, domain: "aks.llm.example.com", acme: ACME };
        resources = (await plan(stackFrom({ tags: TEST_TAGS, targets: { aksGpu: aks } }))).resources;
    });

    it("installs the pinned cert-manager chart on the system pool, labelled for Workload Identity", () => {
        const chart = one(resources, "kubernetes:helm.sh/v3:Release", "aks-gpu-cert-manager");
        assert.equal(chart.inputs.chart, "cert-manager");
        assert.match(String(chart.inputs.version), /^v\d+\.\d+\.\d+$/);
        assert.equal(chart.inputs.version, CERT_MANAGER_CHART.version);
        const values = chart.inputs.values as Record<string, any>;
        assert.deepEqual(values.crds, { enabled: true, keep: true });
        for (const part of [values, values.webhook, values.cainjector, values.startupapicheck]) {
            assert.deepEqual(part.tolerations, [{ key: "CriticalAddonsOnly", operator: "Equal", value: "true", effect: "NoSchedule" }]);
        }
        assert.equal(values.podLabels["azure.workload.identity/use"], "true");
        // The account the federated credential names is the one the chart creates.
        assert.equal(values.serviceAccount.name, "cert-manager");
        assert.equal(values.serviceAccount.labels["azure.workload.identity/use"], "true");
    });

    it("enables the OIDC issuer and Workload Identity, federates cert-manager's account and grants DNS Zone Contributor on the zone only", () => {
        const cluster = one(resources, "azure-native:containerservice:ManagedCluster");
        assert.deepEqual(cluster.inputs.oidcIssuerProfile, { enabled: true });
        assert.deepEqual(cluster.inputs.securityProfile, { workloadIdentity: { enabled: true } });
        const fed = one(resources, "azure-native:managedidentity:FederatedIdentityCredential", "aks-gpu-cert-manager");
        assert.equal(fed.inputs.subject, "system:serviceaccount:cert-manager:cert-manager");
        assert.deepEqual(fed.inputs.audiences, ["api://AzureADTokenExchange"]);
        const grant = one(resources, "azure-native:authorization:RoleAssignment", "aks-gpu-cert-manager-dns");
        assert.equal(grant.inputs.scope, ZONE_ID);
        assert.equal(grant.inputs.principalType, "ServicePrincipal");
        assert.match(String(grant.inputs.roleDefinitionId), new RegExp(`/roleDefinitions/${DNS_ZONE_CONTRIBUTOR_ROLE}$`));
    });

    it("issues the endpoint's certificate into the Secret the route guard mounts, and serves 443 only", () => {
        const cert = one(resources, "kubernetes:cert-manager.io/v1:Certificate");
        const spec = cert.inputs.spec as Record<string, any>;
        assert.deepEqual(spec.dnsNames, ["aks.llm.example.com"]);
        assert.equal(spec.secretName, "model-server-tls");
        const issuer = one(resources, "kubernetes:cert-manager.io/v1:ClusterIssuer");
        assert.equal(spec.issuerRef.name, (issuer.inputs.metadata as { name: string }).name);
        const azureDNS = (issuer.inputs.spec as any).acme.solvers[0].dns01.azureDNS;
        assert.deepEqual([azureDNS.subscriptionID, azureDNS.resourceGroupName, azureDNS.hostedZoneName], ["00000000-0000-0000-0000-000000000000", "dns", "llm.example.com"]);
        assert.equal(resources.filter((r) => r.type === "kubernetes:core/v1:Secret" && r.name === "aks-gpu-tls").length, 0, "no certificate passes through the stack");
        const volumes = (one(resources, "kubernetes:apps/v1:Deployment").inputs.spec as any).template.spec.volumes as Array<{ secret?: { secretName: string } }>;
        assert.ok(volumes.some((v) => v.secret?.secretName === "model-server-tls"));
        assert.deepEqual((one(resources, "kubernetes:core/v1:Service").inputs.spec as any).ports.map((p: { port: number }) => p.port), [443]);
    });

    it("builds ClusterIssuer and Certificate objects the cert-manager schemas accept, and the schemas refuse a broken one", async () => {
        // ESM-only package: loaded the way the Karpenter schema tests load theirs.
        const { ClusterIssuer } = await import("@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer");
        const { Certificate } = await import("@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate");
        const issuer = azureDnsClusterIssuer({ name: "le", email: "a@example.com", staging: true, subscriptionId: "s", resourceGroupName: "rg", zoneName: "example.com", identityClientId: "c" });
        (new ClusterIssuer(issuer) as unknown as Validatable).validate();
        (new Certificate(endpointCertificate({ name: "m", namespace: "n", secretName: "t", domain: "a.example.com", issuerName: "le" })) as unknown as Validatable).validate();
        assert.match(issuer.spec!.acme!.server, /acme-staging-v02/);
        const broken = { ...issuer, spec: { acme: { ...issuer.spec!.acme!, solvers: [{ dns01: { azureDNS: { hostedZoneName: "example.com" } } }] } } };
        assert.throws(() => (new ClusterIssuer(broken as never) as unknown as Validatable).validate(), /subscriptionID|resourceGroupName/);
    });

    it("config: acme needs a domain in its zone and a cluster this stack creates", () => {
        const base = { ...AKS, plaintextHttp: false, domain: "aks.llm.example.com" };
        assert.deepEqual(problems({ aksGpu: { ...base, acme: ACME } }), []);
        assert.match(problems({ aksGpu: { ...base, domain: "aks.other.example.org", acme: ACME } }).join("\n"), /acme\.azureDnsZoneId: .*must be the Azure DNS zone of domain aks\.other\.example\.org/);
        const existing = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c";
        assert.match(problems({ aksGpu: { ...base, existingClusterId: existing, apiServerAuthorizedRanges: [], acme: ACME } }).join("\n"), /acme: .*must not be set with existingClusterId/);
        assert.match(problems({ aksGpu: { ...base, acme: { ...ACME, azureDnsZoneId: "llm.example.com" } } }).join("\n"), /acme\.azureDnsZoneId: got "llm\.example\.com"; must be an Azure DNS zone resource id/);
    });
});

describe("EKS HTTPS with an ACM certificate by ARN (no secret in the stack)", () => {
    it("the TLS listener uses the ARN and nothing is imported into ACM", async () => {
        const { resources, outputs } = await plan(stackFrom({ tags: TEST_TAGS, targets: { eksInf2: { ...EKS, domain: "eks.llm.example.com", acmCertificateArn: ARN } } }));
        const listener = one(resources, "aws:lb/listener:Listener");
        assert.deepEqual([listener.name, listener.inputs.protocol, listener.inputs.port, listener.inputs.certificateArn], ["eks-inf2-https", "TLS", 443, ARN]);
        assert.equal(resources.filter((r) => r.type === "aws:acm/certificate:Certificate").length, 0);
        assert.deepEqual(outputs.endpoints, { eksInf2: "https://eks.llm.example.com/v1" });
    });

    it("config: the ARN must be in the target's region and come with a domain", () => {
        assert.match(problems({ eksInf2: { ...EKS, domain: "e.example.com", acmCertificateArn: ARN.replace("us-west-2", "us-east-1") } }).join("\n"), /acmCertificateArn: .*must be a certificate in us-west-2/);
        assert.match(problems({ eksInf2: { ...EKS, plaintextHttp: true, acmCertificateArn: ARN } }).join("\n"), /acmCertificateArn: .*must only be set together with domain/);
    });
});

describe("public plain HTTP needs an explicit opt-in", () => {
    it("refuses a public endpoint with neither domain nor plaintextHttp, per target, and accepts the opt-in", () => {
        const found = problems({ eksInf2: EKS });
        assert.equal(found.length, 1);
        assert.match(found[0], /^llm-serving:targets\.eksInf2\.domain: got nothing; must be set for a public endpoint.*plaintextHttp: true/);
        assert.deepEqual(problems({ eksInf2: { ...EKS, plaintextHttp: true } }), []);
    });

    it("needs no opt-in for a VM without a public IP", () => {
        const vm = { location: "eastus", vmSize: "Standard_NC4as_T4_v3", sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJfoWyC9ZHstsumTKS3eh/fuQYXsbvuvDYGhGjnDN5/H a@example.com", publicIp: false };
        assert.deepEqual(problems({ gpuVm: vm }), []);
        assert.match(problems({ gpuVm: { ...vm, publicIp: true, allowedCidrs: ["203.0.113.0/24"] } }).join("\n"), /gpuVm\.domain: got nothing/);
    });
});
