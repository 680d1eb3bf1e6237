"""A stand-in for vLLM's OpenAI server (`python -m vllm.entrypoints.openai.api_server`), for the Ray
Serve test: it listens where it is told, answers /health 503 while "loading", 200 once the file
READY-<port> exists in $STANDIN_DIR, 500 once DOWN-<port> exists; /v1/models answers like vLLM.
Every /health request touches HITS-<port>, so the test knows the replica started and polled it."""

import argparse
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

parser = argparse.ArgumentParser()
parser.add_argument("--host", default="127.0.0.1")
parser.add_argument("--port", type=int, default=8000)
parser.add_argument("--served-model-name", default="model")
args, _ = parser.parse_known_args()
marker = lambda name: os.path.join(os.environ["STANDIN_DIR"], f"{name}-{args.port}")


class Engine(BaseHTTPRequestHandler):
    def log_message(self, *_):
        pass

    def reply(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/health":
            open(marker("HITS"), "a").close()
            if os.path.exists(marker("DOWN")):
                return self.reply(500, {"error": "engine dead"})
            return self.reply(200 if os.path.exists(marker("READY")) else 503, {})
        if self.path == "/v1/models" and os.path.exists(marker("READY")):
            return self.reply(200, {"object": "list", "data": [{"id": args.served_model_name, "object": "model"}]})
        return self.reply(404 if os.path.exists(marker("READY")) else 503, {"error": self.path})


def watchdog(parent=os.getppid(), started=time.monotonic()):
    """Exit with the replica that started us, and never outlive the test (5 minutes)."""
    while os.getppid() == parent and time.monotonic() - started < 300:
        time.sleep(0.5)
    os._exit(0)


threading.Thread(target=watchdog, daemon=True).start()
open(os.path.join(os.environ["STANDIN_DIR"], f"PID-{args.port}-{os.getpid()}"), "w").close()
try:
    server = ThreadingHTTPServer((args.host, args.port), Engine)
except OSError as e:
    # Say why the replica will never be polled, for the test's report, instead of dying silently.
    with open(marker("BINDFAIL"), "w") as f:
        f.write(str(e))
    raise
server.serve_forever()
