import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/gcp/compute";
import * as container from "@pulumi/gcp/container";
import * as dns from "@pulumi/gcp/dns";
import * as organizations from "@pulumi/gcp/organizations";
import * as projects from "@pulumi/gcp/projects";
import * as secretmanager from "@pulumi/gcp/secretmanager";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as serviceusage from "@pulumi/gcp/serviceusage";
import * as appsv1 from "@pulumi/kubernetes/apps/v1";
import * as corev1 from "@pulumi/kubernetes/core/v1";
// Release's own module, not the helm/v3 index (README, "How fast (issue 21)": what the index adds).
import { Release } from "@pulumi/kubernetes/helm/v3/release";
import * as policyv1 from "@pulumi/kubernetes/policy/v1";
import { CustomResource } from "@pulumi/kubernetes/apiextensions";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import * as random from "@pulumi/random";
import { CLOUD_ANNOTATION, REGION_ANNOTATION } from "../../policies/contract/keys";
import { DEFAULT_OBSERVABILITY, ModelConfig, ObservabilityConfig, targetInFlight, TlsCertificate } from "../../config";
import * as autoscalingv2 from "@pulumi/kubernetes/autoscaling/v2";
import * as apiregistrationv1 from "@pulumi/kubernetes/apiregistration/v1";
import * as rbacv1 from "@pulumi/kubernetes/rbac/v1";
import { METRICS_ADAPTER_NAMESPACE, METRICS_ADAPTER_SA, metricsAdapterObjects, modelServerHpa, scaleOnWaitingPerReplica } from "./autoscaling";
import { CERT_MANAGER_CHART, CERT_MANAGER_SERVICE_ACCOUNT, certManagerValues, endpointCertificate } from "../../components/k8s/certManager";
import {
    asPulumi,
    modelNamespace,
    modelServerDeployment,
    modelServerPdb,
    modelServerService,
    routeGuardConfigMap,
} from "../../components/k8s/modelServer";
import { openAiBaseUrl, vllmServer } from "../../components/serving";
import { modelAccessOf } from "../../components/modelAccess";
import { modelPodMonitoring } from "../../components/observability/podMonitoring";
import { gpuQuotaOverrides } from "../../components/gcp/quota";
import { G2_L4_COUNT, GkeL4Config } from "./config";
import {
    accountId,
    apiResourceName,
    CERT_MANAGER_TIMEOUT_SECONDS,
    cloudDnsClusterIssuer,
    clusterArgs,
    GKE_ACCELERATOR_LABEL,
    GKE_APIS,
    GKE_SERVICE_ACCOUNT_ANNOTATION,
    GKE_SPOT_LABEL,
    GkeApi,
    gkeKubeconfig,
    kubernetesPrincipal,
    GPU_RESOURCE,
    GPU_TOLERATIONS,
    L4_ACCELERATOR,
    modelServerTimeouts,
    NETWORK_RANGES,
    NODE_ACCOUNT_ROLE,
    nodePoolArgs,
    POOL_UPGRADE,
    REPLICA_RESOURCES,
    secretProviderClass,
    secretSync,
    syncedSecrets,
    workloadIdentityMember,
} from "./builders";

export interface GkeL4ClusterArgs {
    /** Validated `targets.gkeL4` config. */
    readonly config: GkeL4Config;
    readonly model: ModelConfig;
    /** GCP labels (and Kubernetes labels) for every labelable child (owner, cost-center, environment). */
    readonly labels: Readonly<Record<string, string>>;
    /** Bearer token clients must send. @default a generated 48-character key */
    readonly apiKey?: pulumi.Input<string>;
    /** Hugging Face token, for gated models. */
    readonly hfToken?: pulumi.Input<string>;
    /** The stack's certificate for `config.domain`, when `config.acme` is not set. */
    readonly tls?: TlsCertificate;
    /** Autoscaling targets and alert thresholds (`llm-serving:observability`). */
    readonly observability?: ObservabilityConfig;
}

/** Options of a child that waits for the APIs it calls. */
type Needs = { parent: pulumi.Resource; dependsOn: pulumi.Resource[] };

/** App name of the model server's Kubernetes objects. */
const APP = "model-server";
/** The Kubernetes Secret GKE's secret sync writes (API key, HF token): the Deployment reads it by reference. */
const SECRET_NAME = `${APP}-secrets`;
/** Kubernetes service account the secret sync reads Secret Manager as (Workload Identity). */
const SECRET_READER_KSA = `${APP}-secret-reader`;
/** The `kubernetes.io/tls` Secret the route guard mounts: from the stack's certificate, or written by cert-manager. */
const TLS_SECRET_NAME = `${APP}-tls`;

/**
 * vLLM on a GKE Standard cluster with a spot L4 (g2) node pool: private nodes behind Cloud NAT,
 * Workload Identity, a release channel, no default compute service account anywhere (the default
 * pool is removed; the GPU pool and the cluster's transient default pool run as a dedicated
 * account), the control plane reachable only from `masterAuthorizedCidrs`.
 *
 * The API key lives in Secret Manager, as on gcpSpotL4: GKE's secret sync copies it into the
 * namespace's Secret, reading as a Kubernetes service account that Workload Identity makes an IAM
 * principal, granted these secrets only. The Deployment, PodDisruptionBudget, route
 * guard and Service are the shared Kubernetes builders (components/k8s/), as on AKS and EKS.
 *
 * Exposure: a LoadBalancer Service (GKE's external passthrough Network Load Balancer, one
 * forwarding rule) in front of the route guard, which terminates TLS itself with the stack's
 * certificate or cert-manager's Let's Encrypt certificate. Chosen over a Gateway with a
 * Google-managed certificate: the same contract and the same guard as the other clusters, the
 * client's address reaches `loadBalancerSourceRanges` (`allowedCidrs`) and the guard unchanged,
 * and no second, L7, load balancer to pay for.
 */
export class GkeL4Cluster extends pulumi.ComponentResource {
    /** OpenAI-compatible base URL (`.../v1`). */
    public readonly endpoint: pulumi.Output<string>;
    /** Bearer token for the endpoint (secret). */
    public readonly apiKey: pulumi.Output<string>;
    /** Kubeconfig signing in through gke-gcloud-auth-plugin (holds no credential; secret anyway, as on the other clusters). */
    public readonly kubeconfig: pulumi.Output<string>;

    constructor(name: string, args: GkeL4ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        // Which model this target downloads and whether it holds a token for it (the model-access policy).
        super("llm-serving:gcp:GkeL4Cluster", name, modelAccessOf(args.model, args.hfToken), opts);
        const childOpts = { parent: this };
        const { config, labels } = args;
        const { project, region } = config;
        if (config.domain && !config.acme && !args.tls) {
            // The config refuses this; a backstop for direct use of the component.
            throw new Error(`${name}: domain ${config.domain} needs acme or the stack's TLS certificate`);
        }
        const acme = config.domain ? config.acme : undefined;
        const tls = config.domain && !acme ? args.tls : undefined;
        const gpus = G2_L4_COUNT[config.machineType];
        const server = vllmServer(args.model, { accelerator: "nvidia-l4", tensorParallelSize: gpus });

        const apiKey = pulumi.secret(
            args.apiKey ?? new random.RandomPassword(`${name}-api-key`, { length: 48, special: false }, childOpts).result,
        );

        // APIs, enabled here and kept on destroy (other workloads of the project may use them).
        const apis = Object.fromEntries(
            (Object.keys(GKE_APIS) as GkeApi[]).map((api) => [
                api,
                new projects.Service(apiResourceName(name, api), { project, service: GKE_APIS[api], disableOnDestroy: false, disableDependentServices: false }, childOpts),
            ]),
        ) as Record<GkeApi, projects.Service>;
        const needs = (...used: GkeApi[]): Needs => ({ parent: this, dependsOn: used.map((api) => apis[api]) });

        // The nodes run as an account of their own, with GKE's node role only.
        const nodeAccountId = accountId(name, "nodes");
        const nodeAccount = new serviceaccount.Account(`${name}-nodes-sa`, { project, accountId: nodeAccountId, displayName: `llm-serving GKE nodes (${name})` }, needs("iam"));
        const nodeRole = new projects.IAMMember(`${name}-nodes-role`, { project, role: NODE_ACCOUNT_ROLE, member: nodeAccount.member }, needs("resourceManager", "iam"));
        const nodeAccountEmail = `${nodeAccountId}@${project}.iam.gserviceaccount.com`;

        // The secrets; who may read them is granted once the cluster exists (below).
        const secrets = syncedSecrets(name, args.hfToken !== undefined);
        const secretGrants: pulumi.Resource[] = [];
        const secretIds: pulumi.Output<string>[] = [];
        for (const s of secrets) {
            const value = s.key === "api-key" ? apiKey : pulumi.secret(pulumi.output(args.hfToken!));
            const secret = new secretmanager.Secret(s.secretId, { project, secretId: s.secretId, labels, replication: { auto: {} } }, needs("secretManager"));
            secretGrants.push(new secretmanager.SecretVersion(`${s.secretId}-version`, { secret: secret.id, secretData: value }, needs("secretManager")));
            secretIds.push(secret.secretId);
        }

        // Network: private nodes; Cloud NAT for the images and weights they download.
        const computeOpts = needs("compute");
        const network = new compute.Network(`${name}-network`, { project, autoCreateSubnetworks: false }, computeOpts);
        const subnet = new compute.Subnetwork(
            `${name}-subnet`,
            {
                project,
                region,
                network: network.id,
                ipCidrRange: NETWORK_RANGES.nodes,
                privateIpGoogleAccess: true,
                secondaryIpRanges: [
                    { rangeName: NETWORK_RANGES.pods.name, ipCidrRange: NETWORK_RANGES.pods.range },
                    { rangeName: NETWORK_RANGES.services.name, ipCidrRange: NETWORK_RANGES.services.range },
                ],
            },
            computeOpts,
        );
        const router = new compute.Router(`${name}-router`, { project, region, network: network.id }, computeOpts);
        const nat = new compute.RouterNat(
            `${name}-nat`,
            { project, region, router: router.name, natIpAllocateOption: "AUTO_ONLY", sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES" },
            computeOpts,
        );

        const cluster = new container.Cluster(
            `${name}-cluster`,
            clusterArgs(config, { network: network.id, subnetwork: subnet.id, nodeServiceAccount: nodeAccountEmail, labels }),
            // The nodeConfig serves only the default pool, removed at creation: once it is gone the
            // API reports none, and a diff on it would replace the cluster. Its nodes (even the
            // default pool's, for minutes) run as the node account, which needs its role first; the
            // secret sync it enables reads through the Secret Manager API.
            { parent: this, dependsOn: [apis.container, apis.compute, apis.secretManager, nodeAccount, nodeRole], ignoreChanges: ["nodeConfig", "initialNodeCount"] },
        );
        const pool = new container.NodePool(
            `${name}-gpu-pool`,
            nodePoolArgs(config, { cluster: cluster.name, nodeServiceAccount: nodeAccountEmail, labels }),
            // Node counts move with the autoscaler; Pulumi must not fight it.
            { parent: this, dependsOn: [nodeAccount, nodeRole, nat], ignoreChanges: ["nodeCount"] },
        );

        // The secret sync reads as SECRET_READER_KSA, granted on each secret directly as a
        // Workload Identity principal (the form GKE's secret sync documents). The principal names
        // the project by number, which the project lookup gives once the Resource Manager API is
        // on. Its pool (<project>.svc.id.goog) exists only once the project's first cluster with
        // Workload Identity does: before that, IAM refuses the grant ("Identity Pool does not
        // exist", https://github.com/terraform-google-modules/terraform-google-kubernetes-engine/issues/916),
        // so the grants wait for the cluster.
        const projectNumber = organizations.getProjectOutput({ projectId: project }, { parent: this, dependsOn: [apis.resourceManager] }).number;
        const reader = projectNumber.apply((n) => kubernetesPrincipal(n, project, config.namespace, SECRET_READER_KSA));
        secrets.forEach((s, i) =>
            secretGrants.push(
                new secretmanager.SecretIamMember(
                    `${s.secretId}-reader`,
                    { project, secretId: secretIds[i], role: "roles/secretmanager.secretAccessor", member: reader },
                    { parent: this, dependsOn: [apis.secretManager, cluster] },
                ),
            ),
        );
        // The project's regional L4 quota held at the pool's bound: its total maximum plus the
        // upgrade surge (maxSurge nodes per zone, each zone being a managed instance group), each
        // node with its L4s, spot: both the preemptible and the standard quota (README, "Where the
        // cap holds"). The API keeps one override per metric, project and region and refuses a
        // second (409 ALREADY_EXISTS), so the stack schema refuses gcpSpotL4 in this project and region.
        const gpuBound = (config.nodes.max + POOL_UPGRADE.maxSurge * config.zones.length) * gpus;
        for (const quota of gpuQuotaOverrides({ project, region, gpu: "l4", gpus: gpuBound, spot: true })) {
            new serviceusage.ConsumerQuotaOverride(`${name}-gpu-quota-${quota.role}`, quota.args, computeOpts);
        }

        this.kubeconfig = pulumi.secret(
            pulumi.all([cluster.endpoint, cluster.masterAuth, cluster.name]).apply(([endpoint, auth, clusterName]) =>
                gkeKubeconfig(endpoint, auth.clusterCaCertificate, clusterName),
            ),
        );
        const k8s = new KubernetesProvider(
            `${name}-k8s`,
            { kubeconfig: this.kubeconfig, enableServerSideApply: true, deleteUnreachable: true },
            { ...childOpts, dependsOn: [pool] },
        );
        const k8sOpts = { parent: this, provider: k8s };

        const ns = modelNamespace(config.namespace, labels);
        const namespace = new corev1.Namespace(`${name}-namespace`, { metadata: ns.metadata }, k8sOpts);
        const inNamespace = { ...k8sOpts, dependsOn: [namespace] };

        // Secret Manager -> the namespace's Secret, read as SECRET_READER_KSA (Workload Identity).
        const ksa = new corev1.ServiceAccount(
            `${name}-secret-reader`,
            {
                metadata: { name: SECRET_READER_KSA, namespace: config.namespace, labels },
                automountServiceAccountToken: false,
            },
            inNamespace,
        );
        const spc = secretProviderClass({ name: `${APP}-secrets`, namespace: config.namespace, project, secrets, labels });
        const providerClass = new CustomResource(`${name}-secret-provider`, spc, inNamespace);
        const sync = new CustomResource(
            `${name}-secret-sync`,
            secretSync({ secretName: SECRET_NAME, namespace: config.namespace, serviceAccountName: SECRET_READER_KSA, providerClass: spc.metadata.name, secrets, labels }),
            { ...k8sOpts, dependsOn: [namespace, ksa, providerClass, ...secretGrants] },
        );

        const certificate = acme ? this.acmeCertificate(name, { config, acme, labels, k8sOpts, namespace, cluster, needs }) : undefined;
        const tlsSecret = tls
            ? new corev1.Secret(
                  `${name}-tls`,
                  {
                      metadata: { name: TLS_SECRET_NAME, namespace: config.namespace, labels },
                      type: "kubernetes.io/tls",
                      stringData: pulumi.secret(pulumi.all([tls.certificate, tls.privateKey]).apply(([crt, key]) => ({ "tls.crt": crt, "tls.key": key }))),
                  },
                  { ...inNamespace, additionalSecretOutputs: ["data", "stringData"] },
              )
            : undefined;

        const workload = {
            name: APP,
            namespace: config.namespace,
            labels,
            server,
            replicas: config.replicas,
            accelerator: { resource: GPU_RESOURCE, count: gpus },
            resources: REPLICA_RESOURCES[config.machineType],
            tolerations: [...GPU_TOLERATIONS],
            nodeSelector: { [GKE_ACCELERATOR_LABEL]: L4_ACCELERATOR, [GKE_SPOT_LABEL]: "true" },
            secretName: SECRET_NAME,
            hfToken: args.hfToken !== undefined,
            cacheSize: `${Math.floor(config.bootDiskGb / 2)}Gi`,
            ...(tlsSecret || certificate ? { tlsSecretName: TLS_SECRET_NAME } : {}),
        };
        const guardConf = routeGuardConfigMap(workload);
        const configMap = new corev1.ConfigMap(`${name}-route-guard`, { metadata: guardConf.metadata, data: guardConf.data }, inNamespace);
        const deployment = modelServerDeployment(workload);
        const modelDeployment = new appsv1.Deployment(
            `${name}-deployment`,
            { metadata: deployment.metadata, spec: asPulumi<appsv1.DeploymentArgs["spec"]>(deployment.spec) },
            {
                ...k8sOpts,
                dependsOn: [namespace, sync, configMap, ...(tlsSecret ? [tlsSecret] : []), ...(certificate ? [certificate] : [])],
                // The first replica waits for a spot node, its driver and image, then loads the model.
                customTimeouts: modelServerTimeouts(server.loadSeconds),
                // The HPA owns the replicas once it exists (autoscaling.ts): a later update must not reset them.
                ignoreChanges: ["spec.replicas"],
            },
        );
        this.autoscaling(name, { config, labels, k8sOpts, project, projectNumber, cluster, deployment: deployment.metadata.name ?? APP, modelDeployment, observability: args.observability });
        // Managed Prometheus scrapes the model pods' /metrics in the cluster (alerts: targets/gkeL4/index.ts).
        new CustomResource(`${name}-metrics`, { ...modelPodMonitoring(APP, config.namespace, labels) }, inNamespace);
        const pdb = modelServerPdb(workload);
        new policyv1.PodDisruptionBudget(`${name}-pdb`, { metadata: pdb.metadata, spec: pdb.spec }, inNamespace);
        // GKE creates a forwarding rule for the Service at run time; the annotations let the pack price it.
        const svc = modelServerService(workload, {
            allowedCidrs: config.allowedCidrs,
            tls: tlsSecret !== undefined || certificate !== undefined,
            annotations: { [CLOUD_ANNOTATION]: "gcp", [REGION_ANNOTATION]: region },
        });
        const service = new corev1.Service(`${name}-service`, { metadata: svc.metadata, spec: svc.spec }, inNamespace);

        this.endpoint = config.domain
            ? pulumi.output(openAiBaseUrl(`https://${config.domain}`))
            : service.status.loadBalancer.ingress.apply((ingress) => openAiBaseUrl(`http://${ingress?.[0]?.ip ?? ingress?.[0]?.hostname ?? "pending"}`));
        this.apiKey = apiKey;
        this.registerOutputs({ endpoint: this.endpoint, apiKey: this.apiKey, kubeconfig: this.kubeconfig });
    }

    /**
     * The HPA on vLLM's running and waiting gauges, and the Custom Metrics Stackdriver Adapter
     * that serves them from Managed Prometheus (autoscaling.ts), its service account reading Cloud
     * Monitoring as a Workload Identity principal (monitoring.viewer on the project, nothing else).
     */
    private autoscaling(
        name: string,
        a: {
            config: GkeL4Config;
            labels: Readonly<Record<string, string>>;
            k8sOpts: pulumi.CustomResourceOptions;
            project: string;
            projectNumber: pulumi.Output<string>;
            cluster: pulumi.Resource;
            deployment: string;
            modelDeployment: pulumi.Resource;
            observability?: ObservabilityConfig;
        },
    ): void {
        const obs = a.observability ?? DEFAULT_OBSERVABILITY;
        new projects.IAMMember(
            `${name}-metrics-adapter-viewer`,
            {
                project: a.project,
                role: "roles/monitoring.viewer",
                member: a.projectNumber.apply((n) => kubernetesPrincipal(n, a.project, METRICS_ADAPTER_NAMESPACE, METRICS_ADAPTER_SA)),
            },
            // The Workload Identity pool exists once the cluster does (see the secret grants).
            { parent: this, dependsOn: [a.cluster] },
        );
        const created: pulumi.Resource[] = [];
        for (const o of metricsAdapterObjects(a.labels)) {
            const logical = `${name}-metrics-adapter-${o.kind.toLowerCase()}-${o.metadata.name.replace(/[^a-z0-9.-]/g, "-")}`;
            const opts = { ...a.k8sOpts, dependsOn: [...created.filter((r) => r instanceof corev1.Namespace)] };
            const { apiVersion: _v, kind: _k, ...body } = o;
            switch (o.kind) {
                case "Namespace": created.push(new corev1.Namespace(logical, body, a.k8sOpts)); break;
                case "ServiceAccount": created.push(new corev1.ServiceAccount(logical, body, opts)); break;
                case "Service": created.push(new corev1.Service(logical, body, opts)); break;
                case "Deployment": created.push(new appsv1.Deployment(logical, body as appsv1.DeploymentArgs, opts)); break;
                case "ClusterRole": created.push(new rbacv1.ClusterRole(logical, body, opts)); break;
                case "ClusterRoleBinding": created.push(new rbacv1.ClusterRoleBinding(logical, body as rbacv1.ClusterRoleBindingArgs, opts)); break;
                case "RoleBinding": created.push(new rbacv1.RoleBinding(logical, body as rbacv1.RoleBindingArgs, opts)); break;
                case "APIService": created.push(new apiregistrationv1.APIService(logical, body, opts)); break;
                default: throw new Error(`metrics adapter: no resource class for ${o.kind}`);
            }
        }
        const hpa = modelServerHpa({
            name: a.deployment,
            namespace: a.config.namespace,
            deployment: a.deployment,
            minReplicas: a.config.replicas,
            // One replica per GPU node: the pool's maximum is the most that can run.
            maxReplicas: a.config.nodes.max,
            runningPerReplica: targetInFlight(obs, "NVIDIA L4", G2_L4_COUNT[a.config.machineType]),
            waitingPerReplica: scaleOnWaitingPerReplica(obs),
            labels: a.labels,
            // Its adapter's reads are billed by Cloud Monitoring: the pack's per-cloud shares read this.
            annotations: { [CLOUD_ANNOTATION]: "gcp" },
        });
        new autoscalingv2.HorizontalPodAutoscaler(`${name}-hpa`, { metadata: hpa.metadata, spec: asPulumi<autoscalingv2.HorizontalPodAutoscalerArgs["spec"]>(hpa.spec) }, { ...a.k8sOpts, dependsOn: [a.modelDeployment, ...created] });
    }

    /**
     * cert-manager with a Let's Encrypt ClusterIssuer solving DNS-01 in the domain's Cloud DNS
     * zone: cert-manager's Kubernetes service account acts, through Workload Identity, as an IAM
     * account that is DNS Administrator of that zone only; the endpoint's Certificate writes the
     * `kubernetes.io/tls` Secret the route guard mounts. No key passes through the stack.
     */
    private acmeCertificate(
        name: string,
        a: {
            config: GkeL4Config;
            acme: NonNullable<GkeL4Config["acme"]>;
            labels: Readonly<Record<string, string>>;
            k8sOpts: pulumi.CustomResourceOptions;
            namespace: corev1.Namespace;
            cluster: container.Cluster;
            needs: (...used: GkeApi[]) => Needs;
        },
    ): CustomResource {
        const { project } = a.config;
        const zoneProject = a.acme.cloudDnsZone.project ?? project;
        const id = accountId(name, "cert-manager");
        const account = new serviceaccount.Account(`${name}-cert-manager-sa`, { project, accountId: id, displayName: `llm-serving cert-manager (${name})` }, a.needs("iam"));
        const federation = new serviceaccount.IAMMember(
            `${name}-cert-manager-wi`,
            {
                serviceAccountId: account.name,
                role: "roles/iam.workloadIdentityUser",
                member: workloadIdentityMember(project, CERT_MANAGER_SERVICE_ACCOUNT.namespace, CERT_MANAGER_SERVICE_ACCOUNT.name),
            },
            // The member is in the project's Workload Identity pool, which the cluster creates.
            { parent: this, dependsOn: [...a.needs("iam").dependsOn, a.cluster] },
        );
        const dnsWriter = new dns.DnsManagedZoneIamMember(
            `${name}-cert-manager-dns`,
            { project: zoneProject, managedZone: a.acme.cloudDnsZone.name, role: "roles/dns.admin", member: account.member },
            { parent: this },
        );
        const values = certManagerValues({ tolerations: [...GPU_TOLERATIONS], azureWorkloadIdentity: false });
        const chart = new Release(
            `${name}-cert-manager`,
            {
                name: CERT_MANAGER_CHART.chart,
                chart: CERT_MANAGER_CHART.chart,
                version: CERT_MANAGER_CHART.version,
                repositoryOpts: { repo: CERT_MANAGER_CHART.repo },
                namespace: CERT_MANAGER_CHART.namespace,
                createNamespace: true,
                timeout: CERT_MANAGER_TIMEOUT_SECONDS,
                values: {
                    ...values,
                    serviceAccount: {
                        ...(values.serviceAccount as Record<string, unknown>),
                        annotations: { [GKE_SERVICE_ACCOUNT_ANNOTATION]: `${id}@${project}.iam.gserviceaccount.com` },
                    },
                },
            },
            { ...a.k8sOpts, dependsOn: [federation, dnsWriter] },
        );
        const issuerName = `${name}-letsencrypt`;
        const issuer = cloudDnsClusterIssuer({ name: issuerName, email: a.acme.email, staging: a.acme.staging, project: zoneProject, zoneName: a.acme.cloudDnsZone.name, dnsName: a.acme.cloudDnsZone.dnsName });
        const clusterIssuer = new CustomResource(`${name}-cluster-issuer`, { ...issuer }, { ...a.k8sOpts, dependsOn: [chart] });
        const cert = endpointCertificate({ name: APP, namespace: a.config.namespace, secretName: TLS_SECRET_NAME, domain: a.config.domain!, issuerName, labels: a.labels });
        return new CustomResource(`${name}-certificate`, { ...cert }, { ...a.k8sOpts, dependsOn: [a.namespace, clusterIssuer] });
    }
}
