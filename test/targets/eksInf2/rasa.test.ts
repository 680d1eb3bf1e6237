import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { hasNginx, LocationUnderNginx, SeenRequest, startLocationUnderNginx } from "../../helpers/nginxLocation";
import { rasaFileProblems, rasaEndpointsYml } from "../../../components/rasa/files";
import { EXIT, main } from "../../../plan/cli";
import { eksInf2Schema } from "../../../targets/eksInf2/config";
import { buildRasaActionsDeployment, buildRasaActionsNetworkPolicy, buildRasaDeployment, buildRasaService, RASA_PORT, RASA_TOKEN_DIR, RASA_TOKEN_FILE, rasaLocation, rasaTokenSnippet } from "../../../components/k8s/rasa";
import { modelUrlCredential } from "../../../config/rasa";
import { EKS_INF2_RASA_PLACEMENT } from "../../../targets/eksInf2/rasaResources";

const INPUT = {
    image: "rasa/rasa:3.6.20",
    actionsImage: "123456789012.dkr.ecr.us-west-2.amazonaws.com/llm-serving/rasa-actions:sdk3.6.2",
    modelUrl: "https://models.example.com/rasa/assistant.tar.gz",
    replicas: 1,
    openAiBaseUrl: "http://llm-serve-svc.llm-serving.svc.cluster.local:8000/v1",
    model: "mistral-7b",
    apiKey: { name: "llm-api-key", key: "key" },
    placement: EKS_INF2_RASA_PLACEMENT,
};

describe("eksInf2 rasa: objects and config", () => {
    it("Deployments and Services validate against the Kubernetes schema (kubernetes-models)", async () => {
        const { Deployment } = await import("kubernetes-models/apps/v1/Deployment");
        const { Service } = await import("kubernetes-models/v1/Service");
        new Deployment(buildRasaDeployment(INPUT)).validate();
        new Deployment(buildRasaActionsDeployment(INPUT)).validate();
        new Service(buildRasaService("rasa", RASA_PORT, "llm-serving")).validate();
        const bad = buildRasaDeployment(INPUT) as unknown as { spec: { replicas: unknown } };
        bad.spec.replicas = "two";
        assert.throws(() => new Deployment(bad as never).validate());
    });

    it("scales both by config, probes both, fetches the model first, and gives the action server the key by Secret reference only", () => {
        const server = buildRasaDeployment(INPUT);
        const actions = buildRasaActionsDeployment(INPUT);
        assert.deepEqual([server.spec!.replicas, actions.spec!.replicas], [1, 1]);
        assert.deepEqual(server.spec!.template.spec!.nodeSelector, { "llm-serving.dev/pool": "system" });
        assert.equal(server.spec!.template.spec!.tolerations, undefined, "no toleration where the nodes have no taint");
        const pod = server.spec!.template.spec!;
        assert.equal(pod.initContainers![0].command!.at(-1), INPUT.modelUrl);
        assert.deepEqual(pod.containers[0].args!.slice(0, 3), ["run", "--model", "/app/models/model.tar.gz"]);
        assert.ok(!pod.containers[0].args!.includes("--enable-api"), "Rasa's HTTP API stays off");
        const c = actions.spec!.template.spec!.containers[0];
        for (const probe of [c.startupProbe, c.readinessProbe, c.livenessProbe, pod.containers[0].livenessProbe]) assert.ok(probe);
        const key = c.env!.find((e: { name: string }) => e.name === "LLM_OPENAI_API_KEY")!;
        assert.deepEqual(key.valueFrom?.secretKeyRef, { name: "llm-api-key", key: "key", optional: false });
        assert.equal(key.value, undefined);
        assert.deepEqual(rasaFileProblems("endpoints.yml", rasaEndpointsYml("rasa-actions.llm-serving.svc.cluster.local")), []);
    });

    it("refuses rasa without a domain, an unpinned image, and a model URL that is not https", () => {
        const base = { region: "us-west-2", instanceTypes: ["inf2.xlarge"], maxNodes: 1, replicas: { min: 1, max: 1 }, image: "123456789012.dkr.ecr.us-west-2.amazonaws.com/x/neuron:1", apiAccessCidrs: ["203.0.113.0/24"] };
        const withDomain = { ...base, domain: "x.example.com", acmCertificateArn: "arn:aws:acm:us-west-2:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0" };
        const rasa = { image: INPUT.image, actionsImage: INPUT.actionsImage, modelUrl: INPUT.modelUrl };
        const msgs = (cfg: object) => (eksInf2Schema.safeParse(cfg).error?.issues ?? []).map((i) => `${i.path.join(".")}: ${i.message}`);
        assert.ok(msgs({ ...base, plaintextHttp: true, rasa }).some((m) => /^rasa: needs domain/.test(m)));
        assert.ok(msgs({ ...withDomain, rasa: { ...rasa, image: "rasa/rasa" } }).some((m) => /^rasa\.image: must be an image reference pinned/.test(m)));
        assert.ok(msgs({ ...withDomain, rasa: { ...rasa, modelUrl: "http://models.example.com/m.tar.gz" } }).some((m) => /^rasa\.modelUrl: must be an https URL/.test(m)));
        assert.deepEqual(msgs({ ...withDomain, rasa }), []);
    });

    it("refuses replicas above 1 (in-memory tracker and lock store), saying what is allowed and why", () => {
        const base = { region: "us-west-2", instanceTypes: ["inf2.xlarge"], maxNodes: 1, replicas: { min: 1, max: 1 }, image: "123456789012.dkr.ecr.us-west-2.amazonaws.com/x/neuron:1", apiAccessCidrs: ["203.0.113.0/24"], domain: "x.example.com", acmCertificateArn: "arn:aws:acm:us-west-2:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0" };
        const rasa = { image: INPUT.image, actionsImage: INPUT.actionsImage, modelUrl: INPUT.modelUrl };
        const msgs = (cfg: object) => (eksInf2Schema.safeParse(cfg).error?.issues ?? []).map((i) => `${i.path.join(".")}: ${i.message}`);
        const two = msgs({ ...base, rasa: { ...rasa, replicas: 2 } });
        assert.ok(two.some((m) => /^rasa\.replicas: must be 1 \(allowed: 1\): .*InMemoryLockStore.*not built/.test(m)), two.join("\n"));
        assert.deepEqual(msgs({ ...base, rasa: { ...rasa, replicas: 1 } }), []);
        assert.deepEqual(msgs({ ...base, rasa }), [], "the default is 1");
    });

    it("refuses a model URL carrying a credential (userinfo, S3 presign, SAS sig, token), without echoing it", () => {
        const base = { region: "us-west-2", instanceTypes: ["inf2.xlarge"], maxNodes: 1, replicas: { min: 1, max: 1 }, image: "123456789012.dkr.ecr.us-west-2.amazonaws.com/x/neuron:1", apiAccessCidrs: ["203.0.113.0/24"], domain: "x.example.com", acmCertificateArn: "arn:aws:acm:us-west-2:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0" };
        const rasa = { image: INPUT.image, actionsImage: INPUT.actionsImage };
        const secrets = [
            "https://user:hunter2@models.example.com/m.tar.gz",
            "https://bucket.s3.amazonaws.com/m.tar.gz?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=deadbeef",
            "https://acct.blob.core.windows.net/c/m.tar.gz?sv=2022-11-02&sig=abc%3D",
            "https://models.example.com/m.tar.gz?token=abc",
        ];
        for (const url of secrets) {
            assert.ok(modelUrlCredential(url), url);
            const issues = eksInf2Schema.safeParse({ ...base, rasa: { ...rasa, modelUrl: url } }).error?.issues ?? [];
            const m = issues.find((i) => i.path.join(".") === "rasa.modelUrl");
            assert.ok(m && /without credentials/.test(m.message), url);
            assert.ok(!JSON.stringify(issues).includes(url), "the URL (a credential) is not echoed");
        }
        // Negative controls: a public URL, also with a harmless query, passes.
        for (const url of ["https://models.example.com/m.tar.gz", "https://models.example.com/m.tar.gz?version=3"]) {
            assert.equal(modelUrlCredential(url), undefined, url);
            assert.equal(eksInf2Schema.safeParse({ ...base, rasa: { ...rasa, modelUrl: url } }).success, true, url);
        }
    });

    it("admits the action server's webhook only from the Rasa server's pods (NetworkPolicy, schema-valid)", async () => {
        const { NetworkPolicy } = await import("kubernetes-models/networking.k8s.io/v1/NetworkPolicy");
        const np = buildRasaActionsNetworkPolicy("llm-serving");
        new NetworkPolicy(np).validate();
        const actions = buildRasaActionsDeployment(INPUT).spec!.template.metadata!.labels!;
        const server = buildRasaDeployment(INPUT).spec!.template.metadata!.labels!;
        const selects = (sel: Record<string, string>, podLabels: Record<string, string>) => Object.entries(sel).every(([k, v]) => podLabels[k] === v);
        assert.ok(selects(np.spec!.podSelector!.matchLabels!, actions), "applies to the action server");
        assert.ok(!selects(np.spec!.podSelector!.matchLabels!, server), "not to the Rasa server");
        const from = np.spec!.ingress![0].from![0].podSelector!.matchLabels!;
        assert.ok(selects(from, server), "admits the Rasa server");
        assert.ok(!selects(from, actions), "and not the action server's own pods (nor any other)");
        assert.deepEqual(np.spec!.ingress![0].ports, [{ protocol: "TCP", port: 5055 }]);
        assert.deepEqual(np.spec!.policyTypes, ["Ingress"]);
        const bad = { ...np, spec: { ...np.spec, podSelector: "all" } };
        assert.throws(() => new NetworkPolicy(bad as never).validate());
    });

    it("places both Deployments where the target says, tolerations included", () => {
        const aks = { ...INPUT, placement: { namespace: "llm", nodeSelector: { agentpool: "rasa" }, tolerations: [{ key: "llm-serving/rasa", operator: "Exists" as const, effect: "NoSchedule" as const }] } };
        for (const d of [buildRasaDeployment(aks), buildRasaActionsDeployment(aks)]) {
            assert.equal(d.metadata!.namespace, "llm");
            assert.deepEqual(d.spec!.template.spec!.nodeSelector, { agentpool: "rasa" });
            assert.deepEqual(d.spec!.template.spec!.tolerations, aks.placement.tolerations);
        }
    });

    it("writes the token into the guard's snippet only when nothing in it can escape the quotes", () => {
        assert.equal(rasaTokenSnippet("abc-123_x"), 'set $rasa_token "abc-123_x";\n');
        assert.throws(() => rasaTokenSnippet("a$b"));
        assert.throws(() => rasaTokenSnippet('x"; return 200; #'));
    });
});

describe("eksInf2 rasa: the guard's webhook location under the real nginx", () => {
    let guard: LocationUnderNginx | undefined;
    let seen: SeenRequest[] = [];
    let port = 0;
    const TOKEN = "rasaToken0123456789";

    before(async function () {
        if (!hasNginx()) this.skip();
        guard = await startLocationUnderNginx({
            prefix: "rasa-guard-",
            contentType: "application/json",
            body: '[{"recipient_id":"u","text":"hi"}]',
            locationFor: (dir, upstreamPort) => {
                fs.mkdirSync(path.join(dir, "token"));
                fs.writeFileSync(path.join(dir, "token", RASA_TOKEN_FILE), rasaTokenSnippet(TOKEN));
                return rasaLocation("127.0.0.1").replace(`:${RASA_PORT};`, `:${upstreamPort};`).replace(RASA_TOKEN_DIR, path.join(dir, "token"));
            },
        });
        ({ port, seen } = guard);
    });

    after(async () => {
        await guard?.stop();
    });

    function post(p: string, headers: Record<string, string>): Promise<number> {
        return new Promise((resolve, reject) => {
            const req = http.request({ host: "127.0.0.1", port, path: p, method: "POST", headers: { "Content-Type": "application/json", ...headers } }, (res) => {
                res.resume();
                resolve(res.statusCode ?? 0);
            });
            req.on("error", reject);
            req.end('{"sender":"u","message":"hi"}');
        });
    }

    it("refuses the webhook without the Rasa token or with the model's key, and every other Rasa route", async () => {
        assert.equal(await post("/webhooks/rest/webhook", {}), 401);
        assert.equal(await post("/webhooks/rest/webhook", { Authorization: "Bearer sk-model-key" }), 401);
        assert.equal(await post("/model", { Authorization: `Bearer ${TOKEN}` }), 403);
        assert.equal(await post("/webhooks/rest/", { Authorization: `Bearer ${TOKEN}` }), 403);
        assert.equal(seen.length, 0);
    });

    it("forwards the webhook with the token, the token not passed on to Rasa", async () => {
        assert.equal(await post("/webhooks/rest/webhook", { Authorization: `Bearer ${TOKEN}` }), 200);
        assert.deepEqual(seen, [{ url: "/webhooks/rest/webhook", authorization: undefined }]);
    });
});

describe("eksInf2 rasa and chat UI in the showcase stack's plan", () => {
    it("registers the guard with both locations and both Secret mounts (a failed apply would drop it without an error)", async () => {
        let out = "";
        const code = await main(["--stack", "showcase", "--json"], (s) => (out += s), () => undefined);
        assert.equal(code, EXIT.ok);
        const report = JSON.parse(out) as { resources: Array<{ type: string; name?: string; urn: string; inputs?: Record<string, unknown> }> };
        const named = (type: string, suffix: string) => report.resources.filter((r) => r.type === type && r.urn.endsWith(`::${suffix}`));
        assert.equal(named("kubernetes:apps/v1:Deployment", "eks-inf2-front").length, 1);
        assert.equal(named("kubernetes:core/v1:Secret", "eks-inf2-rasa-token").length, 1);
        assert.equal(named("kubernetes:core/v1:Secret", "eks-inf2-chat-users").length, 1);
        const conf = JSON.stringify(named("kubernetes:core/v1:ConfigMap", "eks-inf2-front-conf")[0]);
        assert.match(conf, /location \/chat\//);
        assert.match(conf, /location = \/webhooks\/rest\/webhook/);
    });
});
