import { strict as assert } from "node:assert";
import { INF2_CAPACITY } from "../../../targets/eksInf2/config";
import { checkProxyPorts, checkWorkersFitInstanceTypes, checkWorkersMatchPools } from "../../../targets/eksInf2/consistency";
import { SERVE_PORT } from "../../../targets/eksInf2/rayService";
import { PlannedResource } from "../../../plan/mocks";
import { one, ofType, plan, stackFrom, TEST_TAGS } from "../../helpers/program";

const T = {
    component: "llm-serving:aws:EksInf2Pool",
    provider: "pulumi:providers:kubernetes",
    nodePool: "kubernetes:karpenter.sh/v1:NodePool",
    nodeClass: "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass",
    rayService: "kubernetes:ray.io/v1:RayService",
    release: "kubernetes:helm.sh/v3:Release",
    cluster: "aws:eks/cluster:Cluster",
    nodeGroup: "aws:eks/nodeGroup:NodeGroup",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    queue: "aws:sqs/queue:Queue",
};
const API_KEY_SENTINEL = "sk-sentinel-eks-4b1d";
const HF_SENTINEL = "hf_sentinel_eks_77aa";
const EKS = {
    region: "us-west-2",
    instanceTypes: ["inf2.8xlarge"],
    capacityType: "spot",
    maxNodes: 2,
    replicas: { min: 1, max: 2 },
    allowedCidrs: ["203.0.113.0/24"],
    apiAccessCidrs: ["203.0.113.0/24"],
    gcsFaultTolerance: true,
    plaintextHttp: true,
    image: "123456789012.dkr.ecr.us-west-2.amazonaws.com/llm-serving/neuron-ray-serve:vllm0.9.1-ray2.46.0",
};

describe("EksInf2Pool under mocks", function () {
    let resources: PlannedResource[];
    let outputs: Record<string, unknown>;
    before(async () => {
        const run = await plan(stackFrom({ tags: TEST_TAGS, targets: { eksInf2: EKS } }, { apiKey: API_KEY_SENTINEL, hfToken: HF_SENTINEL }));
        resources = run.resources;
        outputs = run.outputs;
    });
    const inputs = (r: PlannedResource) => r.inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

    it("parents every child to the component", () => {
        const component = one(resources, T.component);
        const children = resources.filter((r) => r !== component && r.urn.includes("eks-inf2"));
        assert.ok(children.length > 50);
        for (const r of children) assert.equal(r.parent, component.urn, `${r.type} ${r.name}`);
    });
    it("gives every Kubernetes child the explicit provider built from the cluster's kubeconfig", () => {
        const provider = one(resources, T.provider);
        assert.equal(inputs(provider).kubeconfig, "[secret]");
        const k8s = resources.filter((r) => r.type.startsWith("kubernetes:"));
        assert.ok(k8s.length >= 12);
        for (const r of k8s) {
            const ref = r.provider ?? "";
            assert.ok(ref.startsWith(provider.urn), `${r.type} ${r.name} uses provider ${ref || "(ambient)"}`);
        }
    });
    it("registers NodePool, EC2NodeClass and RayService as explicit custom resources", () => {
        one(resources, T.nodePool);
        one(resources, T.nodeClass);
        one(resources, T.rayService);
    });
    it("sets the region on every AWS resource that takes one (IAM is global)", () => {
        for (const r of resources.filter((x) => x.type.startsWith("aws:") && !x.type.startsWith("aws:iam/"))) {
            assert.equal(inputs(r).region, "us-west-2", `${r.type} ${r.name}`);
        }
    });
    it("annotates the NodePool with its region and bounds it by limits", () => {
        const pool = inputs(one(resources, T.nodePool));
        assert.equal(pool.metadata.annotations["llm-serving.dev/region"], "us-west-2");
        assert.deepEqual(pool.spec.limits, { cpu: "64", memory: "256Gi", "aws.amazon.com/neuron": "2" });
    });
    it("requires IMDSv2 with hop limit 1 on Karpenter nodes and system nodes", () => {
        assert.deepEqual(inputs(one(resources, T.nodeClass)).spec.metadataOptions, { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 });
        assert.deepEqual(inputs(one(resources, T.launchTemplate)).metadataOptions, { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 });
        assert.ok(String(inputs(one(resources, T.nodeGroup)).launchTemplate.id).length > 0);
    });
    it("wires the interruption queue and the cluster name into the Karpenter chart values", () => {
        const queue = one(resources, T.queue);
        const chart = ofType(resources, T.release).find((r) => r.name === "eks-inf2-karpenter")!;
        assert.equal(inputs(chart).values.settings.interruptionQueue, queue.name);
        assert.equal(inputs(chart).values.settings.clusterName, "eks-inf2-test");
        assert.equal(inputs(chart).chart, "oci://public.ecr.aws/karpenter/karpenter");
        assert.equal(inputs(queue).sqsManagedSseEnabled, true);
        assert.equal(ofType(resources, "aws:cloudwatch/eventRule:EventRule").length, 4);
    });
    it("encrypts secrets, logs the control plane, and opens the API endpoint to the deployer's CIDRs only (private access on)", () => {
        const c = inputs(one(resources, T.cluster));
        assert.deepEqual(c.encryptionConfig.resources, ["secrets"]);
        assert.ok(c.enabledClusterLogTypes.includes("audit"));
        assert.equal(c.vpcConfig.endpointPublicAccess, true);
        assert.deepEqual(c.vpcConfig.publicAccessCidrs, ["203.0.113.0/24"]);
        assert.equal(c.vpcConfig.endpointPrivateAccess, true);
    });
    it("creates the account's EC2 Spot service-linked role for spot nodes", () => {
        const role = one(resources, "aws:iam/serviceLinkedRole:ServiceLinkedRole");
        assert.equal(inputs(role).awsServiceName, "spot.amazonaws.com");
    });
    it("gives the Ray workers a PodDisruptionBudget that allows one eviction", () => {
        const pdb = inputs(one(resources, "kubernetes:policy/v1:PodDisruptionBudget"));
        const worker = inputs(one(resources, T.rayService)).spec.rayClusterConfig.workerGroupSpecs[0];
        assert.equal(pdb.spec.maxUnavailable, 1);
        assert.deepEqual(pdb.spec.selector.matchLabels, worker.template.metadata.labels);
        assert.equal(pdb.metadata.namespace, "llm-serving");
    });
    it("runs an on-demand m5.large system node group the cost engine can price", () => {
        const g = inputs(one(resources, T.nodeGroup));
        assert.deepEqual(g.instanceTypes, ["m5.large"]);
        assert.equal(g.capacityType, "ON_DEMAND");
        assert.deepEqual([g.scalingConfig.minSize, g.scalingConfig.maxSize], [2, 3]);
    });
    it("puts the explicit NLB (priced) in front, admitting only the allowed CIDRs", () => {
        assert.equal(inputs(one(resources, "aws:lb/loadBalancer:LoadBalancer")).loadBalancerType, "network");
        const rules = ofType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map(inputs).filter((r) => r.cidrIpv4);
        assert.deepEqual(rules.map((r) => r.cidrIpv4), ["203.0.113.0/24"]);
        for (const s of ofType(resources, "kubernetes:core/v1:Service")) assert.notEqual(inputs(s).spec.type, "LoadBalancer");
    });
    it("keeps the API key, HF token and Redis password out of every input and output", () => {
        const text = JSON.stringify(resources) + JSON.stringify(outputs);
        for (const s of [API_KEY_SENTINEL, HF_SENTINEL, "mock-generated-api-key"]) assert.ok(!text.includes(s), `leaked ${s}`);
        const secrets = ofType(resources, "kubernetes:core/v1:Secret");
        assert.equal(secrets.length, 3);
        for (const s of secrets) {
            const data = inputs(s).stringData;
            assert.ok(data === "[secret]" || Object.values(data).every((v) => v === "[secret]"), `${s.name} stringData`);
        }
        assert.equal(inputs(one(resources, "aws:elasticache/replicationGroup:ReplicationGroup")).authToken, "[secret]");
    });
    it("passes the consistency checks on what it registered", () => {
        const rs = inputs(one(resources, T.rayService));
        const pools = ofType(resources, T.nodePool).map(inputs);
        assert.deepEqual(checkWorkersMatchPools(rs, pools), []);
        assert.deepEqual(checkWorkersFitInstanceTypes(rs, pools, INF2_CAPACITY), []);
        const d = inputs(one(resources, "kubernetes:apps/v1:Deployment"));
        const s = inputs(one(resources, "kubernetes:core/v1:Service"));
        assert.deepEqual(checkProxyPorts(d, s, rs, SERVE_PORT), []);
    });
    it("points GCS fault tolerance at the TLS Redis", () => {
        const ft = inputs(one(resources, T.rayService)).spec.rayClusterConfig.gcsFaultToleranceOptions;
        assert.match(ft.redisAddress, /^rediss:\/\/.+:6379$/);
        assert.deepEqual(ft.redisPassword.valueFrom.secretKeyRef, { name: "redis-password", key: "password" });
    });
    it("exports the OpenAI base URL of the NLB", () => {
        const endpoints = outputs.endpoints as Record<string, string>;
        assert.equal(endpoints.eksInf2, "http://eks-inf2-nlb.elb.example.invalid/v1");
        assert.equal(outputs.apiKeys, "[secret]");
    });
});

describe("EksInf2Pool: the EC2 Spot service-linked role", function () {
    const roles = async (patch: Record<string, unknown>) =>
        (await plan(stackFrom({ tags: TEST_TAGS, targets: { eksInf2: { ...EKS, gcsFaultTolerance: false, ...patch } } }))).resources.filter(
            (r) => r.type === "aws:iam/serviceLinkedRole:ServiceLinkedRole",
        );
    it("is not created when the account already has it (spotServiceLinkedRole: existing)", async () => {
        assert.equal((await roles({ spotServiceLinkedRole: "existing" })).length, 0);
    });
    it("is not created for on-demand nodes", async () => {
        assert.equal((await roles({ capacityType: "on-demand" })).length, 0);
    });
});
