// Issue 19: per region a spot group and an on-demand group (floor + fallback) behind the one
// backend service, sharing the region's maximum; a second region keeps the first one's names.
import { strict as assert } from "node:assert";
import { replicaGroups } from "../../../targets/gcpSpotL4/capacity";
import { groupInFlightTarget, ON_DEMAND_TARGET_MULTIPLE } from "../../../targets/gcpSpotL4/GcpSpotL4Replicas";
import { DEFAULT_OBSERVABILITY, targetInFlight } from "../../../config/observability";
import { buildShutdownScript, DRAIN_SECONDS } from "../../../targets/gcpSpotL4/shutdownScript";
import { GcpSpotL4Config, gcpSpotL4Schema } from "../../../targets/gcpSpotL4/config";
import { readCapacityShare } from "../../../policies/contract/capacityShare";
import { PlannedResource } from "../../../plan/mocks";
import { ofType, plan, stackFrom, TEST_TAGS } from "../../helpers/program";

const T = {
    template: "gcp:compute/instanceTemplate:InstanceTemplate",
    mig: "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager",
    autoscaler: "gcp:compute/regionAutoscaler:RegionAutoscaler",
    backend: "gcp:compute/backendService:BackendService",
    subnet: "gcp:compute/subnetwork:Subnetwork",
    nat: "gcp:compute/routerNat:RouterNat",
};
const BASE = { project: "acme-llm-test", allowedCidrs: ["203.0.113.0/24"], plaintextHttp: true };
const HA = { ...BASE, regions: ["us-central1", "us-east1"], replicas: { min: 2, max: 4 }, onDemandBase: 1, onDemandFallback: 1 };
const parsed = (raw: Record<string, unknown>): GcpSpotL4Config => gcpSpotL4Schema.parse(raw);

describe("gcpSpotL4 capacity plan (pure)", () => {
    it("spot-only (no floor, no fallback) is one group per region with no share labels, as before", () => {
        const groups = replicaGroups("llm", parsed({ ...BASE, region: "us-central1", replicas: { min: 2, max: 3 } }));
        assert.deepEqual(groups.map((g) => [g.prefix, g.role, g.min, g.max, Object.keys(g.shareLabels).length]), [["llm", "spot", 2, 3, 0]]);
    });

    it("a floor and fallback split each region's maximum: spot min-floor..max-floor-fallback, on-demand floor..floor+fallback", () => {
        const groups = replicaGroups("llm", parsed(HA));
        assert.deepEqual(
            groups.map((g) => [g.prefix, g.region, g.role, g.min, g.max]),
            [
                ["llm", "us-central1", "spot", 1, 2],
                ["llm-ondemand", "us-central1", "on-demand-floor", 1, 2],
                ["llm-us-east1", "us-east1", "spot", 1, 2],
                ["llm-us-east1-ondemand", "us-east1", "on-demand-floor", 1, 2],
            ],
        );
        for (const region of ["us-central1", "us-east1"]) {
            const mine = groups.filter((g) => g.region === region);
            assert.equal(mine.reduce((n, g) => n + g.max, 0), 4, "the groups' maxima fill the region's replicas.max, never more");
            const shares = mine.map((g) => readCapacityShare(g.shareLabels));
            assert.ok(shares.every((s) => s.state === "known" && s.value.max === 4 && s.value.share === mine[0].prefix));
        }
    });

    it("fallback without a floor is refused: an empty on-demand group reports no load, so its autoscaler would never grow it", () => {
        const r = gcpSpotL4Schema.safeParse({ ...BASE, region: "us-east1", replicas: { min: 1, max: 3 }, onDemandFallback: 2 });
        assert.ok(!r.success);
        assert.deepEqual(r.error.issues.map((i) => i.path.join(".")), ["onDemandFallback"]);
        assert.match(r.error.issues[0].message, /onDemandBase is at least 1/);
        // Negative control: the same fallback with a floor of one is accepted.
        const groups = replicaGroups("llm", parsed({ ...BASE, region: "us-east1", replicas: { min: 2, max: 4 }, onDemandBase: 1, onDemandFallback: 2 }));
        assert.deepEqual(groups.map((g) => [g.prefix, g.role, g.min, g.max]), [["llm", "spot", 1, 1], ["llm-ondemand", "on-demand-floor", 1, 3]]);
    });
});

describe("gcpSpotL4 with an on-demand floor in two regions, under mocks", function () {
    let resources: PlannedResource[];
    before(async () => {
        resources = (await plan(stackFrom({ tags: TEST_TAGS, targets: { gcpSpotL4: HA } }))).resources;
    });
    const named = (type: string) => ofType(resources, type).map((r) => r.name).sort();

    it("runs a spot and an on-demand group per region, the first region under the single-region names", () => {
        assert.deepEqual(named(T.mig), ["gcp-spot-l4-mig", "gcp-spot-l4-ondemand-mig", "gcp-spot-l4-us-east1-mig", "gcp-spot-l4-us-east1-ondemand-mig"]);
        assert.deepEqual(named(T.subnet), ["gcp-spot-l4-subnet", "gcp-spot-l4-us-east1-subnet"]);
        assert.deepEqual(named(T.nat), ["gcp-spot-l4-nat", "gcp-spot-l4-us-east1-nat"]);
        const regions = ofType(resources, T.mig).map((r) => [r.name, r.inputs.region, (r.inputs.distributionPolicyZones as string[]).join(",")]);
        assert.deepEqual(regions.find((r) => r[0] === "gcp-spot-l4-us-east1-ondemand-mig"), ["gcp-spot-l4-us-east1-ondemand-mig", "us-east1", "us-east1-b,us-east1-c,us-east1-d"]);
    });

    it("puts every group behind the one backend service", () => {
        const backends = ofType(resources, T.backend);
        assert.equal(backends.length, 1);
        assert.equal((backends[0].inputs.backends as unknown[]).length, 4);
    });

    it("makes the on-demand templates STANDARD and declares both groups' share of the maximum", () => {
        const templates = ofType(resources, T.template);
        const byName = (n: string) => templates.find((t) => t.name === n)!;
        const od = byName("gcp-spot-l4-us-east1-ondemand-template");
        assert.deepEqual(od.inputs.scheduling, { provisioningModel: "STANDARD", preemptible: false, automaticRestart: true, onHostMaintenance: "TERMINATE" });
        assert.equal(od.inputs.region, "us-east1");
        const spot = byName("gcp-spot-l4-us-east1-template");
        assert.equal((spot.inputs.scheduling as Record<string, unknown>).provisioningModel, "SPOT");
        for (const [t, role] of [[od, "on-demand-floor"], [spot, "spot"]] as const) {
            const share = readCapacityShare(t.inputs.labels);
            assert.ok(share.state === "known" && share.value.role === role && share.value.max === 4 && share.value.share === "gcp-spot-l4-us-east1", JSON.stringify(t.inputs.labels));
        }
    });

    it("scales each group between its own bounds on requests in flight, the on-demand group at a higher target so spot grows first", () => {
        const policies = Object.fromEntries(ofType(resources, T.autoscaler).map((a) => [a.name, a.inputs.autoscalingPolicy as any]));
        assert.deepEqual([policies["gcp-spot-l4-autoscaler"].minReplicas, policies["gcp-spot-l4-autoscaler"].maxReplicas], [1, 2]);
        assert.deepEqual([policies["gcp-spot-l4-ondemand-autoscaler"].minReplicas, policies["gcp-spot-l4-ondemand-autoscaler"].maxReplicas], [1, 2]);
        const configured = targetInFlight(DEFAULT_OBSERVABILITY, "NVIDIA L4", 1);
        for (const prefix of ["gcp-spot-l4", "gcp-spot-l4-us-east1"]) {
            const spot = policies[`${prefix}-autoscaler`].metrics[0].target;
            const onDemand = policies[`${prefix}-ondemand-autoscaler`].metrics[0].target;
            assert.equal(spot, configured, "spot aims at the configured target");
            assert.equal(onDemand, Math.ceil(configured * ON_DEMAND_TARGET_MULTIPLE));
            assert.ok(onDemand > spot, `${prefix}: at equal load per replica the spot group must cross its target first`);
        }
    });

    it("the on-demand target stays above spot's for every configured target (1 included)", () => {
        for (const t of [1, 2, 3, 8, 25, 256]) {
            assert.equal(groupInFlightTarget("spot", t), t);
            for (const role of ["on-demand-floor", "on-demand-fallback"] as const) assert.ok(groupInFlightTarget(role, t) > t, `${role} at ${t}`);
        }
    });
});

describe("gcpSpotL4 eviction handling (issue 19)", () => {
    it("every template drains the model server on shutdown within the spot notice", async () => {
        const resources = (await plan(stackFrom({ tags: TEST_TAGS, targets: { gcpSpotL4: HA } }))).resources;
        const templates = ofType(resources, T.template);
        assert.equal(templates.length, 4);
        for (const t of templates) {
            const script = (t.inputs.metadata as Record<string, string>)["shutdown-script"];
            assert.match(script, new RegExp(`docker stop --time ${DRAIN_SECONDS} model-server`));
        }
        assert.ok(DRAIN_SECONDS < 30, "Compute Engine gives a preempted spot VM about 30 s in all");
        assert.match(buildShutdownScript({ server: { port: 8000 } as never }), /^#!\/bin\/bash\n/);
    });
});
