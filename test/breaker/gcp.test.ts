// The GCP breaker function (functions/breaker/entry/gcp.ts) against a budget CloudEvent in the
// documented format (test/fixtures/breaker/gcp-budget-forecast-100.json, synthesised, not a live
// record), with fetch stubbed at the REST boundary: a fake Compute + Kubernetes Engine API that
// keeps state, so a second run sees the first one's writes. Also the bundle that ships (run as
// the runtime would load it), the GKE adapter, and the program's GCP breaker under mocks.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { gkePoolAdapter, GkeClusters } from "../../functions/breaker/adapters";
import { breakerBundle } from "../../functions/breaker/bundle";
import { handle } from "../../functions/breaker/handler";
import { parseGcp } from "../../functions/breaker/notification";
import { Fetch, gcpBreakerEnv, GcpBreakerEnv, matchesAutoscalerFilter, METADATA_TOKEN_URL, runGcpBreaker } from "../../functions/breaker/entry/gcp";
import { BREAKER_SOURCE_MAX_MIB } from "../../policies/model/gcp/breaker";

const FIXTURE = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "breaker", "gcp-budget-forecast-100.json"), "utf8")) as { data: { message: { data: string; attributes: Record<string, string> } } };
const NOW = () => new Date("2026-12-02T03:00:00Z");
const ENV: GcpBreakerEnv = { environment: "ha", projects: ["acme-llm-ha"], migRegions: ["us-central1", "us-east1"], gke: true, settings: { forecastPercent: 100, stepToZero: false } };

/** The fixture's event with its notification body changed. */
function eventWith(change: (body: Record<string, unknown>) => void) {
    const body = JSON.parse(Buffer.from(FIXTURE.data.message.data, "base64").toString("utf8")) as Record<string, unknown>;
    change(body);
    return { message: { ...FIXTURE.data.message, data: Buffer.from(JSON.stringify(body)).toString("base64") } };
}

interface Autoscaler {
    name: string;
    autoscalingPolicy: { maxNumReplicas: number; minNumReplicas: number; mode: string };
    description: string;
}

/** A fake of the REST APIs the entry calls; every call recorded. */
function fakeGcp() {
    const desc = (env: string, baseline?: number) => `app=llm-serving environment=${env}${baseline !== undefined ? ` llm-serving-baseline=${baseline}` : ""}`;
    const autoscalers = new Map<string, Autoscaler[]>([
        [
            "acme-llm-ha/us-central1",
            [
                { name: "gcp-spot-l4-autoscaler", autoscalingPolicy: { maxNumReplicas: 2, minNumReplicas: 1, mode: "ON" }, description: desc("ha", 1) },
                { name: "gcp-spot-l4-ondemand-autoscaler", autoscalingPolicy: { maxNumReplicas: 2, minNumReplicas: 1, mode: "ON" }, description: desc("ha", 1) },
                // Another stack's group in the same project, and one of ours without a baseline: never touched.
                { name: "prod-autoscaler", autoscalingPolicy: { maxNumReplicas: 4, minNumReplicas: 1, mode: "ON" }, description: desc("prod", 1) },
                { name: "hand-made-autoscaler", autoscalingPolicy: { maxNumReplicas: 3, minNumReplicas: 1, mode: "ON" }, description: desc("ha") },
            ],
        ],
        ["acme-llm-ha/us-east1", [{ name: "gcp-spot-l4-us-east1-autoscaler", autoscalingPolicy: { maxNumReplicas: 2, minNumReplicas: 1, mode: "ON" }, description: desc("ha", 1) }]],
    ]);
    const cluster = {
        name: "projects/acme-llm-ha/locations/us-central1/clusters/gke-l4",
        resourceLabels: { app: "llm-serving", environment: "ha" } as Record<string, string>,
        labelFingerprint: "fp-1",
        nodePools: [
            { name: "gpu", autoscaling: { enabled: true, totalMinNodeCount: 1, totalMaxNodeCount: 3, locationPolicy: "ANY" } as Record<string, unknown>, config: { resourceLabels: { app: "llm-serving", "llm-serving-baseline": "1" } } },
            { name: "system", autoscaling: { enabled: true, minNodeCount: 1, maxNodeCount: 2 } as Record<string, unknown>, config: { resourceLabels: { app: "llm-serving" } } },
        ],
    };
    const calls: Array<{ method: string; url: string; body?: unknown; auth?: string }> = [];
    const reply = (status: number, body: unknown) => ({ ok: status < 400, status, json: async () => body, text: async () => JSON.stringify(body) });
    const fetchFn: Fetch = async (url, init = {}) => {
        const method = init.method ?? "GET";
        const body = init.body !== undefined ? JSON.parse(init.body) : undefined;
        calls.push({ method, url, body, auth: init.headers?.Authorization });
        if (url === METADATA_TOKEN_URL) return init.headers?.["Metadata-Flavor"] === "Google" ? reply(200, { access_token: "ya29.test", expires_in: 3599 }) : reply(403, {});
        if (init.headers?.Authorization !== "Bearer ya29.test") return reply(401, { error: "no token" });
        let m = /^https:\/\/compute\.googleapis\.com\/compute\/v1\/projects\/([^/]+)\/regions\/([^/]+)\/autoscalers(?:\?autoscaler=(.+))?$/.exec(url);
        if (m) {
            const list = autoscalers.get(`${m[1]}/${m[2]}`) ?? [];
            if (method === "GET") return reply(200, { items: structuredClone(list) });
            const target = list.find((a) => a.name === m![3]);
            if (method === "PATCH" && target) {
                const patch = body as Partial<Autoscaler>;
                Object.assign(target.autoscalingPolicy, patch.autoscalingPolicy ?? {});
                if (patch.description !== undefined) target.description = patch.description;
                return reply(200, { kind: "compute#operation", status: "RUNNING" });
            }
            return reply(404, {});
        }
        if (url === "https://container.googleapis.com/v1/projects/acme-llm-ha/locations/-/clusters") return reply(200, { clusters: [structuredClone(cluster)] });
        m = /^https:\/\/container\.googleapis\.com\/v1\/(.+)\/nodePools\/([^/:]+):setAutoscaling$/.exec(url);
        if (m && method === "POST" && m[1] === cluster.name) {
            const pool = cluster.nodePools.find((p) => p.name === m![2])!;
            pool.autoscaling = (body as { autoscaling: Record<string, unknown> }).autoscaling;
            return reply(200, { status: "RUNNING" });
        }
        if (url === `https://container.googleapis.com/v1/${cluster.name}:setResourceLabels` && method === "POST") {
            const b = body as { resourceLabels: Record<string, string>; labelFingerprint?: string };
            if (b.labelFingerprint !== cluster.labelFingerprint) return reply(409, { error: "stale fingerprint" });
            cluster.resourceLabels = b.resourceLabels;
            cluster.labelFingerprint = `fp-${Number(cluster.labelFingerprint.slice(3)) + 1}`;
            return reply(200, { status: "DONE" });
        }
        if (/^https:\/\/pubsub\.googleapis\.com\/v1\/projects\/[^/]+\/topics\/[^/:]+:publish$/.test(url) && method === "POST") return reply(200, { messageIds: ["1"] });
        return reply(404, { error: `unexpected ${method} ${url}` });
    };
    const writes = () => calls.filter((c) => c.method !== "GET" && c.url !== METADATA_TOKEN_URL);
    return { fetchFn, calls, writes, autoscalers, cluster };
}

describe("breaker on GCP: the function against a budget Pub/Sub CloudEvent, REST stubbed", () => {
    it("the fixture is a schema 1.0 forecast notification at 100% of the ha budget", () => {
        const p = parseGcp(FIXTURE.data);
        assert.deepEqual(p, { ok: true, notification: { cloud: "gcp", budget: "llm-serving ha", forecast: true, thresholdPercent: 100, amount: 4120.37, budgetAmount: 4605, period: "2026-12" } });
    });

    it("reads the Pub/Sub message whether wrapped ({ message: { data } }, the CloudEvent's data) or not ({ data })", () => {
        // Before, the unwrapped shape was refused as malformed.
        assert.deepEqual(parseGcp(FIXTURE.data.message), parseGcp(FIXTURE.data));
        assert.equal(parseGcp(FIXTURE.data.message).ok, true);
        // Negative control: neither shape is still malformed.
        assert.equal(parseGcp({ attributes: {} }).ok, false);
    });

    it("one region's failing list does not skip the others: they step down, then the invocation throws naming the failure", async () => {
        const gcp = fakeGcp();
        const failing: Fetch = async (url, init) => (url.includes("/regions/us-central1/") ? { ok: false, status: 503, json: async () => ({}), text: async () => "unavailable" } : gcp.fetchFn(url, init));
        await assert.rejects(runGcpBreaker(FIXTURE.data, ENV, failing, () => undefined, NOW), /1 group list\(s\) or change\(s\) failed.*us-central1.*503/);
        assert.equal(gcp.autoscalers.get("acme-llm-ha/us-east1")![0].autoscalingPolicy.maxNumReplicas, 1, "us-east1 acted on");
        assert.equal(gcp.cluster.nodePools[0].autoscaling.totalMaxNodeCount, 1, "the GKE pool acted on");
    });

    it("below the threshold (an 80% actual alert, no forecast crossing): groups are read, nothing is written", async () => {
        const gcp = fakeGcp();
        const lines: string[] = [];
        const below = eventWith((b) => {
            b.alertThresholdExceeded = 0.8;
            delete b.forecastThresholdExceeded;
        });
        const outcomes = await runGcpBreaker(below, ENV, gcp.fetchFn, (l) => lines.push(l), NOW);
        assert.ok(outcomes.every((o) => !o.acted));
        assert.deepEqual(gcp.writes(), []);
        assert.ok(gcp.calls.some((c) => c.method === "GET"), "negative control: the groups were listed");
        assert.ok(lines.every((l) => /nothing to do/.test(l)));
    });

    it("at 100% forecast every group of the stack steps to its baseline, state written beside it; other stacks' and unlabelled groups untouched", async () => {
        const gcp = fakeGcp();
        const lines: string[] = [];
        const outcomes = await runGcpBreaker(FIXTURE.data, ENV, gcp.fetchFn, (l) => lines.push(l), NOW);
        const steps = outcomes.flatMap((o) => o.steps).map((s) => `${s.kind} ${s.id.split("/").pop()} ${s.from}->${s.to}`).sort();
        assert.deepEqual(steps, [
            "gcp-mig-autoscaler gcp-spot-l4-autoscaler 2->1",
            "gcp-mig-autoscaler gcp-spot-l4-ondemand-autoscaler 2->1",
            "gcp-mig-autoscaler gcp-spot-l4-us-east1-autoscaler 2->1",
            "gke-node-pool gpu 3->1",
        ]);
        const central = gcp.autoscalers.get("acme-llm-ha/us-central1")!;
        const byName = (n: string) => central.find((a) => a.name === n)!;
        assert.equal(byName("gcp-spot-l4-autoscaler").autoscalingPolicy.maxNumReplicas, 1);
        assert.equal(byName("gcp-spot-l4-autoscaler").autoscalingPolicy.minNumReplicas, 1, "the minimum stays: baseline is the minimum");
        assert.match(byName("gcp-spot-l4-autoscaler").description, /^app=llm-serving environment=ha llm-serving-baseline=1 llm-serving-breaker=tripped-baseline llm-serving-breaker-at=1796180400 llm-serving-breaker-was=2 llm-serving-breaker-threshold=100 llm-serving-breaker-period=2026-12$/);
        assert.equal(byName("prod-autoscaler").autoscalingPolicy.maxNumReplicas, 4);
        assert.equal(byName("hand-made-autoscaler").autoscalingPolicy.maxNumReplicas, 3);
        assert.equal(gcp.autoscalers.get("acme-llm-ha/us-east1")![0].autoscalingPolicy.maxNumReplicas, 1);
        const gpu = gcp.cluster.nodePools.find((p) => p.name === "gpu")!;
        assert.deepEqual(gpu.autoscaling, { enabled: true, totalMinNodeCount: 1, totalMaxNodeCount: 1, locationPolicy: "ANY" });
        assert.equal(gcp.cluster.nodePools.find((p) => p.name === "system")!.autoscaling.maxNodeCount, 2);
        assert.equal(gcp.cluster.resourceLabels["llm-serving-breaker"], "tripped-baseline");
        assert.equal(gcp.cluster.resourceLabels["llm-serving-breaker-was"], "3");
        assert.equal(gcp.cluster.resourceLabels.environment, "ha", "the program's labels are kept");
        // Every API call carried the metadata server's token; the token is never logged.
        assert.ok(gcp.calls.filter((c) => c.url !== METADATA_TOKEN_URL).every((c) => c.auth === "Bearer ya29.test"));
        assert.ok(lines.every((l) => !l.includes("ya29")));
        assert.ok(lines.some((l) => /TRIPPED.*max 3 -> 1.*next pulumi up --refresh restores/.test(l)));
    });

    it("a repeated notification is idempotent: the second run writes nothing", async () => {
        const gcp = fakeGcp();
        await runGcpBreaker(FIXTURE.data, ENV, gcp.fetchFn, () => undefined, NOW);
        const first = gcp.writes().length;
        assert.equal(first, 5, "4 groups lowered and the cluster's labels written");
        const again = await runGcpBreaker(FIXTURE.data, ENV, gcp.fetchFn, () => undefined, NOW);
        assert.ok(again.every((o) => !o.acted));
        assert.equal(gcp.writes().length, first);
    });

    it("a malformed message is logged and ignored: no API call at all, and no throw (so it is acknowledged, never redelivered)", async () => {
        const gcp = fakeGcp();
        const lines: string[] = [];
        for (const bad of [{ message: { data: "%%%not-base64-json" } }, {}, eventWith((b) => (b.budgetAmount = "lots")), null]) {
            const out = await runGcpBreaker(bad, ENV, gcp.fetchFn, (l) => lines.push(l), NOW);
            assert.equal(out.length, 1);
            assert.ok(out[0].ignored);
        }
        assert.deepEqual(gcp.calls, []);
        assert.equal(lines.filter((l) => /ignored a malformed notification/.test(l)).length, 4);
    });

    it("forwards every message, as received, to notifications.gcpPubsubTopic (the budget's one topic is the breaker's)", async () => {
        const gcp = fakeGcp();
        await runGcpBreaker(FIXTURE.data, { ...ENV, forwardTopic: "projects/acme-ops/topics/oncall" }, gcp.fetchFn, () => undefined, NOW);
        const published = gcp.calls.filter((c) => c.url.endsWith(":publish"));
        assert.equal(published.length, 1);
        assert.equal(published[0].url, "https://pubsub.googleapis.com/v1/projects/acme-ops/topics/oncall:publish");
        assert.deepEqual(published[0].body, { messages: [{ data: FIXTURE.data.message.data, attributes: FIXTURE.data.message.attributes }] });
        // Negative control: without the setting nothing is published.
        const quiet = fakeGcp();
        await runGcpBreaker(FIXTURE.data, ENV, quiet.fetchFn, () => undefined, NOW);
        assert.equal(quiet.calls.filter((c) => c.url.endsWith(":publish")).length, 0);
    });

    it("reads its settings from the environment the program sets, and refuses to run without a stack or projects", () => {
        assert.deepEqual(
            gcpBreakerEnv({ LLM_SERVING_ENVIRONMENT: "ha", LLM_SERVING_GCP_PROJECTS: "a-proj, b-proj", LLM_SERVING_GCP_MIG_REGIONS: "us-central1", LLM_SERVING_GCP_GKE: "false", LLM_SERVING_FORECAST_PERCENT: "100", LLM_SERVING_STEP_TO_ZERO: "true" }),
            { environment: "ha", projects: ["a-proj", "b-proj"], migRegions: ["us-central1"], gke: false, settings: { forecastPercent: 100, stepToZero: true } },
        );
        assert.throws(() => gcpBreakerEnv({ LLM_SERVING_ENVIRONMENT: "ha" }), /LLM_SERVING_GCP_PROJECTS/);
    });

    it("matches the adapter's two autoscaler filters on whole key=value words", () => {
        const a = { name: "x", description: "app=llm-serving environment=ha llm-serving-baseline=1" };
        assert.ok(matchesAutoscalerFilter(a, 'description:"environment=ha"'));
        assert.ok(!matchesAutoscalerFilter(a, 'description:"environment=h"'), "a prefix of another stack's name is not a match");
        assert.ok(matchesAutoscalerFilter(a, "name=x"));
        assert.ok(!matchesAutoscalerFilter(a, "name=y"));
        assert.ok(!matchesAutoscalerFilter(a, "zone=us"), "an unknown filter matches nothing");
    });
});

describe("breaker on GCP: the bundle that ships", () => {
    it("is one CommonJS file under the priced bound, exporting breakerGcp, requiring no npm package", () => {
        const code = breakerBundle("gcp");
        assert.ok(Buffer.byteLength(code) < BREAKER_SOURCE_MAX_MIB * 1024 * 1024, `${Buffer.byteLength(code)} bytes`);
        const required = [...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
        assert.ok(required.every((r) => r.startsWith("node:") || ["buffer", "crypto", "util"].includes(r)), `requires ${required.join(", ")}`);
    });

    it("run as the runtime loads it, with the environment and fetch stubbed: trips on the fixture, ignores garbage", async () => {
        const mod = { exports: {} as Record<string, unknown> };
        new Function("module", "exports", "require", breakerBundle("gcp"))(mod, mod.exports, require);
        const breakerGcp = mod.exports.breakerGcp as (e: { data?: unknown }) => Promise<void>;
        assert.equal(typeof breakerGcp, "function");
        const gcp = fakeGcp();
        const saved = { fetch: globalThis.fetch, env: { ...process.env }, log: console.log };
        const lines: string[] = [];
        try {
            globalThis.fetch = gcp.fetchFn as unknown as typeof fetch;
            console.log = (l: string) => lines.push(l);
            Object.assign(process.env, { LLM_SERVING_ENVIRONMENT: "ha", LLM_SERVING_GCP_PROJECTS: "acme-llm-ha", LLM_SERVING_GCP_MIG_REGIONS: "us-east1", LLM_SERVING_GCP_GKE: "false", LLM_SERVING_FORECAST_PERCENT: "100", LLM_SERVING_STEP_TO_ZERO: "false" });
            await breakerGcp({ data: FIXTURE.data });
            await breakerGcp({ data: { message: { data: "%%%" } } });
        } finally {
            globalThis.fetch = saved.fetch;
            console.log = saved.log;
            process.env = saved.env;
        }
        assert.equal(gcp.autoscalers.get("acme-llm-ha/us-east1")![0].autoscalingPolicy.maxNumReplicas, 1);
        assert.equal(gcp.autoscalers.get("acme-llm-ha/us-central1")![0].autoscalingPolicy.maxNumReplicas, 2, "a region not configured is not touched");
        assert.ok(lines.some((l) => /TRIPPED/.test(l)));
        assert.ok(lines.some((l) => /ignored a malformed notification/.test(l)));
    });
});

describe("breaker on GCP: the GKE node-pool adapter", () => {
    function gkeStub(autoscaling: Record<string, unknown>) {
        const state = { autoscaling, labels: { app: "llm-serving", environment: "dev" } as Record<string, string> };
        const writes: Array<{ what: string; value: unknown }> = [];
        const client: GkeClusters = {
            async list() {
                return [
                    { name: "projects/p/locations/r/clusters/c", resourceLabels: { ...state.labels }, labelFingerprint: "f", nodePools: [{ name: "gpu", autoscaling: { ...state.autoscaling }, config: { resourceLabels: { "llm-serving-baseline": "1" } } }] },
                    { name: "projects/p/locations/r/clusters/other", resourceLabels: { app: "llm-serving", environment: "prod" }, nodePools: [{ name: "gpu", autoscaling: { totalMaxNodeCount: 5 }, config: { resourceLabels: { "llm-serving-baseline": "1" } } }] },
                ];
            },
            async setAutoscaling(pool, a) {
                writes.push({ what: pool, value: a });
                state.autoscaling = { ...a };
            },
            async setResourceLabels(_c, labels) {
                writes.push({ what: "labels", value: labels });
                state.labels = labels;
            },
        };
        return { client, writes, state };
    }
    const at = (pct: number) => parseGcp({ message: { data: Buffer.from(JSON.stringify({ costAmount: 1, budgetAmount: 1, forecastThresholdExceeded: pct / 100 })).toString("base64") } });

    it("lowers a per-zone maximum when no total is set, and only the stack's clusters", async () => {
        const gke = gkeStub({ enabled: true, minNodeCount: 0, maxNodeCount: 2 });
        const out = await handle(at(100), [gkePoolAdapter(gke.client, { project: "p", stack: "dev" })], { forecastPercent: 100, stepToZero: false }, () => undefined, NOW);
        assert.deepEqual(out.steps.map((s) => [s.id, s.from, s.to]), [["projects/p/locations/r/clusters/c/nodePools/gpu", 2, 1]]);
        assert.deepEqual(gke.writes[0].value, { enabled: true, minNodeCount: 0, maxNodeCount: 1 });
    });

    it("the opted-in step to zero lowers the minimum with the maximum (GKE refuses a maximum below it)", async () => {
        const gke = gkeStub({ enabled: true, totalMinNodeCount: 1, totalMaxNodeCount: 2 });
        const adapter = gkePoolAdapter(gke.client, { project: "p", stack: "dev" });
        const zero = { forecastPercent: 100, stepToZero: true };
        await handle(at(100), [adapter], zero, () => undefined, NOW);
        const second = await handle(at(120), [adapter], zero, () => undefined, NOW);
        assert.deepEqual(second.steps.map((s) => [s.from, s.to, s.state]), [[1, 0, "zero"]]);
        assert.deepEqual(gke.state.autoscaling, { enabled: true, totalMinNodeCount: 0, totalMaxNodeCount: 0 });
        assert.equal(gke.state.labels["llm-serving-breaker"], "tripped-zero");
    });

    it("a pool whose autoscaling is off, or without a baseline label, is not a group", async () => {
        const off = gkeStub({ enabled: false, totalMaxNodeCount: 3 });
        assert.deepEqual(await gkePoolAdapter(off.client, { project: "p", stack: "dev" }).list(), []);
        const on = gkeStub({ enabled: true, totalMaxNodeCount: 3 });
        assert.equal((await gkePoolAdapter(on.client, { project: "p", stack: "dev" }).list()).length, 1, "negative control");
    });
});
