// The target table and what is derived from it: the `targets` schema, the deploy order, the
// plan's mocks and the README's target table.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { mergeMocks, MOCK_INVOKES, MOCK_OUTPUTS } from "../../plan/mockOutputs";
import { currentTargetTable, targetTable } from "../../scripts/readmeTargets";
import { TARGET_NAMES, targetsSchema, TargetsConfig } from "../../stack";
import { ALL_TARGETS, TARGETS } from "../../targets";
import type { GcpSpotL4Config } from "../../targets/gcpSpotL4/config";
import type { GpuVmConfig } from "../../targets/gpuVm/config";
import { PROJECT_DIR } from "../helpers/program";

// Compile-time: the derived schema keeps each target's own config type (typecheck fails otherwise).
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const gcpTyped: Equal<TargetsConfig["gcpSpotL4"], GcpSpotL4Config | undefined> = true;
const vmTyped: Equal<TargetsConfig["gpuVm"], GpuVmConfig | undefined> = true;

describe("the target table", () => {
    it("keeps each target's config type in the derived schema", () => {
        assert.ok(gcpTyped && vmTyped);
    });

    it("lists each key once, in deploy order, and the schema accepts exactly those keys in that order", () => {
        const keys = ALL_TARGETS.map((t) => t.key);
        assert.deepEqual(keys, ["gcpSpotL4", "eksInf2", "aksGpu", "azureMl", "gpuVm", "gkeL4"]);
        assert.equal(new Set(keys).size, keys.length);
        assert.deepEqual(TARGET_NAMES, keys);
        assert.deepEqual(Object.keys(targetsSchema.shape), keys);
    });

    it("keeps every component name (part of each deployed child's URN) as deployed", () => {
        assert.deepEqual(Object.fromEntries(TARGETS.map((t) => [t.key, t.componentName])), {
            gcpSpotL4: "gcp-spot-l4",
            eksInf2: "eks-inf2",
            aksGpu: "aks-gpu",
            azureMl: "azure-ml",
            gpuVm: "gpu-vm",
            gkeL4: "gke-l4",
        });
    });

    it("merges every target's mocks into the plan's, and refuses a type mocked twice", () => {
        for (const t of ALL_TARGETS) {
            for (const [type, mock] of Object.entries(t.mockOutputs ?? {})) assert.equal(MOCK_OUTPUTS[type], mock, type);
            for (const [token, mock] of Object.entries(t.mockInvokes ?? {})) assert.equal(MOCK_INVOKES[token], mock, token);
        }
        const mock = () => ({});
        assert.throws(
            () => mergeMocks({ "aws:iam/role:Role": mock }, [["eksInf2", { "aws:iam/role:Role": mock }]]),
            /aws:iam\/role:Role is mocked by both plan\/mockOutputs\.ts and target eksInf2/,
        );
        assert.throws(() => mergeMocks({}, [["a", { t: mock }], ["b", { t: mock }]]), /t is mocked by both target a and target b/);
    });

    it("is the README's target table (npm run readme:targets regenerates it)", () => {
        const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
        assert.equal(currentTargetTable(readme), targetTable(), "README target table is stale: run npm run readme:targets");
        // Negative controls: a row missing, or a target the README does not list, is caught.
        assert.notEqual(currentTargetTable(readme.replace(/^\| `gpuVm` .*\n/m, "")), targetTable());
        assert.notEqual(currentTargetTable(readme), targetTable([...ALL_TARGETS, { ...ALL_TARGETS[0], key: "sixth" }]));
    });
});
