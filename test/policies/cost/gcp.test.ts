import assert from "node:assert/strict";
import { estimateCosts } from "../../../policies/cost/estimate";
import { GCP_TYPES as T } from "../../../policies/cost/gcp";
import { UNKNOWN, asPreview, cents, resource } from "./fixtures";

/** A spot g2-standard-4 template, its regional MIG and an autoscaler (min 2, max 3). */
function spotL4Group(opts: { machineType?: unknown; policy?: Record<string, unknown>; withAutoscaler?: boolean; targetSize?: number } = {}) {
    const template = resource(T.template, "tpl", {
        machineType: opts.machineType ?? "g2-standard-4",
        region: "us-central1",
        scheduling: { provisioningModel: "SPOT", automaticRestart: false, onHostMaintenance: "TERMINATE" },
        disks: [{ boot: true, diskType: "pd-balanced", diskSizeGb: 100 }],
    });
    // At preview the template's selfLink is unknown: the link is through propertyDependencies only.
    const group = resource(T.regionGroup, "mig", { baseInstanceName: "llm", region: "us-central1", versions: [{ instanceTemplate: UNKNOWN }], updatePolicy: { maxSurgeFixed: 0 }, ...(opts.targetSize !== undefined ? { targetSize: opts.targetSize } : {}) }, { versions: [template.urn] });
    const autoscaler = resource(T.regionAutoscaler, "as", { target: UNKNOWN, region: "us-central1", autoscalingPolicy: opts.policy ?? { minReplicas: 2, maxReplicas: 3 } }, { target: [group.urn] });
    return opts.withAutoscaler === false ? [template, group] : [template, group, autoscaler];
}

const capacity = (est: ReturnType<typeof estimateCosts>) => est.lines.find((l) => l.kind === "capacity")!;
const DISK_MONTH = 10; // 100 GB pd-balanced x $0.10/GB-month, per instance

describe("cost/gcp", () => {
    it("prices a spot g2-standard-4 group from its autoscaler: baseline at min 2, worst case at max 3, spot at on-demand", () => {
        const est = estimateCosts(spotL4Group());
        assert.deepEqual(est.issues, []);
        assert.deepEqual(est.lines.map((l) => l.kind), ["capacity", "storage"], "capacity and disks per group, none for the template alone");
        const line = capacity(est);
        assert.equal(line.sku, "g2-standard-4");
        assert.equal(line.region, "us-central1");
        assert.equal(line.pricing, "spot");
        assert.equal(line.countMin, 2);
        assert.equal(line.countMax, 3);
        // GCP spot has no price cap: the worst case is on-demand, 0.70683/h.
        assert.equal(line.hourlyUsd, 0.70683);
        assert.equal(line.baselineMonthlyUsd, 1031.97); // 2 x 0.70683 x 730 = 1031.9718
        assert.equal(line.worstCaseMonthlyUsd, 1547.96); // 3 x 0.70683 x 730 = 1547.9577
        // Expected: 3 x 0.28184 x 1.25 x 730 = 771.537
        assert.equal(line.expected?.worstCaseMonthlyUsd, 771.54);
        // Disks: 3 x $10 = $30; total 1547.96 + 30 = 1577.96
        assert.equal(est.worstCaseMonthlyUsd, 1577.96);
        assert.equal(est.expectedWorstCaseMonthlyUsd, 801.54);
        assert.match(line.basis, /g2-standard-4/);
    });

    it("gives the same figures in preview, behind the real unknown-checking proxy", () => {
        const est = estimateCosts(spotL4Group().map(asPreview));
        assert.deepEqual(est.issues, []);
        assert.equal(est.worstCaseMonthlyUsd, 1577.96);
    });

    it("uses the fixed targetSize when there is no autoscaler", () => {
        const est = estimateCosts(spotL4Group({ withAutoscaler: false, targetSize: 2 }));
        assert.equal(capacity(est).countMin, 2);
        assert.equal(capacity(est).countMax, 2);
        assert.equal(est.worstCaseMonthlyUsd, cents(1031.97 + 2 * DISK_MONTH));
        assert.equal(est.baselineMonthlyUsd, est.worstCaseMonthlyUsd);
    });

    it("prices rolling-update surge as transient hours: maxSurgeFixed instances x (machine + disks) x hours", () => {
        const [template, group, autoscaler] = spotL4Group();
        const surging = { ...group, props: { ...group.props, updatePolicy: { maxSurgeFixed: 3 } } };
        const est = estimateCosts([template, surging, autoscaler], { transientHoursPerMonth: { migRollingUpdate: 4 } });
        const t = est.lines.find((l) => l.kind === "transient")!;
        // 3 x (0.70683 + 10/730) x 4 h = 3 x 0.72053 x 4 = 8.6463
        assert.deepEqual([t.countMin, t.countMax, t.baselineMonthlyUsd, t.worstCaseMonthlyUsd], [0, 3, 0, 8.65]);
        // Unset, a regional group surges by its zones (3 by default).
        const dflt = { ...group, props: { ...group.props, updatePolicy: undefined } };
        assert.equal(estimateCosts([template, dflt, autoscaler]).lines.find((l) => l.kind === "transient")?.countMax, 3);
    });

    it("raises the estimate when only the boot disk grows, and fails closed on an unpriced disk type", () => {
        const [template, ...rest] = spotL4Group();
        const disk = (d: Record<string, unknown>) => ({ ...template, props: { ...template.props, disks: [{ boot: true, ...d }] } });
        const big = estimateCosts([disk({ diskType: "pd-balanced", diskSizeGb: 2000 }), ...rest]);
        // 3 x 2000 GB x $0.10 = $600 instead of $30
        assert.equal(big.worstCaseMonthlyUsd, cents(1547.96 + 600));
        assert.deepEqual(estimateCosts([disk({ diskType: "hyperdisk-extreme", diskSizeGb: 100 }), ...rest]).issues.map((i) => i.kind), ["unpriced"]);
        assert.deepEqual(estimateCosts([disk({ diskSizeGb: 100 }), ...rest]).issues.map((i) => i.kind), ["unpriced"], "unset diskType is pd-standard, not priced");
        assert.deepEqual(estimateCosts([disk({ diskType: "pd-balanced" }), ...rest]).issues.map((i) => i.field), ["disks[0].diskSizeGb"]);
    });

    it("charges Cloud NAT per VM-hour of the stack's groups, its address, and its data at the assumed volume", () => {
        const nat = resource(T.routerNat, "nat", { region: "us-central1", natIpAllocateOption: "AUTO_ONLY", router: UNKNOWN });
        const est = estimateCosts([...spotL4Group(), nat], { usage: { natProcessedGb: 100 } });
        const lines = est.lines.filter((l) => l.urn === nat.urn).map((l) => [l.kind, l.sku, l.countMin, l.countMax, l.baselineMonthlyUsd, l.worstCaseMonthlyUsd]);
        assert.deepEqual(lines, [
            ["fixed", "gcp-cloud-nat-vm", 2, 3, 2.04, 3.07], // 2 / 3 VMs x 0.0014 x 730 = 2.044 / 3.066
            ["fixed", "gcp-nat-ip", 1, 1, 3.65, 3.65], // 3 VMs x 64 ports fit one address: 0.005 x 730
            ["usage", "gcp-nat-processed", 100, 100, 4.5, 4.5], // 100 GiB x $0.045
        ]);
    });

    it("charges a Cloud Armor policy and its rules, and its requests at the assumed volume", () => {
        const policy = resource(T.securityPolicy, "armor", { rules: [{ priority: 1 }, { priority: 2 }, { priority: 2147483647 }] });
        const est = estimateCosts([policy], { usage: { wafRequestsMillions: 4 } });
        // $5 + 3 rules x $1 + 4 M x $0.75 = 5 + 3 + 3
        assert.deepEqual(est.lines.map((l) => [l.kind, l.worstCaseMonthlyUsd]), [["fixed", 5], ["fixed", 3], ["usage", 3]]);
    });

    it("prices on-demand when the template is not spot", () => {
        const [template, ...rest] = spotL4Group();
        const onDemand = { ...template, props: { ...template.props, scheduling: {} } };
        const est = estimateCosts([onDemand, ...rest]);
        assert.equal(capacity(est).pricing, "on-demand");
        assert.equal(capacity(est).expected, undefined);
        assert.equal(capacity(est).worstCaseMonthlyUsd, cents(3 * 0.70683 * 730));
    });

    it("treats legacy preemptible as spot", () => {
        const [template, ...rest] = spotL4Group();
        const preemptible = { ...template, props: { ...template.props, scheduling: { preemptible: true } } };
        assert.equal(estimateCosts([preemptible, ...rest]).lines[0].pricing, "spot");
    });

    it("caps the expected spot figure at on-demand", () => {
        const est = estimateCosts(spotL4Group(), { spotMargin: 3 });
        // 0.28184 x 3 = 0.84552 is above on-demand 0.70683.
        assert.equal(capacity(est).expected?.hourlyUsd, 0.70683);
        assert.equal(capacity(est).worstCaseMonthlyUsd, cents(3 * 0.70683 * 730));
    });

    it("blocks an autoscaler without maxReplicas as unbounded", () => {
        const est = estimateCosts(spotL4Group({ policy: { minReplicas: 2 } }));
        assert.equal(est.lines.length, 0);
        assert.equal(est.issues.length, 1);
        assert.equal(est.issues[0].kind, "unbounded");
        assert.equal(est.issues[0].field, "autoscalingPolicy.maxReplicas");
    });

    it("reports an unknown machine type in preview as an `unknown` issue, not an exception", () => {
        const resources = spotL4Group({ machineType: UNKNOWN }).map(asPreview);
        const est = estimateCosts(resources);
        assert.equal(est.lines.length, 0);
        assert.deepEqual(est.issues.map((i) => [i.kind, i.field, i.urn]), [["unknown", "machineType", resources[0].urn]]);
        assert.doesNotMatch(est.issues[0].message, new RegExp(UNKNOWN));
    });

    it("reports an unknown maxReplicas in preview as unknown", () => {
        const est = estimateCosts(spotL4Group({ policy: { minReplicas: 2, maxReplicas: UNKNOWN } }).map(asPreview));
        assert.deepEqual(est.issues.map((i) => [i.kind, i.field]), [["unknown", "autoscalingPolicy.maxReplicas"]]);
    });

    it("reports a machine type the catalog does not price as unpriced, naming SKU and region, never $0", () => {
        const est = estimateCosts(spotL4Group({ machineType: "a3-highgpu-8g" }));
        assert.equal(est.lines.length, 0);
        assert.equal(est.issues[0].kind, "unpriced");
        assert.match(est.issues[0].message, /a3-highgpu-8g/);
        assert.match(est.issues[0].message, /us-central1/);
    });

    it("reports a region outside the catalog as unpriced", () => {
        const [template, group, autoscaler] = spotL4Group();
        const est = estimateCosts([template, { ...group, props: { ...group.props, region: "europe-west4" } }, autoscaler]);
        assert.equal(est.issues[0].kind, "unpriced");
        assert.match(est.issues[0].message, /europe-west4/);
    });

    it("takes the region from the template when the group's is unknown at preview", () => {
        const [template, group, autoscaler] = spotL4Group();
        const noRegion = (r: typeof group) => ({ ...r, props: { ...r.props, region: UNKNOWN } });
        const est = estimateCosts([template, noRegion(group), noRegion(autoscaler)].map(asPreview));
        assert.deepEqual(est.issues, []);
        assert.equal(capacity(est).region, "us-central1");
    });

    it("prices an n1 host with a T4 as that pair, and a g2 with extra GPUs as unpriced", () => {
        const [template, ...rest] = spotL4Group();
        const n1 = { ...template, props: { ...template.props, machineType: "n1-standard-8", guestAccelerators: [{ type: "nvidia-tesla-t4", count: 1 }] } };
        // n1-standard-8 + T4: on-demand 0.73/h (spot has no cap): 3 x 0.73 x 730 = 1598.7
        assert.equal(capacity(estimateCosts([n1, ...rest])).worstCaseMonthlyUsd, cents(3 * 0.73 * 730));
        const g2plus = { ...template, props: { ...template.props, guestAccelerators: [{ type: "nvidia-l4", count: 1 }] } };
        assert.equal(estimateCosts([g2plus, ...rest]).issues[0].kind, "unpriced");
    });

    it("does not price a template no group uses", () => {
        const [template] = spotL4Group();
        const est = estimateCosts([template]);
        assert.deepEqual([est.lines, est.issues, est.baselineMonthlyUsd, est.worstCaseMonthlyUsd], [[], [], 0, 0]);
    });

    it("prices a zonal group with a zonal autoscaler, taking the region from the zone", () => {
        const template = resource(T.template, "tpl", { machineType: "g2-standard-8", scheduling: { provisioningModel: "SPOT" }, disks: [] });
        const group = resource(T.zoneGroup, "mig", { zone: "us-central1-a", versions: [{ instanceTemplate: UNKNOWN }], updatePolicy: { maxSurgeFixed: 0 } }, { versions: [template.urn] });
        const autoscaler = resource(T.zoneAutoscaler, "as", { zone: "us-central1-a", autoscalingPolicy: { minReplicas: 1, maxReplicas: 4 } }, { target: [group.urn] });
        const est = estimateCosts([template, group, autoscaler]);
        assert.equal(est.lines[0].region, "us-central1");
        // g2-standard-8 on-demand 0.85362: 1 / 4 x 0.85362 x 730 = 623.1426 / 2492.5704
        assert.equal(est.baselineMonthlyUsd, 623.14);
        assert.equal(est.worstCaseMonthlyUsd, 2492.57);
    });

    it("charges the first 5 forwarding rules $0.025/h each and every further one $0.01/h", () => {
        const rules = [0, 1, 2, 3, 4, 5, 6].map((i) => resource(i % 2 ? T.forwardingRule : T.globalForwardingRule, `fr${i}`, { target: UNKNOWN }));
        const est = estimateCosts(rules);
        assert.equal(est.lines.length, 7);
        assert.deepEqual(est.lines.map((l) => l.hourlyUsd), [0.025, 0.025, 0.025, 0.025, 0.025, 0.01, 0.01]);
        assert.equal(est.worstCaseMonthlyUsd, cents(5 * cents(0.025 * 730) + 2 * cents(0.01 * 730)));
        assert.equal(est.lines[0].pricing, "fee");
    });

    it("reports a group whose template is not in the stack as unknown", () => {
        const group = resource(T.regionGroup, "mig", { region: "us-central1", versions: [{ instanceTemplate: "projects/p/global/instanceTemplates/x" }], targetSize: 2 });
        assert.deepEqual(estimateCosts([group]).issues.map((i) => [i.kind, i.field]), [["unknown", "versions"]]);
    });
});
