import { strict as assert } from "node:assert";
import { azureVllmServer } from "../../../components/azure/server";
import { vllmServer } from "../../../components/serving";
import { AZURE_CPU_SIZE_NAMES, AZURE_GPU_SIZE_NAMES, MIN_FP16_GPU_MEMORY_GB as PROGRAM_MIN_FP16 } from "../../../config";
import { INF2_INSTANCE_TYPES } from "../../../targets/eksInf2/config";
import { G2_MACHINE_TYPES, L4_COUNT } from "../../../targets/gcpSpotL4/config";
import { findPrice } from "../../../policies/cost/catalog";
import { usdPerMillionTokens } from "../../../policies/cost/tokens";
import {
    MIN_FP16_GPU_MEMORY_GB, parseThroughputData, ServingConfiguration, servingConfigurationOf, THROUGHPUT, throughputFor,
} from "../../../policies/cost/throughput";

const MODEL = { id: "HuggingFaceH4/zephyr-7b-beta", servedName: "mistral-7b", maxModelLen: 8192 };

/** What the program's own server spec says about build and tensor parallelism. */
function fromArgs(args: readonly string[]): { build: string; tp: number } {
    const at = (flag: string) => args.indexOf(flag);
    const build = at("--quantization") >= 0 ? `${args[at("--quantization") + 1]}-int4` : at("--dtype") >= 0 && args[at("--dtype") + 1] === "half" ? "fp16" : "bf16";
    return { build, tp: at("--tensor-parallel-size") >= 0 ? Number(args[at("--tensor-parallel-size") + 1]) : 1 };
}

/** Every serving configuration the program can deploy, read from the catalog as the pack reads it. */
function deployable(): Array<{ sku: string; config: ServingConfiguration }> {
    const out: Array<{ sku: string; config: ServingConfiguration }> = [];
    for (const sku of AZURE_GPU_SIZE_NAMES) out.push({ sku, config: servingConfigurationOf(findPrice("azure", "eastus", sku)!) });
    for (const sku of AZURE_CPU_SIZE_NAMES) out.push({ sku, config: servingConfigurationOf(findPrice("azure", "eastus", sku)!) });
    for (const sku of G2_MACHINE_TYPES) out.push({ sku, config: servingConfigurationOf(findPrice("gcp", "us-central1", sku)!) });
    for (const sku of INF2_INSTANCE_TYPES) out.push({ sku, config: servingConfigurationOf(findPrice("aws", "us-west-2", sku)!) });
    return out;
}

describe("throughput catalog (policies/cost/throughput.data.json)", () => {
    it("lists every configuration the program can deploy: a sourced figure or unknown with the nearest figure and why", () => {
        for (const { sku, config } of deployable()) {
            const e = throughputFor(config);
            assert.ok(e, `${sku}: ${JSON.stringify(config)} is not in the throughput catalog`);
            if (e.figure === null) {
                assert.ok(e.nearest && e.why, sku);
            } else {
                assert.ok(e.figure.source && /^\d{4}-\d{2}/.test(e.figure.sourceDate), sku);
            }
        }
    });

    it("marks every figure that was not measured on the model itself as equivalent, naming the original model", () => {
        const known = THROUGHPUT.filter((e) => e.figure !== null);
        assert.deepEqual(known.map((e) => `${e.accelerator}:${e.figure!.outputTokensPerSecond}`), ["NVIDIA L4:513.2", "NVIDIA A100 80GB:683.3", "CPU 4-vCPU Kubernetes pod:6.16"]);
        for (const e of known) {
            assert.equal(e.figure!.match, "equivalent");
            assert.match(e.figure!.measuredModel, /Llama-3(\.1)?-8B|vigostral-7b-chat|Mistral-7B-OpenOrca/);
            // One load basis per row: the source's highest measured load, saying whether it saturated.
            assert.match(e.figure!.concurrency, /the source's highest (measured )?load/);
            assert.match(e.figure!.concurrency, /saturated|may be below saturation/);
            assert.equal(e.figure!.maxModelLen, null);
        }
    });

    it("reads the build and tensor parallelism the program actually serves (Azure sizes and g2 machines)", () => {
        assert.equal(MIN_FP16_GPU_MEMORY_GB, PROGRAM_MIN_FP16);
        for (const sku of AZURE_GPU_SIZE_NAMES) {
            const pack = servingConfigurationOf(findPrice("azure", "eastus", sku)!);
            const program = fromArgs(azureVllmServer(MODEL, sku).args);
            assert.deepEqual({ build: pack.build, tp: pack.devicesPerReplica }, program, sku);
        }
        for (const sku of G2_MACHINE_TYPES) {
            const pack = servingConfigurationOf(findPrice("gcp", "us-central1", sku)!);
            const program = fromArgs(vllmServer(MODEL, { accelerator: "nvidia-l4", tensorParallelSize: L4_COUNT[sku] }).args);
            assert.deepEqual({ build: pack.build, tp: pack.devicesPerReplica }, program, sku);
        }
    });

    it("refuses a figure without its source, an unknown without its reason, and a configuration listed twice", () => {
        const ok = { server: "vllm", accelerator: "NVIDIA L4", devicesPerReplica: 1, build: "bf16", figure: null, nearest: "n", why: "w" };
        assert.equal(parseThroughputData({ entries: [ok] }).length, 1);
        assert.throws(() => parseThroughputData({ entries: [{ ...ok, why: undefined }] }), /nearest figure and why/);
        assert.throws(() => parseThroughputData({ entries: [ok, ok] }), /listed twice/);
        const figure = { outputTokensPerSecond: 1, concurrency: "1", medianTimeToFirstTokenMs: null, match: "equivalent", measuredModel: "m", measuredModelId: "m", maxModelLen: null, source: "s", sourceDate: "2024-08" };
        assert.equal(parseThroughputData({ entries: [{ ...ok, figure }] }).length, 1);
        assert.throws(() => parseThroughputData({ entries: [{ ...ok, figure: { ...figure, source: "" } }] }), /source must be/);
        assert.throws(() => parseThroughputData({ entries: [{ ...ok, figure: { ...figure, sourceDate: "recently" } }] }), /sourceDate/);
        assert.throws(() => parseThroughputData({ entries: [{ ...ok, figure: { ...figure, match: "guess" } }] }), /match/);
    });

    it("prices a million tokens as monthly cost over tokens a month (730 h)", () => {
        // One g2-standard-4 on demand, $0.70683/h x 730 = $515.99 a month, at 513 tokens/s:
        // 513 x 2,628,000 = 1,348,164,000 tokens; 515.99 / 1348.164 = $0.3827 per million.
        assert.equal(usdPerMillionTokens(515.99, 513), 0.3827);
    });
});
