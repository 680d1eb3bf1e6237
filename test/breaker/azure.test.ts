// The Azure breaker's function (functions/breaker/entry/azure.ts) end to end, with fetch stubbed
// at the boundary: a fake managed-identity endpoint and a fake ARM holding one AKS agent pool and
// one Azure ML autoscale setting. The notifications follow Microsoft's sample common-alert-schema
// payloads for budgets ("Sample alert payloads", Actual/Forecasted Budget: alertContext.AlertData
// with dollar-formatted strings and ForecastedTotalForPeriod), with this stack's budget in them;
// no live notification is recorded here.
import { strict as assert } from "node:assert";
import { azureBreaker, ARM, loweredAgentPool, loweredAutoscale, runAzureBreaker, idsOf } from "../../functions/breaker/entry/azure";
import { parseAzure } from "../../functions/breaker/notification";
import { breakerBundle } from "../../functions/breaker/bundle";

const SUB = "/subscriptions/00000000-0000-4000-8000-00000000c003";
const POOL = `${SUB}/resourceGroups/aks-gpu-rg1234/providers/Microsoft.ContainerService/managedClusters/aks-gpu-cluster/agentPools/gpuod`;
const AUTOSCALE = `${SUB}/resourceGroups/azure-ml-rg5678/providers/microsoft.insights/autoscalesettings/azure-ml-autoscale`;
const NOW = () => new Date("2026-12-02T03:00:00Z");

/** A budget alert as the action group posts it (common alert schema). */
function budgetAlert(thresholdType: "Actual" | "Forecasted", notificationAt: string, budget = "$3,105.00") {
    return {
        schemaId: "azureMonitorCommonAlertSchema",
        data: {
            essentials: {
                monitoringService: "CostAlerts",
                firedDateTime: "2026-12-02T02:58:11.104Z",
                description: "The total spend for your budget, runtime-budgets-azure, is forecasted to reach $3,412.56 before the end of the period.",
                essentialsVersion: "1.0",
                alertContextVersion: "1.0",
                alertId: `${SUB}/providers/Microsoft.CostManagement/alerts/runtime-budgets-azure`,
                alertRule: null,
                severity: null,
                signalType: null,
                monitorCondition: null,
                alertTargetIDs: null,
                configurationItems: ["budgets"],
                originAlertId: null,
            },
            alertContext: {
                AlertCategory: "budgets",
                AlertData: {
                    Scope: `${SUB}/`,
                    ThresholdType: thresholdType,
                    BudgetType: "Cost",
                    BudgetThreshold: budget,
                    NotificationThresholdAmount: notificationAt,
                    BudgetName: "runtime-budgets-azure",
                    BudgetId: `${SUB}/providers/Microsoft.Consumption/budgets/runtime-budgets-azure`,
                    BudgetStartDate: "2026-12-01",
                    BudgetCreator: "pulumi",
                    Unit: "USD",
                    SpentAmount: "$1,204.33",
                    ...(thresholdType === "Forecasted" ? { ForecastedTotalForPeriod: "$3,412.56" } : {}),
                },
            },
        },
    };
}

/** A fake ARM: GET returns the stored resource, PUT replaces it; every call is recorded. */
function fakeArm() {
    const store = new Map<string, Record<string, unknown>>([
        [POOL, { id: POOL, name: "gpuod", properties: { enableAutoScaling: true, minCount: 1, maxCount: 2, count: 1, provisioningState: "Succeeded", nodeImageVersion: "AKSUbuntu-2204gen2gpu", mode: "User", tags: { app: "llm-serving", environment: "prod", "llm-serving-baseline": "1" } } }],
        [
            AUTOSCALE,
            {
                id: AUTOSCALE,
                location: "eastus",
                tags: { app: "llm-serving", environment: "prod", "llm-serving-baseline": "2" },
                properties: { enabled: true, targetResourceUri: "x", profiles: [{ name: "gpu-utilization", capacity: { minimum: "2", maximum: "3", default: "2" }, rules: [] }] },
            },
        ],
    ]);
    const calls: Array<{ method: string; url: string; body?: Record<string, unknown>; auth?: string }> = [];
    const fetchStub = (async (input: string | URL | Request, init?: RequestInit) => {
        const url = String(input);
        const headers = (init?.headers ?? {}) as Record<string, string>;
        if (url.startsWith("http://127.0.0.1:41741/msi/token")) {
            assert.equal(headers["X-IDENTITY-HEADER"], "identity-header-secret");
            calls.push({ method: "TOKEN", url });
            return new Response(JSON.stringify({ access_token: "arm-token", expires_on: "1796184000" }), { status: 200 });
        }
        const method = init?.method ?? "GET";
        const id = url.replace(ARM.endpoint, "").replace(/\?.*$/, "");
        const body = init?.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : undefined;
        calls.push({ method, url, body, auth: headers.Authorization });
        const found = store.get(id);
        if (!found) return new Response("not found", { status: 404 });
        if (method === "PUT") store.set(id, { ...found, ...body });
        return new Response(JSON.stringify(store.get(id)), { status: 200 });
    }) as typeof fetch;
    return { store, calls, fetchStub };
}

const ENV = {
    IDENTITY_ENDPOINT: "http://127.0.0.1:41741/msi/token",
    IDENTITY_HEADER: "identity-header-secret",
    BREAKER_AKS_POOLS: JSON.stringify([POOL]),
    BREAKER_AUTOSCALE_SETTINGS: JSON.stringify([AUTOSCALE]),
};

describe("breaker on Azure: the function against the action group's budget alert, ARM stubbed at fetch", () => {
    it("parses Microsoft's budget payload shape: 3,105.00 of 3,105.00 = 100% forecast, the amount is the forecast total", () => {
        const p = parseAzure(budgetAlert("Forecasted", "$3,105.00"));
        assert.deepEqual(p, { ok: true, notification: { cloud: "azure", budget: "runtime-budgets-azure", forecast: true, thresholdPercent: 100, amount: 3412.56, budgetAmount: 3105 } });
        const a = parseAzure(budgetAlert("Actual", "$2,484.00"));
        assert.ok(a.ok && !a.notification.forecast && a.notification.thresholdPercent === 80 && a.notification.amount === 1204.33);
    });

    it("actual spend at 100% steps to baseline too (forecasts need weeks of history)", async () => {
        const arm = fakeArm();
        const out = await runAzureBreaker(budgetAlert("Actual", "$3,105.00"), ENV, () => undefined, arm.fetchStub, NOW);
        assert.deepEqual(out.steps.map((s) => [s.kind, s.from, s.to]), [["aks-node-pool", 2, 1], ["azureml-deployment", 3, 2]]);
    });

    it("below the threshold (80% forecast, or 80% actual): only reads, nothing is written", async () => {
        for (const body of [budgetAlert("Forecasted", "$2,484.00"), budgetAlert("Actual", "$2,484.00")]) {
            const arm = fakeArm();
            const out = await runAzureBreaker(body, ENV, () => undefined, arm.fetchStub, NOW);
            assert.equal(out.acted, false);
            assert.deepEqual(arm.calls.filter((c) => c.method === "PUT"), []);
        }
    });

    it("at 100% forecast: the AKS pool's maxCount and the autoscale maximum drop to their baselines, with the breaker's tags", async () => {
        const arm = fakeArm();
        const lines: string[] = [];
        const out = await runAzureBreaker(budgetAlert("Forecasted", "$3,105.00"), ENV, (l) => lines.push(l), arm.fetchStub, NOW);
        assert.deepEqual(out.steps.map((s) => [s.kind, s.from, s.to]), [["aks-node-pool", 2, 1], ["azureml-deployment", 3, 2]]);
        const puts = arm.calls.filter((c) => c.method === "PUT");
        assert.equal(puts.length, 2);
        assert.ok(puts.every((p) => p.auth === "Bearer arm-token"), "ARM calls carry the managed identity's token");
        assert.equal(arm.calls.filter((c) => c.method === "TOKEN").length, 1, "one token per run");
        const pool = (puts.find((p) => p.url.includes("agentPools"))?.body?.properties ?? {}) as Record<string, unknown>;
        assert.equal(pool.maxCount, 1);
        assert.equal(pool.minCount, 1);
        assert.equal(pool.provisioningState, undefined, "read-only properties are not echoed");
        assert.match(puts[0].url, /api-version=2025-09-01$/);
        const poolTags = pool.tags as Record<string, string>;
        assert.equal(poolTags["llm-serving-breaker"], "tripped-baseline");
        assert.equal(poolTags["llm-serving-breaker-was"], "2");
        assert.equal(poolTags["llm-serving-baseline"], "1");
        assert.equal(poolTags.environment, "prod", "the stack's tags stay");
        const setting = puts.find((p) => p.url.includes("autoscalesettings"))?.body as { location: string; tags: Record<string, string>; properties: { profiles: Array<{ capacity: Record<string, string> }> } };
        assert.deepEqual(setting.properties.profiles[0].capacity, { minimum: "2", maximum: "2", default: "2" });
        assert.equal(setting.location, "eastus");
        assert.equal(setting.tags["llm-serving-breaker-threshold"], "100");
        assert.match(lines.join("\n"), /TRIPPED: azure budget runtime-budgets-azure forecast 100% \(3412\.56 of 3105\).*next pulumi up --refresh restores/);
    });

    it("a repeated notification is idempotent: the second run writes nothing", async () => {
        const arm = fakeArm();
        await runAzureBreaker(budgetAlert("Forecasted", "$3,105.00"), ENV, () => undefined, arm.fetchStub, NOW);
        const before = arm.calls.filter((c) => c.method === "PUT").length;
        const again = await runAzureBreaker(budgetAlert("Forecasted", "$3,105.00"), ENV, () => undefined, arm.fetchStub, NOW);
        assert.equal(again.acted, false);
        assert.equal(arm.calls.filter((c) => c.method === "PUT").length, before);
    });

    it("with stepToZero, a higher crossing: the pool goes to a fixed count of 0; Azure ML holds one instance (no scale to zero)", async () => {
        const arm = fakeArm();
        const env = { ...ENV, BREAKER_STEP_TO_ZERO: "true" };
        await runAzureBreaker(budgetAlert("Forecasted", "$3,105.00"), env, () => undefined, arm.fetchStub, NOW);
        const out = await runAzureBreaker(budgetAlert("Forecasted", "$3,726.00"), env, () => undefined, arm.fetchStub, NOW); // 120%
        assert.deepEqual(out.steps.map((s) => [s.kind, s.to, s.state]), [["aks-node-pool", 0, "zero"], ["azureml-deployment", 0, "zero"]]);
        const pool = arm.store.get(POOL)?.properties as Record<string, unknown>;
        assert.deepEqual([pool.enableAutoScaling, pool.count, pool.maxCount], [false, 0, undefined]);
        const setting = arm.store.get(AUTOSCALE)?.properties as { profiles: Array<{ capacity: Record<string, string> }> };
        assert.deepEqual(setting.profiles[0].capacity, { minimum: "1", maximum: "1", default: "1" });
    });

    it("a malformed body is logged and ignored: answered 200, no ARM call at all", async () => {
        const arm = fakeArm();
        const lines: string[] = [];
        for (const body of [undefined, { schemaId: "azureMonitorCommonAlertSchema", data: { essentials: { monitoringService: "Platform" }, alertContext: {} } }, budgetAlert("Forecasted", "lots")]) {
            const out = await runAzureBreaker(body, ENV, (l) => lines.push(l), arm.fetchStub, NOW);
            assert.equal(out.acted, false);
            assert.ok(out.ignored);
        }
        assert.deepEqual(arm.calls, []);
        assert.equal(lines.filter((l) => /ignored a malformed notification/.test(l)).length, 3);
        // The Functions v3 entry point: a body that is not JSON is answered 200 (the action group must not retry it).
        // (No ARM call can happen here: a malformed body is refused before any group is read.)
        const context: { log: (...a: unknown[]) => void; res?: { status: number; body: string } } = { log: () => undefined };
        await azureBreaker(context, { body: "{not json" });
        assert.equal(context.res?.status, 200);
        assert.match(context.res?.body ?? "", /"ignored"/);
    });

    it("an ARM failure is a 500 (the action group retries); without a managed identity nothing is read", async () => {
        const context: { log: (...a: unknown[]) => void; res?: { status: number; body: string } } = { log: () => undefined };
        const saved = { ...process.env };
        process.env.BREAKER_AKS_POOLS = JSON.stringify([POOL]);
        delete process.env.IDENTITY_ENDPOINT;
        try {
            await azureBreaker(context, { body: budgetAlert("Forecasted", "$3,105.00") });
        } finally {
            process.env = saved;
        }
        assert.equal(context.res?.status, 500);
    });

    it("pure pieces: ids from settings, lowered pool and autoscale bodies", () => {
        assert.deepEqual(idsOf(JSON.stringify([POOL, 3, "not-an-id"])), [POOL]);
        assert.deepEqual(idsOf("{"), []);
        assert.deepEqual(loweredAgentPool({ enableAutoScaling: true, minCount: 2, maxCount: 4, count: 3, eTag: "x" }, 1, {}), { enableAutoScaling: true, minCount: 1, maxCount: 1, count: 1, tags: {} });
        assert.deepEqual((loweredAutoscale({ profiles: [{ capacity: { minimum: "1", maximum: "3", default: "1" } }] }, 2).profiles as unknown[])[0], { capacity: { minimum: "1", maximum: "2", default: "1" } });
    });

    it("the bundle esbuild builds exports the entry point function.json names (azureBreaker)", () => {
        const code = breakerBundle("azure");
        const mod = { exports: {} as Record<string, unknown> };
        new Function("module", "exports", "require", code)(mod, mod.exports, require);
        assert.equal(typeof mod.exports.azureBreaker, "function");
    });
});
