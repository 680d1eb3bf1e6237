import { ResourceValidationPolicy } from "@pulumi/policy";
import { secretLikeReason } from "../contract/secrets";
import { decodeUserData, elementsOf, entriesOf, readIn, stringOf } from "../inspect";
import { EC2 } from "../model/aws/ec2";
import { AZURE_VMS } from "../model/azure/compute";
import { AZURE_ML } from "../model/azure/ml";
import { GCE_MACHINES } from "../model/gcp/compute";
import { Read, readAt } from "../model/read";
import { containerLabel, containersOf } from "../workloads";

export interface NoPlaintextSecretsConfig {
    sensitiveNamePattern?: string;
    secretReferencePatterns?: string[];
    gcpMetadataKeysNotSecret?: string[];
    detectHighEntropy?: boolean;
}

const DEFAULTS = {
    sensitiveNamePattern: "TOKEN|KEY|PASSWORD|PASSWD|SECRET|CREDENTIAL|PRIVATE",
    // Azure ML resolves `${{azureml://connections/...}}` at start; App Service style Key Vault refs.
    secretReferencePatterns: ["^\\$\\{\\{azureml://", "^@Microsoft\\.KeyVault\\("],
    // GCP metadata keys with KEY in their name that hold no secret (and the scripts, scanned by value).
    gcpMetadataKeysNotSecret: ["block-project-ssh-keys", "ssh-keys", "startup-script", "shutdown-script", "user-data"],
    detectHighEntropy: true,
} as const;

/** Command-line options whose value is a credential. */
const SECRET_FLAGS = /^--?(api-key|hf-token|token|password|secret)(=|$)/i;

/** User data / custom data fields, base64 or plain, by type. */
const USER_DATA: Readonly<Record<string, ReadonlyArray<ReadonlyArray<string>>>> = {
    [AZURE_VMS.vm]: [["osProfile", "customData"], ["userData"]],
    [AZURE_VMS.scaleSet]: [["virtualMachineProfile", "osProfile", "customData"], ["virtualMachineProfile", "userData"]],
    [EC2.instance]: [["userData"], ["userDataBase64"]],
    [EC2.launchTemplate]: [["userData"]],
};
const GCP_MACHINES: ReadonlySet<string> = new Set(GCE_MACHINES);
const ML_DEPLOYMENT = AZURE_ML.onlineDeployment;

/**
 * Secrets reach workloads by reference (Kubernetes Secret refs, Key Vault, Secret Manager, Azure
 * ML connections), never as literal values in specs that are stored and shown in plaintext
 * (origin: CKV_K8S_35, CKV_AZURE_45, CKV_AWS_46). Checks Kubernetes container env values and
 * arguments, Azure ML deployment environmentVariables, Azure VM customData/userData, AWS userData
 * and GCP instance metadata. A value is a secret when its variable's name says so (TOKEN, KEY,
 * PASSWORD, SECRET, ...) or when the value itself looks like one: a Pulumi secret (the offline
 * plan shows it as "[secret]"; under the CLI policies see plaintext), a known credential format,
 * or a long random key. GCP startup scripts are allowed in metadata (they configure the VM) but
 * scanned by value, since they must name secrets, never hold them. Messages never quote a value.
 */
export const noPlaintextSecrets: ResourceValidationPolicy = {
    name: "no-plaintext-secrets",
    description: "Secrets must be passed by reference, never as literal env values, arguments, VM custom/user data or GCP metadata (CKV_K8S_35, CKV_AZURE_45, CKV_AWS_46).",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            sensitiveNamePattern: {
                type: "string",
                minLength: 1,
                default: DEFAULTS.sensitiveNamePattern,
                description: "Case-insensitive regular expression for variable and metadata names that hold secrets.",
            },
            secretReferencePatterns: {
                type: "array",
                items: { type: "string", minLength: 1 },
                default: [...DEFAULTS.secretReferencePatterns],
                description: "Regular expressions for values that are references resolved at run time, not secrets.",
            },
            gcpMetadataKeysNotSecret: {
                type: "array",
                items: { type: "string", minLength: 1 },
                default: [...DEFAULTS.gcpMetadataKeysNotSecret],
                description: "GCP metadata keys checked by value only (their names mention keys but hold none).",
            },
            detectHighEntropy: {
                type: "boolean",
                default: true,
                description: "Also flag long random strings mixing upper case, lower case and digits (generated keys).",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        const config = args.getConfig<NoPlaintextSecretsConfig>();
        const sensitive = new RegExp(config.sensitiveNamePattern ?? DEFAULTS.sensitiveNamePattern, "i");
        const references = (config.secretReferencePatterns ?? DEFAULTS.secretReferencePatterns).map((p) => new RegExp(p));
        const entropy = config.detectHighEntropy ?? true;
        const report = (message: string) => reportViolation(`${args.name} [${args.type}]: ${message}`, args.urn);
        const isReference = (value: string) => references.some((r) => r.test(value));

        /** A named value: secret by name (unless a reference) or by looks. */
        const checkNamed = (where: string, name: string, value: Read, fix: string) => {
            if (value.state === "absent") {
                return;
            }
            if (value.state === "unknown") {
                if (sensitive.test(name)) {
                    report(`${where} (${name}) is unknown at preview and its name says it holds a secret. ${fix}`);
                }
                return;
            }
            const text = typeof value.value === "string" ? value.value : JSON.stringify(value.value);
            if (isReference(text)) {
                return;
            }
            const why = sensitive.test(name) ? "is named like a secret and set to a literal value" : secretLikeReason(text, entropy);
            if (why) {
                report(`${where} (${name}) ${why}. ${fix}`);
            }
        };
        /** A blob (script, cloud-init): secret only by looks. */
        const checkBlob = (read: Read, fix: string) => {
            if (read.state === "unknown") {
                report(`${read.field} is unknown at preview, so it cannot be checked for secrets. Build it from values known at preview. ${fix}`);
                return;
            }
            if (read.state !== "known") {
                return;
            }
            const why = secretLikeReason(decodeUserData(stringOf(read) ?? JSON.stringify(read.value)), entropy);
            if (why) {
                report(`${read.field} ${why}. ${fix}`);
            }
        };

        for (const container of containersOf(args.type, args.props)) {
            if (container.read.state === "unknown") {
                report(`${container.field} is unknown at preview, so its environment cannot be checked for secrets. Build the pod spec from config.`);
                continue;
            }
            const label = containerLabel(container);
            const fix = "Use valueFrom.secretKeyRef (or a mounted Secret) instead.";
            for (const entry of elementsOf(readIn(container.read, ["env"]))) {
                const name = stringOf(readIn(entry, ["name"])) ?? "?";
                checkNamed(`${label}: ${readIn(entry, ["value"]).field}`, name, readIn(entry, ["value"]), fix);
            }
            for (const key of ["args", "command"]) {
                const words = elementsOf(readIn(container.read, [key]));
                words.forEach((word, i) => {
                    const text = stringOf(word) ?? "";
                    const flag = SECRET_FLAGS.exec(text);
                    if (flag && (flag[2] === "=" || i + 1 < words.length)) {
                        report(`${label}: ${word.field} passes ${flag[1]} on the command line. Pass it in an env var from a Secret ref instead.`);
                    } else if (word.state === "known") {
                        const why = secretLikeReason(text, entropy);
                        if (why) report(`${label}: ${word.field} ${why}. Pass it in an env var from a Secret ref instead.`);
                    }
                });
            }
        }
        if (args.type === ML_DEPLOYMENT) {
            const vars = readAt(args.props, ["properties", "environmentVariables"]);
            if (vars.state === "unknown") {
                report(`${vars.field} is unknown at preview, so it cannot be checked for secrets. Build it from config.`);
            }
            for (const [name, value] of entriesOf(vars)) {
                checkNamed(value.field, name, value, "Store it in a workspace connection or Key Vault and reference it (${{azureml://connections/<name>/credentials/<key>}}).");
            }
        }
        for (const path of USER_DATA[args.type] ?? []) {
            checkBlob(readAt(args.props, path), "Read secrets at boot from Key Vault or Secrets Manager with the VM's identity.");
        }
        if (GCP_MACHINES.has(args.type)) {
            const notSecretByName = new Set(config.gcpMetadataKeysNotSecret ?? DEFAULTS.gcpMetadataKeysNotSecret);
            const fix = "Keep the value in Secret Manager and let the startup script read it by name.";
            const metadata = readAt(args.props, ["metadata"]);
            if (metadata.state === "unknown") {
                report(`${metadata.field} is unknown at preview, so it cannot be checked for secrets. Build it from config.`);
            }
            for (const [key, value] of entriesOf(metadata)) {
                if (notSecretByName.has(key)) {
                    checkBlob(value, fix);
                } else {
                    checkNamed(value.field, key, value, fix);
                }
            }
            const script = readAt(args.props, ["metadataStartupScript"]);
            if (script.state !== "absent") {
                checkBlob(script, fix);
            }
        }
    },
};
