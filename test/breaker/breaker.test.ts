// The circuit breaker's function code against budget notifications in each cloud's documented
// format (synthesised from the formats the parsers cite; no live notification is recorded here),
// with the cloud calls stubbed at the SDK boundary (the adapters' client slices).
import { strict as assert } from "node:assert";
import { aksPoolAdapter, gcpMigAdapter, GcpAutoscalers, rayServeAdapter, TaggedScaled } from "../../functions/breaker/adapters";
import { decide, Group } from "../../functions/breaker/decide";
import { handle } from "../../functions/breaker/handler";
import { parseAws, parseAzure, parseGcp } from "../../functions/breaker/notification";

const SETTINGS = { forecastPercent: 100, stepToZero: false };
const NOW = () => new Date("2026-12-02T03:00:00Z");

/** GCP: the CloudEvent data of a Pub/Sub budget notification, schema 1.0. */
function gcpEvent(body: Record<string, unknown>, attributes: Record<string, string> = { schemaVersion: "1.0", billingAccountId: "01A2B3-C4D5E6-F7A8B9", budgetId: "b-1" }) {
    return { message: { data: Buffer.from(JSON.stringify(body)).toString("base64"), attributes } };
}
const GCP_BASE = { budgetDisplayName: "llm-serving dev", costAmount: 900, costIntervalStart: "2026-12-01T08:00:00Z", budgetAmount: 1243, budgetAmountType: "SPECIFIED_AMOUNT", currencyCode: "USD" };

const AWS_FORECAST = [
    "AWS Budget Notification December 02, 2026",
    "AWS Account 123456789012",
    "",
    "Dear AWS Customer,",
    "",
    "You requested that we alert you when the FORECASTED Cost associated with your runtime-budgets-aws budget is greater than $2,061.00 for the current month.",
    "",
    "Budget Name: runtime-budgets-aws",
    "Budget Type: Cost",
    "Budgeted Amount: $2,061.00",
    "Alert Type: FORECASTED",
    "Alert Threshold: > $2,061.00",
    "FORECASTED Amount: $2,480.17",
].join("\n");

const azurePayload = (thresholdType: string, notificationAt: string) => ({
    schemaId: "azureMonitorCommonAlertSchema",
    data: {
        essentials: { monitoringService: "CostAlerts", alertRule: "runtime-budgets-azure", severity: "Sev4", signalType: "Log", firedDateTime: "2026-12-02T03:00:00Z" },
        alertContext: {
            AlertCategory: "budgets",
            AlertData: { Scope: "/subscriptions/00000000-0000-4000-8000-00000000c003", ThresholdType: thresholdType, BudgetType: "Cost", BudgetThreshold: "$194.00", NotificationThresholdAmount: notificationAt, BudgetName: "runtime-budgets-azure", BudgetId: "x", BudgetStartDate: "2026-12-01", BudgetCreator: "pulumi", Unit: "USD", SpentAmount: "210.5" },
        },
    },
});

/** A GCP autoscalers client stub: records patches, keeps state, so a second run sees the first's result. */
function gcpStub(initial: Array<{ name: string; max: number; baseline: number }>) {
    const state = new Map(initial.map((a) => [a.name, { name: a.name, autoscalingPolicy: { maxNumReplicas: a.max }, description: `app=llm-serving environment=dev llm-serving-baseline=${a.baseline}` }]));
    const patches: Array<{ autoscaler: string; max: number; description: string }> = [];
    const client: GcpAutoscalers = {
        async list(req) {
            const all = [...state.values()];
            return req.filter.startsWith("name=") ? all.filter((a) => a.name === req.filter.slice(5)) : all;
        },
        async patch(req) {
            patches.push({ autoscaler: req.autoscaler, max: req.autoscalerResource.autoscalingPolicy.maxNumReplicas, description: req.autoscalerResource.description });
            state.set(req.autoscaler, { ...req.autoscalerResource });
        },
    };
    return { client, patches, state };
}

function taggedStub(initial: Array<{ id: string; max: number; tags: Record<string, string> }>) {
    const state = new Map(initial.map((g) => [g.id, { ...g }]));
    const updates: Array<{ id: string; max: number; tags: Record<string, string> }> = [];
    const client: TaggedScaled = {
        async list() {
            return [...state.values()].map((g) => ({ ...g, tags: { ...g.tags } }));
        },
        async update(id, max, tags) {
            updates.push({ id, max, tags });
            state.set(id, { id, max, tags });
        },
    };
    return { client, updates };
}

describe("breaker: notifications in each cloud's format", () => {
    it("GCP: reads a forecast notification, an actual one, and a plain status update", () => {
        const f = parseGcp(gcpEvent({ ...GCP_BASE, alertThresholdExceeded: 1.0, forecastThresholdExceeded: 1.0 }));
        assert.deepEqual(f, { ok: true, notification: { cloud: "gcp", budget: "llm-serving dev", forecast: true, thresholdPercent: 100, amount: 900, budgetAmount: 1243, period: "2026-12" } });
        const a = parseGcp(gcpEvent({ ...GCP_BASE, alertThresholdExceeded: 0.5 }));
        assert.ok(a.ok && !a.notification.forecast && a.notification.thresholdPercent === 50);
        // The status update GCP publishes several times a day crosses no threshold: actual, at cost / budget.
        const status = parseGcp(gcpEvent({ ...GCP_BASE }));
        assert.ok(status.ok && !status.notification.forecast && Math.round(status.notification.thresholdPercent) === 72); // 900 / 1243
    });

    it("AWS: reads the Budgets SNS text (threshold $2,061 of $2,061 = 100%, forecast)", () => {
        assert.deepEqual(parseAws(AWS_FORECAST), { ok: true, notification: { cloud: "aws", budget: "runtime-budgets-aws", forecast: true, thresholdPercent: 100, amount: 2480.17, budgetAmount: 2061 } });
    });

    it("Azure: reads the common alert schema budget payload", () => {
        const p = parseAzure(azurePayload("Forecasted", "194.0"));
        assert.ok(p.ok);
        assert.equal(p.notification.forecast, true);
        assert.equal(p.notification.thresholdPercent, 100);
        assert.equal(p.notification.amount, 210.5);
    });

    it("refuses malformed input with a reason, never a throw", () => {
        for (const r of [
            parseGcp({}),
            parseGcp({ message: { data: "not base64 json!!" } }),
            parseGcp(gcpEvent({ costAmount: "lots" })),
            parseGcp(gcpEvent({ ...GCP_BASE }, { schemaVersion: "2.0" })),
            parseAws(""),
            parseAws("Alert Type: SOMETIMES"),
            parseAws(AWS_FORECAST.replace(/Budgeted Amount.*\n/, "")),
            parseAzure({ schemaId: "azureMonitorCommonAlertSchema", data: { essentials: {} } }),
            parseAzure(null),
        ]) {
            assert.equal(r.ok, false);
            if (!r.ok) assert.ok(r.reason.length > 0);
        }
    });
});

describe("breaker: decisions (pure)", () => {
    const groups: Group[] = [
        { kind: "gcp-mig-autoscaler", id: "mig", max: 3, baseline: 2 },
        { kind: "aks-node-pool", id: "pool", max: 2, baseline: 1 },
        { kind: "ray-serve", id: "rayservice", max: 2, baseline: 1 },
        { kind: "azureml-deployment", id: "ml", max: 2, baseline: 2 },
    ];
    const n = (forecast: boolean, pct: number) => ({ cloud: "gcp" as const, budget: "b", forecast, thresholdPercent: pct, amount: 1, budgetAmount: 1 });

    it("below the threshold, forecast or actual, nothing happens", () => {
        assert.deepEqual(decide(n(true, 80), groups, SETTINGS), []);
        assert.deepEqual(decide(n(false, 80), groups, SETTINGS), []);
        assert.deepEqual(decide(n(false, 99.9), groups, SETTINGS), []);
    });

    it("names the period after the notification's own (GCP: Pacific months), not the UTC month of the run", () => {
        // 2026-12-01T03:00Z is still November in the billing account's Pacific time zone: GCP's notification says so.
        const at = new Date("2026-12-01T03:00:00Z");
        const nov = { ...n(true, 100), period: "2026-11" };
        assert.deepEqual(decide(nov, groups, SETTINGS, at).map((s) => s.period), ["2026-11", "2026-11", "2026-11"]);
        // A group tripped in November at 100 steps to zero on November's 120 crossing, though UTC is already December.
        const tripped: Group[] = [{ kind: "aks-node-pool", id: "pool", max: 1, baseline: 1, tripped: "baseline", trippedThreshold: 100, trippedPeriod: "2026-11" }];
        assert.equal(decide({ ...n(true, 120), period: "2026-11" }, tripped, { ...SETTINGS, stepToZero: true }, at).length, 1);
        // Negative control: without a period, the UTC month (December) is not the trip's: no second step.
        assert.deepEqual(decide(n(true, 120), tripped, { ...SETTINGS, stepToZero: true }, at), []);
    });

    it("ACTUAL spend at or over the breaker's percent trips to baseline too (AWS forecasts need ~5 weeks of data), never to zero", () => {
        // Before this, an actual crossing did nothing: a new account's breaker waited a month for a forecast.
        assert.deepEqual(
            decide(n(false, 100), groups, SETTINGS).map((s) => [s.group.id, s.from, s.to, s.state]),
            [["mig", 3, 2, "baseline"], ["pool", 2, 1, "baseline"], ["rayservice", 2, 1, "baseline"]],
        );
        assert.equal(decide(n(false, 130), groups, SETTINGS).length, 3);
        // An actual crossing above the one that tripped the group never takes the second step, even opted in.
        const at = new Date("2026-12-02T03:00:00Z");
        const tripped: Group[] = [{ kind: "aks-node-pool", id: "pool", max: 1, baseline: 1, tripped: "baseline", trippedThreshold: 100, trippedPeriod: "2026-12" }];
        assert.deepEqual(decide(n(false, 150), tripped, { ...SETTINGS, stepToZero: true }, at), []);
        // Negative control: the same crossing on forecast does take it.
        assert.equal(decide(n(true, 150), tripped, { ...SETTINGS, stepToZero: true }, at).length, 1);
    });

    it("at 100% forecast every group above its baseline steps down to it; one already there is left alone", () => {
        assert.deepEqual(
            decide(n(true, 100), groups, SETTINGS).map((s) => [s.group.id, s.from, s.to, s.state]),
            [["mig", 3, 2, "baseline"], ["pool", 2, 1, "baseline"], ["rayservice", 2, 1, "baseline"]],
        );
    });

    it("steps to zero only when opted in, on a NEW, HIGHER crossing in the period the group was tripped to baseline in", () => {
        const at = new Date("2026-12-02T03:00:00Z");
        const tripped: Group[] = [{ kind: "aks-node-pool", id: "pool", max: 1, baseline: 1, tripped: "baseline", trippedThreshold: 100, trippedPeriod: "2026-12" }];
        const zero = { ...SETTINGS, stepToZero: true };
        assert.deepEqual(decide(n(true, 120), tripped, SETTINGS, at), [], "not opted in");
        assert.deepEqual(decide(n(true, 120), tripped, zero, at).map((s) => [s.to, s.state, s.threshold, s.period]), [[0, "zero", 120, "2026-12"]]);
        // GCP republishes the same forecastThresholdExceeded several times a day: a repeat holds baseline.
        assert.deepEqual(decide(n(true, 100), tripped, zero, at), [], "a repeat of the crossing that tripped it");
        // A crossing in a later period than the trip, or a trip without a recorded crossing: no second step.
        assert.deepEqual(decide(n(true, 120), tripped, zero, new Date("2027-01-03T00:00:00Z")), []);
        assert.deepEqual(decide(n(true, 120), [{ kind: "aks-node-pool", id: "pool", max: 1, baseline: 1, tripped: "baseline" }], zero, at), []);
        // Negative control: never tripped, at baseline: even with stepToZero the first notification only holds it.
        assert.deepEqual(decide(n(true, 120), [{ ...tripped[0], tripped: undefined }], zero, at), []);
    });
});

describe("breaker: one run end to end, SDK calls stubbed", () => {
    it("GCP forecast over 100%: the MIG autoscaler max drops to baseline, its state is written; a repeat is idempotent", async () => {
        const gcp = gcpStub([{ name: "gcp-spot-l4-autoscaler", max: 3, baseline: 2 }]);
        const adapter = gcpMigAdapter(gcp.client, { project: "acme-llm-dev", region: "us-central1", stack: "dev" });
        const lines: string[] = [];
        const event = gcpEvent({ ...GCP_BASE, forecastThresholdExceeded: 1.0 });
        const first = await handle(parseGcp(event), [adapter], SETTINGS, (l) => lines.push(l), NOW);
        assert.deepEqual(first.steps, [{ id: "gcp-spot-l4-autoscaler", kind: "gcp-mig-autoscaler", from: 3, to: 2, state: "baseline" }]);
        assert.equal(gcp.patches.length, 1);
        assert.equal(gcp.patches[0].max, 2);
        assert.match(gcp.patches[0].description, /llm-serving-baseline=2 .*llm-serving-breaker=tripped-baseline llm-serving-breaker-at=1796180400 llm-serving-breaker-was=3/);
        assert.match(lines[0], /TRIPPED.*max 3 -> 2.*next pulumi up --refresh restores/);
        const again = await handle(parseGcp(event), [adapter], SETTINGS, (l) => lines.push(l), NOW);
        assert.equal(again.acted, false);
        assert.equal(gcp.patches.length, 1, "a repeated notification changes nothing");
    });

    it("GCP with stepToZero: repeats of the same 100% forecast hold baseline; a higher crossing in the period steps to zero", async () => {
        const gcp = gcpStub([{ name: "mig", max: 3, baseline: 2 }]);
        const adapter = gcpMigAdapter(gcp.client, { project: "p", region: "r", stack: "dev" });
        const zero = { ...SETTINGS, stepToZero: true };
        const at100 = parseGcp(gcpEvent({ ...GCP_BASE, forecastThresholdExceeded: 1.0 }));
        const first = await handle(at100, [adapter], zero, () => undefined, NOW);
        assert.deepEqual(first.steps.map((s) => [s.to, s.state]), [[2, "baseline"]]);
        assert.match(gcp.patches[0].description, /llm-serving-breaker-threshold=100 llm-serving-breaker-period=2026-12/);
        for (let i = 0; i < 4; i++) assert.equal((await handle(at100, [adapter], zero, () => undefined, NOW)).acted, false, `repeat ${i + 1}`);
        assert.equal(gcp.patches.length, 1);
        const at120 = await handle(parseGcp(gcpEvent({ ...GCP_BASE, forecastThresholdExceeded: 1.2 })), [adapter], zero, () => undefined, NOW);
        assert.deepEqual(at120.steps.map((s) => [s.from, s.to, s.state]), [[2, 0, "zero"]]);
    });

    it("GCP below the threshold (an 80% actual alert): nothing is patched", async () => {
        const gcp = gcpStub([{ name: "a", max: 3, baseline: 2 }]);
        const out = await handle(parseGcp(gcpEvent({ ...GCP_BASE, alertThresholdExceeded: 0.8 })), [gcpMigAdapter(gcp.client, { project: "p", region: "r", stack: "dev" })], SETTINGS, () => undefined, NOW);
        assert.equal(out.acted, false);
        assert.deepEqual(gcp.patches, []);
    });

    it("Azure forecast: the AKS pool's max count drops to baseline with its tags; the system pool (no baseline tag) is untouched", async () => {
        const aks = taggedStub([
            { id: "gpu", max: 2, tags: { app: "llm-serving", "llm-serving-baseline": "1" } },
            { id: "system", max: 3, tags: { app: "llm-serving" } },
        ]);
        const out = await handle(parseAzure(azurePayload("Forecasted", "194.0")), [aksPoolAdapter(aks.client)], SETTINGS, () => undefined, NOW);
        assert.deepEqual(out.steps.map((s) => [s.id, s.to]), [["gpu", 1]]);
        assert.equal(aks.updates[0].tags["llm-serving-breaker"], "tripped-baseline");
        assert.equal(aks.updates[0].tags["llm-serving-baseline"], "1");
    });

    it("AWS forecast: Ray Serve max replicas drop to baseline (pods leave, Karpenter consolidates)", async () => {
        const ray = taggedStub([{ id: "eks-inf2-rayservice", max: 2, tags: { "llm-serving-baseline": "1" } }]);
        const out = await handle(parseAws(AWS_FORECAST), [rayServeAdapter(ray.client)], SETTINGS, () => undefined, NOW);
        assert.deepEqual(out.steps.map((s) => [s.kind, s.from, s.to]), [["ray-serve", 2, 1]]);
    });

    it("a malformed notification is logged and ignored: no SDK call", async () => {
        const gcp = gcpStub([{ name: "a", max: 3, baseline: 2 }]);
        const lines: string[] = [];
        const out = await handle(parseGcp({ message: { data: "%%%" } }), [gcpMigAdapter(gcp.client, { project: "p", region: "r", stack: "dev" })], SETTINGS, (l) => lines.push(l), NOW);
        assert.equal(out.acted, false);
        assert.ok(out.ignored);
        assert.deepEqual(gcp.patches, []);
        assert.match(lines[0], /ignored a malformed notification/);
    });
});
