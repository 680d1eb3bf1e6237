// Property: "never the whole internet" is judged on the union of the address space a list admits.
// fast-check generates CIDR sets (IPv4 and IPv6) and checks unionSize against an independent
// oracle (a binary trie of the ranges), that splitting a range into its halves never changes a
// verdict (the 0.0.0.0/1 + 128.0.0.0/1 trick), and that the schema's lists accept exactly the sets
// the rule allows.
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { ADDRESS_LIMITS, AddressPurpose, breadthProblem, Cidr, formatCidr, maxAddresses, parseCidr, sourceBreadth, unionSize } from "../../policies/contract/cidr";
import { cidrList } from "../../config/fields";

const RUNS = 300;

/** Oracle: insert each range into a binary trie; covered addresses are the sizes of the covered nodes. */
function trieCount(cidrs: readonly Cidr[], bits: number): bigint {
    type Node = { full: boolean; kids: [Node | undefined, Node | undefined] };
    const root: Node = { full: false, kids: [undefined, undefined] };
    for (const c of cidrs) {
        let node = root;
        for (let i = 0; i < c.prefix && !node.full; i++) {
            const bit = Number((c.network >> BigInt(bits - 1 - i)) & 1n);
            node = node.kids[bit] ??= { full: false, kids: [undefined, undefined] };
        }
        node.full = true;
    }
    const count = (node: Node | undefined, depth: number): bigint =>
        !node ? 0n : node.full ? 1n << BigInt(bits - depth) : count(node.kids[0], depth + 1) + count(node.kids[1], depth + 1);
    return count(root, 0);
}

const v4 = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 })).map(([n, p]) => parseCidr(`${[24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".")}/${p}`)!);
const v6 = fc.tuple(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.integer({ min: 0, max: 128 })).map(([n, p]) => {
    const groups = Array.from({ length: 8 }, (_, i) => ((n >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
    return parseCidr(`${groups.join(":")}/${p}`)!;
});
/** Biased to wide ranges, where the rule bites. */
const wideV4 = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 20 })).map(([n, p]) => parseCidr(`${[24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".")}/${p}`)!);

/** The two halves of a range (itself when it is a single address). */
function halves(c: Cidr): Cidr[] {
    const bits = c.version === 4 ? 32 : 128;
    if (c.prefix === bits) return [c];
    const half = 1n << BigInt(bits - c.prefix - 1);
    return [{ ...c, prefix: c.prefix + 1 }, { ...c, network: c.network + half, prefix: c.prefix + 1 }];
}

describe("CIDR union rule (fast-check)", () => {
    it(`unionSize agrees with a trie oracle on IPv4 and IPv6 sets (${RUNS} runs each)`, () => {
        fc.assert(fc.property(fc.array(fc.oneof(v4, wideV4), { maxLength: 12 }), (set) => assert.equal(unionSize(set, 4), trieCount(set, 32))), { numRuns: RUNS });
        fc.assert(fc.property(fc.array(v6, { maxLength: 12 }), (set) => assert.equal(unionSize(set, 6), trieCount(set, 128))), { numRuns: RUNS });
    });

    it("splitting ranges into halves never changes the verdict (no 0.0.0.0/1 + 128.0.0.0/1 trick)", () => {
        fc.assert(
            fc.property(fc.array(fc.oneof(v4, wideV4, v6), { minLength: 1, maxLength: 8 }), fc.nat(7), fc.constantFrom<AddressPurpose>("admin", "client"), (set, which, purpose) => {
                const i = which % set.length;
                const split = [...set.slice(0, i), ...halves(set[i]), ...set.slice(i + 1)];
                for (const version of [4, 6] as const) assert.equal(unionSize(split, version), unionSize(set, version));
                // Halves are narrower, so only the union test can catch them; it must say "too wide" whenever the whole did by union.
                const unionTooWide = (s: Cidr[]) => ([4, 6] as const).some((v) => unionSize(s, v) > maxAddresses(purpose, v));
                assert.equal(unionTooWide(split), unionTooWide(set));
                if (unionTooWide(set)) assert.notEqual(breadthProblem(split, purpose), undefined);
                assert.equal(sourceBreadth(split.map(formatCidr), purpose) === undefined, sourceBreadth(set.map(formatCidr), purpose) === undefined);
            }),
            { numRuns: RUNS },
        );
    });

    it("the schema's client and admin lists accept exactly the IPv4 sets the rule allows", () => {
        for (const purpose of ["client", "admin"] as const) {
            const schema = cidrList(purpose, 10);
            fc.assert(
                fc.property(fc.uniqueArray(fc.oneof(v4, wideV4), { maxLength: 10, selector: formatCidr }), (set) => {
                    const texts = set.map(formatCidr);
                    const allowed = set.every((c) => c.prefix >= ADDRESS_LIMITS[purpose][4]) && unionSize(set, 4) <= maxAddresses(purpose, 4);
                    assert.equal(schema.safeParse(texts).success, allowed, `${purpose}: ${texts.join(", ")}`);
                }),
                { numRuns: RUNS },
            );
        }
    });

    it("negative controls: the literal and the split internet are refused; one /8 or one /16 is not", () => {
        assert.notEqual(sourceBreadth(["0.0.0.0/1", "128.0.0.0/1"], "client"), undefined);
        assert.notEqual(sourceBreadth(["1.2.3.4/0"], "client"), undefined);
        assert.notEqual(sourceBreadth(["::/1", "8000::/1"], "client"), undefined);
        assert.equal(sourceBreadth(["10.0.0.0/8"], "client"), undefined);
        assert.equal(sourceBreadth(["203.0.0.0/16"], "admin"), undefined);
        assert.notEqual(sourceBreadth(["203.0.0.0/16", "203.1.0.0/24"], "admin"), undefined);
        assert.equal(trieCount([parseCidr("0.0.0.0/1")!, parseCidr("128.0.0.0/1")!], 32), 1n << 32n);
    });
});
