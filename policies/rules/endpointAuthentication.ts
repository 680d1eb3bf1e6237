import { ResourceValidationPolicy } from "@pulumi/policy";
import { dockerImagesIn, elementsOf, readIn, stringOf } from "../inspect";
import { AZURE_ML } from "../model/azure/ml";
import { GCE_MACHINES } from "../model/gcp/compute";
import { GCP_NET } from "../model/gcp/network";
import { Read, readAt } from "../model/read";
import { ContainerAt, ModelServerSelector, containerLabel, containersOf, isModelServer, modelPortsSchema, modelServerImagesSchema } from "../workloads";

export interface EndpointAuthenticationConfig extends ModelServerSelector {
    allowedAzureMlAuthModes?: string[];
    apiKeyEnvNames?: string[];
}

const ML_ENDPOINT = AZURE_ML.onlineEndpoint;
const BACKEND_SERVICES: ReadonlySet<string> = new Set([GCP_NET.backendService]);
const GCP_MACHINES: ReadonlySet<string> = new Set(GCE_MACHINES);
/** Load-balancing schemes that face the internet (EXTERNAL is the API's default). */
const EXTERNAL_SCHEMES = ["EXTERNAL", "EXTERNAL_MANAGED"];

/**
 * Every serving target authenticates its clients (origin: Microsoft's Azure ML auth guidance,
 * which ranks Key < AMLToken < AADToken and has no anonymous mode worth using; vLLM security
 * docs; CKV_K8S_35 for the Secret ref). Azure ML endpoints: `authMode` one of the allowed
 * modes. GCP: an internet-facing backend service has a Cloud Armor policy, and a startup script
 * that runs a model server hands it the API key env var read from Secret Manager. Kubernetes
 * (AKS Deployments, EKS RayService workers): the model server container gets the API key env var
 * from a Secret ref. A reference unknown at preview (a policy's self link, a secret's name) still
 * counts as set: only its presence matters here.
 */
export const endpointAuthentication: ResourceValidationPolicy = {
    name: "endpoint-authentication",
    description: "Model endpoints must authenticate clients: Azure ML authMode Key/AADToken, GCP backends behind Cloud Armor with the API key from Secret Manager, Kubernetes model servers with the API key from a Secret ref.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowedAzureMlAuthModes: {
                type: "array",
                items: { type: "string", enum: ["Key", "AMLToken", "AADToken"] },
                minItems: 1,
                uniqueItems: true,
                default: ["Key", "AMLToken", "AADToken"],
                description: "Azure ML online endpoint auth modes allowed here (there is no anonymous mode on the list to allow).",
            },
            apiKeyEnvNames: {
                type: "array",
                items: { type: "string", minLength: 1 },
                minItems: 1,
                default: ["VLLM_API_KEY", "LLAMA_API_KEY"],
                description: "Environment variables model servers read their API key from (vLLM, llama.cpp).",
            },
            modelServerImages: modelServerImagesSchema,
            modelPorts: modelPortsSchema,
        },
    },
    validateResource: (args, reportViolation) => {
        const config = args.getConfig<EndpointAuthenticationConfig>();
        const report = (message: string) => reportViolation(`${args.name} [${args.type}]: ${message}`, args.urn);
        if (args.type === ML_ENDPOINT || isGenericMlEndpoint(args.props)) {
            checkAzureMlAuth(args.props, config.allowedAzureMlAuthModes ?? ["Key", "AMLToken", "AADToken"], report);
        } else if (BACKEND_SERVICES.has(args.type)) {
            checkCloudArmor(args.props, report);
        } else if (GCP_MACHINES.has(args.type)) {
            checkStartupScriptKey(args.props, config, report);
        } else {
            for (const container of containersOf(args.type, args.props)) {
                // Ray Serve replicas run on workers; the head only schedules and proxies.
                if (container.role !== "ray-head" && !container.init && isModelServer(container.read, config)) {
                    checkContainerKey(container, config.apiKeyEnvNames ?? [], report);
                }
            }
        }
    },
};

function isGenericMlEndpoint(props: unknown): boolean {
    const namespace = stringOf(readAt(props, ["resourceProviderNamespace"]));
    const type = stringOf(readAt(props, ["resourceType"]));
    return namespace?.toLowerCase() === "microsoft.machinelearningservices" && /(^|\/)onlineendpoints$/i.test(type ?? "");
}

function checkAzureMlAuth(props: unknown, allowed: ReadonlyArray<string>, report: (m: string) => void): void {
    const mode = readAt(props, ["properties", "authMode"]);
    const fix = `Set properties.authMode to one of: ${allowed.join(", ")}.`;
    if (mode.state === "unknown") {
        report(`${mode.field} is unknown at preview, so client authentication cannot be checked. ${fix}`);
    } else if (mode.state === "absent") {
        report(`${mode.field} is not set. ${fix}`);
    } else if (!allowed.some((m) => typeof mode.value === "string" && m.toLowerCase() === mode.value.toLowerCase())) {
        report(`${mode.field} is not an allowed authentication mode. ${fix}`);
    }
}

function checkCloudArmor(props: unknown, report: (m: string) => void): void {
    const scheme = readAt(props, ["loadBalancingScheme"]);
    if (scheme.state === "known" && !EXTERNAL_SCHEMES.includes(String(scheme.value).toUpperCase())) {
        return;
    }
    const policy = readAt(props, ["securityPolicy"]);
    if (policy.state === "absent" || (policy.state === "known" && String(policy.value).trim() === "")) {
        report("an internet-facing backend service has no Cloud Armor policy. Set securityPolicy to a policy that admits only /v1/ routes (and the allowed client ranges).");
    }
}

/** Script sources of a GCP machine: metadata startup-script and metadataStartupScript. */
export function gcpStartupScripts(props: unknown): Read[] {
    return [readAt(props, ["metadata", "startup-script"]), readAt(props, ["metadataStartupScript"])].filter((r) => r.state !== "absent");
}

function checkStartupScriptKey(props: unknown, config: EndpointAuthenticationConfig, report: (m: string) => void): void {
    const images = (config.modelServerImages ?? []).map((i) => i.toLowerCase());
    const envNames = config.apiKeyEnvNames ?? [];
    for (const script of gcpStartupScripts(props)) {
        if (script.state === "unknown") {
            report(`${script.field} is unknown at preview, so how the model server gets its API key cannot be checked. Build the script from values known at preview (secret and account names).`);
            continue;
        }
        const text = stringOf(script) ?? "";
        const runsModelServer = dockerImagesIn(text).some((image) => images.some((f) => image.toLowerCase().includes(f)));
        if (!runsModelServer) {
            continue;
        }
        if (!envNames.some((name) => text.includes(name))) {
            report(`${script.field} runs a model server without an API key. Deliver ${envNames.join(" or ")} to its container.`);
        } else if (!text.includes("secretmanager.googleapis.com")) {
            report(`${script.field} gives the model server an API key that is not read from Secret Manager. Read ${envNames.join(" or ")} from a Secret Manager secret at boot.`);
        }
    }
}

function checkContainerKey(container: ContainerAt, envNames: ReadonlyArray<string>, report: (m: string) => void): void {
    const label = containerLabel(container);
    const fix = `Set env ${envNames.join(" or ")} with valueFrom.secretKeyRef (name and key of a Secret).`;
    if (container.read.state === "unknown") {
        report(`${container.field} is unknown at preview, so the model server's API key cannot be checked. ${fix}`);
        return;
    }
    const env = readIn(container.read, ["env"]);
    if (env.state === "unknown") {
        report(`${label}: ${env.field} is unknown at preview, so the model server's API key cannot be checked. ${fix}`);
        return;
    }
    const entry = elementsOf(env).find((e) => envNames.includes(stringOf(readIn(e, ["name"])) ?? ""));
    if (!entry) {
        report(`${label} is a model server with no API key, so anyone who reaches it can use it. ${fix}`);
        return;
    }
    const ref = readIn(entry, ["valueFrom", "secretKeyRef"]);
    const refName = readIn(ref, ["name"]);
    const refKey = readIn(ref, ["key"]);
    if (ref.state === "absent" || refName.state === "absent" || refKey.state === "absent") {
        report(`${label}: the API key env var is not taken from a Secret. ${fix}`);
    }
}
