import { createHash } from "node:crypto";

/**
 * Storage accounts and key vaults need names unique across all of Azure. Autonamed ones only get
 * their name at creation, so anything built from it (a Key Vault URI in cloud-init, a build
 * context URL) is unknown at a new stack's first preview, exactly where the policy pack must read
 * it. These names are fixed instead by the subscription (known at preview through the client
 * config invoke), the stack and the component: stable across updates, distinct across users.
 */
function digest(subscriptionId: string, stack: string, component: string): string {
    return createHash("sha256").update(`${subscriptionId}/${stack}/${component}`).digest("hex");
}

/** 3-24 lowercase letters and digits. */
export function storageAccountName(subscriptionId: string, stack: string, component: string): string {
    return `llm${digest(subscriptionId, stack, component).slice(0, 21)}`;
}

/** 3-24 letters, digits and hyphens, starting with a letter. */
export function keyVaultName(subscriptionId: string, stack: string, component: string): string {
    return `kv-${digest(subscriptionId, stack, component).slice(0, 21)}`;
}
