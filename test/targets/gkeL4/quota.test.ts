// The GKE target holds its project's regional L4 quota at its pool's bound (components/gcp/quota.ts):
// (nodes.max + maxSurge per zone x zones) x L4s per node, preemptible and standard, and the plan's
// quota table (computed from the cost lines) agrees it is "set" to the need.
import { strict as assert } from "node:assert";
import { buildReport, loadPolicyConfig } from "../../../plan/report";
import { CONSUMER_QUOTA_OVERRIDE } from "../../../plan/quotas";
import { ofType, plan, PROJECT_DIR, stackFrom, TEST_TAGS } from "../../helpers/program";
import { GKE } from "./fixtures";

async function quotaOf(gkeL4: Record<string, unknown>) {
    const run = await plan(stackFrom({ tags: TEST_TAGS, targets: { gkeL4: { ...GKE, ...gkeL4 } } }, {}, "staging"));
    const details = await buildReport("llm-serving", "staging", run.resources, run.outputs, loadPolicyConfig(PROJECT_DIR, "staging"));
    const overrides = ofType(run.resources, CONSUMER_QUOTA_OVERRIDE);
    return {
        overrides: overrides.map((o) => [o.name, decodeURIComponent(String(o.inputs.metric)), o.inputs.overrideValue]),
        parents: new Set(overrides.map((o) => o.parent)),
        component: run.resources.find((r) => r.type === "llm-serving:gcp:GkeL4Cluster")?.urn,
        quotas: details.report.quotas.map((q) => [q.quota, q.needed, q.enforcement, q.setTo]),
    };
}

describe("gkeL4: GPU quota held at the pool's bound", () => {
    it("two zones, 2..3 g2-standard-4 nodes: (3 + 1 x 2 zones surge) x 1 L4 = 5, children of the component", async () => {
        const q = await quotaOf({ nodes: { min: 2, max: 3 }, machineType: "g2-standard-4" });
        assert.deepEqual(q.overrides, [
            ["gke-l4-gpu-quota-preemptible", "compute.googleapis.com/preemptible_nvidia_l4_gpus", "5"],
            ["gke-l4-gpu-quota-standard", "compute.googleapis.com/nvidia_l4_gpus", "5"],
        ]);
        assert.ok(q.component, "the component is registered");
        assert.deepEqual([...q.parents], [q.component]);
        assert.deepEqual(q.quotas, [["PREEMPTIBLE_NVIDIA_L4_GPUS", 5, "set", 5], ["NVIDIA_L4_GPUS", 5, "set", 5]]);
    });

    it("negative control: one zone, g2-standard-24 (2 L4s), max 4: (4 + 1) x 2 = 10, and the plan's need moves with it", async () => {
        const q = await quotaOf({ zones: ["us-central1-a"], nodes: { min: 1, max: 4 }, machineType: "g2-standard-24" });
        assert.deepEqual(q.overrides.map((o) => o[2]), ["10", "10"]);
        assert.deepEqual(q.quotas, [["PREEMPTIBLE_NVIDIA_L4_GPUS", 10, "set", 10], ["NVIDIA_L4_GPUS", 10, "set", 10]]);
    });
});
