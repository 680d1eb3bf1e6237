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

describe("cost/karpenter", () => {
    it("bounds a pool of inf2.8xlarge by its cpu limit: 1000 / 32 vCPU = 31 nodes", () => {
        const est = estimateCosts([nodePool({ requirements: [type8x, onDemand], limits: { cpu: "1000" } })]);
        assert.deepEqual(est.issues, []);
        const [line] = est.lines;
        assert.equal(line.countMin, 0, "Karpenter starts no nodes");
        assert.equal(line.countMax, Math.floor(1000 / 32));
        assert.equal(line.countMax, 31);
        assert.equal(line.worstCaseMonthlyUsd, cents(31 * 1.96786 * 730));
        assert.equal(line.baselineMonthlyUsd, 0);
    });

    it("bounds a whole inf2 family by the smallest type's share and prices the dearest type", () => {
        const est = estimateCosts([nodePool({ requirements: [familyInf2, onDemand], limits: { cpu: "1000" } })]);
        // The smallest inf2 (xlarge) has 4 vCPU; the dearest (48xlarge) costs 12.98127/h.
        assert.equal(est.lines[0].countMax, 250);
        assert.equal(est.lines[0].sku, "inf2.48xlarge");
        assert.equal(est.worstCaseMonthlyUsd, cents(250 * 12.98127 * 730));
    });

    it("takes the tightest of the cpu, memory and neuron limits", () => {
        // Memory: Karpenter counts 128 GiB less 7.5% VM overhead = 118.4 GiB per inf2.8xlarge.
        const memOnly = estimateCosts([nodePool({ requirements: [type8x], limits: { memory: "4000Gi" } })]);
        assert.equal(memOnly.lines[0].countMax, Math.floor(4000 / (128 * 0.925)));
        assert.equal(memOnly.lines[0].countMax, 33);
        const both = estimateCosts([nodePool({ requirements: [type8x], limits: { cpu: "100", memory: "4000Gi" } })]);
        assert.equal(both.lines[0].countMax, 3);
        const neuron = estimateCosts([nodePool({ requirements: [familyInf2], limits: { cpu: "1000", "aws.amazon.com/neuron": "4" } })]);
        assert.equal(neuron.lines[0].countMax, 4);
        assert.equal(neuron.worstCaseMonthlyUsd, cents(4 * 12.98127 * 730));
    });

    it("honours NotIn when narrowing a family", () => {
        const notBig: Requirement = { key: "node.kubernetes.io/instance-type", operator: "NotIn", values: ["inf2.24xlarge", "inf2.48xlarge"] };
        const est = estimateCosts([nodePool({ requirements: [familyInf2, notBig], limits: { cpu: "1000" } })]);
        assert.equal(est.lines[0].sku, "inf2.8xlarge");
        assert.equal(est.worstCaseMonthlyUsd, cents(250 * 1.96786 * 730));
    });

    it("prices spot-only pools at spot x margin, and pools allowing on-demand at on-demand", () => {
        const spot = estimateCosts([nodePool({ requirements: [type8x, spotOnly], limits: { cpu: "64" } })]);
        assert.equal(spot.lines[0].pricing, "spot");
        assert.equal(spot.worstCaseMonthlyUsd, cents(2 * 0.6303 * 1.25 * 730));
        const both: Requirement = { key: "karpenter.sh/capacity-type", operator: "In", values: ["spot", "on-demand"] };
        assert.equal(estimateCosts([nodePool({ requirements: [type8x, both], limits: { cpu: "64" } })]).worstCaseMonthlyUsd, cents(2 * 1.96786 * 730));
        assert.equal(estimateCosts([nodePool({ requirements: [type8x], limits: { cpu: "64" } })]).lines[0].pricing, "on-demand");
    });

    it("prices at the dearest catalog region when the region annotation is absent, and says so", () => {
        const est = estimateCosts([nodePool({ requirements: [type8x, spotOnly], limits: { cpu: "64" }, region: null })]);
        // inf2.8xlarge spot tops: us-east-1 0.5799, us-west-2 0.6303.
        assert.equal(est.lines[0].region, "us-west-2");
        assert.equal(est.worstCaseMonthlyUsd, cents(2 * 0.6303 * 1.25 * 730));
        assert.match(est.lines[0].basis, /annotation/);
    });

    it("blocks a pool without limits, or whose limits bound no allowed type, as unbounded", () => {
        assert.deepEqual(estimateCosts([nodePool({ requirements: [type8x] })]).issues.map((i) => [i.kind, i.field]), [["unbounded", "spec.limits"]]);
        const g5: Requirement = { key: "node.kubernetes.io/instance-type", operator: "In", values: ["g5.xlarge"] };
        assert.equal(estimateCosts([nodePool({ requirements: [g5], limits: { "aws.amazon.com/neuron": "4" } })]).issues[0].kind, "unbounded");
    });

    it("reports requirements that cannot be narrowed to catalog types as unpriced", () => {
        const anyType = estimateCosts([nodePool({ requirements: [onDemand], limits: { cpu: "100" } })]);
        assert.equal(anyType.issues[0].kind, "unpriced");
        const g5family: Requirement = { key: "karpenter.k8s.aws/instance-family", operator: "In", values: ["g5"] };
        assert.equal(estimateCosts([nodePool({ requirements: [g5family], limits: { cpu: "100" } })]).issues[0].kind, "unpriced");
        const bigSize: Requirement = { key: "karpenter.k8s.aws/instance-size", operator: "In", values: ["xlarge", "4xlarge"] };
        const est = estimateCosts([nodePool({ requirements: [g5family, bigSize], limits: { cpu: "100" } })]);
        assert.equal(est.issues[0].kind, "unpriced");
        assert.match(est.issues[0].message, /g5\.4xlarge/);
        const sizes: Requirement = { key: "karpenter.k8s.aws/instance-size", operator: "In", values: ["xlarge", "2xlarge"] };
        const ok = estimateCosts([nodePool({ requirements: [g5family, sizes], limits: { cpu: "100" } })]);
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
        assert.equal(estimateCosts([nodePool({ requirements: [type8x], limits: { cpu: "lots" } })]).issues[0].kind, "unknown");
    });

    it("prices a static pool at its replicas", () => {
        const est = estimateCosts([nodePool({ requirements: [type8x], replicas: 2 })]);
        assert.equal(est.baselineMonthlyUsd, cents(2 * 1.96786 * 730));
        assert.equal(est.worstCaseMonthlyUsd, cents(2 * 1.96786 * 730));
    });
});
