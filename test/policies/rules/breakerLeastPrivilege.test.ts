// breaker-least-privilege on GCP (policies/breaker/gcp.ts): the ha plan's breaker (a custom role
// with exactly the MIG adapter's permissions, run.invoker on its own service) passes; one grant or
// one permission too many is blocked. The AWS and Azure checks are their own helpers' tests.
import { strict as assert } from "node:assert";
import { breakerLeastPrivilege } from "../../../policies/rules/breakerLeastPrivilege";
import { assertNoViolations, assertOneViolation, runStackPolicy } from "../../helpers/policyArgs";
import { planned } from "../../helpers/policyFixtures";
import { one } from "../../helpers/program";
import { GCP_BREAKER_TYPES, HA_BREAKER_MEMBER, haPlanResources } from "../../helpers/breakerGcp";

const T = GCP_BREAKER_TYPES;
const BREAKER_MEMBER = HA_BREAKER_MEMBER;
const ha = haPlanResources;

describe("policy breaker-least-privilege (GCP)", () => {
    const extraGrant = (role: string) => planned(T.member, "extra", { project: "acme-llm-ha", role, member: BREAKER_MEMBER });

    it("passes the ha plan: a role with exactly the adapters' permissions, run.invoker on its service", async () => {
        assertNoViolations(await runStackPolicy(breakerLeastPrivilege, await ha()));
    });

    it("blocks a primitive role granted to the breaker's account", async () => {
        const grant = extraGrant("roles/editor");
        assertOneViolation(await runStackPolicy(breakerLeastPrivilege, [...(await ha()), grant]), ["roles/editor", "only its own custom role"], grant.urn);
    });

    it("blocks the breaker's role holding compute.instances.delete", async () => {
        const resources = (await ha()).map((r) => (r.type === T.role ? { ...r, inputs: { ...r.inputs, permissions: [...(r.inputs.permissions as string[]), "compute.instances.delete"] } } : r));
        const role = one(resources, T.role);
        assertOneViolation(await runStackPolicy(breakerLeastPrivilege, resources), ["compute.instances.delete", "no breaker adapter calls"], role.urn);
    });

    it("blocks run.invoker granted by a project-level member (it may hold it only on its own service), and a predefined role on a topic", async () => {
        assertOneViolation(await runStackPolicy(breakerLeastPrivilege, [...(await ha()), extraGrant("roles/run.invoker")]), ["roles/run.invoker"]);
        const topicAdmin = planned(T.topicMember, "admin", { project: "acme-llm-ha", topic: "llm-serving-breaker-ha", role: "roles/pubsub.admin", member: BREAKER_MEMBER });
        assertOneViolation(await runStackPolicy(breakerLeastPrivilege, [...(await ha()), topicAdmin]), ["roles/pubsub.admin"], topicAdmin.urn);
    });

    it("blocks its custom role granted on a project the stack does not deploy to", async () => {
        const elsewhere = planned(T.member, "elsewhere", { project: "acme-other", role: "projects/acme-llm-ha/roles/llmServingBreaker_ha", member: BREAKER_MEMBER });
        assertOneViolation(await runStackPolicy(breakerLeastPrivilege, [...(await ha()), elsewhere]), ["not the role's project or not one the stack deploys to"], elsewhere.urn);
    });

    it("blocks a breaker function that runs as the default compute account", async () => {
        const resources = (await ha()).map((r) => (r.type === T.fn ? { ...r, inputs: { ...r.inputs, serviceConfig: { ...(r.inputs.serviceConfig as object), serviceAccountEmail: undefined } } } : r));
        assertOneViolation(await runStackPolicy(breakerLeastPrivilege, resources), ["must run as its own account"]);
    });

    const BUILD_MEMBER = "serviceAccount:llm-brkbuild-ha@acme-llm-ha.iam.gserviceaccount.com";

    it("passes the build account's exact grants (logWriter, artifactregistry.writer on the project; objectViewer on the source bucket) and a function built as it", async () => {
        const resources = await ha();
        const build = resources.filter((r) => r.inputs.member === BUILD_MEMBER).map((r) => [r.type.split(":").pop(), r.inputs.role]);
        assert.deepEqual(build.sort(), [["BucketIAMMember", "roles/storage.objectViewer"], ["IAMMember", "roles/artifactregistry.writer"], ["IAMMember", "roles/logging.logWriter"]]);
        assert.equal((one(resources, T.fn).inputs.buildConfig as { serviceAccount: string }).serviceAccount, "projects/acme-llm-ha/serviceAccounts/llm-brkbuild-ha@acme-llm-ha.iam.gserviceaccount.com");
        assertNoViolations(await runStackPolicy(breakerLeastPrivilege, resources));
    });

    it("blocks a wider role for the build account, objectViewer on another bucket, and a function without buildConfig.serviceAccount", async () => {
        const editor = planned(T.member, "build-editor", { project: "acme-llm-ha", role: "roles/cloudbuild.builds.builder", member: BUILD_MEMBER });
        assertOneViolation(await runStackPolicy(breakerLeastPrivilege, [...(await ha()), editor]), ["roles/cloudbuild.builds.builder", "build account"], editor.urn);
        const other = planned("gcp:storage/bucketIAMMember:BucketIAMMember", "build-other", { bucket: "acme-models", role: "roles/storage.objectViewer", member: BUILD_MEMBER });
        assertOneViolation(await runStackPolicy(breakerLeastPrivilege, [...(await ha()), other]), ["acme-models", "not a breaker function's source bucket"], other.urn);
        const unbuilt = (await ha()).map((r) => (r.type === T.fn ? { ...r, inputs: { ...r.inputs, buildConfig: { ...(r.inputs.buildConfig as object), serviceAccount: undefined } } } : r));
        assertOneViolation(await runStackPolicy(breakerLeastPrivilege, unbuilt), ["must be built as its own build account", "May 2024"]);
    });

    it("negative control: the same grants to another account are not the breaker's business", async () => {
        const other = planned(T.member, "other", { project: "acme-llm-ha", role: "roles/editor", member: "serviceAccount:ci@acme-llm-ha.iam.gserviceaccount.com" });
        assertNoViolations(await runStackPolicy(breakerLeastPrivilege, [...(await ha()), other]));
        // And a stack without a breaker at all passes.
        assertNoViolations(await runStackPolicy(breakerLeastPrivilege, [planned(T.account, "sa", { accountId: "gcp-spot-l4-sa", project: "p" }), other]));
    });
});
