import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RASA_TOKEN_DIR, RASA_TOKEN_FILE, rasaLocation, rasaTokenSnippet } from "../../../components/k8s/rasa";
import { routeGuardConfigMap, modelServerDeployment } from "../../../components/k8s/modelServer";
import { ROUTE_GUARD_TEMPLATE_FILE } from "../../../components/k8s/routeGuard";
import { EXIT, main } from "../../../plan/cli";
import { aksGpuSchema } from "../../../targets/aksGpu/config";
import { aksRasaPlacement, aksRasaSchema, RASA_POOL_TAINT, rasaPoolSpec, withRasaTokenInGuard } from "../../../targets/aksGpu/rasa";

const RASA = { image: "rasa/rasa:3.6.20", actionsImage: "llmshowcase.azurecr.io/llm-serving/rasa-actions:sdk3.6.2", modelUrl: "https://models.example.com/rasa/a.tar.gz" };

function showcase(): Promise<{ resources: Array<{ type: string; urn: string; inputs?: Record<string, unknown> }> }> {
    let out = "";
    return main(["--stack", "showcase", "--json"], (s) => (out += s), () => undefined).then((code) => {
        assert.equal(code, EXIT.ok);
        return JSON.parse(out);
    });
}

describe("aksGpu rasa: pool, placement, config", () => {
    it("a bounded, tainted User pool of the Azure plan's sizes, and Rasa's pods tolerate exactly its taint", () => {
        const cfg = aksRasaSchema.parse(RASA);
        const pool = rasaPoolSpec(cfg);
        assert.deepEqual([pool.mode, pool.vmSize, pool.enableAutoScaling, pool.minCount, pool.maxCount], ["User", "Standard_D4s_v5", true, 1, 1]);
        assert.deepEqual(pool.nodeTaints, ["llm-serving/rasa=present:NoSchedule"]);
        const placement = aksRasaPlacement("llm");
        assert.deepEqual(placement.nodeSelector, pool.nodeLabels, "the pods select the pool's label");
        const t = placement.tolerations![0];
        assert.equal(`${t.key}=${t.value}:${t.effect}`, pool.nodeTaints[0]);
        assert.notEqual(t.key, "CriticalAddonsOnly", "not the system pool's taint");
        assert.equal(rasaPoolSpec(aksRasaSchema.parse({ ...RASA, vmSize: "Standard_B2s", maxNodes: 3 })).maxCount, 3);
        // Negative controls: other sizes and unbounded pools are refused.
        assert.equal(aksRasaSchema.safeParse({ ...RASA, vmSize: "Standard_D64s_v5" }).success, false);
        assert.equal(aksRasaSchema.safeParse({ ...RASA, maxNodes: 4 }).success, false);
        assert.ok(RASA_POOL_TAINT.effect === "NoSchedule");
    });

    it("refuses rasa without a domain, two replicas, and a model URL with a credential (the shared schema)", () => {
        const base = { location: "eastus", apiServerAuthorizedRanges: ["203.0.113.0/24"], serverKind: "llamacpp", nodes: { min: 1, max: 1 }, replicas: 1 };
        const withDomain = { ...base, domain: "aks.example.com", acme: { email: "a@example.com", azureDnsZoneId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/dns/providers/Microsoft.Network/dnsZones/example.com" } };
        const msgs = (cfg: object) => (aksGpuSchema.safeParse(cfg).error?.issues ?? []).map((i) => `${i.path.join(".")}: ${i.message}`);
        assert.deepEqual(msgs({ ...withDomain, rasa: RASA }), [], "the control passes");
        assert.ok(msgs({ ...base, plaintextHttp: true, rasa: RASA }).some((m) => /^rasa: needs domain/.test(m)));
        assert.ok(msgs({ ...withDomain, rasa: { ...RASA, replicas: 2 } }).some((m) => /^rasa\.replicas: must be 1/.test(m)));
        assert.ok(msgs({ ...withDomain, rasa: { ...RASA, modelUrl: "https://a.blob.core.windows.net/c/m.tar.gz?sv=1&sig=x" } }).some((m) => /^rasa\.modelUrl: must be a public https URL without credentials/.test(m)));
    });

    it("mounts the token Secret in the guard only, and the Deployment stays schema-valid", async () => {
        const { Deployment } = await import("kubernetes-models/apps/v1/Deployment");
        const workload = {
            name: "model-server",
            namespace: "llm",
            server: { image: "vllm/vllm-openai:v0.9.1", args: [], port: 8000, healthPath: "/health", loadSeconds: 600, secretEnv: { apiKey: "VLLM_API_KEY", hfToken: "HF_TOKEN" } },
            replicas: 1,
            resources: { cpu: "1", memory: "1Gi", memoryLimit: "2Gi" },
            secretName: "model-server-secrets",
            hfToken: false,
            tlsSecretName: "tls",
        } as unknown as Parameters<typeof modelServerDeployment>[0];
        const d = withRasaTokenInGuard(modelServerDeployment(workload), "rasa-token");
        new Deployment(d).validate();
        const pod = d.spec!.template.spec!;
        const guard = pod.containers.find((c) => c.name === "route-guard")!;
        assert.ok(guard.volumeMounts!.some((m) => m.name === "rasa-token" && m.mountPath === RASA_TOKEN_DIR && m.readOnly));
        for (const c of pod.containers.filter((c) => c.name !== "route-guard")) assert.ok(!(c.volumeMounts ?? []).some((m) => m.name === "rasa-token"), c.name);
        assert.deepEqual(pod.volumes!.find((v) => v.name === "rasa-token")!.secret, { secretName: "rasa-token", defaultMode: 0o440 });
        assert.equal(pod.securityContext?.fsGroup, 101, "nginx's group can read the 0440 file");
        const noGuard = { ...d, spec: { ...d.spec!, template: { ...d.spec!.template, spec: { ...pod, containers: pod.containers.filter((c) => c.name !== "route-guard") } } } };
        assert.throws(() => withRasaTokenInGuard(noGuard, "rasa-token"), /no route-guard/);
    });
});

describe("aksGpu rasa: the sidecar guard's config under the real nginx", () => {
    const hasNginx = spawnSync("nginx", ["-v"]).status === 0;
    it("nginx -t accepts the guard with the Rasa location (static upstream, no resolver), and refuses it without the token file", function () {
        if (!hasNginx) this.skip();
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aks-rasa-guard-"));
        try {
            const conf = routeGuardConfigMap(
                { name: "m", namespace: "llm", server: { port: 8000 } as never },
                rasaLocation("127.0.0.1", true).replace(RASA_TOKEN_DIR, path.join(dir, "token")),
            ).data![ROUTE_GUARD_TEMPLATE_FILE]!.replace(/\$\{[A-Z_]+\}/g, "k3y");
            assert.doesNotMatch(conf, /\$rasa_upstream/, "no variable upstream: this guard has no resolver");
            const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((t) => `${t}_temp_path ${dir}/${t};`).join(" ");
            fs.writeFileSync(path.join(dir, "nginx.conf"), `pid ${dir}/nginx.pid; error_log ${dir}/error.log; events {} http { access_log off; ${temp}\n${conf.replace(/listen\s+(\d+)/g, "listen 127.0.0.1:$1")}\n}\n`);
            const t = () => spawnSync("nginx", ["-t", "-p", `${dir}/`, "-c", `${dir}/nginx.conf`, "-e", `${dir}/error.log`], { encoding: "utf8" });
            const missing = t();
            assert.notEqual(missing.status, 0, "without the token file nginx refuses to start");
            fs.mkdirSync(path.join(dir, "token"));
            fs.writeFileSync(path.join(dir, "token", RASA_TOKEN_FILE), rasaTokenSnippet("aksRasaToken0123"));
            const ok = t();
            assert.equal(ok.status, 0, ok.stderr);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("aksGpu rasa in the showcase stack's plan", () => {
    it("the Rasa pool, both Deployments on it, the guard's webhook location and token mount, the in-cluster model Service", async () => {
        const report = await showcase();
        const named = (type: string, suffix: string) => report.resources.filter((r) => r.type === type && r.urn.endsWith(`::${suffix}`));
        assert.equal(named("azure-native:containerservice:AgentPool", "aks-gpu-rasa-pool").length, 1);
        for (const d of ["aks-gpu-rasa", "aks-gpu-rasa-actions"]) {
            const dep = JSON.stringify(named("kubernetes:apps/v1:Deployment", d)[0]);
            assert.match(dep, /"llm-serving\/pool":"rasa"/, d);
            assert.match(dep, /"key":"llm-serving\/rasa"/, d);
        }
        const actions = JSON.stringify(named("kubernetes:apps/v1:Deployment", "aks-gpu-rasa-actions")[0]);
        assert.match(actions, /http:\/\/model-server-internal\.[a-z0-9-]+\.svc\.cluster\.local:\d+\/v1/);
        assert.equal(named("kubernetes:core/v1:Service", "aks-gpu-internal-service").length, 1);
        assert.equal(named("kubernetes:networking.k8s.io/v1:NetworkPolicy", "aks-gpu-rasa-actions").length, 1);
        const guard = JSON.stringify(named("kubernetes:core/v1:ConfigMap", "aks-gpu-route-guard")[0]);
        assert.match(guard, /location = \/webhooks\/rest\/webhook/);
        const model = JSON.stringify(named("kubernetes:apps/v1:Deployment", "aks-gpu-deployment")[0]);
        assert.match(model, /"secretName":"rasa-token"/);
        // Negative control: eksInf2's guard is a separate Deployment; the aksGpu token secret is its own.
        assert.equal(named("kubernetes:core/v1:Secret", "aks-gpu-rasa-token").length, 1);
    });
});
