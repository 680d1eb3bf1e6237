import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { parse } from "yaml";
import { APP_MODULE, RAY_VERSION } from "../../targets/eksInf2/rayService";
import { conformancePlans } from "./plans";
import { PROJECT_DIR } from "./upstream";
import { scratchDir } from "../helpers/scratch";

/**
 * The eksInf2 Serve application, as planned (the ConfigMap's Python module and the RayService's
 * serveConfigV2 arguments), run under the Ray on this machine with a stand-in for vLLM's server:
 * while the engine is loading the application must not be RUNNING and the Serve proxy must not
 * answer the model's routes; once the engine answers it must be; when the engine stops answering
 * the replica must fail its health check. A copy of the application with the old load-time grace
 * window (the constructor returns at once) runs beside it as the negative control.
 *
 * Ray here is 2.58.0 (the local wheel index); the image runs RAY_VERSION (2.46.0). The APIs the
 * app uses (serve.deployment, async constructors, check_health) exist in both.
 */

/** Where .ci/run installs Ray Serve (a virtual environment, git-ignored). */
export const RAY_VENV = path.join(PROJECT_DIR, ".venv-ray");

function rayPython(): { python: string; version: string } {
    const candidates = [process.env.LLM_SERVING_RAY_PYTHON, path.join(RAY_VENV, "bin", "python"), "python3"].filter((c): c is string => !!c);
    for (const python of candidates) {
        const probe = spawnSync(python, ["-c", "import ray, ray.serve, httpx, starlette; print(ray.__version__)"], { encoding: "utf8", timeout: 60_000 });
        if (probe.status === 0) return { python, version: probe.stdout.trim() };
    }
    throw new Error(`Ray Serve is not installed for any of ${candidates.join(", ")}: run .ci/run, which installs ray==2.58.0 with Serve's dependencies into ${RAY_VENV}`);
}

/**
 * A free loopback port that neither Ray nor the kernel will hand out while the test runs. A port
 * taken from the kernel (listen on 0) lies in its ephemeral range, where Ray's own processes bind
 * their random gRPC and metrics ports after we release it; Ray's workers take 10002-19999 (its
 * `min_worker_port`/`max_worker_port` defaults). A stand-in engine that loses its port to one of
 * them never answers, and the replica is never polled. So pick between the two ranges, from the
 * kernel's configured ephemeral range rather than an assumed one, and check that it binds.
 */
const RAY_WORKER_PORTS = { min: 10002, max: 19999 };
const takenPorts = new Set<number>();
async function portOutsideRayRanges(): Promise<number> {
    const [ephemeralMin] = fs.readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number);
    const low = RAY_WORKER_PORTS.max + 1;
    const high = Math.min(ephemeralMin - 1, 65535);
    assert.ok(high - low > 100, `no room between Ray's worker ports and the ephemeral range (starts at ${ephemeralMin})`);
    for (let attempt = 0; attempt < 50; attempt++) {
        const port = low + Math.floor(Math.random() * (high - low));
        if (takenPorts.has(port) || !(await binds(port))) continue;
        takenPorts.add(port);
        return port;
    }
    throw new Error(`no free port between ${low} and ${high}`);
}

function binds(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const server = net.createServer();
        server.once("error", () => resolve(false));
        server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
}

type Sample = Record<string, { status: string; models: number | null; polled: boolean }>;
interface Report {
    ray: string;
    starting: Sample[];
    loading: Sample[];
    ready: Sample[];
    down: Sample[];
    bindFailures: string[];
}

/** The old app: its constructor returns at once and health passes through a load window. */
function withLoadGrace(source: string): string {
    const patched = source.replace("await self._wait_until_ready(float(load_seconds))", "pass  # the old behaviour: ready at once");
    assert.notEqual(patched, source, "the generated app no longer waits in its constructor the way this control expects");
    return patched.replace(
        /async def check_health\(self\):[\s\S]*?(?=\n    async def __call__)/,
        "async def check_health(self):\n        return  # the old behaviour: healthy while loading\n",
    );
}

describe("conformance: the eksInf2 Ray Serve application with a stand-in engine (not healthy until the engine answers)", function () {
    let report: Report;
    let rayVersion: string;

    before(async function () {
        const { python, version } = rayPython();
        rayVersion = version;
        const plans = await conformancePlans();
        const dev = plans.find((p) => p.label === "stack dev")!;
        const configMap = dev.resources.find((r) => r.type === "kubernetes:core/v1:ConfigMap" && r.name.endsWith("-serve-app"))!;
        const source = (configMap.inputs.data as Record<string, string>)[`${APP_MODULE}.py`];
        const rayService = dev.resources.find((r) => r.type === "kubernetes:ray.io/v1:RayService")!;
        const serve = parse(String((rayService.inputs.spec as { serveConfigV2: string }).serveConfigV2)) as {
            applications: Array<{ import_path: string; args: { vllm_args: string[]; port: number; load_seconds: number } }>;
        };
        const app = serve.applications[0];
        assert.equal(app.import_path, `${APP_MODULE}:app`);

        const dir = scratchDir("ray-serve-");
        fs.writeFileSync(path.join(dir, `${APP_MODULE}.py`), source);
        fs.writeFileSync(path.join(dir, "old_serve.py"), withLoadGrace(source));
        const pkg = path.join(dir, "standin", "vllm", "entrypoints", "openai");
        fs.mkdirSync(pkg, { recursive: true });
        for (const d of ["vllm", "vllm/entrypoints", "vllm/entrypoints/openai"]) fs.writeFileSync(path.join(dir, "standin", d, "__init__.py"), "");
        fs.copyFileSync(path.join(__dirname, "rayserve", "standin_engine.py"), path.join(pkg, "api_server.py"));
        const config = {
            dir,
            servePort: await portOutsideRayRanges(),
            loadSeconds: app.args.load_seconds,
            startSeconds: 90,
            loadingWatchSeconds: 12,
            phaseSeconds: 60,
            apps: [
                { name: "llm", module: APP_MODULE, route: "/", vllmArgs: app.args.vllm_args, enginePort: await portOutsideRayRanges() },
                { name: "old", module: "old_serve", route: "/old", vllmArgs: app.args.vllm_args, enginePort: await portOutsideRayRanges() },
            ],
        };
        fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(config));
        try {
            const run = spawnSync(python, [path.join(__dirname, "rayserve", "drive.py"), path.join(dir, "config.json")], {
                encoding: "utf8",
                timeout: 280_000,
                env: { ...process.env, RAY_USAGE_STATS_ENABLED: "0" },
            });
            const line = run.stdout.split("\n").find((l) => l.startsWith("REPORT "));
            assert.ok(line, `the Ray driver reported nothing (status ${run.status}, signal ${run.signal}):\n${run.stderr.slice(-3000)}`);
            report = JSON.parse(line.slice("REPORT ".length)) as Report;
        } finally {
            // Stand-in engines exit with their replica; make sure, by the pids they recorded.
            for (const f of fs.readdirSync(dir).filter((n) => n.startsWith("PID-"))) {
                try {
                    process.kill(Number(f.split("-")[2]), "SIGTERM");
                } catch {
                    /* already gone */
                }
            }
        }
    });

    it(`runs under Ray ${RAY_VERSION} in the image; here under the local Ray (version gap stated)`, () => {
        console.log(`      Ray here: ${rayVersion}; Ray in the image: ${RAY_VERSION}`);
        assert.equal(report.ray, rayVersion);
    });

    it("starts the engine and polls it, but is not RUNNING and serves no model route while the engine loads", () => {
        assert.deepEqual(report.bindFailures, [], "a stand-in engine could not bind its port");
        assert.ok(report.starting.at(-1)!.llm.polled, "the replica never started the stand-in engine");
        for (const s of [...report.starting, ...report.loading]) {
            assert.notEqual(s.llm.status, "RUNNING", JSON.stringify(s));
            assert.notEqual(s.llm.models, 200, JSON.stringify(s));
        }
    });

    it("becomes RUNNING and answers /v1/models once the engine answers", () => {
        const last = report.ready.at(-1)!;
        assert.equal(last.llm.status, "RUNNING", JSON.stringify(report.ready.slice(-3)));
        assert.equal(last.llm.models, 200);
    });

    it("fails its health check when the engine stops answering", () => {
        assert.notEqual(report.down.at(-1)!.llm.status, "RUNNING", JSON.stringify(report.down.slice(-3)));
    });

    it("negative control: the old app (load-time grace) is RUNNING while its engine still loads, and stays RUNNING with a dead engine", () => {
        // Its engine is not READY in these phases: RUNNING here means healthy while loading.
        const loading = [...report.starting, ...report.loading];
        assert.ok(loading.some((s) => s.old.status === "RUNNING"), JSON.stringify(loading.slice(-3)));
        assert.equal(report.down.at(-1)!.old.status, "RUNNING");
    });
});
