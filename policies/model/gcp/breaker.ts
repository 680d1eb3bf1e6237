// What the GCP circuit breaker costs (stack/breaker/gcp.ts, issue 16). Priced, each small:
// - the function (Cloud Functions 2nd gen, a Cloud Run service underneath): its container image in
//   Artifact Registry, $0.10/GB-month over a free 0.5 GB the billing account shares, so counted
//   from the first GB (at an assumed 0.5 GB: $0.05/month). Its runs are free: min instances 0, a
//   few invocations a day (the budget's updates) of seconds each, against Cloud Run's monthly free
//   tier of 2 million requests, 180,000 vCPU-seconds and 360,000 GiB-seconds
//   (cloud.google.com/run/pricing); its builds, one per code change, inside Cloud Build's free
//   build-minutes; Eventarc bills nothing for Pub/Sub-sourced triggers of Google events.
// - the source object: the bundle, at most 1 MiB (test/breaker/gcp.test.ts bounds it), in
//   Cloud Storage Standard; the bucket itself bills nothing beyond its objects.
// Free, with the reason: a Pub/Sub topic bills no fee, only message throughput, and the first
// 10 GiB a month are free against a few budget messages a day (cloud.google.com/pubsub/pricing);
// IAM custom roles and grants, and a Cloud Run invoker grant, bill nothing (IAM has no charge).
import { fee } from "../../cost/catalog";
import { StackIndex } from "../../cost/graph";
import { Sink } from "../../cost/pricing";
import { Kind } from "../kind";
import { readAt } from "../read";

export const GCP_BREAKER = {
    function: "gcp:cloudfunctionsv2/function:Function",
    bucket: "gcp:storage/bucket:Bucket",
    bucketObject: "gcp:storage/bucketObject:BucketObject",
    topic: "gcp:pubsub/topic:Topic",
    topicIamMember: "gcp:pubsub/topicIAMMember:TopicIAMMember",
    customRole: "gcp:projects/iAMCustomRole:IAMCustomRole",
    projectIamMember: "gcp:projects/iAMMember:IAMMember",
    runInvoker: "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
} as const;

/** The bound the source object is priced at; the bundle is tested to stay under it. */
export const BREAKER_SOURCE_MAX_MIB = 1;

function priceFunctions(index: StackIndex, sink: Sink): void {
    const f = fee("gcp-function-image");
    for (const fn of index.ofType(GCP_BREAKER.function)) {
        const location = readAt(fn.props, ["location"]);
        const region = location.state === "known" ? String(location.value) : "-";
        sink.line(fn, { kind: "fixed", sku: f.name, region, countMin: 1, countMax: 1, hourlyUsd: f.hourlyUsd, pricing: "fee", basis: "the function's image in Artifact Registry (0.5 GB assumed, $0.10/GB-month); its runs stay in Cloud Run's free tier" });
    }
}

function priceObjects(index: StackIndex, sink: Sink): void {
    const f = fee("gcp-storage-standard-mib");
    for (const o of index.ofType(GCP_BREAKER.bucketObject)) {
        sink.line(o, { kind: "fixed", sku: f.name, region: "-", countMin: BREAKER_SOURCE_MAX_MIB, countMax: BREAKER_SOURCE_MAX_MIB, hourlyUsd: f.hourlyUsd, pricing: "fee", basis: `a function's source archive, at most ${BREAKER_SOURCE_MAX_MIB} MiB in Cloud Storage Standard` });
    }
}

export const GCP_BREAKER_KINDS: ReadonlyArray<Kind> = [
    { name: "gcp-cloud-function", provider: "gcp", types: [GCP_BREAKER.function], price: priceFunctions },
    { name: "gcp-storage-object", provider: "gcp", types: [GCP_BREAKER.bucketObject], price: priceObjects },
    { name: "gcp-storage-bucket", provider: "gcp", types: [GCP_BREAKER.bucket] },
    { name: "gcp-pubsub-topic", provider: "gcp", types: [GCP_BREAKER.topic, GCP_BREAKER.topicIamMember] },
    { name: "gcp-iam-grant", provider: "gcp", types: [GCP_BREAKER.customRole, GCP_BREAKER.projectIamMember, GCP_BREAKER.runInvoker] },
];
