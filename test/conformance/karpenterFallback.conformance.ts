// Issue 19: the eksInf2 floor/fallback builders (not yet in any planned stack) against the full
// upstream Karpenter and KubeRay CRDs: the weighted spot and on-demand NodePools, and the
// RayService with its on-demand floor worker group.
import { strict as assert } from "node:assert";
import { crdProblems } from "./crds";
import { capacityNodePools, floorWorkerGroup } from "../../targets/eksInf2/capacity";
import { buildNodePool } from "../../targets/eksInf2/karpenter";
import { buildRayService } from "../../targets/eksInf2/rayService";
import { neuronServer } from "../../components/serving";

const POOL = { name: "inf2", nodeClassName: "inf2", region: "us-west-2", instanceTypes: ["inf2.8xlarge"], maxNodes: 4 } as const;
const MODEL = { id: "mistralai/Mistral-7B-Instruct-v0.2", servedName: "mistral-7b", maxModelLen: 8192 };
const IMAGE = "123456789012.dkr.ecr.us-west-2.amazonaws.com/llm-serving/neuron-ray-serve:vllm0.9.1-ray2.46.0";
const plain = <T>(o: T): Record<string, unknown> => JSON.parse(JSON.stringify(o)) as Record<string, unknown>;

describe("conformance: eksInf2 spot/on-demand NodePools and the floor worker group against the upstream CRDs", () => {
    const pools = capacityNodePools({ pool: POOL, onDemandBase: 1, onDemandFallback: 1 }).map((p) => plain(buildNodePool(p)));

    it("both NodePools (weights, share labels, limits) are valid", () => {
        assert.equal(pools.length, 2);
        for (const p of pools) assert.deepEqual(crdProblems("karpenter.sh/v1:NodePool", p), []);
    });

    it("negative control: a weight above the CRD's maximum of 100 is refused", () => {
        const heavy = plain(pools[0]) as { spec: { weight: number } };
        heavy.spec.weight = 101;
        assert.ok(crdProblems("karpenter.sh/v1:NodePool", heavy).length > 0);
    });

    it("the RayService with the on-demand floor worker group is valid", () => {
        const rs = plain(buildRayService({
            name: "llm",
            server: neuronServer(MODEL, { image: IMAGE }),
            devicesPerReplica: 1,
            instanceTypes: ["inf2.8xlarge"],
            replicas: { min: 1, max: 3 },
            apiKeySecret: { name: "llm-api-key", key: "key" },
            hfTokenSecret: { name: "hf-token", key: "token" },
            appConfigMap: "llm-serve-app",
        })) as { spec: { rayClusterConfig: { workerGroupSpecs: any[] } } };
        const groups = rs.spec.rayClusterConfig.workerGroupSpecs;
        groups.push(floorWorkerGroup(groups[0], 1));
        assert.deepEqual(crdProblems("ray.io/v1:RayService", rs), []);
    });
});
