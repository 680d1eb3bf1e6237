import { strict as assert } from "node:assert";
import { cloudOf, modelServerObservability } from "../../../policies/rules/modelServerObservability";
import { PlannedResource } from "../../../plan/mocks";
import { assertNoViolations, assertOneViolation, runStackPolicy } from "../../helpers/policyArgs";
import { mutated, planned } from "../../helpers/policyFixtures";
import { plan, stackFrom, TEST_TAGS } from "../../helpers/program";

const MODEL = { id: "mistralai/Mistral-7B-Instruct-v0.2", servedName: "mistral-7b", maxModelLen: 8192 };
const GCP = { project: "acme-llm-test", region: "us-central1", replicas: { min: 1, max: 2 }, plaintextHttp: true };
const TEMPLATE = "gcp:compute/instanceTemplate:InstanceTemplate";
const ALERT = "gcp:monitoring/alertPolicy:AlertPolicy";

describe("policy model-server-observability", function () {
    this.timeout(120_000);
    let withTargets: PlannedResource[];
    let withoutTargets: PlannedResource[];
    before(async () => {
        ({ resources: withTargets } = await plan(stackFrom({ model: MODEL, tags: TEST_TAGS, targets: { gcpSpotL4: GCP }, notifications: { emails: ["oncall@example.com"] } })));
        ({ resources: withoutTargets } = await plan(stackFrom({ model: MODEL, tags: TEST_TAGS, targets: { gcpSpotL4: GCP } })));
    });

    it("passes gcpSpotL4 as the program builds it: a collector beside the server, alerts routed to the stack's e-mail channel", async () => {
        assert.ok(withTargets.some((r) => r.type === ALERT));
        assertNoViolations(await runStackPolicy(modelServerObservability, withTargets));
    });

    it("blocks a stack without notification targets: its alerts notify no one (a violation, not a config error)", async () => {
        const reported = await runStackPolicy(modelServerObservability, withoutTargets);
        const template = withoutTargets.find((r) => r.type === TEMPLATE)!;
        assert.ok(reported.some((r) => r.urn === template.urn && r.message.includes("no alert routes anywhere")), JSON.stringify(reported));
        // Each of the five alert policies is named too.
        assert.equal(reported.filter((r) => r.message.includes("this alert notifies no one")).length, 5);
    });

    it("blocks a model server whose boot script starts no collector", async () => {
        const resources = withTargets.map((r) =>
            r.type === TEMPLATE
                ? mutated(r, (i) => {
                      const md = i.metadata as Record<string, string>;
                      md["startup-script"] = md["startup-script"].replace(/docker run -d --name metrics-collector[\s\S]*$/, "");
                  })
                : r,
        );
        assertOneViolation(await runStackPolicy(modelServerObservability, resources), ["no metrics-collector container"]);
    });

    it("blocks a model server with alerts only in another cloud", async () => {
        const deployment = planned("kubernetes:apps/v1:Deployment", "aks-gpu-deployment", {
            spec: { template: { spec: { containers: [{ name: "vllm", image: "vllm/vllm-openai:v0.11.0", ports: [{ containerPort: 8000 }] }] } } },
        });
        const inAks = { ...deployment, urn: deployment.urn.replace("::kubernetes:apps/v1:Deployment::", "::llm-serving:azure:AksGpuNodePool$kubernetes:apps/v1:Deployment::") };
        assert.equal(cloudOf(inAks), "azure");
        const podMonitor = planned("kubernetes:azmonitoring.coreos.com/v1:PodMonitor", "aks-gpu-metrics", {});
        const reported = await runStackPolicy(modelServerObservability, [...withTargets, inAks, podMonitor]);
        assertOneViolation(reported, ["no azure alerts"], inAks.urn);
    });

    describe("gpuVm (vLLM on an Azure VM)", () => {
        const VM_TARGET = {
            location: "eastus",
            vmSize: "Standard_NC4as_T4_v3",
            sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJfoWyC9ZHstsumTKS3eh/fuQYXsbvuvDYGhGjnDN5/H a@example.com",
            allowedCidrs: ["203.0.113.0/24"],
            plaintextHttp: true,
        };
        const VM = "azure-native:compute:VirtualMachine";
        let vmWith: PlannedResource[];
        let vmWithout: PlannedResource[];
        before(async () => {
            ({ resources: vmWith } = await plan(stackFrom({ model: MODEL, tags: TEST_TAGS, targets: { gpuVm: VM_TARGET }, notifications: { emails: ["oncall@example.com"] } })));
            ({ resources: vmWithout } = await plan(stackFrom({ model: MODEL, tags: TEST_TAGS, targets: { gpuVm: VM_TARGET } })));
        });
        const withoutCollector = (resources: PlannedResource[]) =>
            resources.map((r) =>
                r.type === VM
                    ? mutated(r, (i) => {
                          const os = i.osProfile as Record<string, string>;
                          const text = Buffer.from(os.customData, "base64").toString("utf8");
                          os.customData = Buffer.from(text.replace(/--name metrics-collector/g, "--name something-else")).toString("base64");
                      })
                    : r,
            );

        it("passes as the program builds it: the collector in its cloud-init, a workspace, alerts routed to the action group", async () => {
            assert.ok(vmWith.some((r) => r.type === "azure-native:alertsmanagement:PrometheusRuleGroup"));
            assertNoViolations(await runStackPolicy(modelServerObservability, vmWith));
        });

        it("blocks it without notification targets: the rule group's rules have no actions", async () => {
            const reported = await runStackPolicy(modelServerObservability, vmWithout);
            const vm = vmWithout.find((r) => r.type === VM)!;
            assert.ok(reported.some((r) => r.urn === vm.urn && r.message.includes("no alert routes anywhere")), JSON.stringify(reported));
        });

        it("blocks it when its cloud-init starts no collector", async () => {
            assertOneViolation(await runStackPolicy(modelServerObservability, withoutCollector(vmWith)), ["no metrics-collector container"]);
        });

        it("blocks it when no Azure Monitor workspace receives what its collector writes", async () => {
            const resources = vmWith.filter((r) => r.type !== "azure-native:monitor:AzureMonitorWorkspace");
            assertOneViolation(await runStackPolicy(modelServerObservability, resources), ["no Azure Monitor workspace"]);
        });
    });

    describe("gpuVm on a CPU size (llama.cpp's server)", () => {
        const CPU_TARGET = {
            location: "eastus",
            vmSize: "Standard_D8s_v5",
            sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJfoWyC9ZHstsumTKS3eh/fuQYXsbvuvDYGhGjnDN5/H a@example.com",
            allowedCidrs: ["203.0.113.0/24"],
            plaintextHttp: true,
        };
        const VM = "azure-native:compute:VirtualMachine";
        let cpu: PlannedResource[];
        before(async () => {
            ({ resources: cpu } = await plan(stackFrom({ model: MODEL, tags: TEST_TAGS, targets: { gpuVm: CPU_TARGET }, notifications: { emails: ["oncall@example.com"] } })));
        });
        const editScript = (resources: PlannedResource[], edit: (text: string) => string) =>
            resources.map((r) =>
                r.type === VM
                    ? mutated(r, (i) => {
                          const os = i.osProfile as Record<string, string>;
                          os.customData = Buffer.from(edit(Buffer.from(os.customData, "base64").toString("utf8"))).toString("base64");
                      })
                    : r,
            );

        it("passes as the program builds it: llama-server with --metrics, the collector beside it, alerts routed", async () => {
            assertNoViolations(await runStackPolicy(modelServerObservability, cpu));
        });

        it("blocks llama-server started without --metrics, collector or not (its page is off)", async () => {
            const off = editScript(cpu, (t) => t.replace(/ --metrics\b/g, ""));
            assertOneViolation(await runStackPolicy(modelServerObservability, off), ["without --metrics"]);
            // The variable form of the flag counts as the flag.
            const env = editScript(cpu, (t) => t.replace(/ --metrics\b/g, "").replace("--name model-server ", "--name model-server --env LLAMA_ARG_ENDPOINT_METRICS=1 "));
            assertNoViolations(await runStackPolicy(modelServerObservability, env));
        });
    });

    it("asks nothing of a stack without model servers", async () => {
        assertNoViolations(await runStackPolicy(modelServerObservability, withTargets.filter((r) => r.type !== TEMPLATE)));
    });
});

describe("policy model-server-observability on eksInf2 (AMP)", function () {
    this.timeout(120_000);
    const EKS = { region: "us-west-2", instanceTypes: ["inf2.8xlarge"], capacityType: "spot", maxNodes: 2, replicas: { min: 1, max: 2 }, allowedCidrs: ["203.0.113.0/24"], apiAccessCidrs: ["203.0.113.0/24"], plaintextHttp: true, image: "123456789012.dkr.ecr.us-west-2.amazonaws.com/llm-serving/neuron-ray-serve:vllm0.9.1-ray2.46.0" };
    const RAY = "kubernetes:ray.io/v1:RayService";
    let routed: PlannedResource[];
    let unrouted: PlannedResource[];
    before(async () => {
        ({ resources: routed } = await plan(stackFrom({ model: MODEL, tags: TEST_TAGS, targets: { eksInf2: EKS }, notifications: { emails: ["oncall@example.com"] } })));
        ({ resources: unrouted } = await plan(stackFrom({ model: MODEL, tags: TEST_TAGS, targets: { eksInf2: EKS } })));
    });

    it("passes eksInf2 as the program builds it: AMP's scraper collects, the alert manager publishes to the stack's topic", async () => {
        assertNoViolations(await runStackPolicy(modelServerObservability, routed));
    });

    it("blocks it without the scraper: the RayService is not collected", async () => {
        const reported = await runStackPolicy(modelServerObservability, routed.filter((r) => r.type !== "aws:amp/scraper:Scraper"));
        assertOneViolation(reported, ["its metrics are not collected", "aws:amp/scraper:Scraper"], routed.find((r) => r.type === RAY)!.urn);
    });

    it("blocks it without notification targets: the alert manager names no SNS topic", async () => {
        const reported = await runStackPolicy(modelServerObservability, unrouted);
        const ray = unrouted.find((r) => r.type === RAY)!;
        assert.ok(reported.some((r) => r.urn === ray.urn && r.message.includes("no alert routes anywhere")), JSON.stringify(reported));
        assert.ok(reported.some((r) => r.message.includes("this alert notifies no one")));
    });
});
