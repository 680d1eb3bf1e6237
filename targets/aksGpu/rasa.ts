import { z } from "zod";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IService } from "kubernetes-models/v1/Service";
import { int, oneOf } from "../../config/fields";
import { rasaSchema } from "../../config/rasa";
import { RASA_TOKEN_DIR, RasaPlacement } from "../../components/k8s/rasa";

/**
 * Rasa on aksGpu (the Azure plan: Rasa beside Mistral as microservices, on B2s / D4s_v5 machines
 * per tier). The system pool is tainted CriticalAddonsOnly and sized for add-ons, so Rasa gets a
 * small User pool of its own, tainted so that nothing else lands there, autoscaling between 1 and
 * `maxNodes` (both priced at the maximum by the pack).
 */

/** The Azure plan's two Rasa machine sizes (its smaller and larger tier). */
export const RASA_VM_SIZES = ["Standard_D4s_v5", "Standard_B2s"] as const;
export const RASA_POOL_NAME = "rasa";
export const RASA_POOL_TAINT = { key: "llm-serving/rasa", value: "present", effect: "NoSchedule" } as const;
export const RASA_NODE_LABELS = { "llm-serving/pool": RASA_POOL_NAME } as const;
/** OS disk of a Rasa node: the image and the model archive (a P6 managed disk). */
export const RASA_OS_DISK_GB = 64;

/** `aksGpu.rasa`: the shared Rasa settings plus the pool it runs on. */
export const aksRasaSchema = rasaSchema.extend({
    /** Machine size of the Rasa pool (the Azure plan's tiers). @default "Standard_D4s_v5" */
    vmSize: oneOf(RASA_VM_SIZES, "Rasa pool sizes").default("Standard_D4s_v5"),
    /** Most nodes the Rasa pool autoscales to (it keeps 1). @default 1 */
    maxNodes: int(1, 3).default(1),
});
export type AksRasaConfig = z.infer<typeof aksRasaSchema>;

/** The Rasa pool (an AgentPool's inputs besides its cluster). */
export function rasaPoolSpec(rasa: AksRasaConfig) {
    return {
        agentPoolName: RASA_POOL_NAME,
        mode: "User",
        vmSize: rasa.vmSize,
        enableAutoScaling: true,
        minCount: 1,
        maxCount: rasa.maxNodes,
        count: 1,
        osType: "Linux",
        osSKU: "Ubuntu",
        osDiskSizeGB: RASA_OS_DISK_GB,
        type: "VirtualMachineScaleSets",
        enableNodePublicIP: false,
        nodeTaints: [`${RASA_POOL_TAINT.key}=${RASA_POOL_TAINT.value}:${RASA_POOL_TAINT.effect}`],
        nodeLabels: { ...RASA_NODE_LABELS },
        scaleSetPriority: "Regular",
    };
}

/** Where Rasa's two Deployments run on aksGpu: the model's namespace, on the Rasa pool. */
export function aksRasaPlacement(namespace: string): RasaPlacement {
    return {
        namespace,
        nodeSelector: { ...RASA_NODE_LABELS },
        tolerations: [{ key: RASA_POOL_TAINT.key, operator: "Equal", value: RASA_POOL_TAINT.value, effect: RASA_POOL_TAINT.effect }],
    };
}

export const RASA_TOKEN_VOLUME = "rasa-token";

/** The model Deployment with the Rasa token's Secret mounted in its route guard only (the guard includes it). */
export function withRasaTokenInGuard(d: IDeployment, secretName: string): IDeployment {
    const pod = d.spec!.template.spec!;
    if (!pod.containers.some((c) => c.name === "route-guard")) throw new Error("the model Deployment has no route-guard container");
    return {
        ...d,
        spec: {
            ...d.spec!,
            template: {
                ...d.spec!.template,
                spec: {
                    ...pod,
                    containers: pod.containers.map((c) =>
                        c.name === "route-guard" ? { ...c, volumeMounts: [...(c.volumeMounts ?? []), { name: RASA_TOKEN_VOLUME, mountPath: RASA_TOKEN_DIR, readOnly: true }] } : c,
                    ),
                    // Readable by nginx's group only when the pod sets fsGroup (with TLS, which rasa requires).
                    volumes: [...(pod.volumes ?? []), { name: RASA_TOKEN_VOLUME, secret: { secretName, defaultMode: 0o440 } }],
                },
            },
        },
    };
}

/**
 * The action server's way to the model inside the cluster: a ClusterIP Service on the model
 * server's own port (its API key still applies: vLLM's and llama-server's --api-key). The public
 * Service admits only the client CIDRs, which the cluster's outbound address is not in. Pods could
 * reach that port by pod IP already; the Service only gives it a stable name.
 */
export function modelInternalService(app: string, namespace: string, port: number, selector: Record<string, string>): IService {
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: `${app}-internal`, namespace },
        spec: { type: "ClusterIP", selector: { ...selector }, ports: [{ name: "model", port, targetPort: port, protocol: "TCP" }] },
    };
}
