import { strict as assert } from "node:assert";
import { EXIT, main } from "../../plan/cli";
import { PlanReport } from "../../plan/report";

/**
 * The committed stacks' cost, line by line, computed here by hand from catalog prices
 * (shared/reference/prices.md) and each stack's config, then compared with the plan to the cent.
 * A change to a stack, a price or the engine that moves a figure must be made here too, on purpose.
 */
const HOURS = 730;
const SPOT_MARGIN = 1.25;
const cents = (x: number) => Math.round(x * 100) / 100;
const monthly = (count: number, hourly: number) => cents(count * hourly * HOURS);
const spot = (spotHourly: number, onDemandHourly: number) => Math.min(spotHourly * SPOT_MARGIN, onDemandHourly);

interface Expected { readonly name: string; readonly sku: string; readonly countMin: number; readonly countMax: number; readonly baseline: number; readonly worst: number }
const line = (name: string, sku: string, countMin: number, countMax: number, unitHourly: number): Expected => ({
    name,
    sku,
    countMin,
    countMax,
    baseline: monthly(countMin, unitHourly),
    worst: monthly(countMax, unitHourly),
});

const G2_4 = spot(0.28184, 0.70683); // g2-standard-4, us-central1
const FORWARDING_RULE = 0.025; // first five rules
const AZURE_PUBLIC_IP = 0.005;
const AZURE_LB_FIRST5 = 0.025;
const P10_DISK = 19.71 / HOURS; // $19.71/month, East US
const EKS_CONTROL_PLANE = 0.1;
const M5_LARGE = 0.096;
const NAT_GATEWAY = 0.045;
const NLB = 0.0225;
const PUBLIC_IPV4 = 0.005;
const INF2_8XL_SPOT_USW2 = spot(0.6303, 1.96786); // top of the observed us-west-2 range
const AKS_STANDARD_TIER = 0.1;
const D4S_V5 = 0.192;
const NC8AS_T4_V3 = 0.752;

const STACKS: Record<string, { lines: Expected[]; cap: number }> = {
    dev: {
        cap: 2500,
        lines: [
            line("gcp-spot-l4-mig", "g2-standard-4", 2, 3, G2_4),
            line("gcp-spot-l4-forwarding", "gcp-lb-forwarding-rule-first5", 1, 1, FORWARDING_RULE),
            line("gpu-vm-vm", "azure-managed-disk-p10", 1, 1, P10_DISK),
            // Spot with an explicit max price of $0.20/h: that is the worst case.
            line("gpu-vm-vm", "Standard_NC4as_T4_v3", 1, 1, 0.2),
            line("gpu-vm-ip", "azure-standard-public-ip", 1, 1, AZURE_PUBLIC_IP),
            line("eks-inf2-cluster", "eks-control-plane", 1, 1, EKS_CONTROL_PLANE),
            line("eks-inf2-system-nodes", "m5.large", 2, 3, M5_LARGE),
            line("eks-inf2-nat", "aws-nat-gateway", 1, 1, NAT_GATEWAY),
            line("eks-inf2-nlb", "aws-nlb", 1, 1, NLB),
            line("eks-inf2-nat-ip", "aws-public-ipv4", 1, 1, PUBLIC_IPV4),
            // limits cpu 64 / memory 256Gi / 2 Neuron devices over inf2.8xlarge (32 vCPU, 128 GiB, 1 device): 2 nodes.
            line("eks-inf2-nodepool", "inf2.8xlarge", 0, 2, INF2_8XL_SPOT_USW2),
        ],
    },
    prod: {
        cap: 6000,
        lines: [
            line("gcp-spot-l4-mig", "g2-standard-4", 3, 8, G2_4),
            line("gcp-spot-l4-forwarding", "gcp-lb-forwarding-rule-first5", 1, 1, FORWARDING_RULE),
            line("aks-gpu-cluster", "aks-standard-tier", 1, 1, AKS_STANDARD_TIER),
            line("aks-gpu-cluster", "Standard_D4s_v5", 1, 1, D4S_V5),
            // AKS makes a Standard load balancer and an outbound IP at run time, and an IP per LoadBalancer Service.
            line("aks-gpu-cluster", "azure-standard-lb-first5-rules", 1, 1, AZURE_LB_FIRST5),
            line("aks-gpu-cluster", "azure-standard-public-ip", 1, 1, AZURE_PUBLIC_IP),
            line("aks-gpu-service", "azure-standard-public-ip", 1, 1, AZURE_PUBLIC_IP),
            // Spot A100 pool with an explicit max price of $1.00/h, 1..2 nodes.
            line("aks-gpu-gpu-pool", "Standard_NC24ads_A100_v4", 1, 2, 1.0),
            // Priced at the Azure Monitor autoscale bounds (2..3), on-demand: Azure ML has no spot.
            line("azure-ml-deployment", "Standard_NC8as_T4_v3", 2, 3, NC8AS_T4_V3),
        ],
    },
};

async function planJson(stack: string): Promise<PlanReport> {
    let stdout = "";
    const code = await main(["--stack", stack, "--json"], (s) => (stdout += s), () => undefined);
    assert.equal(code, EXIT.ok);
    return JSON.parse(stdout) as PlanReport;
}

describe("committed stacks: cost to the cent, computed by hand", () => {
    for (const [stack, expected] of Object.entries(STACKS)) {
        it(`${stack}: every line, the totals and the cap`, async () => {
            const report = await planJson(stack);
            const actual = report.cost.lines.map((l) => ({
                name: l.urn.slice(l.urn.lastIndexOf("::") + 2),
                sku: l.sku,
                countMin: l.countMin,
                countMax: l.countMax,
                baseline: l.baselineMonthlyUsd,
                worst: l.worstCaseMonthlyUsd,
            }));
            const order = (a: Expected, b: Expected) => `${a.name}|${a.sku}`.localeCompare(`${b.name}|${b.sku}`);
            assert.deepEqual([...actual].sort(order), [...expected.lines].sort(order));
            const worst = cents(expected.lines.reduce((sum, l) => sum + l.worst, 0));
            const baseline = cents(expected.lines.reduce((sum, l) => sum + l.baseline, 0));
            assert.equal(report.cost.worstCaseMonthlyUsd, worst);
            assert.equal(report.cost.baselineMonthlyUsd, baseline);
            assert.equal(report.cost.capMonthlyUsd, expected.cap);
            assert.ok(worst <= expected.cap, `${stack} worst case ${worst} over its cap ${expected.cap}`);
        });
    }

    it("dev's figures are the ones the README quotes", () => {
        const devWorst = cents(STACKS.dev.lines.reduce((sum, l) => sum + l.worst, 0));
        const prodWorst = cents(STACKS.prod.lines.reduce((sum, l) => sum + l.worst, 0));
        assert.equal(devWorst, 2445.62);
        assert.equal(prodWorst, 5421.27);
    });
});
