import assert from "node:assert/strict";
import { AZURE_TYPES as T } from "../../../policies/cost/azure";
import { estimateCosts } from "../../../policies/cost/estimate";
import { UNKNOWN, asPreview, cents, resource } from "./fixtures";

// User-defined routing: no AKS-made outbound load balancer, so each test prices only what it is about.
const cluster = (props: Record<string, unknown> = {}) =>
    resource(T.managedCluster, "aks", { resourceGroupName: "rg", location: "eastus", networkProfile: { outboundType: "userDefinedRouting" }, ...props });

/** No managed OS disk (Ephemeral) and no surge: these tests price capacity alone. */
const CAPACITY_ONLY = { osDiskType: "Ephemeral", upgradeSettings: { maxSurge: "0" } };

function gpuPool(cl: ReturnType<typeof cluster>, props: Record<string, unknown>) {
    // resourceName is the cluster's name output: unknown at preview, linked by propertyDependencies.
    return resource(T.agentPool, "gpu", { resourceGroupName: "rg", resourceName: UNKNOWN, vmSize: "Standard_NC24ads_A100_v4", enableAutoScaling: true, minCount: 1, maxCount: 2, ...CAPACITY_ONLY, ...props }, { resourceName: [cl.urn] });
}

describe("cost/azure", () => {
    describe("AKS", () => {
        it("prices an autoscaling on-demand pool from minCount to maxCount", () => {
            const cl = cluster();
            const est = estimateCosts([cl, gpuPool(cl, {})]);
            assert.deepEqual(est.issues, []);
            assert.equal(est.lines[0].pricing, "on-demand");
            assert.equal(est.baselineMonthlyUsd, cents(1 * 3.673 * 730));
            assert.equal(est.worstCaseMonthlyUsd, cents(2 * 3.673 * 730));
        });

        it("prices a spot pool with spotMaxPrice -1 at on-demand (pays up to on-demand)", () => {
            const cl = cluster();
            const est = estimateCosts([cl, gpuPool(cl, { scaleSetPriority: "Spot", spotMaxPrice: -1, scaleSetEvictionPolicy: "Delete" })]);
            assert.equal(est.lines[0].pricing, "spot");
            assert.equal(est.lines[0].hourlyUsd, 3.673);
            assert.equal(est.worstCaseMonthlyUsd, cents(2 * 3.673 * 730));
        });

        it("prices a spot pool with an explicit max price at that price", () => {
            const cl = cluster();
            const est = estimateCosts([cl, gpuPool(cl, { scaleSetPriority: "Spot", spotMaxPrice: 0.9 })]);
            assert.equal(est.lines[0].hourlyUsd, 0.9);
            assert.equal(est.baselineMonthlyUsd, cents(1 * 0.9 * 730));
            assert.equal(est.worstCaseMonthlyUsd, cents(2 * 0.9 * 730));
        });

        it("never prices a max price above on-demand", () => {
            const cl = cluster();
            const est = estimateCosts([cl, gpuPool(cl, { scaleSetPriority: "Spot", spotMaxPrice: 10 })]);
            assert.equal(est.lines[0].hourlyUsd, 3.673);
        });

        it("prices a spot pool with no max price at on-demand (Azure's default is -1)", () => {
            const cl = cluster();
            const est = estimateCosts([cl, gpuPool(cl, { scaleSetPriority: "Spot" })]);
            assert.equal(est.lines[0].hourlyUsd, 3.673);
        });

        it("blocks an autoscaling pool without maxCount as unbounded", () => {
            const cl = cluster();
            const est = estimateCosts([cl, gpuPool(cl, { maxCount: undefined })]);
            assert.deepEqual(est.issues.map((i) => [i.kind, i.field]), [["unbounded", "maxCount"]]);
        });

        it("uses count for a fixed pool, and AKS's default of 1 when count is not set", () => {
            const cl = cluster();
            const fixed = estimateCosts([cl, gpuPool(cl, { enableAutoScaling: false, count: 3 })]);
            assert.equal(fixed.worstCaseMonthlyUsd, cents(3 * 3.673 * 730));
            const dflt = estimateCosts([cl, gpuPool(cl, { enableAutoScaling: undefined, minCount: undefined, maxCount: undefined })]);
            assert.equal(dflt.worstCaseMonthlyUsd, cents(1 * 3.673 * 730));
        });

        it("reports a pool not linked to a cluster, or whose cluster location is unknown, as unknown", () => {
            const orphan = resource(T.agentPool, "gpu", { resourceName: "aks", vmSize: "Standard_NC24ads_A100_v4", count: 1 });
            assert.deepEqual(estimateCosts([orphan]).issues.map((i) => [i.kind, i.field]), [["unknown", "resourceName"]]);
            const cl = cluster({ location: UNKNOWN });
            const est = estimateCosts([cl, gpuPool(cl, {})].map(asPreview));
            assert.deepEqual(est.issues.map((i) => [i.kind, i.field, i.urn]), [["unknown", "location", cl.urn]]);
        });

        it("prices a pool on an existing cluster (not in the stack) from its llm-serving-region tag", () => {
            const tagged = resource(T.agentPool, "gpu", {
                resourceName: "shared-aks",
                vmSize: "Standard_NC24ads_A100_v4",
                enableAutoScaling: true,
                minCount: 0,
                maxCount: 2,
                ...CAPACITY_ONLY,
                tags: { "llm-serving-region": "eastus" },
            });
            const est = estimateCosts([tagged]);
            assert.deepEqual(est.issues, []);
            assert.equal(est.worstCaseMonthlyUsd, cents(2 * 3.673 * 730));
            assert.equal(est.lines[0].region, "eastus");
            const unknownTag = estimateCosts([asPreview({ ...tagged, props: { ...tagged.props, tags: { "llm-serving-region": UNKNOWN } } })]);
            assert.deepEqual(unknownTag.issues.map((i) => i.kind), ["unknown"]);
        });

        it("reports an unknown spot max price and an unknown maxCount in preview without throwing", () => {
            const cl = cluster();
            const est = estimateCosts([cl, gpuPool(cl, { scaleSetPriority: "Spot", spotMaxPrice: UNKNOWN, maxCount: UNKNOWN })].map(asPreview));
            assert.deepEqual(est.issues.map((i) => [i.kind, i.field]).sort(), [["unknown", "maxCount"], ["unknown", "spotMaxPrice"]]);
            assert.equal(est.lines.length, 0);
        });

        it("reports a VM size outside the catalog as unpriced", () => {
            const cl = cluster();
            const est = estimateCosts([cl, gpuPool(cl, { vmSize: "Standard_ND96isr_H100_v5" })]);
            assert.equal(est.issues[0].kind, "unpriced");
            assert.match(est.issues[0].message, /Standard_ND96isr_H100_v5.*eastus/);
        });

        it("charges the Standard tier per cluster-hour and prices inline agent pool profiles", () => {
            const cl = cluster({ sku: { name: "Base", tier: "Standard" }, agentPoolProfiles: [{ name: "system", mode: "System", vmSize: "Standard_D4s_v5", count: 2, ...CAPACITY_ONLY }] });
            const est = estimateCosts([cl]);
            assert.deepEqual(est.issues, []);
            assert.deepEqual(est.lines.map((l) => [l.sku, l.pricing]), [["aks-standard-tier", "fee"], ["Standard_D4s_v5", "on-demand"]]);
            assert.equal(est.worstCaseMonthlyUsd, cents(cents(0.1 * 730) + cents(2 * 0.192 * 730)));
        });

        it("charges nothing for the Free tier", () => {
            assert.deepEqual(estimateCosts([cluster({ sku: { name: "Base", tier: "Free" } })]).lines, []);
        });

        it("prices the outbound load balancer and IP AKS makes at run time (outboundType loadBalancer, the default)", () => {
            for (const networkProfile of [undefined, { outboundType: "loadBalancer" }]) {
                const est = estimateCosts([cluster({ sku: { name: "Base", tier: "Free" }, networkProfile })]);
                assert.deepEqual(est.lines.map((l) => l.sku), ["azure-standard-lb-first5-rules", "azure-standard-public-ip"]);
                assert.equal(est.worstCaseMonthlyUsd, cents(cents(0.025 * 730) + cents(0.005 * 730)));
            }
            const unknown = estimateCosts([asPreview(cluster({ networkProfile: { outboundType: UNKNOWN } }))]);
            assert.deepEqual(unknown.issues.map((i) => i.kind), ["unknown"]);
        });
    });

    describe("Azure ML online deployments", () => {
        const endpoint = resource(T.onlineEndpoint, "ep", { location: "eastus", properties: { authMode: "Key" } });
        const deployment = (props: Record<string, unknown> = {}) =>
            resource(T.onlineDeployment, "dep", {
                endpointName: UNKNOWN,
                properties: { endpointComputeType: "Managed", instanceType: "Standard_NC24ads_A100_v4" },
                sku: { name: "Default", capacity: 1 },
                ...props,
            }, { endpointName: [endpoint.urn] });
        const autoscale = (dep: ReturnType<typeof deployment>, profiles: unknown[]) =>
            resource(T.autoscaleSetting, "as", { resourceGroupName: "rg", targetResourceUri: UNKNOWN, profiles }, { targetResourceUri: [dep.urn] });

        it("prices at the autoscale maximum (Azure ML reserves quota for it), baseline at the minimum", () => {
            const dep = deployment();
            const as = autoscale(dep, [
                { name: "default", capacity: { minimum: "1", maximum: "2", default: "1" }, rules: [] },
                { name: "peak", capacity: { minimum: "2", maximum: "3", default: "2" }, rules: [] },
            ]);
            const est = estimateCosts([endpoint, dep, as]);
            assert.deepEqual(est.issues, []);
            assert.equal(est.lines[0].region, "eastus", "region from the endpoint it depends on");
            assert.equal(est.baselineMonthlyUsd, cents(1 * 3.673 * 730));
            assert.equal(est.worstCaseMonthlyUsd, cents(3 * 3.673 * 730));
        });

        it("prices the fixed sku.capacity when nothing autoscales it", () => {
            const est = estimateCosts([endpoint, deployment({ sku: { name: "Default", capacity: 2 } })]);
            assert.equal(est.baselineMonthlyUsd, cents(2 * 3.673 * 730));
            assert.equal(est.worstCaseMonthlyUsd, cents(2 * 3.673 * 730));
        });

        it("blocks an autoscale profile without a maximum, and reports an unknown one in preview", () => {
            const dep = deployment();
            const noMax = estimateCosts([endpoint, dep, autoscale(dep, [{ name: "d", capacity: { minimum: "1", default: "1" }, rules: [] }])]);
            assert.equal(noMax.issues[0].kind, "unbounded");
            const unknownMax = estimateCosts([endpoint, dep, autoscale(dep, [{ name: "d", capacity: { minimum: "1", maximum: UNKNOWN, default: "1" }, rules: [] }])].map(asPreview));
            assert.deepEqual(unknownMax.issues.map((i) => [i.kind, i.field]), [["unknown", "profiles[0].capacity.maximum"]]);
        });

        it("reports an unknown instance type as unknown", () => {
            const est = estimateCosts([endpoint, deployment({ properties: { endpointComputeType: "Managed", instanceType: UNKNOWN } })].map(asPreview));
            assert.deepEqual(est.issues.map((i) => [i.kind, i.field]), [["unknown", "properties.instanceType"]]);
        });
    });

    describe("VMs and extras", () => {
        const vm = (props: Record<string, unknown>) => resource(T.virtualMachine, "vm", { resourceGroupName: "rg", location: "eastus", hardwareProfile: { vmSize: "Standard_NC4as_T4_v3" }, ...props });

        it("prices a spot VM at its max price, or at on-demand for -1", () => {
            assert.equal(estimateCosts([vm({ priority: "Spot", billingProfile: { maxPrice: 0.1 }, evictionPolicy: "Delete" })]).worstCaseMonthlyUsd, cents(0.1 * 730));
            assert.equal(estimateCosts([vm({ priority: "Spot", billingProfile: { maxPrice: -1 } })]).worstCaseMonthlyUsd, cents(0.526 * 730));
        });

        it("prices an on-demand VM, and knows the westus2 T4 row", () => {
            assert.equal(estimateCosts([vm({})]).worstCaseMonthlyUsd, cents(0.526 * 730));
            const west = estimateCosts([vm({ location: "West US 2", priority: "Spot", billingProfile: { maxPrice: 0.3 } })]);
            assert.equal(west.lines[0].region, "westus2");
            assert.equal(west.worstCaseMonthlyUsd, cents(0.3 * 730));
        });

        it("reports an unknown VM size or location in preview as unknown", () => {
            const est = estimateCosts([asPreview(vm({ hardwareProfile: { vmSize: UNKNOWN } }))]);
            assert.deepEqual(est.issues.map((i) => [i.kind, i.field]), [["unknown", "hardwareProfile.vmSize"]]);
            const loc = estimateCosts([asPreview(vm({ location: UNKNOWN }))]);
            assert.deepEqual(loc.issues.map((i) => [i.kind, i.field]), [["unknown", "location"]]);
        });

        it("prices a VM's 512 GB Premium OS disk as P20", () => {
            const est = estimateCosts([vm({ storageProfile: { osDisk: { createOption: "FromImage", diskSizeGB: 512, managedDisk: { storageAccountType: "Premium_LRS" } } } })]);
            assert.deepEqual(est.lines.map((l) => l.sku).sort(), ["Standard_NC4as_T4_v3", "azure-managed-disk-p20"]);
            assert.equal(est.worstCaseMonthlyUsd, cents(cents(0.526 * 730) + 73.22));
        });

        it("charges a Standard public IP and a Standard load balancer by its rules", () => {
            const ip = resource(T.publicIp, "ip", { resourceGroupName: "rg", sku: { name: "Standard" } });
            const rules = Array.from({ length: 7 }, (_, i) => ({ name: `r${i}` }));
            const lb = resource(T.loadBalancer, "lb", { resourceGroupName: "rg", sku: { name: "Standard" }, loadBalancingRules: rules });
            const est = estimateCosts([ip, lb]);
            assert.equal(est.lines[0].worstCaseMonthlyUsd, cents(0.005 * 730));
            const lbLine = est.lines.find((l) => l.urn === lb.urn)!;
            assert.equal(lbLine.hourlyUsd, 0.025 + 2 * 0.01);
            // IP 3.65 + LB (0.025 + 2 x 0.01) x 730 = 32.85, + egress usage assumed 0 -> $0 line
            assert.equal(est.worstCaseMonthlyUsd, cents(cents(0.005 * 730) + cents((0.025 + 2 * 0.01) * 730)));
            assert.deepEqual(est.lines.filter((l) => l.kind === "usage").map((l) => [l.sku, l.worstCaseMonthlyUsd]), [["azure-internet-egress", 0]]);
        });
    });

    describe("disks, surge and what always runs", () => {
        const modelServer = (replicas: number, gpus: string) =>
            resource("kubernetes:apps/v1:Deployment", "model", {
                spec: { replicas, template: { spec: { nodeSelector: { "llm-serving/pool": "gpu" }, containers: [{ name: "vllm", resources: { requests: { cpu: "12", "nvidia.com/gpu": gpus }, limits: { "nvidia.com/gpu": gpus } } }] } } },
            });

        it("prices a pool's managed OS disk by tier, its upgrade surge, and a baseline from the GPU replicas that always run", () => {
            const cl = cluster();
            const pool = gpuPool(cl, { osDiskType: undefined, upgradeSettings: undefined, osDiskSizeGB: 256, scaleSetPriority: "Spot", spotMaxPrice: 1, nodeLabels: { "llm-serving/pool": "gpu" } });
            const est = estimateCosts([cl, pool, modelServer(2, "1")]);
            assert.deepEqual(est.issues, []);
            const kinds = Object.fromEntries(est.lines.map((l) => [l.kind, [l.countMin, l.countMax, l.baselineMonthlyUsd, l.worstCaseMonthlyUsd]]));
            // Two 1-GPU replicas on 1-GPU nodes: baseline 2 nodes (minCount is 1) x max price 1.00 x 730.
            assert.deepEqual(kinds.capacity, [2, 2, 1460, 1460]);
            // 256 GB Premium OS disk bills as P15, $38.02 a month, per node.
            assert.deepEqual(kinds.storage, [2, 2, 76.04, 76.04]);
            // AKS default maxSurge 10% of 2 -> 1 node x (1.00 + 38.02/730) x 10 h = 10.5208
            assert.deepEqual(kinds.transient, [0, 1, 0, 10.52]);
            // The expected spot figure: 2 x min(0.444433 x 1.25, 1.00) x 730 = 811.0902
            assert.equal(est.lines[0].expected?.worstCaseMonthlyUsd, 811.09);
        });

        it("raises the estimate when only a disk grows, and fails closed on a tier or region it cannot price", () => {
            const vm = (size: number, location = "eastus", type = "Premium_LRS") =>
                resource(T.virtualMachine, "vm", { location, hardwareProfile: { vmSize: "Standard_NC4as_T4_v3" }, storageProfile: { osDisk: { diskSizeGB: size, managedDisk: { storageAccountType: type } } } });
            const small = estimateCosts([vm(128)]).worstCaseMonthlyUsd; // 0.526 x 730 + P10 19.71 = 403.69
            const large = estimateCosts([vm(1024)]).worstCaseMonthlyUsd; // 0.526 x 730 + P30 135.17 = 519.15
            assert.deepEqual([small, large], [403.69, 519.15]);
            assert.deepEqual(estimateCosts([vm(4097)]).issues.map((i) => i.kind), ["unpriced"]); // past P50
            assert.deepEqual(estimateCosts([vm(128, "westus2")]).issues.map((i) => i.kind), ["unpriced"]); // no westus2 disk price
            assert.deepEqual(estimateCosts([vm(128, "eastus", "UltraSSD_LRS")]).issues.map((i) => i.kind), ["unpriced"]);
        });

        it("charges a Basic container registry $0.167 a day and refuses tiers it cannot price", () => {
            const acr = (name: string) => resource(T.registry, "acr", { sku: { name } });
            assert.equal(estimateCosts([acr("Basic")]).worstCaseMonthlyUsd, 5.08); // 0.167 / 24 x 730 = 5.0796
            assert.deepEqual(estimateCosts([acr("Premium")]).issues.map((i) => i.kind), ["unpriced"]);
        });
    });
});
