import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { IPodTemplateSpec } from "kubernetes-models/v1/PodTemplateSpec";
import { stringify } from "yaml";
import { INF2_CAPACITY, Inf2InstanceType } from "./config";
import { ModelServerSpec, NEURON_CORES_PER_DEVICE } from "../../components/serving";
import { INF2_POOL, NEURON_RESOURCE, NEURON_TAINT, POOL_LABEL, SERVING_NAMESPACE, SYSTEM_POOL } from "./labels";

/**
 * The RayService that serves the model on Inferentia2 under Ray Serve, as a pure builder. Each
 * Serve replica runs the Neuron vLLM OpenAI server (the spec from components/serving.ts) on one
 * device; the Ray autoscaler adds a worker pod per replica and Karpenter a node when no node has
 * room.
 */

/** Ray release the image carries; the head and workers must run the same one. */
export const RAY_VERSION = "2.46.0";
/** Port Ray Serve's HTTP proxy listens on in every Ray pod (Serve default; also vLLM's port). */
export const SERVE_PORT = 8000;
/** Where the Serve application's Python module is mounted (from a ConfigMap). */
export const APP_DIR = "/home/ray/llm_serving";
export const APP_MODULE = "neuron_serve";
/** Resource name Ray schedules Serve replicas on: NeuronCores the worker advertises. */
export const RAY_NEURON_RESOURCE = "neuron_cores";
/**
 * Ray's metrics export port on every Ray pod (KubeRay's default, set explicitly so the scrape
 * configuration does not depend on it): Ray's own and Ray Serve's `ray_serve_*` metrics, from the
 * node's metrics agent. Named `metrics`, the name the AMP scraper keeps.
 */
export const RAY_METRICS_PORT = { name: "metrics", port: 8080 } as const;
/**
 * Where a worker pod shows its vLLM engine's /metrics to the cluster. vLLM runs inside the Serve
 * replica on 127.0.0.1 (its unauthenticated non-/v1 routes stay off the pod network), so the
 * replica relays GET /metrics, and only that path, from vLLM to this port (serveAppSource).
 * vLLM's metrics are NOT Ray's: the engine is a subprocess with its own prometheus_client
 * registry, so Ray's metrics agent never sees them.
 */
export const VLLM_METRICS_PORT = { name: "vllm-metrics", port: 8090 } as const;

export interface SecretRef {
    readonly name: string;
    readonly key: string;
}

export interface RayServiceInput {
    readonly name: string;
    readonly server: ModelServerSpec;
    /** Inferentia2 devices per Serve replica (and per worker pod). */
    readonly devicesPerReplica: number;
    readonly instanceTypes: readonly Inf2InstanceType[];
    readonly replicas: { readonly min: number; readonly max: number };
    readonly apiKeySecret: SecretRef;
    readonly hfTokenSecret?: SecretRef;
    /** GCS fault tolerance: Redis address (`rediss://host:port`) and its password Secret. */
    readonly gcs?: { readonly redisAddress: string; readonly password: SecretRef };
    /** ConfigMap holding `${APP_MODULE}.py`. */
    readonly appConfigMap: string;
    /**
     * Requests in flight per Serve replica the Serve autoscaler aims for (`target_ongoing_requests`;
     * `llm-serving:observability.targetInFlightPerReplica`). @default 8: the throughput data has no
     * figure for vLLM on one Inferentia2 device, so the in-flight default (config/observability.ts)
     */
    readonly targetOngoingRequests?: number;
}

export interface RayServiceObject {
    readonly apiVersion: "ray.io/v1";
    readonly kind: "RayService";
    readonly metadata: { readonly name: string; readonly namespace: string; readonly annotations: Readonly<Record<string, string>> };
    readonly spec: {
        readonly upgradeStrategy: { readonly type: "NewCluster" | "None" };
        readonly serveConfigV2: string;
        readonly rayClusterConfig: {
            readonly rayVersion: string;
            readonly enableInTreeAutoscaling: boolean;
            readonly autoscalerOptions: { readonly upscalingMode: string; readonly idleTimeoutSeconds: number };
            readonly gcsFaultToleranceOptions?: {
                readonly redisAddress: string;
                readonly redisPassword: { readonly valueFrom: { readonly secretKeyRef: SecretRef } };
            };
            readonly headGroupSpec: { readonly rayStartParams: Record<string, string>; readonly template: IPodTemplateSpec };
            readonly workerGroupSpecs: readonly {
                readonly groupName: string;
                readonly replicas: number;
                readonly minReplicas: number;
                readonly maxReplicas: number;
                readonly rayStartParams: Record<string, string>;
                readonly template: IPodTemplateSpec;
            }[];
        };
    };
}

/** The annotation the run-time breaker reads the Serve baseline from (functions/breaker/adapters.ts). */
export const BREAKER_BASELINE_ANNOTATION = "llm-serving-baseline";

/**
 * The breaker's merge-PATCH of spec.serveConfigV2 makes its field manager own that field; the
 * next server-side apply by Pulumi (the provider runs with enableServerSideApply) then fails with
 * a field-manager conflict instead of restoring the declared bound. pulumi-kubernetes forces an
 * apply over conflicts when the object's inputs carry this annotation (its patchForce, read from
 * the inputs' annotations; "Managing resources with Server-Side Apply", conflicts).
 */
export const PATCH_FORCE_ANNOTATION = "pulumi.com/patchForce";

/** Labels on every Ray worker pod of the model; the PodDisruptionBudget selects them. */
export const RAY_WORKER_LABELS = { "app.kubernetes.io/name": "llm-ray-worker", "app.kubernetes.io/part-of": "llm-serving" } as const;

/**
 * `rayStartParams.resources` as KubeRay 1.4 reads it: a JSON object in single quotes. KubeRay trims
 * the quotes and JSON-decodes the rest (to merge accelerator resources), then writes
 * `--resources=<value>` into the pod's bash command line, where the quotes keep the JSON one word.
 * A JSON-encoded string (`"{\"a\":1}"`) fails KubeRay's decode and bash strips its escapes.
 */
export function rayResourcesParam(resources: Readonly<Record<string, number>>): string {
    return `'${JSON.stringify(resources)}'`;
}

/**
 * The Ray workers' PodDisruptionBudget: a node drain (Karpenter drift or consolidation, a manual
 * drain) evicts one model worker at a time, never all of them; it always allows one, so drains
 * never hang. Spot interruptions and node repair are forceful and ignore it.
 */
export function buildRayWorkerPdb(name: string): IPodDisruptionBudget & { metadata: { name: string; namespace: string } } {
    return {
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: { name, namespace: SERVING_NAMESPACE, labels: { "app.kubernetes.io/part-of": "llm-serving" } },
        spec: { maxUnavailable: 1, selector: { matchLabels: { ...RAY_WORKER_LABELS } } },
    };
}

/** The Kubernetes Service KubeRay creates in front of the Serve proxies (`<name>-serve-svc`, port 8000). */
export function serveServiceName(rayServiceName: string): string {
    return `${rayServiceName}-serve-svc`;
}

/**
 * CPU and memory a worker requests: what the smallest allowed type can give after system
 * daemons (about 15% of CPU and 20% of memory), so a worker fits every type the pool may pick.
 */
export function workerRequests(types: readonly Inf2InstanceType[], devices: number): Record<string, string> {
    const cpu = Math.min(...types.map((t) => INF2_CAPACITY[t].vcpu));
    const mem = Math.min(...types.map((t) => INF2_CAPACITY[t].memoryGib));
    return { cpu: String(Math.max(1, Math.floor(cpu * 0.85))), memory: `${Math.floor(mem * 0.8)}Gi`, [NEURON_RESOURCE]: String(devices) };
}

export function buildRayService(input: RayServiceInput): RayServiceObject {
    const { server } = input;
    const secretEnv = [
        { name: server.secretEnv.apiKey, valueFrom: { secretKeyRef: { ...input.apiKeySecret } } },
        ...(input.hfTokenSecret ? [{ name: server.secretEnv.hfToken, valueFrom: { secretKeyRef: { ...input.hfTokenSecret } } }] : []),
    ];
    const appVolume = { name: "app", configMap: { name: input.appConfigMap } };
    const appMount = { name: "app", mountPath: APP_DIR, readOnly: true };
    const pythonPath = { name: "PYTHONPATH", value: APP_DIR };
    const requests = workerRequests(input.instanceTypes, input.devicesPerReplica);
    const cores = input.devicesPerReplica * NEURON_CORES_PER_DEVICE;

    const head: IPodTemplateSpec = {
        spec: {
            // The head schedules no model work (num-cpus 0) and stays on the cheap system nodes.
            nodeSelector: { [POOL_LABEL]: SYSTEM_POOL },
            containers: [
                {
                    name: "ray-head",
                    image: server.image,
                    env: [pythonPath, ...(input.gcs ? [redisCaEnv(input.gcs.redisAddress)] : [])],
                    ports: [
                        { name: "gcs", containerPort: 6379 },
                        { name: "dashboard", containerPort: 8265 },
                        { name: "client", containerPort: 10001 },
                        { name: "serve", containerPort: SERVE_PORT },
                        { name: RAY_METRICS_PORT.name, containerPort: RAY_METRICS_PORT.port },
                    ],
                    resources: { requests: { cpu: "500m", memory: "2Gi" }, limits: { memory: "3Gi" } },
                    volumeMounts: [appMount],
                },
            ],
            volumes: [appVolume],
        },
    };
    const worker: IPodTemplateSpec = {
        metadata: { labels: { ...RAY_WORKER_LABELS } },
        spec: {
            // Both come from labels.ts, as do the NodePool's label and taint; consistency.ts checks them.
            nodeSelector: { [POOL_LABEL]: INF2_POOL },
            tolerations: [{ key: NEURON_TAINT.key, operator: "Exists", effect: NEURON_TAINT.effect }],
            containers: [
                {
                    name: "ray-worker",
                    image: server.image,
                    env: [pythonPath, ...secretEnv],
                    ports: [
                        { name: "serve", containerPort: SERVE_PORT },
                        { name: RAY_METRICS_PORT.name, containerPort: RAY_METRICS_PORT.port },
                        { name: VLLM_METRICS_PORT.name, containerPort: VLLM_METRICS_PORT.port },
                    ],
                    resources: { requests, limits: { memory: requests.memory, [NEURON_RESOURCE]: requests[NEURON_RESOURCE] } },
                    volumeMounts: [appMount, { name: "dshm", mountPath: "/dev/shm" }],
                },
            ],
            volumes: [appVolume, { name: "dshm", emptyDir: { medium: "Memory" } }],
        },
    };

    return {
        apiVersion: "ray.io/v1",
        kind: "RayService",
        // The breaker (functions/breaker) lowers Serve's max_replicas to this bound, the replicas the
        // stack always runs (Serve's min_replicas), when forecast spend passes the budget.
        metadata: { name: input.name, namespace: SERVING_NAMESPACE, annotations: { [BREAKER_BASELINE_ANNOTATION]: String(input.replicas.min), [PATCH_FORCE_ANNOTATION]: "true" } },
        spec: {
            // "None": a changed rayClusterConfig is NOT rolled out as a second, full-size cluster.
            // The default (NewCluster) runs 200% of the inf2 nodes during an upgrade (KubeRay docs),
            // which the NodePool limits would block anyway, leaving the upgrade pending. Serve config
            // changes still apply in place; a cluster change is rolled by recreating the RayService.
            upgradeStrategy: { type: "None" },
            serveConfigV2: serveConfig(input, cores),
            rayClusterConfig: {
                rayVersion: RAY_VERSION,
                enableInTreeAutoscaling: true,
                // Scale-down waits 10 minutes: a new Neuron worker takes far longer than that to load.
                autoscalerOptions: { upscalingMode: "Default", idleTimeoutSeconds: 600 },
                ...(input.gcs
                    ? {
                          gcsFaultToleranceOptions: {
                              redisAddress: input.gcs.redisAddress,
                              redisPassword: { valueFrom: { secretKeyRef: { ...input.gcs.password } } },
                          },
                      }
                    : {}),
                headGroupSpec: { rayStartParams: { "num-cpus": "0", "dashboard-host": "0.0.0.0", "metrics-export-port": String(RAY_METRICS_PORT.port) }, template: head },
                workerGroupSpecs: [
                    {
                        groupName: INF2_POOL,
                        replicas: input.replicas.min,
                        minReplicas: input.replicas.min,
                        maxReplicas: input.replicas.max,
                        // Advertise the worker's NeuronCores to Ray so replicas are placed by them.
                        rayStartParams: { resources: rayResourcesParam({ [RAY_NEURON_RESOURCE]: cores }), "metrics-export-port": String(RAY_METRICS_PORT.port) },
                        template: worker,
                    },
                ],
            },
        },
    };
}

/**
 * Ray Serve's target_ongoing_requests: the stack's in-flight target (llm-serving:observability),
 * else 8 (DEFAULT_IN_FLIGHT: the throughput data has no Inferentia2 figure for this replica
 * shape). 8 is also the engine's compiled batch (--max-num-seqs 8 on Neuron): Serve scales out when
 * a replica's batch is full, before vLLM queues. A configured value above the batch is kept (the
 * setting is the stack's, shared by every target) and means vLLM queues that many minus the batch
 * before Serve adds a replica: the queue-waiting alert sees it.
 */
export function ongoingTarget(input: Pick<RayServiceInput, "targetOngoingRequests">): number {
    return input.targetOngoingRequests ?? 8;
}

/** The engine's batch: the most requests one vLLM replica runs at once (--max-num-seqs). */
export function engineBatch(server: ModelServerSpec): number | undefined {
    const i = server.args.indexOf("--max-num-seqs");
    return i >= 0 ? Number(server.args[i + 1]) : undefined;
}

/** serveConfigV2: one application whose replicas autoscale between the configured bounds. */
export function serveConfig(input: RayServiceInput, cores: number): string {
    return stringify({
        applications: [
            {
                name: "llm",
                route_prefix: "/",
                import_path: `${APP_MODULE}:app`,
                args: { vllm_args: [...input.server.args], port: input.server.port + 1, load_seconds: input.server.loadSeconds, metrics_port: VLLM_METRICS_PORT.port },
                deployments: [
                    {
                        name: "VllmNeuron",
                        max_ongoing_requests: 32,
                        autoscaling_config: {
                            min_replicas: input.replicas.min,
                            max_replicas: input.replicas.max,
                            // Serve adds a replica when the average replica holds more than this many
                            // requests (each is a vLLM stream); max_ongoing_requests caps what one accepts.
                            // Default 8 = the engine's compiled batch (--max-num-seqs 8 on Neuron):
                            // Serve scales out when the batch is full, before vLLM queues (ongoingTarget).
                            target_ongoing_requests: ongoingTarget(input),
                        },
                        // Weights download and Neuron compilation: allow the replica a long start.
                        health_check_period_s: 30,
                        health_check_timeout_s: 60,
                        graceful_shutdown_timeout_s: 120,
                        ray_actor_options: { num_cpus: 1, resources: { [RAY_NEURON_RESOURCE]: cores } },
                    },
                ],
            },
        ],
    });
}

/**
 * The Serve application: each replica starts vLLM's OpenAI server (the Neuron build, arguments
 * from components/serving.ts) on localhost and relays requests to it, streaming. vLLM checks the
 * API key itself (VLLM_API_KEY, from the Secret) on `/v1` routes.
 *
 * Health means the engine answers. The constructor waits until vLLM's health route returns 200
 * (weights downloaded, graphs compiled for Neuron), so a replica that is still loading is not
 * RUNNING: Serve routes no request to it and the application is not ready, so KubeRay does not
 * create or switch the Serve Service early. It fails if vLLM exits or misses `load_seconds`, and
 * Serve starts a new replica. Once running, `check_health` fails whenever vLLM does not answer 200.
 */
export function serveAppSource(healthPath: string): string {
    return `# Generated by llm-serving (eksInf2 target, Ray Serve application). Do not edit in the cluster.
import asyncio
import http.server
import subprocess
import sys
import threading
import time
import urllib.request

import httpx
from ray import serve
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import StreamingResponse

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "upgrade", "host", "content-length"}
HEALTH_PATH = "${healthPath}"
POLL_SECONDS = 5.0


class MetricsRelay(http.server.BaseHTTPRequestHandler):
    """GET /metrics from the local vLLM, nothing else: the pod network sees the engine's metrics, never its routes."""

    upstream = ""

    def do_GET(self):
        if self.path.split("?")[0] != "/metrics":
            self.send_error(404)
            return
        try:
            with urllib.request.urlopen(self.upstream + "/metrics", timeout=10) as r:
                body = r.read()
                ctype = r.headers.get("Content-Type", "text/plain; version=0.0.4")
        except Exception:
            self.send_error(503)  # a scrape failure: up is 0 until vLLM answers
            return
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def start_metrics_relay(port, upstream):
    handler = type("Relay", (MetricsRelay,), {"upstream": upstream})
    server = http.server.ThreadingHTTPServer(("0.0.0.0", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@serve.deployment
class VllmNeuron:
    async def __init__(self, vllm_args, port, load_seconds, metrics_port=None):
        self.base = f"http://127.0.0.1:{port}"
        args = list(vllm_args)
        args[args.index("--port") + 1] = str(port)
        args[args.index("--host") + 1] = "127.0.0.1"
        self.proc = subprocess.Popen([sys.executable, "-m", "vllm.entrypoints.openai.api_server", *args])
        self.relay = start_metrics_relay(int(metrics_port), self.base) if metrics_port else None
        self.client = httpx.AsyncClient(base_url=self.base, timeout=httpx.Timeout(600.0, connect=5.0))
        await self._wait_until_ready(float(load_seconds))

    async def _engine_healthy(self):
        try:
            r = await self.client.get(HEALTH_PATH, timeout=10.0)
        except httpx.TransportError:
            return False
        return r.status_code == 200

    async def _wait_until_ready(self, load_seconds):
        deadline = time.monotonic() + load_seconds
        while not await self._engine_healthy():
            if self.proc.poll() is not None:
                raise RuntimeError(f"vLLM exited with {self.proc.returncode} before it was ready")
            if time.monotonic() > deadline:
                self.proc.terminate()
                raise RuntimeError(f"vLLM was not ready within {load_seconds:.0f}s")
            await asyncio.sleep(POLL_SECONDS)

    async def check_health(self):
        if self.proc.poll() is not None:
            raise RuntimeError(f"vLLM exited with {self.proc.returncode}")
        if not await self._engine_healthy():
            raise RuntimeError("vLLM does not answer its health check")

    async def __call__(self, request: Request):
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
        upstream = self.client.build_request(
            request.method, request.url.path, params=request.query_params, headers=headers, content=await request.body()
        )
        r = await self.client.send(upstream, stream=True)
        out = {k: v for k, v in r.headers.items() if k.lower() not in HOP_BY_HOP}
        return StreamingResponse(r.aiter_raw(), status_code=r.status_code, headers=out, background=BackgroundTask(r.aclose))

    def __del__(self):
        if getattr(self, "relay", None):
            self.relay.shutdown()
            self.relay.server_close()
        if getattr(self, "proc", None) and self.proc.poll() is None:
            self.proc.terminate()


def app(args):
    return VllmNeuron.bind(args["vllm_args"], int(args["port"]), int(args["load_seconds"]), args.get("metrics_port"))
`;
}

/**
 * Where the head's GCS finds the CA bundle for a TLS Redis (`rediss://`). Ray's Redis client
 * builds its TLS context only from RAY_REDIS_CA_CERT or RAY_REDIS_CA_PATH; with neither, the
 * handshake with ElastiCache fails certificate verification and the head crash-loops
 * (ray-project/ray#41161, ray-project/kuberay#1640). ElastiCache's certificate chains to Amazon's
 * public roots, which the system bundle of the Neuron image's Ubuntu base holds.
 */
export const SYSTEM_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

export function redisCaEnv(redisAddress: string): { name: string; value: string } {
    if (!redisAddress.startsWith("rediss://")) {
        throw new Error(`GCS fault tolerance needs a TLS Redis address (rediss://...): the AUTH token would cross the network in clear; got scheme ${redisAddress.split(":")[0]}`);
    }
    return { name: "RAY_REDIS_CA_CERT", value: SYSTEM_CA_BUNDLE };
}
