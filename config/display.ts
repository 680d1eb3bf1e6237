import { secretLikeReason } from "../policies/contract/secrets";

/**
 * How a config value or key is shown in a message: JSON-quoted, cut at 80 characters, invisible
 * and look-alike characters escaped, and never a value that may be a secret. Pure.
 */

/**
 * Characters a terminal shows as nothing or as something else: controls, format characters
 * (zero-width space and joiners, bidi overrides, BOM), separators other than the plain space,
 * private-use and unassigned code points.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u115f\u1160\u3164\uffa0]/gu;

/** Escapes invisible characters as \u{...} so that "a\u200bb" does not print as "ab". */
export function escapeInvisible(text: string): string {
    return text.replace(INVISIBLE, (ch) => `\\u{${ch.codePointAt(0)!.toString(16).padStart(4, "0")}}`);
}

/** Why `value` (anywhere inside it) may be a secret, or undefined. */
export function secretReason(value: unknown): string | undefined {
    if (typeof value === "string") return secretLikeReason(value, true);
    if (value !== null && typeof value === "object") {
        if (!Array.isArray(value) && Object.keys(value).length === 1 && "secure" in value) return "is a secure: value";
        for (const v of Object.values(value)) {
            const reason = secretReason(v);
            if (reason) return reason;
        }
    }
    return undefined;
}

/** A value for a message: `"g2-standard-9"`, `Infinity`, or `(value not shown: looks like ...)`. */
export function quote(value: unknown): string {
    if (value === undefined) return "nothing";
    const reason = secretReason(value);
    if (reason) return `(value not shown: it ${reason.replace(/^(looks|holds|is)/, "$1")})`;
    if (typeof value === "number" && !Number.isFinite(value)) return String(value);
    const text = escapeInvisible(JSON.stringify(value) ?? String(value));
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** A key for a message: invisible characters escaped; a key that looks like a credential is not shown. */
export function showKey(key: string): string {
    const reason = secretLikeReason(key, true);
    return reason ? `(a key not shown: it ${reason})` : escapeInvisible(key);
}
