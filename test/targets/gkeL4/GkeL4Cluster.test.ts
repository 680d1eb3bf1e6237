import { strict as assert } from "node:assert";
import { MockRun, PlannedResource } from "../../../plan/mocks";
import { MOCK_INVOKES } from "../../../plan/mockOutputs";
import { planDocument } from "../../../plan/render";
import { CERT_MANAGER_TIMEOUT_SECONDS, NODE_SCOPES } from "../../../targets/gkeL4/builders";
import { everyText } from "../../components/azure/fixtures";
import { one, plan, stackFrom, TEST_TAGS } from "../../helpers/program";
import { API_KEY_SENTINEL, GKE, HF_SENTINEL, SECRETS, T } from "./fixtures";
import { planWithTimeouts } from "./options";

const obj = (r: PlannedResource, key: string) => r.inputs[key] as Record<string, any>;
const named = (resources: readonly PlannedResource[], type: string, name: string) => one(resources, type, name);

describe("GkeL4Cluster under mocks (ACME, HF token)", function () {
    let run: MockRun<unknown>;
    let resources: PlannedResource[];
    before(async () => {
        run = await plan(stackFrom({ tags: TEST_TAGS, targets: { gkeL4: GKE } }, SECRETS));
        resources = run.resources;
    });

    it("creates a private, regional cluster with Workload Identity, a release channel and authorized control-plane ranges only", () => {
        const c = one(resources, T.cluster);
        assert.equal(c.inputs.location, "us-central1");
        assert.deepEqual(obj(c, "privateClusterConfig"), { enablePrivateNodes: true, enablePrivateEndpoint: false, masterIpv4CidrBlock: "172.16.0.32/28" });
        assert.deepEqual(obj(c, "masterAuthorizedNetworksConfig"), {
            cidrBlocks: [{ cidrBlock: "203.0.113.0/24", displayName: "deployer-1" }],
            gcpPublicCidrsAccessEnabled: false,
        });
        assert.deepEqual(obj(c, "workloadIdentityConfig"), { workloadPool: "acme-llm-test.svc.id.goog" });
        // Managed Prometheus on by config (the PodMonitoring needs it), not by a default that may change.
        assert.deepEqual(obj(c, "monitoringConfig"), { enableComponents: ["SYSTEM_COMPONENTS"], managedPrometheus: { enabled: true } });
        assert.deepEqual(obj(c, "releaseChannel"), { channel: "REGULAR" });
        assert.equal(c.inputs.datapathProvider, "ADVANCED_DATAPATH");
        assert.equal(obj(c, "secretSyncConfig").enabled, true);
    });

    it("asks for a control plane of GKE 1.34 or later, the first with the secret sync it enables", () => {
        const c = one(resources, T.cluster);
        assert.equal(c.inputs.minMasterVersion, "1.34");
        assert.equal(obj(c, "secretSyncConfig").enabled, true);
    });

    it("grants on the project's Workload Identity pool only once the cluster that creates that pool exists", () => {
        const cluster = one(resources, T.cluster).urn;
        const grants = [...resources.filter((r) => r.type === T.secretIam), named(resources, T.accountIam, "gke-l4-cert-manager-wi")];
        assert.equal(grants.length, 3); // API key, HF token, cert-manager
        for (const grant of grants) {
            assert.match(String(grant.inputs.member), /acme-llm-test\.svc\.id\.goog/, `${grant.name} names the pool`);
            assert.ok(grant.dependencies?.includes(cluster), `${grant.name} waits for the cluster`);
        }
        // Negative control: what does not name the pool does not wait for the cluster.
        for (const secret of resources.filter((r) => r.type === T.secret)) assert.ok(!secret.dependencies?.includes(cluster), secret.name);
    });

    it("looks the project's number up only once the Resource Manager API is enabled", () => {
        const api = named(resources, T.api, "gke-l4-api-resource-manager").urn;
        for (const grant of resources.filter((r) => r.type === T.secretIam)) {
            // The member is the principal built from the lookup's number: it carries the lookup's dependency.
            assert.ok(grant.propertyDependencies.member?.includes(api), `${grant.name}: ${JSON.stringify(grant.propertyDependencies)}`);
            assert.ok(!grant.propertyDependencies.role?.includes(api), "negative control: the literal role does not");
        }
    });

    it("creates the cluster and the GPU pool after the nodes' account has its role, and the cluster after the Secret Manager API", () => {
        const role = named(resources, T.projectIam, "gke-l4-nodes-role").urn;
        const secretManager = named(resources, T.api, "gke-l4-api-secret-manager").urn;
        const cluster = one(resources, T.cluster);
        const pool = one(resources, T.pool);
        assert.ok(cluster.dependencies?.includes(role));
        assert.ok(cluster.dependencies?.includes(secretManager));
        assert.ok(pool.dependencies?.includes(role));
        // Negative control: the network does not wait for the role.
        assert.ok(!one(resources, T.network).dependencies?.includes(role));
    });

    it("removes the default pool, and even that transient pool runs as the nodes' own account, never the default compute one", () => {
        const c = one(resources, T.cluster);
        assert.equal(c.inputs.removeDefaultNodePool, true);
        const nodes = named(resources, T.account, "gke-l4-nodes-sa");
        const email = `${String(nodes.inputs.accountId)}@acme-llm-test.iam.gserviceaccount.com`;
        assert.equal(obj(c, "nodeConfig").serviceAccount, email);
        assert.equal(obj(one(resources, T.pool), "nodeConfig").serviceAccount, email);
        assert.ok(!email.includes("-compute@developer"), "not the default compute account");
        assert.equal(named(resources, T.projectIam, "gke-l4-nodes-role").inputs.role, "roles/container.defaultNodeServiceAccount");
    });

    it("bounds the spot g2 pool by its total node counts (not GKE's per-zone ones) and lets GKE install the NVIDIA driver", () => {
        const pool = one(resources, T.pool);
        assert.deepEqual(pool.inputs.nodeLocations, ["us-central1-a", "us-central1-b"]);
        assert.deepEqual(obj(pool, "autoscaling"), { totalMinNodeCount: 2, totalMaxNodeCount: 3, locationPolicy: "ANY" });
        const node = obj(pool, "nodeConfig");
        assert.equal(node.machineType, "g2-standard-4");
        assert.equal(node.spot, true);
        assert.equal(node.diskType, "pd-balanced");
        assert.equal(node.diskSizeGb, 100);
        assert.deepEqual(node.guestAccelerators, [{ type: "nvidia-l4", count: 1, gpuDriverInstallationConfig: { gpuDriverVersion: "LATEST" } }]);
        assert.deepEqual(node.workloadMetadataConfig, { mode: "GKE_METADATA" });
        assert.deepEqual(node.oauthScopes, [...NODE_SCOPES]);
        assert.ok(!node.oauthScopes.some((s: string) => s.endsWith("/cloud-platform")));
        assert.deepEqual(pool.propertyDependencies.cluster, [one(resources, T.cluster).urn]);
    });

    it("gives private nodes egress through Cloud NAT in the cluster's region", () => {
        const nat = one(resources, T.nat);
        assert.equal(nat.inputs.region, "us-central1");
        assert.equal(nat.inputs.natIpAllocateOption, "AUTO_ONLY");
        const subnet = one(resources, T.subnet);
        assert.equal(subnet.inputs.privateIpGoogleAccess, true);
        assert.deepEqual((subnet.inputs.secondaryIpRanges as Array<{ rangeName: string }>).map((r) => r.rangeName), ["pods", "services"]);
    });

    it("stores the API key and HF token in Secret Manager, readable only by the Kubernetes account the secret sync reads as", () => {
        const versions = resources.filter((r) => r.type === T.secretVersion);
        assert.equal(versions.length, 2);
        for (const v of versions) assert.equal(v.inputs.secretData, "[secret]");
        const grants = resources.filter((r) => r.type === T.secretIam);
        assert.equal(grants.length, 2);
        for (const grant of grants) {
            assert.equal(grant.inputs.role, "roles/secretmanager.secretAccessor");
            // The project's number (mocked lookup), the cluster's pool, the namespace and the account: nothing broader.
            assert.equal(
                grant.inputs.member,
                `principal://iam.googleapis.com/projects/${String(MOCK_INVOKES["gcp:organizations/getProject:getProject"]({ projectId: "acme-llm-test" }).number)}/locations/global/workloadIdentityPools/acme-llm-test.svc.id.goog/subject/ns/llm-serving/sa/model-server-secret-reader`,
            );
        }
        const ksa = one(resources, T.ksa, "gke-l4-secret-reader");
        assert.equal(obj(ksa, "metadata").name, "model-server-secret-reader");
        assert.equal(ksa.inputs.automountServiceAccountToken, false);
        assert.equal(resources.filter((r) => r.type === T.account && /secrets/.test(r.name)).length, 0, "no IAM account in between");
    });

    it("syncs those secrets into the Secret the Deployment reads, by name only", () => {
        const spc = one(resources, T.providerClass);
        assert.equal(obj(spc, "spec").provider, "gke");
        const params = String(obj(spc, "spec").parameters.secrets);
        assert.match(params, /projects\/acme-llm-test\/secrets\/gke-l4-api-key\/versions\/latest/);
        assert.match(params, /projects\/acme-llm-test\/secrets\/gke-l4-hf-token\/versions\/latest/);
        const sync = one(resources, T.secretSync);
        assert.equal(obj(sync, "metadata").name, "model-server-secrets");
        assert.equal(obj(sync, "spec").serviceAccountName, "model-server-secret-reader");
        assert.equal(obj(sync, "spec").secretProviderClassName, obj(spc, "metadata").name);
        assert.deepEqual(obj(sync, "spec").secretObject.data.map((d: { targetKey: string }) => d.targetKey), ["api-key", "hf-token"]);
        const pod = obj(one(resources, T.deployment, "gke-l4-deployment"), "spec").template.spec;
        const refs = pod.containers.flatMap((c: { env?: Array<{ valueFrom?: { secretKeyRef?: { name: string } } }> }) => (c.env ?? []).map((e) => e.valueFrom?.secretKeyRef?.name).filter(Boolean));
        assert.ok(refs.length >= 2);
        for (const ref of refs) assert.equal(ref, "model-server-secrets");
        assert.ok(one(resources, T.deployment, "gke-l4-deployment").dependencies?.includes(sync.urn), "the Deployment waits for the sync");
        assert.equal(resources.filter((r) => r.type === T.k8sSecret).length, 0, "no Kubernetes Secret holds the key in the stack");
    });

    it("runs the model server on the spot L4 nodes with probes, a GPU limit, and a PDB that allows one disruption", () => {
        const spec = obj(one(resources, T.deployment, "gke-l4-deployment"), "spec");
        assert.equal(spec.replicas, 2);
        const pod = spec.template.spec;
        const server = pod.containers.find((c: { name: string }) => c.name === "model-server");
        assert.equal(server.image, "vllm/vllm-openai:v0.11.0");
        assert.equal(server.resources.limits["nvidia.com/gpu"], "1");
        for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) assert.equal(server[probe].httpGet.path, "/health");
        for (const env of server.env) assert.equal(env.value, undefined, `${env.name} has no literal value`);
        assert.deepEqual(pod.nodeSelector, { "cloud.google.com/gke-accelerator": "nvidia-l4", "cloud.google.com/gke-spot": "true" });
        assert.ok(pod.containers.some((c: { name: string }) => c.name === "route-guard"));
        assert.equal(obj(one(resources, T.pdb), "spec").maxUnavailable, 1);
    });

    it("exposes only the guard's HTTPS port to the allowed CIDRs, annotated so the pack prices GKE's forwarding rule", () => {
        const svc = one(resources, T.service, "gke-l4-service");
        const spec = obj(svc, "spec");
        assert.equal(spec.type, "LoadBalancer");
        assert.deepEqual(spec.loadBalancerSourceRanges, ["198.51.100.0/24"]);
        assert.deepEqual(spec.ports, [{ name: "https", port: 443, targetPort: "https", protocol: "TCP" }]);
        assert.deepEqual(obj(svc, "metadata").annotations, { "llm-serving.dev/cloud": "gcp", "llm-serving.dev/region": "us-central1" });
    });

    it("gets the certificate from Let's Encrypt through Cloud DNS, cert-manager acting as an account that may edit that zone only", () => {
        const issuer = one(resources, T.issuer);
        const solver = obj(issuer, "spec").acme.solvers[0];
        assert.deepEqual(solver.dns01, { cloudDNS: { project: "acme-llm-test", hostedZoneName: "llm-zone" } });
        assert.deepEqual(solver.selector, { dnsZones: ["llm.example.com"] });
        const dnsIam = one(resources, T.dnsIam);
        assert.equal(dnsIam.inputs.managedZone, "llm-zone");
        assert.equal(dnsIam.inputs.role, "roles/dns.admin");
        const wi = named(resources, T.accountIam, "gke-l4-cert-manager-wi");
        assert.equal(wi.inputs.member, "serviceAccount:acme-llm-test.svc.id.goog[cert-manager/cert-manager]");
        const values = obj(one(resources, T.release), "values");
        assert.match(values.serviceAccount.annotations["iam.gke.io/gcp-service-account"], /^gke-l4-cert-manager@acme-llm-test\.iam\.gserviceaccount\.com$/);
        const cert = one(resources, T.certificate);
        assert.deepEqual(obj(cert, "spec").dnsNames, ["gke.llm.example.com"]);
        assert.equal(obj(cert, "spec").secretName, "model-server-tls");
    });

    it("gives cert-manager's first install 15 minutes, not Helm's 5: its pods wait for the first spot GPU node", () => {
        assert.equal(CERT_MANAGER_TIMEOUT_SECONDS, 900);
        assert.equal(one(resources, T.release).inputs.timeout, 900);
    });

    it("applies every Kubernetes object through the explicit provider built from the cluster's endpoint, after the pool exists", () => {
        const provider = one(resources, T.provider);
        assert.equal(provider.inputs.kubeconfig, "[secret]");
        assert.ok(provider.dependencies?.includes(one(resources, T.pool).urn));
    });

    it("parents every child to the component", () => {
        const component = one(resources, T.component);
        for (const r of resources.filter((r) => r !== component)) assert.equal(r.parent, component.urn, `${r.type} ${r.name}`);
    });

    it("outputs an HTTPS OpenAI base URL and a secret key, and leaks no secret into the plan", () => {
        const outputs = run.outputs as { endpoints: Record<string, string>; apiKeys: unknown };
        assert.equal(outputs.endpoints.gkeL4, "https://gke.llm.example.com/v1");
        assert.equal(outputs.apiKeys, "[secret]");
        const text = everyText({ plan: planDocument("llm-serving", "test", resources), outputs });
        assert.ok(!text.includes(API_KEY_SENTINEL));
        assert.ok(!text.includes(HF_SENTINEL));
        // Negative control: the sentinel search does find a planted value.
        assert.ok(everyText({ x: [API_KEY_SENTINEL] }).includes(API_KEY_SENTINEL));
    });
});

describe("GkeL4Cluster: the stack's certificate, and plain HTTP", function () {
    const PEM = { tlsCertificate: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", tlsPrivateKey: "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n" };
    it("mounts the stack's certificate as a secret kubernetes.io/tls Secret and installs no cert-manager", async () => {
        const { acme: _acme, ...withoutAcme } = GKE;
        const { resources } = await plan(stackFrom({ tags: TEST_TAGS, targets: { gkeL4: withoutAcme } }, { apiKey: API_KEY_SENTINEL, ...PEM }));
        const tls = one(resources, T.k8sSecret);
        assert.equal(obj(tls, "metadata").name, "model-server-tls");
        assert.equal(tls.inputs.type, "kubernetes.io/tls");
        assert.equal(tls.inputs.stringData, "[secret]");
        assert.equal(resources.filter((r) => r.type === T.release || r.type === T.issuer).length, 0);
        assert.equal(obj(one(resources, T.service, "gke-l4-service"), "spec").ports[0].port, 443);
        // Without an HF token only the API key is synced.
        assert.equal(resources.filter((r) => r.type === T.secretVersion).length, 1);
    });

    it("serves plain HTTP on port 80 only when opted in, with the Service's address as the endpoint", async () => {
        const { acme: _acme, domain: _domain, ...bare } = GKE;
        const run = await plan(stackFrom({ tags: TEST_TAGS, targets: { gkeL4: { ...bare, plaintextHttp: true } } }));
        assert.deepEqual(obj(one(run.resources, T.service, "gke-l4-service"), "spec").ports.map((p: { port: number }) => p.port), [80]);
        assert.equal((run.outputs as { endpoints: Record<string, string> }).endpoints.gkeL4, "http://198.51.100.30/v1");
    });
});

describe("GkeL4Cluster: how long Pulumi waits for the model server", function () {
    it("lets the Deployment take a cold node, its image and the whole model load (40 minutes), not Pulumi's default 10", async () => {
        const { run, timeouts } = await planWithTimeouts(stackFrom({ tags: TEST_TAGS, targets: { gkeL4: GKE } }, SECRETS));
        const deployment = one(run.resources, T.deployment, "gke-l4-deployment");
        const t = timeouts.get(`${T.deployment}::${deployment.name}`);
        assert.deepEqual({ create: t?.create, update: t?.update }, { create: "40m", update: "40m" });
        // Longer than the startup probe alone allows for the load, so the probe, not Pulumi, decides.
        const probe = obj(deployment, "spec").template.spec.containers.find((c: { name: string }) => c.name === "model-server").startupProbe;
        assert.ok(40 * 60 > probe.periodSeconds * probe.failureThreshold);
        // Negative control: the recorder sees no timeout where none is set.
        const service = one(run.resources, T.service, "gke-l4-service");
        assert.deepEqual(timeouts.get(`${T.service}::${service.name}`) ?? { create: "", update: "", delete: "" }, { create: "", update: "", delete: "" });
    });
});
