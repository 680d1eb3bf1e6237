import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import { ModelConfig } from "../../config";
import { HF_CACHE_PATH, LLAMA_API_KEY_ENV, LLAMA_CPP_IMAGE, LLAMA_CPP_METRICS_FLAG, HEALTH_PATH, HF_TOKEN_ENV, ModelServerSpec, SERVER_PORT } from "../serving";
import { BuiltWithSpec, ModelServerWorkload, modelServerDeployment, SECRET_DATA_KEYS } from "./modelServer";

/**
 * llama.cpp's server on Kubernetes, CPU only, as the benchmark notes ran it: the same pinned image
 * and OpenAI route as the gpuVm target's llama.cpp (components/serving.ts), a GGUF build fetched at
 * start into the pod's weights volume by an init container, and `--parallel` slots so one server
 * answers several requests at once (the notes: Q5_K_M, 4 vCPUs and 8 threads, 4.61 tokens/s for one
 * request, 6.16 in all for two). The route guard sidecar and the Secret references come from
 * components/k8s/modelServer.ts unchanged, so the pack sees the same model-server workload.
 */

/** Where the GGUF file lands (the workload's weights volume, mounted in both containers). */
export const GGUF_DIR = HF_CACHE_PATH;

export interface LlamaCppK8sOptions {
    /** The GGUF build: a Hugging Face repository and a file in it (config/gguf.ts). */
    readonly gguf: { readonly repo: string; readonly file: string };
    /** Requests served at once (llama-server `--parallel`); the context is split between them. @default 2 */
    readonly parallel?: number;
    /** Generation threads. @default 8 (the notes' setting on a 4-vCPU pod) */
    readonly threads?: number;
    /** Hugging Face revision of the GGUF file. @default "main" */
    readonly revision?: string;
}

/** The GGUF file's download URL (Hugging Face's resolve endpoint). */
export function ggufUrl(gguf: { repo: string; file: string }, revision = "main"): string {
    return `https://huggingface.co/${gguf.repo}/resolve/${encodeURIComponent(revision)}/${gguf.file}`;
}

/**
 * llama-server reading the fetched file: `--ctx-size` is the whole context, shared by the slots, so
 * each slot gets the model's context (maxModelLen x parallel).
 */
export function llamaCppK8sServer(model: ModelConfig, opts: LlamaCppK8sOptions): ModelServerSpec {
    const parallel = opts.parallel ?? 2;
    return {
        image: LLAMA_CPP_IMAGE,
        args: [
            "--model", `${GGUF_DIR}/${opts.gguf.file}`,
            "--alias", model.servedName,
            "--ctx-size", String(model.maxModelLen * parallel),
            "--parallel", String(parallel),
            "--threads", String(opts.threads ?? 8),
            "--host", "0.0.0.0",
            "--port", String(SERVER_PORT),
            // /metrics for Azure Monitor managed Prometheus's PodMonitor (targets/aksGpu/observability.ts).
            LLAMA_CPP_METRICS_FLAG,
        ],
        port: SERVER_PORT,
        healthPath: HEALTH_PATH,
        secretEnv: { apiKey: LLAMA_API_KEY_ENV, hfToken: HF_TOKEN_ENV },
        // The init container has fetched the weights before this starts: loading ~5 GB from disk.
        loadSeconds: 600,
    };
}

/**
 * The init container: fetch the GGUF file once per pod (kept when the volume already holds it),
 * to a partial name first so an interrupted download is never mistaken for the model. The token,
 * when the model needs one, comes from the workload's Secret through the environment.
 */
export function ggufFetchScript(): string {
    return [
        "set -eu",
        // The container's environment sets these; `:?` stops with a message if one is missing.
        ': "${GGUF_DIR:?}" "${GGUF_FILE:?}" "${GGUF_URL:?}"',
        'target="${GGUF_DIR}/${GGUF_FILE}"',
        'if [ -s "${target}" ]; then echo "GGUF present: ${GGUF_FILE}"; exit 0; fi',
        'if [ -n "${HF_TOKEN:-}" ]; then set -- -H "Authorization: Bearer ${HF_TOKEN}"; else set --; fi',
        'curl -fsSL --retry 5 --retry-delay 10 "$@" -o "${target}.part" "${GGUF_URL}"',
        'mv "${target}.part" "${target}"',
    ].join("\n");
}

/** The model-server Deployment of components/k8s/modelServer.ts with the GGUF fetch before the server starts. */
export function llamaCppDeployment(w: ModelServerWorkload, opts: LlamaCppK8sOptions): BuiltWithSpec<IDeployment> {
    const d = modelServerDeployment(w);
    const pod = d.spec.template.spec!;
    const fetch = {
        name: "fetch-gguf",
        // The server image carries curl (its own health check uses it): nothing more to pin.
        image: LLAMA_CPP_IMAGE,
        command: ["sh", "-c", ggufFetchScript()],
        env: [
            { name: "GGUF_DIR", value: GGUF_DIR },
            { name: "GGUF_FILE", value: opts.gguf.file },
            { name: "GGUF_URL", value: ggufUrl(opts.gguf, opts.revision) },
            ...(w.hfToken ? [{ name: HF_TOKEN_ENV, valueFrom: { secretKeyRef: { name: w.secretName, key: SECRET_DATA_KEYS.hfToken, optional: false } } }] : []),
        ],
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
        volumeMounts: [{ name: "hf-cache", mountPath: GGUF_DIR }],
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
    };
    return { ...d, spec: { ...d.spec, template: { ...d.spec.template, spec: { ...pod, initContainers: [fetch] } } } };
}
