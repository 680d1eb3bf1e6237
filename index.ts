import * as pulumi from "@pulumi/pulumi";
import { checkBudgetConfig, deployRuntimeBudgets, deployTargets, guardCostCap, loadStackConfig } from "./stack";

// Validates the whole stack config before any resource is registered.
const config = loadStackConfig();
// The committed EXAMPLE GCP billing account is refused at a real preview/up, before any resource.
checkBudgetConfig(config);
// When changes are applied without the policy pack, refuse an over-cap stack before registering anything.
const figures = guardCostCap();
const deployed = deployTargets(config);
// The cap carried into run time: one native budget per cloud, from the same cap (issue 16).
const budgetAmounts = deployRuntimeBudgets(config, figures);
const targets = Object.entries(deployed);

/** OpenAI-compatible base URL of each target, keyed by its config key. */
export const endpoints = pulumi.output(Object.fromEntries(targets.map(([name, t]) => [name, t.endpoint])));
/** Bearer token of each target (secret): `pulumi stack output apiKeys --show-secrets`. */
export const apiKeys = pulumi.secret(Object.fromEntries(targets.map(([name, t]) => [name, t.apiKey])));
/** Chat pages of the targets with `chatUi` (secret: URL, user and password): `pulumi stack output chatUis --show-secrets`. */
export const chatUis = pulumi.secret(
    Object.fromEntries(targets.flatMap(([name, t]) => { const chat = (t as { chatUi?: unknown }).chatUi; return chat ? [[name, chat]] : []; })),
);
/** Rasa REST webhooks of the targets with `rasa` (secret: URL and bearer token). */
export const rasaWebhooks = pulumi.secret(
    Object.fromEntries(targets.flatMap(([name, t]) => { const rasa = (t as { rasa?: unknown }).rasa; return rasa ? [[name, rasa]] : []; })),
);
/**
 * Each run-time budget's declared monthly USD, by cloud: read back by the next update when it has
 * no cost figures (stack/budgetPlan.ts fallbackPlan), so existing budgets keep their amounts.
 */
export const runtimeBudgetAmounts = budgetAmounts;
