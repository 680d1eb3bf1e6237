import { strict as assert } from "node:assert";
import * as path from "node:path";
import { parse } from "yaml";
import { NEURON_VLLM_IMAGE, VLLM_IMAGE } from "../../components/serving";
import type { PlannedResource } from "../../plan/mocks";
import { conformancePlans } from "./plans";
import { requireTool, runTool } from "./tools";
import { readUpstream, upstreamLock } from "./upstream";

/**
 * Every vLLM flag and value the program passes, held against the pinned parser's source: vLLM
 * v0.11.0 for the GPU targets (the `vllm/vllm-openai:v0.11.0` image), the Neuron fork
 * (aws-neuron/upstreaming-to-vllm main@dd417b31) for eksInf2. `vllm_cli.py` rebuilds each parser
 * from the source with `ast` (flag names, choices, Literal types, int/float types) and runs
 * argparse on each argument vector the plans carry.
 */

interface Parser {
    readonly name: string;
    /** arg_utils.py and cli_args.py: where flags are added. */
    readonly parserSources: readonly string[];
    /** Modules defining the dataclasses and Literal types the flags are derived from. */
    readonly typeSources: readonly string[];
}

const V011: Parser = {
    name: "vLLM v0.11.0",
    parserSources: ["vllm/v0.11.0/vllm/engine/arg_utils.py", "vllm/v0.11.0/vllm/entrypoints/openai/cli_args.py"],
    typeSources: upstreamLock()
        .map((e) => e.file)
        .filter((f) => f.startsWith("vllm/v0.11.0/vllm/config/")),
};
const NEURON_FORK: Parser = {
    name: "Neuron fork (upstreaming-to-vllm main@dd417b31)",
    parserSources: ["upstreaming-to-vllm/main-dd417b31/vllm/engine/arg_utils.py", "upstreaming-to-vllm/main-dd417b31/vllm/entrypoints/openai/cli_args.py"],
    typeSources: ["upstreaming-to-vllm/main-dd417b31/vllm/config.py"],
};

/**
 * Flags whose values the pinned files cannot check, with why. The test fails on any other: a new
 * unchecked flag needs its defining file pinned, or a line here that says what is missing.
 */
const KNOWN_UNCHECKED: Record<string, string> = {
    "--quantization":
        "its choices (QuantizationMethods) live in vllm/model_executor/layers/quantization/__init__.py, which the upstream folder does not pin; the value passed (awq, for 16 GB GPUs) is only read as a string",
};

/** Counts for the closing note: vectors, flags used, distinct flags. */
function summary(parser: Parser, argvs: readonly Argv[], result: ParserResult): string {
    const used = argvs.flatMap((a) => a.args.filter((x) => x.startsWith("-")));
    return `${parser.name}: ${Object.keys(result.flags).length} flags read from the source; ${argvs.length} argument vectors (${argvs.map((a) => a.label).join(", ")}), ${used.length} flags passed (${new Set(used).size} distinct)`;
}

interface Argv {
    readonly label: string;
    readonly args: readonly string[];
}
interface ParserResult {
    flags: Record<string, { unchecked?: string[] }>;
    unresolved: string[];
    results: Array<{ label: string; ok: boolean; error?: string; unchecked?: Record<string, string[]> }>;
}

/** Runs vllm_cli.py on `argvs` with `parser`'s pinned sources (each read through the sha256 lock). */
function checkArgs(parser: Parser, argvs: readonly Argv[]): ParserResult {
    requireTool("python3", "python3");
    const request = {
        parserSources: parser.parserSources.map((f) => readUpstream(f)),
        typeSources: parser.typeSources.map((f) => readUpstream(f)),
        argvs,
    };
    const run = runTool("python3", [path.join(__dirname, "vllm_cli.py")], { input: JSON.stringify(request), timeoutMs: 120_000 });
    assert.equal(run.status, 0, `vllm_cli.py failed: ${run.stderr}`);
    return JSON.parse(run.stdout) as ParserResult;
}

const GPU_IMAGE = /(?:^|[\s"'])vllm\/vllm-openai:([\w.-]+)/;

/** Shell words of one logical line (quotes and backslash-newlines), up to the end of its command. */
export function shellWords(text: string): string[] {
    const words: string[] = [];
    let word = "";
    let inWord = false;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === "'") {
            const end = text.indexOf("'", i + 1);
            word += text.slice(i + 1, end < 0 ? undefined : end);
            inWord = true;
            i = end < 0 ? text.length : end;
        } else if (c === '"') {
            let j = i + 1;
            while (j < text.length && text[j] !== '"') {
                if (text[j] === "\\" && j + 1 < text.length) j++;
                word += text[j];
                j++;
            }
            inWord = true;
            i = j;
        } else if (c === "\\" && text[i + 1] === "\n") {
            i++;
        } else if (c === "\\") {
            word += text[i + 1] ?? "";
            inWord = true;
            i++;
        } else if (/\s/.test(c) || c === ";" || c === "|" || c === "&" || c === ")") {
            if (inWord) words.push(word);
            word = "";
            inWord = false;
            if (c === "\n" || c === ";" || c === "|" || c === "&" || c === ")") break;
        } else if (c === "#" && !inWord) {
            break;
        } else {
            word += c;
            inWord = true;
        }
    }
    if (inWord) words.push(word);
    return words;
}

/** vLLM argument vectors in shell text: the words after each `vllm/vllm-openai:<tag>`. */
function argvsInText(text: string): Array<{ tag: string; args: string[] }> {
    const found: Array<{ tag: string; args: string[] }> = [];
    let rest = text;
    for (let m = GPU_IMAGE.exec(rest); m; m = GPU_IMAGE.exec(rest)) {
        const after = rest.slice(m.index + m[0].length);
        found.push({ tag: m[1], args: shellWords(after) });
        rest = after;
    }
    return found;
}

function decodedTexts(value: unknown, out: string[] = []): string[] {
    if (typeof value === "string") {
        out.push(value);
        if (/^[A-Za-z0-9+/=\s]{40,}$/.test(value)) {
            const decoded = Buffer.from(value, "base64").toString("utf8");
            if (decoded.includes("vllm")) out.push(decoded);
        }
    } else if (Array.isArray(value)) {
        for (const v of value) decodedTexts(v, out);
    } else if (value && typeof value === "object") {
        for (const v of Object.values(value)) decodedTexts(v, out);
    }
    return out;
}

/** Containers (at any depth) running the GPU vLLM image, with their args. */
function vllmContainers(value: unknown, out: Array<{ image: string; args: string[] }> = []): Array<{ image: string; args: string[] }> {
    if (Array.isArray(value)) for (const v of value) vllmContainers(v, out);
    else if (value && typeof value === "object") {
        const o = value as Record<string, unknown>;
        if (typeof o.image === "string" && o.image.startsWith("vllm/vllm-openai:") && Array.isArray(o.args)) out.push({ image: o.image, args: o.args.map(String) });
        for (const v of Object.values(o)) vllmContainers(v, out);
    }
    return out;
}

interface Found {
    gpu: Array<Argv & { tag: string }>;
    neuron: Argv[];
    /** Plans whose resources name a vLLM image or a RayService. */
    servingPlans: Set<string>;
}

function collect(plans: ReadonlyArray<{ label: string; resources: PlannedResource[] }>): Found {
    const found: Found = { gpu: [], neuron: [], servingPlans: new Set() };
    for (const plan of plans) {
        for (const r of plan.resources) {
            const where = `${plan.label} ${r.name}`;
            if (r.type === "kubernetes:ray.io/v1:RayService") {
                found.servingPlans.add(plan.label);
                const serve = parse(String((r.inputs.spec as { serveConfigV2: string }).serveConfigV2)) as { applications: Array<{ args: { vllm_args: string[] } }> };
                for (const app of serve.applications) found.neuron.push({ label: where, args: app.args.vllm_args.map(String) });
                continue;
            }
            const containers = vllmContainers(r.inputs);
            for (const c of containers) found.gpu.push({ label: where, tag: c.image.split(":")[1], args: c.args });
            if (containers.length > 0) {
                found.servingPlans.add(plan.label);
                continue;
            }
            for (const text of decodedTexts(r.inputs)) {
                for (const hit of argvsInText(text)) {
                    found.servingPlans.add(plan.label);
                    found.gpu.push({ label: where, tag: hit.tag, args: hit.args });
                }
            }
        }
    }
    return found;
}

describe("conformance: every vLLM flag and value against the pinned parser source", () => {
    let found: Found;
    before(async () => {
        found = collect(await conformancePlans());
    });

    it("finds the argument vectors of every target that runs vLLM (GCP, AKS, the GPU VM, eksInf2)", () => {
        assert.ok(found.gpu.length >= 3, `only ${found.gpu.length} GPU vLLM command lines found`);
        assert.ok(found.neuron.length >= 2, `only ${found.neuron.length} Neuron vLLM argument lists found`);
        for (const a of [...found.gpu, ...found.neuron]) assert.ok(a.args.includes("--model"), `${a.label}: no --model in ${a.args.join(" ")}`);
    });

    it("GPU targets run the vLLM release whose parser is pinned (v0.11.0)", () => {
        assert.equal(VLLM_IMAGE, "vllm/vllm-openai:v0.11.0");
        assert.deepEqual([...new Set(found.gpu.map((a) => a.tag))], ["v0.11.0"]);
    });

    it("vLLM v0.11.0 accepts every GPU target's flags and values", () => {
        const result = checkArgs(V011, found.gpu);
        console.log(`      ${summary(V011, found.gpu, result)}`);
        assert.ok(Object.keys(result.flags).length > 150, `only ${Object.keys(result.flags).length} flags read from the source`);
        assert.deepEqual(result.results.filter((r) => !r.ok).map((r) => `${r.label}: ${r.error}`), []);
        // Values the pinned sources cannot check (their types live in files not pinned): only the known gaps.
        const unchecked = [...new Set(result.results.flatMap((r) => Object.keys(r.unchecked ?? {})))];
        for (const flag of unchecked) console.log(`      not checked: ${flag}: ${KNOWN_UNCHECKED[flag] ?? "(no reason recorded)"}`);
        assert.deepEqual(unchecked.filter((f) => !(f in KNOWN_UNCHECKED)), []);
    });

    it("the Neuron fork accepts every eksInf2 flag and value", () => {
        const result = checkArgs(NEURON_FORK, found.neuron);
        console.log(`      ${summary(NEURON_FORK, found.neuron, result)}`);
        assert.ok(Object.keys(result.flags).length > 150, `only ${Object.keys(result.flags).length} flags read from the source`);
        assert.deepEqual(result.results.filter((r) => !r.ok).map((r) => `${r.label}: ${r.error}`), []);
        assert.deepEqual(result.results.flatMap((r) => Object.keys(r.unchecked ?? {})), []);
    });

    it("the eksInf2 image is built on the Neuron DLC whose vLLM the fork's source stands for (0.9.1 base)", () => {
        assert.match(NEURON_VLLM_IMAGE, /pytorch-inference-vllm-neuronx:0\.9\.1-neuronx-py311-sdk2\.26\.0-/);
        const dlc = readUpstream("deep-learning-containers/2.26.0/docker/vllm/inference/0.9.1/Dockerfile.neuronx");
        // The DLC builds the fork's 2.26.0 branch, which is not public: main@dd417b31 is the nearest provable ref.
        assert.match(dlc, /git clone -b 2\.26\.0 https:\/\/github\.com\/aws-neuron\/upstreaming-to-vllm\.git/);
    });

    it("negative control: --block-size 8192 is refused by the Neuron fork, an unknown flag by both parsers", () => {
        const neuron = found.neuron[0].args;
        const bad = checkArgs(NEURON_FORK, [
            { label: "block-size", args: [...neuron, "--block-size", "8192"] },
            { label: "unknown", args: [...neuron, "--no-such-flag", "1"] },
            { label: "not an int", args: [...neuron.filter((a, i) => a !== "--max-num-seqs" && neuron[i - 1] !== "--max-num-seqs"), "--max-num-seqs", "eight"] },
        ]);
        assert.match(bad.results[0].error ?? "", /--block-size: invalid choice: 8192 \(choose from 1, 8, 16, 32, 64, 128\)/);
        assert.match(bad.results[1].error ?? "", /unrecognized arguments: --no-such-flag/);
        assert.match(bad.results[2].error ?? "", /--max-num-seqs: invalid int value/);
        const gpu = checkArgs(V011, [{ label: "unknown", args: [...found.gpu[0].args, "--no-such-flag"] }, { label: "dtype", args: [...found.gpu[0].args, "--dtype", "fp8"] }]);
        assert.match(gpu.results[0].error ?? "", /unrecognized arguments: --no-such-flag/);
        assert.match(gpu.results[1].error ?? "", /--dtype: invalid choice: 'fp8'/);
    });

    it("reads shell command lines as the shell does", () => {
        assert.deepEqual(shellWords(" --a 'x y' \\\n  --b \"q\\\"z\" --c $V; echo no"), ["--a", "x y", "--b", 'q"z', "--c", "$V"]);
        assert.deepEqual(argvsInText("docker run --rm vllm/vllm-openai:v0.11.0 --model m --port 8000\nnext")[0], { tag: "v0.11.0", args: ["--model", "m", "--port", "8000"] });
    });
});
