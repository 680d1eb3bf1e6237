import { strict as assert } from "node:assert";
import { AML_DEPLOYMENT_NAME } from "../../../targets/azureMl/AzureMlEndpoint";
import { trafficCommands } from "../../../targets/azureMl/aml";
import { MockRun, PlannedResource } from "../../../plan/mocks";
import { planDocument } from "../../../plan/render";
import { one, plan, stackFrom, TEST_TAGS } from "../../helpers/program";
import { AML, everyText, HF_SENTINEL, SECRETS } from "../../components/azure/fixtures";

const T = {
    component: "llm-serving:azure:AzureMlEndpoint",
    workspace: "azure-native:machinelearningservices:Workspace",
    endpoint: "azure-native:machinelearningservices:OnlineEndpoint",
    deployment: "azure-native:machinelearningservices:OnlineDeployment",
    autoscale: "azure-native:monitor:AutoscaleSetting",
    environment: "azure-native:machinelearningservices:EnvironmentVersion",
    registry: "azure-native:containerregistry:Registry",
    command: "command:local:Command",
};

describe("AzureMlEndpoint under mocks", function () {
    let run: MockRun<unknown>;
    let resources: PlannedResource[];
    before(async () => {
        run = await plan(stackFrom({ tags: TEST_TAGS, targets: { azureMl: AML } }, SECRETS));
        resources = run.resources;
    });
    const obj = (r: PlannedResource, key: string) => r.inputs[key] as Record<string, any>;

    it("creates a workspace with its storage, Key Vault, Application Insights and registry, not public by default", () => {
        const ws = one(resources, T.workspace);
        assert.equal(ws.inputs.publicNetworkAccess, "Disabled");
        for (const dep of ["storageAccount", "keyVault", "applicationInsights", "containerRegistry"]) {
            assert.ok(ws.propertyDependencies[dep]?.length === 1, `workspace ${dep} is wired`);
        }
    });

    it("never serves anonymously: key auth by default", () => {
        assert.equal(obj(one(resources, T.endpoint), "properties").authMode, "Key");
    });

    it("runs the model server as a custom container with /health probes and request settings for generation", () => {
        const props = obj(one(resources, T.deployment), "properties");
        assert.equal(props.endpointComputeType, "Managed");
        assert.equal(props.instanceType, "Standard_NC24ads_A100_v4");
        assert.ok(props.livenessProbe.initialDelay);
        assert.ok(props.readinessProbe.failureThreshold > 3);
        assert.equal(props.requestSettings.requestTimeout, "PT180S");
        const routes = obj(one(resources, T.environment), "properties").inferenceConfig;
        assert.equal(routes.livenessRoute.path, "/health");
        assert.equal(routes.readinessRoute.path, "/health");
    });

    it("passes the HF token only as an Azure ML secret reference, never a value", () => {
        const env = obj(one(resources, T.deployment), "properties").environmentVariables as Record<string, string>;
        assert.match(env.HF_TOKEN, /^\$\{\{azureml:\/\/connections\/huggingface\/credentials\/token\}\}$/);
    });

    it("autoscales the deployment between the configured bounds, targeting the deployment", () => {
        const scale = one(resources, T.autoscale);
        const deployment = one(resources, T.deployment);
        assert.deepEqual(scale.propertyDependencies.targetResourceUri, [deployment.urn]);
        const profile = (scale.inputs.profiles as Array<Record<string, any>>)[0];
        assert.deepEqual(profile.capacity, { minimum: "2", maximum: "3", default: "2" });
        assert.equal(obj(deployment, "sku").capacity, 2);
    });

    it("names the container registry with letters and digits only (ARM refuses an autoname's hyphens)", () => {
        const name = one(resources, T.registry).inputs.registryName;
        assert.equal(typeof name, "string", "registryName is set, not left to autonaming");
        assert.match(name as string, /^[a-zA-Z0-9]{5,50}$/);
    });

    it("routes traffic without a second resource at the endpoint's ARM id (azure-native refuses to create what exists)", () => {
        assert.deepEqual(resources.filter((r) => r.type === "azure-native:resources:Resource"), []);
        const props = obj(one(resources, T.endpoint), "properties");
        assert.equal(props.traffic, undefined, "a split on create would name a deployment that does not exist yet");
    });

    it("sends all traffic to the deployment once it exists, and releases it before the deployment is deleted", () => {
        const traffic = one(resources, T.command);
        const [endpoint, deployment] = [one(resources, T.endpoint), one(resources, T.deployment)];
        assert.ok(traffic.dependencies?.includes(endpoint.urn) && traffic.dependencies.includes(deployment.urn), "runs after both");
        const env = traffic.inputs.environment as Record<string, string>;
        assert.equal(env.AML_TRAFFIC, `${AML_DEPLOYMENT_NAME}=100`);
        assert.equal(env.AML_TRAFFIC_RELEASED, `${AML_DEPLOYMENT_NAME}=0`);
        assert.deepEqual(traffic.propertyDependencies.environment?.includes(deployment.urn), true, "a new deployment re-runs it");
        assert.match(traffic.inputs.create as string, /az ml online-endpoint update .*--traffic "\$\{AML_TRAFFIC\}"/);
        assert.equal(traffic.inputs.update, traffic.inputs.create);
        assert.match(traffic.inputs.delete as string, /--traffic "\$\{AML_TRAFFIC_RELEASED\}"/);
    });

    it("a traffic split that does not add up to 100 is refused", () => {
        assert.throws(() => trafficCommands({ a: 50, b: 40 }), /add up to 100, got 90/);
        assert.deepEqual([trafficCommands({ a: 90, b: 10 }).split, trafficCommands({ a: 90, b: 10 }).released], ["a=90 b=10", "a=0 b=0"]);
    });

    it("parents every child to the component and leaks no secret into the plan", () => {
        const component = one(resources, T.component);
        for (const r of resources.filter((r) => r !== component)) assert.equal(r.parent, component.urn, `${r.type} ${r.name}`);
        const outputs = run.outputs as { endpoints: Record<string, string> };
        assert.equal(outputs.endpoints.azureMl, "https://azure-ml-endpoint.eastus.inference.ml.azure.com/v1");
        const text = everyText({ plan: planDocument("llm-serving", "test", resources), outputs });
        assert.ok(!text.includes(HF_SENTINEL));
        assert.ok(!text.includes("mock-endpoint-primary-key"), "the endpoint key stays secret");
    });

    it("honours AADToken auth and an opened workspace", async () => {
        const { resources } = await plan(
            stackFrom({ tags: TEST_TAGS, targets: { azureMl: { ...AML, authMode: "AADToken", publicNetworkAccess: true } } }),
        );
        assert.equal((one(resources, T.endpoint).inputs.properties as Record<string, unknown>).authMode, "AADToken");
        assert.equal(one(resources, T.workspace).inputs.publicNetworkAccess, "Enabled");
    });
});
