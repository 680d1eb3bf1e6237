import * as pulumi from "@pulumi/pulumi";
import { breakerAutoscalerDescription } from "../../policies/contract/breaker";
import * as compute from "@pulumi/gcp/compute";
import * as projects from "@pulumi/gcp/projects";
import * as secretmanager from "@pulumi/gcp/secretmanager";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as serviceusage from "@pulumi/gcp/serviceusage";
import * as random from "@pulumi/random";
import { ModelConfig, TlsCertificate } from "../../config";
import { GcpSpotL4Config, L4_COUNT } from "./config";
import { GOOGLE_FRONT_END_RANGES, secretResourceName, serviceAccountEmail, serviceAccountId } from "../../components/gcp/names";
import { buildStartupScript } from "./startupScript";
import { buildShutdownScript } from "./shutdownScript";
import { apiResourceName, GCP_APIS, GcpApi } from "../../components/gcp/project";
import { gpuQuotaOverrides } from "../../components/gcp/quota";
import { rollingUpdatePolicy } from "./rollout";
import { autoscalingPolicy } from "./autoscaling";
import { collectorScript } from "./collector";
import { ObservabilityConfig, targetInFlight } from "../../config/observability";
import { OPENAI_ROUTE_PREFIX, openAiBaseUrl, vllmServer } from "../../components/serving";
import { modelAccessOf } from "../../components/modelAccess";
import { ReplicaGroup, SUBNET_RANGES, regionPrefix, replicaGroups } from "./capacity";
import { GcpRegion } from "./config";

export interface GcpSpotL4ReplicasArgs {
    /** Validated `targets.gcpSpotL4` config. */
    readonly config: GcpSpotL4Config;
    readonly model: ModelConfig;
    /** GCP labels for every labelable child (owner, cost-center, environment). */
    readonly labels: Readonly<Record<string, string>>;
    /** Bearer token clients must send. @default a generated 48-character key */
    readonly apiKey?: pulumi.Input<string>;
    /** Hugging Face token, for gated models. */
    readonly hfToken?: pulumi.Input<string>;
    /**
     * The stack's certificate for `config.domain` (a self-managed SSL certificate).
     * @default a Google-managed certificate for the domain
     */
    readonly tls?: TlsCertificate;
    /** Alert thresholds and the autoscaler's in-flight target (`llm-serving:observability`). */
    readonly observability: ObservabilityConfig;
}

/** OAuth scopes of the replicas: logs, metrics, and `iam` to mint a token for reading its secrets. */
export const REPLICA_SCOPES = [
    "https://www.googleapis.com/auth/logging.write",
    "https://www.googleapis.com/auth/monitoring.write",
    "https://www.googleapis.com/auth/iam",
] as const;

/** Container-Optimized OS: Docker included, NVIDIA driver installed at boot by cos-extensions. */
export const REPLICA_IMAGE = "projects/cos-cloud/global/images/family/cos-stable";

/**
 * Spot L4 replicas behind a global external Application Load Balancer, in the spirit of
 * SkyPilot serve: a regional managed instance group of g2 spot VMs running vLLM, autohealed on
 * `/health`, scaled between `replicas.min` and `replicas.max`, reachable only through the load
 * balancer, whose Cloud Armor policy admits only OpenAI `/v1/` routes from the allowed CIDRs.
 */
export class GcpSpotL4Replicas extends pulumi.ComponentResource {
    /** OpenAI-compatible base URL (`.../v1`). */
    public readonly endpoint: pulumi.Output<string>;
    /** Bearer token for the endpoint (secret). */
    public readonly apiKey: pulumi.Output<string>;

    constructor(name: string, args: GcpSpotL4ReplicasArgs, opts?: pulumi.ComponentResourceOptions) {
        // Which model this target downloads and whether it holds a token for it (the model-access policy).
        super("llm-serving:gcp:GcpSpotL4Replicas", name, modelAccessOf(args.model, args.hfToken), opts);
        const childOpts = { parent: this };
        const { config, labels } = args;
        const { project } = config;
        const gpuCount = L4_COUNT[config.machineType];
        const server = vllmServer(args.model, { accelerator: "nvidia-l4", tensorParallelSize: gpuCount });

        const apiKey = pulumi.secret(
            args.apiKey ?? new random.RandomPassword(`${name}-api-key`, { length: 48, special: false }, childOpts).result,
        );

        // The APIs this target calls, enabled here (a fresh project has few on); never disabled on
        // destroy, since other workloads of the project may use them too. Each resource below
        // depends on the APIs it calls.
        const apis = Object.fromEntries(
            (Object.keys(GCP_APIS) as GcpApi[]).map((api) => [
                api,
                new projects.Service(
                    apiResourceName(name, api),
                    { project, service: GCP_APIS[api], disableOnDestroy: false, disableDependentServices: false },
                    childOpts,
                ),
            ]),
        ) as Record<GcpApi, projects.Service>;
        const needs = (...used: GcpApi[]): pulumi.CustomResourceOptions => ({ parent: this, dependsOn: used.map((api) => apis[api]) });
        const computeOpts = needs("compute");

        // Identity: a dedicated account that may only write telemetry and read its own secrets.
        const accountId = serviceAccountId(name);
        const account = new serviceaccount.Account(
            `${name}-sa`,
            { project, accountId, displayName: `llm-serving replicas (${name})` },
            needs("iam"),
        );
        new serviceaccount.IAMMember(
            `${name}-sa-self-token`,
            { serviceAccountId: account.name, role: "roles/iam.serviceAccountTokenCreator", member: account.member },
            needs("iam"),
        );
        const telemetryRoles = { "log-writer": "roles/logging.logWriter", "metric-writer": "roles/monitoring.metricWriter" };
        for (const [roleName, role] of Object.entries(telemetryRoles)) {
            new projects.IAMMember(`${name}-${roleName}`, { project, role, member: account.member }, needs("resourceManager", "iam"));
        }
        const apiKeySecretId = `${name}-api-key`;
        const hfTokenSecretId = `${name}-hf-token`;
        // Replicas read these at boot: the template waits for them (and for the right to read them).
        const secretsReady = [
            ...this.secret(apiKeySecretId, project, labels, apiKey, account.member, needs("secretManager")),
            ...(args.hfToken ? this.secret(hfTokenSecretId, project, labels, pulumi.secret(args.hfToken), account.member, needs("secretManager")) : []),
        ];

        // Network: private replicas; per region a subnet, and Cloud NAT for image and weight downloads.
        const network = new compute.Network(`${name}-network`, { project, autoCreateSubnetworks: false }, computeOpts);
        const subnets = new Map<GcpRegion, compute.Subnetwork>();
        for (const region of config.regions) {
            const prefix = regionPrefix(name, config, region);
            const subnet = new compute.Subnetwork(
                `${prefix}-subnet`,
                { project, region, network: network.id, ipCidrRange: SUBNET_RANGES[region], privateIpGoogleAccess: true },
                computeOpts,
            );
            subnets.set(region, subnet);
            const router = new compute.Router(`${prefix}-router`, { project, region, network: network.id }, computeOpts);
            new compute.RouterNat(
                `${prefix}-nat`,
                {
                    project,
                    region,
                    router: router.name,
                    natIpAllocateOption: "AUTO_ONLY",
                    sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
                },
                computeOpts,
            );
        }
        new compute.Firewall(
            `${name}-allow-lb`,
            {
                project,
                network: network.id,
                direction: "INGRESS",
                description: "Only Google health checkers and load balancer front ends reach the model port.",
                sourceRanges: [...GOOGLE_FRONT_END_RANGES],
                allows: [{ protocol: "tcp", ports: [String(server.port)] }],
                targetServiceAccounts: [account.email],
            },
            computeOpts,
        );

        const templateOf = (group: ReplicaGroup, subnet: compute.Subnetwork) => new compute.InstanceTemplate(
            `${group.prefix}-template`,
            {
                project,
                region: group.region,
                namePrefix: `${group.prefix}-`,
                machineType: config.machineType,
                description: `${group.role === "spot" ? "Spot" : "On-demand"} ${config.machineType} (${gpuCount}x L4) serving ${args.model.id}`,
                // The share labels tell the policy pack this group's part of the region's maximum.
                labels: { ...labels, ...group.shareLabels },
                disks: [
                    {
                        boot: true,
                        autoDelete: true,
                        sourceImage: REPLICA_IMAGE,
                        diskSizeGb: config.bootDiskGb,
                        diskType: "pd-balanced",
                    },
                ],
                // No accessConfigs: no external IP; traffic arrives through the load balancer only.
                networkInterfaces: [{ subnetwork: subnet.id }],
                serviceAccount: { email: account.email, scopes: [...REPLICA_SCOPES] },
                scheduling: group.role === "spot"
                    ? {
                          provisioningModel: "SPOT",
                          preemptible: true,
                          automaticRestart: false,
                          onHostMaintenance: "TERMINATE",
                          // The group recreates a preempted replica; a stopped one would keep its disk billed.
                          instanceTerminationAction: "DELETE",
                      }
                    : // GPUs cannot live-migrate: host maintenance stops the VM, which then restarts.
                      { provisioningModel: "STANDARD", preemptible: false, automaticRestart: true, onHostMaintenance: "TERMINATE" },
                shieldedInstanceConfig: { enableVtpm: true, enableIntegrityMonitoring: true },
                metadata: {
                    "block-project-ssh-keys": "true",
                    "enable-oslogin": "true",
                    "serial-port-enable": "false",
                    "google-logging-enabled": "true",
                    // Built from names fixed up front, not from outputs: a script computed from
                    // outputs is unknown at a new stack's first preview, where the pack must read it.
                    "startup-script": buildStartupScript({
                        server,
                        apiKeySecret: secretResourceName(project, apiKeySecretId),
                        hfTokenSecret: args.hfToken ? secretResourceName(project, hfTokenSecretId) : undefined,
                        serviceAccountEmail: serviceAccountEmail(project, accountId),
                        gpuCount,
                        collector: collectorScript(server.port),
                    }),
                    // Drain on preemption, scale-in and replacement (issue 19).
                    "shutdown-script": buildShutdownScript({ server }),
                },
            },
            { parent: this, dependsOn: [...secretsReady, apis.compute, apis.iamCredentials, apis.logging, apis.monitoring] },
        );


        const specs = replicaGroups(name, config);
        const templates = specs.map((g) => templateOf(g, subnets.get(g.region)!));

        const health = new compute.HealthCheck(
            `${name}-health`,
            {
                project,
                checkIntervalSec: 10,
                timeoutSec: 5,
                healthyThreshold: 2,
                unhealthyThreshold: 3,
                httpHealthCheck: { port: server.port, requestPath: server.healthPath },
            },
            computeOpts,
        );
        // Per region a spot group and, with an on-demand floor or fallback, an on-demand group
        // beside it (targets/gcpSpotL4/capacity.ts says why GCP needs two groups and how they
        // share the region's maximum). Every group joins the one backend service.
        const surge = (zones: number) => rollingUpdatePolicy(zones).maxSurgeFixed ?? 0;
        const groups = specs.map((g, i) => {
            const group = new compute.RegionInstanceGroupManager(
                `${g.prefix}-mig`,
                {
                    project,
                    region: g.region,
                    baseInstanceName: g.prefix,
                    distributionPolicyZones: [...g.zones],
                    versions: [{ name: "primary", instanceTemplate: templates[i].selfLinkUnique }],
                    namedPorts: [{ name: "http", port: server.port }],
                    autoHealingPolicies: { healthCheck: health.id, initialDelaySec: config.initialDelaySec },
                    // Keep serving during an update: new replicas come up (one per zone) before old ones go.
                    updatePolicy: rollingUpdatePolicy(g.zones.length),
                },
                computeOpts,
            );
            new compute.RegionAutoscaler(
                `${g.prefix}-autoscaler`,
                {
                    project,
                    region: g.region,
                    target: group.id,
                    autoscalingPolicy: groupAutoscalingPolicy(config, g, targetInFlight(args.observability, "NVIDIA L4", gpuCount)),
                    // Autoscalers take no labels: the stack and the group's baseline (its minimum) as
                    // key=value words, which the circuit breaker finds it by and lowers it to.
                    description: breakerAutoscalerDescription(labels, g.min),
                },
                computeOpts,
            );
            return { spec: g, group };
        });
        // The project's regional L4 quota held at each region's bound: the groups' maxima plus
        // their rolling-update surge, each replica with its L4s. A group grown past its bound
        // outside review (console, gcloud, an update without the pack) then gets no GPUs (README,
        // "Where the cap holds"). Spot replicas hold both the preemptible and the standard quota;
        // on-demand ones only the standard quota, which so holds spot and on-demand together.
        for (const region of config.regions) {
            const bound = (role: "spot" | "on-demand") =>
                groups
                    .filter((g) => g.spec.region === region && (g.spec.role === "spot") === (role === "spot"))
                    .reduce((n, g) => n + (g.spec.max + surge(g.spec.zones.length)) * gpuCount, 0);
            const quotas = gpuQuotaOverrides({ project, region, gpu: "l4", gpus: bound("spot"), spot: true, onDemandGpus: bound("on-demand") });
            for (const quota of quotas) {
                new serviceusage.ConsumerQuotaOverride(`${regionPrefix(name, config, region)}-gpu-quota-${quota.role}`, quota.args, computeOpts);
            }
        }

        // Front door: Cloud Armor admits only /v1/ routes (vLLM's key guards nothing else) from allowed CIDRs.
        const armor = new compute.SecurityPolicy(
            `${name}-armor`,
            { project, description: "OpenAI routes only, from allowed client ranges", labels, rules: armorRules(config.allowedCidrs) },
            computeOpts,
        );
        const backend = new compute.BackendService(
            `${name}-backend`,
            {
                project,
                loadBalancingScheme: "EXTERNAL_MANAGED",
                protocol: "HTTP",
                portName: "http",
                // Generations stream for minutes; the default 30 s would cut them off.
                timeoutSec: 600,
                healthChecks: health.id,
                securityPolicy: armor.selfLink,
                // Every backend at the same capacity: the load balancer has no "spot first" order
                // without a service load-balancing policy with preferred backends (not built), so
                // the spot preference comes from the autoscalers' targets (ON_DEMAND_TARGET_MULTIPLE).
                // A lower on-demand capacity (capacityScaler) was not chosen: once spot is full or
                // gone it would make the region look full sooner and push clients to another region.
                backends: groups.map(({ group }) => ({
                    group: group.instanceGroup,
                    balancingMode: "RATE",
                    maxRatePerInstance: config.targetRpsPerReplica,
                    capacityScaler: 1,
                })),
                logConfig: { enable: true, sampleRate: 0.1 },
            },
            computeOpts,
        );
        const urlMap = new compute.URLMap(`${name}-urlmap`, { project, defaultService: backend.id }, computeOpts);
        const address = new compute.GlobalAddress(`${name}-ip`, { project, labels }, computeOpts);
        const certificate = config.domain
            ? args.tls
                ? new compute.SSLCertificate(
                      `${name}-tls-cert`,
                      {
                          project,
                          // A certificate cannot change in place: a new one (new name) replaces it first.
                          namePrefix: `${name}-`,
                          certificate: pulumi.secret(args.tls.certificate),
                          privateKey: pulumi.secret(args.tls.privateKey),
                      },
                      { ...computeOpts, additionalSecretOutputs: ["certificate", "privateKey"] },
                  )
                : new compute.ManagedSslCertificate(`${name}-cert`, { project, managed: { domains: [config.domain] } }, computeOpts)
            : undefined;
        const proxy = certificate
            ? new compute.TargetHttpsProxy(
                  `${name}-https-proxy`,
                  { project, urlMap: urlMap.id, sslCertificates: [certificate.id] },
                  computeOpts,
              )
            : new compute.TargetHttpProxy(`${name}-http-proxy`, { project, urlMap: urlMap.id }, computeOpts);
        new compute.GlobalForwardingRule(
            `${name}-forwarding`,
            {
                project,
                target: proxy.id,
                ipAddress: address.address,
                ipProtocol: "TCP",
                portRange: config.domain ? "443" : "80",
                loadBalancingScheme: "EXTERNAL_MANAGED",
                labels,
            },
            computeOpts,
        );

        this.endpoint = config.domain
            ? pulumi.output(openAiBaseUrl(`https://${config.domain}`))
            : pulumi.interpolate`${address.address}`.apply((ip) => openAiBaseUrl(`http://${ip}`));
        this.apiKey = apiKey;
        this.registerOutputs({ endpoint: this.endpoint, apiKey: this.apiKey });
    }

    /**
     * A Secret Manager secret `secretId` holding `value`, readable by the replicas' account only.
     * Returns the version and the grant: what a replica needs before it boots.
     */
    private secret(
        secretId: string,
        project: string,
        labels: Readonly<Record<string, string>>,
        value: pulumi.Output<string>,
        member: pulumi.Output<string>,
        childOpts: pulumi.CustomResourceOptions,
    ): pulumi.Resource[] {
        const secret = new secretmanager.Secret(
            secretId,
            { project, secretId, labels, replication: { auto: {} } },
            childOpts,
        );
        const version = new secretmanager.SecretVersion(`${secretId}-version`, { secret: secret.id, secretData: value }, childOpts);
        const reader = new secretmanager.SecretIamMember(
            `${secretId}-reader`,
            { project, secretId: secret.secretId, role: "roles/secretmanager.secretAccessor", member },
            childOpts,
        );
        return [version, reader];
    }
}

/**
 * How much more in flight per replica the on-demand group aims for than the spot group. Both
 * groups sit in one backend service and, without a service load-balancing policy, the load
 * balancer spreads a region's requests over both by capacity (RATE, the same
 * `maxRatePerInstance`), so a spot and an on-demand replica carry about the same load. With the
 * same target both autoscalers would add replicas at every peak. With the on-demand target
 * higher, the spot group's autoscaler acts first and holds the average near its own target, below
 * the on-demand group's, which therefore stays at its floor; only when spot cannot grow (at its
 * maximum, or no spot capacity in the region's zones) does the average climb past this multiple
 * and the on-demand group scale out. The price: while spot is short, replicas queue up to 1.5x
 * the configured target before fallback starts. Nothing in Compute Engine caps the two groups'
 * sum; capacity.ts splits the region's maximum between them instead.
 */
export const ON_DEMAND_TARGET_MULTIPLE = 1.5;

/** The in-flight target of a group: the configured one for spot, a higher one for on demand. */
export function groupInFlightTarget(role: ReplicaGroup["role"], targetInFlightPerReplica: number): number {
    if (role === "spot") return targetInFlightPerReplica;
    // At least one request above spot's, so a target of 1 still leaves spot the first move.
    return Math.max(targetInFlightPerReplica + 1, Math.ceil(targetInFlightPerReplica * ON_DEMAND_TARGET_MULTIPLE));
}

/**
 * The autoscaling policy of one group: the one place it is built, called once per MIG (the spot
 * group and the on-demand group of each region), on requests in flight per replica
 * (autoscaling.ts says why that signal), the on-demand group at a higher target than spot
 * (ON_DEMAND_TARGET_MULTIPLE says why).
 */
export function groupAutoscalingPolicy(
    config: GcpSpotL4Config,
    group: Pick<ReplicaGroup, "min" | "max" | "role">,
    targetInFlightPerReplica: number,
): compute.RegionAutoscalerArgs["autoscalingPolicy"] {
    return autoscalingPolicy({
        minReplicas: group.min,
        maxReplicas: group.max,
        initialDelaySec: config.initialDelaySec,
        targetInFlightPerReplica: groupInFlightTarget(group.role, targetInFlightPerReplica),
    });
}

/** Cloud Armor rules: deny non-OpenAI paths first, then admit allowed CIDRs (or anyone, when none are set). */
export function armorRules(allowedCidrs: readonly string[]): compute.SecurityPolicyArgs["rules"] {
    const openRoutesOnly = {
        priority: 1000,
        action: "deny(403)",
        description: `Only ${OPENAI_ROUTE_PREFIX} routes are authenticated by the model server`,
        match: { expr: { expression: `!request.path.startsWith('${OPENAI_ROUTE_PREFIX}')` } },
    };
    const allowListed =
        allowedCidrs.length > 0
            ? [
                  {
                      priority: 2000,
                      action: "allow",
                      description: "Allowed client ranges",
                      match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: [...allowedCidrs] } },
                  },
              ]
            : [];
    const fallthrough = {
        priority: 2147483647,
        action: allowedCidrs.length > 0 ? "deny(403)" : "allow",
        description: allowedCidrs.length > 0 ? "Everyone else" : "Any client; the API key still applies",
        match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } },
    };
    return [openRoutesOnly, ...allowListed, fallthrough];
}
