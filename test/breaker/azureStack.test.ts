// The Azure breaker as the program declares it (stack/breaker/azure.ts) and the least-privilege
// check of its rights (policies/breaker/azure.ts). The program runs under mocks with prod's
// committed config and the breaker turned on in the parsed config (the committed stacks keep it
// off until every cloud's breaker is declared; config/budgets.ts).
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { runUnderMocks, type PlannedResource } from "../../plan/mocks";
import { OFFLINE_PLAN_MARKER } from "../../stack/guard";
import { deployTargets, parseStackConfig, type StackConfig } from "../../stack";
import { deployRuntimeBudgets } from "../../stack/runtime";
import { azureBreaker, azureFunctionJson, azureFunctionKeyOf, azurePackageBlobName, azureTriggerUrl, breakerAppSettings } from "../../stack/breaker/azure";
import { logWorkspaceGb } from "../../policies/cost/azure";
import { registerAzureBreakerGroup, azureBreakerGroups } from "../../components/azure/breakerTargets";
import { aksPoolBaselines } from "../../targets/aksGpu/capacity";
import { AZURE_BREAKER_COMPONENT, azureBreakerRightsProblems, BREAKER_AZURE_ACTIONS, type RightsResource } from "../../policies/breaker/azure";
import { estimateCosts } from "../../policies/cost/estimate";
import { committedStack, one, ofType } from "../helpers/program";
import type { PolicyResource } from "@pulumi/policy";

const SUB = "/subscriptions/00000000-0000-4000-8000-00000000c003";

async function runWithBreaker(stackName: string, breaker: boolean) {
    const stack = committedStack(stackName);
    const parsed = parseStackConfig({ values: stack.config, secretKeys: new Set(stack.secretKeys) }, stackName);
    const config: StackConfig = { ...parsed, budgets: { ...parsed.budgets, breaker: { enabled: breaker, stepToZero: false } } };
    const marker = globalThis as Record<symbol, unknown>;
    marker[OFFLINE_PLAN_MARKER] = true;
    try {
        return await runUnderMocks({ project: stack.project, stack: stackName, config: stack.config, secretKeys: stack.secretKeys }, () => {
            deployTargets(config);
            return deployRuntimeBudgets(config, undefined);
        });
    } finally {
        delete marker[OFFLINE_PLAN_MARKER];
    }
}

const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

describe("breaker on Azure: what prod declares with the breaker on", () => {
    let resources: PlannedResource[];
    before(async () => {
        resources = (await runWithBreaker("prod", true)).resources;
    });

    it("a Linux Consumption Function App with a system identity, running the bundled package, HTTPS only", () => {
        const app = one(resources, "azure-native:web:WebApp");
        assert.ok(app.urn.includes(`${AZURE_BREAKER_COMPONENT}$`));
        assert.equal(app.inputs.kind, "functionapp,linux");
        assert.deepEqual((app.inputs.identity as { type: string }).type, "SystemAssigned");
        assert.equal(app.inputs.httpsOnly, true);
        const plan = one(resources, "azure-native:web:AppServicePlan");
        assert.deepEqual(plan.inputs.sku, { name: "Y1", tier: "Dynamic" });
        const blob = ofType(resources, "azure-native:storage:Blob").find((b) => b.name === "breaker-azure-package");
        assert.equal(blob?.inputs.blobName, azurePackageBlobName());
        const account = ofType(resources, "azure-native:storage:StorageAccount").find((a) => a.name === "breaker-azure-storage");
        assert.deepEqual([account?.inputs.minimumTlsVersion, account?.inputs.allowBlobPublicAccess, account?.inputs.enableHttpsTrafficOnly], ["TLS1_2", false, true]);
    });

    it("a custom role with exactly the four actions, assignable and assigned at the targets' resource groups only", () => {
        const role = one(resources, "azure-native:authorization:RoleDefinition");
        assert.deepEqual((role.inputs.permissions as Array<{ actions: string[] }>)[0].actions, [...BREAKER_AZURE_ACTIONS]);
        // The offline plan's ids stand in for the aksGpu and azureMl resource groups' ids.
        assert.deepEqual(role.inputs.assignableScopes, ["aks-gpu-rg-id", "azure-ml-rg-id"]);
        const assignments = ofType(resources, "azure-native:authorization:RoleAssignment").filter((r) => r.urn.includes(AZURE_BREAKER_COMPONENT));
        assert.deepEqual(assignments.map((a) => a.inputs.scope).sort(), ["aks-gpu-rg-id", "azure-ml-rg-id"], "one per resource group, not one per pool");
        assert.ok(assignments.every((a) => a.inputs.roleDefinitionId === "breaker-azure-role-id"));
    });

    it("an action group calling the function on the common alert schema; the budget's notifications include it", () => {
        const group = ofType(resources, "azure-native:monitor:ActionGroup").find((g) => g.name === "breaker-azure-trigger");
        assert.ok(group);
        // The receivers carry the function key in their URL: the whole list is secret.
        assert.equal(group.inputs.azureFunctionReceivers, "[secret]");
        assert.equal(azureTriggerUrl("breaker-azure-app.azurewebsites.net", "k/ey="), "https://breaker-azure-app.azurewebsites.net/api/breaker?code=k%2Fey%3D");
        const budget = one(resources, "azure-native:consumption:Budget");
        const notifications = budget.inputs.notifications as Record<string, { contactGroups: string[]; thresholdType: string }>;
        assert.ok(Object.keys(notifications).length > 0);
        for (const [key, n] of Object.entries(notifications)) assert.ok(n.contactGroups.includes("breaker-azure-trigger-id"), `${key} notifies the breaker`);
    });

    it("logs to a workspace-based Application Insights component on a capped Log Analytics workspace of its own", () => {
        // Before, no component: the function's log line went nowhere an operator reads.
        const workspace = ofType(resources, "azure-native:operationalinsights:Workspace").find((w) => w.name === "breaker-azure-logs");
        assert.ok(workspace?.urn.includes(`${AZURE_BREAKER_COMPONENT}$`));
        assert.deepEqual([workspace?.inputs.retentionInDays, (workspace?.inputs.workspaceCapping as { dailyQuotaGb: number }).dailyQuotaGb], [30, 0.1]);
        const insights = ofType(resources, "azure-native:applicationinsights:Component").find((c) => c.name === "breaker-azure-insights");
        assert.equal(insights?.inputs.ingestionMode, "LogAnalytics");
        assert.ok(insights?.propertyDependencies.workspaceResourceId?.some((u) => u.endsWith("::breaker-azure-logs")));
        // The connection string reaches the app settings (secret: the whole siteConfig is).
        assert.ok(one(resources, "azure-native:web:WebApp").propertyDependencies.siteConfig?.some((u) => u.endsWith("::breaker-azure-insights")));
    });

    it("a missing or empty host function key fails the deployment with a clear message, never an empty code=", () => {
        assert.equal(azureFunctionKeyOf({ functionKeys: { default: "k" } }), "k");
        const missing: Array<{ functionKeys?: Record<string, string> }> = [{}, { functionKeys: {} }, { functionKeys: { default: "" } }];
        for (const keys of missing) assert.throws(() => azureFunctionKeyOf(keys), /no default host function key yet.*pulumi up/);
    });

    it("the function key, the storage key and the package SAS stay secret in the plan's records", () => {
        const out = JSON.stringify(resources.map((r) => r.inputs));
        // The mocks' values (plan/mockOutputs.ts): each reaches an input, and none shows.
        for (const secret of ["bW9jay1zdG9yYWdlLWtleQ==", "mock-function-key", "sig=mock"]) assert.ok(!out.includes(secret), `${secret} is not in plain inputs`);
        assert.equal(one(resources, "azure-native:web:WebApp").inputs.siteConfig, "[secret]");
    });

    it("the app settings name the pools and the autoscale setting the function lowers", () => {
        assert.deepEqual(breakerAppSettings({ aks: ["a"], autoscale: ["s"] }, true), { BREAKER_AKS_POOLS: '["a"]', BREAKER_AUTOSCALE_SETTINGS: '["s"]', BREAKER_STEP_TO_ZERO: "true", BREAKER_FORECAST_PERCENT: "100" });
        assert.deepEqual(JSON.parse(azureFunctionJson()).entryPoint, "azureBreaker");
    });

    it("the targets tag their groups with their baseline: prod's GPU pool 2 (two replicas, one node each), azureMl's autoscale 2", () => {
        const pool = one(resources, "azure-native:containerservice:AgentPool", "aks-gpu-gpu-pool");
        assert.equal((pool.inputs.tags as Record<string, string>)["llm-serving-baseline"], "2");
        const autoscale = one(resources, "azure-native:monitor:AutoscaleSetting");
        assert.equal((autoscale.inputs.tags as Record<string, string>)["llm-serving-baseline"], "2");
        // ha's shape: spot 1 (its max), on-demand floor 1 of 1..2 (the fallback node is above baseline).
        assert.deepEqual(aksPoolBaselines({ nodes: { min: 2, max: 3 }, onDemandBase: 1, onDemandFallback: 1, replicas: 2 }), { spot: 1, onDemand: 1 });
        assert.deepEqual(aksPoolBaselines({ nodes: { min: 1, max: 3 }, onDemandBase: 0, onDemandFallback: 0, replicas: 1 }), { spot: 1 });
    });

    it("its own resources are priced: the app's GB-s and executions, the storage floor", () => {
        const est = estimateCosts(resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, props: plain(r.inputs) as Record<string, unknown>, propertyDependencies: r.propertyDependencies })));
        const lines = est.lines.filter((l) => l.urn.includes(AZURE_BREAKER_COMPONENT));
        // 100 runs x 300 s x 1.5 GB = 45,000 GB-s x $0.000016 = $0.72; 0.0001 M executions x $0.20 = $0.00002 -> $0.00;
        // storage 1 GB x $0.0208 = $0.02 and 10 x 10,000 operations x $0.065 = $0.65.
        // The workspace at its daily cap: 0.1 GB x 31 days = 3.1 GB x $2.76 = $8.556 -> $8.56 (under the default log assumption).
        assert.deepEqual(logWorkspaceGb(0.1, 50), { gb: 3.1, capped: true });
        assert.deepEqual(logWorkspaceGb(undefined, 50), { gb: 50, capped: false }, "negative control: no cap, the stack's assumption");
        assert.deepEqual(logWorkspaceGb(10, 50), { gb: 50, capped: false }, "a cap above the assumption does not raise it");
        assert.deepEqual(lines.map((l) => [l.sku, l.worstCaseMonthlyUsd]).sort(), [
            ["azure-blob-hot-lrs-capacity", 0.02],
            ["azure-blob-hot-write-operations", 0.65],
            ["azure-functions-execution-time", 0.72],
            ["azure-functions-executions", 0],
            // estimateCosts' default usage assumes no log ingestion (0 GB, under the cap); the committed
            // stacks' 50 GB give the capped $8.56 (test/plan/committedStacks.test.ts, haStack.test.ts).
            ["azure-log-analytics-ingestion", 0],
        ]);
        assert.deepEqual(est.issues.filter((i) => i.urn.includes(AZURE_BREAKER_COMPONENT)), []);
    });

    it("the declared rights pass the least-privilege check", () => {
        assert.deepEqual(azureBreakerRightsProblems(asRights(resources)), []);
    });

    it("negative control: with the breaker off, none of it is declared and the budget notifies only the stack's group", async () => {
        const off = (await runWithBreaker("prod", false)).resources;
        assert.equal(off.filter((r) => r.urn.includes(AZURE_BREAKER_COMPONENT)).length, 0);
        const budget = one(off, "azure-native:consumption:Budget");
        const n = Object.values(budget.inputs.notifications as Record<string, { contactGroups: string[] }>);
        assert.ok(n.every((x) => !x.contactGroups.includes("breaker-azure-trigger-id")));
    });

    it("a stack without a scaled Azure group (gpuVm only) declares no Azure breaker", async () => {
        const run = await runUnderMocks({ project: "llm-serving", stack: "t", config: {}, secretKeys: [] }, () => {
            const before = azureBreakerGroups().length;
            const triggers = azureBreaker("breaker-azure", { config: { stack: "t", tags: {} } as unknown as StackConfig, scopes: { azure: { location: "eastus" } }, stepToZero: false });
            return { before, triggers };
        });
        assert.deepEqual(run.result, { before: 0, triggers: {} });
        assert.equal(run.resources.length, 0);
    });

    it("groups registered in one run are not seen by the next (runs are kept apart)", async () => {
        await runUnderMocks({ project: "llm-serving", stack: "a", config: {}, secretKeys: [] }, () => registerAzureBreakerGroup({ kind: "aks-node-pool", id: "x", resourceGroupId: `${SUB}/resourceGroups/a` }));
        const next = await runUnderMocks({ project: "llm-serving", stack: "b", config: {}, secretKeys: [] }, () => azureBreakerGroups().length);
        assert.equal(next.result, 0);
    });
});

/** Plan records as the policy sees them: props and dependencies by resource. */
function asRights(resources: ReadonlyArray<PlannedResource>): RightsResource[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    return resources.map((r) => ({
        urn: r.urn,
        type: r.type,
        props: plain(r.inputs) as Record<string, unknown>,
        propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, urns]) => [k, urns.map((u) => ({ urn: u, type: byUrn.get(u)?.type ?? "" }))])),
    }));
}

describe("breaker on Azure: least-privilege check (policies/breaker/azure.ts)", () => {
    const COMPONENT = `urn:pulumi:prod::llm-serving::${AZURE_BREAKER_COMPONENT}$`;
    const rg = (name: string) => `${SUB}/resourceGroups/${name}`;
    const role = (actions: string[], scopes: unknown[] = [rg("aks-gpu-rg1"), rg("azure-ml-rg2")], extra: Record<string, unknown> = {}): RightsResource => ({
        urn: `${COMPONENT}azure-native:authorization:RoleDefinition::breaker-azure-role`,
        type: "azure-native:authorization:RoleDefinition",
        props: { roleName: "llm-serving breaker llm-serving/prod", permissions: [{ actions, notActions: [], dataActions: [], ...extra }], assignableScopes: scopes },
    });
    const assignment = (roleDefinitionId: string, scope: string, viaOwnRole = true): RightsResource => ({
        urn: `${COMPONENT}azure-native:authorization:RoleAssignment::breaker-azure-rights-1`,
        type: "azure-native:authorization:RoleAssignment",
        props: { roleDefinitionId, scope, principalType: "ServicePrincipal" },
        propertyDependencies: viaOwnRole ? { roleDefinitionId: [{ urn: `${COMPONENT}azure-native:authorization:RoleDefinition::breaker-azure-role`, type: "azure-native:authorization:RoleDefinition" }] } : {},
    });
    const exact = [...BREAKER_AZURE_ACTIONS];

    it("passes: the exact role, assigned through its own definition at a resource group", () => {
        assert.deepEqual(azureBreakerRightsProblems([role(exact), assignment(`${SUB}/providers/Microsoft.Authorization/roleDefinitions/1d2a3b4c-0000-4000-8000-000000000001`, rg("aks-gpu-rg1"))]), []);
    });

    it("blocks Microsoft.ContainerService/*, a '*' action, an action the breaker never calls, and data actions", () => {
        const msgs = (r: RightsResource) => azureBreakerRightsProblems([r]).map((p) => p.message).join("\n");
        assert.match(msgs(role(["Microsoft.ContainerService/*"])), /wildcard action Microsoft\.ContainerService\/\*/);
        assert.match(msgs(role(["*"])), /wildcard action \*/);
        assert.match(msgs(role([...exact, "Microsoft.ContainerService/managedClusters/delete"])), /grants Microsoft\.ContainerService\/managedClusters\/delete, which the breaker never calls/);
        assert.match(msgs(role(exact, undefined, { dataActions: ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"] })), /data actions/);
    });

    it("blocks a subscription (or management group) as an assignable scope or an assignment scope", () => {
        assert.match(azureBreakerRightsProblems([role(exact, [SUB])])[0].message, /is not a resource group/);
        assert.match(azureBreakerRightsProblems([role(exact, ["/providers/Microsoft.Management/managementGroups/root"])])[0].message, /is not a resource group/);
        const p = azureBreakerRightsProblems([role(exact), assignment("x", SUB)]);
        assert.ok(p.some((x) => /role assignment: scope .* is not a resource group/.test(x.message)));
    });

    it("blocks an Owner or Contributor assignment (built-in roles), and any role that is not the breaker's own", () => {
        const owner = azureBreakerRightsProblems([assignment(`${SUB}/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635`, rg("a"), false)]);
        assert.match(owner[0].message, /built-in role Owner/);
        const contributor = azureBreakerRightsProblems([assignment(`${SUB}/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c`, rg("a"), false)]);
        assert.match(contributor[0].message, /built-in role Contributor/);
        const other = azureBreakerRightsProblems([assignment(`${SUB}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`, rg("a"), false)]);
        assert.match(other[0].message, /not its own role/);
    });

    it("fails closed on values unknown at preview, unless they come from the stack's own role and resource groups", () => {
        // Pulumi's unknown-value sentinel, as the offline plan passes it through.
        const unknownScope: RightsResource = { ...role(exact), props: { ...role(exact).props, assignableScopes: ["04da6b54-80e4-46f7-96ec-b56ff0331ba9"] } };
        assert.match(azureBreakerRightsProblems([unknownScope])[0].message, /not known at preview and does not come from the stack's resource groups/);
        const fromGroups: RightsResource = { ...unknownScope, propertyDependencies: { assignableScopes: [{ urn: "urn:rg", type: "azure-native:resources:ResourceGroup" }] } };
        assert.deepEqual(azureBreakerRightsProblems([fromGroups]), []);
        // A known value that is no ARM id (the offline plan's stand-in ids) passes only when it comes from resource groups.
        const standIn: RightsResource = { ...role(exact), props: { ...role(exact).props, assignableScopes: ["aks-gpu-rg-id"] } };
        assert.match(azureBreakerRightsProblems([standIn])[0].message, /is not a resource group's id/);
        assert.deepEqual(azureBreakerRightsProblems([{ ...standIn, propertyDependencies: fromGroups.propertyDependencies }]), []);
        assert.match(azureBreakerRightsProblems([{ ...role(exact), props: { assignableScopes: [rg("a")] } }])[0].message, /no known permissions/);
    });

    it("takes a stack policy's resources as they are (the breaker-least-privilege rule passes args.resources)", () => {
        const check: (resources: PolicyResource[]) => ReadonlyArray<{ urn: string; message: string }> = azureBreakerRightsProblems;
        assert.equal(typeof check, "function");
    });

    it("resources outside the breaker's component are not its business (negative control)", () => {
        const elsewhere = { ...assignment(`${SUB}/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635`, SUB, false), urn: "urn:pulumi:prod::llm-serving::azure-native:authorization:RoleAssignment::someone-else" };
        assert.deepEqual(azureBreakerRightsProblems([elsewhere]), []);
    });
});

void pulumi;
