// Issue 19: an on-demand GPU pool beside the AKS spot pool, a floor Deployment that can only land
// on it, a spot-preferring main Deployment, and the priority expander for fallback.
import { strict as assert } from "node:assert";
import { aksGpuSchema } from "../../../targets/aksGpu/config";
import {
    aksCapacity,
    CAPACITY_NODE_LABEL,
    floorPdb,
    ON_DEMAND_POOL_NAME,
    placement,
    placementProblems,
    poolViews,
    priorityExpanderConfigMap,
    splitDeployments,
} from "../../../targets/aksGpu/capacity";
import { modelServerDeployment, BuiltWithSpec } from "../../../components/k8s/modelServer";
import { GPU_TAINT, SPOT_TAINT, gpuTolerations } from "../../../targets/aksGpu/aks";
import { azureVllmServer } from "../../../components/azure/server";
import { readCapacityShare } from "../../../policies/contract/capacityShare";
import { estimateCosts } from "../../../policies/cost/estimate";
import { ofType, plan, stackFrom, TEST_TAGS } from "../../helpers/program";
import { AKS, SECRETS } from "../../components/azure/fixtures";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";

const HA = { ...AKS, nodes: { min: 1, max: 4 }, replicas: 2, onDemandBase: 1, onDemandFallback: 1 };
const config = aksGpuSchema.parse(HA);
const workload = {
    name: "model-server",
    namespace: "llm",
    server: azureVllmServer({ id: "HuggingFaceH4/zephyr-7b-beta", servedName: "zephyr", maxModelLen: 4096 } as never, config.vmSize),
    replicas: config.replicas,
    resources: { cpu: "4", memory: "16Gi", memoryLimit: "24Gi" },
    tolerations: gpuTolerations(true),
    nodeSelector: { "llm-serving/pool": "gpu" },
    secretName: "model-server-secrets",
    hfToken: false,
};
type Validatable = { validate(): void };
/** kubernetes-models is ESM-only: loaded with import() (the tests run as CommonJS). */
async function models() {
    const { Deployment } = await import("kubernetes-models/apps/v1/Deployment");
    const { ConfigMap } = await import("kubernetes-models/v1/ConfigMap");
    const { PodDisruptionBudget } = await import("kubernetes-models/policy/v1/PodDisruptionBudget");
    return { Deployment, ConfigMap, PodDisruptionBudget };
}

describe("aksGpu on-demand floor and fallback (pure)", () => {
    it("splits nodes.max between the pools: spot 0..2, on-demand 1..2 (floor 1 + fallback 1)", () => {
        assert.deepEqual(aksCapacity(config), { spot: { min: 0, max: 2 }, onDemand: { min: 1, max: 2, role: "on-demand-floor" } });
        assert.deepEqual(aksCapacity(aksGpuSchema.parse(AKS)), { spot: { min: 1, max: 2 } }, "no floor: the spot pool keeps nodes");
    });

    it("places the floor on the on-demand pool only and lets the main Deployment use both, preferring spot", async () => {
        const { Deployment, PodDisruptionBudget } = await models();
        const split = splitDeployments(modelServerDeployment(workload), "model-server", 1);
        const pools = poolViews(config);
        assert.deepEqual(placement(split.floor!.spec.template.spec!, pools), { may: [ON_DEMAND_POOL_NAME], preferred: [] });
        assert.deepEqual(placement(split.main.spec.template.spec!, pools), { may: ["gpu", ON_DEMAND_POOL_NAME], preferred: ["gpu"] });
        assert.deepEqual(placementProblems(config, split), []);
        assert.equal(split.main.spec.replicas, 1);
        assert.equal(split.floor!.spec.replicas, 1);
        // Distinct selectors: neither Deployment claims the other's pods.
        assert.notDeepEqual(split.main.spec.selector, split.floor!.spec.selector);
        for (const d of [split.main, split.floor!]) (new Deployment(d as IDeployment) as unknown as Validatable).validate();
        (new PodDisruptionBudget(floorPdb(split.floor!)) as unknown as Validatable).validate();
    });

    it("negative control: a floor that tolerates the spot taint is caught", () => {
        const split = splitDeployments(modelServerDeployment(workload), "model-server", 1);
        const leaky: BuiltWithSpec<IDeployment> = JSON.parse(JSON.stringify(split.floor));
        leaky.spec.template.spec!.tolerations = gpuTolerations(true);
        delete leaky.spec.template.spec!.nodeSelector![CAPACITY_NODE_LABEL];
        const problems = placementProblems(config, { main: split.main, floor: leaky });
        assert.equal(problems.length, 1);
        assert.match(problems[0], /floor Deployment may land on \[gpu, gpuod\]/);
    });

    it("negative control: a main Deployment without the spot toleration is caught", () => {
        const split = splitDeployments(modelServerDeployment({ ...workload, tolerations: gpuTolerations(false) }), "model-server", 1);
        assert.ok(placementProblems(config, split).some((p) => /main Deployment may land on \[gpuod\]/.test(p)));
    });

    it("gives the priority expander the spot pool's scale sets first", async () => {
        const { ConfigMap } = await models();
        const cm = priorityExpanderConfigMap();
        (new ConfigMap(cm) as unknown as Validatable).validate();
        assert.equal(cm.metadata.namespace, "kube-system");
        assert.equal(cm.data!.priorities, "50:\n  - ^aks-gpu-.*\n10:\n  - .*\n");
        assert.ok(!/^aks-gpu-/.test("aks-gpuod-12345678-vmss") && /^aks-gpu-/.test("aks-gpu-12345678-vmss"), "the spot pattern does not match the on-demand pool");
    });

    it("refuses a floor without spot, and a floor that leaves no spot node", () => {
        assert.throws(() => aksGpuSchema.parse({ ...HA, spot: false, spotMaxPrice: undefined }), /need spot: true/);
        assert.throws(() => aksGpuSchema.parse({ ...HA, nodes: { min: 1, max: 2 } }), /must leave at least one spot node under nodes.max \(2\)/);
        assert.throws(() => aksGpuSchema.parse({ ...HA, onDemandBase: 2 }), /must be below replicas \(2\)/);
    });
});

describe("aksGpu with an on-demand floor, under mocks", function () {
    let resources: Awaited<ReturnType<typeof plan>>["resources"];
    before(async () => {
        resources = (await plan(stackFrom({ tags: TEST_TAGS, targets: { aksGpu: HA } }, SECRETS))).resources;
    });

    it("creates both pools with their share of nodes.max declared in their tags", () => {
        const pools = ofType(resources, "azure-native:containerservice:AgentPool");
        const byName = Object.fromEntries(pools.map((p) => [p.inputs.agentPoolName as string, p]));
        assert.deepEqual([byName.gpu.inputs.scaleSetPriority, byName.gpu.inputs.minCount, byName.gpu.inputs.maxCount], ["Spot", 0, 2]);
        assert.deepEqual([byName.gpuod.inputs.scaleSetPriority, byName.gpuod.inputs.minCount, byName.gpuod.inputs.maxCount], ["Regular", 1, 2]);
        assert.deepEqual(byName.gpuod.inputs.nodeTaints, [`${GPU_TAINT.key}=${GPU_TAINT.value}:${GPU_TAINT.effect}`]);
        for (const [pool, role] of [[byName.gpu, "spot"], [byName.gpuod, "on-demand-floor"]] as const) {
            const share = readCapacityShare(pool.inputs.tags);
            assert.ok(share.state === "known" && share.value.role === role && share.value.max === 4);
        }
    });

    it("sets the priority expander and both Deployments; the Service selects both", () => {
        const cluster = ofType(resources, "azure-native:containerservice:ManagedCluster")[0];
        assert.deepEqual(cluster.inputs.autoScalerProfile, { expander: "priority" });
        assert.deepEqual(ofType(resources, "kubernetes:apps/v1:Deployment").map((d) => d.name).sort(), ["aks-gpu-deployment", "aks-gpu-floor-deployment"]);
        const service = ofType(resources, "kubernetes:core/v1:Service")[0];
        assert.deepEqual((service.inputs.spec as Record<string, unknown>).selector, { "llm-serving/endpoint": "model-server" });
        assert.ok(ofType(resources, "kubernetes:core/v1:ConfigMap").some((c) => (c.inputs.metadata as Record<string, unknown>).name === "cluster-autoscaler-priority-expander"));
    });

    it("prices the floor on-demand in the baseline and the whole nodes.max in the worst case, without share issues", () => {
        const est = estimateCosts(resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, props: r.inputs as Record<string, unknown>, propertyDependencies: r.propertyDependencies })));
        assert.deepEqual(est.issues.filter((i) => /shared capacity|shared maximum/.test(i.message)), []);
        const gpu = est.lines.filter((l) => l.kind === "capacity" && l.sku === "Standard_NC24ads_A100_v4");
        assert.equal(gpu.length, 2);
        const od = gpu.find((l) => l.pricing === "on-demand")!;
        const spot = gpu.find((l) => l.pricing === "spot")!;
        // Standard_NC24ads_A100_v4 eastus on-demand $3.673/h; spot max price $1.00/h (the worst a spot node bills).
        // Baseline: the floor replica on 1 on-demand node; the spot-preferring replica on 1 spot node
        // (counted where it prefers to run, not also on the pool it only falls back to).
        assert.equal(od.baselineMonthlyUsd, 2681.29); // 1 x 3.673 x 730 = 2681.29
        assert.equal(spot.baselineMonthlyUsd, 730); // 1 x 1.00 x 730
        // Worst: floor + fallback 2 on-demand nodes, spot 2 nodes at their max price: nodes.max 4 in all.
        assert.equal(od.worstCaseMonthlyUsd, 5362.58); // 2 x 3.673 x 730
        assert.equal(spot.worstCaseMonthlyUsd, 1460); // 2 x 1.00 x 730
        assert.equal(SPOT_TAINT.key, "kubernetes.azure.com/scalesetpriority");
    });

    it("negative control: without the spot preference the main replica counts toward the on-demand pool's baseline too", () => {
        const stripped = resources.map((r) => {
            if (r.name !== "aks-gpu-deployment") return r;
            const copy = JSON.parse(JSON.stringify(r.inputs));
            delete copy.spec.template.spec.affinity;
            return { ...r, inputs: copy };
        });
        const est = estimateCosts(stripped.map((r) => ({ urn: r.urn, type: r.type, name: r.name, props: r.inputs as Record<string, unknown>, propertyDependencies: r.propertyDependencies })));
        const od = est.lines.find((l) => l.kind === "capacity" && l.pricing === "on-demand" && l.sku === "Standard_NC24ads_A100_v4")!;
        assert.equal(od.baselineMonthlyUsd, 5362.58);
    });
});
