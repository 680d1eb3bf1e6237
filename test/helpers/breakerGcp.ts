// The ha stack's GCP breaker as the program plans it, shared by the program's and the policy's tests.
import type { PlannedResource } from "../../plan/mocks";
import { committedStack, plan } from "./program";

/** The resource types of the GCP breaker the tests look up. */
export const GCP_BREAKER_TYPES = {
    topic: "gcp:pubsub/topic:Topic",
    topicMember: "gcp:pubsub/topicIAMMember:TopicIAMMember",
    fn: "gcp:cloudfunctionsv2/function:Function",
    role: "gcp:projects/iAMCustomRole:IAMCustomRole",
    member: "gcp:projects/iAMMember:IAMMember",
    invoker: "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
    autoscaler: "gcp:compute/regionAutoscaler:RegionAutoscaler",
    account: "gcp:serviceaccount/account:Account",
} as const;

/** The breaker's account in ha, as a grant's member. */
export const HA_BREAKER_MEMBER = "serviceAccount:llm-breaker-ha@acme-llm-ha.iam.gserviceaccount.com";

let haResources: PlannedResource[] | undefined;
/** The ha plan's resources (planned once per process). */
export async function haPlanResources(): Promise<PlannedResource[]> {
    haResources ??= (await plan(committedStack("ha"))).resources;
    return haResources;
}
