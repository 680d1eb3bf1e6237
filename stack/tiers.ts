// Tiers as presets: `llm-serving:tier: starter | growth | scale` in a stack file expands to the
// targets and bounds below, in place of `llm-serving:targets`. The Azure plan this project grew
// from sized three tiers by users (0-50, 50-1,000, 1,000+); these presets keep its cloud (an Azure
// Machine Learning managed online endpoint: HTTPS and key auth with no domain or certificate to
// provide, so a tier needs nothing else from the stack) with today's sizes and prices. Their
// costs come from the plan (README, "Tiers"), never from the source plan's outdated figures.

export const TIER_NAMES = ["starter", "growth", "scale"] as const;
export type TierName = (typeof TIER_NAMES)[number];

export interface Tier {
    /** The source plan's user range for the tier. */
    readonly users: string;
    /** What the tier deploys: a `llm-serving:targets` value. */
    readonly targets: Readonly<Record<string, unknown>>;
    /** Why these bounds, in one sentence (README). */
    readonly why: string;
}

export const TIERS: Readonly<Record<TierName, Tier>> = {
    starter: {
        users: "0–50",
        targets: { azureMl: { location: "eastus", instanceType: "Standard_NC8as_T4_v3", instances: { min: 2, max: 2 } } },
        why: "two T4 instances serving the 4-bit AWQ build: the cheapest GPU endpoint that keeps a replica through an instance's loss",
    },
    growth: {
        users: "50–1,000",
        targets: { azureMl: { location: "eastus", instanceType: "Standard_NC24ads_A100_v4", instances: { min: 2, max: 3 } } },
        why: "two to three A100 80GB instances (bf16): 1,367 to 2,050 output tokens/s at the catalog's equivalent figure",
    },
    scale: {
        users: "1,000+",
        targets: { azureMl: { location: "eastus", instanceType: "Standard_NC24ads_A100_v4", instances: { min: 3, max: 8 } } },
        // Its worst case (~$21,600) is over prod's $8,500 cap: the cap it needs ships as an example
        // policy config (policies/config/examples/tier-scale.json), since a maximum that fit prod's
        // cap would be no larger than growth's.
        why: "three to eight A100 80GB instances: 2,050 to 5,466 output tokens/s; its worst case needs a cap of its own",
    },
};

export function isTierName(value: string): value is TierName {
    return (TIER_NAMES as readonly string[]).includes(value);
}
