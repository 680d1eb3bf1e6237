import { strict as assert } from "node:assert";
import { parse } from "yaml";
import type { PlannedResource } from "../../plan/mocks";
import { conformancePlans } from "./plans";
import { readUpstream } from "./upstream";

/**
 * Every Helm value the program sets exists in the chart's values.yaml at the pinned version, and
 * every chart version the program pins is the one those files come from. Helm ignores a value no
 * template reads, silently (the ai-on-eks blueprint lost its disk size to a renamed key).
 */

interface ChartSource {
    /** The chart's values.yaml and Chart.yaml under the upstream folder. */
    readonly values: string;
    readonly chartYaml: string;
    /**
     * Where the upstream Chart.yaml's version differs from the published chart's (and so from the
     * pin), the version that file carries and why; anything else is a mismatch.
     */
    readonly fileVersion?: { readonly version: string; readonly why: string };
    /**
     * Values the chart's templates read although values.yaml does not declare them (or declares
     * them only in a comment), with where the template reads them. The templates are not in the
     * upstream folder: each line was checked by hand against the chart's source at the same tag.
     */
    readonly templateOnly?: Readonly<Record<string, string>>;
}

/** Charts by name (the last segment of the chart reference), at the versions the program pins. */
const CHARTS: Record<string, ChartSource> = {
    karpenter: {
        values: "karpenter-provider-aws/v1.8.1/charts/karpenter/values.yaml",
        chartYaml: "karpenter-provider-aws/v1.8.1/charts/karpenter/Chart.yaml",
        fileVersion: {
            version: "1.8.0",
            why: "the v1.8.1 tag's Chart.yaml (and values.yaml's image tag) still say 1.8.0: Karpenter stamps the release version when it publishes the OCI chart",
        },
    },
    "kuberay-operator": {
        values: "kuberay/v1.4.2/helm-chart/kuberay-operator/values.yaml",
        chartYaml: "kuberay/v1.4.2/helm-chart/kuberay-operator/Chart.yaml",
        templateOnly: {
            nodeSelector: "templates/deployment.yaml renders {{- with .Values.nodeSelector }} (v1.4.2); values.yaml does not declare it",
            "resources.requests": "values.yaml has it commented out; templates/deployment.yaml renders .Values.resources whole",
        },
    },
    "neuron-helm-chart": { values: "neuron-helm-charts/1.1.2/charts/neuron-helm-chart/values.yaml", chartYaml: "neuron-helm-charts/1.1.2/charts/neuron-helm-chart/Chart.yaml" },
    "nvidia-device-plugin": {
        values: "k8s-device-plugin/v0.17.1/deployments/helm/nvidia-device-plugin/values.yaml",
        chartYaml: "k8s-device-plugin/v0.17.1/deployments/helm/nvidia-device-plugin/Chart.yaml",
    },
};

/**
 * Charts whose pinned values.yaml and Chart.yaml the upstream folder does not hold yet: their values
 * go unchecked, said here by name and version rather than passed in silence. Each line is a file to
 * add to the upstream folder (and to upstream.lock.json), after which the chart moves to CHARTS.
 */
const NOT_IN_UPSTREAM: Readonly<Record<string, string>> = {
    "cert-manager": "v1.19.2: charts/cert-manager values.yaml and Chart.yaml of cert-manager/cert-manager are not in the upstream folder",
};

const HELM_TYPES = new Set(["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v3:Chart", "kubernetes:helm.sh/v4:Chart"]);

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const kindOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "list" : typeof v === "object" ? "map" : typeof v);

/**
 * Paths of `ours` that `upstream` (a chart's values.yaml) does not define, or defines as another
 * kind. An empty map or null upstream is free-form (nodeSelector: {}, resources: {}), as is a list.
 */
export function unknownValues(ours: unknown, upstream: unknown, path = ""): string[] {
    if (!isMap(ours)) return [];
    const problems: string[] = [];
    for (const [key, value] of Object.entries(ours)) {
        const at = path ? `${path}.${key}` : key;
        if (!isMap(upstream) || !(key in upstream)) {
            problems.push(`${at}: not in values.yaml`);
            continue;
        }
        const theirs = upstream[key];
        if (theirs === null || (isMap(theirs) && Object.keys(theirs).length === 0)) continue;
        if (isMap(value) !== isMap(theirs) || Array.isArray(value) !== Array.isArray(theirs)) {
            problems.push(`${at}: values.yaml has a ${kindOf(theirs)}, the program sets a ${kindOf(value)}`);
        } else if (isMap(value)) {
            problems.push(...unknownValues(value, theirs, at));
        } else if (!Array.isArray(value) && typeof value !== typeof theirs) {
            problems.push(`${at}: values.yaml has a ${kindOf(theirs)}, the program sets a ${kindOf(value)}`);
        }
    }
    return problems;
}

interface Release {
    readonly where: string;
    readonly chart: string;
    readonly name: string;
    readonly version: string;
    readonly values: unknown;
}

function releases(plans: ReadonlyArray<{ label: string; resources: PlannedResource[] }>): Release[] {
    return plans.flatMap((p) =>
        p.resources
            .filter((r) => HELM_TYPES.has(r.type))
            .map((r) => {
                const chart = String(r.inputs.chart);
                return { where: `${p.label} ${r.name}`, chart, name: chart.split("/").pop()!, version: String(r.inputs.version), values: r.inputs.values ?? {} };
            }),
    );
}

/** A release whose chart name or pinned version differs from the upstream Chart.yaml. */
function versionProblems(r: Release): string[] {
    const source = CHARTS[r.name];
    const meta = parse(readUpstream(source.chartYaml)) as { name: string; version: string };
    const problems: string[] = [];
    if (meta.name !== r.name) problems.push(`${r.where}: Chart.yaml names ${meta.name}, the program installs ${r.name}`);
    // The Karpenter exception holds for the one pin it was written for.
    const expected = source.fileVersion && r.version === PINNED_WITH_EXCEPTION[r.name] ? source.fileVersion.version : r.version;
    if (String(meta.version) !== expected) problems.push(`${r.where}: pins ${r.name} ${r.version}; the pinned Chart.yaml is ${meta.version}`);
    return problems;
}
/** The pins a `fileVersion` exception was written for. */
const PINNED_WITH_EXCEPTION: Record<string, string> = { karpenter: "1.8.1" };

const countLeaves = (v: unknown): number => (isMap(v) ? Object.values(v).reduce<number>((n, x) => n + countLeaves(x), 0) : 1);

describe("conformance: every Helm value against the chart's values.yaml at the pinned version", () => {
    let all: Release[];
    let unchecked: Release[];
    before(async () => {
        const planned = releases(await conformancePlans());
        unchecked = planned.filter((r) => r.name in NOT_IN_UPSTREAM);
        all = planned.filter((r) => !(r.name in NOT_IN_UPSTREAM));
    });

    it("every chart the program installs has its pinned values.yaml and Chart.yaml", () => {
        assert.ok(all.length >= 4, `only ${all.length} Helm releases planned`);
        // The known gaps are still installed (a stale line would hide nothing, but says something false).
        for (const name of Object.keys(NOT_IN_UPSTREAM)) assert.ok(unchecked.some((r) => r.name === name), `${name} is no longer installed: drop it from NOT_IN_UPSTREAM`);
        if (unchecked.length > 0) console.log(`      unchecked (no upstream values.yaml): ${Object.entries(NOT_IN_UPSTREAM).map(([n, why]) => `${n} ${why}`).join("; ")}`);
        assert.deepEqual([...new Set(all.map((r) => r.name))].filter((n) => !(n in CHARTS)), []);
        for (const name of Object.keys(CHARTS)) assert.ok(all.some((r) => r.name === name), `no plan installs ${name}: the matrix misses it`);
    });

    it("pins the chart versions the upstream files are from", () => {
        assert.deepEqual(all.flatMap(versionProblems), []);
    });

    it("every value set exists in values.yaml with the same kind", () => {
        const problems = all.flatMap((r) =>
            unknownValues(r.values, parse(readUpstream(CHARTS[r.name].values)))
                .filter((p) => !(p.split(":")[0] in (CHARTS[r.name].templateOnly ?? {})))
                .map((p) => `${r.where} (${r.name} ${r.version}): ${p}`),
        );
        const leaves = all.reduce((n, r) => n + countLeaves(r.values), 0);
        console.log(`      ${all.length} releases of ${new Set(all.map((r) => r.name)).size} charts, ${leaves} values checked`);
        assert.deepEqual(problems, []);
    });

    it("negative control: a misspelt key, a key under a wrong parent and a wrong kind are refused", () => {
        const karpenter = parse(readUpstream(CHARTS.karpenter.values));
        assert.deepEqual(unknownValues({ settings: { interruptionQueueName: "q" } }, karpenter), ["settings.interruptionQueueName: not in values.yaml"]);
        assert.deepEqual(unknownValues({ controller: { blockDevice: {} } }, karpenter), ["controller.blockDevice: not in values.yaml"]);
        assert.deepEqual(unknownValues({ settings: "cluster" }, karpenter), ["settings: values.yaml has a map, the program sets a string"]);
        assert.deepEqual(unknownValues({ replicas: "2" }, karpenter), ["replicas: values.yaml has a number, the program sets a string"]);
        // Free-form maps upstream (podLabels: {}) accept any key.
        assert.deepEqual(unknownValues({ podLabels: { anything: "x" } }, karpenter), []);
    });

    it("every template-only exception is still needed (no stale line hides a key)", () => {
        for (const [name, source] of Object.entries(CHARTS)) {
            const found = new Set(all.filter((r) => r.name === name).flatMap((r) => unknownValues(r.values, parse(readUpstream(source.values))).map((p) => p.split(":")[0])));
            for (const key of Object.keys(source.templateOnly ?? {})) assert.ok(found.has(key), `${name}: ${key} is declared in values.yaml or unused now; drop the exception`);
        }
    });

    it("negative control: a pinned version that differs from Chart.yaml is reported", () => {
        const kuberay = all.find((r) => r.name === "kuberay-operator")!;
        assert.deepEqual(versionProblems({ ...kuberay, version: "1.4.1" }), [`${kuberay.where}: pins kuberay-operator 1.4.1; the pinned Chart.yaml is 1.4.2`]);
        const karpenter = all.find((r) => r.name === "karpenter")!;
        assert.equal(versionProblems({ ...karpenter, version: "1.8.2" }).length, 1, "the Karpenter exception is for 1.8.1 only");
    });
});
