import assert from "node:assert/strict";
import { AWS_TYPES as T } from "../../../policies/cost/aws";
import { estimateCosts } from "../../../policies/cost/estimate";
import { UNKNOWN, asPreview, cents, resource } from "./fixtures";

const nodeGroup = (props: Record<string, unknown>) =>
    resource(T.nodeGroup, "ng", { clusterName: UNKNOWN, nodeRoleArn: UNKNOWN, subnetIds: UNKNOWN, region: "us-west-2", instanceTypes: ["inf2.8xlarge"], scalingConfig: { minSize: 1, maxSize: 2, desiredSize: 1 }, ...props });

describe("cost/aws", () => {
    const byKind = (est: ReturnType<typeof estimateCosts>, kind: string) => est.lines.filter((l) => l.kind === kind);

    it("charges the EKS control plane by its version's support phase at the catalog's date (2026-12-01)", () => {
        const cluster = (props: Record<string, unknown>) => resource(T.eksCluster, "eks", { roleArn: UNKNOWN, vpcConfig: { subnetIds: UNKNOWN }, ...props });
        // 1.35: standard support until 2027-03-27 -> $0.10 x 730 = $73.00.
        assert.equal(estimateCosts([cluster({ version: "1.35" })]).worstCaseMonthlyUsd, 73);
        // 1.33 left standard support on 2026-07-29; upgradePolicy unset (EKS default EXTENDED) -> $0.60 x 730 = $438.00.
        const ext = estimateCosts([cluster({ version: "1.33" })]);
        assert.equal(ext.lines[0].sku, "eks-control-plane-extended-support");
        assert.equal(ext.worstCaseMonthlyUsd, 438);
        // 1.34 leaves standard support on 2026-12-02, inside the month from the catalog's date: $438.00.
        assert.equal(estimateCosts([cluster({ version: "1.34", upgradePolicy: { supportType: "EXTENDED" } })]).worstCaseMonthlyUsd, 438);
        // upgradePolicy STANDARD: EKS upgrades instead of billing extended support -> $73.00.
        assert.equal(estimateCosts([cluster({ version: "1.33", upgradePolicy: { supportType: "STANDARD" } })]).worstCaseMonthlyUsd, 73);
        // A version the calendar does not list, or no version without STANDARD: unpriced, never $0.
        assert.deepEqual(estimateCosts([cluster({ version: "1.29" })]).issues.map((i) => i.kind), ["unpriced"]);
        assert.deepEqual(estimateCosts([cluster({})]).issues.map((i) => [i.kind, i.field]), [["unpriced", "version"]]);
    });

    it("prices an on-demand node group from minSize to maxSize, its root volumes and its update surge", () => {
        const est = estimateCosts([nodeGroup({ subnetIds: ["a", "b"], diskSize: 100 })]);
        assert.deepEqual(est.issues, []);
        // capacity: 1 / 2 x 1.96786 x 730 = 1436.5378 / 2873.0756
        assert.deepEqual(byKind(est, "capacity").map((l) => [l.baselineMonthlyUsd, l.worstCaseMonthlyUsd]), [[1436.54, 2873.08]]);
        // storage: 100 GiB priced as gp2 at $0.10/GB-month = $10 per node -> 10 / 20
        assert.deepEqual(byKind(est, "storage").map((l) => [l.baselineMonthlyUsd, l.worstCaseMonthlyUsd]), [[10, 20]]);
        // transient: max(2 x 2 subnets, maxUnavailable 1) = 4 nodes x (1.96786 + 10/730) x 4 h = 31.7049
        assert.deepEqual(byKind(est, "transient").map((l) => [l.countMax, l.baselineMonthlyUsd, l.worstCaseMonthlyUsd]), [[4, 0, 31.7]]);
    });

    it("prices a spot node group at on-demand (nothing caps it) and shows the expected spot figure beside it", () => {
        const est = estimateCosts([nodeGroup({ capacityType: "SPOT", instanceTypes: ["inf2.xlarge", "inf2.8xlarge"], diskSize: 20 })]);
        const cap = byKind(est, "capacity")[0];
        assert.equal(cap.sku, "inf2.8xlarge");
        assert.equal(cap.pricing, "spot");
        // worst case: 2 x 1.96786 x 730 = 2873.0756
        assert.equal(cap.worstCaseMonthlyUsd, 2873.08);
        // expected: 2 x 0.6303 (top of the us-west-2 spot range) x 1.25 x 730 = 1150.2975
        assert.equal(cap.expected?.worstCaseMonthlyUsd, 1150.3);
    });

    it("prices at the dearest catalog region when the region is left to the provider", () => {
        const est = estimateCosts([nodeGroup({ region: undefined, capacityType: "SPOT", instanceTypes: ["g5.xlarge"], diskSize: 20 })]);
        // g5.xlarge on-demand is 1.006 in both regions; the first dearest (us-east-1) is kept.
        const cap = byKind(est, "capacity")[0];
        assert.equal(cap.worstCaseMonthlyUsd, cents(2 * 1.006 * 730));
        assert.match(cap.basis, /dearest catalog region/);
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

    it("charges NAT gateways, ALBs, NLBs and public IPv4 addresses by the hour, with usage at the assumed volumes", () => {
        const est = estimateCosts(
            [
                resource(T.natGateway, "nat", { subnetId: UNKNOWN, allocationId: UNKNOWN }),
                resource(T.loadBalancer, "alb", { internal: true }),
                resource(T.loadBalancer, "nlb", { loadBalancerType: "network", subnets: ["a", "b"] }),
                resource(T.eip, "eip", { domain: "vpc" }),
            ],
            { usage: { natProcessedGb: 100, internetEgressGb: 10, loadBalancerProcessedGb: 0 } },
        );
        assert.deepEqual(byKind(est, "fixed").map((l) => [l.sku, l.worstCaseMonthlyUsd]), [
            ["aws-nat-gateway", 32.85], // 0.045 x 730
            ["aws-alb", 16.43], // 0.0225 x 730 = 16.425
            ["aws-nlb", 16.43],
            ["aws-public-ipv4", 7.3], // internet-facing NLB in 2 subnets: 2 x 0.005 x 730
            ["aws-public-ipv4", 3.65], // the EIP: 0.005 x 730
        ]);
        assert.deepEqual(byKind(est, "usage").map((l) => [l.sku, l.worstCaseMonthlyUsd]), [
            ["aws-nat-processed", 4.5], // 100 GB x $0.045
            ["aws-nlb-processed", 0], // assumed 0: shown as $0
            ["aws-internet-egress", 0.9], // 10 GB x $0.09
        ]);
    });

    it("charges a KMS key $1 a month, up to $3 with rotation (two charged rotations)", () => {
        const est = estimateCosts([resource(T.kmsKey, "key", { enableKeyRotation: true })]);
        assert.deepEqual([est.baselineMonthlyUsd, est.worstCaseMonthlyUsd], [1, 3]);
        assert.equal(estimateCosts([resource(T.kmsKey, "key", {})]).worstCaseMonthlyUsd, 1);
    });

    it("prices ElastiCache nodes per node-hour and reports a node type the catalog does not price as unpriced", () => {
        // 2 x cache.t4g.small x $0.032 x 730 = $46.72 (numCacheClusters counts the primary and its replica).
        const est = estimateCosts([resource(T.cacheReplicationGroup, "redis", { description: "gcs", nodeType: "cache.t4g.small", numCacheClusters: 2, region: "us-west-2" })]);
        assert.deepEqual(est.issues, []);
        assert.equal(est.worstCaseMonthlyUsd, cents(46.72));
        const unknownType = estimateCosts([resource(T.cacheReplicationGroup, "redis", { description: "gcs", nodeType: "cache.r7g.large", numCacheClusters: 1, region: "us-west-2" })]);
        assert.deepEqual(unknownType.issues.map((i) => [i.kind, i.field]), [["unpriced", "nodeType"]]);
        assert.equal(unknownType.lines.length, 0);
    });

    it("prices an EC2 spot instance and reports compute types it does not know as unpriced", () => {
        const vm = resource(T.instance, "vm", { instanceType: "g6.xlarge", region: "us-east-1", instanceMarketOptions: { marketType: "spot" }, rootBlockDevice: { volumeSize: 100, volumeType: "gp3" } });
        // 0.8048 x 730 (spot at on-demand) = 587.504, + 100 GiB gp3 x $0.08 = $8
        assert.equal(estimateCosts([vm]).worstCaseMonthlyUsd, cents(587.5 + 8));
        // No root volume size: the AMI decides it, which the pack cannot see -> unpriced.
        const noSize = resource(T.instance, "vm", { instanceType: "g6.xlarge", region: "us-east-1" });
        assert.deepEqual(estimateCosts([noSize]).issues.map((i) => i.kind), ["unpriced"]);
        const asg = estimateCosts([resource("aws:autoscaling/group:Group", "asg", { maxSize: 10 })]);
        assert.equal(asg.issues[0].kind, "unpriced");
    });
});
