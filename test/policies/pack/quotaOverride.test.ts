// A GCP consumer quota override (what the program registers to hold GPU quota at the stack's
// bound) is a kind the pack knows and prices at $0: no cost line, no issue, no verdict.
import * as assert from "node:assert/strict";
import { estimateCosts } from "../../../policies/cost/estimate";
import { evaluatePolicies } from "../../../policies/evaluate";
import { kindOf } from "../../../policies/model";
import { GCP_PLATFORM } from "../../../policies/model/gcp/platform";
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_DIR } from "../../helpers/program";

const TYPE = GCP_PLATFORM.consumerQuotaOverride;
const inputs = {
    project: "acme-llm-dev",
    service: "compute.googleapis.com",
    metric: "compute.googleapis.com%2Fpreemptible_nvidia_l4_gpus",
    limit: "%2Fproject%2Fregion",
    dimensions: { region: "us-central1" },
    overrideValue: "5",
    force: true,
};

describe("the pack: GCP consumer quota overrides", () => {
    it("are a known kind that runs no compute", () => {
        const kind = kindOf(TYPE);
        assert.ok(kind, `${TYPE} is not in the model`);
        assert.equal(kind.compute, undefined);
        assert.equal(kindOf("gcp:serviceusage/consumerQuotaOverrideX:ConsumerQuotaOverrideX"), undefined, "negative control: a near-miss token is unknown");
    });

    it("cost nothing and raise no issue, and every policy of prod's config passes one", async () => {
        const est = estimateCosts([{ urn: `urn:${TYPE}`, type: TYPE, name: "q", props: inputs, propertyDependencies: {} }]);
        assert.deepEqual([est.lines, est.issues, est.worstCaseMonthlyUsd], [[], [], 0]);
        const config = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "policies", "config", "prod.json"), "utf8")) as Record<string, unknown>;
        const planned = { urn: `urn:pulumi:prod::llm-serving::${TYPE}::q`, type: TYPE, name: "q", parent: null, inputs, propertyDependencies: {} };
        const { violations } = await evaluatePolicies([planned], config);
        assert.deepEqual(violations.filter((v) => v.urn === planned.urn), []);
    });
});
