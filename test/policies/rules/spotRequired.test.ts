import { spotRequired } from "../../../policies/rules/spotRequired";
import { UNKNOWN_STRING_SENTINEL } from "../../../policies/contract/keys";
import type { PlannedResource } from "../../../policies/evaluate";
import { assertNoViolations, assertOneViolation, runResourcePolicy } from "../../helpers/policyArgs";
import { aksCluster, aksGpuPool, azureSpotVm, ec2SpotInstance, eksNodeGroup, gcpFallbackStack, gcpSpotVm, gcpStack, inf2NodePool, karpenterFallbackStack, mutated, setPath } from "../../helpers/policyFixtures";

const DEV = { kinds: ["gcp-instance-template", "gcp-instance", "azure-vm", "aks-agent-pool", "ec2-instance", "karpenter-node-pool"] };

const template = (): PlannedResource => gcpStack()[0];

/** Spot capacity of each kind dev requires spot for, and the one change that makes it on-demand. */
const CASES: ReadonlyArray<{ kind: string; resource: () => PlannedResource; onDemand: (i: Record<string, unknown>) => void; fix: string }> = [
    {
        kind: "GCP instance template",
        resource: template,
        onDemand: (i) => (i.scheduling = { provisioningModel: "STANDARD", automaticRestart: true, onHostMaintenance: "TERMINATE" }),
        fix: 'scheduling.provisioningModel to "SPOT"',
    },
    { kind: "GCP GPU VM", resource: gcpSpotVm, onDemand: (i) => delete i.scheduling, fix: 'scheduling.provisioningModel to "SPOT"' },
    { kind: "EC2 Inferentia instance", resource: ec2SpotInstance, onDemand: (i) => delete i.instanceMarketOptions, fix: 'instanceMarketOptions.marketType to "spot"' },
    { kind: "Azure GPU VM", resource: azureSpotVm, onDemand: (i) => (i.priority = "Regular"), fix: 'priority to "Spot"' },
    { kind: "AKS GPU pool", resource: aksGpuPool, onDemand: (i) => delete i.scaleSetPriority, fix: 'scaleSetPriority to "Spot"' },
    {
        kind: "Karpenter NodePool",
        resource: inf2NodePool,
        onDemand: (i) => setPath(i, ["spec", "template", "spec", "requirements", 1, "values"], ["spot", "on-demand"]),
        fix: "karpenter.sh/capacity-type",
    },
];

describe("policy spot-required", () => {
    for (const c of CASES) {
        it(`passes a spot ${c.kind}`, async () => {
            assertNoViolations(await runResourcePolicy(spotRequired, c.resource(), DEV));
        });

        it(`blocks an on-demand ${c.kind} where the environment requires spot`, async () => {
            const resource = mutated(c.resource(), c.onDemand);
            assertOneViolation(await runResourcePolicy(spotRequired, resource, DEV), ["must be spot", c.fix], resource.urn);
        });
    }

    it("does not require spot of CPU system pools or of kinds the environment leaves out", async () => {
        assertNoViolations(await runResourcePolicy(spotRequired, aksCluster(), DEV));
        assertNoViolations(await runResourcePolicy(spotRequired, eksNodeGroup(), DEV));
    });

    it("requires nothing by default (prod)", async () => {
        assertNoViolations(await runResourcePolicy(spotRequired, mutated(aksGpuPool(), (i) => (i.scaleSetPriority = "Regular"))));
    });

    it("blocks a spot setting that is unknown at preview, without throwing", async () => {
        const resource = mutated(azureSpotVm(), (i) => (i.priority = UNKNOWN_STRING_SENTINEL));
        assertOneViolation(await runResourcePolicy(spotRequired, resource, DEV, { preview: true }), ["priority", "unknown at preview"]);
    });

    describe("declared on-demand floors and fallback (issue 19)", () => {
        const floor = (): PlannedResource => gcpFallbackStack().find((r) => r.name === "llm-floor-template")!;

        it("accepts an on-demand template declared as the floor of a shared maximum", async () => {
            assertNoViolations(await runResourcePolicy(spotRequired, floor(), DEV));
        });

        it("still blocks an undeclared on-demand accelerator (negative control)", async () => {
            const resource = mutated(floor(), (i) => (i.labels = { owner: "ml-platform" }));
            assertOneViolation(await runResourcePolicy(spotRequired, resource, DEV), ["must be spot"], resource.urn);
        });

        it("blocks a floor declaration without a shared maximum", async () => {
            const resource = mutated(floor(), (i) => delete (i.labels as Record<string, unknown>)["llm-serving-capacity-max"]);
            assertOneViolation(await runResourcePolicy(spotRequired, resource, DEV), ["llm-serving-capacity-max", "no maximum"], resource.urn);
        });

        describe("share labels on a resource with several capacities (a ManagedCluster's tags cover every inline pool)", () => {
            const gpu = (name: string, priority: string) => ({ name, mode: "User", vmSize: "Standard_NC24ads_A100_v4", count: 1, scaleSetPriority: priority });
            const shareTags = { owner: "ml-platform", "llm-serving-capacity": "on-demand-floor", "llm-serving-capacity-share": "llm-gpu", "llm-serving-capacity-max": "3" };
            const cluster = (tags: Record<string, string>) =>
                mutated(aksCluster(), (i) => {
                    (i.agentPoolProfiles as unknown[]).push(gpu("gpu", "Spot"), gpu("gpuod", "Regular"));
                    i.tags = tags;
                });

            it("blocks an inline on-demand GPU profile that the cluster's share tags would declare", async () => {
                const resource = cluster(shareTags);
                assertOneViolation(await runResourcePolicy(spotRequired, resource, DEV), ["agentPoolProfiles[2]", "cover all 3 of its capacities"], resource.urn);
            });

            it("still accepts the same declaration on an agent pool of its own (one capacity)", async () => {
                assertNoViolations(await runResourcePolicy(spotRequired, mutated(aksGpuPool(), (i) => ((i.scaleSetPriority = "Regular"), (i.tags = shareTags))), DEV));
            });

            it("negative control: without the share tags the inline on-demand profile is blocked as undeclared", async () => {
                const resource = cluster({ owner: "ml-platform" });
                assertOneViolation(await runResourcePolicy(spotRequired, resource, DEV), ["agentPoolProfiles[2]", "must be spot"], resource.urn);
            });
        });

        it("blocks an on-demand template that claims the spot role", async () => {
            const resource = mutated(floor(), (i) => ((i.labels as Record<string, string>)["llm-serving-capacity"] = "spot"));
            assertOneViolation(await runResourcePolicy(spotRequired, resource, DEV), ["labelled spot"], resource.urn);
        });
    });
});

describe("policy spot-required: Karpenter's declared on-demand NodePool (issue 19, eksInf2)", () => {
    const onDemandPool = (): PlannedResource => karpenterFallbackStack()[1];

    it("accepts the on-demand NodePool declared as the floor of a shared maximum, and the spot pool beside it", async () => {
        assertNoViolations(await runResourcePolicy(spotRequired, onDemandPool(), DEV));
        assertNoViolations(await runResourcePolicy(spotRequired, karpenterFallbackStack()[0], DEV));
    });

    it("refuses the same on-demand NodePool undeclared (negative control)", async () => {
        const resource = mutated(onDemandPool(), (i) => delete (i.metadata as Record<string, unknown>).labels);
        assertOneViolation(await runResourcePolicy(spotRequired, resource, DEV), ["llm-inf2-ondemand", "must be spot", "karpenter.sh/capacity-type"], resource.urn);
    });
});
