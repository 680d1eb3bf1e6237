import { strict as assert } from "node:assert";
import { amlProbes, autoscaleProfile, connectionSecretRef, inferenceConfig, servingDockerfile } from "../../../targets/azureMl/aml";
import { clusterSecurity, gpuPoolSpec, gpuTolerations, parseClusterId, systemPoolProfile } from "../../../targets/aksGpu/aks";
import { azureVllmServer } from "../../../components/azure/server";
import { buildCloudInit, nsgRules } from "../../../targets/gpuVm/vm";
import {
    MODEL_PORT_NAME,
    modelNamespace,
    modelServerDeployment,
    modelServerPdb,
    modelServerService,
    ModelServerWorkload,
    routeGuardConfigMap,
} from "../../../components/k8s/modelServer";
import { routeGuardConf } from "../../../components/k8s/routeGuard";
import { llamaCppServer, vllmServer } from "../../../components/serving";
import { AWQ_BUILDS, GGUF_BUILDS, modelSchema } from "../../../config";
import { aksGpuSchema } from "../../../targets/aksGpu/config";
import { azureMlSchema } from "../../../targets/azureMl/config";
import { AKS, AML } from "./fixtures";
import { containerRegistryName, keyVaultName, storageAccountName } from "../../../components/azure/names";
import { deployerPrincipalType } from "../../../components/azure/roles";

const model = modelSchema.parse(undefined);
const server = vllmServer(model, { accelerator: "nvidia-a100" });
const workload: ModelServerWorkload = {
    name: "model-server",
    namespace: "llm-serving",
    labels: { owner: "ml-platform" },
    server,
    replicas: 2,
    accelerator: { resource: "nvidia.com/gpu", count: 1 },
    resources: { cpu: "12", memory: "110Gi", memoryLimit: "165Gi" },
    tolerations: gpuTolerations(true),
    nodeSelector: { "llm-serving/pool": "gpu" },
    secretName: "model-server-secrets",
    hfToken: true,
};

/** kubernetes-models is ESM-only: loaded with import() (the tests run as CommonJS). */
type Validator = (o: unknown) => void;
/** The models' validate() comes from a base class whose types do not resolve under CommonJS. */
const check = (model: unknown) => (model as { validate(): void }).validate();
async function loadValidators(): Promise<Record<"deployment" | "service" | "pdb" | "namespace" | "configMap", Validator>> {
    const { Deployment } = await import("kubernetes-models/apps/v1/Deployment");
    const { Service } = await import("kubernetes-models/v1/Service");
    const { PodDisruptionBudget } = await import("kubernetes-models/policy/v1/PodDisruptionBudget");
    const { Namespace } = await import("kubernetes-models/v1/Namespace");
    const { ConfigMap } = await import("kubernetes-models/v1/ConfigMap");
    return {
        deployment: (o) => check(new Deployment(o as never)),
        service: (o) => check(new Service(o as never)),
        pdb: (o) => check(new PodDisruptionBudget(o as never)),
        namespace: (o) => check(new Namespace(o as never)),
        configMap: (o) => check(new ConfigMap(o as never)),
    };
}

describe("Kubernetes model server builders (validated against the Kubernetes schemas)", () => {
    let v: Awaited<ReturnType<typeof loadValidators>>;
    before(async () => {
        v = await loadValidators();
    });

    it("builds a Deployment, Service, PDB, Namespace and ConfigMap that validate", () => {
        v.deployment(modelServerDeployment(workload));
        v.service(modelServerService(workload, { allowedCidrs: ["203.0.113.0/24"] }));
        v.pdb(modelServerPdb(workload));
        v.namespace(modelNamespace("llm-serving"));
        v.configMap(routeGuardConfigMap(workload));
    });

    it("with a TLS Secret: the guard serves HTTPS on 8443 from the mounted Secret, the Service 443 only; all validate", () => {
        const tls = { ...workload, tlsSecretName: "model-server-tls" };
        const deployment = modelServerDeployment(tls);
        const service = modelServerService(tls, { allowedCidrs: ["203.0.113.0/24"], tls: true });
        const configMap = routeGuardConfigMap(tls);
        v.deployment(deployment);
        v.service(service);
        v.configMap(configMap);
        const pod = deployment.spec.template!.spec!;
        const guard = pod.containers.find((c) => c.name === "route-guard")!;
        assert.deepEqual(guard.ports, [{ name: "https", containerPort: 8443, protocol: "TCP" }]);
        assert.deepEqual(guard.livenessProbe?.httpGet, { path: "/guard-healthz", port: 8443, scheme: "HTTPS" });
        assert.deepEqual(pod.securityContext?.fsGroup, 101);
        assert.deepEqual(service.spec.ports, [{ name: "https", port: 443, targetPort: "https", protocol: "TCP" }]);
        const conf = Object.values(configMap.data ?? {})[0];
        assert.ok(conf.includes("listen 8443 ssl;") && conf.includes("ssl_protocols TLSv1.2 TLSv1.3;"));
        assert.ok(!conf.includes("listen 8080"));
        // Without TLS nothing changes: port 80 to the guard's plain port, no Secret volume, no fsGroup.
        const plain = modelServerDeployment(workload).spec.template!.spec!;
        assert.equal(plain.securityContext?.fsGroup, undefined);
        assert.ok(!plain.volumes!.some((vol) => vol.name === "route-guard-tls"));
        assert.deepEqual(modelServerService(workload).spec.ports, [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }]);
    });

    it("has teeth: a Deployment with a wrong field type fails validation", () => {
        const bad = modelServerDeployment(workload) as unknown as { spec: { replicas: unknown } };
        bad.spec.replicas = "two";
        assert.throws(() => v.deployment(bad));
    });

    it("probes /health on the model port, with a startup budget that covers model load", () => {
        const c = modelServerDeployment(workload).spec.template.spec!.containers[0];
        for (const p of [c.startupProbe!, c.readinessProbe!, c.livenessProbe!]) {
            assert.equal(p.httpGet!.path, "/health");
            assert.equal(p.httpGet!.port, MODEL_PORT_NAME);
        }
        const s = c.startupProbe!;
        assert.ok(s.periodSeconds! * s.failureThreshold! >= server.loadSeconds);
    });

    it("delivers secrets only by Secret reference and never uses a latest or untagged image", () => {
        const pod = modelServerDeployment(workload).spec.template.spec!;
        for (const c of pod.containers) {
            assert.match(c.image!, /:[\w.-]+$/);
            assert.ok(!c.image!.endsWith(":latest"));
            // Plain values only for the guard's entrypoint switches, which are not secrets.
            for (const e of (c.env ?? []).filter((v) => !v.name.startsWith("NGINX_"))) {
                assert.equal(e.value, undefined);
                assert.equal(e.valueFrom!.secretKeyRef!.name, "model-server-secrets");
            }
        }
        assert.deepEqual(
            pod.containers[0].env!.map((e) => e.name),
            ["VLLM_API_KEY", "HF_TOKEN"],
        );
    });

    it("requests and limits the GPUs, and never surges past the replica count", () => {
        const d = modelServerDeployment(workload);
        const res = d.spec.template.spec!.containers[0].resources!;
        assert.equal(res.limits!["nvidia.com/gpu"], "1");
        assert.equal(res.requests!["nvidia.com/gpu"], "1");
        assert.equal(d.spec.strategy!.rollingUpdate!.maxSurge, 0);
    });

    it("points the Service at the route guard, never at the model port", () => {
        const svc = modelServerService(workload);
        assert.deepEqual(svc.spec.ports!.map((p) => p.targetPort), ["http"]);
        assert.equal(svc.spec.loadBalancerSourceRanges, undefined, "no ranges given: none set");
        assert.equal(modelServerService(workload, { type: "ClusterIP" }).spec.externalTrafficPolicy, undefined);
    });

    it("keeps a PDB that still allows one disruption", () => {
        assert.equal(modelServerPdb(workload).spec.maxUnavailable, 1);
    });
});

describe("route guard", () => {
    const conf = routeGuardConf({ upstream: "127.0.0.1:8000" });
    it("proxies only /v1/ and refuses everything else", () => {
        assert.match(conf, /location \/v1\/ \{[\s\S]*proxy_pass http:\/\/127\.0\.0\.1:8000;[\s\S]*location = \/guard-healthz/);
        assert.match(conf, /location \/ \{\s+return 403;/);
        assert.match(conf, /proxy_buffering off;/);
        assert.ok(!/location = \/health\b/.test(conf), "the model's /health is not exposed");
    });
    it("checks the bearer key itself, from the environment, and fails to start without one", () => {
        assert.match(conf, /set \$llm_api_key \$\{ROUTE_GUARD_API_KEY\};/);
        assert.match(conf, /if \(\$http_authorization != "Bearer \$llm_api_key"\) \{[^}]*return 401 /);
    });
    it("forwards only canonical targets, hides its version and sets the forwarding headers", () => {
        assert.match(conf, /if \(\$request_uri != "\$uri\$is_args\$args"\) \{\s+return 400 /);
        assert.match(conf, /server_tokens off;/);
        assert.match(conf, /proxy_set_header X-Forwarded-For \$remote_addr;/);
        assert.match(conf, /proxy_set_header X-Forwarded-Proto \$scheme;/);
    });
    it("mounts a template with no key in it, and takes the key from the Secret", () => {
        const cm = routeGuardConfigMap(workload);
        assert.deepEqual(Object.keys(cm.data!), ["default.conf.template"]);
        const guard = modelServerDeployment(workload).spec.template.spec!.containers.find((c) => c.name === "route-guard")!;
        assert.deepEqual(guard.env!.find((e) => e.name === "ROUTE_GUARD_API_KEY")?.valueFrom?.secretKeyRef, {
            name: workload.secretName,
            key: "api-key",
            optional: false,
        });
        assert.equal(guard.env!.find((e) => e.name === "NGINX_ENVSUBST_FILTER")?.value, "^ROUTE_GUARD_API_KEY$");
        assert.deepEqual(guard.volumeMounts!.map((m) => m.mountPath), ["/etc/nginx/templates", "/etc/nginx/conf.d"]);
    });
});

describe("AKS builders", () => {
    const config = aksGpuSchema.parse(AKS);

    it("turns on every cluster guardrail", () => {
        const s = clusterSecurity(config);
        assert.equal(s.disableLocalAccounts, true);
        assert.equal(s.enableRBAC, true);
        assert.deepEqual(s.aadProfile, { managed: true, enableAzureRBAC: true });
        assert.deepEqual(s.apiServerAccessProfile, { authorizedIPRanges: ["203.0.113.0/24"] });
        assert.equal(s.networkProfile.networkPolicy, "cilium");
        assert.deepEqual(clusterSecurity({ ...config, privateCluster: true }).apiServerAccessProfile, { enablePrivateCluster: true });
    });

    it("bounds, taints and (on spot) evicts-by-delete the GPU pool", () => {
        const pool = gpuPoolSpec(config) as ReturnType<typeof gpuPoolSpec> & Record<string, unknown>;
        assert.equal(pool.enableAutoScaling, true);
        assert.equal(pool.minCount, 1);
        assert.equal(pool.maxCount, 2);
        assert.deepEqual(pool.nodeTaints, ["nvidia.com/gpu=present:NoSchedule"]);
        assert.equal(pool.enableNodePublicIP, false);
        assert.equal(pool.scaleSetEvictionPolicy, "Delete");
        assert.equal(pool.spotMaxPrice, 1);
        const onDemand = gpuPoolSpec({ ...config, spot: false, spotMaxPrice: undefined });
        assert.equal(onDemand.scaleSetPriority, "Regular");
        assert.equal("spotMaxPrice" in onDemand, false);
        assert.equal(systemPoolProfile(config).enableAutoScaling, false);
    });

    it("reads the resource group and cluster from an existing cluster id", () => {
        assert.deepEqual(
            parseClusterId("/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/rg-1/providers/Microsoft.ContainerService/managedClusters/aks-1"),
            { resourceGroupName: "rg-1", clusterName: "aks-1" },
        );
    });
});

describe("Azure ML builders", () => {
    const config = azureMlSchema.parse(AML);

    it("bakes the server's arguments into an image FROM the pinned vLLM image, without an API key", () => {
        const df = servingDockerfile(server);
        assert.match(df, /^FROM vllm\/vllm-openai:v[\d.]+$/m);
        assert.ok(df.includes('"--served-model-name","mistral-7b"'));
        assert.ok(!df.includes("api-key"));
    });

    it("routes health to /health on the model port and sizes probes to model load", () => {
        const routes = inferenceConfig(server);
        assert.deepEqual(routes.livenessRoute, { path: "/health", port: 8000 });
        const probes = amlProbes(server);
        assert.equal(probes.livenessProbe.initialDelay, `PT${server.loadSeconds}S`);
    });

    it("autoscales between min and max on the deployment's GPU utilisation", () => {
        const p = autoscaleProfile(config, "deployment-id", 1200);
        assert.deepEqual(p.capacity, { minimum: "2", maximum: "3", default: "2" });
        assert.ok(p.rules.every((r) => r.metricTrigger.metricResourceUri === "deployment-id"));
        assert.deepEqual(p.rules.map((r) => r.scaleAction.direction), ["Increase", "Decrease"]);
    });

    it("refers to connection secrets by Azure ML's injection syntax", () => {
        assert.equal(connectionSecretRef("huggingface", "token"), "${{azureml://connections/huggingface/credentials/token}}");
    });
});

describe("VM builders", () => {
    it("admits the model port from allowed CIDRs and SSH only from admin CIDRs", () => {
        const rules = nsgRules(["203.0.113.0/24"], []);
        assert.equal(rules.length, 1);
        assert.deepEqual(rules[0].sourceAddressPrefixes, ["203.0.113.0/24"]);
        assert.equal(rules[0].destinationPortRange, "8000");
        assert.deepEqual(nsgRules([], ["198.51.100.7/32"]).map((r) => r.sourceAddressPrefixes), [["10.30.0.0/16"], ["198.51.100.7/32"]]);
    });

    const args = {
        server,
        gpu: true,
        vaultName: "kv-example",
        apiKeySecret: "api-key",
        hfTokenSecret: "hf-token",
    };

    it("installs the NVIDIA driver and toolkit and passes GPUs on GPU sizes only", () => {
        const gpu = buildCloudInit(args);
        assert.match(gpu, /^#cloud-config\n/);
        assert.ok(gpu.includes("ubuntu-drivers install --gpgpu"));
        assert.ok(gpu.includes("nvidia-container-toolkit"));
        assert.ok(gpu.includes("--gpus all"));
        const cpu = buildCloudInit({ ...args, gpu: false, server: llamaCppServer(model, { gguf: GGUF_BUILDS[model.id] }) });
        assert.ok(!cpu.includes("nvidia") && !cpu.includes("--gpus"));
        assert.ok(cpu.includes("LLAMA_API_KEY"));
    });

    it("reads secrets by name through the identity into a root-only tmpfs file, and publishes only the guard", () => {
        const ci = buildCloudInit(args);
        // One user-assigned identity: IMDS needs no client_id, so nothing here is assigned at creation.
        assert.ok(ci.includes("metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net\""));
        assert.ok(!ci.includes("client_id="));
        assert.ok(ci.includes("https://kv-example.vault.azure.net/secrets/$1?api-version=7.4"));
        assert.ok(ci.includes("} > /run/llm-serving.env"));
        assert.ok(ci.includes("} > /run/llm-serving-guard.env"));
        assert.ok(!/printf [^\n]*\$\(/.test(ci), "no command substitution as a printf argument: its failure escapes set -e");
        assert.ok(ci.includes("umask 077"));
        assert.equal((ci.match(/--publish/g) ?? []).length, 1);
        assert.ok(ci.includes("--publish 8000:8080"));
        assert.ok(!ci.includes("llm-serving-tls") && !ci.includes("ssl"));
    });

    it("with TLS: admits 443 (not 8000), writes cert and key to a root-only tmpfs dir, and the guard terminates TLS on 443", () => {
        const rules = nsgRules(["203.0.113.0/24"], [], true);
        assert.deepEqual(rules.map((r) => r.destinationPortRange), ["443"]);
        const ci = buildCloudInit({ ...args, tls: { certificateSecret: "tls-certificate", privateKeySecret: "tls-private-key" } });
        assert.ok(ci.includes("install -d -m 0700 -o root -g root /run/llm-serving-tls"));
        assert.ok(ci.includes("read_secret tls-certificate /run/llm-serving-tls/tls.crt"));
        assert.ok(ci.includes("chmod 0440 /run/llm-serving-tls/tls.crt /run/llm-serving-tls/tls.key"));
        assert.equal((ci.match(/--publish/g) ?? []).length, 1);
        assert.ok(ci.includes("--publish 443:8443"));
        assert.ok(ci.includes("--volume /run/llm-serving-tls/tls.key:/etc/nginx/tls/tls.key:ro"));
        assert.ok(ci.includes("listen 8443 ssl;") && ci.includes("$route_guard_private_key { default /etc/nginx/tls/tls.key; }"));
        // The guard's docker run stays one command: every line but the last ends in a continuation.
        const run = ci.slice(ci.indexOf("docker run -d --name route-guard"), ci.indexOf("nginxinc/"));
        for (const line of run.trimEnd().split("\n")) assert.match(line, /\\$/);
    });
});

describe("model servers for Azure sizes", () => {
    it("serves the AWQ build on 16 GB GPUs under the same name, float16 on T4", () => {
        const t4 = azureVllmServer(model, "Standard_NC4as_T4_v3");
        assert.ok(t4.args.includes(AWQ_BUILDS[model.id]), "the default model's AWQ build");
        assert.deepEqual(t4.args.slice(-2), ["--quantization", "awq"]);
        assert.ok(t4.args.includes("half"));
        assert.ok(t4.args.includes("mistral-7b"));
    });

    it("serves full weights on A100 and spans both GPUs of NC48ads", () => {
        assert.ok(azureVllmServer(model, "Standard_NC24ads_A100_v4").args.includes(model.id));
        const two = azureVllmServer(model, "Standard_NC48ads_A100_v4").args;
        assert.equal(two[two.indexOf("--tensor-parallel-size") + 1], "2");
    });

    it("runs llama.cpp with a pinned image, the GGUF build, port 8000 and the served name", () => {
        const s = llamaCppServer(model, { gguf: GGUF_BUILDS[model.id], threads: 8 });
        assert.match(s.image, /^ghcr\.io\/ggml-org\/llama\.cpp:server-b\d+$/);
        assert.equal(s.port, 8000);
        assert.equal(s.healthPath, "/health");
        assert.ok(s.args.includes(GGUF_BUILDS[model.id].file), "the default model's GGUF build");
        assert.equal(s.args[s.args.indexOf("--alias") + 1], "mistral-7b");
    });
});

describe("globally unique Azure names", () => {
    const SUB = "00000000-0000-4000-8000-000000000001";
    it("fit the naming rules, are stable, and differ by subscription, stack and component", () => {
        for (const [fn, rule] of [
            [storageAccountName, /^[a-z0-9]{3,24}$/],
            [keyVaultName, /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/],
            [containerRegistryName, /^[a-zA-Z0-9]{5,50}$/],
        ] as const) {
            const name = fn(SUB, "prod", "gpu-vm");
            assert.match(name, rule);
            assert.equal(fn(SUB, "prod", "gpu-vm"), name);
            const others = [fn("00000000-0000-4000-8000-000000000002", "prod", "gpu-vm"), fn(SUB, "dev", "gpu-vm"), fn(SUB, "prod", "azure-ml")];
            assert.equal(new Set([name, ...others]).size, 4);
        }
    });
});

describe("the deployer's principal type", () => {
    it("is User for a person signed in through the Azure CLI or PowerShell, ServicePrincipal for anything else", () => {
        assert.equal(deployerPrincipalType("04b07795-8ddb-461a-bbee-02f9e1bf7b46"), "User");
        assert.equal(deployerPrincipalType("1950A258-227B-4E31-A9CF-717495945FC2"), "User");
        assert.equal(deployerPrincipalType("00000000-0000-4000-8000-00000000c001"), "ServicePrincipal");
    });
});
