// The cost engine: resources -> cost lines and issues. Pure (no Pulumi runtime calls), so the
// policies and the offline plan price the same stack the same way.
//
// Baseline = every scaled group at its minimum; worst case = at its maximum (DESIGN §4). Anything
// that keeps a worst case from being known is an issue, never a $0 line: an unpriced SKU
// (`unpriced`), a scaled group without a maximum (`unbounded`), or a cost-relevant value that is
// unknown at preview (`unknown`).
import { priceKubernetes } from "./kubernetes";
import { priceAws } from "./aws";
import { priceAzure } from "./azure";
import { priceGcp } from "./gcp";
import { StackIndex } from "./graph";
import { priceKarpenter } from "./karpenter";
import { DEFAULT_SPOT_MARGIN, Sink, roundCents } from "./pricing";
import { CostInputResource, CostIssue, Estimate, EstimateOptions } from "./types";

export { HOURS_PER_MONTH } from "./types";
export type { CostInputResource, CostIssue, CostIssueKind, CostLine, Estimate, EstimateOptions } from "./types";
export { DEFAULT_SPOT_MARGIN } from "./pricing";

/**
 * Compute resources this engine does not price. They are never silently $0: each one is reported
 * `unpriced` so a stack that adds one is blocked until the engine learns it.
 */
export const UNPRICED_COMPUTE_TYPES: ReadonlyArray<string> = [
    "gcp:container/nodePool:NodePool",
    "gcp:compute/instanceFromTemplate:InstanceFromTemplate",
    "gcp:compute/instanceFromMachineImage:InstanceFromMachineImage",
    "azure-native:compute:VirtualMachineScaleSet",
    "azure-native:containerinstance:ContainerGroup",
    "azure-native:machinelearningservices:Compute",
    "azure-native:machinelearningservices:ServerlessEndpoint",
    "aws:autoscaling/group:Group",
    "aws:ec2/spotInstanceRequest:SpotInstanceRequest",
    "aws:ec2/spotFleetRequest:SpotFleetRequest",
    "aws:ec2/fleet:Fleet",
    "aws:eks/fargateProfile:FargateProfile",
    "aws:sagemaker/endpoint:Endpoint",
    "aws:batch/computeEnvironment:ComputeEnvironment",
];

function reportUnpricedCompute(index: StackIndex, sink: Sink): void {
    for (const res of index.ofType(...UNPRICED_COMPUTE_TYPES)) {
        sink.issue(res, "unpriced", `resource type ${res.type} runs compute the cost engine does not price, so it cannot be bounded (it is never counted as $0)`);
    }
}

function validSpotMargin(options: EstimateOptions | undefined): number {
    const margin = options?.spotMargin ?? DEFAULT_SPOT_MARGIN;
    // A margin below 1 would price spot under its observed price: a cap that holds only at spot is no cap.
    if (!Number.isFinite(margin) || margin < 1) {
        throw new RangeError(`spotMargin must be a finite number >= 1 (got ${margin})`);
    }
    return margin;
}

/** A template shared by several groups is reported once per distinct problem. */
function dedupe(issues: CostIssue[]): CostIssue[] {
    const seen = new Set<string>();
    return issues.filter((i) => {
        const key = JSON.stringify([i.urn, i.kind, i.field ?? "", i.message]);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
    });
}

export function estimateCosts(resources: CostInputResource[], options?: EstimateOptions): Estimate {
    const sink = new Sink(validSpotMargin(options));
    const index = new StackIndex(resources);
    priceGcp(index, sink);
    priceAzure(index, sink);
    priceAws(index, sink);
    priceKarpenter(index, sink);
    priceKubernetes(index, sink);
    reportUnpricedCompute(index, sink);
    return {
        lines: sink.lines,
        issues: dedupe(sink.issues),
        baselineMonthlyUsd: roundCents(sink.lines.reduce((sum, l) => sum + l.baselineMonthlyUsd, 0)),
        worstCaseMonthlyUsd: roundCents(sink.lines.reduce((sum, l) => sum + l.worstCaseMonthlyUsd, 0)),
    };
}
