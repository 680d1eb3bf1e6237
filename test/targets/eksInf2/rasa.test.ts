import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { rasaFileProblems, rasaEndpointsYml } from "../../../components/rasa/files";
import { EXIT, main } from "../../../plan/cli";
import { eksInf2Schema } from "../../../targets/eksInf2/config";
import { buildRasaActionsDeployment, buildRasaDeployment, buildRasaService, RASA_PORT, RASA_TOKEN_DIR, RASA_TOKEN_FILE, rasaLocation, rasaTokenSnippet } from "../../../targets/eksInf2/rasa";

const INPUT = {
    image: "rasa/rasa:3.6.20",
    actionsImage: "123456789012.dkr.ecr.us-west-2.amazonaws.com/llm-serving/rasa-actions:sdk3.6.2",
    modelUrl: "https://models.example.com/rasa/assistant.tar.gz",
    replicas: 2,
    openAiBaseUrl: "http://llm-serve-svc.llm-serving.svc.cluster.local:8000/v1",
    model: "mistral-7b",
    apiKey: { name: "llm-api-key", key: "key" },
};

describe("eksInf2 rasa: objects and config", () => {
    it("Deployments and Services validate against the Kubernetes schema (kubernetes-models)", async () => {
        const { Deployment } = await import("kubernetes-models/apps/v1/Deployment");
        const { Service } = await import("kubernetes-models/v1/Service");
        new Deployment(buildRasaDeployment(INPUT)).validate();
        new Deployment(buildRasaActionsDeployment(INPUT)).validate();
        new Service(buildRasaService("rasa", RASA_PORT)).validate();
        const bad = buildRasaDeployment(INPUT) as unknown as { spec: { replicas: unknown } };
        bad.spec.replicas = "two";
        assert.throws(() => new Deployment(bad as never).validate());
    });

    it("scales both by config, probes both, fetches the model first, and gives the action server the key by Secret reference only", () => {
        const server = buildRasaDeployment(INPUT);
        const actions = buildRasaActionsDeployment(INPUT);
        assert.deepEqual([server.spec!.replicas, actions.spec!.replicas], [2, 2]);
        const pod = server.spec!.template.spec!;
        assert.equal(pod.initContainers![0].command!.at(-1), INPUT.modelUrl);
        assert.deepEqual(pod.containers[0].args!.slice(0, 3), ["run", "--model", "/app/models/model.tar.gz"]);
        assert.ok(!pod.containers[0].args!.includes("--enable-api"), "Rasa's HTTP API stays off");
        const c = actions.spec!.template.spec!.containers[0];
        for (const probe of [c.startupProbe, c.readinessProbe, c.livenessProbe, pod.containers[0].livenessProbe]) assert.ok(probe);
        const key = c.env!.find((e) => e.name === "LLM_OPENAI_API_KEY")!;
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

    it("writes the token into the guard's snippet only when nothing in it can escape the quotes", () => {
        assert.equal(rasaTokenSnippet("abc-123_x"), 'set $rasa_token "abc-123_x";\n');
        assert.throws(() => rasaTokenSnippet("a$b"));
        assert.throws(() => rasaTokenSnippet('x"; return 200; #'));
    });
});

describe("eksInf2 rasa: the guard's webhook location under the real nginx", () => {
    const hasNginx = spawnSync("nginx", ["-v"]).status === 0;
    let dir = "";
    let nginx: ReturnType<typeof spawn> | undefined;
    let upstream: http.Server;
    const seen: Array<{ url: string; authorization?: string }> = [];
    let port = 0;
    const TOKEN = "rasaToken0123456789";

    before(async function () {
        if (!hasNginx) this.skip();
        upstream = http.createServer((req, res) => {
            seen.push({ url: req.url ?? "", authorization: req.headers.authorization });
            res.writeHead(200, { "Content-Type": "application/json" }).end('[{"recipient_id":"u","text":"hi"}]');
        });
        await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
        const upstreamPort = (upstream.address() as AddressInfo).port;
        const probe = http.createServer();
        await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
        port = (probe.address() as AddressInfo).port;
        await new Promise<void>((r) => probe.close(() => r()));
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "rasa-guard-"));
        fs.mkdirSync(path.join(dir, "token"));
        fs.writeFileSync(path.join(dir, "token", RASA_TOKEN_FILE), rasaTokenSnippet(TOKEN));
        const location = rasaLocation("127.0.0.1").replace(`:${RASA_PORT};`, `:${upstreamPort};`).replace(RASA_TOKEN_DIR, path.join(dir, "token"));
        const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((t) => `${t}_temp_path ${dir}/${t};`).join(" ");
        fs.writeFileSync(path.join(dir, "nginx.conf"), `user root; pid ${dir}/nginx.pid; error_log ${dir}/error.log; events {} http { access_log off; ${temp}\nserver { listen 127.0.0.1:${port};\n${location}    location / { return 403; }\n} }\n`);
        const t = spawnSync("nginx", ["-t", "-p", `${dir}/`, "-c", `${dir}/nginx.conf`, "-e", `${dir}/error.log`], { encoding: "utf8" });
        assert.equal(t.status, 0, t.stderr);
        nginx = spawn("nginx", ["-p", `${dir}/`, "-c", `${dir}/nginx.conf`, "-e", `${dir}/error.log`, "-g", "daemon off;"], { stdio: "ignore" });
        for (let i = 0; i < 50; i++) {
            if ((await post("/", {}).catch(() => 0)) === 403) return;
            await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error("nginx did not start");
    });

    after(async () => {
        nginx?.kill("SIGTERM");
        if (upstream) await new Promise<void>((r) => upstream.close(() => r()));
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
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
