import assert from "node:assert/strict";
import { estimateCosts } from "../../../policies/cost/estimate";
import { UNKNOWN, asPreview, cents, resource } from "./fixtures";

type Requirement = { key: string; operator: string; values?: string[] };

function nodePool(opts: { requirements: Requirement[]; limits?: Record<string, unknown>; region?: string | null; replicas?: number }) {
    const annotations = opts.region === null ? undefined : { "llm-serving.dev/region": opts.region ?? "us-west-2" };
    return resource("kubernetes:karpenter.sh/v1:NodePool", "inf2", {
        apiVersion: "karpenter.sh/v1",
        kind: "NodePool",
        metadata: { name: "inf2", ...(annotations ? { annotations } : {}) },
        spec: {
            template: { spec: { nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "inf2" }, requirements: opts.requirements } },
            ...(opts.limits ? { limits: opts.limits } : {}),
            ...(opts.replicas !== undefined ? { replicas: opts.replicas } : {}),
            disruption: { consolidationPolicy: "WhenEmpty", consolidateAfter: "300s" },
        },
    });
}

const type8x: Requirement = { key: "node.kubernetes.io/instance-type", operator: "In", values: ["inf2.8xlarge"] };
const familyInf2: Requirement = { key: "karpenter.k8s.aws/instance-family", operator: "In", values: ["inf2"] };
const onDemand: Requirement = { key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] };
const spotOnly: Requirement = { key: "karpenter.sh/capacity-type", operator: "In", values: ["spot"] };

/** The EC2NodeClass the pools name: one 200 GiB gp3 root volume ($16 a month per node). */
const NODE_CLASS = resource("kubernetes:karpenter.k8s.aws/v1:EC2NodeClass", "inf2-class", {
    metadata: { name: "inf2" },
    spec: { blockDeviceMappings: [{ deviceName: "/dev/xvda", rootVolume: true, ebs: { volumeSize: "200Gi", volumeType: "gp3" } }] },
});
const estimate = (rs: Parameters<typeof estimateCosts>[0], opts?: Parameters<typeof estimateCosts>[1]) => estimateCosts([...rs, NODE_CLASS], opts);

describe("cost/karpenter", () => {
    it("bounds a pool of inf2.8xlarge by its cpu limit: 1000 / 32 vCPU = 31 nodes", () => {
        const est = estimate([nodePool({ requirements: [type8x, onDemand], limits: { cpu: "1000" } })]);
        assert.deepEqual(est.issues, []);
        const [line] = est.lines;
        assert.equal(line.countMin, 0, "Karpenter starts no nodes");
        assert.equal(line.countMax, Math.floor(1000 / 32));
        assert.equal(line.countMax, 31);
        assert.equal(line.worstCaseMonthlyUsd, cents(31 * 1.96786 * 730));
        assert.equal(line.baselineMonthlyUsd, 0);
    });

    it("bounds a whole inf2 family by the smallest type's share and prices the dearest type", () => {
        const est = estimate([nodePool({ requirements: [familyInf2, onDemand], limits: { cpu: "1000" } })]);
        // The smallest inf2 (xlarge) has 4 vCPU; the dearest (48xlarge) costs 12.98127/h.
        assert.equal(est.lines[0].countMax, 250);
        assert.equal(est.lines[0].sku, "inf2.48xlarge");
        assert.equal(est.lines[0].worstCaseMonthlyUsd, cents(250 * 12.98127 * 730));
    });

    it("takes the tightest of the cpu, memory and neuron limits", () => {
        // Memory: Karpenter counts 128 GiB less 7.5% VM overhead = 118.4 GiB per inf2.8xlarge.
        const memOnly = estimate([nodePool({ requirements: [type8x], limits: { memory: "4000Gi" } })]);
        assert.equal(memOnly.lines[0].countMax, Math.floor(4000 / (128 * 0.925)));
        assert.equal(memOnly.lines[0].countMax, 33);
        const both = estimate([nodePool({ requirements: [type8x], limits: { cpu: "100", memory: "4000Gi" } })]);
        assert.equal(both.lines[0].countMax, 3);
        const neuron = estimate([nodePool({ requirements: [familyInf2], limits: { cpu: "1000", "aws.amazon.com/neuron": "4" } })]);
        assert.equal(neuron.lines[0].countMax, 4);
        assert.equal(neuron.lines[0].worstCaseMonthlyUsd, cents(4 * 12.98127 * 730));
    });

    it("honours NotIn when narrowing a family", () => {
        const notBig: Requirement = { key: "node.kubernetes.io/instance-type", operator: "NotIn", values: ["inf2.24xlarge", "inf2.48xlarge"] };
        const est = estimate([nodePool({ requirements: [familyInf2, notBig], limits: { cpu: "1000" } })]);
        assert.equal(est.lines[0].sku, "inf2.8xlarge");
        assert.equal(est.lines[0].worstCaseMonthlyUsd, cents(250 * 1.96786 * 730));
    });

    it("prices spot-only pools at on-demand (nothing caps Karpenter spot), expected at spot x margin", () => {
        const spot = estimate([nodePool({ requirements: [type8x, spotOnly], limits: { cpu: "64" } })]);
        assert.equal(spot.lines[0].pricing, "spot");
        assert.equal(spot.lines[0].worstCaseMonthlyUsd, 2873.08); // 2 x 1.96786 x 730 = 2873.0756
        assert.equal(spot.lines[0].expected?.worstCaseMonthlyUsd, 1150.3); // 2 x 0.6303 x 1.25 x 730 = 1150.2975
        const both: Requirement = { key: "karpenter.sh/capacity-type", operator: "In", values: ["spot", "on-demand"] };
        assert.equal(estimate([nodePool({ requirements: [type8x, both], limits: { cpu: "64" } })]).lines[0].worstCaseMonthlyUsd, cents(2 * 1.96786 * 730));
        assert.equal(estimate([nodePool({ requirements: [type8x], limits: { cpu: "64" } })]).lines[0].pricing, "on-demand");
    });

    it("prices at the dearest catalog region when the region annotation is absent, and says so", () => {
        const est = estimate([nodePool({ requirements: [type8x, onDemand], limits: { cpu: "64" }, region: null })]);
        // inf2.8xlarge on-demand is 1.96786 in both regions; the first dearest (us-east-1) is kept.
        assert.equal(est.lines[0].region, "us-east-1");
        assert.equal(est.lines[0].worstCaseMonthlyUsd, cents(2 * 1.96786 * 730));
        assert.match(est.lines[0].basis, /annotation/);
    });

    it("blocks a pool without limits, or whose limits bound no allowed type, as unbounded", () => {
        assert.deepEqual(estimate([nodePool({ requirements: [type8x] })]).issues.map((i) => [i.kind, i.field]), [["unbounded", "spec.limits"]]);
        const g5: Requirement = { key: "node.kubernetes.io/instance-type", operator: "In", values: ["g5.xlarge"] };
        assert.equal(estimate([nodePool({ requirements: [g5], limits: { "aws.amazon.com/neuron": "4" } })]).issues[0].kind, "unbounded");
    });

    it("reports requirements that cannot be narrowed to catalog types as unpriced", () => {
        const anyType = estimate([nodePool({ requirements: [onDemand], limits: { cpu: "100" } })]);
        assert.equal(anyType.issues[0].kind, "unpriced");
        const g5family: Requirement = { key: "karpenter.k8s.aws/instance-family", operator: "In", values: ["g5"] };
        assert.equal(estimate([nodePool({ requirements: [g5family], limits: { cpu: "100" } })]).issues[0].kind, "unpriced");
        const bigSize: Requirement = { key: "karpenter.k8s.aws/instance-size", operator: "In", values: ["xlarge", "4xlarge"] };
        const est = estimate([nodePool({ requirements: [g5family, bigSize], limits: { cpu: "100" } })]);
        assert.equal(est.issues[0].kind, "unpriced");
        assert.match(est.issues[0].message, /g5\.4xlarge/);
        const sizes: Requirement = { key: "karpenter.k8s.aws/instance-size", operator: "In", values: ["xlarge", "2xlarge"] };
        const ok = estimate([nodePool({ requirements: [g5family, sizes], limits: { cpu: "100" } })]);
        assert.equal(ok.lines[0].sku, "g5.2xlarge");
        assert.equal(ok.lines[0].countMax, 25);
    });

    it("reports an unknown limit, an unknown requirement or an unknown region in preview as unknown", () => {
        const limit = estimateCosts([asPreview(nodePool({ requirements: [type8x], limits: { cpu: UNKNOWN } }))]);
        assert.deepEqual(limit.issues.map((i) => [i.kind, i.field]), [["unknown", "spec.limits.cpu"]]);
        const req = estimateCosts([asPreview(nodePool({ requirements: [{ key: "node.kubernetes.io/instance-type", operator: "In", values: UNKNOWN as unknown as string[] }], limits: { cpu: "64" } }))]);
        assert.equal(req.issues[0].kind, "unknown");
        const region = estimateCosts([asPreview(nodePool({ requirements: [type8x], limits: { cpu: "64" }, region: UNKNOWN }))]);
        assert.deepEqual(region.issues.map((i) => [i.kind, i.field]), [["unknown", "metadata.annotations.llm-serving.dev/region"]]);
    });

    it("reports a malformed limit as unknown rather than reading it as smaller", () => {
        assert.equal(estimate([nodePool({ requirements: [type8x], limits: { cpu: "lots" } })]).issues[0].kind, "unknown");
    });

    it("prices a static pool at its replicas", () => {
        const est = estimate([nodePool({ requirements: [type8x], replicas: 2 })]);
        assert.equal(est.lines[0].baselineMonthlyUsd, cents(2 * 1.96786 * 730));
        assert.equal(est.lines[0].worstCaseMonthlyUsd, cents(2 * 1.96786 * 730));
    });

    describe("volumes, transient hours and what always runs", () => {
        const rayService = (minReplicas: number) =>
            resource("kubernetes:ray.io/v1:RayService", "llm", {
                spec: {
                    rayClusterConfig: {
                        workerGroupSpecs: [
                            {
                                groupName: "inf2",
                                minReplicas,
                                maxReplicas: 2,
                                template: { spec: { nodeSelector: { "llm-serving.dev/pool": "inf2" }, containers: [{ name: "w", resources: { requests: { cpu: "27", memory: "102Gi", "aws.amazon.com/neuron": "1" } } }] } },
                            },
                        ],
                    },
                },
            });
        const labelled = () => {
            const p = nodePool({ requirements: [type8x, spotOnly], limits: { cpu: "64", memory: "256Gi", "aws.amazon.com/neuron": "2" } });
            (p.props.spec as { template: Record<string, unknown> }).template.metadata = { labels: { "llm-serving.dev/pool": "inf2" } };
            return p;
        };

        it("takes the baseline from the RayService's minimum Neuron workers on the node shape", () => {
            const est = estimate([labelled(), rayService(1)]);
            const [cap, storage, overshoot, replacement] = est.lines;
            // 1 worker (1 Neuron device, 27 vCPU, 102Gi) fits 1 per inf2.8xlarge: baseline 1 node, 1 x 1.96786 x 730 = 1436.5378.
            assert.deepEqual([cap.countMin, cap.countMax, cap.baselineMonthlyUsd, cap.worstCaseMonthlyUsd], [1, 2, 1436.54, 2873.08]);
            // 200 GiB gp3 x $0.08 = $16 per node.
            assert.deepEqual([storage.kind, storage.baselineMonthlyUsd, storage.worstCaseMonthlyUsd], ["storage", 16, 32]);
            // Overshoot: 1 node x (1.96786 + 16/730) x 2 h = 3.9796; replacement: 2 nodes x 2.00 h -> 7.9593.
            assert.deepEqual([overshoot.kind, overshoot.worstCaseMonthlyUsd], ["transient", 3.98]);
            assert.deepEqual([replacement.kind, replacement.countMax, replacement.worstCaseMonthlyUsd], ["transient", 2, 7.96]);
            // Negative control: with no worker always running, the baseline is the pool's 0.
            assert.equal(estimate([labelled(), rayService(0)]).lines[0].countMin, 0);
        });

        it("raises the estimate when only the node volume grows", () => {
            const grown = { ...NODE_CLASS, props: { ...NODE_CLASS.props, spec: { blockDeviceMappings: [{ ebs: { volumeSize: "2000Gi", volumeType: "gp3" } }] } } };
            const est = estimateCosts([labelled(), grown]);
            // 2 nodes x 2000 GiB x $0.08 = $320 instead of $32.
            assert.equal(est.lines.find((l) => l.kind === "storage")?.worstCaseMonthlyUsd, 320);
        });

        it("fails closed when the pool's EC2NodeClass is not in the stack", () => {
            const est = estimateCosts([labelled()]);
            assert.deepEqual(est.issues.map((i) => [i.kind, i.field]), [["unpriced", "spec.template.spec.nodeClassRef"]]);
        });
    });
});
