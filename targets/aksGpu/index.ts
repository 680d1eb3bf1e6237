import { costLabels } from "../../components/costLabels";
import { awqProblem } from "../../config/azure";
import { domainNeedsCertificate, publicPlaintextProblems } from "../../config/endpointTls";
import { defineTarget } from "../definition";
import { AksGpuNodePool } from "./AksGpuNodePool";
import { aksGpuSchema } from "./config";
import { q5BuildOf } from "./llamaCpp";
import { AKS_GPU_MOCK_INVOKES, AKS_GPU_MOCK_OUTPUTS } from "./mocks";

/** Part of every child's URN: renaming it would replace everything this target has deployed. */
const COMPONENT_NAME = "aks-gpu";

/** A GPU node pool on AKS (a new cluster or an existing one) running the model server Deployment. */
export const aksGpu = defineTarget({
    key: "aksGpu",
    componentName: COMPONENT_NAME,
    readme: {
        cloud: "Azure",
        serves: "an AKS cluster (Entra ID RBAC, no local accounts, restricted API server) with an autoscaled GPU node pool, the NVIDIA device plugin, and the model server Deployment behind a `/v1/`-only guard",
        server: "vLLM, or llama.cpp on a CPU pool (`serverKind: llamacpp`)",
    },
    schema: aksGpuSchema,
    checkStack: (target, stack, report) => {
        if (target.serverKind === "llamacpp") {
            const gguf = q5BuildOf(stack.model.id);
            if (typeof gguf === "string") report("serverKind", target.serverKind, `model ${stack.model.id} ${gguf}`);
            return;
        }
        const problem = awqProblem(target.vmSize, stack.model.id);
        if (problem) report("vmSize", target.vmSize, problem);
    },
    checkPlaintext: (target) => publicPlaintextProblems(target, true, "with acme, cert-manager and Let's Encrypt through Azure DNS, or the stack's certificate"),
    // ACME (cert-manager with Let's Encrypt) is a certificate source of its own.
    checkWithoutStackCertificate: (target) =>
        target.domain !== undefined && target.acme === undefined
            ? [domainNeedsCertificate("set targets.aksGpu.acme (cert-manager with Let's Encrypt), or ")]
            : [],
    deploy: (target, stack) =>
        new AksGpuNodePool(COMPONENT_NAME, {
            config: target,
            model: stack.model,
            tags: costLabels(stack),
            apiKey: stack.apiKey,
            hfToken: stack.hfToken,
            tls: stack.tls,
            observability: stack.observability,
            notifications: stack.notifications,
        }),
    mockOutputs: AKS_GPU_MOCK_OUTPUTS,
    mockInvokes: AKS_GPU_MOCK_INVOKES,
});
