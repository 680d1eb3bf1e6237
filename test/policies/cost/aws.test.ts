import assert from "node:assert/strict";
import { AWS_TYPES as T } from "../../../policies/cost/aws";
import { estimateCosts } from "../../../policies/cost/estimate";
import { UNKNOWN, asPreview, cents, resource } from "./fixtures";

const nodeGroup = (props: Record<string, unknown>) =>
    resource(T.nodeGroup, "ng", { clusterName: UNKNOWN, nodeRoleArn: UNKNOWN, subnetIds: UNKNOWN, region: "us-west-2", instanceTypes: ["inf2.8xlarge"], scalingConfig: { minSize: 1, maxSize: 2, desiredSize: 1 }, ...props });

describe("cost/aws", () => {
    it("charges the EKS control plane per cluster-hour", () => {
        const est = estimateCosts([resource(T.eksCluster, "eks", { roleArn: UNKNOWN, vpcConfig: { subnetIds: UNKNOWN } })]);
        assert.equal(est.lines[0].pricing, "fee");
        assert.equal(est.worstCaseMonthlyUsd, cents(0.1 * 730));
    });

    it("prices an on-demand node group from minSize to maxSize", () => {
        const est = estimateCosts([nodeGroup({})]);
        assert.deepEqual(est.issues, []);
        assert.equal(est.baselineMonthlyUsd, cents(1 * 1.96786 * 730));
        assert.equal(est.worstCaseMonthlyUsd, cents(2 * 1.96786 * 730));
    });

    it("prices a spot node group at the top of the region's spot range x margin, at the dearest of its types", () => {
        const est = estimateCosts([nodeGroup({ capacityType: "SPOT", instanceTypes: ["inf2.xlarge", "inf2.8xlarge"] })]);
        assert.equal(est.lines[0].sku, "inf2.8xlarge");
        assert.equal(est.lines[0].pricing, "spot");
        assert.equal(est.worstCaseMonthlyUsd, cents(2 * 0.6303 * 1.25 * 730));
    });

    it("prices at the dearest catalog region when the region is left to the provider", () => {
        const est = estimateCosts([nodeGroup({ region: undefined, capacityType: "SPOT", instanceTypes: ["g5.xlarge"] })]);
        // g5.xlarge spot tops: us-east-1 0.4005, us-west-2 0.3739.
        assert.equal(est.lines[0].region, "us-east-1");
        assert.equal(est.worstCaseMonthlyUsd, cents(2 * 0.4005 * 1.25 * 730));
        assert.match(est.lines[0].basis, /dearest catalog region/);
    });

    it("blocks a node group without maxSize, and reports unknown sizes and types in preview", () => {
        assert.equal(estimateCosts([nodeGroup({ scalingConfig: { minSize: 1 } })]).issues[0].kind, "unbounded");
        const est = estimateCosts([asPreview(nodeGroup({ scalingConfig: { minSize: 1, maxSize: UNKNOWN }, instanceTypes: [UNKNOWN] }))]);
        assert.deepEqual(est.issues.map((i) => [i.kind, i.field]).sort(), [["unknown", "instanceTypes[0]"], ["unknown", "scalingConfig.maxSize"]]);
        const region = estimateCosts([asPreview(nodeGroup({ region: UNKNOWN }))]);
        assert.deepEqual(region.issues.map((i) => [i.kind, i.field]), [["unknown", "region"]]);
    });

    it("reports unpriced instance types and a node group with no instance types", () => {
        const est = estimateCosts([nodeGroup({ instanceTypes: ["p5.48xlarge"] })]);
        assert.equal(est.issues[0].kind, "unpriced");
        assert.match(est.issues[0].message, /p5\.48xlarge.*us-west-2/);
        assert.equal(estimateCosts([nodeGroup({ instanceTypes: undefined })]).issues[0].kind, "unpriced");
    });

    it("charges NAT gateways, ALBs, NLBs and public IPv4 addresses by the hour", () => {
        const est = estimateCosts([
            resource(T.natGateway, "nat", { subnetId: UNKNOWN, allocationId: UNKNOWN }),
            resource(T.loadBalancer, "alb", {}),
            resource(T.loadBalancer, "nlb", { loadBalancerType: "network" }),
            resource(T.eip, "eip", { domain: "vpc" }),
        ]);
        assert.deepEqual(est.lines.map((l) => l.hourlyUsd), [0.045, 0.0225, 0.0225, 0.005]);
        assert.equal(est.worstCaseMonthlyUsd, cents(cents(0.045 * 730) + 2 * cents(0.0225 * 730) + cents(0.005 * 730)));
    });

    it("reports an ElastiCache node type the catalog does not price as unpriced", () => {
        const est = estimateCosts([resource(T.cacheReplicationGroup, "redis", { description: "gcs", nodeType: "cache.t4g.small", numCacheClusters: 1 })]);
        assert.deepEqual(est.issues.map((i) => [i.kind, i.field]), [["unpriced", "nodeType"]]);
        assert.equal(est.lines.length, 0);
    });

    it("prices an EC2 spot instance and reports compute types it does not know as unpriced", () => {
        const vm = resource(T.instance, "vm", { instanceType: "g6.xlarge", region: "us-east-1", instanceMarketOptions: { marketType: "spot" } });
        assert.equal(estimateCosts([vm]).worstCaseMonthlyUsd, cents(0.4173 * 1.25 * 730));
        const asg = estimateCosts([resource("aws:autoscaling/group:Group", "asg", { maxSize: 10 })]);
        assert.equal(asg.issues[0].kind, "unpriced");
    });
});
