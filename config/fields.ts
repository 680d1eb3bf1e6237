import { z } from "zod";
import { ADDRESS_LIMITS, AddressPurpose, breadthProblem, Cidr, describeShare, formatCidr, parseCidr } from "../policies/contract/cidr";

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

/**
 * One IPv4 range, written as its network address (`10.0.0.1/8` is refused with the intended
 * `10.0.0.0/8`: host bits set usually mean a typo, and some clouds refuse them). IPv6 is refused
 * by name: every field this schema feeds (NSG prefixes used with IPv4 VNets, EKS publicAccessCidrs,
 * AKS authorizedIPRanges, Cloud Armor rules next to an IPv4 address) is IPv4 here.
 */
export const cidr = z
    .string({ error: "must be an IPv4 CIDR such as 203.0.113.0/24" })
    .superRefine((text, ctx) => {
        if (!IPV4_CIDR.test(text)) {
            const v6 = parseCidr(text);
            ctx.addIssue({
                code: "custom",
                input: text,
                message: v6?.version === 6
                    ? "must be an IPv4 CIDR such as 203.0.113.0/24 (IPv6 ranges are not supported by this field)"
                    : "must be an IPv4 CIDR such as 203.0.113.0/24",
            });
            return;
        }
        const parsed = parseCidr(text)!;
        if (!parsed.canonical) {
            ctx.addIssue({ code: "custom", input: text, message: `must be a network address with the host bits zero: ${formatCidr(parsed)}` });
        }
    });

/**
 * A list of source ranges for `purpose` (see ADDRESS_LIMITS): at most `max` entries, no entry
 * twice, none wider than the purpose's limit, and their union no larger than one such range, so
 * that `0.0.0.0/1` + `128.0.0.0/1` is refused like `0.0.0.0/0`.
 */
export function cidrList(purpose: AddressPurpose, max: number) {
    const limit = ADDRESS_LIMITS[purpose][4];
    return z
        .array(cidr, { error: "must be a list of IPv4 CIDRs" })
        .max(max, { error: `must list at most ${max} CIDRs` })
        .superRefine((list, ctx) => {
            const parsed = list.map((t) => parseCidr(t)).filter((c): c is Cidr => c !== undefined);
            if (parsed.length !== list.length) return; // element errors already say why
            const seen = new Map<string, number>();
            parsed.forEach((c, i) => {
                const key = formatCidr(c);
                if (seen.has(key)) {
                    ctx.addIssue({ code: "custom", path: [i], input: list[i], message: `repeats ${key} (entry ${seen.get(key)}); list each range once` });
                } else {
                    seen.set(key, i);
                }
                if (c.prefix < limit) {
                    ctx.addIssue({
                        code: "custom",
                        path: [i],
                        input: list[i],
                        message: `must be /${limit} or narrower: a /${c.prefix} admits ${describeShare(1n << BigInt(32 - c.prefix), 4)} (${PURPOSE_HINT[purpose]})`,
                    });
                }
            });
            if (parsed.every((c) => c.prefix >= limit)) {
                const problem = breadthProblem(parsed, purpose);
                if (problem) ctx.addIssue({ code: "custom", input: list, message: `must not admit that much of the internet: ${problem} (${PURPOSE_HINT[purpose]})` });
            }
        });
}

const PURPOSE_HINT: Record<AddressPurpose, string> = {
    admin: "name the networks admins and the deployer connect from",
    client: "leave the list empty to admit any client that holds the API key",
};

/**
 * Client CIDRs allowed to reach an endpoint. Never the whole internet, however it is spelt:
 * leaving the list empty is the explicit way to say "any client holding the API key".
 */
export const allowedCidrs = cidrList("client", 10).default([]);

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
/** The namespace a Kubernetes target serves from (a DNS-1123 label), shared by the cluster targets. */
export const kubernetesNamespace = z
    .string({ error: "must be a Kubernetes namespace name" })
    .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, {
        error: "must be a Kubernetes namespace name: lowercase letters, digits and '-', at most 63",
    })
    .default("llm-serving");

export const domain = z
    .string({ error: "must be a lowercase DNS name such as llm.example.com" })
    .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
        error: "must be a lowercase DNS name such as llm.example.com",
    });

/**
 * Refuses repeated entries (compared after `normalize`), naming the duplicate and where it first
 * appeared: list entries become resources or rules with names of their own, and a repeat yields
 * two with the same name, which the engine refuses at deploy time.
 */
export function noDuplicates<T>(what: string, normalize: (v: T) => string = (v) => String(v)) {
    return (list: readonly T[], ctx: z.core.$RefinementCtx) => {
        const seen = new Map<string, number>();
        list.forEach((v, i) => {
            const key = normalize(v);
            const first = seen.get(key);
            if (first !== undefined) {
                ctx.addIssue({ code: "custom", path: [i], input: v, message: `repeats entry ${first}; list each ${what} once` });
            } else {
                seen.set(key, i);
            }
        });
    };
}

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
