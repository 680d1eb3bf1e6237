import { createHash } from "node:crypto";

/**
 * A stable child-name suffix for an e-mail address: a short hash of the address in lower case,
 * so reordering the list renames nothing, and a changed address replaces only its own channel.
 * The address itself stays out of the URN (logical names show up in logs and CI output).
 */
export function addressSuffix(email: string): string {
    return createHash("sha256").update(email.toLowerCase()).digest("hex").slice(0, 10);
}
