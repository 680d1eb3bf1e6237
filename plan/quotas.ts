// The accelerator quotas a stack needs at its bounds (issue 15): quotas are the one limit an
// operator's laptop cannot lift by editing the program, so the plan says, per cloud and region,
// which quota must admit how much for the stack to reach its bound, and whether the program SETS
// that quota (GCP consumer quota overrides lower a limit to exactly the bound) or the plan only
// REPORTS it (AWS Service Quotas and Azure quotas are raised by request, never lowered by the
// program). Pure: computed from the cost engine's lines (the same counts the cap was computed
// for) and the planned resources (which overrides the program registered).
//
// Names and codes, and where they were checked (see README, "Where the cap holds"):
// - GCP: NVIDIA_L4_GPUS, PREEMPTIBLE_NVIDIA_L4_GPUS, NVIDIA_T4_GPUS, PREEMPTIBLE_NVIDIA_T4_GPUS,
//   NVIDIA_A100_GPUS, PREEMPTIBLE_NVIDIA_A100_GPUS are regional metrics of the Compute Engine API's
//   Quota.Metric enum (regions.get); their Service Usage metric is the lower-case name under
//   compute.googleapis.com/ (compute.googleapis.com/nvidia_l4_gpus as GKE's GPU guide names it;
//   the same form as compute.googleapis.com/n2_cpus in the provider's ConsumerQuotaOverride example).
//   Spot VMs consume the standard quota unless the project has preemptible quota ("To prevent Spot
//   VMs from consuming your quotas for standard VMs' CPUs, GPUs, and disks, consider requesting
//   preemptible quota", Compute Engine's "Create and use Spot VMs"), so a spot group needs both.
// - AWS (vCPUs of the class, per region): L-1945791B "Running On-Demand Inf instances",
//   L-B5D1601B "All Inf Spot Instance Requests", L-DB2E81BA "Running On-Demand G and VT instances",
//   L-3819A6DF "All G and VT Spot Instance Requests", as `aws service-quotas list-service-quotas
//   --service-code ec2` lists them. (L-1216C47A is the Standard A, C, D, H, I, M, R, T, Z class,
//   AWS's own get-aws-default-service-quota example: not Inf.)
// - Azure (vCPUs, per region): a pay-as-you-go VM counts against its family's quota
//   (standardNCASv3_T4Family for NC*as_T4_v3, standardNCADSA100v4Family for NC*ads_A100_v4,
//   standardNCSv3Family for NC*s_v3, the names `az vm list-usage` and the Microsoft.Quota API use);
//   a Spot VM against the regional spot quota lowPriorityCores. Azure ML managed online
//   deployments draw on Azure ML's own per-family quota, whose id is not sourced here: reported
//   as such, at ceil(1.2 x instances) x vCPUs, since "Azure Machine Learning reserves 20% of your
//   compute resources for performing upgrades on some VM SKUs" (Azure ML docs, "Virtual machine
//   quota allocation for deployment"; the SKUs exempted are those of AZURE_ML_NO_RESERVE).
import { CATALOG, CatalogEntry } from "../policies/cost/catalog";
import type { CostLine } from "../policies/cost/estimate";
import { GCP_PLATFORM } from "../policies/model/gcp/platform";
import type { PlannedResource } from "./mocks";

export type QuotaCloud = "gcp" | "aws" | "azure";

/** set: the program registers the limit at the bound; reported: shown here, raised by request. */
export type QuotaEnforcement = "set" | "reported";

export interface QuotaNeed {
    readonly cloud: QuotaCloud;
    /** The quota's id (GCP metric, AWS quota code, Azure quota name); null when not sourced. */
    readonly quota: string | null;
    /** What the cloud calls it. */
    readonly name: string;
    readonly region: string;
    /** GCP: the project whose regional quota it is (quotas are per project and region). */
    readonly project?: string;
    readonly unit: "GPUs" | "vCPUs";
    /** What the stack's groups use at their maxima plus surge, summed over the region (and project). */
    readonly needed: number;
    readonly enforcement: QuotaEnforcement;
    /** The value of the one override the program registers for this quota, if any ("set" only when it equals `needed`). */
    readonly setTo?: number;
    /** How the figure was made: machines x per-machine count, per group. */
    readonly basis: string;
}

/** The pack's model owns the type token (policies/model/gcp/platform.ts). */
export const CONSUMER_QUOTA_OVERRIDE = GCP_PLATFORM.consumerQuotaOverride;

/** GCP's regional GPU metrics per accelerator kind of the catalog (standard, preemptible). */
const GCP_GPU_METRICS: Readonly<Record<string, { standard: string; preemptible: string }>> = {
    "NVIDIA L4": { standard: "NVIDIA_L4_GPUS", preemptible: "PREEMPTIBLE_NVIDIA_L4_GPUS" },
    "NVIDIA T4": { standard: "NVIDIA_T4_GPUS", preemptible: "PREEMPTIBLE_NVIDIA_T4_GPUS" },
    // The catalog names the A2 machines' 40 GB A100 this way; the 80 GB part has quotas of its own (NVIDIA_A100_80GB_GPUS), not listed.
    "NVIDIA A100 40GB": { standard: "NVIDIA_A100_GPUS", preemptible: "PREEMPTIBLE_NVIDIA_A100_GPUS" },
};

/** The Service Usage metric of a Compute Engine quota metric (NVIDIA_L4_GPUS -> compute.googleapis.com/nvidia_l4_gpus). */
export function gcpServiceUsageMetric(metric: string): string {
    return `compute.googleapis.com/${metric.toLowerCase()}`;
}

/** AWS EC2 instance classes with sourced vCPU quota codes: on-demand, spot. */
const AWS_CLASSES: ReadonlyArray<{ family: RegExp; label: string; onDemand: [string, string]; spot: [string, string] }> = [
    { family: /^inf\d/, label: "Inf", onDemand: ["L-1945791B", "Running On-Demand Inf instances"], spot: ["L-B5D1601B", "All Inf Spot Instance Requests"] },
    { family: /^(g\d|vt\d)/, label: "G and VT", onDemand: ["L-DB2E81BA", "Running On-Demand G and VT instances"], spot: ["L-3819A6DF", "All G and VT Spot Instance Requests"] },
];

/** Azure VM families with sourced quota names. */
const AZURE_FAMILIES: ReadonlyArray<{ size: RegExp; quota: string; name: string }> = [
    { size: /^Standard_NC\d+as_T4_v3$/, quota: "standardNCASv3_T4Family", name: "vCPUs of the NCASv3_T4 family" },
    { size: /^Standard_NC\d+ads_A100_v4$/, quota: "standardNCADSA100v4Family", name: "vCPUs of the NCADS_A100_v4 family" },
    { size: /^Standard_NC\d+s_v3$/, quota: "standardNCSv3Family", name: "vCPUs of the NCSv3 family" },
];
const AZURE_SPOT = { quota: "lowPriorityCores", name: "Spot vCPUs, all families" };
const AZURE_ML_DEPLOYMENT = "azure-native:machinelearningservices:OnlineDeployment";
/** Managed online endpoint SKUs Azure ML exempts from its 20% upgrade reservation (Azure ML's managed online endpoints SKU list). */
const AZURE_ML_NO_RESERVE: ReadonlySet<string> = new Set([
    "Standard_NC24ads_A100_v4",
    "Standard_NC48ads_A100_v4",
    "Standard_NC96ads_A100_v4",
    "Standard_ND96asr_v4",
    "Standard_ND96amsr_A100_v4",
    "Standard_ND40rs_v2",
]);

/** One accelerated group at its bound, before rows are summed per quota and region. */
interface Use {
    cloud: QuotaCloud;
    quota: string | null;
    name: string;
    region: string;
    project?: string;
    unit: QuotaNeed["unit"];
    amount: number;
    basis: string;
}

/** Machines at the bound: the capacity line's maximum plus every transient line of the same group (surge, overshoot, replacement). */
function machinesAtBound(line: CostLine, lines: readonly CostLine[]): { machines: number; how: string } {
    const extra = lines.filter((l) => l.kind === "transient" && l.urn === line.urn && l.sku.startsWith(`${line.sku} `));
    const extraCount = extra.reduce((n, l) => n + l.countMax, 0);
    const how = extra.length === 0 ? `${line.countMax}` : `(${line.countMax} + ${extra.map((l) => `${l.countMax} ${l.sku.slice(line.sku.length + 1)}`).join(" + ")})`;
    return { machines: line.countMax + extraCount, how };
}

function usesOf(line: CostLine, lines: readonly CostLine[], entry: CatalogEntry, project: string | undefined): Use[] {
    const { machines, how } = machinesAtBound(line, lines);
    const spot = line.pricing === "spot";
    const group = line.urn.slice(line.urn.lastIndexOf("::") + 2);
    if (entry.cloud === "gcp") {
        const gpus = entry.accelerators!.count;
        const metrics = GCP_GPU_METRICS[entry.accelerators!.kind];
        const basis = `${group}: ${how} x ${line.sku} (${gpus} ${entry.accelerators!.kind} each)`;
        const amount = machines * gpus;
        const where = { region: line.region, ...(project !== undefined ? { project } : {}) };
        if (!metrics) return [{ cloud: "gcp", quota: null, name: `${entry.accelerators!.kind} GPUs (quota metric not sourced)`, ...where, unit: "GPUs", amount, basis }];
        const standard: Use = { cloud: "gcp", quota: metrics.standard, name: `${entry.accelerators!.kind} GPUs`, ...where, unit: "GPUs", amount, basis };
        if (!spot) return [standard];
        return [
            { ...standard, quota: metrics.preemptible, name: `Preemptible ${entry.accelerators!.kind} GPUs` },
            { ...standard, basis: `${basis}; spot VMs draw on it where the project has no preemptible quota` },
        ];
    }
    const vcpus = machines * entry.vcpu;
    const basis = `${group}: ${how} x ${line.sku} (${entry.vcpu} vCPUs each)`;
    if (entry.cloud === "aws") {
        const cls = AWS_CLASSES.find((c) => c.family.test(line.sku));
        if (!cls) return [{ cloud: "aws", quota: null, name: `vCPUs of ${line.sku}'s class (quota code not sourced)`, region: line.region, unit: "vCPUs", amount: vcpus, basis }];
        const [quota, name] = spot ? cls.spot : cls.onDemand;
        return [{ cloud: "aws", quota, name, region: line.region, unit: "vCPUs", amount: vcpus, basis }];
    }
    if (line.resourceType === AZURE_ML_DEPLOYMENT) {
        const name = `Azure ML dedicated vCPUs of ${line.sku}'s family (quota id not sourced)`;
        if (AZURE_ML_NO_RESERVE.has(line.sku)) return [{ cloud: "azure", quota: null, name, region: line.region, unit: "vCPUs", amount: vcpus, basis }];
        const reserved = Math.ceil(1.2 * machines);
        return [{
            cloud: "azure", quota: null, name, region: line.region, unit: "vCPUs", amount: reserved * entry.vcpu,
            basis: `${group}: ceil(1.2 x ${how}) = ${reserved} x ${line.sku} (${entry.vcpu} vCPUs each; Azure ML reserves 20% for upgrades)`,
        }];
    }
    if (spot) return [{ cloud: "azure", quota: AZURE_SPOT.quota, name: AZURE_SPOT.name, region: line.region, unit: "vCPUs", amount: vcpus, basis }];
    const family = AZURE_FAMILIES.find((f) => f.size.test(line.sku));
    if (!family) return [{ cloud: "azure", quota: null, name: `vCPUs of ${line.sku}'s family (quota name not sourced)`, region: line.region, unit: "vCPUs", amount: vcpus, basis }];
    return [{ cloud: "azure", quota: family.quota, name: family.name, region: line.region, unit: "vCPUs", amount: vcpus, basis }];
}

/** The GCP overrides the program registered: Service Usage metric, project and region -> values. */
function overridesOf(resources: readonly QuotaResource[]): Map<string, number[]> {
    const found = new Map<string, number[]>();
    for (const r of resources) {
        if (r.type !== CONSUMER_QUOTA_OVERRIDE) continue;
        const metric = typeof r.inputs.metric === "string" ? decodeURIComponent(r.inputs.metric) : "";
        const dims = r.inputs.dimensions as Record<string, unknown> | undefined;
        const region = typeof dims?.region === "string" ? dims.region : "";
        const value = Number(r.inputs.overrideValue);
        const key = `${metric}|${projectOf(r) ?? ""}|${region}`;
        found.set(key, [...(found.get(key) ?? []), value]);
    }
    return found;
}

/** An accelerated SKU: the catalog lists accelerators for it (GPU, Inferentia). */
function acceleratedEntry(line: CostLine, catalog: ReadonlyArray<CatalogEntry>): CatalogEntry | undefined {
    const entry = catalog.find((e) => e.sku === line.sku && e.region === line.region);
    return entry?.accelerators ? entry : undefined;
}

/** What the quota table reads of a planned resource. */
export type QuotaResource = Pick<PlannedResource, "type" | "inputs"> & { readonly urn?: string };

/** A GCP resource's project, when its inputs name one (a string, not an unknown). */
function projectOf(r: QuotaResource | undefined): string | undefined {
    const p = r?.inputs.project;
    return typeof p === "string" && /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(p) ? p : undefined;
}

/**
 * The accelerator quotas the stack needs at its bounds, one row per cloud, quota and region (and
 * GCP project: its quotas are per project), summed over groups, in the order the groups appear in
 * the cost lines.
 */
export function quotaNeeds(lines: readonly CostLine[], resources: readonly QuotaResource[], catalog: ReadonlyArray<CatalogEntry> = CATALOG): QuotaNeed[] {
    const byUrn = new Map(resources.filter((r) => r.urn !== undefined).map((r) => [r.urn!, r]));
    const rows = new Map<string, Use & { bases: string[] }>();
    for (const line of lines) {
        if (line.kind !== "capacity") continue;
        const entry = acceleratedEntry(line, catalog);
        if (!entry) continue;
        const project = entry.cloud === "gcp" ? projectOf(byUrn.get(line.urn)) : undefined;
        for (const use of usesOf(line, lines, entry, project)) {
            const key = `${use.cloud}|${use.quota ?? use.name}|${use.project ?? ""}|${use.region}`;
            const row = rows.get(key);
            if (row) {
                row.amount += use.amount;
                row.bases.push(use.basis);
            } else {
                rows.set(key, { ...use, bases: [use.basis] });
            }
        }
    }
    const overrides = overridesOf(resources);
    return [...rows.values()].map((r) => {
        const set = r.cloud === "gcp" && r.quota !== null ? overrides.get(`${gcpServiceUsageMetric(r.quota)}|${r.project ?? ""}|${r.region}`) : undefined;
        // Two overrides of one metric, project and region cannot both exist: the API refuses the
        // second with 409 ALREADY_EXISTS (the stack schema refuses the targets that would register
        // them). Should a plan still hold two, both values are reported, never "set". One override at another
        // value than the need (a group the override does not count) is reported too: below the
        // need it stalls the stack before its bound, above it admits more than the cap assumed.
        const setTo = set && set.length === 1 ? set[0] : undefined;
        const problem =
            set && set.length > 1
                ? `; ${set.length} overrides of this quota (${set.join(", ")}): only one can hold`
                : setTo !== undefined && setTo !== r.amount
                  ? `; the override holds ${setTo}, not the ${r.amount} needed`
                  : "";
        return {
            cloud: r.cloud,
            quota: r.quota,
            name: r.name,
            region: r.region,
            ...(r.project !== undefined ? { project: r.project } : {}),
            unit: r.unit,
            needed: r.amount,
            enforcement: setTo === r.amount ? "set" : "reported",
            ...(setTo !== undefined ? { setTo } : {}),
            basis: r.bases.join("; ") + problem,
        };
    });
}

/** How each cloud's row is enforced, in words for the plan. */
export function enforcementText(q: QuotaNeed): string {
    if (q.enforcement === "set") return `set to ${q.setTo} (consumer quota override)`;
    if (q.setTo !== undefined) return `reported: the override holds ${q.setTo}, not ${q.needed}`;
    if (q.quota === null) return "reported (quota id not sourced)";
    if (q.cloud === "aws") return "reported (raise-only, by Service Quotas request)";
    if (q.cloud === "azure") return "reported (by quota request)";
    return "reported (no override registered)";
}
