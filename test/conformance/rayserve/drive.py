"""Runs the generated Serve application under the local Ray with the stand-in engine and reports,
as JSON, what Serve and its HTTP proxy said in each phase: engine loading, engine ready, engine
down. Loopback only; every wait is bounded. Usage: drive.py <config.json>"""

import json
import os
import sys
import time
import urllib.error
import urllib.request

cfg = json.load(open(sys.argv[1]))
work = cfg["dir"]
os.environ["STANDIN_DIR"] = work
os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
sys.path[:0] = [work]

import ray  # noqa: E402
from ray import serve  # noqa: E402

ray.init(
    num_cpus=2,
    resources={"neuron_cores": 2 * len(cfg["apps"])},
    include_dashboard=False,
    _node_ip_address="127.0.0.1",
    log_to_driver=False,
    runtime_env={"env_vars": {"PYTHONPATH": os.pathsep.join([work, os.path.join(work, "standin")]), "STANDIN_DIR": work}},
)
serve.start(http_options={"host": "127.0.0.1", "port": cfg["servePort"]})

import importlib  # noqa: E402

for app in cfg["apps"]:
    module = importlib.import_module(app["module"])
    bound = module.VllmNeuron.options(
        health_check_period_s=1, health_check_timeout_s=5, ray_actor_options={"num_cpus": 0, "resources": {"neuron_cores": 2}}
    ).bind(app["vllmArgs"], app["enginePort"], cfg["loadSeconds"])
    serve._run(bound, name=app["name"], route_prefix=app["route"], _blocking=False)


def status(name):
    s = serve.status().applications.get(name)
    return s.status.value if s and hasattr(s.status, "value") else (str(s.status) if s else "NONE")


def get(path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{cfg['servePort']}{path}", timeout=5) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except Exception:
        return None


def hits(app):
    return os.path.exists(os.path.join(work, f"HITS-{app['enginePort']}"))


def touch(kind, app):
    open(os.path.join(work, f"{kind}-{app['enginePort']}"), "w").close()


def observe(seconds, until=None):
    """Samples every app's status and its /v1/models answer once a second for `seconds` (or until `until` holds)."""
    samples = []
    deadline = time.time() + seconds
    while time.time() < deadline:
        sample = {a["name"]: {"status": status(a["name"]), "models": get(a["route"].rstrip("/") + "/v1/models"), "polled": hits(a)} for a in cfg["apps"]}
        samples.append(sample)
        if until and until(sample):
            break
        time.sleep(1)
    return samples


report = {"ray": ray.__version__}
# 1. Engines loading: wait until each replica has started its engine and polled it, then watch.
subject = cfg["apps"][0]["name"]  # the app under test; the others are controls, watched alongside
report["starting"] = observe(cfg["startSeconds"], until=lambda s: s[subject]["polled"])
report["bindFailures"] = sorted(n for n in os.listdir(work) if n.startswith("BINDFAIL-"))
report["loading"] = observe(cfg["loadingWatchSeconds"])
# 2. Engines answer.
for a in cfg["apps"]:
    touch("READY", a)
report["ready"] = observe(cfg["phaseSeconds"], until=lambda s: s[subject]["status"] == "RUNNING" and s[subject]["models"] == 200)
# 3. Engines stop answering.
for a in cfg["apps"]:
    touch("DOWN", a)
report["down"] = observe(cfg["phaseSeconds"], until=lambda s: s[subject]["status"] != "RUNNING")
print("REPORT " + json.dumps(report))
serve.shutdown()
ray.shutdown()
