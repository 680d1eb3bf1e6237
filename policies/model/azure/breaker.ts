// What the Azure circuit breaker's own resources cost (issue 16; stack/breaker/azure.ts).
// - The Consumption plan (App Service plan sku Y1, tier Dynamic) bills nothing for existing: its
//   apps bill per execution and per GB-s. Any other plan sku runs machines by the hour and is not
//   priced here: reported unpriced (fails closed).
// - A Function App on it: executions ($0.20 per million) and execution time ($0.000016 per GB-s).
//   The budget notifies the breaker once per threshold crossed (at most five a month, the most
//   notifications an Azure budget takes); BREAKER_INVOCATIONS_PER_MONTH allows for retries and
//   manual tests. Each run is bounded by host.json's functionTimeout (5 minutes) at the plan's
//   largest memory (1,536 MB), so the worst case holds whatever ARM's latency. The subscription's
//   free grant is not counted: other apps of the subscription may use it.
// - A storage account bills the data it holds and the operations on it. The breaker's holds the
//   package (well under 1 MB) and the host's keys and leases; 1 GB and 100,000 operations a month
//   bound it. Other accounts (azureMl's workspace storage) hold what the workload writes, which
//   the stack does not bound: they get the same floor line, labelled as such.
// - The action group's Azure Function receiver: Azure Monitor bills notifications per million;
//   a handful a month rounds to $0 at any notification rate (azure-action-group kind, notify.ts).
// - The custom role, its assignments, the blob container and blob: no charge of their own (role
//   definitions and assignments are free; blob data is billed on the account).
import { usagePrice } from "../../cost/catalog";
import { StackIndex } from "../../cost/graph";
import { Sink } from "../../cost/pricing";
import { Kind } from "../kind";
import { readString } from "../read";

export const AZURE_FUNCTIONS = {
    plan: "azure-native:web:AppServicePlan",
    app: "azure-native:web:WebApp",
    storageAccount: "azure-native:storage:StorageAccount",
    blobContainer: "azure-native:storage:BlobContainer",
    blob: "azure-native:storage:Blob",
    roleDefinition: "azure-native:authorization:RoleDefinition",
} as const;

/** Invocations a month the worst case allows (five budget notifications, retries and tests). */
export const BREAKER_INVOCATIONS_PER_MONTH = 100;
/** host.json functionTimeout, seconds. */
export const BREAKER_TIMEOUT_SECONDS = 300;
/** The Consumption plan's largest memory, GB (1,536 MB). */
export const CONSUMPTION_MAX_MEMORY_GB = 1.5;
/** A storage account's floor: data held (GB) and operations a month (in units of 10,000). */
export const STORAGE_FLOOR = { gb: 1, tenThousandOps: 10 } as const;

function pricePlans(index: StackIndex, sink: Sink): void {
    for (const p of index.ofType(AZURE_FUNCTIONS.plan)) {
        const sku = readString(p.props, ["sku", "name"]);
        if (sink.unusable(p, sku, "sku.name")) continue;
        if (sku.state === "known" && sku.value === "Y1") continue; // Consumption: billed on its apps' executions.
        sink.issue(p, "unpriced", `App Service plan sku ${sku.state === "known" ? sku.value : "(none)"} runs instances by the hour and is not in the catalog; only the Consumption plan (Y1) is priced`, "sku.name");
    }
}

function priceApps(index: StackIndex, sink: Sink): void {
    const time = usagePrice("azure-functions-execution-time");
    const runs = usagePrice("azure-functions-executions");
    for (const a of index.ofType(AZURE_FUNCTIONS.app)) {
        const gbSeconds = BREAKER_INVOCATIONS_PER_MONTH * BREAKER_TIMEOUT_SECONDS * CONSUMPTION_MAX_MEMORY_GB;
        sink.usageLine(a, {
            sku: time.name,
            region: "-",
            quantity: gbSeconds,
            unitUsd: time.usd,
            unit: "GB-s",
            basis: `${BREAKER_INVOCATIONS_PER_MONTH} runs x ${BREAKER_TIMEOUT_SECONDS} s (functionTimeout) x ${CONSUMPTION_MAX_MEMORY_GB} GB (the plan's most), no free grant`,
        });
        sink.usageLine(a, { sku: runs.name, region: "-", quantity: BREAKER_INVOCATIONS_PER_MONTH / 1_000_000, unitUsd: runs.usd, unit: "million executions", basis: `${BREAKER_INVOCATIONS_PER_MONTH} executions a month` });
    }
}

function priceStorageAccounts(index: StackIndex, sink: Sink): void {
    const data = usagePrice("azure-blob-hot-lrs-capacity");
    const ops = usagePrice("azure-blob-hot-write-operations");
    for (const s of index.ofType(AZURE_FUNCTIONS.storageAccount)) {
        sink.usageLine(s, { sku: data.name, region: "-", quantity: STORAGE_FLOOR.gb, unitUsd: data.usd, unit: "GB-month", basis: `${STORAGE_FLOOR.gb} GB held (a floor: a function package and host keys fit in it; workload data is not bounded by the stack)` });
        sink.usageLine(s, { sku: ops.name, region: "-", quantity: STORAGE_FLOOR.tenThousandOps, unitUsd: ops.usd, unit: "10,000 operations", basis: `${STORAGE_FLOOR.tenThousandOps * 10_000} operations a month, each priced as a write (a floor)` });
    }
}

export const AZURE_FUNCTIONS_KINDS: ReadonlyArray<Kind> = [
    { name: "azure-functions-plan", provider: "azure", types: [AZURE_FUNCTIONS.plan], price: pricePlans },
    { name: "azure-function-app", provider: "azure", types: [AZURE_FUNCTIONS.app], price: priceApps },
    { name: "azure-storage-account", provider: "azure", types: [AZURE_FUNCTIONS.storageAccount], price: priceStorageAccounts },
    { name: "azure-storage-blob", provider: "azure", types: [AZURE_FUNCTIONS.blobContainer, AZURE_FUNCTIONS.blob] },
    { name: "azure-role-definition", provider: "azure", types: [AZURE_FUNCTIONS.roleDefinition] },
];
