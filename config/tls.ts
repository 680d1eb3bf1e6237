/**
 * The stack's TLS certificate: light shape checks on the PEM config values and the split of a
 * certificate file into leaf and chain. Pure; never returns or prints a value it was given.
 */

/**
 * Stand-in the offline plan passes for a `secure:` value it cannot decrypt (plan/stackFiles.ts
 * re-exports it). PEM checks skip it: the real value is checked when Pulumi runs the program with
 * the stack's secrets decrypted. The engine never hands a program this string for a real secret.
 */
export const UNDECRYPTED_SECRET = "<secure value, not decrypted by the plan>";

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+?-----END CERTIFICATE-----/g;
const KEY_BLOCK = /^\s*-----BEGIN (RSA |EC )?PRIVATE KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END \1PRIVATE KEY-----\s*$/;

/** Why `pem` is not a certificate file (one or more CERTIFICATE blocks, leaf first), or undefined. */
export function certificateProblem(pem: string): string | undefined {
    if (/PRIVATE KEY-----/.test(pem)) {
        return "must hold certificates only; put the private key in llm-serving:tlsPrivateKey";
    }
    const blocks = pem.match(CERT_BLOCK) ?? [];
    const rest = pem.replace(CERT_BLOCK, "").trim();
    if (blocks.length === 0 || rest.length > 0) {
        return "must be a PEM certificate: -----BEGIN CERTIFICATE----- ... -----END CERTIFICATE----- (the server certificate first, then any intermediates)";
    }
    return undefined;
}

/** Why `pem` is not an unencrypted PEM private key, or undefined. */
export function privateKeyProblem(pem: string): string | undefined {
    if (/ENCRYPTED PRIVATE KEY/.test(pem)) {
        return "must be an unencrypted PEM private key (the servers have no passphrase to open it)";
    }
    if (!KEY_BLOCK.test(pem)) {
        return "must be one PEM private key: -----BEGIN PRIVATE KEY----- (or RSA/EC PRIVATE KEY) ... -----END PRIVATE KEY-----";
    }
    return undefined;
}

/** Leaf certificate and the intermediates after it (undefined when there are none), as ACM wants them. */
export function splitCertificateChain(pem: string): { body: string; chain?: string } {
    const blocks = pem.match(CERT_BLOCK) ?? [];
    if (blocks.length === 0) return { body: pem };
    const [body, ...chain] = blocks;
    return { body: `${body}\n`, ...(chain.length > 0 ? { chain: `${chain.join("\n")}\n` } : {}) };
}
