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
        disks: [{ boot: true }],
    });
    // At preview the template's selfLink is unknown: the link is through propertyDependencies only.
    const group = resource(T.regionGroup, "mig", { baseInstanceName: "llm", region: "us-central1", versions: [{ instanceTemplate: UNKNOWN }], ...(opts.targetSize !== undefined ? { targetSize: opts.targetSize } : {}) }, { versions: [template.urn] });
    const autoscaler = resource(T.regionAutoscaler, "as", { target: UNKNOWN, region: "us-central1", autoscalingPolicy: opts.policy ?? { minReplicas: 2, maxReplicas: 3 } }, { target: [group.urn] });
    return opts.withAutoscaler === false ? [template, group] : [template, group, autoscaler];
}

describe("cost/gcp", () => {
    it("prices a spot g2-standard-4 group from its autoscaler: baseline at min 2, worst case at max 3", () => {
        const est = estimateCosts(spotL4Group());
        assert.deepEqual(est.issues, []);
        assert.equal(est.lines.length, 1, "one line per template x group, none for the template alone");
        const [line] = est.lines;
        assert.equal(line.sku, "g2-standard-4");
        assert.equal(line.region, "us-central1");
        assert.equal(line.pricing, "spot");
        assert.equal(line.countMin, 2);
        assert.equal(line.countMax, 3);
        assert.equal(line.hourlyUsd, 0.28184 * 1.25);
        assert.equal(line.baselineMonthlyUsd, Math.round(2 * 0.28184 * 1.25 * 730 * 100) / 100);
        assert.equal(line.worstCaseMonthlyUsd, Math.round(3 * 0.28184 * 1.25 * 730 * 100) / 100);
        assert.equal(est.worstCaseMonthlyUsd, Math.round(3 * 0.28184 * 1.25 * 730 * 100) / 100);
        assert.match(line.basis, /g2-standard-4/);
    });

    it("gives the same figures in preview, behind the real unknown-checking proxy", () => {
        const est = estimateCosts(spotL4Group().map(asPreview));
        assert.deepEqual(est.issues, []);
        assert.equal(est.worstCaseMonthlyUsd, cents(3 * 0.28184 * 1.25 * 730));
    });

    it("uses the fixed targetSize when there is no autoscaler", () => {
        const est = estimateCosts(spotL4Group({ withAutoscaler: false, targetSize: 2 }));
        assert.equal(est.lines[0].countMin, 2);
        assert.equal(est.lines[0].countMax, 2);
        assert.equal(est.worstCaseMonthlyUsd, cents(2 * 0.28184 * 1.25 * 730));
        assert.equal(est.baselineMonthlyUsd, est.worstCaseMonthlyUsd);
    });

    it("prices on-demand when the template is not spot", () => {
        const [template, ...rest] = spotL4Group();
        const onDemand = { ...template, props: { ...template.props, scheduling: {} } };
        const est = estimateCosts([onDemand, ...rest]);
        assert.equal(est.lines[0].pricing, "on-demand");
        assert.equal(est.worstCaseMonthlyUsd, cents(3 * 0.70683 * 730));
    });

    it("treats legacy preemptible as spot", () => {
        const [template, ...rest] = spotL4Group();
        const preemptible = { ...template, props: { ...template.props, scheduling: { preemptible: true } } };
        assert.equal(estimateCosts([preemptible, ...rest]).lines[0].pricing, "spot");
    });

    it("caps the spot margin at on-demand", () => {
        const est = estimateCosts(spotL4Group(), { spotMargin: 3 });
        // 0.28184 x 3 = 0.84552 is above on-demand 0.70683.
        assert.equal(est.lines[0].hourlyUsd, 0.70683);
        assert.equal(est.worstCaseMonthlyUsd, cents(3 * 0.70683 * 730));
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
        assert.equal(est.lines[0].region, "us-central1");
    });

    it("prices an n1 host with a T4 as that pair, and a g2 with extra GPUs as unpriced", () => {
        const [template, ...rest] = spotL4Group();
        const n1 = { ...template, props: { ...template.props, machineType: "n1-standard-8", guestAccelerators: [{ type: "nvidia-tesla-t4", count: 1 }] } };
        assert.equal(estimateCosts([n1, ...rest]).worstCaseMonthlyUsd, cents(3 * 0.2363 * 1.25 * 730));
        const g2plus = { ...template, props: { ...template.props, guestAccelerators: [{ type: "nvidia-l4", count: 1 }] } };
        assert.equal(estimateCosts([g2plus, ...rest]).issues[0].kind, "unpriced");
    });

    it("does not price a template no group uses", () => {
        const [template] = spotL4Group();
        assert.deepEqual(estimateCosts([template]), { lines: [], issues: [], baselineMonthlyUsd: 0, worstCaseMonthlyUsd: 0 });
    });

    it("prices a zonal group with a zonal autoscaler, taking the region from the zone", () => {
        const template = resource(T.template, "tpl", { machineType: "g2-standard-8", scheduling: { provisioningModel: "SPOT" } });
        const group = resource(T.zoneGroup, "mig", { zone: "us-central1-a", versions: [{ instanceTemplate: UNKNOWN }] }, { versions: [template.urn] });
        const autoscaler = resource(T.zoneAutoscaler, "as", { zone: "us-central1-a", autoscalingPolicy: { minReplicas: 1, maxReplicas: 4 } }, { target: [group.urn] });
        const est = estimateCosts([template, group, autoscaler]);
        assert.equal(est.lines[0].region, "us-central1");
        assert.equal(est.baselineMonthlyUsd, cents(1 * 0.34057 * 1.25 * 730));
        assert.equal(est.worstCaseMonthlyUsd, cents(4 * 0.34057 * 1.25 * 730));
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
