import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";

/** What the stand-in upstream received: the path and any Authorization header the guard forwarded. */
export interface SeenRequest {
    readonly url: string;
    readonly authorization?: string;
}

/** One guard location served by the real nginx on loopback, in front of a stand-in upstream. */
export interface LocationUnderNginx {
    readonly port: number;
    readonly seen: SeenRequest[];
    stop(): Promise<void>;
}

export const hasNginx = (): boolean => spawnSync("nginx", ["-v"]).status === 0;

/**
 * Starts a stand-in upstream answering `body`, then nginx with the location `locationFor` builds
 * (given a scratch folder for the files it reads, and the upstream's port) and a catch-all that
 * answers 403; `nginx -t` must accept the config. Resolves once nginx answers.
 */
export async function startLocationUnderNginx(opts: {
    readonly prefix: string;
    readonly contentType: string;
    readonly body: string;
    readonly locationFor: (dir: string, upstreamPort: number) => string;
}): Promise<LocationUnderNginx> {
    const seen: SeenRequest[] = [];
    const upstream = http.createServer((req, res) => {
        seen.push({ url: req.url ?? "", authorization: req.headers.authorization });
        res.writeHead(200, { "Content-Type": opts.contentType }).end(opts.body);
    });
    await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
    const upstreamPort = (upstream.address() as AddressInfo).port;
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), opts.prefix));
    const location = opts.locationFor(dir, upstreamPort);
    const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((t) => `${t}_temp_path ${dir}/${t};`).join(" ");
    fs.writeFileSync(
        path.join(dir, "nginx.conf"),
        `user root; pid ${dir}/nginx.pid; error_log ${dir}/error.log; events {} http { access_log off; ${temp}\nserver { listen 127.0.0.1:${port};\n${location}    location / { return 403; }\n} }\n`,
    );
    const t = spawnSync("nginx", ["-t", "-p", `${dir}/`, "-c", `${dir}/nginx.conf`, "-e", `${dir}/error.log`], { encoding: "utf8" });
    assert.equal(t.status, 0, t.stderr);
    const nginx = spawn("nginx", ["-p", `${dir}/`, "-c", `${dir}/nginx.conf`, "-e", `${dir}/error.log`, "-g", "daemon off;"], { stdio: "ignore" });
    const stop = async () => {
        nginx.kill("SIGTERM");
        await new Promise<void>((r) => upstream.close(() => r()));
        fs.rmSync(dir, { recursive: true, force: true });
    };
    for (let i = 0; i < 50; i++) {
        if ((await statusOf(port).catch(() => 0)) === 403) return { port, seen, stop };
        await new Promise((r) => setTimeout(r, 100));
    }
    await stop();
    throw new Error("nginx did not start");
}

function statusOf(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
        http.get({ host: "127.0.0.1", port, path: "/" }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
        }).on("error", reject);
    });
}
