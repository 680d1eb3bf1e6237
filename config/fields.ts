import { z } from "zod";

/**
 * Field builders shared by the target schemas. Each carries its own error text, so a failed
 * check reads "must be ..." next to the key path and the offending value.
 */

export function int(min: number, max: number) {
    return z
        .number({ error: `must be a whole number from ${min} to ${max}` })
        .int({ error: `must be a whole number from ${min} to ${max}` })
        .min(min, { error: `must be a whole number from ${min} to ${max}` })
        .max(max, { error: `must be a whole number from ${min} to ${max}` });
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T, what: string) {
    return z.enum(values, { error: `must be one of the supported ${what}: ${values.join(", ")}` });
}

const IPV4_CIDR = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}\/(3[0-2]|[12]?\d)$/;

export const cidr = z
    .string({ error: "must be an IPv4 CIDR such as 203.0.113.0/24" })
    .regex(IPV4_CIDR, { error: "must be an IPv4 CIDR such as 203.0.113.0/24" });

/**
 * Client CIDRs allowed to reach an endpoint. "0.0.0.0/0" is refused on purpose: leaving the list
 * empty is the explicit way to say "any client holding the API key".
 */
export const allowedCidrs = z
    .array(cidr, { error: "must be a list of IPv4 CIDRs" })
    .max(10, { error: "must list at most 10 CIDRs" })
    .refine((list) => !list.includes("0.0.0.0/0"), {
        error: "must not contain 0.0.0.0/0 (leave the list empty to admit any client that holds the API key)",
    })
    .default([]);

/** `{ min, max }` with min <= max, both within [lo, hi]. */
export function range(lo: number, hi: number) {
    return z
        .strictObject({ min: int(lo, hi), max: int(Math.max(lo, 1), hi) }, { error: "must be an object { min, max }" })
        .refine((r) => r.min <= r.max, { error: "min must not exceed max" });
}

/** GCP label values and Azure/AWS tag values alike must fit GCP's label rules, the strictest. */
export const labelValue = z
    .string({ error: "must be a string" })
    .regex(/^[a-z][a-z0-9_-]{0,62}$/, {
        error: "must start with a lowercase letter and hold at most 63 lowercase letters, digits, '-' or '_' (GCP label rules)",
    });

/**
 * A DNS name the endpoint is served on (HTTPS). Lowercase, at least two labels; the same rule for
 * every target, so a name accepted on one is accepted on all.
 */
export const domain = z
    .string({ error: "must be a lowercase DNS name such as llm.example.com" })
    .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
        error: "must be a lowercase DNS name such as llm.example.com",
    });

/**
 * Explicit opt-in to a public endpoint over plain HTTP: clients send the API key as a bearer token,
 * which plain HTTP carries across the network in clear. Development only: the `endpoint-tls`
 * policy is mandatory in prod and refuses the resulting plaintext listener. @default false
 */
export const plaintextHttp = z.boolean({ error: "must be true or false" }).default(false);

/** `domain` and `plaintextHttp: true` contradict each other: the endpoint serves HTTPS only with a domain. */
export function checkPlaintextWithDomain(cfg: { readonly domain?: string; readonly plaintextHttp: boolean }, ctx: z.RefinementCtx): void {
    if (cfg.domain !== undefined && cfg.plaintextHttp) {
        ctx.addIssue({
            code: "custom",
            path: ["plaintextHttp"],
            input: cfg.plaintextHttp,
            message: "must not be true together with domain (the endpoint then serves HTTPS only)",
        });
    }
}

/**
 * Why a public endpoint is neither HTTPS (`domain`) nor explicitly plain HTTP (`plaintextHttp:
 * true`), or undefined. `howTls` says how this target gets its certificate. Checked across the
 * stack (config/index.ts), after the schema: the rule is about what faces the internet.
 */
export function publicPlaintextProblem(
    cfg: { readonly domain?: string; readonly plaintextHttp: boolean },
    isPublic: boolean,
    howTls: string,
): string | undefined {
    if (cfg.domain !== undefined || !isPublic || cfg.plaintextHttp) return undefined;
    return `must be set for a public endpoint, which receives the API key as a bearer token: serve HTTPS under this name (${howTls}), or opt in to plain HTTP with plaintextHttp: true (development only; the endpoint-tls policy refuses it in prod)`;
}
