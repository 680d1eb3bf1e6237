/** One timed run: wall seconds and peak RSS (NaN when not measured). */
export interface Sample {
    readonly seconds: number;
    readonly peakMb: number;
}

export function median(values: readonly number[]): number {
    const s = [...values].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** The median of each field over several samples. */
export function medianSample(samples: readonly Sample[]): Sample {
    return { seconds: median(samples.map((s) => s.seconds)), peakMb: median(samples.map((s) => s.peakMb)) };
}

/**
 * Measures a case and its yardstick in turn (yardstick, case, yardstick, case, ...) `n` times, and
 * gives the median of the per-pair ratios case/yardstick: on a shared machine the load drifts
 * within a run, and a pair taken seconds apart sees about the same load, where all of one case
 * then all of the other may not. Also the median sample of each.
 */
export function paired(yardstick: () => Sample, candidate: () => Sample, n: number): { yardstick: Sample; candidate: Sample; ratio: number } {
    const ys: Sample[] = [];
    const cs: Sample[] = [];
    for (let i = 0; i < n; i++) {
        ys.push(yardstick());
        cs.push(candidate());
    }
    return { yardstick: medianSample(ys), candidate: medianSample(cs), ratio: median(cs.map((c, i) => c.seconds / ys[i].seconds)) };
}
