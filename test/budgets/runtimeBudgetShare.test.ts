import * as assert from "node:assert/strict";
import fc from "fast-check";
import { runtimeBudgetShare } from "../../policies/rules/runtimeBudgetShare";
import { splitCap, BUDGET_CLOUDS } from "../../policies/contract/budgets";
import { UNKNOWN_STRING_SENTINEL } from "../../policies/contract/keys";
import { assertNoViolations, assertOneViolation, runStackPolicy } from "../helpers/policyArgs";
import { mutatedIn } from "../helpers/policyFixtures";
import { awsBudget, gcpBudget, SHARES_AT_2000, twoCloudStack } from "./fixtures";

const CAP = { maxMonthlyUsd: 2000 };

describe("policy runtime-budget-share", () => {
    it("passes budgets at exactly their clouds' shares of a $2,000 cap (gcp $1,911, aws $88, hand-computed)", async () => {
        assertNoViolations(await runStackPolicy(runtimeBudgetShare, [...twoCloudStack(), gcpBudget(SHARES_AT_2000.gcp), awsBudget(SHARES_AT_2000.aws)], CAP));
    });

    it("blocks an AWS budget one dollar over its share, naming both figures and the worst cases", async () => {
        const reported = await runStackPolicy(runtimeBudgetShare, [...twoCloudStack(), gcpBudget(SHARES_AT_2000.gcp), awsBudget(89)], CAP);
        assertOneViolation(reported, ["rb-aws (aws)", "$89.00", "$88.00", "$73.00", "$1647.69"]);
    });

    it("blocks an AWS notification with two SNS topics or eleven addresses (AWS Budgets: one SNS and up to 10 e-mail subscribers per notification); one topic and ten addresses pass", async () => {
        const withSubscribers = (sns: string[], emails: string[]) =>
            awsBudget(SHARES_AT_2000.aws, {
                notifications: [
                    { notificationType: "ACTUAL", threshold: 50, thresholdType: "PERCENTAGE", comparisonOperator: "GREATER_THAN", subscriberSnsTopicArns: sns, subscriberEmailAddresses: emails },
                ],
            });
        const topic = (name: string) => `arn:aws:sns:us-west-2:123456789012:${name}`;
        const ten = Array.from({ length: 10 }, (_, i) => `a${i}@example.com`);
        // Negative control: the limits themselves pass.
        assertNoViolations(await runStackPolicy(runtimeBudgetShare, [...twoCloudStack(), gcpBudget(SHARES_AT_2000.gcp), withSubscribers([topic("one")], ten)], CAP));
        assertOneViolation(await runStackPolicy(runtimeBudgetShare, [...twoCloudStack(), gcpBudget(SHARES_AT_2000.gcp), withSubscribers([topic("alerts"), topic("breaker")], [])], CAP), ["2 SNS topics", "takes 1"]);
        assertOneViolation(await runStackPolicy(runtimeBudgetShare, [...twoCloudStack(), gcpBudget(SHARES_AT_2000.gcp), withSubscribers([], [...ten, "b@example.com"])], CAP), ["11 e-mail addresses", "takes 10"]);
    });

    it("blocks a budget whose amount is unknown at preview (fails closed)", async () => {
        const reported = await runStackPolicy(runtimeBudgetShare, [...twoCloudStack(), gcpBudget(SHARES_AT_2000.gcp), awsBudget(1, { limitAmount: UNKNOWN_STRING_SENTINEL })], CAP);
        assertOneViolation(reported, ["rb-aws", "limitAmount"]);
    });

    it("blocks a budget in another currency, or a period other than a month", async () => {
        assertOneViolation(await runStackPolicy(runtimeBudgetShare, [...twoCloudStack(), gcpBudget(10, { amount: { specifiedAmount: { currencyCode: "EUR", units: "10" } } })], CAP), ["USD"]);
        assertOneViolation(await runStackPolicy(runtimeBudgetShare, [...twoCloudStack(), awsBudget(10, { timeUnit: "ANNUALLY" })], CAP), ["MONTHLY"]);
    });

    it("blocks every budget when the worst case is not known (an unpriced machine type)", async () => {
        const stack = mutatedIn(twoCloudStack(), "llm-template", (i) => (i.machineType = "g2-standard-999"));
        const reported = await runStackPolicy(runtimeBudgetShare, [...stack, gcpBudget(1)], CAP);
        assertOneViolation(reported, ["worst case is not known"]);
    });

    it("blocks a budget for a cloud that bills nothing in the stack (its share is $0)", async () => {
        const reported = await runStackPolicy(runtimeBudgetShare, [...twoCloudStack().slice(0, -1), gcpBudget(1000), awsBudget(1)], CAP);
        assertOneViolation(reported, ["rb-aws (aws)", "$1.00", "$0.00"]);
    });

    it("negative control: a stack without budgets gives it nothing to check", async () => {
        assertNoViolations(await runStackPolicy(runtimeBudgetShare, twoCloudStack(), CAP));
    });
});

describe("splitCap (the program's and the pack's one split)", () => {
    it("splits by worst case, rounded down to whole dollars", () => {
        assert.deepEqual(splitCap(2000, ["gcp", "aws"], { gcp: 1574.69, aws: 73 }), SHARES_AT_2000);
    });

    it("without worst cases, splits equally (still rounded down)", () => {
        assert.deepEqual(splitCap(3500, ["gcp", "aws", "azure"]), { gcp: 1166, aws: 1166, azure: 1166 });
    });

    it("never sums past the cap, and each share is at least its cloud's worst case when the stack fits the cap", () => {
        fc.assert(
            fc.property(
                fc.integer({ min: 1, max: 1_000_000 }),
                fc.subarray([...BUDGET_CLOUDS], { minLength: 1 }),
                fc.array(fc.integer({ min: 1, max: 100_000_000 }), { minLength: 3, maxLength: 3 }),
                (cap, clouds, cents) => {
                    const worst = Object.fromEntries(clouds.map((c, i) => [c, cents[i] / 100]));
                    const shares = splitCap(cap, clouds, worst);
                    const sum = clouds.reduce((s, c) => s + (shares[c] ?? 0), 0);
                    assert.ok(sum <= cap, `sum ${sum} > cap ${cap}`);
                    const total = clouds.reduce((s, c) => s + worst[c], 0);
                    // Fits: each share >= floor(worst): the budget never trips inside the preview-time bound.
                    if (total <= cap) for (const c of clouds) assert.ok((shares[c] ?? 0) >= Math.floor(worst[c]) - 1, `${c}: ${shares[c]} < ${worst[c]}`);
                },
            ),
        );
    });

    it("refuses a cap that is not a positive number", () => {
        assert.throws(() => splitCap(0, ["gcp"]), RangeError);
        assert.throws(() => splitCap(Number.NaN, ["gcp"]), RangeError);
    });
});

describe("the cap, written twice in each policy config (CrossGuard gives each policy its own config)", () => {
    it("runtime-budget-share's maxMonthlyUsd is monthly-cost-cap's in every committed and example config", () => {
        const fs = require("node:fs") as typeof import("node:fs");
        const path = require("node:path") as typeof import("node:path");
        const dir = path.resolve(__dirname, "../../policies/config");
        const files = [...fs.readdirSync(dir).filter((f) => f.endsWith(".json")), ...fs.readdirSync(path.join(dir, "examples")).map((f) => `examples/${f}`)];
        assert.ok(files.length >= 4, files.join(", "));
        for (const f of files) {
            const c = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as Record<string, { maxMonthlyUsd?: number }>;
            assert.equal(c["runtime-budget-share"]?.maxMonthlyUsd, c["monthly-cost-cap"].maxMonthlyUsd, f);
        }
    });

    it("every cost policy prices with monthly-cost-cap's usage, spot margin and transient hours: the share is of the same worst case the cap judges", () => {
        // Found merging #16 with #18: observability's metricSamplesMillions reached monthly-cost-cap
        // but not runtime-budget-share, whose worst case then fell $2.40 short and blocked prod.
        const fs = require("node:fs") as typeof import("node:fs");
        const path = require("node:path") as typeof import("node:path");
        const dir = path.resolve(__dirname, "../../policies/config");
        const files = [...fs.readdirSync(dir).filter((f) => f.endsWith(".json")), ...fs.readdirSync(path.join(dir, "examples")).map((f) => `examples/${f}`)];
        for (const f of files) {
            const c = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as Record<string, Record<string, unknown>>;
            const cap = c["monthly-cost-cap"];
            for (const [policy, value] of Object.entries(c)) {
                if (typeof value !== "object" || value === null || !("usage" in value)) continue;
                assert.deepEqual(value.usage, cap.usage, `${f}: ${policy}.usage`);
                assert.deepEqual(value.transientHoursPerMonth, cap.transientHoursPerMonth, `${f}: ${policy}.transientHoursPerMonth`);
                assert.equal(value.spotMargin, cap.spotMargin, `${f}: ${policy}.spotMargin`);
            }
        }
    });
});
