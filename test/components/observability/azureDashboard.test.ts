import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { azureReplicaHourlyPrice, costRatePanel, grafanaDashboardJson } from "../../../components/observability/azureDashboard";
import { findPrice } from "../../../policies/cost/catalog";
import { AZURE_REPLICA_HOURLY_USD } from "../../../components/observability/replicaPrices";
import { AZURE_CPU_SIZES, AZURE_GPU_SIZES } from "../../../config/azure";
import { aksDashboardPanels } from "../../../targets/aksGpu/observability";
import { vmDashboardPanels } from "../../../targets/gpuVm/observability";
import { VM_SELECTOR } from "../../../targets/gpuVm/metrics";
import { selectedMetrics, unknownMetrics } from "../../helpers/promql";

/** The panels of a Grafana dashboard JSON, as the portal reads them. */
function panelsOf(json: string): Array<{ title: string; unit: string; expr: string }> {
    const d = JSON.parse(json) as { panels: Array<{ title: string; fieldConfig: { defaults: { unit: string } }; targets: Array<{ expr: string }> }> };
    return d.panels.map((p) => ({ title: p.title, unit: p.fieldConfig.defaults.unit, expr: p.targets[0].expr }));
}

const VM_CONFIG = { location: "eastus", vmSize: "Standard_NC4as_T4_v3", spot: true, spotMaxPrice: 0.2 } as const;
const AKS_CONFIG = { location: "eastus", vmSize: "Standard_NC24ads_A100_v4", spot: false, namespace: "llm" } as const;

describe("Azure dashboards (Azure Monitor dashboards with Grafana): every query parses and names only exported metrics", () => {
    for (const [target, panels] of [
        ["gpuVm", () => vmDashboardPanels(VM_CONFIG)],
        ["aksGpu", () => aksDashboardPanels(AKS_CONFIG, "llm-serving")],
    ] as const) {
        it(`${target}: the golden signals and the cost rate, each query valid PromQL over vLLM v0.11.0's names`, () => {
            const json = grafanaDashboardJson(`llm-serving ${target}`, panels());
            const read = panelsOf(json);
            const titles = read.map((p) => p.title).join(" | ");
            for (const signal of [/Requests running/, /Requests waiting/, /KV-cache/, /first token p95/, /End-to-end latency p95/, /Output tokens/, /errors/, /Replicas/, /Cost rate/]) {
                assert.match(titles, signal);
            }
            for (const p of read) {
                assert.ok(selectedMetrics(p.expr).length > 0, p.expr);
                assert.deepEqual(unknownMetrics("vllm", p.expr), [], p.expr);
            }
            assert.equal(read.at(-1)?.unit, "currencyUSD");
        });
    }

    it("the cost rate is the plan's catalog price: a spot VM at its max price, an on-demand pool at on-demand", () => {
        assert.deepEqual(azureReplicaHourlyPrice(VM_CONFIG), { usd: 0.2, basis: "Standard_NC4as_T4_v3 spot at its max price" });
        const a100 = findPrice("azure", "eastus", "Standard_NC24ads_A100_v4");
        assert.ok(a100);
        assert.equal(azureReplicaHourlyPrice(AKS_CONFIG)?.usd, a100.onDemandHourlyUsd);
        assert.match(aksDashboardPanels(AKS_CONFIG, "llm-serving").at(-1)!.query, new RegExp(`\\* ${a100.onDemandHourlyUsd}$`));
        // Negative controls: a max price above on-demand bills on-demand; an unpriced size has no figure.
        assert.equal(azureReplicaHourlyPrice({ ...VM_CONFIG, spotMaxPrice: 99 })?.usd, findPrice("azure", "eastus", "Standard_NC4as_T4_v3")?.onDemandHourlyUsd);
        assert.equal(azureReplicaHourlyPrice({ ...VM_CONFIG, vmSize: "Standard_Nope" }), undefined);
    });

    it("the program's replica prices are the catalog's, for every size and location the Azure configs admit", () => {
        const sizes: Array<[string, readonly string[]]> = [...Object.entries(AZURE_GPU_SIZES), ...Object.entries(AZURE_CPU_SIZES)].map(([k, v]) => [k, v.locations]);
        let n = 0;
        for (const [size, locations] of sizes) {
            for (const location of locations) {
                const entry = findPrice("azure", location, size);
                assert.ok(entry, `${location}/${size} not in the catalog`);
                assert.equal(AZURE_REPLICA_HOURLY_USD[location]?.[size], entry.onDemandHourlyUsd, `${location}/${size}`);
                n++;
            }
        }
        // Nothing extra either: every figure here is one of those.
        assert.equal(Object.values(AZURE_REPLICA_HOURLY_USD).reduce((s, m) => s + Object.keys(m).length, 0), n);
    });

    it("negative control: a panel over a name vLLM does not export is caught", () => {
        const bad = grafanaDashboardJson("x", [costRatePanel(VM_SELECTOR, 1, "x"), { title: "bad", query: `sum(vllm:gpu_cache_usage_perc{${VM_SELECTOR}})`, unit: "1" }]);
        assert.deepEqual(panelsOf(bad).flatMap((p) => unknownMetrics("vllm", p.expr)), ["vllm:gpu_cache_usage_perc"]);
    });

    it("the dashboard and its definition's API versions are the SDK's known pair (revisit pinning both when this fails)", () => {
        // azure-native 3.28 offers no shared version for the two (azureDashboard.ts): record what it
        // uses, so an upgrade that moves either is seen and the pair can be pinned to one version.
        const version = (cls: string) => /Uses Azure REST API version (\S+)\./.exec(fs.readFileSync(require.resolve(`@pulumi/azure-native/dashboard/${cls}.d.ts`), "utf8"))?.[1];
        assert.equal(version("dashboard"), "2024-11-01-preview");
        assert.equal(version("dashboardDefinition"), "2025-09-01-preview");
        // Negative control: a class the module does not have gives no version.
        assert.throws(() => version("noSuchResource"));
    });
});
