import { strict as assert } from "node:assert";
import { buildStartupScript } from "../../../targets/gcpSpotL4/startupScript";
import { serviceAccountId } from "../../../components/gcp/names";
import { armorRules, REPLICA_SCOPES } from "../../../targets/gcpSpotL4/GcpSpotL4Replicas";
import { GCP_APIS } from "../../../components/gcp/project";
import { RolloutPolicy, rollingUpdatePolicy, rolloutProblems } from "../../../targets/gcpSpotL4/rollout";
import { vllmServer } from "../../../components/serving";
import { G2_MACHINE_TYPES, L4_COUNT } from "../../../targets/gcpSpotL4/config";
import { PlannedResource } from "../../../plan/mocks";
import { one, plan, stackFrom, TEST_TAGS } from "../../helpers/program";

const T = {
    template: "gcp:compute/instanceTemplate:InstanceTemplate",
    mig: "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager",
    autoscaler: "gcp:compute/regionAutoscaler:RegionAutoscaler",
    health: "gcp:compute/healthCheck:HealthCheck",
    firewall: "gcp:compute/firewall:Firewall",
    account: "gcp:serviceaccount/account:Account",
    armor: "gcp:compute/securityPolicy:SecurityPolicy",
    forwarding: "gcp:compute/globalForwardingRule:GlobalForwardingRule",
    component: "llm-serving:gcp:GcpSpotL4Replicas",
    service: "gcp:projects/service:Service",
};
const API_KEY_SENTINEL = "sk-sentinel-7f3a9c1e";
const HF_SENTINEL = "hf_sentinel_52b8d0";
const GCP = {
    project: "acme-llm-test",
    region: "us-central1",
    replicas: { min: 2, max: 3 },
    allowedCidrs: ["203.0.113.0/24"],
    plaintextHttp: true,
};

describe("GcpSpotL4Replicas under mocks", function () {
    let resources: PlannedResource[];
    let outputs: Record<string, unknown>;
    before(async () => {
        const run = await plan(
            stackFrom({ tags: TEST_TAGS, targets: { gcpSpotL4: GCP } }, { apiKey: API_KEY_SENTINEL, hfToken: HF_SENTINEL }),
        );
        resources = run.resources;
        outputs = run.outputs;
    });
    const input = (r: PlannedResource, key: string) => r.inputs[key] as Record<string, unknown>;

    it("runs the replicas as SPOT g2 machines, whose machine type carries an L4", () => {
        const template = one(resources, T.template);
        const machineType = template.inputs.machineType as (typeof G2_MACHINE_TYPES)[number];
        assert.equal(machineType, "g2-standard-4");
        assert.equal(L4_COUNT[machineType], 1);
        assert.deepEqual(input(template, "scheduling"), {
            provisioningModel: "SPOT",
            preemptible: true,
            automaticRestart: false,
            onHostMaintenance: "TERMINATE",
            instanceTerminationAction: "DELETE",
        });
    });

    it("gives replicas no external IP and hardened metadata", () => {
        const template = one(resources, T.template);
        const nics = template.inputs.networkInterfaces as Array<Record<string, unknown>>;
        assert.equal(nics.length, 1);
        assert.equal(nics[0].accessConfigs, undefined);
        assert.equal(nics[0].ipv6AccessConfigs, undefined);
        const metadata = input(template, "metadata");
        assert.equal(metadata["block-project-ssh-keys"], "true");
        assert.equal(metadata["enable-oslogin"], "true");
        assert.equal(metadata["serial-port-enable"], "false");
    });

    it("uses a dedicated service account without the cloud-platform scope", () => {
        const account = one(resources, T.account);
        const template = one(resources, T.template);
        const sa = input(template, "serviceAccount");
        assert.equal(sa.email, `${account.inputs.accountId}@acme-llm-test.iam.gserviceaccount.com`);
        assert.doesNotMatch(String(sa.email), /-compute@developer\.gserviceaccount\.com$/);
        assert.deepEqual(sa.scopes, [...REPLICA_SCOPES]);
        assert.ok(!(sa.scopes as string[]).some((s) => s.endsWith("/cloud-platform")));
    });

    it("autoheals on the /health check, after a model-load delay", () => {
        const mig = one(resources, T.mig);
        const health = one(resources, T.health);
        assert.deepEqual(mig.propertyDependencies.autoHealingPolicies, [health.urn]);
        assert.equal(input(mig, "autoHealingPolicies").initialDelaySec, 1200);
        assert.equal(input(health, "httpHealthCheck").requestPath, "/health");
        assert.equal(input(health, "httpHealthCheck").port, 8000);
        assert.deepEqual(mig.inputs.namedPorts, [{ name: "http", port: 8000 }]);
        assert.equal(mig.inputs.targetSize, undefined, "the autoscaler owns the size");
    });

    it("bounds the autoscaler by replicas.min and replicas.max and points it at the group", () => {
        const autoscaler = one(resources, T.autoscaler);
        const mig = one(resources, T.mig);
        const policy = input(autoscaler, "autoscalingPolicy");
        assert.equal(policy.minReplicas, 2);
        assert.equal(policy.maxReplicas, 3);
        assert.deepEqual(autoscaler.propertyDependencies.target, [mig.urn]);
    });

    it("keeps serving during an update: no replica unavailable, one surge replica per zone, by GCP's regional rules", () => {
        const mig = one(resources, T.mig);
        const policy = input(mig, "updatePolicy") as RolloutPolicy;
        const zones = (mig.inputs.distributionPolicyZones as string[]).length;
        assert.equal(zones, 3);
        assert.equal(policy.maxUnavailableFixed, 0);
        assert.equal(policy.maxSurgeFixed, zones);
        assert.deepEqual(rolloutProblems(policy, zones), []);
    });

    it("enables every API it calls, keeps them on destroy, and makes each caller depend on its API", () => {
        const services = resources.filter((r) => r.type === T.service);
        assert.deepEqual(services.map((s) => s.inputs.service).sort(), Object.values(GCP_APIS).sort());
        for (const s of services) {
            assert.equal(s.inputs.disableOnDestroy, false, String(s.inputs.service));
            assert.equal(s.inputs.project, "acme-llm-test");
        }
        const urnOfApi = (api: string) => services.find((s) => s.inputs.service === api)!.urn;
        const needs: Array<[string, string[]]> = [
            [T.template, [GCP_APIS.compute, GCP_APIS.iamCredentials, GCP_APIS.logging, GCP_APIS.monitoring]],
            [T.mig, [GCP_APIS.compute]],
            [T.forwarding, [GCP_APIS.compute]],
            [T.firewall, [GCP_APIS.compute]],
            [T.account, [GCP_APIS.iam]],
            ["gcp:projects/iAMMember:IAMMember", [GCP_APIS.resourceManager, GCP_APIS.iam]],
            ["gcp:secretmanager/secret:Secret", [GCP_APIS.secretManager]],
        ];
        for (const [type, apis] of needs) {
            const callers = resources.filter((r) => r.type === type);
            assert.ok(callers.length > 0, type);
            for (const r of callers) {
                for (const api of apis) assert.ok(r.dependencies?.includes(urnOfApi(api)), `${r.name} must depend on ${api}`);
            }
        }
        // Every compute resource waits for the compute API.
        for (const r of resources.filter((r) => r.type.startsWith("gcp:compute/"))) {
            assert.ok(r.dependencies?.includes(urnOfApi(GCP_APIS.compute)), `${r.name} must depend on compute.googleapis.com`);
        }
    });

    it("admits exactly the health-check and front-end ranges at the firewall", () => {
        const fw = one(resources, T.firewall);
        assert.deepEqual(fw.inputs.sourceRanges, ["35.191.0.0/16", "130.211.0.0/22"]);
        assert.deepEqual(fw.inputs.allows, [{ protocol: "tcp", ports: ["8000"] }]);
        assert.equal(fw.inputs.direction, "INGRESS");
    });

    it("admits only /v1/ routes from the allowed CIDRs at the load balancer", () => {
        const armor = one(resources, T.armor);
        const rules = armor.inputs.rules as Array<{ priority: number; action: string; match: Record<string, unknown> }>;
        assert.deepEqual(
            rules.map((r) => [r.priority, r.action]),
            [[1000, "deny(403)"], [2000, "allow"], [2147483647, "deny(403)"]],
        );
        assert.deepEqual((rules[1].match.config as { srcIpRanges: string[] }).srcIpRanges, ["203.0.113.0/24"]);
        assert.equal(one(resources, T.forwarding).inputs.portRange, "80");
    });

    it("parents every child to the component", () => {
        const component = one(resources, T.component);
        const children = resources.filter((r) => r !== component);
        assert.ok(children.length >= 20);
        for (const r of children) assert.equal(r.parent, component.urn, `${r.type} ${r.name}`);
    });

    it("keeps the API key and HF token out of metadata, inputs and outputs", () => {
        const everything = JSON.stringify({ resources, outputs });
        assert.ok(!everything.includes(API_KEY_SENTINEL), "API key leaked");
        assert.ok(!everything.includes(HF_SENTINEL), "HF token leaked");
        assert.equal(outputs.apiKeys, "[secret]");
        const versions = resources.filter((r) => r.type === "gcp:secretmanager/secretVersion:SecretVersion");
        assert.equal(versions.length, 2);
        for (const v of versions) assert.equal(v.inputs.secretData, "[secret]");
    });

    it("exports the OpenAI base URL of the load balancer", () => {
        assert.deepEqual(outputs.endpoints, { gcpSpotL4: "http://198.51.100.10/v1" });
    });
});

describe("GcpSpotL4Replicas with a domain", () => {
    it("serves HTTPS with a managed certificate", async () => {
        const { resources, outputs } = await plan(
            stackFrom({ tags: TEST_TAGS, targets: { gcpSpotL4: { ...GCP, plaintextHttp: false, domain: "llm.example.com" } } }),
        );
        assert.deepEqual(one(resources, "gcp:compute/managedSslCertificate:ManagedSslCertificate").inputs.managed, {
            domains: ["llm.example.com"],
        });
        one(resources, "gcp:compute/targetHttpsProxy:TargetHttpsProxy");
        assert.equal(one(resources, T.forwarding).inputs.portRange, "443");
        assert.deepEqual(outputs.endpoints, { gcpSpotL4: "https://llm.example.com/v1" });
    });
});

describe("GCP pure builders", () => {
    const server = vllmServer(
        { id: "mistralai/Mistral-7B-Instruct-v0.2", servedName: "mistral-7b", maxModelLen: 8192 },
        { accelerator: "nvidia-l4", tensorParallelSize: 2 },
    );

    it("startup script reads secrets by name and passes every GPU to the container", () => {
        const script = buildStartupScript({
            server,
            apiKeySecret: "projects/p/secrets/k",
            serviceAccountEmail: "sa@p.iam.gserviceaccount.com",
            gpuCount: 2,
        });
        assert.match(script, /secretmanager\.googleapis\.com\/v1\/\$1\/versions\/latest:access/);
        assert.match(script, /^read_secret projects\/p\/secrets\/k "\$\{WORK\}\/api-key"$/m);
        assert.ok(!/printf [^\n]*\$\(/.test(script), "no command substitution as a printf argument: its failure escapes set -e");
        assert.match(script, /--device \/dev\/nvidia0:\/dev\/nvidia0 --device \/dev\/nvidia1:\/dev\/nvidia1 /);
        assert.match(script, /--tensor-parallel-size 2/);
        assert.match(script, /vllm\/vllm-openai:v\d+\.\d+\.\d+ /);
        assert.ok(!script.includes("HF_TOKEN="), "no HF token line without an HF secret");
        assert.match(script, /--env-file "\$\{ENV_FILE\}"/);
    });

    it("armor admits anyone holding the key when no CIDRs are set, but only /v1/ routes", () => {
        const rules = armorRules([]) as Array<{ action: string; match: { expr?: { expression: string } } }>;
        assert.deepEqual(rules.map((r) => r.action), ["deny(403)", "allow"]);
        assert.equal(rules[0].match.expr?.expression, "!request.path.startsWith('/v1/')");
    });

    it("rollout rules: the old policy (every zone's replica down at once) and GCP-invalid ones are refused", () => {
        // What the group had before: no surge, one unavailable per zone, names kept.
        const old = { replacementMethod: "RECREATE", maxSurgeFixed: 0, maxUnavailableFixed: 3 };
        assert.match(rolloutProblems(old, 3).join("; "), /takes up to 3 replicas out of service/);
        assert.match(rolloutProblems({ maxSurgeFixed: 1, maxUnavailableFixed: 0 }, 3).join("; "), /maxSurgeFixed is 1: .* 0 or at least 3/);
        assert.match(rolloutProblems({ maxSurgeFixed: 0, maxUnavailableFixed: 0 }, 3).join("; "), /one above 0/);
        assert.match(rolloutProblems({ replacementMethod: "RECREATE", maxSurgeFixed: 3, maxUnavailableFixed: 0 }, 3).join("; "), /RECREATE/);
        for (const zones of [1, 2, 3]) assert.deepEqual(rolloutProblems(rollingUpdatePolicy(zones), zones), [], `${zones} zones`);
    });

    it("service account ids fit GCP's rules whatever the component name", () => {
        for (const name of ["gcp-spot-l4", "a", "X_Y", "9lives", "a-very-long-component-name-that-goes-on-and-on"]) {
            const id = serviceAccountId(name);
            assert.match(id, /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, `${name} -> ${id}`);
        }
    });
});
