import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import * as elasticache from "@pulumi/aws/elasticache";
import { CustomResource } from "@pulumi/kubernetes/apiextensions";
import { Deployment, DeploymentArgs } from "@pulumi/kubernetes/apps/v1";
import { ConfigMap, Namespace, Secret, Service } from "@pulumi/kubernetes/core/v1";
// Release's own module, not the helm/v3 index (README, "How fast (issue 21)": what the index adds).
import { Release } from "@pulumi/kubernetes/helm/v3/release";
import { PodDisruptionBudget } from "@pulumi/kubernetes/policy/v1";
import { Provider } from "@pulumi/kubernetes/provider";
import * as random from "@pulumi/random";
import { ModelConfig, TlsCertificate } from "../../config";
import { EksInf2Config } from "./config";
import { KUBERAY_CHART, kubeRayValues, NEURON_CHART, neuronValues } from "./addons";
import { createCluster } from "./cluster";
import { createFrontDoor } from "./frontDoor";
import { buildNodeClass, buildNodePool, KARPENTER_CHART, KARPENTER_SERVICE_ACCOUNT, karpenterValues } from "./karpenter";
import { createKarpenterInfra } from "./karpenterInfra";
import { INF2_POOL, SERVING_NAMESPACE } from "./labels";
import { createNetwork } from "./network";
import { buildProxyDeployment, buildProxyService, proxyConfig } from "./proxy";
import { ROUTE_GUARD_TEMPLATE_FILE } from "../../components/k8s/routeGuard";
import { APP_MODULE, buildRayService, buildRayWorkerPdb, SERVE_PORT, serveAppSource, serveServiceName } from "./rayService";
import { neuronServer, openAiBaseUrl } from "../../components/serving";
import { modelAccessOf } from "../../components/modelAccess";
import { createChatUi } from "./chatUiResources";
import { createRasa } from "./rasaResources";
import { capacityNodePools, floorWorkerGroup } from "./capacity";
import { checkFloorOnOnDemand } from "./consistency";
import { recordEksInf2ForBreaker } from "./breakerHandle";
import { eksObservability } from "./observability";
import type { ObservabilityConfig } from "../../config/observability";
import type { NotificationsConfig } from "../../config/notifications";

export interface EksInf2PoolArgs {
    /** Validated `targets.eksInf2` config. */
    readonly config: EksInf2Config;
    readonly model: ModelConfig;
    /** AWS tags for every taggable child (owner, cost-center, environment). */
    readonly tags: Readonly<Record<string, string>>;
    /** Bearer token clients must send. @default a generated 48-character key */
    readonly apiKey?: pulumi.Input<string>;
    /** Hugging Face token, for gated models. */
    readonly hfToken?: pulumi.Input<string>;
    /** The stack's certificate, for `config.domain` without `acmCertificateArn` (the NLB then terminates TLS on 443). */
    readonly tls?: TlsCertificate;
    /** Ray Serve's target_ongoing_requests per replica (llm-serving:observability). @default 8 */
    readonly targetOngoingRequests?: number;
    /** Alert thresholds (llm-serving:observability). @default DEFAULT_OBSERVABILITY */
    readonly observability?: ObservabilityConfig;
    /** Where the alerts go (llm-serving:notifications); none: the alerts notify no one and the policy says so. */
    readonly notifications?: NotificationsConfig;
}

/** Name of the model's RayService inside the cluster (its Serve Service is `<this>-serve-svc`). */
export const RAY_SERVICE_NAME = "llm";

/**
 * Mistral-7B-class serving on Inferentia2, after the ai-on-eks blueprint with its defects fixed:
 * an EKS cluster with a small system node group; Karpenter launching inf2 nodes from a NodePool
 * bounded by `limits`; the Neuron device plugin and KubeRay from pinned charts; a RayService
 * running the Neuron vLLM OpenAI server under Ray Serve autoscaling; an explicit NLB in front of
 * a proxy that exposes only the authenticated `/v1/` routes to the allowed CIDRs.
 */
export class EksInf2Pool extends pulumi.ComponentResource {
    /** OpenAI-compatible base URL (`https://<domain>/v1`, or `http://<nlb>/v1` without a domain). */
    public readonly endpoint: pulumi.Output<string>;
    /** Bearer token for the endpoint (secret). */
    public readonly apiKey: pulumi.Output<string>;
    /** Kubeconfig for the cluster, using `aws eks get-token` (secret). */
    public readonly kubeconfig: pulumi.Output<string>;
    /** With chatUi: the chat page's URL and its user's credential (password secret). */
    public readonly chatUi?: { url: pulumi.Output<string>; user: string; password: pulumi.Output<string> };
    /** With rasa: the REST webhook's URL and its bearer token (secret). */
    public readonly rasa?: { url: pulumi.Output<string>; token: pulumi.Output<string> };
    /** The Amazon Managed Grafana workspace with the serving dashboard (none with observability.eksManagedGrafana false). */
    public readonly dashboardUrl?: pulumi.Output<string>;

    constructor(name: string, args: EksInf2PoolArgs, opts?: pulumi.ComponentResourceOptions) {
        // Which model this target downloads and whether it holds a token for it (the model-access policy).
        super("llm-serving:aws:EksInf2Pool", name, modelAccessOf(args.model, args.hfToken), opts);
        const childOpts = { parent: this };
        const { config } = args;
        const region = config.region;
        // Cluster names must be unique per account and region: one per stack.
        const clusterName = `${name}-${pulumi.getStack()}`;
        const tags = { ...args.tags };
        if (config.domain && !args.tls && !config.acmCertificateArn) {
            // The config schema refuses this; a backstop for direct use of the component.
            throw new Error(`${name}: domain ${config.domain} needs acmCertificateArn or the stack's TLS certificate`);
        }
        // An ACM certificate by ARN when configured (no secret in the stack), else the stack's certificate.
        const tls = config.domain ? (config.acmCertificateArn ? { certificateArn: config.acmCertificateArn } : args.tls) : undefined;

        const apiKey = pulumi.secret(
            args.apiKey ?? new random.RandomPassword(`${name}-api-key`, { length: 48, special: false }, childOpts).result,
        );

        const network = createNetwork(name, { config, clusterName, tags }, childOpts);
        const eks = createCluster(name, { config, clusterName, network, tags }, childOpts);
        // Karpenter discovers the security group for its nodes by tag.
        new ec2.Tag(`${name}-sg-discovery`, { region, resourceId: eks.securityGroupId, key: "karpenter.sh/discovery", value: clusterName }, childOpts);
        const karpenter = createKarpenterInfra(
            name,
            {
                region,
                clusterName: eks.cluster.name,
                clusterArn: eks.cluster.arn,
                tags,
                spotServiceLinkedRole: config.capacityType === "spot" ? config.spotServiceLinkedRole : undefined,
            },
            childOpts,
        );

        const provider = new Provider(`${name}-k8s`, { kubeconfig: eks.kubeconfig, enableServerSideApply: true }, { ...childOpts, dependsOn: [eks.systemNodes] });
        const k8sOpts = { parent: this, provider };

        // Add-ons from pinned charts. Objects that cost money or carry security settings are NOT in them.
        const karpenterChart = new Release(
            `${name}-karpenter`,
            {
                chart: KARPENTER_CHART.chart,
                version: KARPENTER_CHART.version,
                namespace: KARPENTER_SERVICE_ACCOUNT.namespace,
                values: karpenterValues({ clusterName: eks.cluster.name, queueName: karpenter.queue.name }),
            },
            { ...k8sOpts, dependsOn: [karpenter.podIdentity, karpenter.nodeAccess] },
        );
        new Release(
            `${name}-neuron`,
            { chart: NEURON_CHART.chart, version: NEURON_CHART.version, namespace: "kube-system", values: neuronValues() },
            k8sOpts,
        );
        const kuberay = new Release(
            `${name}-kuberay`,
            {
                chart: KUBERAY_CHART.chart,
                version: KUBERAY_CHART.version,
                repositoryOpts: { repo: KUBERAY_CHART.repo },
                namespace: "kuberay-system",
                createNamespace: true,
                values: kubeRayValues(),
            },
            k8sOpts,
        );

        const nodeClass = buildNodeClass({
            name: INF2_POOL,
            clusterName,
            nodeRoleName: "__NODE_ROLE__",
            volumeGib: config.nodeVolumeGib,
            tags,
        });
        new CustomResource(
            `${name}-nodeclass`,
            { ...nodeClass, spec: { ...nodeClass.spec, role: karpenter.nodeRole.name } },
            { ...k8sOpts, dependsOn: [karpenterChart] },
        );
        // With an on-demand floor or fallback (spot only, the config refuses it otherwise): a spot
        // NodePool weighted over an on-demand one, sharing maxNodes (capacity.ts). The spot pool
        // keeps the single pool's resource name, so adding a floor does not replace it.
        const onDemandPools = config.onDemandBase + config.onDemandFallback > 0;
        const poolBase = { name: INF2_POOL, nodeClassName: INF2_POOL, region, instanceTypes: config.instanceTypes, maxNodes: config.maxNodes };
        const nodePools = onDemandPools
            ? capacityNodePools({ pool: poolBase, onDemandBase: config.onDemandBase, onDemandFallback: config.onDemandFallback }).map(buildNodePool)
            : [buildNodePool({ ...poolBase, capacityType: config.capacityType })];
        nodePools.forEach((pool, i) =>
            new CustomResource(
                i === 0 ? `${name}-nodepool` : `${name}-nodepool-ondemand`,
                pool,
                // Spot launches need the account's EC2 Spot service-linked role first.
                { ...k8sOpts, dependsOn: [karpenterChart, ...(karpenter.spotRole ? [karpenter.spotRole] : [])] },
            ),
        );

        // The model: namespace, secrets by reference, the Serve app, the RayService.
        const ns = new Namespace(`${name}-ns`, { metadata: { name: SERVING_NAMESPACE } }, k8sOpts);
        const nsOpts = { ...k8sOpts, dependsOn: [ns] };
        const apiKeySecret = new Secret(
            `${name}-api-key`,
            { metadata: { name: "llm-api-key", namespace: SERVING_NAMESPACE }, stringData: { key: apiKey } },
            nsOpts,
        );
        const hfSecret = args.hfToken
            ? new Secret(
                  `${name}-hf-token`,
                  { metadata: { name: "hf-token", namespace: SERVING_NAMESPACE }, stringData: { token: pulumi.secret(args.hfToken) } },
                  nsOpts,
              )
            : undefined;
        const server = neuronServer(args.model, { devices: 1, image: config.image });
        const app = new ConfigMap(
            `${name}-serve-app`,
            { metadata: { name: "llm-serve-app", namespace: SERVING_NAMESPACE }, data: { [`${APP_MODULE}.py`]: serveAppSource(server.healthPath) } },
            nsOpts,
        );
        const gcs = config.gcsFaultTolerance ? this.redis(name, config, network, eks.securityGroupId, tags, nsOpts) : undefined;
        const built = buildRayService({
            name: RAY_SERVICE_NAME,
            server,
            devicesPerReplica: 1,
            instanceTypes: config.instanceTypes,
            replicas: config.replicas,
            apiKeySecret: { name: "llm-api-key", key: "key" },
            hfTokenSecret: hfSecret ? { name: "hf-token", key: "token" } : undefined,
            // A placeholder of the real form (TLS scheme): the builder checks the scheme; the address (an output) replaces it below.
            gcs: gcs ? { redisAddress: "rediss://redis.placeholder:6379", password: { name: "redis-password", key: "password" } } : undefined,
            appConfigMap: "llm-serve-app",
            targetOngoingRequests: args.targetOngoingRequests,
        });
        const rayService = config.onDemandBase > 0 ? withFloorGroup(built, config.onDemandBase) : built;
        if (config.onDemandBase > 0) {
            // The floor must land on on-demand nodes by construction; a mismatch is a bug, not a config error.
            const misplaced = checkFloorOnOnDemand(rayService, nodePools, [`${INF2_POOL}-floor`]);
            if (misplaced.length > 0) throw new Error(`${name}: ${misplaced.join(" ")}`);
        }
        const gcsOptions = rayService.spec.rayClusterConfig.gcsFaultToleranceOptions;
        const rayServiceResource = new CustomResource(
            `${name}-rayservice`,
            {
                ...rayService,
                spec: {
                    ...rayService.spec,
                    rayClusterConfig: {
                        ...rayService.spec.rayClusterConfig,
                        ...(gcs && gcsOptions ? { gcsFaultToleranceOptions: { ...gcsOptions, redisAddress: gcs.address } } : {}),
                    },
                },
            },
            { ...k8sOpts, dependsOn: [kuberay, apiKeySecret, app, ...(hfSecret ? [hfSecret] : []), ...(gcs ? [gcs.secret] : [])] },
        );

        // For the run-time breaker (stack/breaker/aws.ts), declared after the targets when opted in.
        recordEksInf2ForBreaker(pulumi.getStack(), {
            region,
            clusterName: eks.cluster.name,
            clusterArn: eks.cluster.arn,
            endpoint: eks.cluster.endpoint,
            caData: eks.cluster.certificateAuthority.apply((ca) => ca.data ?? ""),
            clusterSecurityGroupId: eks.securityGroupId,
            vpcId: network.vpcId,
            privateSubnetIds: network.privateSubnetIds,
            provider,
            namespace: SERVING_NAMESPACE,
            rayService: RAY_SERVICE_NAME,
            rayServiceResource,
            tags,
        });

        // Metrics, alerts and the dashboard (issue #18): AMP's managed scraper, inside the VPC.
        const observed = eksObservability(this, name, {
            region,
            clusterArn: eks.cluster.arn,
            privateSubnetIds: network.privateSubnetIds,
            clusterSecurityGroupId: eks.securityGroupId,
            instanceTypes: config.instanceTypes,
            observability: args.observability,
            notifications: args.notifications,
            tags,
        });

        const workerPdb = buildRayWorkerPdb(`${RAY_SERVICE_NAME}-workers`);
        new PodDisruptionBudget(`${name}-worker-pdb`, { metadata: workerPdb.metadata, spec: workerPdb.spec }, nsOpts);

        const serveHost = `${serveServiceName(RAY_SERVICE_NAME)}.${SERVING_NAMESPACE}.svc.cluster.local`;
        // The chat UI (optional): inside the cluster, reached only through the guard with its own user.
        const chat = config.chatUi && config.chatUiImage
            ? createChatUi(name, { image: config.chatUiImage, openAiBaseUrl: openAiBaseUrl(`http://${serveHost}:${SERVE_PORT}`), model: args.model.servedName, apiKey: { name: "llm-api-key", key: "key" } }, this, nsOpts)
            : undefined;
        // Rasa (optional): server and action server inside the cluster, its REST webhook through the guard with its token.
        const rasa = config.rasa
            ? createRasa(name, { ...config.rasa, openAiBaseUrl: openAiBaseUrl(`http://${serveHost}:${SERVE_PORT}`), model: args.model.servedName, apiKey: { name: "llm-api-key", key: "key" } }, this, nsOpts)
            : undefined;

        // Front door: proxy (only /v1/, /chat/ with its user, Rasa's webhook with its token), NodePort, explicit NLB.
        const proxyConf = new ConfigMap(
            `${name}-front-conf`,
            {
                metadata: { name: "llm-front-conf", namespace: SERVING_NAMESPACE },
                data: { [ROUTE_GUARD_TEMPLATE_FILE]: proxyConfig(serveHost, SERVE_PORT, `${chat?.location ?? ""}${rasa?.location ?? ""}` || undefined) },
            },
            nsOpts,
        );
        // The builder is typed by kubernetes-models (and schema-validated in tests); its IntOrString unions differ from the SDK's.
        new Deployment(`${name}-front`, buildProxyDeployment("llm-front", "llm-front-conf", { name: "llm-api-key", key: "key" }, [...(chat ? [chat.usersMount] : []), ...(rasa ? [rasa.tokenMount] : [])]) as DeploymentArgs, {
            ...k8sOpts,
            dependsOn: [ns, proxyConf, apiKeySecret, ...(chat ? [chat.usersSecret] : []), ...(rasa ? [rasa.tokenSecret] : [])],
        });
        new Service(`${name}-front`, buildProxyService("llm-front"), nsOpts);
        const nlb = createFrontDoor(
            name,
            {
                region,
                vpcId: network.vpcId,
                publicSubnetIds: network.publicSubnetIds,
                nodeSecurityGroupId: eks.securityGroupId,
                systemNodes: eks.systemNodes,
                allowedCidrs: config.allowedCidrs,
                tags,
                tls,
            },
            childOpts,
        );

        // With a domain, point it (CNAME or alias) at the NLB's DNS name.
        this.endpoint = config.domain
            ? pulumi.output(openAiBaseUrl(`https://${config.domain}`))
            : nlb.dnsName.apply((dns) => openAiBaseUrl(`http://${dns}`));
        this.apiKey = apiKey;
        this.kubeconfig = eks.kubeconfig;
        this.dashboardUrl = observed.dashboardUrl;
        this.chatUi = chat && config.domain ? { url: pulumi.output(`https://${config.domain}${chat.path}`), user: chat.user, password: chat.password } : undefined;
        this.rasa = rasa && config.domain ? { url: pulumi.output(`https://${config.domain}${rasa.path}`), token: rasa.token } : undefined;
        this.registerOutputs({ endpoint: this.endpoint, apiKey: this.apiKey, kubeconfig: this.kubeconfig, ...(this.chatUi ? { chatUi: this.chatUi } : {}), ...(this.rasa ? { rasa: this.rasa } : {}), ...(this.dashboardUrl ? { dashboardUrl: this.dashboardUrl } : {}) });
    }

    /** One-node ElastiCache Redis for GCS fault tolerance: TLS in transit, encrypted at rest, password a secret. */
    private redis(
        name: string,
        config: EksInf2Config,
        network: { privateSubnetIds: pulumi.Output<string>[]; vpcId: pulumi.Output<string> },
        nodeSecurityGroupId: pulumi.Output<string>,
        tags: Record<string, string>,
        nsOpts: pulumi.CustomResourceOptions,
    ): { address: pulumi.Output<string>; secret: Secret } {
        const childOpts = { parent: this };
        const region = config.region;
        const password = new random.RandomPassword(`${name}-redis-password`, { length: 40, special: false }, childOpts).result;
        const sg = new ec2.SecurityGroup(
            `${name}-redis`,
            {
                region,
                vpcId: network.vpcId,
                description: "Redis for Ray GCS: nodes only",
                ingress: [{ protocol: "tcp", fromPort: 6379, toPort: 6379, securityGroups: [nodeSecurityGroupId], description: "cluster nodes" }],
                tags,
            },
            childOpts,
        );
        const subnets = new elasticache.SubnetGroup(`${name}-redis`, { region, subnetIds: network.privateSubnetIds, tags }, childOpts);
        const group = new elasticache.ReplicationGroup(
            `${name}-redis`,
            {
                region,
                description: "Ray GCS fault tolerance",
                engine: "redis",
                nodeType: "cache.t4g.small",
                numCacheClusters: 1,
                port: 6379,
                subnetGroupName: subnets.name,
                securityGroupIds: [sg.id],
                transitEncryptionEnabled: true,
                atRestEncryptionEnabled: true,
                authToken: pulumi.secret(password),
                tags,
            },
            childOpts,
        );
        const secret = new Secret(
            `${name}-redis-password`,
            { metadata: { name: "redis-password", namespace: SERVING_NAMESPACE }, stringData: { password: pulumi.secret(password) } },
            nsOpts,
        );
        return { address: pulumi.interpolate`rediss://${group.primaryEndpointAddress}:6379`, secret };
    }
}

// floorWorkerGroup takes any group with a pod template (its loose type, shared with the tests); the builder's group is one.
const floorOf = <G>(group: G, base: number): G => floorWorkerGroup(group as unknown as Parameters<typeof floorWorkerGroup>[0], base) as unknown as G;


/**
 * The RayService with an on-demand floor: `base` always-running workers in a group of their own
 * (floorWorkerGroup) and the serving group shrunk by as many, so the workers' bounds stay
 * `replicas`; the Serve app's min_replicas (replicas.min >= base, the config checks) covers them.
 */
function withFloorGroup(rs: ReturnType<typeof buildRayService>, base: number): ReturnType<typeof buildRayService> {
    const [main, ...rest] = rs.spec.rayClusterConfig.workerGroupSpecs;
    const spot = { ...main, replicas: main.replicas - base, minReplicas: main.minReplicas - base, maxReplicas: main.maxReplicas - base };
    return {
        ...rs,
        spec: { ...rs.spec, rayClusterConfig: { ...rs.spec.rayClusterConfig, workerGroupSpecs: [spot, ...rest, floorOf(main, base)] } },
    };
}
