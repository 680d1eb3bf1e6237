// Compliant resources for the security and availability policies, shaped like what the five
// components register (see the offline plan). Each test changes one thing. Values a message must
// never print are planted as SENTINEL_* (assertNoValueIn checks for them).
import * as assert from "node:assert/strict";
import type { PlannedResource } from "../../policies/evaluate";
import type { Reported } from "./policyArgs";
import { planned } from "./policyFixtures";

/** Secret-looking values planted in fixtures; no message may contain them. */
export const SENTINEL_KEY = "Zq8RkT3vWx9LmN2pQs7YbC4dFg6HjK1a";
export const SENTINEL_HF = "hf_SeNtInElToKeNdoNotPrint0123456789abc";

export function assertNoValueIn(reported: ReadonlyArray<Reported>, ...values: string[]): void {
    for (const r of reported) {
        for (const v of [SENTINEL_KEY, SENTINEL_HF, ...values]) {
            assert.ok(!r.message.includes(v), `message leaks a value:\n${r.message}`);
        }
    }
}

export const T = {
    mlEndpoint: "azure-native:machinelearningservices:OnlineEndpoint",
    mlDeployment: "azure-native:machinelearningservices:OnlineDeployment",
    mlEnvironment: "azure-native:machinelearningservices:EnvironmentVersion",
    autoscale: "azure-native:monitor:AutoscaleSetting",
    genericResource: "azure-native:resources:Resource",
    backend: "gcp:compute/backendService:BackendService",
    template: "gcp:compute/instanceTemplate:InstanceTemplate",
    firewall: "gcp:compute/firewall:Firewall",
    mig: "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager",
    autoscaler: "gcp:compute/regionAutoscaler:RegionAutoscaler",
    serviceAccount: "gcp:serviceaccount/account:Account",
    armor: "gcp:compute/securityPolicy:SecurityPolicy",
    deployment: "kubernetes:apps/v1:Deployment",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    service: "kubernetes:core/v1:Service",
    rayService: "kubernetes:ray.io/v1:RayService",
    nodeClass: "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass",
    nodePool: "kubernetes:karpenter.sh/v1:NodePool",
    release: "kubernetes:helm.sh/v3:Release",
    queue: "aws:sqs/queue:Queue",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    ec2: "aws:ec2/instance:Instance",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    eks: "aws:eks/cluster:Cluster",
    nsg: "azure-native:network:NetworkSecurityGroup",
    vm: "azure-native:compute:VirtualMachine",
    aks: "azure-native:containerservice:ManagedCluster",
    kvSecret: "azure-native:keyvault:Secret",
} as const;

export const LABELS = { owner: "ml-platform", "cost-center": "cc-1234", environment: "dev", app: "llm-serving", "managed-by": "pulumi" };
const POD_LABELS = { "app.kubernetes.io/name": "model-server", "app.kubernetes.io/component": "model-server" };

export function mlEndpoint(): PlannedResource {
    return planned(T.mlEndpoint, "llm-endpoint", { location: "eastus", properties: { authMode: "Key", publicNetworkAccess: "Enabled" }, tags: LABELS });
}

export function mlDeployment(): PlannedResource {
    return planned(T.mlDeployment, "llm-deployment", {
        properties: {
            instanceType: "Standard_NC4as_T4_v3",
            environmentVariables: { HF_TOKEN: "${{azureml://connections/hf/credentials/token}}", VLLM_MAX_MODEL_LEN: "8192" },
            livenessProbe: { initialDelay: "PT1200S", period: "PT30S" },
            readinessProbe: { initialDelay: "PT30S", period: "PT10S" },
        },
        sku: { name: "Default", capacity: 2 },
        tags: LABELS,
    });
}

/** An autoscale setting on the deployment, 2..4 instances. */
export function mlAutoscale(deployment: PlannedResource): PlannedResource {
    return planned(
        T.autoscale,
        "llm-autoscale",
        { targetResourceUri: "llm-deployment-id", profiles: [{ name: "gpu", capacity: { minimum: "2", maximum: "4", default: "2" } }], tags: LABELS },
        { targetResourceUri: [deployment.urn] },
    );
}

export function gcpBackend(): PlannedResource {
    return planned(T.backend, "llm-backend", { loadBalancingScheme: "EXTERNAL_MANAGED", securityPolicy: "projects/p/global/securityPolicies/llm-armor" });
}

export const STARTUP_SCRIPT = `#!/bin/bash
set -euo pipefail
cos-extensions install gpu -- --version=latest
SM_TOKEN=$(curl -sf "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/sa@p.iam.gserviceaccount.com:generateAccessToken")
{
  printf '%s=%s\\n' VLLM_API_KEY "$(curl -sf "https://secretmanager.googleapis.com/v1/projects/p/secrets/llm-api-key/versions/latest:access")"
} > /run/llm-serving.env
docker run -d --name model-server --restart unless-stopped \\
  --env-file /run/llm-serving.env \\
  --device /dev/nvidia0:/dev/nvidia0 --publish 8000:8000 \\
  vllm/vllm-openai:v0.11.0 --model mistralai/Mistral-7B-Instruct-v0.2 --port 8000
`;

export function gcpTemplate(): PlannedResource {
    return planned(
        T.template,
        "llm-template",
        {
            machineType: "g2-standard-4",
            labels: LABELS,
            serviceAccount: { email: "llm-sa@acme-llm-dev.iam.gserviceaccount.com", scopes: ["https://www.googleapis.com/auth/logging.write"] },
            metadata: { "block-project-ssh-keys": "true", "enable-oslogin": "true", "startup-script": STARTUP_SCRIPT },
        },
        { serviceAccount: ["urn:pulumi:test::llm-serving::gcp:serviceaccount/account:Account::llm-sa"] },
    );
}

export function gcpServiceAccount(): PlannedResource {
    return planned(T.serviceAccount, "llm-sa", { accountId: "llm-sa" });
}

export function gcpFirewall(): PlannedResource {
    return planned(T.firewall, "llm-allow-lb", {
        direction: "INGRESS",
        sourceRanges: ["35.191.0.0/16", "130.211.0.0/22"],
        allows: [{ protocol: "tcp", ports: ["8000"] }],
    });
}

export function gcpMig(): PlannedResource {
    return planned(T.mig, "llm-mig", { autoHealingPolicies: { healthCheck: "llm-health-id", initialDelaySec: 1200 } });
}

export function gcpAutoscaler(): PlannedResource {
    return planned(T.autoscaler, "llm-autoscaler", { autoscalingPolicy: { minReplicas: 2, maxReplicas: 3 } });
}

/** The AKS model server: vLLM plus its route guard, key from a Secret, three probes on /health. */
export function modelServerDeployment(): PlannedResource {
    const probe = (period: number) => ({ httpGet: { path: "/health", port: "model" }, periodSeconds: period });
    return planned(T.deployment, "llm-deployment-k8s", {
        metadata: { name: "model-server", namespace: "llm-serving", labels: LABELS },
        spec: {
            replicas: 2,
            selector: { matchLabels: POD_LABELS },
            template: {
                metadata: { labels: { ...POD_LABELS, ...LABELS } },
                spec: {
                    containers: [
                        {
                            name: "model-server",
                            image: "vllm/vllm-openai:v0.11.0",
                            args: ["--model", "mistralai/Mistral-7B-Instruct-v0.2", "--port", "8000"],
                            env: [
                                { name: "VLLM_API_KEY", valueFrom: { secretKeyRef: { name: "model-server-secrets", key: "api-key" } } },
                                { name: "HF_HOME", value: "/root/.cache/huggingface" },
                            ],
                            ports: [{ name: "model", containerPort: 8000 }],
                            livenessProbe: probe(20),
                            readinessProbe: probe(10),
                            startupProbe: { ...probe(10), failureThreshold: 120 },
                        },
                        {
                            name: "route-guard",
                            image: "nginxinc/nginx-unprivileged:1.28.0-alpine",
                            ports: [{ name: "http", containerPort: 8080 }],
                            readinessProbe: { httpGet: { path: "/guard-healthz", port: 8080 } },
                        },
                    ],
                },
            },
        },
    });
}

export function modelServerPdb(): PlannedResource {
    return planned(T.pdb, "llm-pdb", { metadata: { name: "model-server", namespace: "llm-serving" }, spec: { maxUnavailable: 1, selector: { matchLabels: POD_LABELS } } });
}

export function loadBalancerService(): PlannedResource {
    return planned(T.service, "llm-service", {
        metadata: { name: "model-server", namespace: "llm-serving" },
        spec: { type: "LoadBalancer", ports: [{ name: "http", port: 80, targetPort: "http" }], loadBalancerSourceRanges: ["203.0.113.0/24"] },
    });
}

export function rayService(): PlannedResource {
    const serveConfig = "applications:\n  - name: llm\n    deployments:\n      - name: VllmNeuron\n        autoscaling_config:\n          min_replicas: 2\n          max_replicas: 4\n";
    return planned(T.rayService, "llm-rayservice", {
        apiVersion: "ray.io/v1",
        kind: "RayService",
        metadata: { name: "llm", namespace: "llm-serving" },
        spec: {
            serveConfigV2: serveConfig,
            rayClusterConfig: {
                gcsFaultToleranceOptions: { redisAddress: "rediss://redis.example.invalid:6379", redisPassword: { valueFrom: { secretKeyRef: { name: "redis-password", key: "password" } } } },
                headGroupSpec: { template: { spec: { containers: [{ name: "ray-head", image: "public.ecr.aws/neuron/pytorch-inference-vllm-neuronx:0.9.1", env: [{ name: "RAY_REDIS_CA_CERT", value: "/etc/ssl/certs/ca-certificates.crt" }], ports: [{ name: "serve", containerPort: 8000 }] }] } } },
                workerGroupSpecs: [
                    {
                        groupName: "inf2",
                        minReplicas: 2,
                        maxReplicas: 4,
                        template: {
                            spec: {
                                containers: [
                                    {
                                        name: "ray-worker",
                                        image: "public.ecr.aws/neuron/pytorch-inference-vllm-neuronx:0.9.1",
                                        env: [{ name: "VLLM_API_KEY", valueFrom: { secretKeyRef: { name: "llm-api-key", key: "key" } } }],
                                        ports: [{ name: "serve", containerPort: 8000 }],
                                    },
                                ],
                            },
                        },
                    },
                ],
            },
        },
    });
}

export function nodeClass(): PlannedResource {
    return planned(T.nodeClass, "llm-nodeclass", {
        spec: { amiSelectorTerms: [{ alias: "al2023@latest" }], metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 }, tags: LABELS },
    });
}

export function launchTemplate(): PlannedResource {
    return planned(T.launchTemplate, "llm-system-nodes", { metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 }, tags: LABELS });
}

export function spotNodePool(): PlannedResource {
    return planned(T.nodePool, "llm-nodepool", {
        spec: {
            template: { spec: { requirements: [{ key: "node.kubernetes.io/instance-type", operator: "In", values: ["inf2.8xlarge"] }, { key: "karpenter.sh/capacity-type", operator: "In", values: ["spot"] }] } },
            limits: { cpu: "64", memory: "256Gi", "aws.amazon.com/neuron": "2" },
        },
    });
}

export function interruptionQueue(): PlannedResource {
    return planned(T.queue, "llm-interruptions", { messageRetentionSeconds: 300, sqsManagedSseEnabled: true, tags: LABELS });
}

export function karpenterRelease(): PlannedResource {
    return planned(T.release, "llm-karpenter", {
        chart: "oci://public.ecr.aws/karpenter/karpenter",
        version: "1.8.1",
        values: { settings: { clusterName: "llm-dev", interruptionQueue: "llm-interruptions" } },
    });
}

export function awsSecurityGroup(): PlannedResource {
    return planned(T.securityGroup, "llm-nlb", {
        ingress: [{ protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"] }, { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["203.0.113.0/24"] }],
        tags: LABELS,
    });
}

export function awsIngressRule(): PlannedResource {
    return planned(T.ingressRule, "llm-nlb-from-clients", { cidrIpv4: "203.0.113.0/24", ipProtocol: "tcp", fromPort: 80, toPort: 80, tags: LABELS });
}

export function eksCluster(): PlannedResource {
    return planned(T.eks, "llm-eks", { vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] }, tags: LABELS });
}

export function azureNsg(): PlannedResource {
    return planned(T.nsg, "llm-nsg", {
        securityRules: [
            { name: "allow-model-clients", access: "Allow", direction: "Inbound", protocol: "Tcp", destinationPortRange: "8000", sourceAddressPrefixes: ["203.0.113.0/24"], priority: 100 },
            { name: "allow-https", access: "Allow", direction: "Inbound", protocol: "Tcp", destinationPortRange: "443", sourceAddressPrefix: "Internet", priority: 110 },
        ],
        tags: LABELS,
    });
}

export const CLOUD_INIT = `#cloud-config
write_files:
  - path: /usr/local/bin/llm-serving-start
    content: |
      docker run -d --name model-server --network llm-serving --restart unless-stopped \\
        --env-file /run/llm-serving.env --gpus all --ipc host \\
        vllm/vllm-openai:v0.11.0 --model mistralai/Mistral-7B-Instruct-v0.2 --port 8000
`;

export function azureVm(): PlannedResource {
    return planned(T.vm, "llm-vm", {
        hardwareProfile: { vmSize: "Standard_NC4as_T4_v3" },
        osProfile: {
            adminUsername: "azureuser",
            customData: Buffer.from(CLOUD_INIT).toString("base64"),
            linuxConfiguration: { disablePasswordAuthentication: true, ssh: { publicKeys: [{ path: "/home/azureuser/.ssh/authorized_keys", keyData: "ssh-ed25519 AAAA me" }] } },
        },
        tags: LABELS,
    });
}

export function aksCluster(): PlannedResource {
    return planned(T.aks, "llm-aks", {
        disableLocalAccounts: true,
        enableRBAC: true,
        aadProfile: { managed: true, enableAzureRBAC: true },
        apiServerAccessProfile: { authorizedIPRanges: ["203.0.113.0/24"] },
        networkProfile: { networkPlugin: "azure", networkPolicy: "cilium" },
        agentPoolProfiles: [{ name: "system", mode: "System", vmSize: "Standard_D4s_v5", count: 1 }],
        tags: LABELS,
    });
}
