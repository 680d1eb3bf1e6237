import { targetInFlight } from "../../config/observability";
import { costLabels } from "../../components/costLabels";
import { domainNeedsCertificate, publicPlaintextProblems } from "../../config/endpointTls";
import { defineTarget } from "../definition";
import { eksInf2Schema } from "./config";
import { EksInf2Pool } from "./EksInf2Pool";
import { EKS_INF2_MOCK_OUTPUTS } from "./mocks";

/** Part of every child's URN: renaming it would replace everything this target has deployed. */
const COMPONENT_NAME = "eks-inf2";

/** Inferentia2 on EKS: Karpenter brings up inf2 nodes, KubeRay runs the model under Ray Serve. */
export const eksInf2 = defineTarget({
    key: "eksInf2",
    componentName: COMPONENT_NAME,
    readme: {
        cloud: "AWS",
        serves: "an EKS cluster whose Karpenter NodePool brings up Inferentia2 nodes running the model under Ray Serve (KubeRay), behind an NLB and a `/v1/`-only proxy",
        server: "vLLM (Neuron)",
    },
    schema: eksInf2Schema,
    checkPlaintext: (target) => publicPlaintextProblems(target, true, "with acmCertificateArn, a free ACM certificate, or the stack's certificate"),
    // An ACM certificate is a certificate source of its own.
    checkWithoutStackCertificate: (target) =>
        target.domain !== undefined && target.acmCertificateArn === undefined
            ? [domainNeedsCertificate("set targets.eksInf2.acmCertificateArn (an ACM certificate), or ")]
            : [],
    deploy: (target, stack) =>
        new EksInf2Pool(COMPONENT_NAME, {
            config: target,
            model: stack.model,
            tags: costLabels(stack),
            apiKey: stack.apiKey,
            hfToken: stack.hfToken,
            tls: stack.tls,
            targetOngoingRequests: targetInFlight(stack.observability, "AWS Inferentia2"),
            observability: stack.observability,
            notifications: stack.notifications,
        }),
    mockOutputs: EKS_INF2_MOCK_OUTPUTS,
});
