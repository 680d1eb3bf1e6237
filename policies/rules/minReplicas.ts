import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { elementsOf, readIn, stringOf } from "../inspect";
import { AZURE_ML } from "../model/azure/ml";
import { AZURE_PLATFORM } from "../model/azure/platform";
import { GCE_AUTOSCALERS } from "../model/gcp/compute";
import { asNumber, Read, readAt } from "../model/read";
import { urnName } from "../stackCost";
import { ENDPOINT_POD_LABEL, readCapacityShare } from "../contract/capacityShare";
import { GCE_GROUPS, GCE_TEMPLATES } from "../model/gcp/compute";
import { ModelServerSelector, REPLICATED_WORKLOADS, RAY_TYPES, containersOf, isModelServer, modelPortsSchema, modelServerImagesSchema } from "../workloads";

export interface MinReplicasConfig extends ModelServerSelector {
    minReplicas?: number;
    /** A RayService must keep its head's state outside the head pod (GCS fault tolerance). @default true */
    requireRayGcsFaultTolerance?: boolean;
}

const GCP_AUTOSCALERS: ReadonlySet<string> = new Set(GCE_AUTOSCALERS);
const ML_DEPLOYMENT = AZURE_ML.onlineDeployment;
const AUTOSCALE = AZURE_PLATFORM.autoscaleSetting;

/**
 * A model endpoint survives the loss of one replica: at least `minReplicas` (2) at the scaled
 * group's minimum (origin: KICS b23e9b98 and Pulumi compliance-policies' replica rule, applied to
 * every target). GCP autoscaler minReplicas; Kubernetes model server Deployments/StatefulSets
 * spec.replicas; Azure ML autoscale capacity.minimum (or the deployment's sku.capacity when no
 * autoscale setting targets it); RayService worker minReplicas and Serve min_replicas. Spot
 * capacity makes this matter more: one preemption takes a single replica's endpoint down.
 */
export const minReplicas: StackValidationPolicy = {
    name: "min-replicas",
    description: "Model serving must keep at least the configured number of replicas at its minimum (GCP autoscalers, Kubernetes model servers, Azure ML autoscale, RayService) (KICS b23e9b98).",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            minReplicas: { type: "integer", minimum: 1, maximum: 10, default: 2, description: "Least replicas at the scaled group's minimum." },
            modelServerImages: modelServerImagesSchema,
            modelPorts: modelPortsSchema,
            requireRayGcsFaultTolerance: {
                type: "boolean",
                default: true,
                description: "A RayService must set gcsFaultToleranceOptions (an external Redis, its password from a Secret): without it the head pod is a single point of failure whatever the replica count.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const config = args.getConfig<MinReplicasConfig>();
        const least = config.minReplicas ?? 2;
        // Groups that serve one endpoint together (a spot group and its on-demand floor, issue 19)
        // are checked on the sum of their minimums, once, on the first of them.
        const together = new Map<string, { first: PolicyResource; sum: number; reads: Read[] }>();
        for (const resource of args.resources) {
            const key = endpointOf(resource, args.resources);
            if (key === undefined) continue;
            const read = GCP_AUTOSCALERS.has(resource.type) ? readAt(resource.props, ["autoscalingPolicy", "minReplicas"]) : readAt(resource.props, ["spec", "replicas"]);
            const n = asNumber(read);
            const entry = together.get(key) ?? { first: resource, sum: 0, reads: [] };
            entry.sum += n.state === "known" ? n.value : n.state === "absent" && !GCP_AUTOSCALERS.has(resource.type) ? 1 : NaN;
            entry.reads.push(read);
            together.set(key, entry);
        }
        for (const [key, { first, sum, reads }] of together) {
            if (Number.isNaN(sum) || sum < least) {
                const unknown = reads.find((r) => r.state === "unknown");
                reportViolation(
                    `${urnName(first.urn)} [${first.type}]: ` +
                        (unknown ? `${unknown.field} is unknown at preview (one of the groups of ${key}).` : `the groups of ${key} keep ${Number.isNaN(sum) ? "an unknown number of" : sum} replicas at their minimum together, below ${least}: one lost replica takes the endpoint down.`) +
                        " Raise replicas.min (or the floor).",
                    first.urn,
                );
            }
        }
        for (const resource of args.resources) {
            if (endpointOf(resource, args.resources) !== undefined) continue;
            const report = (message: string) => reportViolation(`${urnName(resource.urn)} [${resource.type}]: ${message}`, resource.urn);
            const check = (read: Read, fix: string, absentMeans?: number) => {
                const n = asNumber(read);
                const value = n.state === "known" ? n.value : n.state === "absent" ? absentMeans : undefined;
                if (n.state === "unknown") {
                    report(`${n.field} is unknown at preview. ${fix}`);
                } else if (value === undefined || value < least) {
                    report(`${n.field} is ${value ?? "not set"}, below ${least}: one lost replica takes the endpoint down. ${fix}`);
                }
            };
            if (GCP_AUTOSCALERS.has(resource.type)) {
                check(readAt(resource.props, ["autoscalingPolicy", "minReplicas"]), `Set replicas.min to ${least} or more.`);
            } else if (REPLICATED_WORKLOADS.has(resource.type) && containersOf(resource.type, resource.props).some((c) => !c.init && isModelServer(c.read, config))) {
                check(readAt(resource.props, ["spec", "replicas"]), `Set spec.replicas to ${least} or more.`, 1);
            } else if (resource.type === AUTOSCALE && targetsMlDeployment(resource)) {
                const profiles = readAt(resource.props, ["profiles"]);
                for (const profile of profiles.state === "unknown" ? [profiles] : elementsOf(profiles)) {
                    check(readIn(profile, ["capacity", "minimum"]), `Set instances.min to ${least} or more.`);
                }
            } else if (resource.type === ML_DEPLOYMENT && !args.resources.some((r) => r.type === AUTOSCALE && r.propertyDependencies["targetResourceUri"]?.some((d) => d.urn === resource.urn))) {
                check(readAt(resource.props, ["sku", "capacity"]), `Set sku.capacity to ${least} or more.`, 1);
            } else if (RAY_TYPES.has(resource.type)) {
                checkRay(resource, least, check);
                if (config.requireRayGcsFaultTolerance !== false && resource.type.endsWith(":RayService")) {
                    for (const problem of gcsProblems(resource)) report(problem);
                }
            }
        }
    },
};

/**
 * The endpoint a scaled group serves together with others, or undefined for a group on its own:
 * a GCP autoscaler whose group's template declares a capacity share, or a Deployment whose pods
 * carry ENDPOINT_POD_LABEL (keyed by namespace and value).
 */
function endpointOf(resource: PolicyResource, all: PolicyResource[]): string | undefined {
    if (GCP_AUTOSCALERS.has(resource.type)) {
        const groups = (resource.propertyDependencies["target"] ?? []).filter((d) => GCE_GROUPS.includes(d.type));
        for (const group of groups) {
            const full = all.find((r) => r.urn === group.urn) ?? group;
            for (const t of (full.propertyDependencies["versions"] ?? []).filter((d) => GCE_TEMPLATES.includes(d.type))) {
                const labels = readAt((all.find((r) => r.urn === t.urn) ?? t).props, ["labels"]);
                const share = readCapacityShare(labels.state === "known" ? labels.value : undefined);
                if (share.state === "known") return `share ${share.value.share}`;
            }
        }
        return undefined;
    }
    if (REPLICATED_WORKLOADS.has(resource.type)) {
        const value = stringOf(readAt(resource.props, ["spec", "template", "metadata", "labels", ENDPOINT_POD_LABEL]));
        if (value === undefined) return undefined;
        return `endpoint ${stringOf(readAt(resource.props, ["metadata", "namespace"])) ?? "default"}/${value}`;
    }
    return undefined;
}

function targetsMlDeployment(resource: PolicyResource): boolean {
    if ((resource.propertyDependencies["targetResourceUri"] ?? []).some((d) => d.type === ML_DEPLOYMENT)) {
        return true;
    }
    const target = stringOf(readAt(resource.props, ["targetResourceUri"])) ?? "";
    return /\/onlineEndpoints\/[^/]+\/deployments\//i.test(target);
}

function checkRay(resource: PolicyResource, least: number, check: (read: Read, fix: string, absentMeans?: number) => void): void {
    const cluster = resource.type.endsWith(":RayService") ? ["spec", "rayClusterConfig"] : ["spec"];
    const groups = readAt(resource.props, [...cluster, "workerGroupSpecs"]);
    const list = groups.state === "unknown" ? [groups] : elementsOf(groups);
    const mins = list.map((group) => readIn(group, ["minReplicas"]));
    const known = mins.map((r) => asNumber(r));
    if (mins.length > 1 && known.every((n) => n.state !== "unknown")) {
        // Several worker groups serve the one Serve app (e.g. an on-demand floor group beside the
        // spot group, issue 19): the workers always running are their minima together.
        const sum = known.reduce((acc, n) => acc + (n.state === "known" ? n.value : 0), 0);
        check({ state: "known", value: sum, field: `the minReplicas of ${cluster.join(".")}.workerGroupSpecs summed over its ${mins.length} groups` } as Read, `Set replicas.min to ${least} or more.`);
    } else {
        for (const read of mins) check(read, `Set replicas.min to ${least} or more.`, 0);
    }
    const serve = readAt(resource.props, ["spec", "serveConfigV2"]);
    if (serve.state === "unknown") {
        check(serve, "Build serveConfigV2 from config.");
        return;
    }
    // serveConfigV2 is YAML text; the pack carries no YAML parser, and these keys are flat scalars.
    for (const match of (stringOf(serve) ?? "").matchAll(/\b(min_replicas|num_replicas):\s*(\d+)/g)) {
        if (Number(match[2]) < least) {
            check({ state: "known", value: Number(match[2]), field: `spec.serveConfigV2 ${match[1]}` }, `Set replicas.min to ${least} or more.`);
        }
    }
}

/**
 * Replicas on the workers do not survive the head: the head pod holds the Ray cluster's state (GCS),
 * and when it restarts without an external store, KubeRay recreates the cluster and every Serve
 * replica with it. GCS fault tolerance (KubeRay >= 1.3, `gcsFaultToleranceOptions`) keeps that
 * state in Redis; its password must come from a Secret, never a literal.
 */
function gcsProblems(resource: PolicyResource): string[] {
    const fix = "Set gcsFaultTolerance: true on the target (an ElastiCache Redis holds the head's state), or set requireRayGcsFaultTolerance to false for min-replicas in this stack's policy config.";
    const options = readAt(resource.props, ["spec", "rayClusterConfig", "gcsFaultToleranceOptions"]);
    if (options.state === "unknown") return [`spec.rayClusterConfig.gcsFaultToleranceOptions is unknown at preview. ${fix}`];
    if (options.state === "absent") return [`spec.rayClusterConfig.gcsFaultToleranceOptions is not set: the Ray head is a single point of failure (a head restart redeploys every replica). ${fix}`];
    const problems: string[] = [];
    const address = readIn(options, ["redisAddress"]);
    if (address.state === "absent" || stringOf(address) === "") problems.push(`spec.rayClusterConfig.gcsFaultToleranceOptions.redisAddress is not set. ${fix}`);
    const addressText = stringOf(address);
    if (addressText !== undefined && addressText !== "" && !addressText.startsWith("rediss://")) {
        problems.push(`spec.rayClusterConfig.gcsFaultToleranceOptions.redisAddress must use TLS (rediss://): over redis:// the AUTH token and the cluster's state cross the network in clear.`);
    }
    if (addressText?.startsWith("rediss://")) {
        // Ray's Redis client verifies TLS only against these: without one the head cannot connect.
        const env = readAt(resource.props, ["spec", "rayClusterConfig", "headGroupSpec", "template", "spec", "containers"]);
        const containers = env.state === "known" && Array.isArray(env.value) ? (env.value as Array<{ env?: Array<{ name?: unknown }> }>) : undefined;
        if (containers && !containers.some((c) => (c.env ?? []).some((e) => e.name === "RAY_REDIS_CA_CERT" || e.name === "RAY_REDIS_CA_PATH"))) {
            problems.push("the Ray head sets neither RAY_REDIS_CA_CERT nor RAY_REDIS_CA_PATH: Ray's Redis client verifies a rediss:// server only against those, so the head cannot reach its Redis (ray-project/ray#41161).");
        }
    }
    const secretRef = readIn(options, ["redisPassword", "valueFrom", "secretKeyRef", "name"]);
    if (secretRef.state === "absent") {
        problems.push("spec.rayClusterConfig.gcsFaultToleranceOptions.redisPassword must come from a Secret (valueFrom.secretKeyRef), not a literal or nothing: the Redis holding the cluster's state needs its AUTH token.");
    }
    return problems;
}
