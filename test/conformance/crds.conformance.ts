import { strict as assert } from "node:assert";
import type { PlannedResource } from "../../plan/mocks";
import { CRD_FILES, CrdKind, crdProblems } from "./crds";
import { resourcesOfType } from "./plans";

/** Pulumi's type token of each custom resource kind (`kubernetes:<apiVersion>:<kind>`). */
const TYPE_OF: Record<CrdKind, string> = {
    "karpenter.sh/v1:NodePool": "kubernetes:karpenter.sh/v1:NodePool",
    "karpenter.k8s.aws/v1:EC2NodeClass": "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass",
    "ray.io/v1:RayService": "kubernetes:ray.io/v1:RayService",
};

const clone = <T>(o: T): T => JSON.parse(JSON.stringify(o)) as T;

/** The object a CustomResource sends to the API server: its registered inputs. */
function objectOf(resource: PlannedResource): Record<string, unknown> {
    return resource.inputs;
}

/** Sets `value` at `path` (creating objects on the way) in a copy of `object`. */
function withValue(object: Record<string, unknown>, path: readonly (string | number)[], value: unknown): Record<string, unknown> {
    const copy = clone(object);
    let at: Record<string | number, unknown> = copy;
    for (const key of path.slice(0, -1)) at = (at[key] ??= {}) as Record<string | number, unknown>;
    at[path[path.length - 1]] = value;
    return copy;
}

/** One unknown field and one wrong type per kind, at places every planned object has. */
const BROKEN: Record<CrdKind, { unknown: (string | number)[]; wrongType: [(string | number)[], unknown] }> = {
    "karpenter.sh/v1:NodePool": { unknown: ["spec", "template", "spec", "expireAfterr"], wrongType: [["spec", "disruption", "budgets"], { nodes: "1" }] },
    "karpenter.k8s.aws/v1:EC2NodeClass": { unknown: ["spec", "blockDevice"], wrongType: [["spec", "metadataOptions", "httpPutResponseHopLimit"], "1"] },
    "ray.io/v1:RayService": {
        unknown: ["spec", "rayClusterConfig", "workerGroupSpecs", 0, "maxReplica"],
        wrongType: [["spec", "rayClusterConfig", "workerGroupSpecs", 0, "maxReplicas"], "2"],
    },
};

describe("conformance: Karpenter and KubeRay objects against the full upstream CRDs (unknown fields refused)", () => {
    for (const kind of Object.keys(CRD_FILES) as CrdKind[]) {
        describe(`${kind} (${CRD_FILES[kind]})`, () => {
            let planned: Array<{ plan: string; resource: PlannedResource }>;
            before(async () => {
                planned = await resourcesOfType(TYPE_OF[kind]);
            });

            it("every planned object is valid", () => {
                // Committed dev and the eksInf2 variants each carry one of each kind.
                assert.ok(planned.length >= 2, `only ${planned.length} planned ${kind}`);
                const problems = planned.flatMap(({ plan, resource }) => crdProblems(kind, objectOf(resource)).map((p) => `${plan} ${resource.name}: ${p}`));
                assert.deepEqual(problems, []);
            });

            it("negative control: an unknown field is refused", () => {
                const broken = withValue(objectOf(planned[0].resource), BROKEN[kind].unknown, "x");
                const problems = crdProblems(kind, broken);
                assert.ok(problems.some((p) => p.includes("must NOT have additional properties")), problems.join("\n"));
            });

            it("negative control: a wrong type is refused", () => {
                const [path, value] = BROKEN[kind].wrongType;
                const problems = crdProblems(kind, withValue(objectOf(planned[0].resource), path, value));
                assert.ok(problems.some((p) => p.includes("must be")), problems.join("\n"));
            });
        });
    }
});
