// Issue 19 on eksInf2: a spot NodePool weighted
// over an on-demand NodePool under one shared maximum, and the floor as always-running Ray workers
// that select on-demand nodes, proven by the consistency check.
import { strict as assert } from "node:assert";
import { capacityNodePools, floorWorkerGroup, ON_DEMAND_POOL_WEIGHT, SPOT_POOL_WEIGHT } from "../../../targets/eksInf2/capacity";
import { checkFloorOnOnDemand, checkWorkersFitInstanceTypes, checkWorkersMatchPools } from "../../../targets/eksInf2/consistency";
import { buildNodePool, maxNodesWithin } from "../../../targets/eksInf2/karpenter";
import { buildRayService, RayServiceInput } from "../../../targets/eksInf2/rayService";
import { INF2_CAPACITY } from "../../../targets/eksInf2/config";
import { neuronServer } from "../../../components/serving";
import { readCapacityShare } from "../../../policies/contract/capacityShare";
import { PlannedResource } from "../../../plan/mocks";
import { plan, stackFrom, TEST_TAGS } from "../../helpers/program";

const TEST_IMAGE = "123456789012.dkr.ecr.us-west-2.amazonaws.com/llm-serving/neuron-ray-serve:vllm0.9.1-ray2.46.0";
const MODEL = { id: "mistralai/Mistral-7B-Instruct-v0.2", servedName: "mistral-7b", maxModelLen: 8192 };
const POOL = { name: "inf2", nodeClassName: "inf2", region: "us-west-2", instanceTypes: ["inf2.8xlarge"], maxNodes: 4 } as const;
const rayInput: RayServiceInput = {
    name: "llm",
    server: neuronServer(MODEL, { image: TEST_IMAGE }),
    devicesPerReplica: 1,
    instanceTypes: ["inf2.8xlarge"],
    replicas: { min: 1, max: 3 },
    apiKeySecret: { name: "llm-api-key", key: "key" },
    hfTokenSecret: { name: "hf-token", key: "token" },
    appConfigMap: "llm-serve-app",
};
const clone = <T>(o: T): T => JSON.parse(JSON.stringify(o)) as T;

/** The RayService with its serving group plus a floor of `floor` on-demand workers. */
function withFloor(floor: number) {
    const rs = clone(buildRayService(rayInput)) as any;
    const groups = rs.spec.rayClusterConfig.workerGroupSpecs;
    groups.push(floorWorkerGroup(groups[0], floor));
    return rs;
}

describe("eksInf2 capacity: spot NodePool weighted over on-demand, one shared maximum (issue 19)", () => {
    const inputs = capacityNodePools({ pool: POOL, onDemandBase: 1, onDemandFallback: 1 });
    const pools = inputs.map(buildNodePool);

    it("without a floor or fallback stays one spot pool without labels (plans unchanged)", () => {
        const [only, ...rest] = capacityNodePools({ pool: POOL, onDemandBase: 0, onDemandFallback: 0 });
        assert.equal(rest.length, 0);
        const pool = buildNodePool(only) as any;
        assert.equal(pool.metadata.labels, undefined);
        assert.equal(pool.spec.weight, undefined);
    });

    it("weights spot over on-demand, so Karpenter falls back to on-demand only when spot cannot launch", () => {
        const [spot, od] = pools as any[];
        assert.deepEqual([spot.metadata.name, od.metadata.name], ["inf2", "inf2-ondemand"]);
        assert.ok(spot.spec.weight > od.spec.weight);
        assert.deepEqual([spot.spec.weight, od.spec.weight], [SPOT_POOL_WEIGHT, ON_DEMAND_POOL_WEIGHT]);
        const capacityTypes = (p: any) => p.spec.template.spec.requirements.find((r: any) => r.key === "karpenter.sh/capacity-type").values;
        assert.deepEqual([capacityTypes(spot), capacityTypes(od)], [["spot"], ["on-demand"]]);
    });

    it("splits the shared maximum between the pools' limits and declares it on both", () => {
        const nodes = pools.map((p: any) => maxNodesWithin(p.spec.limits, ["inf2.8xlarge"]));
        assert.deepEqual(nodes, [2, 2]);
        assert.equal(nodes[0] + nodes[1], POOL.maxNodes, "spot + floor + fallback within one maximum, never more");
        const shares = pools.map((p: any) => readCapacityShare(p.metadata.labels));
        assert.deepEqual(shares.map((s) => s.state === "known" && [s.value.role, s.value.share, s.value.max]), [["spot", "inf2", 4], ["on-demand-floor", "inf2", 4]]);
        assert.throws(() => capacityNodePools({ pool: POOL, onDemandBase: 2, onDemandFallback: 2 }), /at least one spot node/);
    });

    it("validates both NodePools against the Karpenter v1 schema (@kubernetes-models/karpenter), and rejects a weight over 100", async () => {
        const { NodePool } = await import("@kubernetes-models/karpenter/karpenter.sh/v1/NodePool");
        for (const p of pools) (new NodePool(p as never) as unknown as { validate(): void }).validate();
        const heavy = clone(pools[0]) as any;
        heavy.spec.weight = 101;
        assert.throws(() => (new NodePool(heavy as never) as unknown as { validate(): void }).validate());
    });
});

describe("eksInf2 floor placement by construction (consistency check)", () => {
    const pools = capacityNodePools({ pool: POOL, onDemandBase: 1, onDemandFallback: 1 }).map(buildNodePool);

    it("an always-running floor group that selects on-demand nodes matches only the on-demand pool", () => {
        const rs = withFloor(1);
        const floor = rs.spec.rayClusterConfig.workerGroupSpecs[1];
        assert.deepEqual([floor.groupName, floor.minReplicas, floor.maxReplicas], ["inf2-floor", 1, 1]);
        assert.deepEqual(checkFloorOnOnDemand(rs, pools, ["inf2-floor"]), []);
        assert.deepEqual(checkWorkersMatchPools(rs, pools), []);
        assert.deepEqual(checkWorkersFitInstanceTypes(rs, pools, INF2_CAPACITY), []);
    });

    it("negative controls: a floor without the selector, a floor of zero, an on-demand pool that also allows spot", () => {
        const noSelector = withFloor(1);
        delete noSelector.spec.rayClusterConfig.workerGroupSpecs[1].template.spec.nodeSelector["karpenter.sh/capacity-type"];
        assert.match(checkFloorOnOnDemand(noSelector, pools, ["inf2-floor"]).join("\n"), /does not select karpenter\.sh\/capacity-type=on-demand/);

        const zero = withFloor(1);
        zero.spec.rayClusterConfig.workerGroupSpecs[1].minReplicas = 0;
        assert.match(checkFloorOnOnDemand(zero, pools, ["inf2-floor"]).join("\n"), /minReplicas 0: a floor must always run/);

        const mixed = clone(pools) as any[];
        mixed[1].spec.template.spec.requirements.find((r: any) => r.key === "karpenter.sh/capacity-type").values = ["spot", "on-demand"];
        assert.ok(checkFloorOnOnDemand(withFloor(1), mixed, ["inf2-floor"]).length > 0, "no on-demand-only pool left for the floor");

        assert.match(checkFloorOnOnDemand(clone(buildRayService(rayInput)), pools, ["inf2-floor"]).join("\n"), /no worker group inf2-floor/);
    });
});

describe("EksInf2Pool wires the floor and fallback (issue 19)", function () {
    const EKS = {
        region: "us-west-2",
        instanceTypes: ["inf2.8xlarge"],
        capacityType: "spot",
        maxNodes: 4,
        replicas: { min: 2, max: 4 },
        allowedCidrs: ["203.0.113.0/24"],
        apiAccessCidrs: ["203.0.113.0/24"],
        plaintextHttp: true,
        image: TEST_IMAGE,
    };
    const NODE_POOL = "kubernetes:karpenter.sh/v1:NodePool";
    const planOf = async (extra: Record<string, unknown>) => (await plan(stackFrom({ tags: TEST_TAGS, targets: { eksInf2: { ...EKS, ...extra } } }))).resources;
    let floor: PlannedResource[];
    let plain: PlannedResource[];
    before(async () => {
        floor = await planOf({ onDemandBase: 1, onDemandFallback: 1 });
        plain = await planOf({});
    });
    const pools = (rs: PlannedResource[]) => rs.filter((r) => r.type === NODE_POOL);
    const rayService = (rs: PlannedResource[]) => rs.find((r) => r.type === "kubernetes:ray.io/v1:RayService")!.inputs as any;

    it("keeps the spot pool's URN and adds the on-demand pool beside it, limits adding up to maxNodes", () => {
        const [spot, od] = pools(floor);
        assert.equal(pools(plain).length, 1);
        assert.equal(spot.urn, pools(plain)[0].urn, "adding a floor must not replace the existing NodePool");
        assert.equal(od.name, "eks-inf2-nodepool-ondemand");
        const nodes = [spot, od].map((p) => maxNodesWithin((p.inputs as any).spec.limits, ["inf2.8xlarge"]));
        assert.deepEqual(nodes, [2, 2]);
        assert.deepEqual([spot, od].map((p) => (p.inputs as any).spec.weight), [SPOT_POOL_WEIGHT, ON_DEMAND_POOL_WEIGHT]);
        assert.deepEqual([spot, od].map((p) => (p.inputs as any).metadata.labels["llm-serving-capacity"]), ["spot", "on-demand-floor"]);
    });

    it("runs the floor as its own always-on group on on-demand nodes; the workers' bounds stay replicas", () => {
        const rs = rayService(floor);
        const groups = rs.spec.rayClusterConfig.workerGroupSpecs;
        assert.deepEqual(groups.map((g: any) => [g.groupName, g.replicas, g.minReplicas, g.maxReplicas]), [["inf2", 1, 1, 3], ["inf2-floor", 1, 1, 1]]);
        assert.deepEqual(checkFloorOnOnDemand(rs, pools(floor).map((p) => p.inputs), ["inf2-floor"]), []);
        assert.deepEqual(checkWorkersMatchPools(rs, pools(floor).map((p) => p.inputs)), []);
        // The Serve app's minimum covers the floor's workers.
        assert.match(JSON.stringify(rs.spec.serveConfigV2), /min_replicas: 2/);
    });

    it("without the keys: one NodePool, one worker group (plans unchanged)", () => {
        assert.equal(rayService(plain).spec.rayClusterConfig.workerGroupSpecs.length, 1);
        assert.equal((pools(plain)[0].inputs as any).metadata.labels, undefined);
    });

    it("a fallback alone is refused before any resource (exit 2 path)", async () => {
        await assert.rejects(planOf({ onDemandFallback: 1 }), /onDemandFallback: got 1; must be 0 unless onDemandBase/);
    });
});
