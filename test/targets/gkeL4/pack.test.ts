import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { estimateCosts } from "../../../policies/cost/estimate";
import { evaluatePolicies, PlannedResource } from "../../../policies/evaluate";
import { UNKNOWN_STRING_SENTINEL } from "../../../policies/contract/keys";
import { committedStack, plan, PROJECT_DIR } from "../../helpers/program";

/** The committed staging stack (gkeL4 only) and its policy config, as the plan uses them. */
const STAGING_POLICY = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "policies", "config", "staging.json"), "utf8")) as Record<string, any>;
const POOL = "gcp:container/nodePool:NodePool";
const CLUSTER = "gcp:container/cluster:Cluster";

const clone = <T>(o: T): T => JSON.parse(JSON.stringify(o)) as T;
/** The plan with `change` applied to the inputs of the one resource of `type`. */
function mutate(resources: readonly PlannedResource[], type: string, change: (inputs: Record<string, any>) => void): PlannedResource[] {
    return resources.map((r) => {
        if (r.type !== type) return r;
        const inputs = clone(r.inputs);
        change(inputs);
        return { ...r, inputs };
    });
}
const mandatory = async (resources: PlannedResource[], opts: { preview?: boolean } = {}) =>
    (await evaluatePolicies(resources, STAGING_POLICY, opts)).violations.filter((v) => v.enforcementLevel === "mandatory");
/** The cost engine's issues for a plan. */
const issuesOf = (resources: readonly PlannedResource[]) =>
    estimateCosts(resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, props: r.inputs, propertyDependencies: r.propertyDependencies })) as never).issues;
/** Node auto-provisioning limits as GKE takes them (cpu cores, memory GB, accelerators). */
const NAP_LIMITS = [
    { resourceType: "cpu", maximum: 64 },
    { resourceType: "memory", maximum: 256 },
    { resourceType: "nvidia-l4", maximum: 4 },
];

const cents = (x: number) => Math.round(x * 100) / 100;

describe("gkeL4 and the pack (the committed staging stack)", function () {
    let resources: PlannedResource[];
    before(async () => {
        resources = (await plan(committedStack("staging"))).resources;
    });

    it("passes every mandatory policy, as is and as a new stack's first preview sees it", async () => {
        assert.deepEqual(await mandatory(resources), []);
        const preview = (await plan(committedStack("staging"), { preview: true })).resources;
        const violations = (await evaluatePolicies(preview, STAGING_POLICY, { preview: true })).violations.filter((v) => v.enforcementLevel === "mandatory");
        assert.deepEqual(violations, []);
    });

    it("prices it by hand: fee, spot pool at on-demand between its total bounds, boot disks, surge, NAT, forwarding rule", () => {
        const cap = STAGING_POLICY["monthly-cost-cap"];
        const estimate = estimateCosts(resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, props: r.inputs, propertyDependencies: r.propertyDependencies })) as never, {
            spotMargin: cap.spotMargin,
            transientHoursPerMonth: cap.transientHoursPerMonth,
            usage: cap.usage,
        });
        assert.deepEqual(estimate.issues, []);
        const line = (type: string, kind: string) => estimate.lines.filter((l) => l.resourceType === type && l.kind === kind);
        // GKE management fee: $0.10/h x 730 h.
        assert.deepEqual(line(CLUSTER, "fixed").map((l) => l.worstCaseMonthlyUsd), [73]);
        // g2-standard-4 spot, uncapped: on-demand $0.70683/h; 2 to 3 nodes (totalMin/MaxNodeCount).
        const [pool] = line(POOL, "capacity");
        assert.equal(pool.sku, "g2-standard-4");
        assert.equal(pool.baselineMonthlyUsd, 1031.97); // 2 x 0.70683 x 730 = 1031.9718
        assert.equal(pool.worstCaseMonthlyUsd, 1547.96); // 3 x 0.70683 x 730 = 1547.9577
        assert.equal(pool.expected?.worstCaseMonthlyUsd, 771.54); // 3 x 0.28184 x 1.25 x 730 = 771.537
        // 100 GB pd-balanced at $0.10/GB-month per node: $10 each.
        const [disk] = line(POOL, "storage");
        assert.equal(disk.baselineMonthlyUsd, 20);
        assert.equal(disk.worstCaseMonthlyUsd, 30);
        // Surge: maxSurge 1 per zone x 2 zones, (0.70683 + 10/730) x 4 h = 5.764.
        assert.equal(line(POOL, "transient")[0].worstCaseMonthlyUsd, 5.76);
        // Cloud NAT: $0.0014 per node-hour (2 to 3 nodes), one automatic address at $0.005/h.
        const nat = estimate.lines.filter((l) => l.resourceType === "gcp:compute/routerNat:RouterNat" && l.kind === "fixed");
        assert.deepEqual(nat.map((l) => [l.sku, l.baselineMonthlyUsd, l.worstCaseMonthlyUsd]), [["gcp-cloud-nat-vm", 2.04, 3.07], ["gcp-nat-ip", 3.65, 3.65]]);
        // The LoadBalancer Service: one forwarding rule, $0.025/h.
        const lb = estimate.lines.filter((l) => l.resourceType === "kubernetes:core/v1:Service" && l.kind === "fixed");
        assert.deepEqual(lb.map((l) => l.worstCaseMonthlyUsd), [18.25]);
        // Observability (#18): 5 alert policies x ($1.50 per condition + 0.0438 M series x $0.35 = $0.02), and
        // 10 M Managed Prometheus samples x $0.06 on the dashboard: 7.50 + 0.10 + 0.60 = 8.20.
        const obs = estimate.lines.filter((l) => l.resourceType.startsWith("gcp:monitoring/"));
        assert.equal(cents(obs.reduce((s, l) => s + l.worstCaseMonthlyUsd, 0)), 8.2);
        // The HPA's metrics adapter reads 2 gauges x 3 pods (maxReplicas) x 4 a minute x 43,800 minutes
        // = 1.0512 M series x $0.50 = $0.53 (Monitoring API reads).
        const hpa = estimate.lines.filter((l) => l.resourceType === "kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
        assert.deepEqual(hpa.map((l) => [l.sku, l.worstCaseMonthlyUsd]), [["gcp-monitoring-read-series", 0.53]]);
        // 73 + 1547.96 + 30 + 5.76 + 3.07 + 3.65 + 0.06 (secret) + 18.25 + usage (NAT 300 GiB x 0.045 = 13.5, egress 100 x 0.12 = 12) + 8.20 + 0.53.
        assert.equal(estimate.worstCaseMonthlyUsd, 1715.98);
        assert.equal(estimate.baselineMonthlyUsd, 1183.2);
    });

    it("blocks an on-demand GPU pool where spot is required", async () => {
        const v = await mandatory(mutate(resources, POOL, (i) => (i.nodeConfig.spot = false)));
        assert.ok(v.some((x) => x.policy === "spot-required" && /gke-l4-gpu-pool/.test(x.message)), JSON.stringify(v, null, 1));
    });

    it("blocks a pool that runs as the default compute account", async () => {
        const v = await mandatory(mutate(resources, POOL, (i) => delete i.nodeConfig.serviceAccount));
        assert.ok(v.some((x) => x.policy === "gcp-no-default-service-account" && /gke-l4-gpu-pool/.test(x.message) && /default compute/.test(x.message)), JSON.stringify(v, null, 1));
    });

    it("blocks a pool with the cloud-platform scope", async () => {
        const v = await mandatory(mutate(resources, POOL, (i) => (i.nodeConfig.oauthScopes = ["https://www.googleapis.com/auth/cloud-platform"])));
        assert.ok(v.some((x) => x.policy === "gcp-no-default-service-account" && /cloud-platform/.test(x.message)));
    });

    it("blocks a machine type outside the allow-list", async () => {
        const v = await mandatory(mutate(resources, POOL, (i) => (i.nodeConfig.machineType = "g2-standard-24")));
        assert.ok(v.some((x) => x.policy === "allowed-instance-types" && /g2-standard-24/.test(x.message)));
    });

    it("blocks a pool with no maximum", async () => {
        const v = await mandatory(mutate(resources, POOL, (i) => (i.autoscaling = { totalMinNodeCount: 2 })));
        assert.ok(v.some((x) => x.policy === "bounded-scaling" && /gke-l4-gpu-pool/.test(x.message)));
    });

    it("prices per-zone bounds as that many nodes in every zone", () => {
        const changed = mutate(resources, POOL, (i) => (i.autoscaling = { minNodeCount: 1, maxNodeCount: 3 }));
        const estimate = estimateCosts(changed.map((r) => ({ urn: r.urn, type: r.type, name: r.name, props: r.inputs, propertyDependencies: r.propertyDependencies })) as never);
        const pool = estimate.lines.find((l) => l.resourceType === POOL && l.kind === "capacity")!;
        assert.deepEqual([pool.countMin, pool.countMax], [2, 6]); // 2 zones
    });

    it("blocks a control plane open to every Google Cloud address or with no authorized networks", async () => {
        const openToGcp = await mandatory(mutate(resources, CLUSTER, (i) => (i.masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled = true)));
        assert.ok(openToGcp.some((x) => x.policy === "api-server-not-public"));
        const open = await mandatory(mutate(resources, CLUSTER, (i) => delete i.masterAuthorizedNetworksConfig));
        assert.ok(open.some((x) => x.policy === "api-server-not-public" && /reachable from anywhere/.test(x.message)));
    });

    it("blocks a cluster that keeps its default pool (unpriced machines)", async () => {
        const v = await mandatory(mutate(resources, CLUSTER, (i) => (i.removeDefaultNodePool = false)));
        assert.ok(v.some((x) => /gke-l4-cluster/.test(x.message) && /default pool|not set|nodeConfig\.machineType/.test(x.message)), JSON.stringify(v, null, 1));
    });

    describe("capacity GKE makes without a NodePool resource is never $0", function () {
        it("passes a cluster whose node auto-provisioning is off (the autoscaler profile alone creates nothing)", async () => {
            const off = mutate(resources, CLUSTER, (i) => (i.clusterAutoscaling = { enabled: false, autoscalingProfile: "OPTIMIZE_UTILIZATION" }));
            assert.deepEqual(await mandatory(off), []);
            assert.deepEqual(issuesOf(off), []);
        });

        it("blocks node auto-provisioning as unpriced: its limits bound machines the catalog cannot price", async () => {
            const nap = mutate(resources, CLUSTER, (i) => (i.clusterAutoscaling = { enabled: true, resourceLimits: NAP_LIMITS }));
            const v = await mandatory(nap);
            assert.ok(v.some((x) => x.policy === "priced-resources-only" && /gke-l4-cluster/.test(x.message) && /auto-provisioning/.test(x.message) && /nvidia-l4 <= 4/.test(x.message)), JSON.stringify(v, null, 1));
            assert.deepEqual(issuesOf(nap).map((i) => [i.kind, i.field]), [["unpriced", "clusterAutoscaling.enabled"]]);
        });

        it("blocks node auto-provisioning without CPU and memory maxima as unbounded", async () => {
            const nap = mutate(resources, CLUSTER, (i) => (i.clusterAutoscaling = { enabled: true, resourceLimits: [{ resourceType: "nvidia-l4", maximum: 4 }] }));
            const v = await mandatory(nap);
            assert.ok(v.some((x) => x.policy === "bounded-scaling" && /gke-l4-cluster/.test(x.message) && /resourceLimits/.test(x.message)), JSON.stringify(v, null, 1));
        });

        it("blocks node auto-provisioning whose setting is unknown at preview", async () => {
            const unknown = mutate(resources, CLUSTER, (i) => (i.clusterAutoscaling = { enabled: UNKNOWN_STRING_SENTINEL }));
            const v = await mandatory(unknown, { preview: true });
            assert.ok(v.some((x) => x.policy === "cost-known-at-preview" && /clusterAutoscaling\.enabled/.test(x.message)), JSON.stringify(v, null, 1));
        });

        it("blocks an Autopilot cluster as unpriced, and passes enableAutopilot: false", async () => {
            const v = await mandatory(mutate(resources, CLUSTER, (i) => (i.enableAutopilot = true)));
            assert.ok(v.some((x) => x.policy === "priced-resources-only" && /gke-l4-cluster/.test(x.message) && /Autopilot/.test(x.message)), JSON.stringify(v, null, 1));
            assert.deepEqual(await mandatory(mutate(resources, CLUSTER, (i) => (i.enableAutopilot = false))), []);
        });

        for (const [where, set] of [
            ["nodeConfig.localSsdCount", (n: Record<string, any>) => (n.localSsdCount = 1)],
            ["nodeConfig.ephemeralStorageLocalSsdConfig.localSsdCount", (n: Record<string, any>) => (n.ephemeralStorageLocalSsdConfig = { localSsdCount: 1 })],
            ["nodeConfig.localNvmeSsdBlockConfig.localSsdCount", (n: Record<string, any>) => (n.localNvmeSsdBlockConfig = { localSsdCount: 2 })],
        ] as const) {
            it(`blocks local SSDs on the pool (${where}) as unpriced, never $0`, async () => {
                const v = await mandatory(mutate(resources, POOL, (i) => set(i.nodeConfig)));
                assert.ok(v.some((x) => x.policy === "priced-resources-only" && /gke-l4-gpu-pool/.test(x.message) && /local SSD/.test(x.message)), JSON.stringify(v, null, 1));
            });
        }

        it("passes a pool whose local SSD counts are 0", async () => {
            const none = mutate(resources, POOL, (i) => {
                i.nodeConfig.localSsdCount = 0;
                i.nodeConfig.ephemeralStorageLocalSsdConfig = { localSsdCount: 0, dataCacheCount: 0 };
                i.nodeConfig.localNvmeSsdBlockConfig = { localSsdCount: 0 };
            });
            assert.deepEqual(await mandatory(none), []);
            assert.deepEqual(issuesOf(none), []);
        });

        /** The plan plus one GKE ComputeClass custom resource applied to the cluster. */
        const withComputeClass = (autoCreation: unknown): PlannedResource[] => [
            ...resources,
            {
                urn: "urn:pulumi:staging::llm-serving::kubernetes:cloud.google.com/v1:ComputeClass::l4-spot-first",
                type: "kubernetes:cloud.google.com/v1:ComputeClass",
                name: "l4-spot-first",
                parent: null,
                inputs: {
                    apiVersion: "cloud.google.com/v1",
                    kind: "ComputeClass",
                    metadata: { name: "l4-spot-first" },
                    spec: { priorities: [{ machineFamily: "g2", spot: true }], nodePoolAutoCreation: { enabled: autoCreation } },
                },
                propertyDependencies: {},
            } as PlannedResource,
        ];

        it("passes a ComputeClass that only ranks existing pools (nodePoolAutoCreation off)", async () => {
            assert.deepEqual(await mandatory(withComputeClass(false)), []);
            assert.deepEqual(issuesOf(withComputeClass(false)), []);
        });

        it("blocks a ComputeClass that lets GKE create node pools (nodePoolAutoCreation.enabled) as unpriced", async () => {
            const v = await mandatory(withComputeClass(true));
            assert.ok(v.some((x) => x.policy === "priced-resources-only" && /l4-spot-first/.test(x.message) && /nodePoolAutoCreation/.test(x.message)), JSON.stringify(v, null, 1));
            assert.deepEqual(issuesOf(withComputeClass(true)).map((i) => [i.kind, i.field]), [["unpriced", "spec.nodePoolAutoCreation.enabled"]]);
        });

        it("blocks a ComputeClass whose auto-creation is unknown at preview", async () => {
            const v = await mandatory(withComputeClass(UNKNOWN_STRING_SENTINEL), { preview: true });
            assert.ok(v.some((x) => x.policy === "cost-known-at-preview" && /nodePoolAutoCreation/.test(x.message)), JSON.stringify(v, null, 1));
        });
    });
});
