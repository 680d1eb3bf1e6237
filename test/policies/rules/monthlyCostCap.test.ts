import * as assert from "node:assert/strict";
import { monthlyCostCap } from "../../../policies/rules/monthlyCostCap";
import { assertNoSecretsIn, assertNoViolations, assertOneViolation, runStackPolicy } from "../../helpers/policyArgs";
import { gcpStack, mutatedIn, planned } from "../../helpers/policyFixtures";

// Catalog prices (us-central1): g2-standard-4 on-demand 0.70683 (spot has no price cap on GCP, so
// on-demand is its worst case); forwarding rule 0.025/h. The group surges by its 3 zones for 4 h a month.
const REPLICA_MONTHLY = 1547.96 / 3; // 3 x 0.70683 x 730 = 1547.9577
const FORWARDING_RULE_MONTHLY = 18.25; // 0.025 x 730
const SURGE_MONTHLY = 8.48; // 3 zones x 0.70683 x 4 h = 8.48196
const devWorstCase = 1547.96 + FORWARDING_RULE_MONTHLY + SURGE_MONTHLY; // 1574.69

describe("policy monthly-cost-cap", () => {
    it("passes the dev-like GCP stack (2..3 spot g2-standard-4, worst case $1,574.69) under a $1,600 cap", async () => {
        assertNoViolations(await runStackPolicy(monthlyCostCap, gcpStack(), { maxMonthlyUsd: 1600 }));
    });

    it("blocks the same stack with maxReplicas 4, naming total, cap, the dearest lines and their kinds", async () => {
        const stack = mutatedIn(gcpStack(), "llm-autoscaler", (i) => ((i.autoscalingPolicy as Record<string, unknown>).maxReplicas = 4));
        // 4 x 0.70683 x 730 = 2063.9436 -> 2063.94, + 18.25 + 8.48 = 2090.67
        const reported = await runStackPolicy(monthlyCostCap, stack, { maxMonthlyUsd: 1600 });
        assertOneViolation(reported, ["$2090.67", "$1600.00", "g2-standard-4", "(capacity)", "llm-https", "maxMonthlyUsd"]);
        assertNoSecretsIn(reported);
        assert.ok(Math.abs(4 * REPLICA_MONTHLY - 2063.94) < 0.01);
    });

    it("blocks at a cap just under the hand-computed worst case, and passes just over it", async () => {
        assert.equal(Math.round(devWorstCase * 100) / 100, 1574.69);
        assertOneViolation(await runStackPolicy(monthlyCostCap, gcpStack(), { maxMonthlyUsd: 1574 }), ["$1574.69", "$1574.00"]);
        assertNoViolations(await runStackPolicy(monthlyCostCap, gcpStack(), { maxMonthlyUsd: 1575 }));
    });

    it("prices uncapped spot at on-demand whatever the margin: spotMargin moves only the expected figure", async () => {
        for (const spotMargin of [1, 1.25, 3]) {
            assertOneViolation(await runStackPolicy(monthlyCostCap, gcpStack(), { maxMonthlyUsd: 1574, spotMargin }), ["$1574.69"]);
        }
    });

    it("blocks a stack once only its boot disk grows past the cap", async () => {
        const withDisk = (gb: number) => mutatedIn(gcpStack(), "llm-template", (i) => (i.disks = [{ boot: true, diskType: "pd-balanced", diskSizeGb: gb }]));
        // 100 GB: 3 x 100 x $0.10 = $30 more, 1604.69 (surge also carries the disks: 3 x 10/730 x 4 = 0.16 -> 8.65): 1604.85
        assertNoViolations(await runStackPolicy(monthlyCostCap, withDisk(100), { maxMonthlyUsd: 1700 }));
        // 2000 GB: 3 x 2000 x $0.10 = $600 more -> over a $1,700 cap.
        assertOneViolation(await runStackPolicy(monthlyCostCap, withDisk(2000), { maxMonthlyUsd: 1700 }), ["$1700.00"]);
    });

    it("blocks a stack once only its EKS version is past standard support (extended support $0.60/h)", async () => {
        const cluster = (version: string) => [planned("aws:eks/cluster:Cluster", "eks", { region: "us-west-2", version, roleArn: "arn", vpcConfig: { subnetIds: ["a", "b"] } })];
        // 1.35: $0.10 x 730 = $73 -> under a $100 cap; 1.33 (standard support ended 2026-07-29): $0.60 x 730 = $438.
        assertNoViolations(await runStackPolicy(monthlyCostCap, cluster("1.35"), { maxMonthlyUsd: 100 }));
        assertOneViolation(await runStackPolicy(monthlyCostCap, cluster("1.33"), { maxMonthlyUsd: 100 }), ["$438.00", "eks-control-plane-extended-support"]);
    });

    it("takes transient hours from the policy config (0 hours: the surge line is $0)", async () => {
        const config = { transientHoursPerMonth: { migRollingUpdate: 0 } };
        // 1547.96 + 18.25 = 1566.21
        assertNoViolations(await runStackPolicy(monthlyCostCap, gcpStack(), { maxMonthlyUsd: 1566.21, ...config }));
        assertOneViolation(await runStackPolicy(monthlyCostCap, gcpStack(), { maxMonthlyUsd: 1566.2, ...config }), ["$1566.21"]);
    });

    it("counts usage at the assumed volumes in the worst case", async () => {
        const nat = [planned("aws:ec2/natGateway:NatGateway", "nat", { subnetId: "s", allocationId: "a" })];
        // Gateway 0.045 x 730 = 32.85; 1,000 GB processed x $0.045 = 45.00: 77.85 in all.
        assertNoViolations(await runStackPolicy(monthlyCostCap, nat, { maxMonthlyUsd: 77.85, usage: { natProcessedGb: 1000 } }));
        assertOneViolation(await runStackPolicy(monthlyCostCap, nat, { maxMonthlyUsd: 77.84, usage: { natProcessedGb: 1000 } }), ["$77.85"]);
        // Assumed 0: only the gateway counts.
        assertNoViolations(await runStackPolicy(monthlyCostCap, nat, { maxMonthlyUsd: 32.85, usage: { natProcessedGb: 0 } }));
    });

    it("refuses a negative usage volume or more transient hours than a month has, as the CLI would", async () => {
        await assert.rejects(runStackPolicy(monthlyCostCap, gcpStack(), { maxMonthlyUsd: 2000, usage: { natProcessedGb: -1 } }), /usage\.natProcessedGb/);
        await assert.rejects(runStackPolicy(monthlyCostCap, gcpStack(), { maxMonthlyUsd: 2000, transientHoursPerMonth: { migRollingUpdate: 731 } }), /migRollingUpdate/);
        await assert.rejects(runStackPolicy(monthlyCostCap, gcpStack(), { maxMonthlyUsd: 2000, usage: { egressGb: 1 } }), /egressGb/);
    });

    it("requires maxMonthlyUsd in its config, as the CLI does", async () => {
        await assert.rejects(runStackPolicy(monthlyCostCap, gcpStack(), {}), /monthly-cost-cap: maxMonthlyUsd is required/);
    });
});
