import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { INF2_CAPACITY, Inf2InstanceType } from "../../../targets/eksInf2/config";
import { kubeRayValues, neuronValues, NEURON_CHART, KUBERAY_CHART } from "../../../targets/eksInf2/addons";
import { buildKubeconfig, principalSuffix } from "../../../targets/eksInf2/cluster";
import { checkProxyPorts, checkWorkersFitInstanceTypes, checkWorkersMatchPools } from "../../../targets/eksInf2/consistency";
import {
    buildNodeClass,
    buildNodePool,
    interruptionQueuePolicy,
    KARPENTER_CHART,
    karpenterControllerPolicy,
    karpenterValues,
    maxNodesWithin,
    nodePoolLimits,
} from "../../../targets/eksInf2/karpenter";
import { NEURON_RESOURCE, POOL_LABEL, REGION_ANNOTATION } from "../../../targets/eksInf2/labels";
import { subnetCidrs } from "../../../targets/eksInf2/network";
import { buildProxyDeployment, buildProxyService, PROXY_PORT, proxyConfig } from "../../../targets/eksInf2/proxy";
import {
    buildRayService,
    buildRayWorkerPdb,
    RAY_WORKER_LABELS,
    RayServiceInput,
    rayResourcesParam,
    SERVE_PORT,
    serveAppSource,
    workerRequests,
} from "../../../targets/eksInf2/rayService";
import { neuronServer, NEURON_VLLM_IMAGE } from "../../../components/serving";

const TEST_IMAGE = "123456789012.dkr.ecr.us-west-2.amazonaws.com/llm-serving/neuron-ray-serve:vllm0.9.1-ray2.46.0";

const MODEL = { id: "mistralai/Mistral-7B-Instruct-v0.2", servedName: "mistral-7b", maxModelLen: 8192 };
const POOL = { name: "inf2", nodeClassName: "inf2", region: "us-west-2", instanceTypes: ["inf2.8xlarge"], capacityType: "spot", maxNodes: 2 } as const;
function rayInput(patch: Partial<RayServiceInput> = {}): RayServiceInput {
    return {
        name: "llm",
        server: neuronServer(MODEL, { image: TEST_IMAGE }),
        devicesPerReplica: 1,
        instanceTypes: ["inf2.8xlarge"],
        replicas: { min: 1, max: 2 },
        apiKeySecret: { name: "llm-api-key", key: "key" },
        hfTokenSecret: { name: "hf-token", key: "token" },
        appConfigMap: "llm-serve-app",
        ...patch,
    };
}
/** Models ship as ESM only ("import" export condition): load them with a dynamic import. */
type Validatable = { validate(): void };
async function models() {
    const { NodePool } = await import("@kubernetes-models/karpenter/karpenter.sh/v1/NodePool");
    const { EC2NodeClass } = await import("@kubernetes-models/karpenter/karpenter.k8s.aws/v1/EC2NodeClass");
    const { PodTemplateSpec } = await import("kubernetes-models/v1/PodTemplateSpec");
    const { Deployment } = await import("kubernetes-models/apps/v1/Deployment");
    const { Service } = await import("kubernetes-models/v1/Service");
    const v = (o: unknown) => o as Validatable;
    return {
        nodePool: (o: unknown) => v(new NodePool(o as never)).validate(),
        nodeClass: (o: unknown) => v(new EC2NodeClass(o as never)).validate(),
        podTemplate: (o: unknown) => v(new PodTemplateSpec(o as never)).validate(),
        deployment: (o: unknown) => v(new Deployment(o as never)).validate(),
        service: (o: unknown) => v(new Service(o as never)).validate(),
    };
}
const clone = <T>(o: T): T => JSON.parse(JSON.stringify(o)) as T;

/** KubeRay 1.4.2's reading of rayStartParams.resources (pod.go getResourcesMap): trim quotes and spaces, JSON-decode. */
function kubeRayResources(value: string): Record<string, number> {
    return JSON.parse(value.replace(/^['"` ]+|['"` ]+$/g, "")) as Record<string, number>;
}
/** What `ray start` receives: KubeRay writes `--resources=<value>` into the container's bash command line. */
function rayStartResources(value: string): Record<string, number> {
    const run = spawnSync("bash", ["-c", `printf '%s\\n' --resources=${value}`], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    return JSON.parse(run.stdout.trim().replace(/^--resources=/, "")) as Record<string, number>;
}

describe("Karpenter NodePool builder", () => {
    const pool = buildNodePool({ ...POOL });
    it("allows only the configured inf2 types and capacity type", () => {
        const reqs = pool.spec!.template.spec.requirements;
        assert.deepEqual(reqs.find((r) => r.key === "node.kubernetes.io/instance-type")?.values, ["inf2.8xlarge"]);
        assert.deepEqual(reqs.find((r) => r.key === "karpenter.sh/capacity-type")?.values, ["spot"]);
    });
    it("taints nodes for Neuron and labels them for the workload", () => {
        assert.deepEqual(pool.spec!.template.spec.taints, [{ key: NEURON_RESOURCE, value: "true", effect: "NoSchedule" }]);
        assert.equal(pool.spec!.template.metadata?.labels?.[POOL_LABEL], "inf2");
    });
    it("bounds cost with limits admitting exactly maxNodes of inf2.8xlarge (2 nodes: 64 CPU, 256Gi, 2 devices)", () => {
        assert.deepEqual(pool.spec!.limits, { cpu: "64", memory: "256Gi", [NEURON_RESOURCE]: "2" });
        assert.equal(maxNodesWithin(pool.spec!.limits as Record<string, string>, ["inf2.8xlarge"]), 2);
    });
    it("sizes limits from the largest allowed type", () => {
        assert.deepEqual(nodePoolLimits(["inf2.xlarge", "inf2.24xlarge"], 1), { cpu: "96", memory: "384Gi", [NEURON_RESOURCE]: "6" });
    });
    it("carries the region annotation the cost engine reads, and consolidates", () => {
        assert.equal(pool.metadata?.annotations?.[REGION_ANNOTATION], "us-west-2");
        assert.equal(pool.spec!.disruption?.consolidationPolicy, "WhenEmptyOrUnderutilized");
    });
    it("never expires nodes on a timer (budgets cannot hold expiry); drift replaces them one at a time", () => {
        assert.equal(pool.spec!.template.spec.expireAfter, "Never");
        assert.deepEqual(pool.spec!.disruption?.budgets, [{ nodes: "1" }]);
    });
    it("validates against the Karpenter v1 schema (@kubernetes-models/karpenter)", async () => {
        const m = await models();
        m.nodePool(pool);
        for (const types of [["inf2.xlarge"], ["inf2.24xlarge", "inf2.48xlarge"]] as Inf2InstanceType[][]) {
            m.nodePool(buildNodePool({ ...POOL, instanceTypes: types, capacityType: "on-demand", maxNodes: 3 }));
        }
    });
    it("fails schema validation when a required field is missing (the check has teeth)", async () => {
        const m = await models();
        const broken = clone(pool) as unknown as { spec: { template: { spec: Record<string, unknown> } } };
        delete broken.spec.template.spec.nodeClassRef;
        assert.throws(() => m.nodePool(broken));
    });
});

describe("Karpenter EC2NodeClass builder", () => {
    const nc = buildNodeClass({ name: "inf2", clusterName: "eks-inf2-dev", nodeRoleName: "node-role", volumeGib: 200, tags: { owner: "ml" } });
    it("requires IMDSv2 with hop limit 1", () => {
        assert.equal(nc.spec!.metadataOptions?.httpTokens, "required");
        assert.equal(nc.spec!.metadataOptions?.httpPutResponseHopLimit, 1);
    });
    it("selects the AL2023 AMI by alias and subnets/security groups by discovery tag", () => {
        assert.match(nc.spec!.amiSelectorTerms[0].alias ?? "", /^al2023@/);
        assert.deepEqual(nc.spec!.subnetSelectorTerms, [{ tags: { "karpenter.sh/discovery": "eks-inf2-dev" } }]);
        assert.deepEqual(nc.spec!.securityGroupSelectorTerms, [{ tags: { "karpenter.sh/discovery": "eks-inf2-dev" } }]);
    });
    it("sizes an encrypted gp3 root volume through blockDeviceMappings (not the renamed blockDevice)", () => {
        assert.deepEqual(nc.spec!.blockDeviceMappings?.[0].ebs, { volumeSize: "200Gi", volumeType: "gp3", encrypted: true, deleteOnTermination: true });
    });
    it("validates against the Karpenter v1 schema, and rejects a bad httpTokens", async () => {
        const m = await models();
        m.nodeClass(nc);
        const bad = clone(nc) as unknown as { spec: { metadataOptions: Record<string, unknown> } };
        bad.spec.metadataOptions.httpTokens = "sometimes";
        assert.throws(() => m.nodeClass(bad));
    });
});

describe("Karpenter IAM and interruption queue", () => {
    const doc = karpenterControllerPolicy({
        region: "us-west-2",
        clusterName: "c",
        clusterArn: "arn:aws:eks:us-west-2:123456789012:cluster/c",
        nodeRoleArn: "arn:aws:iam::123456789012:role/node",
        queueArn: "arn:aws:sqs:us-west-2:123456789012:q",
    });
    const actions = doc.Statement.flatMap((s) => [s.Action].flat());
    const bySid = (sid: string) => doc.Statement.find((s) => s.Sid === sid)!;
    it("tags instance profiles only when the profile already carries this cluster's tags", () => {
        const tagging = doc.Statement.filter((s) => [s.Action].flat().includes("iam:TagInstanceProfile"));
        assert.deepEqual(tagging.map((s) => s.Sid), ["AllowScopedInstanceProfileTagActions"]);
        const cond = tagging[0].Condition!;
        assert.equal(cond.StringEquals["aws:ResourceTag/kubernetes.io/cluster/c"], "owned");
        assert.equal(cond.StringEquals["aws:ResourceTag/topology.kubernetes.io/region"], "us-west-2");
        assert.equal(cond.StringLike["aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass"], "*");
    });
    it("requires the eks:eks-cluster-name and EC2NodeClass request tags on what it creates", () => {
        assert.equal(bySid("AllowScopedEC2InstanceActionsWithTags").Condition!.StringEquals["aws:RequestTag/eks:eks-cluster-name"], "c");
        assert.equal(bySid("AllowScopedResourceCreationTagging").Condition!.StringEquals["aws:RequestTag/eks:eks-cluster-name"], "c");
        assert.equal(bySid("AllowScopedInstanceProfileCreationActions").Condition!.StringLike["aws:RequestTag/karpenter.k8s.aws/ec2nodeclass"], "*");
        assert.match(String(bySid("AllowScopedInstanceProfileCreationActions").Resource), /^arn:aws:iam::123456789012:instance-profile\/\*$/);
    });
    it("uses no wildcard action", () => assert.ok(actions.every((a) => !a.includes("*")), actions.join(",")));
    it("passes only the node role", () => {
        const pass = doc.Statement.filter((s) => [s.Action].flat().includes("iam:PassRole"));
        assert.equal(pass.length, 1);
        assert.equal(pass[0].Resource, "arn:aws:iam::123456789012:role/node");
    });
    it("reads only its own queue", () => {
        const sqs = doc.Statement.filter((s) => [s.Action].flat().some((a) => a.startsWith("sqs:")));
        assert.deepEqual(sqs.map((s) => s.Resource), ["arn:aws:sqs:us-west-2:123456789012:q"]);
    });
    it("denies non-TLS access to the queue", () => {
        const deny = interruptionQueuePolicy("arn:q").Statement.find((s) => s.Effect === "Deny");
        assert.deepEqual(deny?.Condition, { Bool: { "aws:SecureTransport": false } });
    });
});

describe("Helm values", () => {
    it("wires the cluster name and the interruption queue NAME into Karpenter's settings", () => {
        const v = karpenterValues({ clusterName: "c", queueName: "q" });
        assert.deepEqual(v.settings, { clusterName: "c", interruptionQueue: "q" });
        assert.ok(!("interruptionQueueName" in v.settings));
    });
    it("pins every chart to a version", () => {
        for (const c of [KARPENTER_CHART, NEURON_CHART, KUBERAY_CHART]) assert.match(c.version, /^\d+\.\d+\.\d+$/);
        assert.ok(KARPENTER_CHART.chart.startsWith("oci://public.ecr.aws/karpenter/"));
        assert.ok(NEURON_CHART.chart.startsWith("oci://public.ecr.aws/neuron/"));
    });
    it("installs the Neuron device plugin without the problem detector or scheduler extension", () => {
        assert.deepEqual(neuronValues(), { npd: { enabled: false }, scheduler: { enabled: false } });
    });
    it("keeps the KubeRay operator on system nodes", () => assert.equal(kubeRayValues().nodeSelector[POOL_LABEL], "system"));
});

describe("RayService builder", () => {
    const rs = buildRayService(rayInput());
    const worker = rs.spec.rayClusterConfig.workerGroupSpecs[0];
    it("requests one Inferentia2 device per worker and tolerates the Neuron taint", () => {
        const c = worker.template.spec!.containers[0];
        assert.equal(c.resources?.requests?.[NEURON_RESOURCE], "1");
        assert.equal(c.resources?.limits?.[NEURON_RESOURCE], "1");
        assert.deepEqual(worker.template.spec!.tolerations, [{ key: NEURON_RESOURCE, operator: "Exists", effect: "NoSchedule" }]);
    });
    it("autoscales Serve replicas and workers between the configured bounds", () => {
        const serve = parse(rs.spec.serveConfigV2) as { applications: { deployments: { autoscaling_config: Record<string, number> }[] }[] };
        const auto = serve.applications[0].deployments[0].autoscaling_config;
        assert.equal(auto.min_replicas, 1);
        assert.equal(auto.max_replicas, 2);
        assert.equal(worker.minReplicas, 1);
        assert.equal(worker.maxReplicas, 2);
        // target_ongoing_requests: 8 by default (no Inferentia2 throughput figure), else llm-serving:observability's value.
        assert.equal(auto.target_ongoing_requests, 8);
        const tuned = parse(buildRayService(rayInput({ targetOngoingRequests: 16 })).spec.serveConfigV2) as typeof serve;
        assert.equal(tuned.applications[0].deployments[0].autoscaling_config.target_ongoing_requests, 16);
    });
    it("does not double the cluster on upgrade (upgradeStrategy None)", () => assert.equal(rs.spec.upgradeStrategy.type, "None"));
    it("delivers secrets by secretKeyRef, never as literal values", () => {
        const env = worker.template.spec!.containers[0].env ?? [];
        assert.deepEqual(env.find((e) => e.name === "VLLM_API_KEY")?.valueFrom, { secretKeyRef: { name: "llm-api-key", key: "key" } });
        assert.ok(env.every((e) => e.value === undefined || e.name === "PYTHONPATH"));
    });
    it("passes the one model server spec (Neuron vLLM args) to the Serve app", () => {
        const serve = parse(rs.spec.serveConfigV2) as { applications: { args: { vllm_args: string[] } }[] };
        assert.deepEqual(serve.applications[0].args.vllm_args, [...neuronServer(MODEL, { image: TEST_IMAGE }).args]);
        assert.ok(serve.applications[0].args.vllm_args.includes("--tensor-parallel-size"));
    });
    it("passes no --block-size: the parser admits 1-128 only and the Neuron platform sets it from max-model-len", () => {
        for (const maxModelLen of [2048, 8192, 32768]) {
            assert.ok(!neuronServer({ ...MODEL, maxModelLen }, { image: TEST_IMAGE }).args.includes("--block-size"));
        }
    });
    it("sets GCS fault tolerance with the Redis password from a Secret", () => {
        const ft = buildRayService(rayInput({ gcs: { redisAddress: "rediss://r:6379", password: { name: "redis-password", key: "password" } } }));
        assert.deepEqual(ft.spec.rayClusterConfig.gcsFaultToleranceOptions, {
            redisAddress: "rediss://r:6379",
            redisPassword: { valueFrom: { secretKeyRef: { name: "redis-password", key: "password" } } },
        });
        // Ray's Redis client verifies TLS only against RAY_REDIS_CA_CERT/RAY_REDIS_CA_PATH: without it the head cannot reach ElastiCache.
        const headEnv = ft.spec.rayClusterConfig.headGroupSpec.template.spec!.containers[0].env ?? [];
        assert.ok(headEnv.some((e) => e.name === "RAY_REDIS_CA_CERT" && e.value === "/etc/ssl/certs/ca-certificates.crt"), JSON.stringify(headEnv));
        // Negative control: without GCS fault tolerance the head carries no Redis CA.
        const plainHead = buildRayService(rayInput({})).spec.rayClusterConfig.headGroupSpec.template.spec!.containers[0].env ?? [];
        assert.ok(!plainHead.some((e) => e.name === "RAY_REDIS_CA_CERT"));
        assert.throws(() => buildRayService(rayInput({ gcs: { redisAddress: "redis://r:6379", password: { name: "redis-password", key: "password" } } })), /needs a TLS Redis address/);
    });
    it("validates pod templates against Kubernetes' schema (the full KubeRay CRD check is in the conformance tier)", async () => {
        const m = await models();
        m.podTemplate(rs.spec.rayClusterConfig.headGroupSpec.template);
        m.podTemplate(worker.template);
    });
    it("advertises NeuronCores in rayStartParams as KubeRay decodes them and bash passes them to ray start", () => {
        const value = worker.rayStartParams.resources;
        assert.equal(value, rayResourcesParam({ neuron_cores: 2 }));
        assert.deepEqual(kubeRayResources(value), { neuron_cores: 2 });
        assert.deepEqual(rayStartResources(value), { neuron_cores: 2 });
    });
    it("negative control: the old JSON-encoded string fails KubeRay's decode (an error logged per pod)", () => {
        const old = JSON.stringify(JSON.stringify({ neuron_cores: 2 }));
        assert.throws(() => kubeRayResources(old), SyntaxError);
        // Unquoted JSON survives the decode but bash strips its quotes before ray start.
        assert.throws(() => rayStartResources(JSON.stringify({ neuron_cores: 2 })), SyntaxError);
    });
    it("labels the workers, and a PodDisruptionBudget lets a drain evict one worker at a time", async () => {
        assert.deepEqual(worker.template.metadata?.labels, { ...RAY_WORKER_LABELS });
        const pdb = buildRayWorkerPdb("llm-workers");
        assert.equal(pdb.spec?.maxUnavailable, 1);
        assert.deepEqual(pdb.spec?.selector?.matchLabels, worker.template.metadata?.labels);
        assert.equal(pdb.metadata.namespace, rs.metadata.namespace);
        const { PodDisruptionBudget } = await import("kubernetes-models/policy/v1/PodDisruptionBudget");
        (new PodDisruptionBudget(pdb as never) as unknown as { validate(): void }).validate();
    });
    it("sizes worker requests to fit the smallest allowed type", () => {
        for (const types of [["inf2.xlarge"], ["inf2.8xlarge", "inf2.48xlarge"]] as Inf2InstanceType[][]) {
            const r = workerRequests(types, 1);
            const smallest = Math.min(...types.map((t) => INF2_CAPACITY[t].vcpu));
            assert.ok(Number(r.cpu) < smallest);
        }
    });
    it("ships a Serve app that is valid Python naming the health path", () => {
        const src = serveAppSource("/health");
        assert.match(src, /def app\(args\)/);
        assert.match(src, /"\/health"/);
        const compiled = spawnSync("python3", ["-c", "import ast,sys; ast.parse(sys.stdin.read())"], { input: src, encoding: "utf8" });
        assert.equal(compiled.status, 0, compiled.stderr);
    });
    it("waits in the constructor until vLLM answers, and has no grace window in which health passes without it", () => {
        const src = serveAppSource("/health");
        assert.match(src, /async def __init__[\s\S]*await self\._wait_until_ready/);
        assert.doesNotMatch(src, /loading/);
    });
});

describe("consistency checks (the check that would have caught the blueprint's Pending pods)", () => {
    const pool = buildNodePool({ ...POOL });
    const rs = buildRayService(rayInput());
    it("passes when the worker selects the NodePool's label and tolerates its taint", () => {
        assert.deepEqual(checkWorkersMatchPools(rs, [pool]), []);
        assert.deepEqual(checkWorkersFitInstanceTypes(rs, [pool], INF2_CAPACITY), []);
    });
    it("fails when the NodePool's labels change without the RayService", () => {
        const relabelled = clone(pool) as { spec: { template: { metadata: { labels: Record<string, string> } } } };
        relabelled.spec.template.metadata.labels = { "llm-serving.dev/pool": "neuron" };
        const problems = checkWorkersMatchPools(rs, [relabelled]);
        assert.equal(problems.length, 1);
        assert.match(problems[0], /worker group inf2 matches no NodePool/);
        assert.match(problems[0], /lacks labels llm-serving\.dev\/pool=inf2/);
    });
    it("fails when the worker does not tolerate the Neuron taint", () => {
        const r = clone(rs) as unknown as { spec: { rayClusterConfig: { workerGroupSpecs: { template: { spec: { tolerations: unknown[] } } }[] } } };
        r.spec.rayClusterConfig.workerGroupSpecs[0].template.spec.tolerations = [];
        assert.match(checkWorkersMatchPools(r, [pool])[0], /taints not tolerated aws\.amazon\.com\/neuron:NoSchedule/);
    });
    it("fails when the requested Neuron devices fit no allowed instance type", () => {
        const big = buildRayService(rayInput({ devicesPerReplica: 2 }));
        assert.match(checkWorkersFitInstanceTypes(big, [pool], INF2_CAPACITY)[0], /requests 2 aws\.amazon\.com\/neuron/);
        const wide = buildNodePool({ ...POOL, instanceTypes: ["inf2.8xlarge", "inf2.24xlarge"] });
        assert.deepEqual(checkWorkersFitInstanceTypes(big, [wide], INF2_CAPACITY), []);
    });
    it("checks probe and Service ports against the proxy container and the Serve port", async () => {
        const d = buildProxyDeployment("llm-front", "conf", { name: "llm-api-key", key: "key" });
        const s = buildProxyService("llm-front");
        assert.deepEqual(checkProxyPorts(d, s, rs, SERVE_PORT), []);
        assert.match(checkProxyPorts(d, s, rs, 9000)[0], /forwards to port 9000/);
        const badSvc = clone(s) as { spec: { ports: { targetPort: number }[] } };
        badSvc.spec.ports[0].targetPort = 80;
        assert.match(checkProxyPorts(d, badSvc, rs, SERVE_PORT)[0], /targets 80/);
        const m = await models();
        m.deployment(d);
        m.service(s);
    });
    it("exposes only /v1/ routes through the proxy", () => {
        const conf = proxyConfig("llm-serve-svc.llm-serving.svc.cluster.local", SERVE_PORT);
        assert.match(conf, /location \/v1\/ \{/);
        assert.match(conf, /location \/ \{\s+return 403;/);
        assert.match(conf, new RegExp(`listen ${PROXY_PORT};`));
    });
    it("resolves the Serve Service per request through the cluster DNS, so nginx starts before KubeRay creates it", () => {
        const conf = proxyConfig("llm-serve-svc.llm-serving.svc.cluster.local", SERVE_PORT);
        // A literal host in proxy_pass is resolved once at start: nginx exits if the Service does not exist yet.
        assert.match(conf, /resolver \$\{NGINX_LOCAL_RESOLVERS\} valid=10s/);
        assert.match(conf, new RegExp(`set \\$llm_upstream llm-serve-svc\\.llm-serving\\.svc\\.cluster\\.local:${SERVE_PORT};\\s+proxy_pass http://\\$llm_upstream;`));
        const env = buildProxyDeployment("llm-front", "conf", { name: "llm-api-key", key: "key" }).spec!.template.spec!.containers[0].env!;
        assert.deepEqual(env.find((e) => e.name === "NGINX_ENTRYPOINT_LOCAL_RESOLVERS")?.value, "1");
        assert.deepEqual(env.find((e) => e.name === "ROUTE_GUARD_API_KEY")?.valueFrom?.secretKeyRef, { name: "llm-api-key", key: "key", optional: false });
    });
});

describe("network and cluster helpers", () => {
    it("carves public and private /20s per zone", () => {
        assert.deepEqual(subnetCidrs("10.40.0.0/16", ["a", "b"]), { public: ["10.40.0.0/20", "10.40.16.0/20"], private: ["10.40.128.0/20", "10.40.144.0/20"] });
    });
    it("builds a kubeconfig with an exec token, no static credential", () => {
        const kc = parse(buildKubeconfig({ clusterName: "c", endpoint: "https://x", caData: "Y2E=", region: "us-west-2" })) as {
            users: { user: Record<string, unknown> }[];
        };
        assert.deepEqual(Object.keys(kc.users[0].user), ["exec"]);
    });
    it("names admin access entries by ARN hash, not list position", () => {
        assert.equal(principalSuffix("arn:aws:iam::123456789012:role/a"), principalSuffix("arn:aws:iam::123456789012:role/a"));
        assert.notEqual(principalSuffix("arn:aws:iam::123456789012:role/a"), principalSuffix("arn:aws:iam::123456789012:role/b"));
    });
});


describe("the eksInf2 serving image", () => {
    it("is built FROM the pinned Neuron vLLM image and adds Ray Serve at pinned versions", () => {
        const dockerfile = readFileSync(join(__dirname, "..", "..", "..", "images", "neuron-ray-serve", "Dockerfile"), "utf8");
        assert.ok(dockerfile.includes(`ARG BASE_IMAGE=${NEURON_VLLM_IMAGE}\n`), "Dockerfile base and NEURON_VLLM_IMAGE must agree");
        assert.match(dockerfile, /"ray\[serve\]==\d+\.\d+\.\d+"/);
        assert.match(dockerfile, /"httpx==\d+\.\d+\.\d+"/);
    });
});
