import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ConfigError } from "../config/errors";
import { NAMESPACE } from "../config/schema";
import type { SharedStackConfig } from "../config/shared";
import type { BudgetsConfig } from "../config/budgets";
import { certificateProblem, privateKeyProblem, UNDECRYPTED_SECRET } from "../config/tls";
import { escapeInvisible, quote, showKey } from "../config/display";
import { TLS_KEYS } from "../config/endpointTls";
import { ALL_TARGETS } from "../targets";
import { stackConfigSchema, TargetsConfig } from "./schema";
import { isTierName, TIER_NAMES, TierName, TIERS } from "./tiers";

/** Config keys that must hold Pulumi secrets (`pulumi config set --secret`). */
export const SECRET_KEYS = ["hfToken", "apiKey", "tlsCertificate", "tlsPrivateKey"] as const;
/** Object-valued keys, validated by the schema. */
const OBJECT_KEYS = ["model", "tags", "targets", "notifications", "budgets", "observability"] as const;
/** A named preset that expands to targets (stack/tiers.ts); a stack sets it or `targets`, never both. */
const TIER_KEY = "tier";
const KNOWN_KEYS: readonly string[] = [...OBJECT_KEYS, TIER_KEY, ...SECRET_KEYS];

/** The stack's configuration, parsed and validated once: the shared settings and each target's block. */
export interface StackConfig extends SharedStackConfig {
    readonly targets: TargetsConfig;
    /** The tier preset the targets came from, when the stack set one. */
    readonly tier?: TierName;
    /** Run-time budgets' settings (`llm-serving:budgets`): the GCP billing account, the breaker. */
    readonly budgets?: BudgetsConfig;
}

/** Config as the Pulumi runtime holds it: full keys ("llm-serving:model") to raw strings. */
export interface RawConfig {
    readonly values: Readonly<Record<string, string>>;
    readonly secretKeys: ReadonlySet<string>;
}

/** Reads and validates this program's configuration from the running Pulumi engine. */
export function loadStackConfig(): StackConfig {
    const values = pulumi.runtime.allConfig();
    // isConfigSecret is exported by the runtime but missing from its type declarations.
    const runtime = pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean };
    const secretKeys = new Set(Object.keys(values).filter((k) => runtime.isConfigSecret?.(k) ?? false));
    return parseStackConfig({ values, secretKeys }, pulumi.getStack());
}

/**
 * The stack names the program can deploy. Pulumi allows more (capitals, dots, underscores), but
 * the name is the `environment` tag on every resource, where GCP's label rules apply, and part of
 * names the clouds refuse other characters in: the breaker's Cloud Function
 * (`llm-serving-breaker-<stack>`, at most 63 characters) and bucket, its Lambda, the EKS cluster.
 * Refused here, before anything is registered, rather than by a cloud halfway through an update.
 */
const STACK_NAME = /^[a-z](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

export function stackNameProblem(stack: string): string | undefined {
    if (STACK_NAME.test(stack)) return undefined;
    return (
        `stack name: got ${quote(stack)}; must be 1 to 40 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen ` +
        `(it is the environment tag on every resource, under GCP's label rules, and part of names the clouds allow no other characters in); ` +
        `create the stack under such a name (pulumi stack init, or pulumi stack rename)`
    );
}

/** Pure: validates raw config and returns the typed config, or throws one ConfigError listing every problem. */
export function parseStackConfig(raw: RawConfig, stack: string): StackConfig {
    const problems: string[] = [];
    const badName = stackNameProblem(stack);
    if (badName) problems.push(badName);
    const own: Record<string, unknown> = {};
    for (const [fullKey, value] of Object.entries(raw.values)) {
        if (!fullKey.startsWith(`${NAMESPACE}:`)) continue; // provider settings such as gcp:project
        const key = fullKey.slice(NAMESPACE.length + 1);
        if (!KNOWN_KEYS.includes(key)) {
            problems.push(`${showKey(fullKey)}: unknown key; allowed keys are ${KNOWN_KEYS.map((k) => `${NAMESPACE}:${k}`).join(", ")}`);
        } else if (raw.secretKeys.has(fullKey) && (OBJECT_KEYS as readonly string[]).includes(key)) {
            // A `secure:` value inside (or as) an object key: none of its fields is a secret, and
            // showing it in a schema error would print the secret (or its ciphertext).
            problems.push(`${fullKey}: must not hold a secret (a secure: value); none of its fields is secret, so set them in plain text and keep secrets in ${SECRET_KEYS.map((k) => `${NAMESPACE}:${k}`).join(", ")} (value not shown)`);
        } else if ((SECRET_KEYS as readonly string[]).includes(key)) {
            if (!raw.secretKeys.has(fullKey)) {
                problems.push(`${fullKey}: must be a secret; set it with: pulumi config set --secret ${fullKey} <value>`);
            } else if (value.length === 0) {
                problems.push(`${fullKey}: must not be empty`);
            } else if (value !== UNDECRYPTED_SECRET) {
                // The plan cannot decrypt `secure:` values; their shape is checked when Pulumi runs.
                const problem =
                    key === TLS_KEYS.certificate
                        ? certificateProblem(value)
                        : key === TLS_KEYS.privateKey
                          ? privateKeyProblem(value)
                          : key === "apiKey"
                            ? apiKeyProblem(value)
                            : undefined;
                if (problem) problems.push(`${fullKey}: ${problem} (value not shown)`);
            }
        } else if (key === TIER_KEY) {
            if (!isTierName(value)) problems.push(`${fullKey}: got ${quote(value)}; must be one of ${TIER_NAMES.join(", ")}`);
            else own[key] = value;
        } else {
            own[key] = parseStructured(fullKey, value, problems);
        }
    }
    const tierKey = `${NAMESPACE}:${TIER_KEY}`;
    if (raw.values[tierKey] !== undefined && raw.values[`${NAMESPACE}:targets`] !== undefined) {
        problems.push(`${tierKey} and ${NAMESPACE}:targets: set one or the other; a tier expands to targets of its own (${TIER_NAMES.join(", ")}: see the README's tier table)`);
    }
    if (problems.length > 0) throw new ConfigError(problems);
    const tier = own[TIER_KEY] as TierName | undefined;
    if (tier !== undefined) {
        delete own[TIER_KEY];
        own.targets = structuredClone(TIERS[tier].targets);
    }

    const result = stackConfigSchema.safeParse(own, { reportInput: true });
    if (!result.success) throw new ConfigError(result.error.issues.map(describeIssue));
    const tlsProblems = [
        ...checkPublicPlaintext(result.data.targets),
        ...checkTls(result.data.targets, (key) => raw.values[`${NAMESPACE}:${key}`] !== undefined),
    ];
    if (tlsProblems.length > 0) throw new ConfigError(tlsProblems);

    const secret = (key: string) => {
        const value = raw.values[`${NAMESPACE}:${key}`];
        return value === undefined ? undefined : pulumi.secret(value);
    };
    return {
        stack,
        model: result.data.model,
        tags: { ...result.data.tags, environment: stack },
        targets: result.data.targets,
        ...(tier !== undefined ? { tier } : {}),
        ...(result.data.notifications !== undefined ? { notifications: result.data.notifications } : {}),
        ...(result.data.budgets !== undefined ? { budgets: result.data.budgets } : {}),
        observability: result.data.observability,
        hfToken: secret("hfToken"),
        apiKey: secret("apiKey"),
        tls:
            raw.values[`${NAMESPACE}:${TLS_KEYS.certificate}`] !== undefined
                ? { certificate: secret(TLS_KEYS.certificate)!, privateKey: secret(TLS_KEYS.privateKey)! }
                : undefined,
    };
}

/**
 * The route guards compare the bearer key inside their nginx config (substituted at start), where
 * quotes, spaces, `$`, `;` or braces would change its meaning: keys are token characters only.
 */
export function apiKeyProblem(value: string): string | undefined {
    return /^[A-Za-z0-9._~+\/=-]+$/.test(value)
        ? undefined
        : "must contain only letters, digits and . _ ~ + / = - (e.g. openssl rand -hex 24)";
}

/**
 * The TLS rules that span keys: certificate and key together; without them, each target says what
 * it cannot serve (a `domain` with no certificate source of its own, gcpSpotL4's `certificate: stack`).
 */
function checkTls(targets: TargetsConfig, isSet: (key: string) => boolean): string[] {
    const cert = `${NAMESPACE}:${TLS_KEYS.certificate}`;
    const key = `${NAMESPACE}:${TLS_KEYS.privateKey}`;
    const hasCert = isSet(TLS_KEYS.certificate);
    if (hasCert !== isSet(TLS_KEYS.privateKey)) {
        const [given, missing] = hasCert ? [cert, key] : [key, cert];
        return [`${missing}: is required when ${given} is set (the certificate and its private key go together)`];
    }
    if (hasCert) return [];
    return targetProblems(targets, (target, value) => target.checkWithoutStackCertificate?.(value) ?? []);
}

/**
 * Every public endpoint serves HTTPS or opts in to plain HTTP explicitly (`plaintextHttp: true`):
 * clients send the API key as a bearer token, which plain HTTP carries in clear. Each target says
 * whether its endpoint is public and how it gets a certificate.
 */
function checkPublicPlaintext(targets: TargetsConfig): string[] {
    return targetProblems(targets, (target, value) => target.checkPlaintext?.(value) ?? []);
}

/** One hook over every configured target, in table order, as "llm-serving:targets.<key>.<field>: ..." lines. */
function targetProblems(
    targets: TargetsConfig,
    check: (target: (typeof ALL_TARGETS)[number], value: unknown) => ReadonlyArray<{ key: string; message: string }>,
): string[] {
    return ALL_TARGETS.flatMap((target) => {
        const value = (targets as Record<string, unknown>)[target.key];
        if (value === undefined) return [];
        return check(target, value).map((p) => `${NAMESPACE}:targets.${target.key}.${p.key}: ${p.message}`);
    });
}

function parseStructured(fullKey: string, value: string, problems: string[]): unknown {
    try {
        return JSON.parse(value);
    } catch {
        problems.push(`${fullKey}: must be an object (set it in Pulumi.<stack>.yaml or with pulumi config set --path), got ${quote(value)}`);
        return undefined;
    }
}

/** "llm-serving:targets.gcpSpotL4.replicas.max: got 0; must be a whole number from 1 to 20". */
export function describeIssue(issue: z.core.$ZodIssue): string {
    const [head, ...rest] = issue.path;
    const key = escapeInvisible(`${NAMESPACE}:${String(head ?? "")}` + rest.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join(""));
    switch (issue.code) {
        case "unrecognized_keys": {
            const parent = key.endsWith(":") ? key.slice(0, -1) : key;
            return issue.keys
                .map((k) => `${parent}.${showKey(k)}: unknown key; allowed keys are ${keysAt(stackConfigSchema, issue.path).join(", ")}`)
                .join("; ");
        }
        case "invalid_type":
            if (issue.input === undefined) return `${key}: is required; ${issue.message}`;
            return `${key}: got ${quote(issue.input)}; ${issue.message}`;
        default:
            return `${key}: got ${quote(issue.input)}; ${issue.message}`;
    }
}

/** The keys an object schema accepts at `path`, looking through defaults, optionals and transforms. */
export function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
    let current: z.ZodType | undefined = schema;
    let i = 0;
    while (current) {
        const def = (current as z.ZodType & { def: Record<string, unknown> & { type: string } }).def;
        if (def.type === "object") {
            const shape = def.shape as Record<string, z.ZodType>;
            if (i === path.length) return Object.keys(shape);
            current = shape[String(path[i++])];
        } else if (def.type === "optional" || def.type === "default" || def.type === "nullable") {
            current = def.innerType as z.ZodType;
        } else if (def.type === "pipe") {
            current = def.in as z.ZodType;
        } else if (def.type === "array" && i < path.length) {
            current = def.element as z.ZodType;
            i++;
        } else {
            return [];
        }
    }
    return [];
}

