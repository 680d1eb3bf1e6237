import { strict as assert } from "node:assert";
import { parseStackConfig } from "../../../stack";
import { configProblems } from "../../helpers/program";

const GOOD = { region: "us-west-2", apiAccessCidrs: ["203.0.113.0/24"], maxNodes: 2, replicas: { min: 1, max: 2 }, plaintextHttp: true, image: "123456789012.dkr.ecr.us-west-2.amazonaws.com/llm-serving/neuron-ray-serve:vllm0.9.1-ray2.46.0" };
function problems(patch: Record<string, unknown>): string[] {
    return configProblems({ eksInf2: { ...GOOD, ...patch } });
}
const K = "llm-serving:targets.eksInf2";

/** One bad value per field: the message names the key path, the value and what is allowed. */
const ROWS: readonly [string, Record<string, unknown>, RegExp][] = [
    ["region", { region: "eu-west-1" }, /^llm-serving:targets\.eksInf2\.region: got "eu-west-1"; must be one of the supported regions: us-east-1, us-west-2$/],
    ["instanceTypes", { instanceTypes: ["g5.xlarge"] }, /\.instanceTypes\[0\]: got "g5\.xlarge"; must be one of the supported inf2 instance types: inf2\.xlarge, inf2\.8xlarge, inf2\.24xlarge, inf2\.48xlarge$/],
    ["instanceTypes empty", { instanceTypes: [] }, /\.instanceTypes: got \[\]; must list at least one inf2 instance type$/],
    ["capacityType", { capacityType: "reserved" }, /\.capacityType: got "reserved"; must be one of the supported capacity types: on-demand, spot$/],
    ["maxNodes", { maxNodes: 0 }, /\.maxNodes: got 0; must be a whole number from 1 to 20$/],
    ["image missing", { image: undefined }, /\.image: is required; must be the image built from images\/neuron-ray-serve\/Dockerfile/],
    ["maxNodes missing", { maxNodes: undefined }, /\.maxNodes: is required; must be a whole number from 1 to 20$/],
    ["replicas", { replicas: { min: 3, max: 2 } }, /\.replicas: got \{"min":3,"max":2\}; min must not exceed max$/],
    ["replicas over devices", { replicas: { min: 1, max: 3 } }, /\.replicas\.max: got 3; must not exceed the Inferentia2 devices maxNodes allows \(2: 2 x 1 per node\)/],
    ["availabilityZones", { availabilityZones: ["us-west-2a", "us-east-1b"] }, /\.availabilityZones\[1\]: got "us-east-1b"; must be a zone of us-west-2$/],
    ["vpcCidr", { vpcCidr: "10.0.0.0" }, /\.vpcCidr: got "10\.0\.0\.0"; must be an IPv4 CIDR such as 203\.0\.113\.0\/24$/],
    ["existingNetwork", { existingNetwork: { vpcId: "vpc-0123abcd", privateSubnetIds: ["subnet-0123abcd"], publicSubnetIds: ["subnet-0123abce", "subnet-0123abcf"] } }, /\.existingNetwork\.privateSubnetIds: got \["subnet-0123abcd"\]; must list at least 2 subnets/],
    ["kubernetesVersion", { kubernetesVersion: "1.20" }, /\.kubernetesVersion: got "1\.20"; must be one of the supported EKS versions: 1\.34, 1\.35$/],
    ["apiAccessCidrs", { apiAccessCidrs: ["0.0.0.0/0"] }, /\.apiAccessCidrs\[0\]: got "0\.0\.0\.0\/0"; must be \/16 or narrower/],
    ["apiAccessCidrs empty", { apiAccessCidrs: [] }, /\.apiAccessCidrs: got \[\]; must list the deployer's egress CIDRs \(at least one\)/],
    ["apiAccessCidrs missing", { apiAccessCidrs: undefined }, /\.apiAccessCidrs: is required/],
    ["spotServiceLinkedRole", { spotServiceLinkedRole: "import" }, /\.spotServiceLinkedRole: got "import"; must be one of the supported modes: create, existing$/],
    ["adminPrincipalArns", { adminPrincipalArns: ["admin"] }, /\.adminPrincipalArns\[0\]: got "admin"; must be an IAM role or user ARN$/],
    ["systemNodes", { systemNodes: { instanceType: "t3.large" } }, /\.systemNodes\.instanceType: got "t3\.large"; must be one of the supported system instance types: m5\.large$/],
    ["nodeVolumeGib", { nodeVolumeGib: 20 }, /\.nodeVolumeGib: got 20; must be a whole number from 100 to 2000$/],
    ["allowedCidrs", { allowedCidrs: ["203.0.113.0"] }, /\.allowedCidrs\[0\]: got "203\.0\.113\.0"; must be an IPv4 CIDR/],
    ["gcsFaultTolerance", { gcsFaultTolerance: "yes" }, /\.gcsFaultTolerance: got "yes"; must be true or false$/],
    ["chatUi", { chatUi: "yes" }, /\.chatUi: got "yes"; must be true or false$/],
    ["chatUiImage", { chatUiImage: "chat-ui" }, /\.chatUiImage: got "chat-ui"; must be an image reference pinned to a tag or digest$/],
    ["image latest", { image: "public.ecr.aws/neuron/vllm:latest" }, /\.image: got "public\.ecr\.aws\/neuron\/vllm:latest"; must not use the tag latest$/],
    ["image untagged", { image: "public.ecr.aws/neuron/vllm" }, /\.image: got "public\.ecr\.aws\/neuron\/vllm"; must be an image reference pinned to a tag or digest$/],
    ["onDemandBase", { capacityType: "spot", onDemandBase: -1 }, /\.onDemandBase: got -1; must be a whole number from 0 to 19$/],
    ["onDemandBase with on-demand nodes", { onDemandBase: 1 }, /\.onDemandBase: got 1; must be 0 with capacityType on-demand \(every inf2 node is already on demand; allowed: 0, or capacityType spot\)$/],
    ["onDemandFallback with on-demand nodes", { capacityType: "on-demand", onDemandFallback: 1 }, /\.onDemandFallback: got 1; must be 0 with capacityType on-demand/],
    ["onDemandFallback without a floor", { capacityType: "spot", maxNodes: 3, replicas: { min: 1, max: 2 }, onDemandFallback: 1 }, /\.onDemandFallback: got 1; must be 0 unless onDemandBase is at least 1.*allowed: onDemandFallback 0, or onDemandBase >= 1 with it\)$/],
    ["floor and fallback over maxNodes", { capacityType: "spot", onDemandBase: 1, onDemandFallback: 1 }, /\.onDemandFallback: got 1; onDemandBase \+ onDemandFallback \(2\) must leave at least one spot node under maxNodes \(2\) \(allowed: at most 1 together\)$/],
    ["onDemandBase over replicas.min", { capacityType: "spot", maxNodes: 4, replicas: { min: 1, max: 3 }, onDemandBase: 2 }, /\.onDemandBase: got 2; must not exceed replicas\.min \(1\): the floor's workers always run .*\(allowed: 0\.\.1\)$/],
    ["unknown field", { maxNode: 2 }, /\.maxNode: unknown key; allowed keys are region, availabilityZones, vpcCidr/],
];

describe("eksInf2 config: each new field fails with its key path, value and what is allowed", () => {
    for (const [field, patch, expected] of ROWS) {
        it(`rejects a bad ${field}`, () => {
            const found = problems(patch);
            assert.ok(found.some((p) => p.startsWith(K) && expected.test(p)), `got: ${found.join(" | ")}`);
        });
    }
    it("accepts the dev config and fills defaults", () => {
        assert.deepEqual(problems({ instanceTypes: ["inf2.8xlarge"], capacityType: "spot" }), []);
        const cfg = parseStackConfig(
            {
                values: {
                    "llm-serving:tags": JSON.stringify({ owner: "ml-platform", costCenter: "cc-1234" }),
                    "llm-serving:targets": JSON.stringify({ eksInf2: GOOD }),
                },
                secretKeys: new Set(),
            },
            "test",
        ).targets.eksInf2!;
        assert.deepEqual(cfg.availabilityZones, ["us-west-2a", "us-west-2b"]);
        assert.deepEqual(cfg.instanceTypes, ["inf2.8xlarge"]);
        assert.equal(cfg.capacityType, "on-demand");
        assert.deepEqual(cfg.systemNodes, { instanceType: "m5.large", count: { min: 2, max: 3 } });
        assert.deepEqual([cfg.onDemandBase, cfg.onDemandFallback], [0, 0]);
    });
    it("accepts a spot pool with a floor and a fallback inside maxNodes, the floor covered by replicas.min", () => {
        assert.deepEqual(problems({ capacityType: "spot", maxNodes: 3, replicas: { min: 1, max: 3 }, onDemandBase: 1, onDemandFallback: 1 }), []);
        assert.deepEqual(problems({ capacityType: "spot", onDemandBase: 1 }), []);
    });
});
