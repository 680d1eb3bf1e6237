import { NAMESPACE } from "./schema";
import type { TargetProblem } from "./shared";

/**
 * The wording of the endpoint TLS rules the targets share: a public endpoint serves HTTPS or opts
 * in to plain HTTP, and a domain needs a certificate from somewhere. Each target decides when a
 * rule applies to it (its `checkPlaintext` and `checkWithoutStackCertificate`); the stack config
 * runs them once the schema passed. Pure.
 */

/** The stack's certificate pair (secrets): both or neither; PEM shape checked, never printed. */
export const TLS_KEYS = { certificate: "tlsCertificate", privateKey: "tlsPrivateKey" } as const;

/** "llm-serving:tlsCertificate and llm-serving:tlsPrivateKey (pulumi config set --secret ...)". */
export function stackCertificateKeys(): string {
    const cert = `${NAMESPACE}:${TLS_KEYS.certificate}`;
    const key = `${NAMESPACE}:${TLS_KEYS.privateKey}`;
    const setBoth = `pulumi config set --secret ${cert} "$(cat cert.pem)" and pulumi config set --secret ${key} "$(cat key.pem)"`;
    return `${cert} and ${key} (${setBoth})`;
}

/**
 * A `domain` with no certificate to serve it: `ownSource` names the target's own certificate
 * source when it has one ("set targets.aksGpu.acme (...), or ").
 */
export function domainNeedsCertificate(ownSource = ""): TargetProblem {
    return {
        key: "domain",
        message: `serving HTTPS needs a certificate: ${ownSource}set ${stackCertificateKeys()}; or remove domain and set plaintextHttp: true (development only)`,
    };
}

/**
 * A public endpoint neither HTTPS (`domain`) nor explicitly plain HTTP (`plaintextHttp: true`):
 * clients send the API key as a bearer token, which plain HTTP carries in clear. `howTls` says how
 * this target gets its certificate.
 */
export function publicPlaintextProblems(
    cfg: { readonly domain?: string; readonly plaintextHttp: boolean },
    isPublic: boolean,
    howTls: string,
): TargetProblem[] {
    if (cfg.domain !== undefined || !isPublic || cfg.plaintextHttp) return [];
    return [
        {
            key: "domain",
            message: `got nothing; must be set for a public endpoint, which receives the API key as a bearer token: serve HTTPS under this name (${howTls}), or opt in to plain HTTP with plaintextHttp: true (development only; the endpoint-tls policy refuses it in prod)`,
        },
    ];
}
