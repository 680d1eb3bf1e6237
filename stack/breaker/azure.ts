// The breaker on Azure (issue 16): budget -> action group -> Azure Function -> ARM. Declared when
// the stack deploys a scaled Azure group (aksGpu's agent pools, azureMl's autoscale setting; gpuVm
// has none), from what the targets registered (components/azure/breakerTargets.ts).
//
// Hosting: a Linux Consumption plan (Y1), the Function App running from a package URL
// (WEBSITE_RUN_FROM_PACKAGE = a read-only SAS URL of the zip blob). Why not Flex Consumption
// (FC1), the plan Microsoft recommends now that Linux Consumption retires on 30 September 2028:
// azure-native 3.28 declares an FC1 app (WebApp.functionAppConfig), but a Flex app takes its
// code only through the one-deploy endpoint (<scm>/api/publish) and does not support
// WEBSITE_RUN_FROM_PACKAGE (learn.microsoft.com/azure/azure-functions/deployment-zip-push,
// "Package deployment by hosting plan"), so it would need a CLI step outside the resource model;
// Linux Consumption runs from an external package URL declared as an app setting. Move to FC1
// before the retirement (README, "Run-time budgets").
//
// Storage: the Functions host keeps its keys and leases in AzureWebJobsStorage; the package URL's
// SAS is signed with the account key, so shared-key access stays on (the host's connection string
// is a secret app setting). TLS 1.2 minimum, HTTPS only, no public blob access.
//
// Rights: one custom role with exactly the four ARM actions the function calls
// (BREAKER_AZURE_ACTIONS), assignable at and assigned to the targets' resource groups only.
// The action group calls the function with a host function key (listWebAppHostKeys), kept secret.
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import * as authorization from "@pulumi/azure-native/authorization";
import * as monitor from "@pulumi/azure-native/monitor";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as resources from "@pulumi/azure-native/resources";
import * as storage from "@pulumi/azure-native/storage";
import * as web from "@pulumi/azure-native/web";
import { costLabels } from "../../components/costLabels";
import { storageAccountName } from "../../components/azure/names";
import { azureBreakerGroups, type AzureBreakerGroup } from "../../components/azure/breakerTargets";
import { BREAKER_NODE_MAJOR, breakerArchive, breakerBundle } from "../../functions/breaker/bundle";
import { BREAKER_PERCENT, BREAKER_TAG, breakerModeOf } from "../../policies/contract/budgets";
import { AZURE_BREAKER_COMPONENT, BREAKER_AZURE_ACTIONS } from "../../policies/contract/azureBreaker";
import type { BreakerTriggers } from "./triggers";
import type { BreakerArgs } from "./types";

/**
 * Where the function's log lines go: a workspace-based Application Insights component on a Log
 * Analytics workspace of the breaker's own (without one, a Functions host's logs go nowhere an
 * operator can read). Its ingestion is bounded by the workspace's daily cap, which the pack prices
 * (dailyQuotaGb x 31 days: policies/cost/azure.ts); a breaker writes a few lines a run.
 */
export const AZURE_BREAKER_LOGS = { retentionInDays: 30, dailyQuotaGb: 0.1 } as const;

/** The HTTP function's name (its folder in the package, and the action group's functionName). */
export const AZURE_BREAKER_FUNCTION = "breaker";

/**
 * The package URL's SAS expiry. Fixed, not computed from the clock: a moving expiry would change
 * the app settings (and restart the app) on every update. A later date needs a code change; the
 * package is the project's own code, and the SAS reads that one blob only.
 */
export const AZURE_BREAKER_SAS_EXPIRY = "2030-12-31T00:00:00Z";

/** host.json: Functions runtime 2.0+ schema; five minutes is the Consumption default and more than ARM's calls need. */
export function azureHostJson(): string {
    return JSON.stringify({ version: "2.0", functionTimeout: "00:05:00", logging: { logLevel: { default: "Information" } } }, null, 2);
}

/**
 * function.json (Node.js programming model v3: no @azure/functions package needed): an HTTP
 * trigger at function level (a function key), POST only, the bundle's `azureBreaker` export.
 */
export function azureFunctionJson(): string {
    return JSON.stringify(
        {
            bindings: [
                { authLevel: "function", type: "httpTrigger", direction: "in", name: "req", methods: ["post"] },
                { type: "http", direction: "out", name: "res" },
            ],
            scriptFile: "../index.js",
            entryPoint: "azureBreaker",
        },
        null,
        2,
    );
}

/** The files beside index.js in the package. */
export function azurePackageFiles(): Record<string, string> {
    return { "host.json": azureHostJson(), [`${AZURE_BREAKER_FUNCTION}/function.json`]: azureFunctionJson() };
}

/** The package blob's name: content-addressed, so new code is a new blob and a new package URL (the app reloads). */
export function azurePackageBlobName(): string {
    const hash = createHash("sha256").update(breakerBundle("azure")).update(JSON.stringify(azurePackageFiles())).digest("hex").slice(0, 16);
    return `breaker-${hash}.zip`;
}

/** The custom role's name: role names are unique in the tenant, so it names the project and stack. */
export function azureBreakerRoleName(project: string, stack: string): string {
    return `llm-serving breaker ${project}/${stack}`;
}

/** The app settings the function reads (functions/breaker/entry/azure.ts AzureBreakerEnv). */
export function breakerAppSettings(groups: { aks: string[]; autoscale: string[] }, stepToZero: boolean): Record<string, string> {
    return {
        BREAKER_AKS_POOLS: JSON.stringify(groups.aks),
        BREAKER_AUTOSCALE_SETTINGS: JSON.stringify(groups.autoscale),
        BREAKER_STEP_TO_ZERO: String(stepToZero),
        BREAKER_FORECAST_PERCENT: String(BREAKER_PERCENT),
    };
}

const uniq = (xs: string[]) => [...new Set(xs)];

/** The URL the action group posts to: the function's route with the host function key (a secret). */
export function azureTriggerUrl(host: string, functionKey: string): string {
    return `https://${host}/api/${AZURE_BREAKER_FUNCTION}?code=${encodeURIComponent(functionKey)}`;
}

/**
 * The host's default function key, or a thrown error: an empty key made a trigger URL ending in
 * `code=`, which the function refuses with 401, so every budget alert would fail silently at run
 * time. Thrown inside the apply, it fails `pulumi up` instead, with this message. azure-native
 * 3.28 has no function-key resource to declare one (only listWebAppFunctionKeys/HostKeys), and a
 * Consumption app's host creates the key when it first starts: a `pulumi up` right after the
 * app's creation may meet it missing; the next one reads it.
 */
export function azureFunctionKeyOf(keys: { functionKeys?: Record<string, string> }): string {
    const key = keys.functionKeys?.default;
    if (typeof key !== "string" || key.length === 0) {
        throw new Error(
            "llm-serving breaker (Azure): the Function App has no default host function key yet (listWebAppHostKeys returned none), so the action group's trigger URL cannot be built; the Functions host creates it when it first starts: run `pulumi up` again in a few minutes.",
        );
    }
    return key;
}

/** The breaker's resources under one component (its type is what the pack looks for). */
class AzureBreakerComponent extends pulumi.ComponentResource {
    constructor(name: string) {
        super(AZURE_BREAKER_COMPONENT, name, {});
    }
    done(): void {
        this.registerOutputs({});
    }
}

export function azureBreaker(name: string, args: BreakerArgs): BreakerTriggers {
    const registered: ReadonlyArray<AzureBreakerGroup> = azureBreakerGroups();
    const location = args.scopes.azure?.location;
    if (registered.length === 0 || location === undefined) {
        // gpuVm alone: no scaled group to step down, so no function; the budget still alerts.
        void pulumi.log.info("llm-serving breaker: no scaled Azure group (aksGpu pools, azureMl autoscale) in this stack: no Azure breaker declared");
        return {};
    }
    const tags = costLabels(args.config);
    // One component, so the plan shows the breaker's resources together and the pack finds them (policies/breaker/azure.ts).
    const component = new AzureBreakerComponent(name);
    const opts = { parent: component };
    const client = authorization.getClientConfigOutput(opts);
    const group = new resources.ResourceGroup(`${name}-rg`, { location, tags }, opts);

    const accountName = client.subscriptionId.apply((id) => storageAccountName(id, args.config.stack, name));
    const account = new storage.StorageAccount(`${name}-storage`, {
        accountName,
        resourceGroupName: group.name,
        location,
        kind: "StorageV2",
        sku: { name: "Standard_LRS" },
        accessTier: "Hot",
        allowBlobPublicAccess: false,
        minimumTlsVersion: "TLS1_2",
        enableHttpsTrafficOnly: true,
        // The Functions host (AzureWebJobsStorage connection string) and the package SAS use the key.
        allowSharedKeyAccess: true,
        tags,
    }, opts);
    const container = new storage.BlobContainer(`${name}-package`, { accountName: account.name, resourceGroupName: group.name, containerName: "breaker-package", publicAccess: "None" }, opts);
    const blobName = azurePackageBlobName();
    const blob = new storage.Blob(`${name}-package`, {
        accountName: account.name,
        resourceGroupName: group.name,
        containerName: container.name,
        blobName,
        type: "Block",
        contentType: "application/zip",
        source: breakerArchive("azure", azurePackageFiles()),
    }, opts);
    const keys = storage.listStorageAccountKeysOutput({ accountName: account.name, resourceGroupName: group.name }, opts);
    const connection = pulumi.secret(
        pulumi.interpolate`DefaultEndpointsProtocol=https;AccountName=${account.name};AccountKey=${keys.keys[0].value};EndpointSuffix=core.windows.net`,
    );
    const sas = storage.listStorageAccountServiceSASOutput({
        accountName: account.name,
        resourceGroupName: group.name,
        protocols: "https",
        permissions: "r",
        resource: "b",
        sharedAccessExpiryTime: AZURE_BREAKER_SAS_EXPIRY,
        canonicalizedResource: pulumi.interpolate`/blob/${account.name}/${container.name}/${blob.name}`,
    }, opts);
    const packageUrl = pulumi.secret(pulumi.interpolate`https://${account.name}.blob.core.windows.net/${container.name}/${blob.name}?${sas.serviceSasToken}`);

    const workspace = new operationalinsights.Workspace(
        `${name}-logs`,
        { resourceGroupName: group.name, location, sku: { name: "PerGB2018" }, retentionInDays: AZURE_BREAKER_LOGS.retentionInDays, workspaceCapping: { dailyQuotaGb: AZURE_BREAKER_LOGS.dailyQuotaGb }, tags },
        opts,
    );
    const insights = new applicationinsights.Component(
        `${name}-insights`,
        { resourceGroupName: group.name, location, kind: "web", applicationType: "web", ingestionMode: "LogAnalytics", workspaceResourceId: workspace.id, tags },
        opts,
    );
    // The connection string carries the ingestion key: a secret app setting, like the storage key.
    const insightsConnection = pulumi.secret(insights.connectionString);

    const plan = new web.AppServicePlan(`${name}-plan`, { resourceGroupName: group.name, location, kind: "functionapp", reserved: true, sku: { name: "Y1", tier: "Dynamic" }, tags }, opts);

    const aks = registered.filter((g) => g.kind === "aks-node-pool").map((g) => g.id);
    const autoscale = registered.filter((g) => g.kind === "azureml-autoscale").map((g) => g.id);
    const settings = pulumi.all([pulumi.all(aks), pulumi.all(autoscale)]).apply(([a, s]) => breakerAppSettings({ aks: a, autoscale: s }, args.stepToZero));
    const app = new web.WebApp(`${name}-app`, {
        resourceGroupName: group.name,
        location,
        kind: "functionapp,linux",
        serverFarmId: plan.id,
        reserved: true,
        httpsOnly: true,
        identity: { type: "SystemAssigned" },
        siteConfig: {
            linuxFxVersion: `Node|${BREAKER_NODE_MAJOR}`,
            minTlsVersion: "1.2",
            ftpsState: "Disabled",
            appSettings: pulumi.all([settings, connection, packageUrl, insightsConnection]).apply(([s, conn, url, ai]) => [
                { name: "FUNCTIONS_EXTENSION_VERSION", value: "~4" },
                { name: "APPLICATIONINSIGHTS_CONNECTION_STRING", value: ai },
                { name: "FUNCTIONS_WORKER_RUNTIME", value: "node" },
                { name: "AzureWebJobsStorage", value: conn },
                { name: "WEBSITE_RUN_FROM_PACKAGE", value: url },
                ...Object.entries(s).map(([k, v]) => ({ name: k, value: v })),
            ]),
        },
        // The plan's line beside the cost table reads the breaker's mode from its function.
        tags: { ...tags, [BREAKER_TAG]: breakerModeOf(args.stepToZero) },
    }, opts);

    // Exactly the calls the function makes, at the targets' resource groups only.
    const scopes = pulumi.all(registered.map((g) => g.resourceGroupId)).apply(uniq);
    const role = new authorization.RoleDefinition(`${name}-role`, {
        scope: scopes.apply((s) => s[0]),
        roleName: azureBreakerRoleName(pulumi.getProject(), pulumi.getStack()),
        description: "llm-serving circuit breaker: lowers the stack's AKS agent pool maxCount and Azure ML autoscale maximum to their baselines (issue 16).",
        roleType: "CustomRole",
        permissions: [{ actions: [...BREAKER_AZURE_ACTIONS], notActions: [], dataActions: [], notDataActions: [] }],
        assignableScopes: scopes,
        // Role names are unique in the tenant: a replacement (a new first scope) must delete the old role first.
    }, { ...opts, deleteBeforeReplace: true });
    // One assignment per resource group (a role assignment has one scope). The ids are not known
    // yet, so the groups are told apart by the value the target registered: every pool of one AKS
    // cluster registers the same resource group id.
    const seen = new Set<unknown>();
    registered.forEach((g) => {
        if (seen.has(g.resourceGroupId)) return;
        seen.add(g.resourceGroupId);
        new authorization.RoleAssignment(
            `${name}-rights-${seen.size}`,
            { principalId: app.identity.apply((id) => id?.principalId ?? ""), principalType: "ServicePrincipal", roleDefinitionId: role.id, scope: g.resourceGroupId },
            opts,
        );
    });

    // The action group calls the function with a host function key: secret, in the trigger URL.
    const hostKeys = web.listWebAppHostKeysOutput({ name: app.name, resourceGroupName: group.name }, opts);
    const triggerUrl = pulumi.secret(
        pulumi.all([app.defaultHostName, hostKeys]).apply(([host, keys]) => azureTriggerUrl(host, azureFunctionKeyOf(keys))),
    );
    const actionGroup = new monitor.ActionGroup(`${name}-trigger`, {
        resourceGroupName: group.name,
        location: "global",
        enabled: true,
        groupShortName: "llmbreaker",
        azureFunctionReceivers: [{ name: "breaker", functionAppResourceId: app.id, functionName: AZURE_BREAKER_FUNCTION, httpTriggerUrl: triggerUrl, useCommonAlertSchema: true }],
        tags,
    }, opts);
    component.done();
    return { azureActionGroupIds: [actionGroup.id] };
}
