// What a cloud's breaker hands its budget (stack/budgets.ts): imports nothing of the stack, so no cycle.
import type * as pulumi from "@pulumi/pulumi";

/** What a cloud's breaker hands its budget: the trigger the budget must notify. */
export interface BreakerTriggers {
    /** GCP: the Pub/Sub topic the billing budget publishes every update to (one per budget). */
    readonly gcpPubsubTopic?: pulumi.Input<string>;
    /**
     * AWS: THE SNS topic the budget's notifications publish to (AWS Budgets takes one SNS subscriber
     * per notification): the breaker's own, or the user's awsSnsTopicArn its Lambda subscribes to.
     */
    readonly awsSnsTopicArn?: pulumi.Input<string>;
    /** Azure: action group ids the budget's notifications add to their contact groups. */
    readonly azureActionGroupIds?: pulumi.Input<string>[];
}
