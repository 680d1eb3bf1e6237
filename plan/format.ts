import { runtimeSentence } from "./budgets";
import { COST_KINDS } from "../policies/cost/estimate";
import { PlanDiff } from "./compare";
import { PlannedResource } from "./mocks";
import { renderTree } from "./render";
import { enforcementText, QuotaNeed } from "./quotas";
import { hasMandatoryViolation, PlanDetails } from "./report";

/** "$1,234.56"; negative as "-$12.00". */
export function usd(amount: number, digits = 2): string {
    const s = Math.abs(amount).toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
    return `${amount < 0 ? "-" : ""}$${s}`;
}

function signedUsd(amount: number): string {
    return amount > 0 ? `+${usd(amount)}` : amount < 0 ? usd(amount) : "$0.00";
}

const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

function table(head: string[], rows: string[][], rightAligned: ReadonlySet<number>): string {
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const fmt = (cells: string[]) =>
        cells.map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ").trimEnd();
    return [fmt(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(fmt)].join("\n");
}

function costRows(details: PlanDetails): string[][] {
    return details.report.cost.lines.map((l, i) => [
        nameOf(l.urn),
        l.kind,
        l.sku,
        l.countMin === l.countMax ? String(l.countMax) : `${l.countMin}–${l.countMax}`,
        l.kind === "usage" ? `${usd(details.hourly[i], 4)}/unit` : usd(details.hourly[i], 4),
        usd(l.baselineMonthlyUsd),
        usd(l.worstCaseMonthlyUsd),
        l.expected ? usd(l.expected.worstCaseMonthlyUsd) : "",
    ]);
}

const COST_HEAD = ["resource", "kind", "SKU", "count", "$/h (unit)", "baseline $/mo", "worst case $/mo", "expected (spot) $/mo"];

/** Baseline and worst case per kind, then the expected figure at spot prices. */
function kindRows(details: PlanDetails): string[][] {
    const { cost } = details.report;
    return COST_KINDS.map((k) => [k, usd(cost.byKind[k].baselineMonthlyUsd), usd(cost.byKind[k].worstCaseMonthlyUsd)]);
}

function capSentence(details: PlanDetails): string {
    const { cost } = details.report;
    if (cost.capMonthlyUsd === null) return "no monthly-cost-cap is enforced for this stack";
    const room = cost.capMonthlyUsd - cost.worstCaseMonthlyUsd;
    return room >= 0
        ? `within the cap of ${usd(cost.capMonthlyUsd)} (${usd(room)} to spare)`
        : `OVER the cap of ${usd(cost.capMonthlyUsd)} by ${usd(-room)}`;
}

const CAPACITY_HEAD = ["target", "tokens/s baseline", "tokens/s max", "baseline $/M tokens", "worst case $/M tokens"];

function capacityRows(details: PlanDetails): string[][] {
    const n = (x: number | null) => (x === null ? "unknown" : x.toLocaleString("en-US", { maximumFractionDigits: 1 }));
    const m = (x: number | null) => (x === null ? "unknown" : usd(x));
    return details.report.capacity.map((c) => [c.target, n(c.tokensPerSecondBaseline), n(c.tokensPerSecondMax), m(c.usdPerMillionTokensBaseline), m(c.usdPerMillionTokensWorst)]);
}

const CAPACITY_TITLE =
    "Capacity (output tokens/s at full use, from sourced per-replica figures; $/M tokens = the target's monthly cost from the lines above / tokens a month at that rate)";

function renderCapacityText(details: PlanDetails): string {
    const { capacity } = details.report;
    if (capacity.length === 0) return `${CAPACITY_TITLE}\n  no serving targets`;
    return (
        `${CAPACITY_TITLE}\n` +
        table(CAPACITY_HEAD, capacityRows(details), new Set([1, 2, 3, 4])) +
        `\n` +
        capacity.map((c) => `  ${c.target}: ${c.basis}`).join("\n")
    );
}

const QUOTA_HEAD = ["cloud", "quota", "what", "region", "needed at the bound", "enforced"];
const QUOTA_INTRO =
    "Accelerator quotas at the bounds (each group's maximum plus its surge, summed per quota and region; " +
    "set = the program holds the limit at this value (an override only lowers: the project's limit must already be at or above it, for every quota of the group), " +
    "reported = the cloud only raises it by request: keep it at or near this)";

function quotaRows(quotas: readonly QuotaNeed[]): string[][] {
    return quotas.map((q) => [q.cloud, q.quota ?? "(not sourced)", q.name, q.project ? `${q.region} (${q.project})` : q.region, `${q.needed} ${q.unit}`, enforcementText(q)]);
}

function renderQuotasText(quotas: readonly QuotaNeed[]): string {
    if (quotas.length === 0) return `${QUOTA_INTRO}
  (no accelerated capacity)`;
    return `${QUOTA_INTRO}
${table(QUOTA_HEAD, quotaRows(quotas), new Set([4]))}`;
}

/** The text plan: tree, cost table, totals against the cap, capacity, quotas, every violation, outputs. */
export function renderText(details: PlanDetails, resources: readonly PlannedResource[], diff?: PlanDiff): string {
    const { report } = details;
    const parts = [
        `${report.project} · stack ${report.stack} · ${resources.length} resources (offline plan under mocks: nothing was created)`,
        renderTree(resources),
        `Cost (USD per month of 730 h; baseline = what always runs, worst case = the most the clouds can bill: uncapped spot at on-demand, ` +
            `transient hours and usage at the assumed volumes; expected = spot at catalog price x spotMargin, never capped)\n` +
            table(COST_HEAD, costRows(details), new Set([3, 4, 5, 6, 7])) +
            `\n\n` +
            table(["kind", "baseline $/mo", "worst case $/mo"], kindRows(details), new Set([1, 2])) +
            `\n\nBaseline ${usd(report.cost.baselineMonthlyUsd)}/month · worst case ${usd(report.cost.worstCaseMonthlyUsd)}/month · ${capSentence(details)}` +
            ` · expected at spot ${usd(report.cost.expectedWorstCaseMonthlyUsd)}/month` +
            `\n${runtimeSentence(report.cost.capMonthlyUsd, report.runtime)}`,
        renderCapacityText(details),
        renderQuotasText(report.quotas),
        renderViolationsText(details),
    ];
    if (diff) parts.push(renderDiffText(diff));
    // An export left undefined is no stack output: the engine drops it, and so does the plan.
    const outputs = Object.entries(details.outputs).filter(([, v]) => v !== undefined);
    parts.push(`Outputs:\n${outputs.map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`).join("\n")}`);
    return parts.join("\n\n") + "\n";
}

function renderViolationsText(details: PlanDetails): string {
    const { violations, pack } = details.report.policies;
    const head = `Policies (${pack}, config ${details.policyConfigFile}): `;
    if (violations.length === 0) return `${head}no violations`;
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
    return (
        `${head}${mandatory} mandatory, ${violations.length - mandatory} advisory\n` +
        violations
            .map((v) => `  [${v.enforcementLevel}] ${v.policy}${v.urn ? ` (${nameOf(v.urn)})` : ""}\n    ${v.message.replace(/\n/g, "\n    ")}`)
            .join("\n")
    );
}

function renderDiffText(diff: PlanDiff): string {
    const lines = [
        `Compared with the earlier plan: ${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed`,
        ...diff.added.map((r) => `  + ${r.type}  ${r.name}`),
        ...diff.removed.map((r) => `  - ${r.type}  ${r.name}`),
        ...diff.changed.map((r) => `  ~ ${r.type}  ${r.name}  (${r.fields.join(", ")})`),
    ];
    if (diff.lines.length > 0) {
        lines.push(
            "",
            table(
                ["resource", "kind", "SKU", "baseline Δ $/mo", "worst case Δ $/mo"],
                diff.lines.map((l) => [l.name, l.kind, l.sku, signedUsd(l.baselineDelta), signedUsd(l.worstCaseDelta)]),
                new Set([3, 4]),
            ),
        );
    }
    lines.push(
        "",
        table(
            ["kind", "baseline Δ $/mo", "worst case Δ $/mo"],
            diff.kinds.map((k) => [k.kind, signedUsd(k.baselineDelta), signedUsd(k.worstCaseDelta)]),
            new Set([1, 2]),
        ),
    );
    lines.push(
        `Total: baseline ${usd(diff.totals.baselineBefore)} → ${usd(diff.totals.baselineAfter)} (${signedUsd(diff.totals.baselineDelta)}), ` +
            `worst case ${usd(diff.totals.worstCaseBefore)} → ${usd(diff.totals.worstCaseAfter)} (${signedUsd(diff.totals.worstCaseDelta)})`,
    );
    return lines.join("\n");
}

const mdCell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, "<br>");

/** A report ready for a pull-request comment (and the job summary). */
export function renderMarkdown(details: PlanDetails, resources: readonly PlannedResource[], diff?: PlanDiff): string {
    const { report } = details;
    const blocked = hasMandatoryViolation(report);
    const out: string[] = [
        `<!-- llm-serving-plan:${report.stack} -->`,
        `### ${blocked ? "❌" : "✅"} llm-serving plan for \`${report.stack}\``,
        "",
        `**Worst case ${usd(report.cost.worstCaseMonthlyUsd)}/month**, ${capSentence(details)} · baseline ${usd(report.cost.baselineMonthlyUsd)}/month · ${resources.length} resources`,
        "",
        runtimeSentence(report.cost.capMonthlyUsd, report.runtime),
        "",
    ];
    if (diff) {
        out.push(
            `#### Change against the base branch`,
            "",
            `| | baseline $/mo | worst case $/mo |`,
            `|---|---:|---:|`,
            `| before | ${usd(diff.totals.baselineBefore)} | ${usd(diff.totals.worstCaseBefore)} |`,
            `| after | ${usd(diff.totals.baselineAfter)} | ${usd(diff.totals.worstCaseAfter)} |`,
            `| **Δ** | **${signedUsd(diff.totals.baselineDelta)}** | **${signedUsd(diff.totals.worstCaseDelta)}** |`,
            "",
        );
        out.push(`| kind | baseline Δ | worst case Δ |`, `|---|---:|---:|`);
        for (const k of diff.kinds) out.push(`| ${k.kind} | ${signedUsd(k.baselineDelta)} | ${signedUsd(k.worstCaseDelta)} |`);
        out.push("");
        if (diff.lines.length > 0) {
            out.push(`| resource | kind | SKU | baseline Δ | worst case Δ |`, `|---|---|---|---:|---:|`);
            for (const l of diff.lines) out.push(`| ${mdCell(l.name)} | ${l.kind} | ${mdCell(l.sku)} | ${signedUsd(l.baselineDelta)} | ${signedUsd(l.worstCaseDelta)} |`);
            out.push("");
        }
        out.push(`Resources: ${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed.`);
        const changes = [
            ...diff.added.map((r) => `- ➕ \`${r.type}\` ${r.name}`),
            ...diff.removed.map((r) => `- ➖ \`${r.type}\` ${r.name}`),
            ...diff.changed.map((r) => `- ✏️ \`${r.type}\` ${r.name} (${r.fields.join(", ")})`),
        ];
        if (changes.length > 0) out.push("", ...changes);
        out.push("");
    }
    out.push(`#### Policies (${report.policies.pack})`, "", `Policy config: \`${report.policyConfig.file}\` (sha256 \`${report.policyConfig.sha256.slice(0, 12)}\`).`, "");
    if (report.policies.violations.length === 0) {
        out.push("No violations.", "");
    } else {
        out.push(`| level | policy | resource | message |`, `|---|---|---|---|`);
        for (const v of report.policies.violations) {
            out.push(`| ${v.enforcementLevel} | ${v.policy} | ${v.urn ? mdCell(nameOf(v.urn)) : "stack"} | ${mdCell(v.message)} |`);
        }
        out.push("");
    }
    out.push(`#### Cost by kind`, "", `| kind | baseline $/mo | worst case $/mo |`, `|---|---:|---:|`);
    for (const row of kindRows(details)) out.push(`| ${row.join(" | ")} |`);
    out.push("", `Expected at spot prices (catalog spot x spotMargin, never capped): ${usd(report.cost.expectedWorstCaseMonthlyUsd)}/month.`, "");
    out.push(`#### Cost`, "", `| ${COST_HEAD.join(" | ")} |`, `|---|---|---|---:|---:|---:|---:|---:|`);
    for (const row of costRows(details)) out.push(`| ${row.map(mdCell).join(" | ")} |`);
    out.push("", `#### Capacity`, "", `${CAPACITY_TITLE}.`, "");
    if (report.capacity.length === 0) {
        out.push("No serving targets.");
    } else {
        out.push(`| ${CAPACITY_HEAD.join(" | ")} | basis |`, `|---|---:|---:|---:|---:|---|`);
        capacityRows(details).forEach((row, i) => out.push(`| ${row.map(mdCell).join(" | ")} | ${mdCell(report.capacity[i].basis)} |`));
    }
    out.push("", `#### Accelerator quotas at the bounds`, "", `${QUOTA_INTRO}.`, "");
    if (report.quotas.length === 0) {
        out.push("No accelerated capacity.");
    } else {
        out.push(`| ${[...QUOTA_HEAD, "how"].join(" | ")} |`, `|---|---|---|---|---:|---|---|`);
        quotaRows(report.quotas).forEach((row, i) => out.push(`| ${[...row, report.quotas[i].basis].map(mdCell).join(" | ")} |`));
    }
    out.push(
        "",
        `<details><summary>${resources.length} resources</summary>`,
        "",
        "```text",
        renderTree(resources),
        "```",
        "",
        "</details>",
        "",
        `<sub>Offline plan: \`index.ts\` run under Pulumi mocks with the stack's config; prices from \`policies/cost/catalog.ts\`; nothing was deployed.</sub>`,
    );
    return out.join("\n") + "\n";
}
