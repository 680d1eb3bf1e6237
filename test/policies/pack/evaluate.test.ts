import * as assert from "node:assert/strict";
import * as proxyInternals from "@pulumi/policy/proxy";
import devConfig from "../../../policies/config/dev.json";
import prodConfig from "../../../policies/config/prod.json";
import { PACK_NAME, evaluatePolicies } from "../../../policies/evaluate";
import { allPolicies } from "../../../policies/rules";
import { resourceArgs, stackArgs } from "../../../policies/validationArgs";
import { UNKNOWN_SENTINELS, UNKNOWN_STRING_SENTINEL } from "../../../policies/contract/keys";
import { version } from "../../../policies/package.json";
import { gcpStack as gcpFixture, ignoringCatalogAge, maxReplicasOverCap, mutatedIn, withGcpBudget } from "../../helpers/policyFixtures";

/** The GCP fixture stack with its run-time budget (runtime-budget asks for one), at dev's cap. */
const gcpStack = (replicas?: { min: number; max: number }) => withGcpBudget(gcpFixture(replicas), devConfig["monthly-cost-cap"].maxMonthlyUsd);

/** Enough replicas to pass dev's cap, whatever it is set to. */
const OVER_DEV_CAP = maxReplicasOverCap(devConfig["monthly-cost-cap"].maxMonthlyUsd);
const withMax = (max: number | string) => mutatedIn(gcpStack(), "llm-autoscaler", (i) => ((i.autoscalingPolicy as Record<string, unknown>).maxReplicas = max));

describe("evaluatePolicies (the pack in process)", () => {
    it("passes the dev stack under policies/config/dev.json, in preview and not", async () => {
        for (const preview of [true, false]) {
            const result = await evaluatePolicies(gcpStack(), devConfig, { preview });
            assert.equal(result.pack, PACK_NAME);
            assert.deepEqual(ignoringCatalogAge(result.violations), []);
        }
    });

    it("accepts policies/config/prod.json and passes a prod-sized GCP stack (3..8 replicas)", async () => {
        const result = await evaluatePolicies(gcpStack({ min: 3, max: 8 }), prodConfig, { preview: true });
        assert.deepEqual(ignoringCatalogAge(result.violations), []);
    });

    it("reports a mandatory monthly-cost-cap violation as the CLI shows it: description, newline, message", async () => {
        const violations = ignoringCatalogAge((await evaluatePolicies(withMax(OVER_DEV_CAP), devConfig)).violations);
        assert.equal(violations.length, 1);
        const [v] = violations;
        assert.equal(v.policy, "monthly-cost-cap");
        assert.equal(v.enforcementLevel, "mandatory");
        assert.equal(v.urn, undefined);
        assert.ok(v.message.startsWith(`${allPolicies[0].description}\n`), v.message);
    });

    it("applies enforcement-level overrides from the config, including disabled and 'all'", async () => {
        const advisory = await evaluatePolicies(withMax(OVER_DEV_CAP), { ...devConfig, "monthly-cost-cap": { ...devConfig["monthly-cost-cap"], enforcementLevel: "advisory" } });
        assert.deepEqual(ignoringCatalogAge(advisory.violations).map((v) => [v.policy, v.enforcementLevel]), [["monthly-cost-cap", "advisory"]]);
        const disabled = await evaluatePolicies(withMax(OVER_DEV_CAP), { ...devConfig, "monthly-cost-cap": { enforcementLevel: "disabled", maxMonthlyUsd: 1000 } });
        assert.deepEqual(ignoringCatalogAge(disabled.violations), []);
        const { "monthly-cost-cap": cap, ...rest } = devConfig;
        const allAdvisory = await evaluatePolicies(withMax(OVER_DEV_CAP), { all: "advisory", ...rest, "monthly-cost-cap": { maxMonthlyUsd: cap.maxMonthlyUsd } });
        assert.deepEqual(ignoringCatalogAge(allAdvisory.violations).map((v) => v.enforcementLevel), ["advisory"]);
    });

    it("fails like the CLI when required config is missing", async () => {
        const { "monthly-cost-cap": _cap, ...withoutCap } = devConfig;
        await assert.rejects(
            evaluatePolicies(gcpStack(), withoutCap),
            new RegExp(`^Error: validating policy config: ${PACK_NAME} ${version.replace(/\./g, "\\.")}  monthly-cost-cap: maxMonthlyUsd is required$`),
        );
    });

    it("rejects config that fails a policy's schema, names an unknown policy or an invalid level", async () => {
        await assert.rejects(evaluatePolicies(gcpStack(), { ...devConfig, "monthly-cost-cap": { maxMonthlyUsd: "lots" } }), /monthly-cost-cap: maxMonthlyUsd: must be number/);
        await assert.rejects(evaluatePolicies(gcpStack(), { ...devConfig, "monthly-cost-cap": { maxMonthlyUsd: 1000, maxMonthlyUSD: 10 } }), /Additional property maxMonthlyUSD is not allowed/);
        await assert.rejects(evaluatePolicies(gcpStack(), { ...devConfig, "montly-cost-cap": "mandatory" }), /"montly-cost-cap", which is not a policy/);
        await assert.rejects(evaluatePolicies(gcpStack(), { ...devConfig, "spot-required": "strict" }), /"strict" is not a valid enforcement level/);
    });

    it("treats @pulumi/pulumi's unknown and the wire sentinel alike", async () => {
        const { violations } = await evaluatePolicies(withMax(UNKNOWN_STRING_SENTINEL), devConfig, { preview: true });
        // runtime-budget-share cannot check the budget against a worst case it cannot know: it fails closed too.
        assert.deepEqual([...new Set(ignoringCatalogAge(violations).map((v) => `${v.policy}:${v.enforcementLevel}`))], ["cost-known-at-preview:mandatory", "runtime-budget-share:mandatory"]);
    });

    it("getConfig returns what server.js's does: a new object per call, with the config's own values (not deep copies)", () => {
        const config = { allowed: { "gcp:compute/instanceTemplate:InstanceTemplate": ["g2-standard-4"] }, maxHopLimit: 1 };
        const [resource] = gcpStack();
        for (const args of [resourceArgs(resource, { config }), stackArgs([resource], { config })]) {
            const a = args.getConfig<typeof config>();
            const b = args.getConfig<typeof config>();
            assert.deepEqual(a, config);
            assert.notEqual(a, config, "a new object at each call");
            assert.notEqual(a, b);
            // server.js spreads the deserialized config: nested values are the config's own.
            assert.equal(a.allowed, config.allowed);
        }
        // Control: without a config, an empty one.
        assert.deepEqual(resourceArgs(resource).getConfig(), {});
    });

    it("knows the same unknown sentinels as @pulumi/policy", () => {
        const internals = proxyInternals as unknown as Record<string, unknown>;
        const theirs = Object.keys(internals).filter((k) => /^unknown[A-Z]\w*Value$/.test(k)).map((k) => internals[k]);
        assert.equal(theirs.length, 7);
        assert.deepEqual(new Set(theirs), UNKNOWN_SENTINELS);
    });
});
