import assert from "node:assert/strict";
import { minReplicas } from "../../../policies/rules/minReplicas";
import type { PlannedResource } from "../../../policies/evaluate";
import { assertNoViolations, assertOneViolation, runStackPolicy } from "../../helpers/policyArgs";
import { mutated, setPath } from "../../helpers/policyFixtures";
import { gcpFallbackStack, mutatedIn } from "../../helpers/policyFixtures";
import { gcpAutoscaler, mlAutoscale, mlDeployment, modelServerDeployment, rayService } from "../../helpers/policySecurityFixtures";

const azureMl = (): PlannedResource[] => {
    const deployment = mlDeployment();
    return [deployment, mlAutoscale(deployment)];
};

const CASES: ReadonlyArray<{ what: string; stack: () => PlannedResource[]; name: string; mutate: (i: Record<string, unknown>) => void; parts: string[] }> = [
    { what: "a GCP autoscaler down to 1", stack: () => [gcpAutoscaler()], name: "llm-autoscaler", mutate: (i) => setPath(i, ["autoscalingPolicy", "minReplicas"], 1), parts: ["autoscalingPolicy.minReplicas is 1"] },
    { what: "a single-replica model server Deployment", stack: () => [modelServerDeployment()], name: "llm-deployment-k8s", mutate: (i) => setPath(i, ["spec", "replicas"], 1), parts: ["spec.replicas is 1"] },
    { what: "an Azure ML autoscale minimum of 1", stack: azureMl, name: "llm-autoscale", mutate: (i) => setPath(i, ["profiles", 0, "capacity", "minimum"], "1"), parts: ["capacity.minimum is 1"] },
    {
        what: "a RayService whose Serve app may scale to 1",
        stack: () => [rayService()],
        name: "llm-rayservice",
        mutate: (i) => setPath(i, ["spec", "serveConfigV2"], String((i.spec as Record<string, unknown>).serveConfigV2).replace("min_replicas: 2", "min_replicas: 1")),
        parts: ["serveConfigV2 min_replicas is 1"],
    },
    {
        what: "a RayService without GCS fault tolerance (its head a single point of failure)",
        stack: () => [rayService()],
        name: "llm-rayservice",
        mutate: (i) => delete (i.spec as { rayClusterConfig: Record<string, unknown> }).rayClusterConfig.gcsFaultToleranceOptions,
        parts: ["gcsFaultToleranceOptions is not set", "gcsFaultTolerance: true"],
    },
    {
        what: "a RayService whose Redis password is a literal",
        stack: () => [rayService()],
        name: "llm-rayservice",
        mutate: (i) => setPath(i, ["spec", "rayClusterConfig", "gcsFaultToleranceOptions", "redisPassword"], { value: "hunter2hunter2" }),
        parts: ["redisPassword must come from a Secret"],
    },
    {
        what: "a RayService whose Redis is plain redis:// (the AUTH token in clear)",
        stack: () => [rayService()],
        name: "llm-rayservice",
        mutate: (i) => setPath(i, ["spec", "rayClusterConfig", "gcsFaultToleranceOptions", "redisAddress"], "redis://redis.example.invalid:6379"),
        parts: ["redisAddress must use TLS (rediss://)"],
    },
    {
        what: "a RayService on rediss:// whose head has no CA for Ray's Redis client (the head cannot connect)",
        stack: () => [rayService()],
        name: "llm-rayservice",
        mutate: (i) => setPath(i, ["spec", "rayClusterConfig", "headGroupSpec", "template", "spec", "containers", 0, "env"], []),
        parts: ["neither RAY_REDIS_CA_CERT nor RAY_REDIS_CA_PATH"],
    },
];

describe("policy min-replicas", () => {
    for (const c of CASES) {
        it(`passes the compliant fixture and blocks ${c.what}`, async () => {
            assertNoViolations(await runStackPolicy(minReplicas, c.stack()));
            const stack = c.stack().map((r) => (r.name === c.name ? mutated(r, c.mutate) : r));
            assertOneViolation(await runStackPolicy(minReplicas, stack), c.parts);
        });
    }

    it("asks a RayService for GCS fault tolerance unless the stack's config turns that off", async () => {
        const bare = mutated(rayService(), (i) => delete (i.spec as { rayClusterConfig: Record<string, unknown> }).rayClusterConfig.gcsFaultToleranceOptions);
        assertOneViolation(await runStackPolicy(minReplicas, [bare], { requireRayGcsFaultTolerance: true }), ["gcsFaultToleranceOptions is not set"]);
        assertNoViolations(await runStackPolicy(minReplicas, [bare], { requireRayGcsFaultTolerance: false }));
    });

    it("checks an Azure ML deployment's own capacity only when no autoscale setting targets it", async () => {
        const [deployment] = azureMl();
        assertOneViolation(await runStackPolicy(minReplicas, [mutated(deployment, (i) => setPath(i, ["sku", "capacity"], 1))]), ["sku.capacity is 1"]);
        assertNoViolations(await runStackPolicy(minReplicas, [mutated(deployment, (i) => setPath(i, ["sku", "capacity"], 1)), mlAutoscale(deployment)]));
    });
});

describe("policy min-replicas: groups that serve one endpoint together (issue 19)", () => {
    it("counts a spot group and its on-demand floor together: 1 + 1 = 2 passes", async () => {
        assertNoViolations(await runStackPolicy(minReplicas, gcpFallbackStack()));
    });

    it("blocks the pair once when their minimums add up below 2", async () => {
        const stack = mutatedIn(gcpFallbackStack(), "llm-floor-autoscaler", (i) => setPath(i, ["autoscalingPolicy", "minReplicas"], 0));
        assertOneViolation(await runStackPolicy(minReplicas, stack), ["the groups of share llm keep 1 replicas at their minimum together, below 2"]);
    });

    it("negative control: without the share labels each group is checked alone", async () => {
        const plain = gcpFallbackStack().map((r) => ({ ...r, inputs: { ...(r.inputs as Record<string, unknown>), labels: {} } }));
        const reported = await runStackPolicy(minReplicas, plain);
        assert.equal(reported.length, 2);
    });
});

describe("policy min-replicas: a RayService's worker groups serve one Serve app (issue 19's floor group)", () => {
    const withGroups = (mins: number[]) =>
        mutated(rayService(), (i) => {
            const cluster = (i.spec as { rayClusterConfig: { workerGroupSpecs: Record<string, unknown>[] } }).rayClusterConfig;
            const [group] = cluster.workerGroupSpecs;
            cluster.workerGroupSpecs = mins.map((min, n) => ({ ...group, groupName: n === 0 ? "inf2" : "inf2-floor", minReplicas: min, maxReplicas: Math.max(min, 1) }));
        });

    it("passes a spot group of 1 beside an always-on floor group of 1 (2 workers together)", async () => {
        assertNoViolations(await runStackPolicy(minReplicas, [withGroups([1, 1])]));
    });

    it("blocks groups that keep fewer than 2 workers together (negative control)", async () => {
        const resource = withGroups([0, 1]);
        assertOneViolation(await runStackPolicy(minReplicas, [resource]), ["llm-rayservice", "summed over its 2 groups is 1, below 2"], resource.urn);
    });

    it("still judges a single group on its own", async () => {
        const resource = withGroups([1]);
        assertOneViolation(await runStackPolicy(minReplicas, [resource]), ["workerGroupSpecs[0].minReplicas is 1"], resource.urn);
    });
});
