import { strict as assert } from "node:assert";
import { inFlightScaledObject, ScaledObjectArgs } from "../../../components/observability/keda";
import { inFlightQuery } from "../../../components/observability/signals";

const ARGS: ScaledObjectArgs = {
    name: "model-server",
    namespace: "llm",
    deployment: "model-server",
    server: "vllm",
    selector: 'namespace="llm",job="model-server-metrics"',
    minReplicas: 1,
    maxReplicas: 4,
    targetInFlightPerReplica: 34,
    serverAddress: "https://example.prometheus.monitor.azure.com",
    authenticationRef: "azure-monitor",
};

/** @kubernetes-models/keda is ESM-only: loaded with a dynamic import, as the Karpenter models are. */
async function scaledObjectModel() {
    const { ScaledObject } = await import("@kubernetes-models/keda/keda.sh/v1alpha1");
    return ScaledObject;
}

describe("KEDA ScaledObject on requests in flight (validated against @kubernetes-models/keda)", () => {
    it("is a valid ScaledObject scaling the Deployment on running + waiting per replica", async () => {
        const ScaledObject = await scaledObjectModel();
        const so = inFlightScaledObject(ARGS);
        new ScaledObject(so as never).validate();
        assert.deepEqual(so.spec.scaleTargetRef, { apiVersion: "apps/v1", kind: "Deployment", name: "model-server" });
        assert.equal(so.spec.triggers[0].metadata.query, inFlightQuery("vllm", ARGS.selector));
        assert.equal(so.spec.triggers[0].metadata.threshold, "34");
        assert.equal(so.spec.triggers[0].metricType, "AverageValue");
    });

    it("negative control: the schema refuses a ScaledObject without scaleTargetRef", async () => {
        const ScaledObject = await scaledObjectModel();
        const so = inFlightScaledObject(ARGS) as unknown as { spec: Record<string, unknown> };
        delete so.spec.scaleTargetRef;
        assert.throws(() => new ScaledObject(so as never).validate());
    });

    it("refuses scale to zero and min > max (a cold start loads the model for minutes)", () => {
        assert.throws(() => inFlightScaledObject({ ...ARGS, minReplicas: 0 }), /need 1 <= min <= max/);
        assert.throws(() => inFlightScaledObject({ ...ARGS, minReplicas: 5 }), /need 1 <= min <= max/);
    });
});
