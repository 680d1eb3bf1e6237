import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as containerservice from "@pulumi/azure-native/containerservice";
import * as resources from "@pulumi/azure-native/resources";
import * as appsv1 from "@pulumi/kubernetes/apps/v1";
import * as corev1 from "@pulumi/kubernetes/core/v1";
// Release's own module, not the helm/v3 index (README, "How fast (issue 21)": what the index adds).
import { Release } from "@pulumi/kubernetes/helm/v3/release";
import { CustomResource } from "@pulumi/kubernetes/apiextensions";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as policyv1 from "@pulumi/kubernetes/policy/v1";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import * as random from "@pulumi/random";
import { AGENT_POOL_REGION_TAG, CLOUD_ANNOTATION, REGION_ANNOTATION } from "../../policies/contract/keys";
import { AZURE_GPU_SIZES, ModelConfig, TlsCertificate } from "../../config";
import { AksGpuConfig, dnsZoneOf } from "./config";
import { DNS_ZONE_CONTRIBUTOR_ROLE, serviceAccountSubject, WORKLOAD_IDENTITY_AUDIENCE } from "./acme";
import { azureDnsClusterIssuer, CERT_MANAGER_CHART, CERT_MANAGER_SERVICE_ACCOUNT, certManagerValues, endpointCertificate } from "../../components/k8s/certManager";
import {
    AKS_RBAC_CLUSTER_ADMIN_ROLE,
    clusterSecurity,
    DEVICE_PLUGIN_CHART,
    devicePluginValues,
    GPU_NODE_LABELS,
    GPU_RESOURCE,
    gpuTolerations,
    parseClusterId,
    replicaResources,
    systemPoolProfile,
} from "./aks";
import { deployerPrincipalType, roleDefinitionId } from "../../components/azure/roles";
import { LLAMA_CPP_DEFAULTS, llamaCppPoolSpec, llamaCppWorkloadParts, llamaPodsPerNode } from "./llamaCpp";
import { llamaCppDeployment } from "../../components/k8s/llamaCpp";
import { createRasa } from "../../components/k8s/rasaResources";
import { RASA_TOKEN_SECRET } from "../../components/k8s/rasa";
import { aksRasaPlacement, modelInternalService, rasaPoolSpec, withRasaTokenInGuard } from "./rasa";
import { BASELINE_TAG, registerAzureBreakerGroup, resourceGroupIdOf } from "../../components/azure/breakerTargets";
import { aksCapacity, aksPoolBaselines, ENDPOINT_POD_LABEL, floorPdb, onDemandPoolSpec, placementProblems, priorityExpanderConfigMap, shareTags, splitDeployments, spotPoolSpec } from "./capacity";

/** AKS's taint on the system pool (inline profile, CriticalAddonsOnly): add-ons that run there tolerate it. */
const SYSTEM_POOL_TOLERATION = { key: "CriticalAddonsOnly", operator: "Equal" as const, value: "true", effect: "NoSchedule" as const };
import {
    modelNamespace,
    modelServerDeployment,
    modelServerPdb,
    modelServerService,
    routeGuardConfigMap,
    asPulumi,
    SECRET_DATA_KEYS,
    selectorLabels,
} from "../../components/k8s/modelServer";
import { openAiBaseUrl } from "../../components/serving";
import { azureVllmServer } from "../../components/azure/server";
import { modelAccessOf } from "../../components/modelAccess";
import type { ObservabilityConfig } from "../../config/observability";
import type { NotificationsConfig } from "../../config/notifications";
import { aksObservability, clusterObservabilityProfile } from "./observability";

export interface AksGpuNodePoolArgs {
    /** Validated `targets.aksGpu` config. */
    readonly config: AksGpuConfig;
    readonly model: ModelConfig;
    /** Azure tags for every taggable child (owner, cost-center, environment). */
    readonly tags: Readonly<Record<string, string>>;
    /** Bearer token clients must send. @default a generated 48-character key */
    readonly apiKey?: pulumi.Input<string>;
    /** Hugging Face token, for gated models. */
    readonly hfToken?: pulumi.Input<string>;
    /**
     * The stack's certificate for `config.domain` (the route guard then serves HTTPS on 443); not
     * needed when `config.acme` has cert-manager obtain one from Let's Encrypt.
     */
    readonly tls?: TlsCertificate;
    /** Alert thresholds and the scaling target (issue #18). */
    readonly observability?: ObservabilityConfig;
    /** Where the alerts go (issue #18). */
    readonly notifications?: NotificationsConfig;
}

/** App name of the model server's Kubernetes objects. */
const APP = "model-server";
/** The `kubernetes.io/tls` Secret the route guard mounts: from the stack's certificate, or written by cert-manager. */
const TLS_SECRET_NAME = `${APP}-tls`;

/**
 * vLLM on an AKS GPU node pool: a locked-down cluster (Entra ID + Azure RBAC, no local accounts,
 * authorized API server ranges or a private API server, network policy) with a small inline
 * system pool, a tainted autoscaled GPU pool, NVIDIA's device plugin, and the model server
 * behind a LoadBalancer Service.
 *
 * Exposure: the Service targets an nginx sidecar (components/k8s/routeGuard.ts) that forwards
 * only `/v1/` and answers 403 elsewhere, because vLLM's API key guards only `/v1`. A sidecar
 * rather than an ingress controller: it needs no cluster-wide add-on, each replica is guarded on
 * its own, and the probes still reach `/health` on the model port, which no Service exposes.
 * The load balancer admits only `allowedCidrs` (`loadBalancerSourceRanges`, enforced by the NSG
 * AKS manages). With `domain`, the guard terminates TLS with the stack's certificate (a
 * `kubernetes.io/tls` Secret) and the Service listens on 443 only; point the DNS name at the
 * Service's IP.
 */
export class AksGpuNodePool extends pulumi.ComponentResource {
    /** OpenAI-compatible base URL (`.../v1`). */
    public readonly endpoint: pulumi.Output<string>;
    /** Bearer token for the endpoint (secret). */
    public readonly apiKey: pulumi.Output<string>;
    /**
     * Kubeconfig for Entra ID sign-in (secret). Uses kubelogin: set AAD_LOGIN_METHOD (azurecli,
     * spn, workloadidentity) for non-interactive use.
     */
    public readonly kubeconfig: pulumi.Output<string>;
    /** With rasa: the REST webhook's URL and its bearer token (secret). */
    public readonly rasa?: { url: pulumi.Output<string>; token: pulumi.Output<string> };

    constructor(name: string, args: AksGpuNodePoolArgs, opts?: pulumi.ComponentResourceOptions) {
        // Which model this target downloads and whether it holds a token for it (the model-access policy).
        super("llm-serving:azure:AksGpuNodePool", name, modelAccessOf(args.model, args.hfToken), opts);
        const childOpts = { parent: this };
        const { config, tags } = args;
        const size = AZURE_GPU_SIZES[config.vmSize];
        const server = azureVllmServer(args.model, config.vmSize);
        if (config.domain && !args.tls && !config.acme) {
            // The config schema refuses this; a backstop for direct use of the component.
            throw new Error(`${name}: domain ${config.domain} needs acme or the stack's TLS certificate`);
        }
        // ACME (cert-manager, Let's Encrypt) when configured, else the stack's certificate.
        const acme = config.domain && config.acme && !config.existingClusterId ? config.acme : undefined;
        const tls = config.domain && !acme ? args.tls : undefined;
        // An on-demand pool beside the spot pool (floor and/or fallback, issue 19; targets/aksGpu/capacity.ts).
        const capacity = aksCapacity(config);
        // serverKind llamacpp: llama.cpp on a CPU pool in place of the GPU pool (targets/aksGpu/llamaCpp.ts).
        const llama = config.serverKind === "llamacpp" ? llamaCppWorkloadParts(args.model, config) : undefined;

        const apiKey = pulumi.secret(
            args.apiKey ?? new random.RandomPassword(`${name}-api-key`, { length: 48, special: false }, childOpts).result,
        );

        // Cluster: ours, or an existing one named by resource id.
        let resourceGroupName: pulumi.Output<string>;
        // The resource group's ARM id: the circuit breaker's role is assigned there (components/azure/breakerTargets.ts).
        let resourceGroupId: pulumi.Output<string>;
        let clusterName: pulumi.Output<string>;
        // The deployer's cluster-admin grant on a new cluster: Kubernetes objects wait for it.
        let deployerAdmin: authorization.RoleAssignment | undefined;
        let oidcIssuerUrl: pulumi.Output<string> | undefined;
        let clusterId: pulumi.Output<string> | undefined;
        if (config.existingClusterId) {
            const existing = parseClusterId(config.existingClusterId);
            resourceGroupName = pulumi.output(existing.resourceGroupName);
            resourceGroupId = pulumi.output(resourceGroupIdOf(config.existingClusterId));
            clusterName = pulumi.output(existing.clusterName);
        } else {
            const group = new resources.ResourceGroup(`${name}-rg`, { location: config.location, tags }, childOpts);
            const cluster = new containerservice.ManagedCluster(
                `${name}-cluster`,
                {
                    resourceGroupName: group.name,
                    location: config.location,
                    dnsPrefix: name,
                    kubernetesVersion: config.kubernetesVersion,
                    sku: { name: "Base", tier: config.tier },
                    identity: { type: "SystemAssigned" },
                    ...clusterSecurity(config),
                    // The system pool stays inline (the cost policy reads it there); the GPU pool is its own resource.
                    agentPoolProfiles: [systemPoolProfile(config)],
                    autoUpgradeProfile: { upgradeChannel: "patch", nodeOSUpgradeChannel: "NodeImage" },
                    // Fallback: scale the spot pool first, the on-demand pool when it cannot grow.
                    ...(config.onDemandFallback > 0 ? { autoScalerProfile: { expander: "priority" } } : {}),
                    // cert-manager signs in to Azure DNS through Workload Identity (no client secret).
                    ...(acme ? { oidcIssuerProfile: { enabled: true }, securityProfile: { workloadIdentity: { enabled: true } } } : {}),
                    // Managed Prometheus, managed KEDA and workload identity (issue #18; targets/aksGpu/observability.ts).
                    ...clusterObservabilityProfile(),
                    tags,
                },
                // The GPU pool is managed as its own resource; do not fight it over the inline list.
                { ...childOpts, ignoreChanges: ["agentPoolProfiles[0].count"] },
            );
            resourceGroupName = group.name;
            resourceGroupId = group.id;
            clusterName = cluster.name;
            oidcIssuerUrl = cluster.oidcIssuerProfile.apply((p) => p?.issuerURL ?? "");
            clusterId = cluster.id;

            // With local accounts disabled, whoever runs Pulumi needs Azure RBAC rights to apply
            // the Kubernetes objects below. A person (az login) or a service principal (CI).
            const client = authorization.getClientConfigOutput({ parent: this });
            deployerAdmin = new authorization.RoleAssignment(
                `${name}-deployer-admin`,
                {
                    principalId: client.objectId,
                    principalType: client.clientId.apply(deployerPrincipalType),
                    roleDefinitionId: roleDefinitionId(client.subscriptionId, AKS_RBAC_CLUSTER_ADMIN_ROLE),
                    scope: cluster.id,
                },
                childOpts,
            );
        }

        // The bound each pool always runs at: the breaker steps its maxCount down to it (tag llm-serving-baseline).
        const baselines = aksPoolBaselines(config);
        const pool = llama
            ? new containerservice.AgentPool(
                  `${name}-cpu-pool`,
                  { resourceGroupName, resourceName: clusterName, ...llamaCppPoolSpec(config), tags: { ...tags, [AGENT_POOL_REGION_TAG]: config.location, [BASELINE_TAG]: String(config.nodes.min) } },
                  childOpts,
              )
            : new containerservice.AgentPool(
            `${name}-gpu-pool`,
            // The region tag lets the cost policy price a pool added to an existing cluster, whose
            // location is not in this stack (an AgentPool has no location of its own).
            { resourceGroupName, resourceName: clusterName, ...spotPoolSpec(config), tags: { ...tags, [AGENT_POOL_REGION_TAG]: config.location, ...shareTags(name, config, "spot"), [BASELINE_TAG]: String(baselines.spot) } },
            childOpts,
        );
        const onDemandPool = capacity.onDemand
            ? new containerservice.AgentPool(
                  `${name}-gpu-ondemand-pool`,
                  {
                      resourceGroupName,
                      resourceName: clusterName,
                      ...onDemandPoolSpec(config),
                      tags: { ...tags, [AGENT_POOL_REGION_TAG]: config.location, ...shareTags(name, config, capacity.onDemand.role), [BASELINE_TAG]: String(baselines.onDemand ?? capacity.onDemand.min) },
                  },
                  { ...childOpts, dependsOn: [pool] },
              )
            : undefined;

        // Rasa (optional): a small User pool of its own (the system pool is tainted CriticalAddonsOnly).
        const rasaPool = config.rasa
            ? new containerservice.AgentPool(
                  `${name}-rasa-pool`,
                  { resourceGroupName, resourceName: clusterName, ...rasaPoolSpec(config.rasa), tags: { ...tags, [AGENT_POOL_REGION_TAG]: config.location, [BASELINE_TAG]: String(rasaPoolSpec(config.rasa).minCount) } },
                  { ...childOpts, dependsOn: [pool] },
              )
            : undefined;

        // The circuit breaker (stack/breaker/azure.ts) may lower each pool's maxCount to its baseline tag.
        for (const p of [pool, onDemandPool, rasaPool]) if (p) registerAzureBreakerGroup({ kind: "aks-node-pool", id: p.id, resourceGroupId });

        // Kubernetes: an explicit provider from the cluster's Entra ID kubeconfig (never the ambient context).
        const credentials = containerservice.listManagedClusterUserCredentialsOutput(
            { resourceGroupName, resourceName: clusterName, format: "exec" },
            { parent: this },
        );
        this.kubeconfig = pulumi.secret(
            credentials.kubeconfigs.apply((list) => Buffer.from(list[0]?.value ?? "", "base64").toString("utf8")),
        );
        const k8s = new KubernetesProvider(
            `${name}-k8s`,
            { kubeconfig: this.kubeconfig, enableServerSideApply: true, deleteUnreachable: true },
            { ...childOpts, dependsOn: [pool, ...(onDemandPool ? [onDemandPool] : []), ...(rasaPool ? [rasaPool] : []), ...(deployerAdmin ? [deployerAdmin] : [])] },
        );
        const k8sOpts = { parent: this, provider: k8s };

        const devicePlugin = llama ? undefined : new Release(
            `${name}-device-plugin`,
            {
                chart: DEVICE_PLUGIN_CHART.chart,
                version: DEVICE_PLUGIN_CHART.version,
                repositoryOpts: { repo: DEVICE_PLUGIN_CHART.repo },
                namespace: "kube-system",
                values: devicePluginValues(config.spot),
            },
            k8sOpts,
        );

        const labels = { ...tags };
        const ns = modelNamespace(config.namespace, labels);
        const namespace = new corev1.Namespace(`${name}-namespace`, { metadata: ns.metadata }, k8sOpts);
        const namespaceName = namespace.metadata.name;

        const secret = new corev1.Secret(
            `${name}-secrets`,
            {
                metadata: { name: `${APP}-secrets`, namespace: namespaceName, labels },
                type: "Opaque",
                stringData: pulumi.secret(
                    pulumi.all([apiKey, args.hfToken]).apply(([key, hf]) => ({
                        [SECRET_DATA_KEYS.apiKey]: key,
                        ...(hf ? { [SECRET_DATA_KEYS.hfToken]: hf } : {}),
                    })),
                ),
            },
            { ...k8sOpts, additionalSecretOutputs: ["data", "stringData"] },
        );

        const certificate = acme ? this.acmeCertificate(name, { config, acme, tags, resourceGroupName, oidcIssuerUrl, k8sOpts, namespace, labels }) : undefined;
        const tlsSecret = tls
            ? new corev1.Secret(
                  `${name}-tls`,
                  {
                      metadata: { name: TLS_SECRET_NAME, namespace: namespaceName, labels },
                      type: "kubernetes.io/tls",
                      stringData: pulumi.secret(
                          pulumi.all([tls.certificate, tls.privateKey]).apply(([crt, key]) => ({ "tls.crt": crt, "tls.key": key })),
                      ),
                  },
                  { ...k8sOpts, additionalSecretOutputs: ["data", "stringData"] },
              )
            : undefined;

        const workload = {
            name: APP,
            namespace: config.namespace,
            labels,
            server,
            replicas: config.replicas,
            accelerator: { resource: GPU_RESOURCE, count: size.gpus },
            resources: replicaResources(config),
            tolerations: gpuTolerations(config.spot),
            nodeSelector: { "llm-serving/pool": GPU_NODE_LABELS["llm-serving/pool"] },
            secretName: `${APP}-secrets`,
            hfToken: args.hfToken !== undefined,
            cacheSize: `${Math.floor(config.osDiskSizeGb / 2)}Gi`,
            ...(tlsSecret || certificate ? { tlsSecretName: TLS_SECRET_NAME } : {}),
            ...(llama
                ? { server: llama.server, accelerator: undefined, resources: llama.resources, tolerations: llama.tolerations, nodeSelector: llama.nodeSelector, cacheSize: llama.cacheSize }
                : {}),
        };
        const dependsOnNamespace = { ...k8sOpts, dependsOn: [namespace] };

        // Rasa beside the model: its action server reaches the model by an in-cluster Service on the model's port.
        const rasa = config.rasa
            ? createRasa(
                  name,
                  {
                      ...config.rasa,
                      openAiBaseUrl: openAiBaseUrl(`http://${APP}-internal.${config.namespace}.svc.cluster.local:${workload.server.port}`),
                      model: args.model.servedName,
                      apiKey: { name: `${APP}-secrets`, key: SECRET_DATA_KEYS.apiKey },
                      placement: aksRasaPlacement(config.namespace),
                  },
                  this,
                  dependsOnNamespace,
                  true,
              )
            : undefined;
        if (rasa) {
            const internal = modelInternalService(APP, config.namespace, workload.server.port, capacity.onDemand ? { [ENDPOINT_POD_LABEL]: APP } : selectorLabels(APP));
            new corev1.Service(`${name}-internal-service`, { metadata: internal.metadata, spec: asPulumi<corev1.ServiceArgs["spec"]>(internal.spec) }, dependsOnNamespace);
        }

        const guardConf = routeGuardConfigMap(workload, rasa?.location);
        const configMap = new corev1.ConfigMap(
            `${name}-route-guard`,
            { metadata: guardConf.metadata, data: guardConf.data },
            dependsOnNamespace,
        );
        const unguarded = llama ? llamaCppDeployment(workload, llama.options) : modelServerDeployment(workload);
        const built = rasa ? (withRasaTokenInGuard(unguarded, RASA_TOKEN_SECRET) as typeof unguarded) : unguarded;
        // With an on-demand pool: the main Deployment prefers spot, a floor Deployment holds onDemandBase replicas on demand.
        const split = capacity.onDemand ? splitDeployments(built, APP, config.onDemandBase) : { main: built, floor: undefined };
        const misplaced = placementProblems(config, split);
        if (misplaced.length > 0) throw new Error(`${name}: ${misplaced.join("; ")}`);
        // Scheduling needs GPUs advertised; the pod reads the Secret and the guard's config.
        const podNeeds = { ...k8sOpts, dependsOn: [namespace, secret, configMap, ...(devicePlugin ? [devicePlugin] : []), ...(tlsSecret ? [tlsSecret] : []), ...(certificate ? [certificate] : []), ...(rasa ? [rasa.tokenSecret, ...rasa.services] : [])] };
        // KEDA owns the replicas once its ScaledObject exists (targets/aksGpu/observability.ts): a later update must not reset them.
        const mainDeployment = new appsv1.Deployment(`${name}-deployment`, { metadata: split.main.metadata, spec: asPulumi<appsv1.DeploymentArgs["spec"]>(split.main.spec) }, { ...podNeeds, ignoreChanges: ["spec.replicas"] });
        const pdb = modelServerPdb(workload);
        new policyv1.PodDisruptionBudget(`${name}-pdb`, { metadata: pdb.metadata, spec: pdb.spec }, dependsOnNamespace);
        if (split.floor) {
            new appsv1.Deployment(`${name}-floor-deployment`, { metadata: split.floor.metadata, spec: asPulumi<appsv1.DeploymentArgs["spec"]>(split.floor.spec) }, podNeeds);
            const fpdb = floorPdb(split.floor);
            new policyv1.PodDisruptionBudget(`${name}-floor-pdb`, { metadata: fpdb.metadata, spec: fpdb.spec }, dependsOnNamespace);
        }
        if (config.onDemandFallback > 0) {
            const expander = priorityExpanderConfigMap();
            new corev1.ConfigMap(`${name}-priority-expander`, { metadata: expander.metadata, data: expander.data }, k8sOpts);
        }
        // AKS gives the Service a public IP at run time; the annotations let the pack price it.
        const svc = modelServerService(workload, {
            allowedCidrs: config.allowedCidrs,
            tls: tls !== undefined || certificate !== undefined,
            annotations: { [CLOUD_ANNOTATION]: "azure", [REGION_ANNOTATION]: config.location },
        });
        // With a floor the Service selects both Deployments' pods through the label they share.
        const svcSpec = capacity.onDemand ? { ...svc.spec, selector: { [ENDPOINT_POD_LABEL]: APP } } : svc.spec;
        const service = new corev1.Service(`${name}-service`, { metadata: svc.metadata, spec: svcSpec }, dependsOnNamespace);

        // Metrics, alerts and KEDA on queue depth (issue #18); on a cluster of our own only (an
        // existing cluster's add-ons are not this stack's to switch on). llama.cpp's server runs
        // with --metrics and is watched on its own names (requests deferred for the queue).
        if (clusterId && oidcIssuerUrl) {
            const pool = config.llamaCpp ?? LLAMA_CPP_DEFAULTS;
            aksObservability(this, name, {
                config, app: APP, deployment: split.main.metadata!.name!, resourceGroupName, clusterId, clusterName, oidcIssuerUrl,
                server: llama
                    ? { kind: "llamacpp", vmSize: pool.vmSize, podsPerNode: llamaPodsPerNode(pool.vmSize), parallel: pool.parallel }
                    : { kind: "vllm", accelerator: size.accelerator === "nvidia-a100" && size.gpuMemoryGb === 80 && size.gpus === 1 ? "NVIDIA A100 80GB" : undefined },
                observability: args.observability, notifications: args.notifications, tags, k8sOpts, dependsOn: [namespace, mainDeployment],
            });
        }

        this.endpoint = config.domain
            ? pulumi.output(openAiBaseUrl(`https://${config.domain}`))
            : service.status.loadBalancer.ingress.apply((ingress) =>
                  openAiBaseUrl(`http://${ingress?.[0]?.ip ?? ingress?.[0]?.hostname ?? "pending"}`),
              );
        this.apiKey = apiKey;
        this.rasa = rasa && config.domain ? { url: pulumi.output(`https://${config.domain}${rasa.path}`), token: rasa.token } : undefined;
        this.registerOutputs({ endpoint: this.endpoint, apiKey: this.apiKey, kubeconfig: this.kubeconfig, ...(this.rasa ? { rasa: this.rasa } : {}) });
    }

    /**
     * cert-manager with a Let's Encrypt ClusterIssuer solving DNS-01 in the domain's Azure DNS zone:
     * an identity federated with cert-manager's service account (no client secret), DNS Zone
     * Contributor on that zone only, the pinned chart on the system pool, and the endpoint's
     * Certificate, which writes the `kubernetes.io/tls` Secret the route guard mounts. Renewals are
     * cert-manager's; no certificate or key ever passes through the stack.
     */
    private acmeCertificate(
        name: string,
        a: {
            config: AksGpuConfig;
            acme: NonNullable<AksGpuConfig["acme"]>;
            tags: Readonly<Record<string, string>>;
            resourceGroupName: pulumi.Output<string>;
            oidcIssuerUrl: pulumi.Output<string> | undefined;
            k8sOpts: pulumi.CustomResourceOptions;
            namespace: corev1.Namespace;
            labels: Record<string, string>;
        },
    ): CustomResource {
        const childOpts = { parent: this };
        const zone = dnsZoneOf(a.acme.azureDnsZoneId);
        const identity = new managedidentity.UserAssignedIdentity(
            `${name}-cert-manager`,
            { resourceGroupName: a.resourceGroupName, location: a.config.location, tags: a.tags },
            childOpts,
        );
        const federation = new managedidentity.FederatedIdentityCredential(
            `${name}-cert-manager`,
            {
                resourceGroupName: a.resourceGroupName,
                resourceName: identity.name,
                federatedIdentityCredentialResourceName: "cert-manager",
                issuer: a.oidcIssuerUrl ?? pulumi.output(""),
                subject: serviceAccountSubject(CERT_MANAGER_SERVICE_ACCOUNT.namespace, CERT_MANAGER_SERVICE_ACCOUNT.name),
                audiences: [WORKLOAD_IDENTITY_AUDIENCE],
            },
            childOpts,
        );
        const dnsWriter = new authorization.RoleAssignment(
            `${name}-cert-manager-dns`,
            {
                principalId: identity.principalId,
                principalType: "ServicePrincipal",
                roleDefinitionId: roleDefinitionId(zone.subscriptionId, DNS_ZONE_CONTRIBUTOR_ROLE),
                scope: a.acme.azureDnsZoneId,
            },
            childOpts,
        );
        const chart = new Release(
            `${name}-cert-manager`,
            {
                // A fixed release name (not auto-named): the chart names its objects after it.
                name: CERT_MANAGER_CHART.chart,
                chart: CERT_MANAGER_CHART.chart,
                version: CERT_MANAGER_CHART.version,
                repositoryOpts: { repo: CERT_MANAGER_CHART.repo },
                namespace: CERT_MANAGER_CHART.namespace,
                createNamespace: true,
                // The system pool admits critical add-ons only; cert-manager is one (the endpoint's TLS).
                values: certManagerValues({ tolerations: [SYSTEM_POOL_TOLERATION], azureWorkloadIdentity: true }),
            },
            { ...a.k8sOpts, dependsOn: [federation, dnsWriter] },
        );
        const issuerName = `${name}-letsencrypt`;
        const issuer = azureDnsClusterIssuer({
            name: issuerName,
            email: a.acme.email,
            staging: a.acme.staging,
            subscriptionId: zone.subscriptionId,
            resourceGroupName: zone.resourceGroupName,
            zoneName: zone.zoneName,
            identityClientId: "",
        });
        const acmeSpec = issuer.spec!.acme!;
        const solver = acmeSpec.solvers![0];
        const clusterIssuer = new CustomResource(
            `${name}-cluster-issuer`,
            {
                apiVersion: issuer.apiVersion,
                kind: issuer.kind,
                metadata: issuer.metadata,
                spec: {
                    acme: {
                        ...acmeSpec,
                        solvers: [{ ...solver, dns01: { azureDNS: { ...solver.dns01!.azureDNS!, managedIdentity: { clientID: identity.clientId } } } }],
                    },
                },
            },
            { ...a.k8sOpts, dependsOn: [chart] },
        );
        const cert = endpointCertificate({
            name: APP,
            namespace: a.config.namespace,
            secretName: TLS_SECRET_NAME,
            domain: a.config.domain!,
            issuerName,
            labels: a.labels,
        });
        return new CustomResource(`${name}-certificate`, { ...cert }, { ...a.k8sOpts, dependsOn: [a.namespace, clusterIssuer] });
    }
}
