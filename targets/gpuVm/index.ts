import { costLabels } from "../../components/costLabels";
import { awqProblem, isGpuSize } from "../../config/azure";
import { domainNeedsCertificate, publicPlaintextProblems } from "../../config/endpointTls";
import { GGUF_BUILDS } from "../../config/gguf";
import { defineTarget } from "../definition";
import { gpuVmSchema } from "./config";
import { GpuVm } from "./GpuVm";
import { GPU_VM_MOCK_OUTPUTS } from "./mocks";

/** Part of every child's URN: renaming it would replace everything this target has deployed. */
const COMPONENT_NAME = "gpu-vm";

/** One Azure VM, GPU (vLLM) or CPU-only (llama.cpp). */
export const gpuVm = defineTarget({
    key: "gpuVm",
    componentName: COMPONENT_NAME,
    readme: {
        cloud: "Azure",
        serves: "one Linux VM (SSH keys only, NSG-restricted), GPU or CPU-only; secrets from Key Vault through a managed identity",
        server: "vLLM, or llama.cpp on CPU sizes",
    },
    schema: gpuVmSchema,
    checkStack: (target, stack, report) => {
        // A CPU-only VM runs llama.cpp, which needs a quantized GGUF build of the model.
        if (!isGpuSize(target.vmSize) && !(stack.model.id in GGUF_BUILDS)) {
            report(
                "vmSize",
                target.vmSize,
                `must be a GPU size for model ${stack.model.id}: CPU sizes run llama.cpp, which has a GGUF build only of ${Object.keys(GGUF_BUILDS).join(", ")}`,
            );
        }
        const problem = awqProblem(target.vmSize, stack.model.id);
        if (problem) report("vmSize", target.vmSize, problem);
    },
    // Without a public IP the endpoint is reachable from its virtual network only.
    checkPlaintext: (target) => publicPlaintextProblems(target, target.publicIp, "with the stack's certificate, llm-serving:tlsCertificate and tlsPrivateKey"),
    // No certificate source of its own: a domain always needs the stack's certificate.
    checkWithoutStackCertificate: (target) => (target.domain !== undefined ? [domainNeedsCertificate()] : []),
    deploy: (target, stack) =>
        new GpuVm(COMPONENT_NAME, {
            config: target,
            model: stack.model,
            tags: costLabels(stack),
            apiKey: stack.apiKey,
            hfToken: stack.hfToken,
            tls: stack.tls,
            observability: stack.observability,
            notifications: stack.notifications,
        }),
    mockOutputs: GPU_VM_MOCK_OUTPUTS,
});
