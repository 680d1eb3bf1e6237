// TLS across the targets under mocks: with a domain and the stack's certificate, every public
// entry listens on 443 with that certificate wired (Kubernetes TLS Secret, Key Vault secrets, ACM
// import, GCP SSL certificate), each parented to its component, and the endpoint is
// https://<domain>/v1; the PEM values show up nowhere in the plan. Without a domain, the targets
// serve plain HTTP exactly as before.
import { strict as assert } from "node:assert";
import { MockRun, PlannedResource } from "../../plan/mocks";
import { renderMarkdown, renderText } from "../../plan/format";
import { buildReport, loadPolicyConfig } from "../../plan/report";
import { splitCertificateChain } from "../../config";
import { one, plan, PROJECT_DIR, stackFrom, TEST_TAGS } from "../helpers/program";
import { AKS, everyText, VM } from "./azure/fixtures";

const CERT_LEAF = "CeRtLeAfSeNtInEl7q2w9e4r1t6y3u8i";
const CERT_CHAIN = "CeRtChAiNSeNtInEl5a8s2d7f4g1h9j";
const KEY_BODY = "PrIvAtEkEySeNtInEl3z6x9c2v5b8n1m";
const TLS = {
    tlsCertificate: `-----BEGIN CERTIFICATE-----\n${CERT_LEAF}\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\n${CERT_CHAIN}\n-----END CERTIFICATE-----\n`,
    tlsPrivateKey: `-----BEGIN PRIVATE KEY-----\n${KEY_BODY}\n-----END PRIVATE KEY-----\n`,
};
const SENTINELS = [CERT_LEAF, CERT_CHAIN, KEY_BODY];

const GCP = { project: "acme-llm-test", region: "us-central1", replicas: { min: 2, max: 3 }, allowedCidrs: ["203.0.113.0/24"] };
const EKS = {
    region: "us-west-2",
    instanceTypes: ["inf2.8xlarge"],
    maxNodes: 2,
    replicas: { min: 1, max: 2 },
    allowedCidrs: ["203.0.113.0/24"],
    apiAccessCidrs: ["203.0.113.0/24"],
    image: "123456789012.dkr.ecr.us-west-2.amazonaws.com/llm-serving/neuron-ray-serve:vllm0.9.1-ray2.46.0",
};
const DOMAINS = { gcpSpotL4: "gcp.llm.example.com", aksGpu: "aks.llm.example.com", gpuVm: "vm.llm.example.com", eksInf2: "eks.llm.example.com" };
const withDomains = {
    gcpSpotL4: { ...GCP, domain: DOMAINS.gcpSpotL4 },
    aksGpu: { ...AKS, plaintextHttp: false, domain: DOMAINS.aksGpu },
    gpuVm: { ...VM, plaintextHttp: false, domain: DOMAINS.gpuVm },
    eksInf2: { ...EKS, domain: DOMAINS.eksInf2 },
};
/** The same targets without a domain, opted in to plain HTTP explicitly (development only). */
const plainHttp = { gcpSpotL4: { ...GCP, plaintextHttp: true }, aksGpu: AKS, gpuVm: VM, eksInf2: { ...EKS, plaintextHttp: true } };

const T = {
    k8sSecret: "kubernetes:core/v1:Secret",
    k8sService: "kubernetes:core/v1:Service",
    configMap: "kubernetes:core/v1:ConfigMap",
    deployment: "kubernetes:apps/v1:Deployment",
    kvSecret: "azure-native:keyvault:Secret",
    nsg: "azure-native:network:NetworkSecurityGroup",
    vm: "azure-native:compute:VirtualMachine",
    acm: "aws:acm/certificate:Certificate",
    listener: "aws:lb/listener:Listener",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    sslCert: "gcp:compute/sSLCertificate:SSLCertificate",
    managedCert: "gcp:compute/managedSslCertificate:ManagedSslCertificate",
    httpsProxy: "gcp:compute/targetHttpsProxy:TargetHttpsProxy",
    httpProxy: "gcp:compute/targetHttpProxy:TargetHttpProxy",
    forwarding: "gcp:compute/globalForwardingRule:GlobalForwardingRule",
};

function parentOf(resources: readonly PlannedResource[], r: PlannedResource): string {
    return resources.find((p) => p.urn === r.parent)?.type ?? "(none)";
}

describe("TLS with a domain and the stack's certificate, under mocks", function () {
    let run: MockRun<unknown>;
    let resources: PlannedResource[];
    before(async () => {
        run = await plan(stackFrom({ tags: TEST_TAGS, targets: withDomains }, TLS));
        resources = run.resources;
    });
    const obj = (r: PlannedResource, key: string) => r.inputs[key] as Record<string, any>;

    it("gives every target an https://<domain>/v1 endpoint", () => {
        const endpoints = run.outputs.endpoints as Record<string, string>;
        for (const [target, domain] of Object.entries(DOMAINS)) assert.equal(endpoints[target], `https://${domain}/v1`, target);
    });

    it("aksGpu: a kubernetes.io/tls Secret, the route guard on TLS, the Service on 443 only", () => {
        const tls = one(resources, T.k8sSecret, "aks-gpu-tls");
        assert.equal(tls.inputs.type, "kubernetes.io/tls");
        assert.equal(tls.inputs.stringData, "[secret]");
        assert.equal(parentOf(resources, tls), "llm-serving:azure:AksGpuNodePool");
        const service = one(resources, T.k8sService, "aks-gpu-service");
        assert.deepEqual(obj(service, "spec").ports, [{ name: "https", port: 443, targetPort: "https", protocol: "TCP" }]);
        const conf = String(Object.values(obj(one(resources, T.configMap, "aks-gpu-route-guard"), "data"))[0]);
        assert.match(conf, /listen 8443 ssl;/);
        // Named through variables, so nginx rereads them at each handshake (a renewed certificate needs no reload).
        assert.match(conf, /map \$ssl_server_name \$route_guard_certificate \{ default \/etc\/nginx\/tls\/tls\.crt; \}/);
        assert.match(conf, /map \$ssl_server_name \$route_guard_private_key \{ default \/etc\/nginx\/tls\/tls\.key; \}/);
        assert.match(conf, /ssl_certificate \$route_guard_certificate;/);
        assert.match(conf, /ssl_certificate_key \$route_guard_private_key;/);
        const pod = obj(one(resources, T.deployment, "aks-gpu-deployment"), "spec").template.spec;
        const guard = pod.containers.find((c: { name: string }) => c.name === "route-guard");
        assert.deepEqual(guard.ports, [{ name: "https", containerPort: 8443, protocol: "TCP" }]);
        assert.equal(guard.readinessProbe.httpGet.scheme, "HTTPS");
        assert.ok(guard.volumeMounts.some((m: { mountPath: string }) => m.mountPath === "/etc/nginx/tls"));
        assert.deepEqual(pod.volumes.find((v: { name: string }) => v.name === "route-guard-tls").secret, { secretName: "model-server-tls", defaultMode: 0o440 });
        // vLLM's probes still hit /health on the model port directly.
        const model = pod.containers.find((c: { name: string }) => c.name === "model-server");
        assert.equal(model.readinessProbe.httpGet.path, "/health");
        assert.equal(model.readinessProbe.httpGet.port, "model");
    });

    it("gpuVm: cert and key in Key Vault, read at boot into tmpfs, nginx on 443, the NSG admits 443 not 8000", () => {
        const names = resources.filter((r) => r.type === T.kvSecret).map((r) => r.inputs.secretName);
        // With the (not secret) metrics ingestion URL the collector reads at boot (issue #18).
        assert.deepEqual(names.sort(), ["api-key", "metrics-ingestion-url", "tls-certificate", "tls-private-key"]);
        for (const name of ["gpu-vm-tls-cert-secret", "gpu-vm-tls-key-secret"]) {
            const secret = one(resources, T.kvSecret, name);
            assert.equal(secret.inputs.properties, "[secret]");
            assert.equal(parentOf(resources, secret), "llm-serving:azure:GpuVm");
        }
        const rules = obj(one(resources, T.nsg), "securityRules") as unknown as Array<Record<string, unknown>>;
        assert.deepEqual(rules.map((r) => r.destinationPortRange), ["443", "22"]);
        const customData = Buffer.from(String(obj(one(resources, T.vm), "osProfile").customData), "base64").toString("utf8");
        assert.match(customData, /install -d -m 0700 -o root -g root \/run\/llm-serving-tls/);
        assert.match(customData, /read_secret tls-private-key \/run\/llm-serving-tls\/tls\.key/);
        assert.match(customData, /--publish 443:8443/);
        assert.doesNotMatch(customData, /--publish 8000:/);
        assert.match(customData, /listen 8443 ssl;/);
    });

    it("eksInf2: the certificate imported into ACM, a TLS listener on 443, the NLB admitting 443", () => {
        const cert = one(resources, T.acm);
        assert.equal(cert.inputs.privateKey, "[secret]");
        assert.equal(cert.inputs.certificateBody, "[secret]");
        assert.equal(parentOf(resources, cert), "llm-serving:aws:EksInf2Pool");
        const listener = one(resources, T.listener);
        assert.equal(listener.name, "eks-inf2-https");
        assert.equal(listener.inputs.protocol, "TLS");
        assert.equal(listener.inputs.port, 443);
        assert.equal(listener.inputs.sslPolicy, "ELBSecurityPolicy-TLS13-1-2-2021-06");
        assert.ok(listener.propertyDependencies.certificateArn?.includes(cert.urn), "listener uses the ACM certificate");
        const clients = resources.filter((r) => r.type === T.ingress && r.name.startsWith("eks-inf2-nlb-from-"));
        assert.deepEqual(clients.map((r) => [r.inputs.fromPort, r.inputs.toPort]), [[443, 443]]);
    });

    it("gcpSpotL4: a self-managed SSL certificate behind the HTTPS proxy on 443", () => {
        const cert = one(resources, T.sslCert);
        assert.equal(cert.inputs.privateKey, "[secret]");
        assert.equal(cert.inputs.certificate, "[secret]");
        assert.equal(parentOf(resources, cert), "llm-serving:gcp:GcpSpotL4Replicas");
        assert.equal(resources.filter((r) => r.type === T.managedCert).length, 0);
        assert.ok(one(resources, T.httpsProxy).propertyDependencies.sslCertificates?.includes(cert.urn));
        assert.equal(one(resources, T.forwarding).inputs.portRange, "443");
    });

    it("puts no PEM value in the recorded inputs, the outputs, or the plan's text, JSON and Markdown", async () => {
        const details = await buildReport("llm-serving", "test", resources, run.outputs, loadPolicyConfig(PROJECT_DIR, "prod"));
        const forms = {
            inputs: everyText(resources.map((r) => r.inputs)),
            outputs: JSON.stringify(run.outputs),
            text: renderText(details, resources),
            json: JSON.stringify(details.report),
            markdown: renderMarkdown(details, resources),
        };
        for (const [form, text] of Object.entries(forms)) {
            for (const s of SENTINELS) assert.ok(!text.includes(s), `${form} shows a PEM value`);
        }
        // ...and prod's endpoint-tls passes on all four.
        assert.deepEqual(details.report.policies.violations.filter((v) => v.policy === "endpoint-tls"), []);
    });
});

describe("TLS off (no domain): plain HTTP as before", function () {
    let run: MockRun<unknown>;
    let resources: PlannedResource[];
    before(async () => {
        run = await plan(stackFrom({ tags: TEST_TAGS, targets: plainHttp }, TLS));
        resources = run.resources;
    });

    it("creates no certificate resource and keeps ports 80 and 8000", () => {
        for (const type of [T.acm, T.sslCert, T.managedCert]) assert.equal(resources.filter((r) => r.type === type).length, 0, type);
        assert.equal(resources.filter((r) => r.type === T.k8sSecret && r.name === "aks-gpu-tls").length, 0);
        assert.deepEqual((one(resources, T.k8sService, "aks-gpu-service").inputs.spec as any).ports, [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }]);
        assert.equal((one(resources, T.nsg).inputs.securityRules as any)[0].destinationPortRange, "8000");
        const listener = one(resources, T.listener);
        assert.deepEqual([listener.name, listener.inputs.protocol, listener.inputs.port], ["eks-inf2-http", "TCP", 80]);
        assert.equal(resources.filter((r) => r.type === T.httpProxy).length, 1);
        assert.equal(one(resources, T.forwarding).inputs.portRange, "80");
        assert.deepEqual(resources.filter((r) => r.type === T.kvSecret).map((r) => r.inputs.secretName).sort(), ["api-key", "metrics-ingestion-url"]);
    });

    it("gives http:// endpoints", () => {
        for (const url of Object.values(run.outputs.endpoints as Record<string, string>)) assert.match(url, /^http:\/\//);
    });
});

describe("gcpSpotL4 keeps Google's certificate when asked, even with a stack certificate", function () {
    it("certificate: google-managed registers a ManagedSslCertificate and no SSLCertificate", async () => {
        const run = await plan(stackFrom({ tags: TEST_TAGS, targets: { gcpSpotL4: { ...GCP, domain: DOMAINS.gcpSpotL4, certificate: "google-managed" } } }, TLS));
        assert.equal(run.resources.filter((r) => r.type === T.sslCert).length, 0);
        assert.deepEqual(one(run.resources, T.managedCert).inputs.managed, { domains: [DOMAINS.gcpSpotL4] });
    });
});

describe("splitCertificateChain", () => {
    it("splits the leaf from the intermediates, and leaves the chain out when there is none", () => {
        const { body, chain } = splitCertificateChain(TLS.tlsCertificate);
        assert.ok(body.includes(CERT_LEAF) && !body.includes(CERT_CHAIN));
        assert.ok(chain?.includes(CERT_CHAIN) && !chain.includes(CERT_LEAF));
        assert.deepEqual(Object.keys(splitCertificateChain(`-----BEGIN CERTIFICATE-----\n${CERT_LEAF}\n-----END CERTIFICATE-----\n`)), ["body"]);
    });
});
