import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { stringOf } from "../inspect";
import { AWS_PLATFORM } from "../model/aws/platform";
import { NODE_POOL_TYPES, mayLaunchSpot, readRequirements } from "../model/kubernetes/karpenter";
import { HELM_TYPES } from "../model/kubernetes/workloads";
import { readAt } from "../model/read";
import { urnName } from "../stackCost";

const NODE_POOLS: ReadonlySet<string> = new Set(NODE_POOL_TYPES);
const QUEUE = AWS_PLATFORM.queue;
const RELEASES: ReadonlySet<string> = new Set(HELM_TYPES);

/**
 * Spot capacity under Karpenter only with its interruption handling (origin: Karpenter docs
 * "Interruption"; CKV_AWS_27 for the queue's encryption): a NodePool that may launch spot needs
 * an SQS queue with server-side encryption and the Karpenter chart's `settings.interruptionQueue`
 * set, or a reclaimed node's pods die with 2 minutes' notice unheeded. A queue name unknown at
 * preview (wired from the queue) counts as set: its presence is what matters.
 */
export const karpenterSpotInterruptionQueue: StackValidationPolicy = {
    name: "karpenter-spot-interruption-queue",
    description: "A Karpenter NodePool that allows spot needs an encrypted SQS interruption queue and the Karpenter chart's settings.interruptionQueue (Karpenter docs, CKV_AWS_27).",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const spotPools = args.resources.filter((r) => NODE_POOLS.has(r.type) && mayRunSpot(r));
        if (spotPools.length === 0) {
            return;
        }
        const queues = args.resources.filter((r) => r.type === QUEUE);
        const karpenter = args.resources.filter((r) => RELEASES.has(r.type) && /karpenter/i.test(stringOf(readAt(r.props, ["chart"])) ?? ""));
        for (const pool of spotPools) {
            const report = (message: string) => reportViolation(`${urnName(pool.urn)} [${pool.type}]: ${message}`, pool.urn);
            if (queues.length === 0) {
                report("allows spot capacity but the stack has no SQS interruption queue. Create an aws.sqs.Queue (SSE on) with EventBridge rules for spot interruption, rebalance, state-change and health events.");
            }
            if (karpenter.length === 0) {
                report("allows spot capacity but no Karpenter Helm release is in the stack to read an interruption queue. Install Karpenter with values.settings.interruptionQueue set to the queue's name.");
            }
            for (const release of karpenter) {
                const setting = readAt(release.props, ["values", "settings", "interruptionQueue"]);
                if (setting.state === "absent" || (setting.state === "known" && String(setting.value).trim() === "")) {
                    report(`allows spot capacity but ${urnName(release.urn)} does not set values.settings.interruptionQueue (interruptionQueueName is ignored since v0.33). Set it to the queue's name.`);
                }
            }
        }
        for (const queue of queues) {
            const sse = readAt(queue.props, ["sqsManagedSseEnabled"]);
            const kms = readAt(queue.props, ["kmsMasterKeyId"]);
            if (!(sse.state === "known" && sse.value === true) && kms.state === "absent" && sse.state !== "unknown") {
                reportViolation(`${urnName(queue.urn)} [${queue.type}]: the interruption queue is not encrypted. Set sqsManagedSseEnabled: true or kmsMasterKeyId.`, queue.urn);
            }
        }
    },
};

/** Karpenter launches on-demand unless a capacity-type requirement admits spot. Unknown: may. */
function mayRunSpot(pool: PolicyResource): boolean {
    return mayLaunchSpot(readRequirements(pool.props));
}
