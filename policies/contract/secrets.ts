// Whether a string looks like a secret: used by the config loader (never to echo a value that may
// be one) and by the pack's no-plaintext-secrets rule, so both draw the line in the same place.
// Imports only from this contract folder.
import { PLAN_SECRET_PLACEHOLDER } from "./keys";

/** Formats of well-known credentials (names only in messages). */
const CREDENTIAL_FORMATS: ReadonlyArray<{ name: string; pattern: RegExp }> = [
    { name: "a Hugging Face token", pattern: /\bhf_[A-Za-z0-9]{30,}/ },
    { name: "an OpenAI-style API key", pattern: /\bsk-[A-Za-z0-9_-]{20,}/ },
    { name: "an AWS access key id", pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
    { name: "a private key", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
    { name: "a GitHub token", pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}/ },
    { name: "a Google API key", pattern: /\bAIza[0-9A-Za-z_-]{35}/ },
    { name: "a Slack token", pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/ },
];

/**
 * Why `value` looks like a secret, or undefined. A Pulumi secret shows in the offline plan as
 * "[secret]"; under the CLI policies see it in plaintext, so a secret is also recognised by the
 * formats above and, when `highEntropy`, by a run of 32+ letters and digits mixing upper case,
 * lower case and digits (how generated API keys look; hex digests and base64 padding do not).
 */
export function secretLikeReason(value: string, highEntropy: boolean): string | undefined {
    if (value.includes(PLAN_SECRET_PLACEHOLDER)) {
        return "holds a Pulumi secret";
    }
    for (const format of CREDENTIAL_FORMATS) {
        if (format.pattern.test(value)) {
            return `looks like ${format.name}`;
        }
    }
    if (highEntropy) {
        for (const run of value.match(/(?<![A-Za-z0-9+/])[A-Za-z0-9]{32,}(?![A-Za-z0-9+/=])/g) ?? []) {
            if (/[A-Z]/.test(run) && /[a-z]/.test(run) && /\d/.test(run)) {
                return "holds a long random string that looks like a generated key";
            }
        }
    }
    return undefined;
}
