// What the AWS breaker (stack/breaker/aws.ts) needs of an eksInf2 deployment: the cluster it calls,
// the network it runs in, the provider it binds its Kubernetes Role with, and the RayService it
// lowers. The target records them as it is deployed; the breaker, declared after the targets
// (stack/runtime.ts), reads them. A handle per stack, so one process planning several stacks in
// turn (the tests) never mixes them up.
import type * as pulumi from "@pulumi/pulumi";
import type { Provider } from "@pulumi/kubernetes/provider";

export interface EksInf2BreakerHandle {
    readonly region: string;
    readonly clusterName: pulumi.Output<string>;
    readonly clusterArn: pulumi.Output<string>;
    readonly endpoint: pulumi.Output<string>;
    /** The cluster CA bundle, base64 PEM (certificateAuthority.data). */
    readonly caData: pulumi.Output<string>;
    /** The EKS-made cluster security group: the control plane's private endpoint ENIs use it. */
    readonly clusterSecurityGroupId: pulumi.Output<string>;
    readonly vpcId: pulumi.Output<string>;
    readonly privateSubnetIds: pulumi.Output<string>[];
    readonly provider: Provider;
    readonly namespace: string;
    readonly rayService: string;
    /** The resource the breaker's in-cluster objects wait for (the RayService). */
    readonly rayServiceResource: pulumi.Resource;
    readonly tags: Readonly<Record<string, string>>;
}

const handles = new Map<string, EksInf2BreakerHandle>();

export function recordEksInf2ForBreaker(stack: string, handle: EksInf2BreakerHandle): void {
    handles.set(stack, handle);
}

/** The stack's eksInf2 deployment, when it has one (declared earlier in this program run). */
export function eksInf2ForBreaker(stack: string): EksInf2BreakerHandle | undefined {
    return handles.get(stack);
}
