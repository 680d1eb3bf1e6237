import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { hasNginx, LocationUnderNginx, SeenRequest, startLocationUnderNginx } from "../../helpers/nginxLocation";
import { buildChatUiDeployment, buildChatUiService, CHAT_UI_PORT, CHAT_UI_USERS_DIR, CHAT_UI_USERS_FILE, chatUiLocation, htpasswdLine } from "../../../targets/eksInf2/chatUi";
import { proxyConfig } from "../../../targets/eksInf2/proxy";
import { eksInf2Schema } from "../../../targets/eksInf2/config";

const INPUT = {
    image: "123456789012.dkr.ecr.us-west-2.amazonaws.com/llm-serving/chat-ui:gradio5.9.1",
    openAiBaseUrl: "http://llm-serve-svc.llm-serving.svc.cluster.local:8000/v1",
    model: "mistral-7b",
    apiKey: { name: "llm-api-key", key: "key" },
};

describe("eksInf2 chat UI: objects", () => {
    it("Deployment and Service validate against the Kubernetes schema (kubernetes-models)", async () => {
        // ESM-only package: loaded the way the other builder tests load it.
        const { Deployment } = await import("kubernetes-models/apps/v1/Deployment");
        const { Service } = await import("kubernetes-models/v1/Service");
        new Deployment(buildChatUiDeployment(INPUT)).validate();
        new Service(buildChatUiService()).validate();
        // Negative control: the same validator refuses a malformed object.
        const bad = buildChatUiDeployment(INPUT) as unknown as { spec: { replicas: unknown } };
        bad.spec.replicas = "one";
        assert.throws(() => new Deployment(bad as never).validate());
    });

    it("gives the UI the key only by Secret reference, probes it, and serves it inside the cluster only", () => {
        const d = buildChatUiDeployment(INPUT);
        const c = d.spec!.template.spec!.containers[0];
        const key = c.env!.find((e) => e.name === "CHAT_UI_OPENAI_API_KEY")!;
        assert.deepEqual(key.valueFrom?.secretKeyRef, { name: "llm-api-key", key: "key", optional: false });
        assert.equal(key.value, undefined);
        assert.ok(c.startupProbe && c.readinessProbe && c.livenessProbe);
        assert.equal(c.ports![0].containerPort, CHAT_UI_PORT);
        assert.equal(buildChatUiService().spec!.type, "ClusterIP");
    });

    it("is refused without a domain (TLS) or without its pinned image, and the image cannot be latest", () => {
        const base = { region: "us-west-2", instanceTypes: ["inf2.xlarge"], maxNodes: 1, replicas: { min: 1, max: 1 }, image: "123456789012.dkr.ecr.us-west-2.amazonaws.com/x/neuron:1", plaintextHttp: true, apiAccessCidrs: ["203.0.113.0/24"] };
        const msgs = (cfg: object) => (eksInf2Schema.safeParse(cfg).error?.issues ?? []).map((i) => `${i.path.join(".")}: ${i.message}`);
        assert.ok(msgs({ ...base, chatUi: true, chatUiImage: INPUT.image }).some((m) => /^chatUi: needs domain/.test(m)));
        const withDomain = { ...base, plaintextHttp: false, domain: "x.example.com", acmCertificateArn: "arn:aws:acm:us-west-2:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0" };
        assert.ok(msgs({ ...withDomain, chatUi: true }).some((m) => /^chatUiImage: is required with chatUi/.test(m)));
        assert.ok(msgs({ ...withDomain, chatUi: true, chatUiImage: "registry.example.com/chat-ui:latest" }).some((m) => /^chatUiImage: must not use the tag latest/.test(m)));
        assert.ok(msgs({ ...withDomain, chatUiImage: INPUT.image }).some((m) => /^chatUiImage: must only be set together with chatUi/.test(m)));
        // Control: the complete block parses.
        assert.deepEqual(msgs({ ...withDomain, chatUi: true, chatUiImage: INPUT.image }), []);
    });

    it("adds its location to the guard before the catch-all, and the guard without it has none", () => {
        const withChat = proxyConfig("llm-serve-svc", 8000, chatUiLocation("llm-chat"));
        assert.ok(withChat.indexOf("location /chat/") < withChat.indexOf("location / {"));
        assert.doesNotMatch(proxyConfig("llm-serve-svc", 8000), /chat/);
    });
    it("tells Gradio the page is HTTPS even where TLS ends at the NLB (else it builds http:// URLs the browser blocks)", () => {
        const location = chatUiLocation("llm-chat");
        assert.match(location, /proxy_set_header X-Forwarded-Proto https;/);
        assert.doesNotMatch(location, /X-Forwarded-Proto \$scheme/);
    });
});

describe("eksInf2 chat UI: the guard's location under the real nginx", () => {
    let guard: LocationUnderNginx | undefined;
    let seen: SeenRequest[] = [];
    let port = 0;
    const PASSWORD = "chat-password-0123456789";

    before(async function () {
        if (!hasNginx()) this.skip();
        guard = await startLocationUnderNginx({
            prefix: "chat-guard-",
            contentType: "text/html",
            body: "<html>gradio stand-in</html>",
            locationFor: (dir, upstreamPort) => {
                fs.mkdirSync(path.join(dir, "users"));
                fs.writeFileSync(path.join(dir, "users", CHAT_UI_USERS_FILE), htpasswdLine("chat", PASSWORD, "salt-0123456789ab"));
                return chatUiLocation("127.0.0.1").replace(`:${CHAT_UI_PORT};`, `:${upstreamPort};`).replace(CHAT_UI_USERS_DIR, path.join(dir, "users"));
            },
        });
        ({ port, seen } = guard);
    });

    after(async () => {
        await guard?.stop();
    });

    function get(p: string, headers: Record<string, string>): Promise<number> {
        return new Promise((resolve, reject) => {
            http.get({ host: "127.0.0.1", port, path: p, headers }, (res) => {
                res.resume();
                resolve(res.statusCode ?? 0);
            }).on("error", reject);
        });
    }
    const basic = (user: string, pw: string) => ({ Authorization: `Basic ${Buffer.from(`${user}:${pw}`).toString("base64")}` });

    it("asks for the chat user's credential, and refuses a wrong one and the model's bearer key", async () => {
        assert.equal(await get("/chat/", {}), 401);
        assert.equal(await get("/chat/", basic("chat", "wrong")), 401);
        assert.equal(await get("/chat/", { Authorization: "Bearer sk-the-model-key" }), 401);
        assert.equal(seen.length, 0, "nothing reached the UI");
    });

    it("forwards the chat user, prefix stripped and the credential not passed on", async () => {
        assert.equal(await get("/chat/gradio_api/info?x=1", basic("chat", PASSWORD)), 200);
        assert.deepEqual(seen.at(-1), { url: "/gradio_api/info?x=1", authorization: undefined });
        // Non-canonical paths are refused before they are forwarded.
        assert.equal(await get("/chat/a/../gradio_api/info", basic("chat", PASSWORD)), 400);
        assert.equal(seen.length, 1, "the refused request never reached the UI");
    });
});
