// Accelerator quotas at the bounds (plan/quotas.ts): hand-computed per committed stack, and the
// rules one at a time on synthetic cost lines (which quota a SKU and purchase draw on, surge
// counted, groups summed per region, "set" only when the program registered exactly one override).
import { strict as assert } from "node:assert";
import { gpuQuotaOverrides } from "../../components/gcp/quota";
import { EXIT, main } from "../../plan/cli";
import { CONSUMER_QUOTA_OVERRIDE, QuotaNeed, quotaNeeds } from "../../plan/quotas";
import { PlanReport } from "../../plan/report";
import { committedStacks } from "../../plan/stackFiles";
import { PROJECT_DIR } from "../helpers/program";
import { CATALOG as REAL_CATALOG, CatalogEntry } from "../../policies/cost/catalog";
import type { CostLine } from "../../policies/cost/estimate";

async function runPlan(...argv: string[]): Promise<{ code: number; stdout: string }> {
    let stdout = "";
    const code = await main(argv, (s) => (stdout += s), () => undefined);
    return { code, stdout };
}

const line = (over: Partial<CostLine> & Pick<CostLine, "sku" | "countMax">): CostLine => ({
    urn: "urn:pulumi:test::llm-serving::t$x::group",
    resourceType: "test:type",
    region: "r1",
    countMin: 0,
    kind: "capacity",
    hourlyUsd: 1,
    hoursPerMonth: 730,
    baselineMonthlyUsd: 0,
    worstCaseMonthlyUsd: 0,
    pricing: "on-demand",
    basis: "",
    ...over,
});
const entry = (over: Partial<CatalogEntry> & Pick<CatalogEntry, "cloud" | "sku" | "vcpu">): CatalogEntry => ({
    region: "r1",
    onDemandHourlyUsd: 1,
    memoryGb: 1,
    source: "test",
    sourceDate: "2026-01-01",
    status: "verified",
    ...over,
});
const L4 = { kind: "NVIDIA L4", count: 1, memoryGb: 24 };
const CATALOG: CatalogEntry[] = [
    entry({ cloud: "gcp", sku: "g2-standard-4", vcpu: 4, accelerators: L4 }),
    entry({ cloud: "gcp", sku: "g2-standard-24", vcpu: 24, accelerators: { ...L4, count: 2 } }),
    entry({ cloud: "gcp", sku: "a3-highgpu-1g", vcpu: 26, accelerators: { kind: "NVIDIA H100", count: 1, memoryGb: 80 } }),
    entry({ cloud: "aws", sku: "inf2.8xlarge", vcpu: 32, accelerators: { kind: "AWS Inferentia2", count: 1, memoryGb: 32 } }),
    entry({ cloud: "aws", sku: "g5.xlarge", vcpu: 4, accelerators: { kind: "NVIDIA A10G", count: 1, memoryGb: 24 } }),
    entry({ cloud: "aws", sku: "trn1.2xlarge", vcpu: 8, accelerators: { kind: "AWS Trainium", count: 1, memoryGb: 32 } }),
    entry({ cloud: "aws", sku: "m5.large", vcpu: 2 }),
    entry({ cloud: "azure", sku: "Standard_NC24ads_A100_v4", vcpu: 24, accelerators: { kind: "NVIDIA A100", count: 1, memoryGb: 80 } }),
    entry({ cloud: "azure", sku: "Standard_NC4as_T4_v3", vcpu: 4, accelerators: { kind: "NVIDIA T4", count: 1, memoryGb: 16 } }),
];
const override = (metric: string, region: string, value: number) => ({
    type: CONSUMER_QUOTA_OVERRIDE,
    inputs: { metric: encodeURIComponent(metric), limit: "%2Fproject%2Fregion", dimensions: { region }, overrideValue: String(value) },
});
const brief = (q: QuotaNeed) => [q.cloud, q.quota, q.region, q.needed, q.enforcement, q.setTo];

describe("plan: accelerator quotas at the bounds", () => {
    describe("rules (synthetic lines)", () => {
        it("a spot GCP group needs its preemptible and its standard GPU quota, maximum plus surge", () => {
            const lines = [
                line({ sku: "g2-standard-24", countMax: 4, pricing: "spot" }),
                line({ sku: "g2-standard-24 surge", countMax: 3, kind: "transient", pricing: "spot" }),
            ];
            // (4 + 3) machines x 2 L4 = 14
            assert.deepEqual(quotaNeeds(lines, [], CATALOG).map(brief), [
                ["gcp", "PREEMPTIBLE_NVIDIA_L4_GPUS", "r1", 14, "reported", undefined],
                ["gcp", "NVIDIA_L4_GPUS", "r1", 14, "reported", undefined],
            ]);
        });

        it("an on-demand GCP group needs only the standard quota; a surge line of another group is not counted", () => {
            const lines = [
                line({ sku: "g2-standard-4", countMax: 2 }),
                line({ urn: "urn:other", sku: "g2-standard-4 surge", countMax: 3, kind: "transient" }),
            ];
            assert.deepEqual(quotaNeeds(lines, [], CATALOG).map(brief), [["gcp", "NVIDIA_L4_GPUS", "r1", 2, "reported", undefined]]);
        });

        it("groups in one region add up; another region is its own row", () => {
            const lines = [
                line({ urn: "a", sku: "g2-standard-4", countMax: 2 }),
                line({ urn: "b", sku: "g2-standard-24", countMax: 1 }),
                line({ urn: "c", sku: "g2-standard-4", countMax: 5, region: "r2" }),
            ];
            const catalog = [...CATALOG, entry({ cloud: "gcp", region: "r2", sku: "g2-standard-4", vcpu: 4, accelerators: L4 })];
            assert.deepEqual(quotaNeeds(lines, [], catalog).map(brief), [
                ["gcp", "NVIDIA_L4_GPUS", "r1", 4, "reported", undefined],
                ["gcp", "NVIDIA_L4_GPUS", "r2", 5, "reported", undefined],
            ]);
        });

        it("'set' only when exactly one override of that metric and region is registered; its value is shown", () => {
            const lines = [line({ sku: "g2-standard-4", countMax: 2, pricing: "spot" })];
            const set = quotaNeeds(lines, [override("compute.googleapis.com/preemptible_nvidia_l4_gpus", "r1", 2), override("compute.googleapis.com/nvidia_l4_gpus", "r1", 2)], CATALOG);
            assert.deepEqual(set.map(brief), [
                ["gcp", "PREEMPTIBLE_NVIDIA_L4_GPUS", "r1", 2, "set", 2],
                ["gcp", "NVIDIA_L4_GPUS", "r1", 2, "set", 2],
            ]);
            // Negative controls: another region, an override at another value, and two overrides that would fight.
            const off = quotaNeeds(lines, [override("compute.googleapis.com/preemptible_nvidia_l4_gpus", "r1", 1)], CATALOG)[0];
            assert.deepEqual(brief(off), ["gcp", "PREEMPTIBLE_NVIDIA_L4_GPUS", "r1", 2, "reported", 1]);
            assert.match(off.basis, /the override holds 1, not the 2 needed/);
            assert.equal(quotaNeeds(lines, [override("compute.googleapis.com/preemptible_nvidia_l4_gpus", "r9", 2)], CATALOG)[0].enforcement, "reported");
            const fight = quotaNeeds(lines, [override("compute.googleapis.com/preemptible_nvidia_l4_gpus", "r1", 2), override("compute.googleapis.com/preemptible_nvidia_l4_gpus", "r1", 1)], CATALOG)[0];
            assert.equal(fight.enforcement, "reported");
            assert.match(fight.basis, /2 overrides of this quota \(2, 1\): only one can hold/);
        });

        it("GCP quotas are per project: groups in two projects are two rows, and an override counts only in its own project", () => {
            const mig = (urn: string, project: string) => ({ urn, type: "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager", inputs: { project } });
            const lines = [line({ urn: "a", sku: "g2-standard-4", countMax: 2 }), line({ urn: "b", sku: "g2-standard-4", countMax: 3 })];
            const inProject = (o: ReturnType<typeof override>, project: string) => ({ ...o, inputs: { ...o.inputs, project } });
            const rows = quotaNeeds(lines, [mig("a", "proj-aaaaaa"), mig("b", "proj-bbbbbb"), inProject(override("compute.googleapis.com/nvidia_l4_gpus", "r1", 2), "proj-aaaaaa")], CATALOG);
            assert.deepEqual(rows.map((q) => [q.project, q.needed, q.enforcement]), [["proj-aaaaaa", 2, "set"], ["proj-bbbbbb", 3, "reported"]]);
            // Negative control: the same groups in one project are one row of 5.
            assert.deepEqual(quotaNeeds(lines, [mig("a", "proj-aaaaaa"), mig("b", "proj-aaaaaa")], CATALOG).map((q) => [q.project, q.needed]), [["proj-aaaaaa", 5]]);
        });

        it("a GPU kind whose quota metric is not sourced is reported as such, never named; the catalog's GCP kinds are all named", () => {
            const [q] = quotaNeeds([line({ sku: "a3-highgpu-1g", countMax: 1 })], [], CATALOG);
            assert.deepEqual(brief(q), ["gcp", null, "r1", 1, "reported", undefined]);
            assert.match(q.name, /not sourced/);
            // Every GPU machine the real catalog prices on GCP maps to a sourced metric.
            for (const e of REAL_CATALOG.filter((c) => c.cloud === "gcp" && c.accelerators)) {
                const rows = quotaNeeds([line({ sku: e.sku, region: e.region, countMax: 1 })], [], REAL_CATALOG);
                assert.ok(rows.length > 0 && rows.every((r) => r.quota !== null), `${e.sku}: ${rows.map((r) => r.name).join(", ")}`);
            }
        });

        it("AWS: vCPUs of the class, on-demand and spot codes; a class without a sourced code is reported as such; CPU-only SKUs are not accelerator quotas", () => {
            const lines = [
                line({ urn: "a", sku: "inf2.8xlarge", countMax: 2 }),
                line({ urn: "b", sku: "inf2.8xlarge", countMax: 1, pricing: "spot" }),
                line({ urn: "b", sku: "inf2.8xlarge overshoot", countMax: 1, kind: "transient", pricing: "spot" }),
                line({ urn: "c", sku: "g5.xlarge", countMax: 3, pricing: "spot" }),
                line({ urn: "d", sku: "trn1.2xlarge", countMax: 1 }),
                line({ urn: "e", sku: "m5.large", countMax: 9 }),
            ];
            assert.deepEqual(quotaNeeds(lines, [], CATALOG).map(brief), [
                ["aws", "L-1945791B", "r1", 64, "reported", undefined], // 2 x 32
                ["aws", "L-B5D1601B", "r1", 64, "reported", undefined], // (1 + 1 overshoot) x 32
                ["aws", "L-3819A6DF", "r1", 12, "reported", undefined], // 3 x 4
                ["aws", null, "r1", 8, "reported", undefined],
            ]);
        });

        it("Azure: pay-as-you-go VMs count against their family, spot against lowPriorityCores, Azure ML deployments are not sourced", () => {
            const lines = [
                line({ urn: "a", sku: "Standard_NC24ads_A100_v4", countMax: 2 }),
                line({ urn: "b", sku: "Standard_NC4as_T4_v3", countMax: 1, pricing: "spot" }),
                line({ urn: "c", sku: "Standard_NC24ads_A100_v4", countMax: 1, pricing: "spot" }),
                line({ urn: "d", sku: "Standard_NC4as_T4_v3", countMax: 3, resourceType: "azure-native:machinelearningservices:OnlineDeployment" }),
                line({ urn: "e", sku: "Standard_NC24ads_A100_v4", countMax: 3, resourceType: "azure-native:machinelearningservices:OnlineDeployment" }),
            ];
            assert.deepEqual(quotaNeeds(lines, [], CATALOG).map(brief), [
                ["azure", "standardNCADSA100v4Family", "r1", 48, "reported", undefined],
                ["azure", "lowPriorityCores", "r1", 28, "reported", undefined], // 4 + 24
                // Azure ML (its own quota, id not sourced), one row per family: ceil(1.2 x 3) = 4 x 4 vCPUs =
                // 16, and 3 x 24 = 72 for an A100 SKU that Azure ML exempts from its 20% reservation.
                ["azure", null, "r1", 16, "reported", undefined],
                ["azure", null, "r1", 72, "reported", undefined],
            ]);
        });
    });

    describe("the GCP override builder (components/gcp/quota.ts)", () => {
        it("spot: preemptible and standard, URL-encoded metric and limit, regional, forced, at the bound", () => {
            const built = gpuQuotaOverrides({ project: "p-123456", region: "us-central1", gpu: "l4", gpus: 5, spot: true });
            assert.deepEqual(built.map((o) => o.role), ["preemptible", "standard"]);
            assert.deepEqual(built[0].args, {
                project: "p-123456",
                service: "compute.googleapis.com",
                metric: "compute.googleapis.com%2Fpreemptible_nvidia_l4_gpus",
                limit: "%2Fproject%2Fregion",
                dimensions: { region: "us-central1" },
                overrideValue: "5",
                force: true,
            });
            assert.equal(built[1].args.metric, "compute.googleapis.com%2Fnvidia_l4_gpus");
            assert.deepEqual(gpuQuotaOverrides({ project: "p-123456", region: "us-central1", gpu: "l4", gpus: 1, spot: false }).map((o) => o.role), ["standard"]);
        });

        it("refuses a bound that is not a whole number of GPUs >= 1 (0 would stop every replica)", () => {
            for (const gpus of [0, -1, 1.5, Number.NaN]) {
                assert.throws(() => gpuQuotaOverrides({ project: "p-123456", region: "us-central1", gpu: "l4", gpus, spot: true }), RangeError);
            }
        });
    });

    describe("committed stacks (hand-computed from their bounds)", () => {
        const plans = new Map<string, PlanReport>();
        before(async () => {
            for (const stack of ["dev", "ha", "prod", "showcase", "staging"]) {
                const { code, stdout } = await runPlan("--stack", stack, "--json");
                assert.equal(code, EXIT.ok);
                plans.set(stack, JSON.parse(stdout) as PlanReport);
            }
        });

        it("staging: the GKE pool's (3 + 1 x 2 zones upgrade surge) spot g2-standard-4 nodes x 1 L4", () => {
            assert.deepEqual(plans.get("staging")!.quotas.map(brief), [
                ["gcp", "PREEMPTIBLE_NVIDIA_L4_GPUS", "us-central1", 5, "set", 5],
                ["gcp", "NVIDIA_L4_GPUS", "us-central1", 5, "set", 5],
            ]);
            assert.match(plans.get("staging")!.quotas[0].basis, /^gke-l4-gpu-pool: \(3 \+ 2 surge\) x g2-standard-4 \(1 NVIDIA L4 each\)$/);
        });

        it("ha: per region, preemptible (2 spot + 3 surge) and standard (spot 5 + on-demand 2 + 3 surge) L4s", () => {
            const rows = plans.get("ha")!.quotas.map(brief);
            const order = (a: unknown[], b: unknown[]) => JSON.stringify(a).localeCompare(JSON.stringify(b));
            assert.deepEqual(rows.filter((r) => r[0] === "gcp").sort(order), [
                ["gcp", "NVIDIA_L4_GPUS", "us-central1", 10, "set", 10],
                ["gcp", "NVIDIA_L4_GPUS", "us-east1", 10, "set", 10],
                ["gcp", "PREEMPTIBLE_NVIDIA_L4_GPUS", "us-central1", 5, "set", 5],
                ["gcp", "PREEMPTIBLE_NVIDIA_L4_GPUS", "us-east1", 5, "set", 5],
            ]);
        });

        it("showcase: (2 + 1 overshoot + 2 replacement) on-demand inf2.8xlarge x 32 vCPUs; the ElastiCache node takes no EC2 quota", () => {
            assert.deepEqual(plans.get("showcase")!.quotas.map(brief), [["aws", "L-1945791B", "us-west-2", 160, "reported", undefined]]);
        });

        it("every committed stack is planned here (a new one needs its quota figures above)", () => {
            assert.deepEqual(committedStacks(PROJECT_DIR), [...plans.keys()].sort());
        });

        it("GCP rows name the stack's project", () => {
            assert.deepEqual(plans.get("dev")!.quotas.filter((q) => q.cloud === "gcp").map((q) => q.project), ["acme-llm-dev", "acme-llm-dev"]);
            assert.deepEqual(plans.get("prod")!.quotas.filter((q) => q.cloud === "gcp").map((q) => q.project), ["acme-llm-prod", "acme-llm-prod"]);
        });

        it("dev: (2 + 3 surge) spot L4s, one spot NC4as_T4_v3 (4 vCPUs), (1 + 1 overshoot + 1 replacement) spot inf2.8xlarge x 32 vCPUs", () => {
            assert.deepEqual(plans.get("dev")!.quotas.map(brief), [
                ["gcp", "PREEMPTIBLE_NVIDIA_L4_GPUS", "us-central1", 5, "set", 5],
                ["gcp", "NVIDIA_L4_GPUS", "us-central1", 5, "set", 5],
                ["azure", "lowPriorityCores", "eastus", 4, "reported", undefined],
                ["aws", "L-B5D1601B", "us-west-2", 96, "reported", undefined],
            ]);
        });

        it("prod: (8 + 3 surge) spot L4s, (2 + 1 upgrade surge) spot NC24ads_A100_v4 x 24 vCPUs, ceil(1.2 x 3) Azure ML NC8as_T4_v3 x 8 vCPUs", () => {
            assert.deepEqual(plans.get("prod")!.quotas.map(brief), [
                ["gcp", "PREEMPTIBLE_NVIDIA_L4_GPUS", "us-central1", 11, "set", 11],
                ["gcp", "NVIDIA_L4_GPUS", "us-central1", 11, "set", 11],
                ["azure", "lowPriorityCores", "eastus", 72, "reported", undefined],
                ["azure", null, "eastus", 32, "reported", undefined],
            ]);
        });

        it("the text and Markdown plans show the table; --json names the policy config with its digest", async () => {
            const text = (await runPlan("--stack", "dev")).stdout;
            assert.match(text, /Accelerator quotas at the bounds[\s\S]*gcp\s+PREEMPTIBLE_NVIDIA_L4_GPUS\s+Preemptible NVIDIA L4 GPUs\s+us-central1 \(acme-llm-dev\)\s+5 GPUs\s+set to 5 \(consumer quota override\)/);
            assert.match(text, /aws\s+L-B5D1601B\s+All Inf Spot Instance Requests\s+us-west-2\s+96 vCPUs\s+reported \(raise-only, by Service Quotas request\)/);
            const md = (await runPlan("--stack", "prod", "--markdown")).stdout;
            assert.match(md, /\| azure \| lowPriorityCores \| Spot vCPUs, all families \| eastus \| 72 vCPUs \| reported \(by quota request\) \| aks-gpu-gpu-pool: \(2 \+ 1 upgrade surge\) x Standard_NC24ads_A100_v4 \(24 vCPUs each\) \|/);
            assert.match(md, /Policy config: `policies\/config\/prod\.json` \(sha256 `[0-9a-f]{12}`\)/);
            assert.deepEqual(Object.keys(plans.get("dev")!.policyConfig), ["file", "sha256"]);
            assert.equal(plans.get("dev")!.policyConfig.file, "policies/config/dev.json");
            assert.match(plans.get("dev")!.policyConfig.sha256, /^[0-9a-f]{64}$/);
        });
    });
});
