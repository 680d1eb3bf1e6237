import { z } from "zod";
import { allowedCidrs, checkPlaintextWithDomain, domain, int, oneOf, plaintextHttp } from "../../config/fields";
import {
    adminCidrs,
    AZURE_CPU_SIZE_NAMES,
    AZURE_GPU_SIZE_NAMES,
    AZURE_LOCATIONS,
    checkSizeAndSpot,
    sshPublicKey,
    spotMaxPrice,
} from "../../config/azure";

/** GPU sizes run vLLM; CPU D-series sizes run llama.cpp with a quantized GGUF build. */
export const GPU_VM_SIZES = [...AZURE_GPU_SIZE_NAMES, ...AZURE_CPU_SIZE_NAMES] as const;

export const gpuVmSchema = z
    .strictObject(
        {
            /** Azure location of the resource group and VM. */
            location: oneOf(AZURE_LOCATIONS, "Azure locations"),
            /** VM size: a GPU size (vLLM) or a CPU D-series size (llama.cpp). @default "Standard_NC4as_T4_v3" */
            vmSize: oneOf(GPU_VM_SIZES, "VM sizes").default("Standard_NC4as_T4_v3"),
            /** Run on Spot capacity. @default false */
            spot: z.boolean({ error: "must be true or false" }).default(false),
            /** Spot max price in USD per hour, or -1 for up to on-demand. @default -1 (with spot) */
            spotMaxPrice: spotMaxPrice.optional(),
            /**
             * What Azure does on eviction: Deallocate keeps the VM (and its disk, still billed) to
             * restart later; Delete removes it. @default "Deallocate"
             */
            evictionPolicy: oneOf(["Deallocate", "Delete"] as const, "eviction policies").default("Deallocate"),
            /** Admin user name. @default "azureuser" */
            adminUsername: z
                .string({ error: "must be a Linux user name" })
                .regex(/^[a-z_][a-z0-9_-]{0,31}$/, { error: "must be a Linux user name: lowercase letters, digits, '_' or '-'" })
                .refine((u) => !["root", "admin", "administrator", "azure"].includes(u), {
                    error: "must not be a name Azure reserves (root, admin, administrator, azure)",
                })
                .default("azureuser"),
            /** The admin's SSH public key; password login is disabled. */
            sshPublicKey,
            /** CIDRs allowed to SSH in (port 22). @default [] (no SSH rule: use Bastion or the serial console) */
            sshAllowedCidrs: adminCidrs,
            /** Client CIDRs admitted to the model port; required with a public IP. @default [] (the virtual network only) */
            allowedCidrs,
            /**
             * Serve HTTPS on 443 under this DNS name with the stack's certificate
             * (llm-serving:tlsCertificate and tlsPrivateKey, both required with it); point the name
             * at the endpoint's address yourself. @default plain HTTP (development only)
             */
            domain: domain.optional(),
            /** Serve plain HTTP on the public IP without a domain (development only). @default false */
            plaintextHttp,
            /** Give the VM a static public IP. Without one, the endpoint is the private address. @default true */
            publicIp: z.boolean({ error: "must be true or false" }).default(true),
            /** OS disk: drivers, container images and model weights. @default 128 */
            osDiskSizeGb: int(64, 1024).default(128),
        },
        { error: "must be an object" },
    )
    .superRefine((cfg, ctx) => {
        checkSizeAndSpot(cfg, "vmSize", ctx);
        checkPlaintextWithDomain(cfg, ctx);
        if (cfg.publicIp && cfg.allowedCidrs.length === 0) {
            ctx.addIssue({
                code: "custom",
                path: ["allowedCidrs"],
                input: cfg.allowedCidrs,
                message: "must list at least one client CIDR when publicIp is true: the VM's network security group never opens the model port to the whole internet",
            });
        }
        if (!cfg.spot && cfg.evictionPolicy !== "Deallocate") {
            ctx.addIssue({
                code: "custom",
                path: ["evictionPolicy"],
                input: cfg.evictionPolicy,
                message: "must only be set together with spot: true",
            });
        }
    });

export type GpuVmConfig = z.output<typeof gpuVmSchema>;
