import { z } from "zod";
import type { Accelerator } from "../policies/contract/serving";
import { allowedCidrs, cidrList } from "./fields";
import { AWQ_BUILDS } from "./gguf";

/**
 * What the program can deploy and price on Azure, shared by the three Azure targets. Every
 * location and VM size listed here has a price in policies/cost/catalog.ts (from a SkyPilot
 * catalog snapshot; test/targets/priced.test.ts checks it): a value the cost policy cannot price
 * is refused here, before anything is registered. No West Europe prices were found, so no European location is offered.
 */
export const AZURE_LOCATIONS = ["eastus", "westus2"] as const;
export type AzureLocation = (typeof AZURE_LOCATIONS)[number];

export interface AzureGpuSize {
    readonly accelerator: Accelerator;
    /** GPU memory of the whole VM; under 24 GB a 7B model must be served quantized (AWQ). */
    readonly gpuMemoryGb: number;
    readonly vcpus: number;
    readonly memoryGb: number;
    /** GPUs per VM; one model server spans all of them (tensor parallel). */
    readonly gpus: number;
    /** Locations the price catalog prices this size in. */
    readonly locations: readonly AzureLocation[];
    /** False where no spot price is published: spot would be unpriceable, so it is refused. */
    readonly spotPriced: boolean;
}

/**
 * GPU sizes fit to serve a 7B model (>= 16 GB of GPU memory). Left out on purpose, though priced:
 * Standard_NC24rs_v3 and Standard_ND96asr_v4 (InfiniBand training sizes; 4-8 GPUs for a 7B model
 * would waste most of them) and, on AKS and VMs, Standard_NV36ads_A10_v5 (needs the GRID driver,
 * which neither AKS's GPU image nor the Ubuntu driver packages install).
 */
export const AZURE_GPU_SIZES = {
    Standard_NC4as_T4_v3: { gpuMemoryGb: 16, vcpus: 4, memoryGb: 28, accelerator: "nvidia-t4", gpus: 1, locations: ["eastus", "westus2"], spotPriced: true },
    Standard_NC8as_T4_v3: { gpuMemoryGb: 16, vcpus: 8, memoryGb: 56, accelerator: "nvidia-t4", gpus: 1, locations: ["eastus"], spotPriced: true },
    Standard_NC6s_v3: { gpuMemoryGb: 16, vcpus: 6, memoryGb: 112, accelerator: "nvidia-v100", gpus: 1, locations: ["eastus"], spotPriced: true },
    Standard_NC12s_v3: { gpuMemoryGb: 32, vcpus: 12, memoryGb: 224, accelerator: "nvidia-v100", gpus: 2, locations: ["eastus"], spotPriced: true },
    Standard_NC24s_v3: { gpuMemoryGb: 64, vcpus: 24, memoryGb: 448, accelerator: "nvidia-v100", gpus: 4, locations: ["eastus"], spotPriced: true },
    Standard_NC24ads_A100_v4: { gpuMemoryGb: 80, vcpus: 24, memoryGb: 220, accelerator: "nvidia-a100", gpus: 1, locations: ["eastus"], spotPriced: true },
    Standard_NC48ads_A100_v4: { gpuMemoryGb: 160, vcpus: 48, memoryGb: 440, accelerator: "nvidia-a100", gpus: 2, locations: ["eastus"], spotPriced: true },
    Standard_NC40ads_H100_v5: { gpuMemoryGb: 94, vcpus: 40, memoryGb: 320, accelerator: "nvidia-h100", gpus: 1, locations: ["eastus"], spotPriced: false },
} as const satisfies Record<string, AzureGpuSize>;
export type AzureGpuSizeName = keyof typeof AZURE_GPU_SIZES;
export const AZURE_GPU_SIZE_NAMES = Object.keys(AZURE_GPU_SIZES) as [AzureGpuSizeName, ...AzureGpuSizeName[]];

/** CPU sizes for the llama.cpp tier of `gpuVm` (quantized GGUF weights need ~5 GB of RAM). */
export const AZURE_CPU_SIZES = {
    Standard_D4s_v5: { vcpus: 4, locations: ["eastus"] },
    Standard_D8s_v5: { vcpus: 8, locations: ["eastus"] },
    Standard_D32s_v5: { vcpus: 32, locations: ["eastus"] },
} as const satisfies Record<string, { vcpus: number; locations: readonly AzureLocation[] }>;
export type AzureCpuSizeName = keyof typeof AZURE_CPU_SIZES;
export const AZURE_CPU_SIZE_NAMES = Object.keys(AZURE_CPU_SIZES) as [AzureCpuSizeName, ...AzureCpuSizeName[]];

/** GPU memory below which vLLM serves the model's 4-bit AWQ build instead of float16 weights. */
export const MIN_FP16_GPU_MEMORY_GB = 24;

/** True for GPU sizes too small for the model's float16 weights plus a KV cache. */
export function needsAwq(size: string): boolean {
    return isGpuSize(size) && AZURE_GPU_SIZES[size].gpuMemoryGb < MIN_FP16_GPU_MEMORY_GB;
}

/**
 * 16 GB GPUs serve a 4-bit AWQ build: float16 weights of a 7B model leave no room for a KV cache.
 * Why `size` cannot serve `modelId`, or undefined (every Azure target checks its size with this).
 */
export function awqProblem(size: string, modelId: string): string | undefined {
    if (!needsAwq(size) || modelId in AWQ_BUILDS) return undefined;
    return `must have at least 24 GB of GPU memory for model ${modelId}: 16 GB sizes serve a 4-bit AWQ build, which exists only for ${Object.keys(AWQ_BUILDS).join(", ")}`;
}

export function isGpuSize(size: string): size is AzureGpuSizeName {
    return Object.prototype.hasOwnProperty.call(AZURE_GPU_SIZES, size);
}

/** Locations the catalog prices `size` in. */
export function locationsOf(size: string): readonly AzureLocation[] {
    if (isGpuSize(size)) return AZURE_GPU_SIZES[size].locations;
    return (AZURE_CPU_SIZES as Record<string, { locations: readonly AzureLocation[] }>)[size]?.locations ?? [];
}

/**
 * Spot settings shared by AKS pools and VMs. `spotMaxPrice` is USD per hour; -1 (Azure's default)
 * means "up to the on-demand price", which is what the cost policy then charges.
 */
export const spotMaxPrice = z
    .number({ error: "must be a price in USD per hour greater than 0, or -1 (pay up to on-demand)" })
    .refine((p) => p === -1 || (p > 0 && p <= 100), {
        error: "must be a price in USD per hour greater than 0 (at most 100), or -1 (pay up to on-demand)",
    });

/**
 * Cross-field checks for `{ location, <sizeKey>, spot, spotMaxPrice }`: the size is priced in the
 * location, spot is priced for the size, and a max price only comes with spot.
 */
export function checkSizeAndSpot(
    cfg: { location: string; spot?: boolean; spotMaxPrice?: number } & Record<string, unknown>,
    sizeKey: string,
    ctx: z.core.$RefinementCtx,
): void {
    const size = String(cfg[sizeKey]);
    const where = locationsOf(size);
    if (!where.includes(cfg.location as AzureLocation)) {
        ctx.addIssue({
            code: "custom",
            path: ["location"],
            input: cfg.location,
            message: `must be a location where ${size} is priced: ${where.join(", ")}`,
        });
    }
    if (cfg.spot && isGpuSize(size) && !AZURE_GPU_SIZES[size].spotPriced) {
        ctx.addIssue({
            code: "custom",
            path: ["spot"],
            input: cfg.spot,
            message: `must be false for ${size}: no spot price is published for it, so its cost could not be bounded`,
        });
    }
    if (!cfg.spot && cfg.spotMaxPrice !== undefined) {
        ctx.addIssue({
            code: "custom",
            path: ["spotMaxPrice"],
            input: cfg.spotMaxPrice,
            message: "must only be set together with spot: true",
        });
    }
}

/** An Azure resource id of an existing AKS cluster. */
export const AKS_CLUSTER_ID =
    /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/([-\w._()]{1,90})\/providers\/Microsoft\.ContainerService\/managedClusters\/([A-Za-z0-9][-_A-Za-z0-9]{0,62})$/;

/** Microsoft Entra object ids (users, groups). */
export const objectId = z
    .string({ error: "must be a Microsoft Entra object id (a GUID)" })
    .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, {
        error: "must be a Microsoft Entra object id (a GUID)",
    });

/** Admin CIDRs (API server, SSH): like client CIDRs, never the whole internet, and narrower. */
export const adminCidrs = cidrList("admin", 20).default([]);

/** Azure accepts RSA (>= 2048 bits) and Ed25519 public keys for Linux VMs. */
export const sshPublicKey = z
    .string({ error: "must be an SSH public key (ssh-rsa or ssh-ed25519)" })
    .regex(/^(ssh-rsa AAAAB3NzaC1yc2E|ssh-ed25519 AAAAC3NzaC1lZDI1NTE5)[A-Za-z0-9+/]+={0,3}( [^\r\n]*)?$/, {
        error: "must be an SSH public key in OpenSSH format, starting with ssh-rsa AAAAB3NzaC1yc2E or ssh-ed25519 AAAAC3NzaC1lZDI1NTE5",
    });

export { allowedCidrs };
