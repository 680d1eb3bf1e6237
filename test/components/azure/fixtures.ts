/** Shared inputs of the Azure component tests: valid configs and planted secret sentinels. */
export const API_KEY_SENTINEL = "sk-sentinel-azure-4d1f0b";
export const HF_SENTINEL = "hf_sentinel_azure_9e27c3";
export const SECRETS = { apiKey: API_KEY_SENTINEL, hfToken: HF_SENTINEL };
export const SSH_KEY =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJfoWyC9ZHstsumTKS3eh/fuQYXsbvuvDYGhGjnDN5/H test@example.com";

export const AKS = {
    location: "eastus",
    vmSize: "Standard_NC24ads_A100_v4",
    nodes: { min: 1, max: 2 },
    replicas: 2,
    spot: true,
    spotMaxPrice: 1.0,
    apiServerAuthorizedRanges: ["203.0.113.0/24"],
    allowedCidrs: ["198.51.100.0/24"],
    // No domain: plain HTTP, opted in explicitly (the TLS tests set a domain and turn this off).
    plaintextHttp: true,
};
export const AML = {
    location: "eastus",
    instanceType: "Standard_NC24ads_A100_v4",
    instances: { min: 2, max: 3 },
};
export const VM = {
    location: "eastus",
    vmSize: "Standard_NC4as_T4_v3",
    spot: true,
    spotMaxPrice: 0.2,
    sshPublicKey: SSH_KEY,
    sshAllowedCidrs: ["203.0.113.0/24"],
    allowedCidrs: ["203.0.113.0/24"],
    plaintextHttp: true,
};

/** Every string in a JSON value, for "the sentinel appears nowhere" checks (base64 decoded too). */
export function everyText(value: unknown): string {
    const parts: string[] = [];
    const walk = (v: unknown) => {
        if (typeof v === "string") {
            parts.push(v);
            if (/^[A-Za-z0-9+/]{40,}={0,2}$/.test(v)) parts.push(Buffer.from(v, "base64").toString("utf8"));
        } else if (Array.isArray(v)) v.forEach(walk);
        else if (v !== null && typeof v === "object") Object.values(v).forEach(walk);
    };
    walk(value);
    return parts.join("\n");
}
