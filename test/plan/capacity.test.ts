import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { main } from "../../plan/cli";
import type { PlanReport } from "../../plan/report";
import { scratchDir } from "../helpers/scratch";

/**
 * The committed stacks' capacity and dollars per million output tokens, computed here by hand from
 * the throughput catalog (policies/cost/throughput.data.json, each figure with its source) and the
 * plan's own cost lines (whose arithmetic test/plan/committedStacks.test.ts checks), then compared
 * with the plan. Tokens a month at r tokens/s = r x 730 h x 3600 s = r x 2,628,000.
 */
const MONTH_S = 730 * 3600;
const perMillion = (usd: number, tps: number) => Math.round((usd / ((tps * MONTH_S) / 1e6)) * 1e4) / 1e4;

async function plan(args: string[]): Promise<{ code: number; report: PlanReport }> {
    let out = "";
    const code = await main([...args, "--json"], (s) => (out += s), () => undefined);
    return { code, report: JSON.parse(out) as PlanReport };
}

describe("capacity in the plan (issue 17)", function () {
    this.timeout(240000);
    let dev: PlanReport;
    let prod: PlanReport;
    let staging: PlanReport;
    before(async () => {
        dev = (await plan(["--stack", "dev"])).report;
        prod = (await plan(["--stack", "prod"])).report;
        staging = (await plan(["--stack", "staging"])).report;
    });

    it("carries exactly the issue's fields, one row per serving target, in the JSON plan", () => {
        for (const r of [dev, prod]) {
            for (const c of r.capacity) {
                assert.deepEqual(Object.keys(c), ["target", "tokensPerSecondBaseline", "tokensPerSecondMax", "usdPerMillionTokensBaseline", "usdPerMillionTokensWorst", "basis"]);
            }
        }
        assert.deepEqual(dev.capacity.map((c) => c.target), ["gcpSpotL4", "eksInf2", "gpuVm"]);
        assert.deepEqual(prod.capacity.map((c) => c.target), ["gcpSpotL4", "aksGpu", "azureMl"]);
    });

    it("dev gcpSpotL4: 2 L4 replicas x 513.2 tokens/s (vLLM, L4, bf16; equivalent figure for Llama-3.1-8B)", () => {
        const c = dev.capacity.find((x) => x.target === "gcpSpotL4")!;
        // Its lines: 1031.97 capacity + 20 disks + 18.25 rule + 2.04 NAT + 3.65 NAT IP + 9 NAT data
        // + 3.65 IP + 0.40 LB data + 6 egress + 5 + 2 Cloud Armor + 0.75 requests + 0.06 secret
        // + 8.20 observability (5 alert policies 7.60, 10 M samples 0.60) = 1110.97; worst case adds the 8.65 of surge = 1119.62.
        assert.equal(c.tokensPerSecondBaseline, 1026.4);
        assert.equal(c.tokensPerSecondMax, 1026.4);
        assert.equal(c.usdPerMillionTokensBaseline, 0.4119); // 1110.97 / (1026.4 x 2.628) = 1110.97 / 2697.3792 = 0.41187
        assert.equal(c.usdPerMillionTokensBaseline, perMillion(1110.97, 1026.4));
        assert.equal(c.usdPerMillionTokensWorst, 0.4151); // 1119.62 / 2697.3792 = 0.41508
        assert.match(c.basis, /equivalent figure measured with meta-llama\/Meta-Llama-3\.1-8B-Instruct/);
        assert.match(c.basis, /arc53\/llm-price-compass/);
    });

    it("prod gcpSpotL4: 3-8 replicas, and aksGpu: 2 A100 replicas x 683.3 tokens/s (Vigostral-7B, Mistral's architecture, at 38 parallel)", () => {
        const g = prod.capacity.find((x) => x.target === "gcpSpotL4")!;
        // Lines: baseline 1547.96 + 30 + 18.25 + 3.07 + 3.65 + 22.5 + 3.65 + 4 + 60 + 5 + 3 + 7.5 + 0.06 + 10 observability = 1718.64;
        // worst 4127.89 + 80 + 8.65 + 18.25 + 8.18 + 3.65 + 22.5 + 3.65 + 4 + 60 + 5 + 3 + 7.5 + 0.06 + 10 = 4362.33.
        assert.equal(g.tokensPerSecondBaseline, 1539.6); // 3 x 513.2
        assert.equal(g.tokensPerSecondMax, 4105.6); // 8 x 513.2
        assert.equal(g.usdPerMillionTokensBaseline, perMillion(1718.64, 1539.6)); // 1718.64 / 4046.0688 = 0.42477
        assert.equal(g.usdPerMillionTokensBaseline, 0.4248);
        assert.equal(g.usdPerMillionTokensWorst, perMillion(4362.33, 4105.6)); // 4362.33 / 10789.5168 = 0.40431
        assert.equal(g.usdPerMillionTokensWorst, 0.4043);

        const a = prod.capacity.find((x) => x.target === "aksGpu")!;
        // Two A100 nodes, one server each, as many as the Deployment's 2 replicas. Lines: 73 tier + 18.25 LB
        // + 3.65 IP + 140.16 system node + 19.71 its disk + 1460 GPU nodes + 76.04 their disks + 3.65 Service IP
        // + 2.5 LB data + 43.5 egress = 1840.46; worst adds 2.19 + 10.52 of upgrade surge = 1853.17.
        assert.equal(a.tokensPerSecondBaseline, 1366.6); // 2 x 683.3
        assert.equal(a.tokensPerSecondMax, 1366.6);
        // + 0.64 managed Prometheus samples + 0.02 rule evaluation (issue #18) = 1841.12 and 1853.83.
        assert.equal(a.usdPerMillionTokensBaseline, perMillion(1841.12, 1366.6)); // 1841.12 / (1366.6 x 2.628) = 1841.12 / 3591.4248 = 0.51264
        assert.equal(a.usdPerMillionTokensBaseline, 0.5126);
        assert.equal(a.usdPerMillionTokensWorst, perMillion(1853.83, 1366.6)); // 1853.83 / 3591.4248 = 0.51618
        assert.equal(a.usdPerMillionTokensWorst, 0.5162);
        assert.match(a.basis, /equivalent figure measured with bofenghuang\/vigostral-7b-chat/);
        assert.match(a.basis, /may be below saturation/);
    });

    it("staging gkeL4: 2-3 L4 replicas (its HPA's bounds, on 2-3 nodes) x 513.2 tokens/s", () => {
        assert.deepEqual(staging.capacity.map((c) => c.target), ["gkeL4"]);
        const c = staging.capacity[0];
        // Lines: 73 cluster fee + 1031.97 (2 x g2-standard-4) + 20 disks + 2.04 NAT + 3.65 NAT IP + 13.5 NAT data
        // + 0.06 secret + 18.25 rule + 12 egress + 8.20 observability + 0.53 HPA metric reads = 1183.20; worst: 73 + 1547.96 (3 nodes)
        // + 30 + 5.76 surge + 3.07 + 3.65 + 13.5 + 0.06 + 18.25 + 12 + 8.20 + 0.53 = 1715.98. The HPA (issue #18) scales the
        // Deployment from 2 to 3 replicas on vLLM's queue, so the third node now adds tokens too.
        const lines = staging.cost.lines;
        assert.equal(Math.round(lines.reduce((s, l) => s + l.baselineMonthlyUsd, 0) * 100) / 100, 1183.2);
        assert.equal(Math.round(lines.reduce((s, l) => s + l.worstCaseMonthlyUsd, 0) * 100) / 100, 1715.98);
        assert.equal(c.tokensPerSecondBaseline, 1026.4); // 2 x 513.2
        assert.equal(c.tokensPerSecondMax, 1539.6); // 3 x 513.2
        assert.equal(c.usdPerMillionTokensBaseline, 0.4386); // 1183.20 / (1026.4 x 2.628) = 1183.20 / 2697.3792 = 0.43865
        assert.equal(c.usdPerMillionTokensBaseline, perMillion(1183.2, 1026.4));
        assert.equal(c.usdPerMillionTokensWorst, 0.4241); // 1715.98 / (1539.6 x 2.628) = 1715.98 / 4046.0688 = 0.42411
        assert.equal(c.usdPerMillionTokensWorst, perMillion(1715.98, 1539.6));
        assert.match(c.basis, /capped by gke-l4-hpa replicas 2–3/);
    });

    it("says unknown, never a number, where no figure meets the equivalence rule (T4 AWQ, Inferentia2)", () => {
        for (const c of [dev.capacity.find((x) => x.target === "gpuVm")!, dev.capacity.find((x) => x.target === "eksInf2")!, prod.capacity.find((x) => x.target === "azureMl")!]) {
            assert.equal(c.tokensPerSecondBaseline, null);
            assert.equal(c.tokensPerSecondMax, null);
            assert.equal(c.usdPerMillionTokensBaseline, null);
            assert.equal(c.usdPerMillionTokensWorst, null);
            assert.match(c.basis, /^unknown: .*nearest published: .*not used: /);
        }
    });

    it("a model outside the Mistral-7B class gets no figure (negative control: same stack, other model)", async () => {
        const dir = scratchDir("capacity-");
        const file = path.join(dir, "Pulumi.dev.yaml");
        // The dev stack's gcpSpotL4 alone (the other dev targets need a quantized build Qwen lacks).
        const stack = (model: string) => `config:
  gcp:project: acme-llm-dev
  llm-serving:model: { id: ${model}, servedName: mistral-7b, maxModelLen: 8192 }
  llm-serving:tags: { owner: ml-platform, costCenter: cc-1234 }
  llm-serving:targets:
    gcpSpotL4: { project: acme-llm-dev, region: us-central1, machineType: g2-standard-4, replicas: { min: 2, max: 2 }, domain: llm-dev.example.com }
`;
        fs.writeFileSync(file, stack("HuggingFaceH4/zephyr-7b-beta"));
        const control = (await plan(["--stack", "dev", "--stack-file", file])).report;
        assert.equal(control.capacity[0].tokensPerSecondMax, 1026.4);
        fs.writeFileSync(file, stack("Qwen/Qwen2.5-7B-Instruct"));
        const { report } = await plan(["--stack", "dev", "--stack-file", file]);
        const g = report.capacity.find((x) => x.target === "gcpSpotL4")!;
        assert.equal(g.tokensPerSecondMax, null);
        assert.match(g.basis, /not in the 7-8B grouped-query-attention class/);
    });

    it("a stack serving Llama-3/3.1-8B, the benchmarks' own models, gets the figure: measured on its own model, equivalent on the other", async () => {
        const dir = scratchDir("capacity-");
        const file = path.join(dir, "Pulumi.dev.yaml");
        const stack = (model: string) => `config:
  gcp:project: acme-llm-dev
  llm-serving:model: { id: ${model}, servedName: llama-3-8b, maxModelLen: 8192 }
  llm-serving:tags: { owner: ml-platform, costCenter: cc-1234 }
  llm-serving:targets:
    gcpSpotL4: { project: acme-llm-dev, region: us-central1, machineType: g2-standard-4, replicas: { min: 2, max: 2 }, domain: llm-dev.example.com }
`;
        // Before the class held them, both said "unknown" although the L4 figure was measured with 3.1-8B.
        for (const [model, basis] of [
            ["meta-llama/Meta-Llama-3.1-8B-Instruct", /, measured with meta-llama\/Meta-Llama-3\.1-8B-Instruct /],
            ["meta-llama/Llama-3.1-8B-Instruct", /, measured with meta-llama\/Meta-Llama-3\.1-8B-Instruct /],
            ["meta-llama/Meta-Llama-3-8B-Instruct", /, equivalent figure measured with meta-llama\/Meta-Llama-3\.1-8B-Instruct /],
        ] as const) {
            fs.writeFileSync(file, stack(model));
            const { report } = await plan(["--stack", "dev", "--stack-file", file]);
            const g = report.capacity.find((x) => x.target === "gcpSpotL4")!;
            assert.equal(g.tokensPerSecondMax, 1026.4, model);
            assert.match(g.basis, basis, model);
        }
    });

    it("counts the model servers that run, not the machines: an AKS Deployment of 1 replica on up to 2 nodes serves 683.3 tokens/s", async () => {
        const dir = scratchDir("capacity-");
        const file = path.join(dir, "Pulumi.prod.yaml");
        const text = fs.readFileSync(path.resolve(__dirname, "../../Pulumi.prod.yaml"), "utf8");
        assert.ok(text.includes("      replicas: 2\n      spot: true"));
        fs.writeFileSync(file, text.replace("      replicas: 2\n      spot: true", "      replicas: 1\n      spot: true"));
        const { report } = await plan(["--stack", "prod", "--stack-file", file]);
        const a = report.capacity.find((x) => x.target === "aksGpu")!;
        // Nodes 1..2 are priced at 2 at worst; KEDA's ScaledObject may scale the one replica to 2 (issue #18), so the maximum is 2 servers.
        assert.equal(a.tokensPerSecondMax, 1366.6);
        assert.match(a.basis, /capped by aks-gpu-scaled-object replicas 1–2/);
        const cost = report.cost.lines.filter((l) => l.urn.includes("AksGpuNodePool")).reduce((s, l) => s + l.worstCaseMonthlyUsd, 0);
        assert.equal(a.usdPerMillionTokensWorst, perMillion(Math.round(cost * 100) / 100, 1366.6));
    });

    it("showcase aksGpu in llama.cpp mode: 2 pods x 6.16 tokens/s (4-vCPU Kubernetes pod, Q5_K_M, 2 slots: the benchmark notes)", async () => {
        const { code, report } = await plan(["--stack", "showcase"]);
        assert.equal(code, 0);
        const a = report.capacity.find((x) => x.target === "aksGpu")!;
        // Lines (test/plan/committedStacks.test.ts): 73 + 18.25 + 3.65 + 140.16 + 19.71 + 560.64 + 20.42
        // + 3.65 + 2.50 + 43.50 = 885.48, plus the Rasa pool beside it (140.16 + 10.21) and its metrics
        // (issue #18: 0.64 ingestion + 0.01 rule evaluations) = 1036.50 baseline; worst case adds
        // 2.19 + 3.98 + 2.06 of upgrade surge = 1044.73 (the target's whole cost, Rasa included).
        // 2 x 6.16 = 12.32 -> 12.3 tokens/s (tenths) -> 12.3 x 2.628 = 32.3244 M tokens a month.
        assert.equal(a.tokensPerSecondBaseline, 12.3);
        assert.equal(a.tokensPerSecondMax, 12.3);
        assert.equal(a.usdPerMillionTokensBaseline, 32.0656); // 1036.50 / 32.3244 = 32.06556
        assert.equal(a.usdPerMillionTokensBaseline, perMillion(1036.5, 12.3));
        assert.equal(a.usdPerMillionTokensWorst, 32.3202); // 1044.73 / 32.3244 = 32.32017
        assert.match(a.basis, /llama\.cpp on 1 x CPU 4-vCPU Kubernetes pod \(gguf-q5_k_m\) at --parallel 2/);
        assert.match(a.basis, /aks-gpu-deployment replicas 2/);
    });

    it("showcase aksGpu llama.cpp: another slot count is unknown, never scaled (negative control)", async () => {
        const dir = scratchDir("capacity-");
        const text = fs.readFileSync(path.resolve(__dirname, "../../Pulumi.showcase.yaml"), "utf8");
        assert.ok(text.includes("        parallel: 2\n"));
        const slots = path.join(dir, "slots.yaml");
        fs.writeFileSync(slots, text.replace("        parallel: 2\n", "        parallel: 4\n"));
        const a = (await plan(["--stack", "showcase", "--stack-file", slots])).report.capacity.find((x) => x.target === "aksGpu")!;
        assert.equal(a.tokensPerSecondMax, null);
        assert.match(a.basis, /--parallel 4; the figure was measured with 2 slots/);
    });

    it("prints the capacity table in text and Markdown", async () => {
        let text = "";
        await main(["--stack", "prod"], (s) => (text += s), () => undefined);
        assert.match(text, /\ngcpSpotL4 +1,539\.6 +4,105\.6 +\$0\.42 +\$0\.40\n/);
        assert.match(text, /\nazureMl +unknown +unknown +unknown +unknown\n/);
        let md = "";
        await main(["--stack", "prod", "--markdown"], (s) => (md += s), () => undefined);
        assert.match(md, /\| aksGpu \| 1,366\.6 \| 1,366\.6 \| \$0\.51 \| \$0\.52 \| /);
    });
});
