import { createHash } from "node:crypto";
import { ALL_TARGETS } from "../targets";
import type { MockInvoke, MockOutputs } from "../targets/definition";

export type { MockInvoke, MockOutputs };

/*
 * Outputs a cloud would compute, for the resources whose computed outputs the program reads
 * (emails, addresses, kubeconfigs). Under mocks a resource's state is its inputs plus these.
 * Values are fixed and obviously fake (documentation IP ranges, example.invalid hosts). A type only
 * one target registers is mocked in that target's folder (its definition's mockOutputs and
 * mockInvokes); this file holds the ones of a whole provider, which several targets (or the next
 * target on that cloud) register, and merges the two.
 */

/**
 * Every GCP compute resource has a computed `selfLink` (and most an `instanceGroup`-style link);
 * programs pass these between resources (e.g. a backend's `securityPolicy`), so the mock gives
 * each one in the API's own shape.
 */
export function gcpComputeSelfLink(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const m = /^gcp:compute\/(\w+):(\w+)$/.exec(type);
    if (!m) return {};
    // "SecurityPolicy" -> "securityPolicies", "URLMap" -> "urlMaps", as the Compute API spells collections.
    const singular = m[2].replace(/^[A-Z]+(?=[A-Z][a-z])|^[A-Z]/, (head) => head.toLowerCase());
    const kind = singular.endsWith("y") ? `${singular.slice(0, -1)}ies` : `${singular}s`;
    const project = String(inputs.project ?? "mock-project");
    const scope = typeof inputs.region === "string" ? `regions/${inputs.region}` : "global";
    const selfLink = `https://www.googleapis.com/compute/v1/projects/${project}/${scope}/${kind}/${name}`;
    return { selfLink, ...(m[2] === "InstanceTemplate" ? { selfLinkUnique: `${selfLink}?uniqueId=1` } : {}) };
}

/** Mocks of types several targets register (or a GKE target would): GCP identities, secrets and addresses, Azure groups, identities and vaults, generated keys, LoadBalancer Services. */
const PROVIDER_MOCK_OUTPUTS: Record<string, MockOutputs> = {
    "gcp:serviceaccount/account:Account": (_name, inputs) => ({
        email: `${String(inputs.accountId)}@${String(inputs.project ?? "mock-project")}.iam.gserviceaccount.com`,
        member: `serviceAccount:${String(inputs.accountId)}@${String(inputs.project ?? "mock-project")}.iam.gserviceaccount.com`,
    }),
    "gcp:compute/globalAddress:GlobalAddress": () => ({ address: "198.51.100.10" }),
    "gcp:secretmanager/secret:Secret": (name, inputs) => ({
        name: `projects/${String(inputs.project ?? "mock-project")}/secrets/${String(inputs.secretId ?? name)}`,
    }),
    "random:index/randomPassword:RandomPassword": () => ({ result: "mock-generated-api-key" }),
    // Azure: autonamed resources get their logical name; computed ids are fake.
    "azure-native:resources:ResourceGroup": (name) => ({ name }),
    "azure-native:managedidentity:UserAssignedIdentity": (name) => ({
        name,
        principalId: "00000000-0000-4000-8000-00000000a001",
        clientId: "00000000-0000-4000-8000-00000000a002",
    }),
    "azure-native:keyvault:Vault": (name, inputs) => ({
        name,
        properties: { ...(inputs.properties as object), vaultUri: `https://${name}.vault.azure.net/` },
    }),
    "kubernetes:core/v1:Service": () => ({ status: { loadBalancer: { ingress: [{ ip: "198.51.100.30" }] } } }),
    // Notification channels (components/notify/): the names budgets and alerts refer to.
    "gcp:monitoring/notificationChannel:NotificationChannel": (name, inputs) => ({
        name: `projects/${String(inputs.project ?? "mock-project")}/notificationChannels/${name}`,
    }),
    "aws:sns/topic:Topic": (name, inputs) => ({ arn: `arn:aws:sns:${String(inputs.region ?? "us-east-1")}:123456789012:${name}`, name }),
    // The Azure breaker's Function App (stack/breaker/azure.ts): its host name and identity.
    "azure-native:web:WebApp": (name) => ({
        name,
        defaultHostName: `${name}.azurewebsites.net`,
        identity: { type: "SystemAssigned", principalId: "00000000-0000-4000-8000-00000000b001", tenantId: "00000000-0000-4000-8000-00000000c004" },
    }),
};


/** Results of invokes (data sources) several targets call, keyed by invoke token. */
const PROVIDER_MOCK_INVOKES: Record<string, MockInvoke> = {
    // The project NUMBER the GCP budget's filter names (stack/budgets.ts): a stable 12-digit stand-in
    // derived from the id, so the plan shows the number-like value the API reads back.
    "gcp:organizations/getProject:getProject": (inputs) => {
        const projectId = String(inputs.projectId ?? "mock-project");
        const digest = createHash("sha256").update(projectId).digest();
        const number = String(100000000000 + (digest.readUInt32BE(0) % 900000000000));
        return { projectId, number, name: projectId, id: `projects/${projectId}`, labels: {}, effectiveLabels: {}, autoCreateNetwork: true };
    },
    // The account the AWS alert topic's key and topic policies name (components/notify/aws.ts).
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({ accountId: "123456789012", arn: "arn:aws:iam::123456789012:user/plan", userId: "AIDAPLAN", id: "123456789012" }),
    // The Azure breaker (stack/breaker/azure.ts): its storage key, the package's SAS and the host's function key. Fake values.
    "azure-native:storage:listStorageAccountKeys": () => ({ keys: [{ keyName: "key1", value: "bW9jay1zdG9yYWdlLWtleQ==", permissions: "FULL" }] }),
    "azure-native:storage:listStorageAccountServiceSAS": () => ({ serviceSasToken: "sv=2022-11-02&sr=b&sp=r&se=2030-12-31&sig=mock" }),
    "azure-native:web:listWebAppHostKeys": () => ({ masterKey: "mock-master-key", functionKeys: { default: "mock-function-key" }, systemKeys: {} }),
    "azure-native:authorization:getClientConfig": () => ({
        clientId: "00000000-0000-4000-8000-00000000c001",
        objectId: "00000000-0000-4000-8000-00000000c002",
        subscriptionId: "00000000-0000-4000-8000-00000000c003",
        tenantId: "00000000-0000-4000-8000-00000000c004",
    }),
};

/**
 * The provider-wide mocks plus every target's own. A token mocked twice is refused (a second
 * mock would silently win): move it here when a second target registers that type.
 */
export function mergeMocks<T>(provider: Readonly<Record<string, T>>, perTarget: ReadonlyArray<readonly [string, Readonly<Record<string, T>> | undefined]>): Record<string, T> {
    const merged: Record<string, T> = { ...provider };
    const owner = new Map<string, string>(Object.keys(provider).map((token) => [token, "plan/mockOutputs.ts"]));
    for (const [target, mocks] of perTarget) {
        for (const [token, mock] of Object.entries(mocks ?? {})) {
            const first = owner.get(token);
            if (first !== undefined) throw new Error(`${token} is mocked by both ${first} and target ${target}; keep one (shared types belong in plan/mockOutputs.ts)`);
            owner.set(token, `target ${target}`);
            merged[token] = mock;
        }
    }
    return merged;
}

export const MOCK_OUTPUTS: Readonly<Record<string, MockOutputs>> = mergeMocks(PROVIDER_MOCK_OUTPUTS, ALL_TARGETS.map((t) => [t.key, t.mockOutputs] as const));
export const MOCK_INVOKES: Readonly<Record<string, MockInvoke>> = mergeMocks(PROVIDER_MOCK_INVOKES, ALL_TARGETS.map((t) => [t.key, t.mockInvokes] as const));
