// Address-space arithmetic for "never the whole internet". A literal `0.0.0.0/0` is only one way
// to admit everyone: `0.0.0.0/1` + `128.0.0.0/1`, `1.2.3.4/0` or thirty /6s do the same. So a list
// of sources is judged by the union of the address space it admits, per IP version, against a
// limit per purpose. Pure and shared by the config schema and the policies, so both draw the line
// in the same place.

export type IpVersion = 4 | 6;

export interface Cidr {
    readonly version: IpVersion;
    /** The network address (host bits cleared). */
    readonly network: bigint;
    readonly prefix: number;
    /** False when the text had host bits set (`10.0.0.1/8`): what it admits is `network/prefix`. */
    readonly canonical: boolean;
}

const BITS: Record<IpVersion, number> = { 4: 32, 6: 128 };

/**
 * How much of the address space a list may admit, as a prefix length: each range at least that
 * long, and the union of all ranges at most the size of one such range.
 *   - admin: SSH and Kubernetes API access come from a few named networks (a /16 is 65,536 IPv4
 *     addresses, more than any office or runner pool);
 *   - client: model-endpoint clients (a /8 is one of 256 slices of IPv4; anything wider is "much
 *     of the internet" and the API key alone is the honest way to say "anyone").
 * The policies call a source list "open to the internet" past the client limit, and SSH past the
 * admin limit.
 */
export const ADDRESS_LIMITS = {
    admin: { 4: 16, 6: 48 },
    client: { 4: 8, 6: 32 },
} as const satisfies Record<string, Record<IpVersion, number>>;
export type AddressPurpose = keyof typeof ADDRESS_LIMITS;

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function parseIpv4(text: string): bigint | undefined {
    if (!IPV4.test(text)) return undefined;
    return text.split(".").reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

function parseIpv6(text: string): bigint | undefined {
    if (!/^[0-9a-fA-F:.]+$/.test(text) || text.split("::").length > 2) return undefined;
    let groups: string[] = [];
    const expand = (part: string): string[] | undefined => {
        if (part === "") return [];
        const words = part.split(":");
        const last = words[words.length - 1];
        if (last.includes(".")) {
            // An embedded IPv4 tail (::ffff:192.0.2.1) counts as two 16-bit groups.
            const v4 = parseIpv4(last);
            if (v4 === undefined) return undefined;
            words.splice(words.length - 1, 1, (v4 >> 16n).toString(16), (v4 & 0xffffn).toString(16));
        }
        return words.every((w) => /^[0-9a-fA-F]{1,4}$/.test(w)) ? words : undefined;
    };
    if (text.includes("::")) {
        const [head, tail] = text.split("::");
        const h = expand(head);
        const t = expand(tail);
        if (!h || !t || h.length + t.length > 7) return undefined;
        groups = [...h, ...Array<string>(8 - h.length - t.length).fill("0"), ...t];
    } else {
        const all = expand(text);
        if (!all || all.length !== 8) return undefined;
        groups = all;
    }
    return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/**
 * Parses `a.b.c.d/n` or an IPv6 `x::/n`. A bare address counts as a single host when `bare` is
 * true (cloud firewalls accept one); undefined for anything else.
 */
export function parseCidr(text: string, opts: { bare?: boolean } = {}): Cidr | undefined {
    const trimmed = text.trim();
    const slash = trimmed.indexOf("/");
    const address = slash < 0 ? trimmed : trimmed.slice(0, slash);
    const prefixText = slash < 0 ? undefined : trimmed.slice(slash + 1);
    if (prefixText === undefined && !opts.bare) return undefined;
    const v4 = parseIpv4(address);
    const version: IpVersion | undefined = v4 !== undefined ? 4 : address.includes(":") ? 6 : undefined;
    if (version === undefined) return undefined;
    const value = v4 ?? parseIpv6(address);
    if (value === undefined) return undefined;
    const bits = BITS[version];
    if (prefixText !== undefined && !/^(0|[1-9]\d{0,2})$/.test(prefixText)) return undefined;
    const prefix = prefixText === undefined ? bits : Number(prefixText);
    if (prefix > bits) return undefined;
    const hostMask = (1n << BigInt(bits - prefix)) - 1n;
    const network = value & ~hostMask & ((1n << BigInt(bits)) - 1n);
    return { version, network, prefix, canonical: network === value };
}

/** `network/prefix` as text (IPv6 in full lowercase groups, compressed at the longest zero run). */
export function formatCidr(c: Cidr): string {
    if (c.version === 4) {
        return `${[24n, 16n, 8n, 0n].map((s) => String((c.network >> s) & 255n)).join(".")}/${c.prefix}`;
    }
    const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((s) => ((c.network >> s) & 0xffffn).toString(16));
    let best = { at: -1, len: 0 };
    for (let i = 0; i < 8; ) {
        let j = i;
        while (j < 8 && groups[j] === "0") j++;
        if (j - i > best.len && j - i > 1) best = { at: i, len: j - i };
        i = j === i ? i + 1 : j;
    }
    const text = best.at < 0 ? groups.join(":") : `${groups.slice(0, best.at).join(":")}::${groups.slice(best.at + best.len).join(":")}`;
    return `${text}/${c.prefix}`;
}

/** Number of addresses the union of `cidrs` of one version admits (overlaps counted once). */
export function unionSize(cidrs: ReadonlyArray<Cidr>, version: IpVersion): bigint {
    const bits = BigInt(BITS[version]);
    const spans = cidrs
        .filter((c) => c.version === version)
        .map((c) => ({ start: c.network, end: c.network + (1n << (bits - BigInt(c.prefix))) }))
        .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    let total = 0n;
    let current: { start: bigint; end: bigint } | undefined;
    for (const span of spans) {
        if (current && span.start <= current.end) {
            if (span.end > current.end) current.end = span.end;
        } else {
            if (current) total += current.end - current.start;
            current = { ...span };
        }
    }
    if (current) total += current.end - current.start;
    return total;
}

/** The most addresses of `version` a list for `purpose` may admit in total. */
export function maxAddresses(purpose: AddressPurpose, version: IpVersion): bigint {
    return 1n << BigInt(BITS[version] - ADDRESS_LIMITS[purpose][version]);
}

/** Why a set of ranges is wider than `purpose` allows, or undefined (sizes only, never values). */
export function breadthProblem(cidrs: ReadonlyArray<Cidr>, purpose: AddressPurpose): string | undefined {
    for (const version of [4, 6] as const) {
        const limit = ADDRESS_LIMITS[purpose][version];
        const wide = cidrs.find((c) => c.version === version && c.prefix < limit);
        if (wide) {
            return `a /${wide.prefix} admits ${describeShare(1n << BigInt(BITS[version] - wide.prefix), version)}; each IPv${version} range must be /${limit} or narrower`;
        }
        const size = unionSize(cidrs, version);
        if (size > maxAddresses(purpose, version)) {
            return `together the IPv${version} ranges admit ${describeShare(size, version)}, more than one /${limit}; list only the networks that need access`;
        }
    }
    return undefined;
}

/** "all of IPv4", "1/256 of IPv4 (16,777,216 addresses)". */
export function describeShare(size: bigint, version: IpVersion): string {
    const space = 1n << BigInt(BITS[version]);
    if (size >= space) return `the whole IPv${version} internet`;
    const percent = Number((size * 10000n) / space) / 100;
    if (version === 4) return `${size.toLocaleString("en-US")} addresses (${percent}% of IPv4)`;
    return `${percent >= 0.01 ? `${percent}%` : "a share"} of IPv6 (as much as a /${BITS[6] - (size.toString(2).length - 1)})`;
}

/** Source names that mean "anyone": Azure's `*`, `Internet` and `Any`, and the bare any-address. */
const ANYONE = new Set(["*", "internet", "any", "0.0.0.0", "::"]);
/** Azure service tags that stay inside the customer's network. */
const PRIVATE_TAGS = new Set(["virtualnetwork", "azureloadbalancer"]);

/**
 * Why a firewall's or API server's source list admits more than `purpose` allows, or undefined.
 * Judged on the union of the ranges, per IP version; a source that is neither a CIDR, an address
 * nor a known tag is refused as not understood (it could be anything). Never returns a source.
 */
export function sourceBreadth(sources: ReadonlyArray<string>, purpose: AddressPurpose): string | undefined {
    const cidrs: Cidr[] = [];
    for (const source of sources) {
        const s = source.trim().toLowerCase();
        if (ANYONE.has(s)) return "the whole internet";
        if (PRIVATE_TAGS.has(s)) continue;
        const c = parseCidr(s, { bare: true });
        if (!c) return "a source that is neither a CIDR nor a service tag this policy knows, so it is refused as not understood";
        cidrs.push(c);
    }
    for (const version of [4, 6] as const) {
        if (unionSize(cidrs, version) >= 1n << BigInt(BITS[version])) return `the whole internet (the IPv${version} ranges together cover all of IPv${version})`;
    }
    return breadthProblem(cidrs, purpose);
}
