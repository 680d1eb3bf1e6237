import { strict as assert } from "node:assert";
import { estimateCosts } from "../../../policies/cost/estimate";
import { GPU_TAINT, SPOT_TAINT } from "../../../targets/aksGpu/aks";
import { MockRun, PlannedResource } from "../../../plan/mocks";
import { planDocument } from "../../../plan/render";
import { one, plan, stackFrom, TEST_TAGS } from "../../helpers/program";
import { AKS, API_KEY_SENTINEL, everyText, HF_SENTINEL, SECRETS } from "../../components/azure/fixtures";

const T = {
    component: "llm-serving:azure:AksGpuNodePool",
    cluster: "azure-native:containerservice:ManagedCluster",
    pool: "azure-native:containerservice:AgentPool",
    deployment: "kubernetes:apps/v1:Deployment",
    service: "kubernetes:core/v1:Service",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    secret: "kubernetes:core/v1:Secret",
    release: "kubernetes:helm.sh/v3:Release",
    provider: "pulumi:providers:kubernetes",
    role: "azure-native:authorization:RoleAssignment",
};

describe("AksGpuNodePool under mocks", function () {
    let run: MockRun<unknown>;
    let resources: PlannedResource[];
    before(async () => {
        run = await plan(stackFrom({ tags: TEST_TAGS, targets: { aksGpu: AKS } }, SECRETS));
        resources = run.resources;
    });
    const obj = (r: PlannedResource, key: string) => r.inputs[key] as Record<string, any>;

    it("bounds the GPU pool by the autoscaler and taints it for GPU workloads only", () => {
        const pool = one(resources, T.pool);
        assert.equal(pool.inputs.vmSize, "Standard_NC24ads_A100_v4");
        assert.equal(pool.inputs.enableAutoScaling, true);
        assert.equal(pool.inputs.minCount, 1);
        assert.equal(pool.inputs.maxCount, 2);
        assert.deepEqual(pool.inputs.nodeTaints, [`${GPU_TAINT.key}=${GPU_TAINT.value}:${GPU_TAINT.effect}`]);
        assert.equal(pool.inputs.enableNodePublicIP, false);
        assert.equal(pool.inputs.mode, "User");
    });

    it("runs a spot pool with eviction Delete and the configured max price", () => {
        const pool = one(resources, T.pool);
        assert.equal(pool.inputs.scaleSetPriority, "Spot");
        assert.equal(pool.inputs.scaleSetEvictionPolicy, "Delete");
        assert.equal(pool.inputs.spotMaxPrice, 1.0);
    });

    it("wires the pool to the cluster so the cost policy finds its region", () => {
        const pool = one(resources, T.pool);
        const cluster = one(resources, T.cluster);
        assert.deepEqual(pool.propertyDependencies.resourceName, [cluster.urn]);
    });

    it("locks the cluster down: Entra ID + Azure RBAC, no local accounts, authorized ranges, network policy", () => {
        const cluster = one(resources, T.cluster);
        assert.equal(cluster.inputs.disableLocalAccounts, true);
        assert.equal(cluster.inputs.enableRBAC, true);
        assert.deepEqual(obj(cluster, "aadProfile"), { managed: true, enableAzureRBAC: true });
        assert.deepEqual(obj(cluster, "apiServerAccessProfile").authorizedIPRanges, ["203.0.113.0/24"]);
        assert.equal(obj(cluster, "networkProfile").networkPolicy, "cilium");
        assert.equal(obj(cluster, "sku").tier, "Standard");
    });

    it("keeps only a small fixed system pool inline", () => {
        const pools = obj(one(resources, T.cluster), "agentPoolProfiles") as unknown as Array<Record<string, unknown>>;
        assert.equal(pools.length, 1);
        assert.equal(pools[0].mode, "System");
        assert.equal(pools[0].vmSize, "Standard_D4s_v5");
        assert.equal(pools[0].count, 1);
        assert.equal(pools[0].enableNodePublicIP, false);
    });

    it("applies every Kubernetes object through the explicit provider built from the cluster's kubeconfig", () => {
        const provider = one(resources, T.provider);
        assert.equal(provider.inputs.kubeconfig, "[secret]");
        for (const type of [T.deployment, T.service, T.pdb, T.secret, T.release]) {
            const r = one(resources, type);
            assert.ok(r.parent?.includes(T.component), `${type} is parented to the component`);
        }
    });

    it("grants the deployer cluster admin with a principalType matching a CI service principal, before any Kubernetes object", () => {
        const role = one(resources, T.role, "aks-gpu-deployer-admin");
        // The mocked client config is a service principal's (its own client id).
        assert.equal(role.inputs.principalType, "ServicePrincipal");
        assert.ok(one(resources, T.provider).dependencies?.includes(role.urn), "the provider waits for the grant");
    });

    it("pins the NVIDIA device plugin chart and tolerates the GPU and spot taints", () => {
        const release = one(resources, T.release);
        assert.equal(release.inputs.chart, "nvidia-device-plugin");
        assert.match(String(release.inputs.version), /^\d+\.\d+\.\d+$/);
        assert.equal(obj(release, "repositoryOpts").repo, "https://nvidia.github.io/k8s-device-plugin");
        const keys = (obj(release, "values").tolerations as Array<{ key: string }>).map((t) => t.key);
        assert.deepEqual(keys, [GPU_TAINT.key, SPOT_TAINT.key]);
    });

    it("runs the model server with probes, GPU limits, tolerations and secret refs (no literal token)", () => {
        const spec = obj(one(resources, T.deployment), "spec");
        assert.equal(spec.replicas, 2);
        const pod = spec.template.spec;
        const server = pod.containers.find((c: { name: string }) => c.name === "model-server");
        assert.equal(server.resources.limits["nvidia.com/gpu"], "1");
        for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) assert.equal(server[probe].httpGet.path, "/health");
        for (const env of server.env) {
            assert.equal(env.value, undefined, `${env.name} has no literal value`);
            assert.ok(env.valueFrom.secretKeyRef.name);
        }
        assert.ok(pod.tolerations.some((t: { key: string }) => t.key === GPU_TAINT.key));
        assert.equal(pod.nodeSelector["llm-serving/pool"], "gpu");
        assert.ok(pod.volumes.some((v: { name: string }) => v.name === "hf-cache"));
    });

    it("keeps the Secret's data secret", () => {
        assert.equal(one(resources, T.secret).inputs.stringData, "[secret]");
    });

    it("exposes only the route guard to the allowed CIDRs, with a PDB that allows one disruption", () => {
        const svc = obj(one(resources, T.service), "spec");
        assert.equal(svc.type, "LoadBalancer");
        assert.deepEqual(svc.loadBalancerSourceRanges, ["198.51.100.0/24"]);
        assert.deepEqual(svc.ports.map((p: { targetPort: string }) => p.targetPort), ["http"]);
        assert.equal(obj(one(resources, T.pdb), "spec").maxUnavailable, 1);
    });

    it("parents every child to the component", () => {
        const component = one(resources, T.component);
        for (const r of resources.filter((r) => r !== component)) assert.equal(r.parent, component.urn, `${r.type} ${r.name}`);
    });

    it("outputs an OpenAI base URL and a secret key, and leaks no secret into the plan", () => {
        const outputs = run.outputs as { endpoints: Record<string, string>; apiKeys: unknown };
        assert.equal(outputs.endpoints.aksGpu, "http://198.51.100.30/v1");
        assert.equal(outputs.apiKeys, "[secret]");
        const text = everyText({ plan: planDocument("llm-serving", "test", resources), outputs });
        assert.ok(!text.includes(API_KEY_SENTINEL));
        assert.ok(!text.includes(HF_SENTINEL));
    });
});

describe("AksGpuNodePool on an existing cluster", function () {
    it("creates no cluster or resource group and adds the pool to the named cluster", async () => {
        const id = "/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/platform-rg/providers/Microsoft.ContainerService/managedClusters/shared-aks";
        const { resources } = await plan(
            stackFrom({ tags: TEST_TAGS, targets: { aksGpu: { ...AKS, existingClusterId: id, apiServerAuthorizedRanges: [] } } }, SECRETS),
        );
        assert.equal(resources.filter((r) => r.type === T.cluster || r.type === "azure-native:resources:ResourceGroup").length, 0);
        const pool = one(resources, T.pool);
        assert.equal(pool.inputs.resourceGroupName, "platform-rg");
        assert.equal(pool.inputs.resourceName, "shared-aks");
        // Its cluster is not in the stack: the pool carries its region so the pack can price it.
        assert.equal((pool.inputs.tags as Record<string, string>)["llm-serving-region"], AKS.location);
        const estimate = estimateCosts(resources.map((r) => ({ ...r, props: r.inputs })));
        assert.deepEqual(estimate.issues, []);
        assert.ok(estimate.lines.some((l) => l.urn === pool.urn && l.region === AKS.location));
    });
});
