// What the Azure circuit breaker (stack/breaker/azure.ts) acts on, as the targets declare it: each
// scaled group's resource id and its resource group. The targets are declared before the budgets
// and the breaker (index.ts), but nothing hands the breaker the targets' resources, and their
// resource groups are auto-named: so each Azure target registers its groups here and the breaker
// reads them. Registrations are kept per Pulumi run (keyed on the run's resource monitor), so a
// process that plans several stacks in turn (tests, the offline plan) never mixes them.
import * as pulumi from "@pulumi/pulumi";

/** The tag each scaled group carries: the bound it always runs at, which the breaker steps down to. */
export const BASELINE_TAG = "llm-serving-baseline";

export interface AzureBreakerGroup {
    /** How the breaker lowers it: an AKS agent pool's maxCount, or an autoscale setting's profiles' capacity.maximum. */
    readonly kind: "aks-node-pool" | "azureml-autoscale";
    /** The ARM id of the agent pool or the autoscale setting. */
    readonly id: pulumi.Input<string>;
    /** The ARM id of its resource group (where the breaker's role is assigned). */
    readonly resourceGroupId: pulumi.Input<string>;
}

const byRun = new WeakMap<object, AzureBreakerGroup[]>();
const outsideRun: AzureBreakerGroup[] = [];

function runKey(): object | undefined {
    const monitor = pulumi.runtime.getMonitor();
    return typeof monitor === "object" && monitor !== null ? monitor : undefined;
}

function current(): AzureBreakerGroup[] {
    const key = runKey();
    if (key === undefined) return outsideRun;
    let list = byRun.get(key);
    if (list === undefined) {
        list = [];
        byRun.set(key, list);
    }
    return list;
}

/** Called by an Azure target for each group the breaker may lower. */
export function registerAzureBreakerGroup(group: AzureBreakerGroup): void {
    current().push(group);
}

/** The groups this run's targets registered, in declaration order. */
export function azureBreakerGroups(): ReadonlyArray<AzureBreakerGroup> {
    return [...current()];
}

/** `/subscriptions/<s>/resourceGroups/<g>` of an ARM id inside that group. */
export function resourceGroupIdOf(resourceId: string): string {
    const m = /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+)/i.exec(resourceId);
    if (!m) throw new Error(`not an ARM id inside a resource group: ${resourceId}`);
    return m[1];
}
