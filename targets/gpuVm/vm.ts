import { ModelServerSpec, shellQuote } from "../../components/serving";
import {
    ROUTE_GUARD_GROUP,
    ROUTE_GUARD_IMAGE,
    ROUTE_GUARD_KEY_ENV,
    ROUTE_GUARD_TEMPLATE_DIR,
    ROUTE_GUARD_TEMPLATE_FILE,
    ROUTE_GUARD_TLS_DIR,
    routeGuardConf,
    routeGuardEnvsubstFilter,
    routeGuardPort,
} from "../../components/k8s/routeGuard";
import { FETCH_FUNCTION, REQUIRE_VALUE_FUNCTION } from "../../components/secretFetch";
import { METRICS_COLLECTOR_CONTAINER } from "../../policies/contract/observability";
import { vmCollectorConfigScript, vmCollectorStartScript } from "./metrics";
import type { MetricServer } from "../../components/observability/signals";

/**
 * Pure builders for the single-VM target: its network security rules and its cloud-init.
 */

/** Ubuntu 22.04 LTS, Gen2 (GPU sizes need Gen2; Canonical's NVIDIA packages support it). */
export const VM_IMAGE = { publisher: "Canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts-gen2", version: "latest" } as const;
export const VNET_RANGE = "10.30.0.0/16";
export const SUBNET_RANGE = "10.30.1.0/24";
/** A fixed private address, so the endpoint is known before apply even without a public IP. */
export const VM_PRIVATE_IP = "10.30.1.10";
/** The model port clients use (the route guard listens there; the server itself is not published). */
export const MODEL_PORT = 8000;
/** The client port with TLS (the route guard terminates it); MODEL_PORT is then not published. */
export const HTTPS_PORT = 443;

/** The port clients reach the route guard on. */
export function clientPort(tls: boolean): number {
    return tls ? HTTPS_PORT : MODEL_PORT;
}

export interface NsgRule {
    readonly name: string;
    readonly priority: number;
    readonly direction: "Inbound";
    readonly access: "Allow";
    readonly protocol: "Tcp";
    readonly sourceAddressPrefixes: string[];
    readonly sourcePortRange: "*";
    readonly destinationAddressPrefix: "*";
    readonly destinationPortRange: string;
    readonly description: string;
}

/**
 * Inbound rules: the client port (443 with TLS, else the model port) from the allowed CIDRs (the
 * virtual network when none are set), SSH only from `sshCidrs`, and nothing from `*` or Internet:
 * Azure's default rules deny the rest.
 */
export function nsgRules(allowedCidrs: readonly string[], sshCidrs: readonly string[], tls = false): NsgRule[] {
    const rule = (name: string, priority: number, sources: string[], port: number, description: string): NsgRule => ({
        name,
        priority,
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        sourceAddressPrefixes: sources,
        sourcePortRange: "*",
        destinationAddressPrefix: "*",
        destinationPortRange: String(port),
        description,
    });
    return [
        rule(
            "allow-model-clients",
            100,
            allowedCidrs.length > 0 ? [...allowedCidrs] : [VNET_RANGE],
            clientPort(tls),
            `OpenAI /v1 routes through the route guard${tls ? " (HTTPS)" : ""}, from allowed client ranges only`,
        ),
        ...(sshCidrs.length > 0 ? [rule("allow-ssh-admins", 200, [...sshCidrs], 22, "SSH from admin ranges only")] : []),
    ];
}

export interface CloudInitArgs {
    readonly server: ModelServerSpec;
    /** Install the NVIDIA driver and container toolkit and pass GPUs to the container. */
    readonly gpu: boolean;
    /** Key Vault name and the names of the secrets in it; never values. */
    readonly vaultName: string;
    readonly apiKeySecret: string;
    readonly hfTokenSecret?: string;
    /** Key Vault secrets holding the PEM certificate and key: the route guard serves HTTPS on 443. */
    readonly tls?: { readonly certificateSecret: string; readonly privateKeySecret: string };
    /**
     * Key Vault secret holding the Azure Monitor ingestion URL: a metrics collector runs beside the
     * server, keeping the series of `server`'s build (vLLM on GPU sizes, llama.cpp on CPU sizes).
     */
    readonly metrics?: { readonly ingestionUrlSecret: string; readonly server: MetricServer };
}

const HOST_CACHE_DIR = "/var/lib/llm-serving/cache";
/** Root-only env files on tmpfs: the server's secrets, and the route guard's copy of the key. */
export const ENV_FILE = "/run/llm-serving.env";
export const GUARD_ENV_FILE = "/run/llm-serving-guard.env";
/** The route guard's config template (no key in it: the image's entrypoint substitutes it at start). */
export const GUARD_TEMPLATE_FILE = "/etc/llm-serving/route-guard.conf.template";
/** Root-only directory on tmpfs (/run) for the certificate and key: never on disk. */
export const HOST_TLS_DIR = "/run/llm-serving-tls";

/**
 * The VM's cloud-init (#cloud-config): Docker (and on GPU sizes the NVIDIA driver and container
 * toolkit), then a systemd unit that at every boot reads the secrets from Key Vault with the
 * managed identity into a root-only env file on tmpfs and runs the model server with the route
 * guard in front. customData is readable by anyone who can read the VM, so it carries names and
 * URIs only, never a secret value.
 */
export function buildCloudInit(args: CloudInitArgs): string {
    const { server, tls } = args;
    const guardPort = routeGuardPort(tls !== undefined);
    const vault = `https://${args.vaultName}.vault.azure.net`;
    const secretsScript = `#!/bin/bash
# Reads the model server's secrets from Key Vault with the VM's managed identity. The VM has
# exactly one (user-assigned) identity, so IMDS issues its token without a client_id: the
# script needs no value Azure only assigns at creation, and stays known at preview.
# The unit runs this before the server: an unreadable or empty secret (after retries) fails it,
# and systemd then never starts the server.
set -euo pipefail
umask 077

${FETCH_FUNCTION}

${REQUIRE_VALUE_FUNCTION}

# A Key Vault secret's value into a file (no trailing newline added).
read_secret() {
  fetch "\${WORK}/response" "${vault}/secrets/$1?api-version=7.4" -H "Authorization: Bearer \${TOKEN}"
  jq -j '.value // empty' "\${WORK}/response" > "$2"
  rm -f "\${WORK}/response"
  require_value "$2" "secret $1"
}

# env_line NAME FILE: NAME=<file's content> as docker's --env-file reads it.
env_line() {
  printf '%s=' "$1"
  cat "$2"
  printf '\\n'
}

WORK=$(mktemp -d -p /run llm-serving.XXXXXX)
trap 'rm -rf "\${WORK}"' EXIT

fetch "\${WORK}/token.json" "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net" -H Metadata:true
jq -j '.access_token // empty' "\${WORK}/token.json" > "\${WORK}/token"
require_value "\${WORK}/token" "the managed identity's token"
TOKEN=$(cat "\${WORK}/token")

read_secret ${args.apiKeySecret} "\${WORK}/api-key"
${args.hfTokenSecret ? `read_secret ${args.hfTokenSecret} "\${WORK}/hf-token"
` : ""}{
  env_line ${server.secretEnv.apiKey} "\${WORK}/api-key"
${args.hfTokenSecret ? `  env_line ${server.secretEnv.hfToken} "\${WORK}/hf-token"
` : ""}} > ${ENV_FILE}
# The route guard checks the key too; it gets nothing else.
{
  env_line ${ROUTE_GUARD_KEY_ENV} "\${WORK}/api-key"
  echo 'NGINX_ENVSUBST_FILTER=${routeGuardEnvsubstFilter(true)}'
  echo 'NGINX_ENTRYPOINT_LOCAL_RESOLVERS=1'
} > ${GUARD_ENV_FILE}
${tls ? tlsFiles(tls) : ""}${args.metrics ? vmCollectorConfigScript(args.metrics.ingestionUrlSecret, `model-server:${server.port}`, args.metrics.server) : ""}`;
    const startScript = `#!/bin/bash
# Runs the model server (not published) and the route guard (published on ${clientPort(tls !== undefined)}${tls ? ", HTTPS" : ""}).
set -euo pipefail
# Never without the key (llm-serving-secrets writes it; this refuses a manual start without it).
for f in ${ENV_FILE} ${GUARD_ENV_FILE}; do
  if ! grep -q '^[A-Z_]*API_KEY=.' "\${f}"; then
    echo "llm-serving: no API key in \${f}; not starting" >&2
    exit 1
  fi
done
docker network inspect llm-serving >/dev/null 2>&1 || docker network create llm-serving
docker rm -f model-server route-guard 2>/dev/null || true
mkdir -p ${HOST_CACHE_DIR}
docker run -d --name model-server --network llm-serving --restart unless-stopped \\
  --env-file ${ENV_FILE} ${args.gpu ? "--gpus all --ipc host " : ""}\\
  --volume ${HOST_CACHE_DIR}:/root/.cache \\
  ${server.image} ${server.args.map(shellQuote).join(" ")}
${args.metrics ? vmCollectorStartScript(METRICS_COLLECTOR_CONTAINER, "llm-serving") : ""}docker run -d --name route-guard --network llm-serving --restart unless-stopped \\
  --publish ${clientPort(tls !== undefined)}:${guardPort} \\
  --env-file ${GUARD_ENV_FILE} \\
  --volume ${GUARD_TEMPLATE_FILE}:${ROUTE_GUARD_TEMPLATE_DIR}/${ROUTE_GUARD_TEMPLATE_FILE}:ro \\
${tls ? `  --volume ${HOST_TLS_DIR}/tls.crt:${ROUTE_GUARD_TLS_DIR}/tls.crt:ro --volume ${HOST_TLS_DIR}/tls.key:${ROUTE_GUARD_TLS_DIR}/tls.key:ro \\\n` : ""}  ${ROUTE_GUARD_IMAGE}
`;
    const unit = `[Unit]
Description=llm-serving model server
After=docker.service network-online.target
Wants=network-online.target
Requires=docker.service

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStartPre=/usr/local/bin/llm-serving-secrets
ExecStart=/usr/local/bin/llm-serving-start

[Install]
WantedBy=multi-user.target
`;
    const gpuSetup = args.gpu
        ? [
              "ubuntu-drivers install --gpgpu",
              "curl -fsSL https://nvidia.github.io/libnvidia-container/gpgkey | gpg --dearmor -o /usr/share/keyrings/nvidia-container-toolkit-keyring.gpg",
              "curl -fsSL https://nvidia.github.io/libnvidia-container/stable/deb/nvidia-container-toolkit.list | sed 's#deb https://#deb [signed-by=/usr/share/keyrings/nvidia-container-toolkit-keyring.gpg] https://#g' > /etc/apt/sources.list.d/nvidia-container-toolkit.list",
              "apt-get update && apt-get install -y nvidia-container-toolkit",
              "nvidia-ctk runtime configure --runtime=docker && systemctl restart docker",
          ]
        : [];
    const runcmd = [
        ...gpuSetup,
        "systemctl daemon-reload",
        "systemctl enable llm-serving.service",
        // The driver's kernel module may need a reboot to load; the unit starts the server afterwards.
        args.gpu ? "if nvidia-smi; then systemctl start llm-serving.service; else shutdown -r +1; fi" : "systemctl start llm-serving.service",
    ];
    const file = (path: string, permissions: string, content: string) =>
        `  - path: ${path}\n    permissions: "${permissions}"\n    owner: root:root\n    content: |\n${indent(content, 6)}`;
    return `#cloud-config
# Generated by llm-serving (gpuVm target, cloud-init). No secret values: they are read from Key Vault at boot.
package_update: true
packages:
  - docker.io
  - jq
  - curl
  - gnupg
${args.gpu ? "  - ubuntu-drivers-common\n" : ""}write_files:
${file("/usr/local/bin/llm-serving-secrets", "0700", secretsScript)}
${file("/usr/local/bin/llm-serving-start", "0700", startScript)}
${file(GUARD_TEMPLATE_FILE, "0644", routeGuardConf({
    upstream: `model-server:${server.port}`,
    // Docker's embedded DNS (the container's resolver): the guard starts before the server's name exists.
    resolve: true,
    ...(tls ? { tls: { certificateFile: `${ROUTE_GUARD_TLS_DIR}/tls.crt`, privateKeyFile: `${ROUTE_GUARD_TLS_DIR}/tls.key` } } : {}),
}))}
${file("/etc/systemd/system/llm-serving.service", "0644", unit)}
runcmd:
${runcmd.map((c) => `  - ${JSON.stringify(c)}`).join("\n")}
`;
}

/**
 * Shell lines that write the certificate and key from Key Vault into HOST_TLS_DIR: the directory
 * root-only, the files readable by root and the route guard's group (the container mounts the
 * files themselves, so the directory stays closed to everyone else).
 */
function tlsFiles(tls: NonNullable<CloudInitArgs["tls"]>): string {
    return `install -d -m 0700 -o root -g root ${HOST_TLS_DIR}
read_secret ${tls.certificateSecret} ${HOST_TLS_DIR}/tls.crt
read_secret ${tls.privateKeySecret} ${HOST_TLS_DIR}/tls.key
chown root:${ROUTE_GUARD_GROUP} ${HOST_TLS_DIR}/tls.crt ${HOST_TLS_DIR}/tls.key
chmod 0440 ${HOST_TLS_DIR}/tls.crt ${HOST_TLS_DIR}/tls.key
`;
}

function indent(text: string, spaces: number): string {
    const pad = " ".repeat(spaces);
    return text
        .replace(/\n$/, "")
        .split("\n")
        .map((l) => (l.length > 0 ? pad + l : l))
        .join("\n") + "\n";
}
