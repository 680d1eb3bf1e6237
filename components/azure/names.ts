import { createHash } from "node:crypto";

/**
 * Storage accounts and key vaults need names unique across all of Azure. Autonamed ones only get
 * their name at creation, so anything built from it (a Key Vault URI in cloud-init, a build
 * context URL) is unknown at a new stack's first preview, exactly where the policy pack must read
 * it. These names are fixed instead by the subscription (known at preview through the client
 * config invoke), the stack and the component: stable across updates, distinct across users.
 */
function digest(subscriptionId: string, stack: string, component: string, kind?: string): string {
    return createHash("sha256")
        .update(`${subscriptionId}/${stack}/${component}${kind ? `/${kind}` : ""}`)
        .digest("hex");
}

/** 3-24 lowercase letters and digits. */
export function storageAccountName(subscriptionId: string, stack: string, component: string): string {
    return `llm${digest(subscriptionId, stack, component).slice(0, 21)}`;
}

/** 3-24 letters, digits and hyphens, starting with a letter. */
export function keyVaultName(subscriptionId: string, stack: string, component: string): string {
    return `kv-${digest(subscriptionId, stack, component).slice(0, 21)}`;
}

/**
 * 5-50 letters and digits (ARM: `^[a-zA-Z0-9]*$`), unique across Azure (it is the `<name>.azurecr.io`
 * login server). Never autonamed: Pulumi's autoname keeps the logical name's hyphens, which ARM
 * refuses. Salted with the kind so it never equals the storage account name of the same component.
 */
export function containerRegistryName(subscriptionId: string, stack: string, component: string): string {
    return `llmacr${digest(subscriptionId, stack, component, "acr").slice(0, 24)}`;
}

/**
 * Purges the deleted vault named in KV_NAME (subscription KV_SUBSCRIPTION, region KV_LOCATION), run
 * by the deployer with the Azure CLI after the vault is deleted. A deleted vault keeps its name
 * for the soft-delete retention (7 days here), so a stack destroyed and brought up again inside
 * that window would otherwise fail with a name conflict: the names above are fixed per
 * subscription, stack and component so that they are known at preview. Nothing is lost: the vault
 * holds only what the stack writes into it again (a generated key, config secrets).
 */
export const PURGE_DELETED_VAULT = [
    "set -eu",
    ': "${KV_SUBSCRIPTION:?}" "${KV_NAME:?}" "${KV_LOCATION:?}"',
    'if ! az keyvault show-deleted --subscription "${KV_SUBSCRIPTION}" --name "${KV_NAME}" --location "${KV_LOCATION}" --output none 2>/dev/null; then',
    '    echo "no deleted vault ${KV_NAME} to purge" >&2',
    "    exit 0",
    "fi",
    'az keyvault purge --subscription "${KV_SUBSCRIPTION}" --name "${KV_NAME}" --location "${KV_LOCATION}" --only-show-errors',
    "",
].join("\n");
