// The spot L4 target holds its project's regional L4 quota at its bound (components/gcp/quota.ts):
// (replicas.max + rolling-update surge) x L4s per machine, preemptible and standard, and the plan's
// quota table (computed from the cost lines, not from the program) agrees it is "set" to the need.
import { strict as assert } from "node:assert";
import { PlannedResource } from "../../../plan/mocks";
import { buildReport, loadPolicyConfig } from "../../../plan/report";
import { CONSUMER_QUOTA_OVERRIDE } from "../../../plan/quotas";
import { ofType, plan, PROJECT_DIR, stackFrom, TEST_TAGS } from "../../helpers/program";

const COMPONENT = "llm-serving:gcp:GcpSpotL4Replicas";
const base = { project: "acme-llm-test", region: "us-central1", allowedCidrs: ["203.0.113.0/24"], plaintextHttp: true };

async function overridesFor(gcpSpotL4: Record<string, unknown>) {
    const run = await plan(stackFrom({ tags: TEST_TAGS, targets: { gcpSpotL4: { ...base, ...gcpSpotL4 } } }, {}, "dev"));
    const details = await buildReport("llm-serving", "dev", run.resources, run.outputs, loadPolicyConfig(PROJECT_DIR, "dev"));
    return { overrides: ofType(run.resources, CONSUMER_QUOTA_OVERRIDE), resources: run.resources, quotas: details.report.quotas };
}
const brief = (r: PlannedResource) => [r.name, decodeURIComponent(String(r.inputs.metric)), (r.inputs.dimensions as Record<string, string>).region, r.inputs.overrideValue];

describe("gcpSpotL4: GPU quota held at the bound", () => {
    it("three zones, max 3, g2-standard-4: (3 + 3 surge) x 1 L4 = 6, preemptible and standard, children of the component", async () => {
        const { overrides, resources, quotas } = await overridesFor({ replicas: { min: 2, max: 3 } });
        assert.deepEqual(overrides.map(brief), [
            ["gcp-spot-l4-gpu-quota-preemptible", "compute.googleapis.com/preemptible_nvidia_l4_gpus", "us-central1", "6"],
            ["gcp-spot-l4-gpu-quota-standard", "compute.googleapis.com/nvidia_l4_gpus", "us-central1", "6"],
        ]);
        const component = resources.find((r) => r.type === COMPONENT)!;
        for (const o of overrides) {
            assert.equal(o.parent, component.urn);
            assert.equal(o.inputs.project, "acme-llm-test");
            assert.equal(o.inputs.force, true);
            assert.equal(o.inputs.limit, "%2Fproject%2Fregion");
        }
        assert.deepEqual(quotas.map((q) => [q.quota, q.needed, q.enforcement, q.setTo]), [
            ["PREEMPTIBLE_NVIDIA_L4_GPUS", 6, "set", 6],
            ["NVIDIA_L4_GPUS", 6, "set", 6],
        ]);
    });

    it("one zone, max 2, g2-standard-24 (2 L4s): (2 + 1 surge) x 2 = 6; the plan's need follows the same bound", async () => {
        const { overrides, quotas } = await overridesFor({ replicas: { min: 1, max: 2 }, zones: ["us-central1-a"], machineType: "g2-standard-24" });
        assert.deepEqual(overrides.map((o) => o.inputs.overrideValue), ["6", "6"]);
        assert.deepEqual(quotas.map((q) => [q.needed, q.setTo]), [[6, 6], [6, 6]]);
    });

    it("negative control: a larger maximum moves both the override and the need (max 7: (7 + 3) x 1 = 10)", async () => {
        const { overrides, quotas } = await overridesFor({ replicas: { min: 2, max: 7 } });
        assert.deepEqual(overrides.map((o) => o.inputs.overrideValue), ["10", "10"]);
        assert.deepEqual(quotas.map((q) => q.needed), [10, 10]);
    });
});

describe("gcpSpotL4: quotas with an on-demand floor and two regions (issue 19)", () => {
    it("per region: preemptible holds the spot group, standard holds spot and on-demand together", async () => {
        // replicas 2..4, floor 1 + fallback 1: spot max 2, on-demand max 2; 3 zones each, so 3 surge per group.
        const { overrides, quotas } = await overridesFor({ region: undefined, regions: ["us-central1", "us-east1"], replicas: { min: 2, max: 4 }, onDemandBase: 1, onDemandFallback: 1 });
        assert.deepEqual(overrides.map(brief), [
            ["gcp-spot-l4-gpu-quota-preemptible", "compute.googleapis.com/preemptible_nvidia_l4_gpus", "us-central1", "5"],
            ["gcp-spot-l4-gpu-quota-standard", "compute.googleapis.com/nvidia_l4_gpus", "us-central1", "10"],
            ["gcp-spot-l4-us-east1-gpu-quota-preemptible", "compute.googleapis.com/preemptible_nvidia_l4_gpus", "us-east1", "5"],
            ["gcp-spot-l4-us-east1-gpu-quota-standard", "compute.googleapis.com/nvidia_l4_gpus", "us-east1", "10"],
        ]);
        for (const q of quotas) assert.equal(q.enforcement, "set", `${q.quota} in ${q.region}: ${JSON.stringify(q)}`);
    });
});
