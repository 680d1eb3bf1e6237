import { runtimeBudget } from "../../policies/rules/runtimeBudget";
import { readBudget } from "../../policies/budgets";
import { UNKNOWN_STRING_SENTINEL } from "../../policies/contract/keys";
import * as assert from "node:assert/strict";
import { assertNoViolations, assertOneViolation, runStackPolicy } from "../helpers/policyArgs";
import { awsBudget, azureBudget, gcpBudget, SHARES_AT_2000, twoCloudStack } from "./fixtures";

describe("policy runtime-budget", () => {
    const both = () => [...twoCloudStack(), gcpBudget(SHARES_AT_2000.gcp), awsBudget(SHARES_AT_2000.aws)];

    it("passes a stack whose two billing clouds each have a budget with 50/80/100% actual and 100% forecast alerts to a target", async () => {
        assertNoViolations(await runStackPolicy(runtimeBudget, both()));
    });

    it("blocks a billing cloud without a budget, with its worst case and the fix", async () => {
        const reported = await runStackPolicy(runtimeBudget, [...twoCloudStack(), gcpBudget(SHARES_AT_2000.gcp)]);
        assertOneViolation(reported, ["aws bills up to $73.00/month", "aws:budgets/budget:Budget"]);
    });

    it("names gcpBillingAccount when the GCP budget is missing (the program declares it only with one)", async () => {
        assertOneViolation(await runStackPolicy(runtimeBudget, [...twoCloudStack(), awsBudget(SHARES_AT_2000.aws)]), ["gcp bills up to $1574.69/month", "llm-serving:budgets.gcpBillingAccount"]);
    });

    it("blocks a budget that notifies no one", async () => {
        const silent = awsBudget(SHARES_AT_2000.aws, { notifications: [] });
        const reported = await runStackPolicy(runtimeBudget, [...twoCloudStack(), gcpBudget(SHARES_AT_2000.gcp), silent]);
        assert.equal(reported.length, 2, reported.map((r) => r.message).join("\n"));
        assert.match(reported[0].message, /notifies no one: set llm-serving:notifications/);
        assert.match(reported[1].message, /lacks the alerts 50% actual, 80% actual, 100% actual, 100% forecast/);
    });

    it("blocks a budget without the forecast alert the policy config asks for", async () => {
        const noForecast = gcpBudget(SHARES_AT_2000.gcp, { thresholdRules: [{ thresholdPercent: 0.5 }, { thresholdPercent: 0.8 }, { thresholdPercent: 1 }] });
        assertOneViolation(await runStackPolicy(runtimeBudget, [...twoCloudStack(), noForecast, awsBudget(SHARES_AT_2000.aws)]), ["100% forecast"]);
        // The thresholds are the config's: asking for 90% forecast instead flags both budgets.
        const reported = await runStackPolicy(runtimeBudget, both(), { thresholds: { forecast: [90] } });
        assert.equal(reported.length, 2);
        assert.ok(reported.every((r) => r.message.includes("90% forecast")));
    });

    it("blocks the placeholder, a missing, and an unknown billing account", async () => {
        const withAccount = (billingAccount: unknown) => [...twoCloudStack(), gcpBudget(SHARES_AT_2000.gcp, { billingAccount }), awsBudget(SHARES_AT_2000.aws)];
        assertOneViolation(await runStackPolicy(runtimeBudget, withAccount("000000-000000-000000")), ["placeholder billing account 000000-000000-000000"]);
        assertOneViolation(await runStackPolicy(runtimeBudget, withAccount(undefined)), ["has no billing account"]);
        assertOneViolation(await runStackPolicy(runtimeBudget, withAccount(UNKNOWN_STRING_SENTINEL)), ["not known at preview"]);
        assertOneViolation(await runStackPolicy(runtimeBudget, withAccount("01a2b3-c4d5e6-f7a8b9")), ["XXXXXX-XXXXXX-XXXXXX"]);
    });

    it("negative control: a stack with no billed resource needs no budget", async () => {
        assertNoViolations(await runStackPolicy(runtimeBudget, []));
    });
});

describe("readBudget: the three clouds' shapes", () => {
    it("reads amount, thresholds and targets from each", () => {
        for (const [r, amount] of [[gcpBudget(1911), 1911], [awsBudget(88), 88], [azureBudget(617), 617]] as const) {
            const reading = readBudget(r.type, r.inputs);
            assert.ok(reading);
            assert.deepEqual(reading.amount, { state: "known", value: amount });
            assert.deepEqual(reading.actual, [50, 80, 100]);
            assert.deepEqual(reading.forecast, [100]);
            assert.equal(reading.notifies, true);
        }
    });

    it("skips a disabled Azure notification and reads GCP nanos", () => {
        const az = azureBudget(10, { notifications: { f: { enabled: false, operator: "GreaterThan", threshold: 100, thresholdType: "Forecasted", contactEmails: ["a@example.com"] } } });
        assert.deepEqual(readBudget(az.type, az.inputs)?.forecast, []);
        const g = gcpBudget(0, { amount: { specifiedAmount: { currencyCode: "USD", units: "12", nanos: 500000000 } } });
        assert.deepEqual(readBudget(g.type, g.inputs)?.amount, { state: "known", value: 12.5 });
    });

    it("is undefined for any other type", () => {
        assert.equal(readBudget("aws:budgets/budgetAction:BudgetAction", {}), undefined);
    });
});
