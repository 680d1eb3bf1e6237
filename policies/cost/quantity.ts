// Kubernetes resource quantities ("1000", "500m", "4000Gi", "1.5G", "1e3"), as Karpenter limits
// carry them. Only what the API server accepts is parsed; anything else is rejected (undefined), so
// a malformed limit can never be read as a smaller one.

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/;

/**
 * Parses a quantity to a plain number in base units (cores for cpu, bytes for memory, a count
 * for devices). Numbers pass through. Returns undefined for anything that is not a quantity.
 */
export function parseQuantity(q: unknown): number | undefined {
    if (typeof q === "number") return Number.isFinite(q) ? q : undefined;
    if (typeof q !== "string") return undefined;
    const m = QUANTITY.exec(q.trim());
    if (!m) return undefined;
    const [, num, exponent, suffix] = m;
    const base = Number(num);
    if (!Number.isFinite(base)) return undefined;
    if (exponent !== undefined) return base * 10 ** Number(exponent.slice(1));
    const s = suffix ?? "";
    const factor = BINARY[s] ?? DECIMAL[s];
    return factor === undefined ? undefined : base * factor;
}

export const GIB = 2 ** 30;
