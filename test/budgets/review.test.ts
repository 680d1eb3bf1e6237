// The outside-in review of the run-time budgets (issue 16): what the clouds' APIs would refuse or
// silently not cover, each with a check that fails without its fix.
import { strict as assert } from "node:assert";
import { readBudget } from "../../policies/budgets";
import { BUDGET_TYPES, GCP_BILLING_ACCOUNT_EXAMPLE, GCP_BILLING_ACCOUNT_PLACEHOLDER } from "../../policies/contract/budgets";
import { runtimeBudget } from "../../policies/rules/runtimeBudget";
import { budgetPeriodStart, gcpBillingAccountOf, GCP_BUDGETS_API } from "../../stack/budgets";
import { BillingAccountError, checkGcpBillingAccount } from "../../stack/guard";
import { committedStack, one, ofType, plan } from "../helpers/program";
import { assertNoViolations, assertOneViolation, runStackPolicy } from "../helpers/policyArgs";
import { planned } from "../helpers/policyFixtures";
import { awsBudget, azureBudget, gcpBudget, twoCloudStack, SHARES_AT_2000 } from "./fixtures";
import { UNKNOWN_STRING_SENTINEL } from "../../policies/contract/keys";
import { validatePolicyConfig } from "../../policies/packConfig";
import type { PolicyConfigSchema } from "@pulumi/policy";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigError } from "../../stack";
import { fallbackPlan, readBudgetSettings } from "../../stack/budgetPlan";
import { deployRuntimeBudgets } from "../../stack/runtime";
import { parseStackConfig } from "../../stack";
import { runUnderMocks } from "../../plan/mocks";
import { evaluatePolicies } from "../../policies/evaluate";
import { loadPolicyConfig } from "../../plan/report";
import { PROJECT_DIR } from "../helpers/program";

describe("run-time budgets: review fixes", () => {
    describe("B1: the Azure budget starts on the first of the CURRENT month (the API refuses a past start outside the period)", () => {
        it("computes the first day of the current UTC month from the clock", () => {
            assert.equal(budgetPeriodStart(new Date("2027-03-17T23:59:59Z")), "2027-03-01T00:00:00Z");
            assert.equal(budgetPeriodStart(new Date("2026-12-31T23:30:00-05:00")), "2027-01-01T00:00:00Z"); // UTC, not local time
            assert.equal(budgetPeriodStart(new Date("2030-10-01T00:00:00Z")), "2030-10-01T00:00:00Z");
        });

        it("the declared Azure budget starts this month, ignores later changes to it; the AWS budget fixes no start", async () => {
            const run = await plan(committedStack("dev"));
            const azure = one(run.resources, BUDGET_TYPES.azure);
            assert.equal((azure.inputs.timePeriod as { startDate: string }).startDate, budgetPeriodStart(new Date()));
            const aws = one(run.resources, BUDGET_TYPES.aws);
            assert.equal(aws.inputs.timePeriodStart, undefined);
        });
    });

    describe("B2: placeholder and example GCP billing accounts", () => {
        it("declares no GCP budget for the placeholder or without an account; any other id is used", () => {
            assert.equal(gcpBillingAccountOf({ budgets: { gcpBillingAccount: GCP_BILLING_ACCOUNT_PLACEHOLDER } }), undefined);
            assert.equal(gcpBillingAccountOf({}), undefined);
            assert.equal(gcpBillingAccountOf({ budgets: { gcpBillingAccount: "0A1B2C-3D4E5F-6A7B8C" } }), "0A1B2C-3D4E5F-6A7B8C");
        });

        it("dev (placeholder) plans without a GCP budget; prod (example) with one", async () => {
            assert.equal((await plan(committedStack("dev"))).resources.filter((r) => r.type === BUDGET_TYPES.gcp).length, 0);
            assert.equal(ofType((await plan(committedStack("prod"))).resources, BUDGET_TYPES.gcp).length, 1);
        });

        it("a real preview/up refuses the EXAMPLE id before any resource, naming the key and how to find the real id", () => {
            assert.throws(
                () => checkGcpBillingAccount("prod", GCP_BILLING_ACCOUNT_EXAMPLE, true, true),
                (e: unknown) => e instanceof BillingAccountError && /llm-serving:budgets\.gcpBillingAccount/.test(e.message) && /gcloud billing accounts list/.test(e.message),
            );
        });

        it("negative controls: the offline plan, a stack without GCP, a real id and the placeholder pass", () => {
            checkGcpBillingAccount("prod", GCP_BILLING_ACCOUNT_EXAMPLE, true, false);
            checkGcpBillingAccount("prod", GCP_BILLING_ACCOUNT_EXAMPLE, false, true);
            checkGcpBillingAccount("prod", "0A1B2C-3D4E5F-6A7B8C", true, true);
            checkGcpBillingAccount("dev", GCP_BILLING_ACCOUNT_PLACEHOLDER, true, true);
            checkGcpBillingAccount("dev", undefined, true, true);
        });
    });

    describe("B3/B4: the GCP budget's provider, API and project numbers", () => {
        it("goes through a provider with billingProject = the first project and userProjectOverride, after the API is enabled there", async () => {
            const run = await plan(committedStack("prod"));
            const budget = one(run.resources, BUDGET_TYPES.gcp);
            const provider = one(run.resources, "pulumi:providers:gcp");
            assert.equal(provider.inputs.billingProject, "acme-llm-prod");
            assert.equal(String(provider.inputs.userProjectOverride), "true");
            assert.ok(budget.provider?.startsWith(`${provider.urn}::`), `budget provider ${budget.provider}`);
            const api = one(run.resources, "gcp:projects/service:Service", "runtime-budgets-gcp-api-billing-budgets");
            assert.equal(api.inputs.service, GCP_BUDGETS_API);
            assert.equal(api.inputs.project, "acme-llm-prod");
            assert.ok(budget.dependencies?.includes(api.urn), "the budget waits for the API");
        });

        it("filters on projects/<project number>, never the id", async () => {
            const run = await plan(committedStack("prod"));
            const projects = (one(run.resources, BUDGET_TYPES.gcp).inputs.budgetFilter as { projects: string[] }).projects;
            assert.equal(projects.length, 1);
            assert.match(projects[0], /^projects\/[0-9]{12}$/);
        });
    });

    describe("S3/N4: notification paths", () => {
        it("the AWS budget waits for the SNS topic policy that lets Budgets publish (ha: the breaker's topic, its one SNS subscriber)", async () => {
            const run = await plan(committedStack("ha"));
            const policy = one(run.resources.filter((r) => r.urn.includes("AwsBreaker$")), "aws:sns/topicPolicy:TopicPolicy");
            assert.ok(one(run.resources, BUDGET_TYPES.aws).dependencies?.includes(policy.urn));
        });

        it("dev (no breaker, no awsSnsTopicArn): the AWS budget mails the addresses itself and names no SNS topic, so no topic of its own", async () => {
            const run = await plan(committedStack("dev"));
            assert.equal(run.resources.filter((r) => r.urn.includes("runtime-budgets") && r.type.startsWith("aws:sns/")).length, 0);
            for (const n of one(run.resources, BUDGET_TYPES.aws).inputs.notifications as Array<{ subscriberEmailAddresses?: string[]; subscriberSnsTopicArns?: string[] }>) {
                assert.ok((n.subscriberEmailAddresses?.length ?? 0) > 0);
                assert.equal(n.subscriberSnsTopicArns, undefined);
            }
        });

        it("Azure: each address is mailed once, by the action group, not also by contactEmails", async () => {
            const run = await plan(committedStack("dev"));
            const notifications = one(run.resources, BUDGET_TYPES.azure).inputs.notifications as Record<string, { contactEmails: string[]; contactGroups: unknown[] }>;
            for (const n of Object.values(notifications)) {
                assert.deepEqual(n.contactEmails, []);
                assert.equal(n.contactGroups.length, 1);
            }
            assert.ok(readBudget(BUDGET_TYPES.azure, one(run.resources, BUDGET_TYPES.azure).inputs)!.notifies);
        });
    });

    describe("S1: runtime-budget checks that each budget covers the stack", () => {
        const base = () => [...twoCloudStack(), awsBudget(SHARES_AT_2000.aws), gcpBudget(SHARES_AT_2000.gcp)];
        const azureStack = () => [...base(), planned("azure-native:resources:ResourceGroup", "rg", { location: "eastus", tags: { app: "llm-serving", environment: "test" } })];

        it("passes the budgets as the program declares them (negative control)", async () => {
            assertNoViolations(await runStackPolicy(runtimeBudget, base()));
        });

        it("AWS: blocks a filter on a mistyped tag key", async () => {
            const v = await runStackPolicy(runtimeBudget, [...twoCloudStack(), gcpBudget(1), awsBudget(1, { costFilters: [{ name: "TagKeyValue", values: ["user:enviroment$test"] }] })]);
            assertOneViolation(v, ["rb-aws (aws) does not cover the stack test", "user:environment$test"]);
        });

        it("AWS: blocks plannedLimits / autoAdjustData instead of limitAmount", async () => {
            const v = await runStackPolicy(runtimeBudget, [...twoCloudStack(), gcpBudget(1), awsBudget(1, { plannedLimits: [{ startTime: "2027-01-01_00:00", amount: "9999", unit: "USD" }] })]);
            assertOneViolation(v, ["rb-aws (aws) does not cover", "plannedLimits is set"]);
            const w = await runStackPolicy(runtimeBudget, [...twoCloudStack(), gcpBudget(1), awsBudget(1, { autoAdjustData: { autoAdjustType: "HISTORICAL" } })]);
            assertOneViolation(w, ["autoAdjustData is set"]);
        });

        it("GCP: blocks a filter naming project ids, other project counts, or unknown projects; and a foreign label", async () => {
            const ids = await runStackPolicy(runtimeBudget, [...twoCloudStack(), awsBudget(1), gcpBudget(1, { budgetFilter: { projects: ["projects/acme-llm-dev"] } })]);
            assertOneViolation(ids, ["rb-gcp (gcp) does not cover", "by number"]);
            const two = await runStackPolicy(runtimeBudget, [...twoCloudStack(), awsBudget(1), gcpBudget(1, { budgetFilter: { projects: ["projects/1", "projects/2"] } })]);
            assertOneViolation(two, ["names 2 project(s), the stack bills in 1 (acme-llm-dev)"]);
            const none = await runStackPolicy(runtimeBudget, [...twoCloudStack(), awsBudget(1), gcpBudget(1, { budgetFilter: {} })]);
            assertOneViolation(none, ["budgetFilter.projects is absent"]);
            const label = await runStackPolicy(runtimeBudget, [...twoCloudStack(), awsBudget(1), gcpBudget(1, { budgetFilter: { projects: ["projects/1"], labels: { environment: ["prod"] } } })]);
            assertOneViolation(label, ["budgetFilter.labels must be absent or exactly { environment: [\"test\"] }"]);
            // Negative control: the stack's own label passes.
            assertNoViolations(await runStackPolicy(runtimeBudget, [...twoCloudStack(), awsBudget(1), gcpBudget(1, { budgetFilter: { projects: ["projects/1"], labels: { environment: ["test"] } } })]));
        });

        it("GCP: an unknown project list fails closed (the program reads the numbers at preview)", async () => {
            const v = await runStackPolicy(runtimeBudget, [...twoCloudStack(), awsBudget(1), gcpBudget(1, { budgetFilter: { projects: [UNKNOWN_STRING_SENTINEL] } })]);
            assertOneViolation(v, ["budgetFilter.projects is unknown"]);
        });

        it("Azure: passes the subscription with the stack's tags; blocks a resource-group scope and a tag value that matches nothing", async () => {
            assertNoViolations(await runStackPolicy(runtimeBudget, [...azureStack(), azureBudget(1, { filter: { and: [{ tags: { name: "app", operator: "In", values: ["llm-serving"] } }, { tags: { name: "environment", operator: "In", values: ["test"] } }] } })]));
            const rg = await runStackPolicy(runtimeBudget, [...azureStack(), azureBudget(1, { scope: "/subscriptions/00000000-0000-4000-8000-00000000c003/resourceGroups/other" })]);
            assertOneViolation(rg, ["rb-azure (azure) does not cover", "scope must be the subscription"]);
            const tag = await runStackPolicy(runtimeBudget, [...azureStack(), azureBudget(1, { filter: { and: [{ tags: { name: "app", operator: "In", values: ["llm-servin"] } }, { tags: { name: "environment", operator: "In", values: ["test"] } }] } })]);
            assertOneViolation(tag, ["the tag filter app in [\"llm-servin\"] matches none of the stack's Azure resources"]);
            const env = await runStackPolicy(runtimeBudget, [...azureStack(), azureBudget(1, { filter: { tags: { name: "environment", operator: "In", values: ["prod"] } } })]);
            assertOneViolation(env, ["the environment tag filter must be exactly [\"test\"]"]);
        });
    });

    describe("N1: at most 5 thresholds per budget, what every cloud accepts (Azure: 5 notifications)", () => {
        const schema = runtimeBudget.configSchema as PolicyConfigSchema;
        it("the pack's config schema refuses a list of six", () => {
            const errors = validatePolicyConfig(schema, { thresholds: { actual: [10, 20, 30, 40, 50, 60] } });
            assert.ok(errors.some((e) => /thresholds\.actual/.test(e) && /6|more than 5|NOT have more than 5/i.test(e)), errors.join("; "));
            assert.deepEqual(validatePolicyConfig(schema, { thresholds: { actual: [50, 80, 100], forecast: [100, 120] } }), []);
        });

        it("runtime-budget reports six in all (actual + forecast), naming the key and the limit", async () => {
            const v = await runStackPolicy(runtimeBudget, [...twoCloudStack(), awsBudget(1), gcpBudget(1)], { thresholds: { actual: [50, 80, 100], forecast: [90, 100, 120] } });
            assert.ok(v.some((x) => /runtime-budget\.thresholds: got 6 thresholds .*at most 5 in all/.test(x.message)), JSON.stringify(v));
        });

        it("the program refuses the same before any resource (ConfigError); five pass", () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fix16-n1-"));
            fs.mkdirSync(path.join(dir, "policies", "config"), { recursive: true });
            const write = (t: object) =>
                fs.writeFileSync(path.join(dir, "policies", "config", "x.json"), JSON.stringify({ "monthly-cost-cap": { maxMonthlyUsd: 100 }, "runtime-budget": { thresholds: t } }));
            try {
                write({ actual: [50, 80, 100], forecast: [90, 100, 120] });
                assert.throws(() => readBudgetSettings("x", dir), (e: unknown) => e instanceof ConfigError && /at most 5 in all/.test(e.problems[0]));
                write({ actual: [50, 80, 100], forecast: [100, 120] });
                assert.equal(readBudgetSettings("x", dir)?.thresholds.forecast.length, 2);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });

    describe("S4: without cost figures (skipped check, failed child plan) existing budgets keep their amounts, new ones are not declared", () => {
        const settings = { cap: 3500, thresholds: { actual: [50, 80, 100], forecast: [100] } };
        it("fallbackPlan keeps previous amounts, declares none for a cloud without one, never sums past the cap", () => {
            assert.deepEqual(fallbackPlan(settings, ["gcp", "aws", "azure"], { aws: 2061, azure: 194 }).amounts, { aws: 2061, azure: 194 });
            assert.deepEqual(fallbackPlan(settings, ["aws", "azure"], undefined).amounts, {});
            assert.deepEqual(fallbackPlan(settings, ["aws"], { aws: "2061", gcp: 5 }).amounts, {}, "unreadable or other clouds' values are not kept");
            assert.deepEqual(fallbackPlan({ ...settings, cap: 1000 }, ["aws", "azure"], { aws: 2061, azure: 194 }).amounts, { aws: 913, azure: 86 }); // lowered cap: scaled down (x 1000 / 2255, rounded down)
        });

        async function runWithoutFigures(previous: unknown) {
            const stack = committedStack("dev");
            const config = parseStackConfig({ values: stack.config, secretKeys: new Set(stack.secretKeys) }, "dev");
            return runUnderMocks({ project: stack.project, stack: "dev", config: stack.config, secretKeys: stack.secretKeys }, () => deployRuntimeBudgets(config, undefined, async () => previous));
        }

        it("dev with previous amounts: the same amounts, and the pack's mandatory runtime-budget-share passes", async () => {
            // The amounts the last update declared at today's shares (aws 3500 x 1892.33 / 3185.84, azure 3500 x 173.89 / 3185.84).
            const run = await runWithoutFigures({ aws: 2078, azure: 191 });
            const amounts = run.resources.flatMap((r) => {
                const b = readBudget(r.type, r.inputs);
                return b && b.amount.state === "known" ? [[b.cloud, b.amount.value]] : [];
            });
            assert.deepEqual(amounts.sort(), [["aws", 2078], ["azure", 191]]);
            // The stack's other resources from its plan, with these budgets in place of the plan's.
            const others = (await plan(committedStack("dev"))).resources.filter((r) => !r.urn.includes("runtime-budgets"));
            const evaluation = await evaluatePolicies([...others, ...run.resources], loadPolicyConfig(PROJECT_DIR, "dev").config, {});
            assert.deepEqual(evaluation.violations.filter((v) => v.policy === "runtime-budget-share"), []);
        });

        it("a new stack without figures declares no budget rather than an equal split the pack would block", async () => {
            const run = await runWithoutFigures(undefined);
            assert.deepEqual(run.resources.filter((r) => readBudget(r.type, r.inputs) !== undefined), []);
        });
    });
});
