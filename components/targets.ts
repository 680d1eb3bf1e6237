import * as pulumi from "@pulumi/pulumi";
import { StackConfig, TargetName } from "../config";
import { GcpSpotL4Replicas } from "../targets/gcpSpotL4/GcpSpotL4Replicas";
import { EksInf2Pool } from "../targets/eksInf2/EksInf2Pool";
import { AksGpuNodePool } from "../targets/aksGpu/AksGpuNodePool";
import { AzureMlEndpoint } from "../targets/azureMl/AzureMlEndpoint";
import { GpuVm } from "../targets/gpuVm/GpuVm";

/** What every target component exposes. */
export interface ServingTarget {
    /** OpenAI-compatible base URL. */
    readonly endpoint: pulumi.Output<string>;
    /** Bearer token (secret). */
    readonly apiKey: pulumi.Output<string>;
}

/**
 * Cost-allocation labels for every labelable resource. Keys and values follow GCP label rules,
 * which are the strictest of the three clouds, so the same map works as Azure and AWS tags.
 */
export function costLabels(config: StackConfig): Record<string, string> {
    return {
        owner: config.tags.owner,
        "cost-center": config.tags.costCenter,
        environment: config.tags.environment,
        app: "llm-serving",
        "managed-by": "pulumi",
    };
}

type TargetBuilder = (config: StackConfig) => ServingTarget;

/**
 * One builder per config key under `targets`. Component names are fixed per target: they are
 * part of every child's URN, so renaming one would replace the target's resources.
 */
const BUILDERS: { [K in TargetName]-?: TargetBuilder } = {
    gcpSpotL4: (config) =>
        new GcpSpotL4Replicas("gcp-spot-l4", {
            config: config.targets.gcpSpotL4!,
            model: config.model,
            labels: costLabels(config),
            apiKey: config.apiKey,
            hfToken: config.hfToken,
            // "google-managed" keeps Google's certificate even when the stack has one for other targets.
            tls: config.targets.gcpSpotL4!.certificate === "google-managed" ? undefined : config.tls,
        }),
    eksInf2: (config) =>
        new EksInf2Pool("eks-inf2", {
            config: config.targets.eksInf2!,
            model: config.model,
            tags: costLabels(config),
            apiKey: config.apiKey,
            hfToken: config.hfToken,
            tls: config.tls,
        }),
    aksGpu: (config) =>
        new AksGpuNodePool("aks-gpu", {
            config: config.targets.aksGpu!,
            model: config.model,
            tags: costLabels(config),
            apiKey: config.apiKey,
            hfToken: config.hfToken,
            tls: config.tls,
        }),
    azureMl: (config) =>
        // Azure ML generates its endpoint keys; config.apiKey does not apply here.
        new AzureMlEndpoint("azure-ml", {
            config: config.targets.azureMl!,
            model: config.model,
            tags: costLabels(config),
            hfToken: config.hfToken,
        }),
    gpuVm: (config) =>
        new GpuVm("gpu-vm", {
            config: config.targets.gpuVm!,
            model: config.model,
            tags: costLabels(config),
            apiKey: config.apiKey,
            hfToken: config.hfToken,
            tls: config.tls,
        }),
};

/** Builds every target the config names, in a fixed order. */
export function deployTargets(config: StackConfig): Partial<Record<TargetName, ServingTarget>> {
    const deployed: Partial<Record<TargetName, ServingTarget>> = {};
    for (const target of Object.keys(BUILDERS) as TargetName[]) {
        if (config.targets[target] !== undefined) deployed[target] = BUILDERS[target](config);
    }
    return deployed;
}
