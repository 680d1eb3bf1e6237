import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import metricsData from "../../components/observability/metrics.data.json";
import { APP_MODULE, serveAppSource } from "../../targets/eksInf2/rayService";
import { scratchDir } from "../helpers/scratch";

/** The Ray venv .ci/run installs (rayServe.conformance.ts's RAY_VENV; not imported, which would run that suite too). */
const RAY_VENV = path.resolve(__dirname, "..", "..", ".venv-ray");

/**
 * The eksInf2 Serve app's metrics relay under a real Python (the Ray venv: the module imports Ray
 * Serve, httpx and Starlette): it shows the local engine's /metrics on the pod network and nothing
 * else, and fails the scrape (503, so `up` is 0) when the engine does not answer. The engine is a
 * stand-in on loopback that also serves a route the relay must not expose.
 */
const DRIVER = `
import importlib, json, sys, threading, urllib.error, urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
sys.path.insert(0, sys.argv[1])
app = importlib.import_module(sys.argv[2])

class Engine(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"# TYPE vllm:num_requests_waiting gauge\\nvllm:num_requests_waiting 3.0\\n" if self.path == "/metrics" else b"engine route"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass

engine = ThreadingHTTPServer(("127.0.0.1", 0), Engine)
threading.Thread(target=engine.serve_forever, daemon=True).start()
upstream = "http://127.0.0.1:%d" % engine.server_address[1]
relay = app.start_metrics_relay(0, upstream)
base = "http://127.0.0.1:%d" % relay.server_address[1]

def get(url, method="GET"):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method=method), timeout=5) as r:
            return {"status": r.status, "body": r.read().decode(), "type": r.headers.get("Content-Type")}
    except urllib.error.HTTPError as e:
        return {"status": e.code}

out = {
    "engineDirect": get(upstream + "/v1/models"),
    "metrics": get(base + "/metrics"),
    "metricsQuery": get(base + "/metrics?x=1"),
    "v1": get(base + "/v1/models"),
    "health": get(base + "/health"),
    "post": get(base + "/metrics", "POST"),
}
engine.shutdown()
engine.server_close()
out["engineDown"] = get(base + "/metrics")
relay.shutdown()
print("REPORT " + json.dumps(out))
`;

describe("conformance: the eksInf2 Serve app relays only the engine's /metrics", function () {
    this.timeout(120_000);
    let report: Record<string, { status: number; body?: string; type?: string }>;
    before(function () {
        const python = [process.env.LLM_SERVING_RAY_PYTHON, path.join(RAY_VENV, "bin", "python")].find((p) => p && fs.existsSync(p));
        if (!python) throw new Error(`no Ray venv at ${RAY_VENV}: run .ci/run`);
        const dir = scratchDir("relay-");
        fs.writeFileSync(path.join(dir, `${APP_MODULE}.py`), serveAppSource("/health"));
        fs.writeFileSync(path.join(dir, "driver.py"), DRIVER);
        const run = spawnSync(python, [path.join(dir, "driver.py"), dir, APP_MODULE], { encoding: "utf8", timeout: 90_000, env: { ...process.env, RAY_USAGE_STATS_ENABLED: "0" } });
        const line = run.stdout.split("\n").find((l) => l.startsWith("REPORT "));
        assert.ok(line, `driver said nothing: ${run.stderr.slice(-2000)}`);
        report = JSON.parse(line.slice("REPORT ".length));
    });

    it("GET /metrics is the engine's exposition, with its content type", () => {
        assert.equal(report.metrics.status, 200);
        assert.match(report.metrics.body!, /^vllm:num_requests_waiting 3\.0$/m);
        assert.match(report.metrics.type!, /^text\/plain; version=0\.0\.4/);
        assert.equal(report.metricsQuery.status, 200);
    });

    it("every other route and method is refused (negative control: the engine itself serves /v1/models)", () => {
        assert.equal(report.engineDirect.status, 200);
        assert.equal(report.v1.status, 404);
        assert.equal(report.health.status, 404);
        assert.equal(report.post.status, 501);
    });

    it("a scrape fails (503, up 0) when the engine does not answer", () => assert.equal(report.engineDown.status, 503));
});

/**
 * metrics.data.json's Ray Serve gauges, re-read from the Ray the conformance tier installs (the
 * pinned ray==2.58.0): the files hash as recorded, and each gauge is declared there as a Gauge.
 */
describe("conformance: Ray Serve's metric names from the installed Ray's source", function () {
    this.timeout(60_000);
    it("each recorded gauge is declared as a Gauge in the recorded file, whose sha256 matches", () => {
        const data = metricsData;
        const python = [process.env.LLM_SERVING_RAY_PYTHON, path.join(RAY_VENV, "bin", "python")].find((p) => p && fs.existsSync(p));
        if (!python) throw new Error(`no Ray venv at ${RAY_VENV}: run .ci/run`);
        const probe = spawnSync(python, ["-c", "import os, ray; print(ray.__version__); print(os.path.dirname(ray.__file__))"], { encoding: "utf8", timeout: 60_000 });
        const [version, rayDir] = probe.stdout.trim().split("\n");
        assert.equal(version, data.ray.version);
        for (const p of data.ray.provenance) {
            const text = fs.readFileSync(path.join(rayDir, p.path.replace(/^python\/ray\//, "")), "utf8");
            assert.equal(createHash("sha256").update(text).digest("hex"), p.sha256, p.path);
            for (const name of p.declares) {
                assert.ok(data.ray.gauges.includes(name), name);
                assert.match(text, new RegExp(`metrics\\.Gauge\\(\\s*"${name}"`), `${name} is not a Gauge in ${p.path}`);
            }
            // Negative control: a counter of the same file is not declared as a Gauge.
            assert.doesNotMatch(text, /metrics\.Gauge\(\s*"serve_deployment_request_counter"/);
        }
    });
});
