// The AWS breaker's Lambda entry (functions/breaker/entry/aws.ts) against an SNS-wrapped AWS
// Budgets notification (the Budgets alert text in the documented layout, synthesised: no live
// notification is recorded here), with the network stubbed at its boundary (HttpCall): the
// Kubernetes API server holding the program's RayService (built by targets/eksInf2/rayService.ts).
import { strict as assert } from "node:assert";
import { createHmac } from "node:crypto";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { eksToken, HttpCall, HttpRequest, lowerServeConfig, presignUrl, readEnv, run, serveMaxReplicas, ENV, AwsBreakerEnv } from "../../functions/breaker/entry/aws";
import { breakerBundle } from "../../functions/breaker/bundle";
import { BREAKER_BASELINE_ANNOTATION, buildRayService } from "../../targets/eksInf2/rayService";
import { neuronServer } from "../../components/serving";

const NOW = () => new Date("2026-12-02T03:00:00Z");
const CREDS = { accessKeyId: "ASIAEXAMPLEEXAMPLE00", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", sessionToken: "IQoJb3JpZ2luX2VjEXAMPLE/token+with=chars" };
const ENVIRONMENT: AwsBreakerEnv = {
    endpoint: "https://ABCDEF0123456789.gr7.us-west-2.eks.amazonaws.com",
    clusterName: "eks-inf2-ha",
    region: "us-west-2",
    caPem: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
    namespace: "llm-serving",
    rayService: "llm",
    forecastPercent: 100,
    stepToZero: false,
};

/** The Budgets alert text (AWS Budgets User Guide, SNS notifications), as SNS wraps it for Lambda. */
function budgetsText(type: "FORECASTED" | "ACTUAL", thresholdUsd: string, amountUsd: string): string {
    return [
        "AWS Budget Notification December 02, 2026",
        "AWS Account 123456789012",
        "",
        "Dear AWS Customer,",
        "",
        `You requested that we alert you when the ${type} Cost associated with your runtime-budgets-aws budget is greater than ${thresholdUsd} for the current month.`,
        "",
        "Budget Name: runtime-budgets-aws",
        "Budget Type: Cost",
        "Budgeted Amount: $3,575.00",
        `Alert Type: ${type}`,
        `Alert Threshold: > ${thresholdUsd}`,
        `${type} Amount: ${amountUsd}`,
    ].join("\n");
}
const snsEvent = (message: unknown) => ({
    Records: [
        {
            EventSource: "aws:sns",
            EventVersion: "1.0",
            EventSubscriptionArn: "arn:aws:sns:us-west-2:123456789012:breaker-aws-topic-1234567:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
            Sns: {
                Type: "Notification",
                MessageId: "5d2f0c7e-9a51-5f8b-bb2e-3c4d5e6f7a8b",
                TopicArn: "arn:aws:sns:us-west-2:123456789012:breaker-aws-topic-1234567",
                Subject: "AWS Budgets: runtime-budgets-aws has exceeded your alert threshold",
                Message: message,
                Timestamp: "2026-12-02T03:00:00.000Z",
                SignatureVersion: "1",
            },
        },
    ],
});
const FORECAST_100 = snsEvent(budgetsText("FORECASTED", "$3,575.00", "$3,990.12"));

/** The RayService the program declares, with Serve replicas min..max. */
function programRayService(min: number, max: number) {
    return buildRayService({
        name: "llm",
        server: neuronServer({ id: "HuggingFaceH4/zephyr-7b-beta", servedName: "mistral-7b", maxModelLen: 8192 } as never, { devices: 1, image: "123456789012.dkr.ecr.us-west-2.amazonaws.com/x:1" }),
        devicesPerReplica: 1,
        instanceTypes: ["inf2.8xlarge"],
        replicas: { min, max },
        apiKeySecret: { name: "llm-api-key", key: "key" },
        appConfigMap: "llm-serve-app",
    });
}

/** A stub API server: GET and merge-PATCH of the RayService, with the state kept between calls. */
function apiServer(min: number, max: number) {
    const built = programRayService(min, max);
    let object: { metadata: { name: string; namespace: string; annotations: Record<string, string> }; spec: Record<string, unknown> } = JSON.parse(JSON.stringify(built));
    const calls: HttpRequest[] = [];
    const http: HttpCall = async (req) => {
        calls.push(req);
        assert.equal(req.url, `${ENVIRONMENT.endpoint}/apis/ray.io/v1/namespaces/llm-serving/rayservices/llm`);
        assert.match(req.headers.authorization, /^Bearer k8s-aws-v1\.[A-Za-z0-9_-]+$/);
        if (req.method === "GET") return { status: 200, body: JSON.stringify(object) };
        assert.equal(req.headers["content-type"], "application/merge-patch+json");
        const patch = JSON.parse(req.body ?? "{}");
        object = { ...object, metadata: { ...object.metadata, annotations: { ...object.metadata.annotations, ...patch.metadata.annotations } }, spec: { ...object.spec, ...patch.spec } };
        return { status: 200, body: JSON.stringify(object) };
    };
    return { http, calls, get: () => object };
}

const deps = (http: HttpCall, lines: string[], env: AwsBreakerEnv = ENVIRONMENT) => ({ env, credentials: CREDS, http, log: (l: string) => lines.push(l), now: NOW });
const patches = (calls: HttpRequest[]) => calls.filter((c) => c.method === "PATCH");

describe("AWS breaker: SigV4 and the EKS token", () => {
    it("presigns AWS's published example to its documented signature (S3 API Reference, query-parameter authentication)", () => {
        const url = presignUrl(
            { method: "GET", url: "https://examplebucket.s3.amazonaws.com/test.txt", region: "us-east-1", service: "s3", expiresSeconds: 86400, payloadHash: "UNSIGNED-PAYLOAD", now: new Date("2013-05-24T00:00:00Z") },
            { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
        );
        assert.equal(
            url,
            "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
        );
        // Negative control: one second later is another signature.
        const later = presignUrl({ method: "GET", url: "https://examplebucket.s3.amazonaws.com/test.txt", region: "us-east-1", service: "s3", expiresSeconds: 86400, payloadHash: "UNSIGNED-PAYLOAD", now: new Date("2013-05-24T00:00:01Z") }, { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" });
        assert.doesNotMatch(later, /aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404/);
    });

    it("the token is k8s-aws-v1. + base64url of an STS GetCallerIdentity URL that signs x-k8s-aws-id and carries the session token", () => {
        const token = eksToken("eks-inf2-ha", "us-west-2", CREDS, NOW());
        assert.match(token, /^k8s-aws-v1\.[A-Za-z0-9_-]+$/, "unpadded base64url");
        const url = new URL(Buffer.from(token.slice("k8s-aws-v1.".length), "base64url").toString("utf8"));
        assert.equal(url.origin, "https://sts.us-west-2.amazonaws.com");
        assert.equal(url.searchParams.get("Action"), "GetCallerIdentity");
        assert.equal(url.searchParams.get("Version"), "2011-06-15");
        assert.equal(url.searchParams.get("X-Amz-SignedHeaders"), "host;x-k8s-aws-id");
        assert.equal(url.searchParams.get("X-Amz-Expires"), "60");
        assert.equal(url.searchParams.get("X-Amz-Security-Token"), CREDS.sessionToken);
        assert.equal(url.searchParams.get("X-Amz-Credential"), `${CREDS.accessKeyId}/20261202/us-west-2/sts/aws4_request`);
        // Recompute the signature independently from the canonical request (AWS SigV4 steps).
        const q = [...url.searchParams.entries()].filter(([k]) => k !== "X-Amz-Signature");
        const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
        const canonicalQuery = q.map(([k, v]) => `${enc(k)}=${enc(v)}`).sort().join("&");
        const h = (s: string) => require("node:crypto").createHash("sha256").update(s).digest("hex");
        const creq = ["GET", "/", canonicalQuery, "host:sts.us-west-2.amazonaws.com\nx-k8s-aws-id:eks-inf2-ha\n", "host;x-k8s-aws-id", h("")].join("\n");
        const sts = ["AWS4-HMAC-SHA256", "20261202T030000Z", "20261202/us-west-2/sts/aws4_request", h(creq)].join("\n");
        const mac = (k: Buffer | string, s: string) => createHmac("sha256", k).update(s).digest();
        const key = mac(mac(mac(mac(`AWS4${CREDS.secretAccessKey}`, "20261202"), "us-west-2"), "sts"), "aws4_request");
        assert.equal(url.searchParams.get("X-Amz-Signature"), createHmac("sha256", key).update(sts).digest("hex"));
        // Negative control: another cluster's token differs (the API server refuses a token for another cluster).
        assert.notEqual(eksToken("other", "us-west-2", CREDS, NOW()), token);
    });
});

describe("AWS breaker: the Lambda entry, network stubbed", () => {
    it("the program writes the baseline annotation (Serve min_replicas) on the RayService", () => {
        const rs = programRayService(1, 3);
        assert.equal(rs.metadata.annotations[BREAKER_BASELINE_ANNOTATION], "1");
        assert.equal(serveMaxReplicas(rs.spec.serveConfigV2), 3);
    });

    it("actual spend at 100% steps to baseline too (a new account has no forecast for ~5 weeks)", async () => {
        const api = apiServer(1, 3);
        const [out] = await run(snsEvent(budgetsText("ACTUAL", "$3,575.00", "$3,600.00")), deps(api.http, []));
        assert.deepEqual(out.steps, [{ id: "llm-serving/llm", kind: "ray-serve", from: 3, to: 1, state: "baseline" }]);
        assert.equal(patches(api.calls).length, 1);
    });

    it("below the threshold (an 80% forecast, or actual spend at 80%) nothing is patched", async () => {
        for (const event of [snsEvent(budgetsText("FORECASTED", "$2,860.00", "$2,900.00")), snsEvent(budgetsText("ACTUAL", "$2,860.00", "$2,900.00"))]) {
            const api = apiServer(1, 3);
            const lines: string[] = [];
            const [out] = await run(event, deps(api.http, lines));
            assert.equal(out.acted, false);
            assert.deepEqual(patches(api.calls), []);
            assert.match(lines[0], /nothing to do/);
        }
    });

    it("at 100% forecast the RayService's Serve max_replicas steps to its baseline, with the state in annotations; the rest of the config is kept", async () => {
        const api = apiServer(1, 3);
        const lines: string[] = [];
        const [out] = await run(FORECAST_100, deps(api.http, lines));
        assert.deepEqual(out.steps, [{ id: "llm-serving/llm", kind: "ray-serve", from: 3, to: 1, state: "baseline" }]);
        assert.equal(patches(api.calls).length, 1);
        const after = api.get();
        const before = parseYaml(programRayService(1, 3).spec.serveConfigV2);
        const now = parseYaml(after.spec.serveConfigV2 as string);
        assert.equal(now.applications[0].deployments[0].autoscaling_config.max_replicas, 1);
        assert.equal(now.applications[0].deployments[0].autoscaling_config.min_replicas, 1);
        before.applications[0].deployments[0].autoscaling_config.max_replicas = 1;
        assert.deepEqual(now, before, "only max_replicas changed");
        assert.equal(after.metadata.annotations["llm-serving-breaker"], "tripped-baseline");
        assert.equal(after.metadata.annotations["llm-serving-breaker-was"], "3");
        assert.equal(after.metadata.annotations["llm-serving-breaker-at"], "1796180400");
        assert.equal(after.metadata.annotations["llm-serving-breaker-threshold"], "100");
        assert.equal(after.metadata.annotations["llm-serving-breaker-period"], "2026-12");
        assert.equal(after.metadata.annotations[BREAKER_BASELINE_ANNOTATION], "1", "the baseline is the program's, left alone");
        assert.match(lines[0], /TRIPPED: aws budget runtime-budgets-aws forecast 100% \(3990\.12 of 3575\).*ray-serve llm-serving\/llm max 3 -> 1.*next pulumi up --refresh restores/);
    });

    it("a repeated notification is idempotent: read, nothing patched", async () => {
        const api = apiServer(1, 3);
        await run(FORECAST_100, deps(api.http, []));
        const lines: string[] = [];
        const [again] = await run(FORECAST_100, deps(api.http, lines));
        assert.equal(again.acted, false);
        assert.equal(patches(api.calls).length, 1);
        assert.match(lines[0], /nothing to do/);
    });

    it("with stepToZero, a higher crossing in the period removes the Serve application (Serve's max_replicas must be >= 1); a repeat then changes nothing", async () => {
        const api = apiServer(1, 3);
        const env = { ...ENVIRONMENT, stepToZero: true };
        await run(FORECAST_100, deps(api.http, [], env));
        const [zero] = await run(snsEvent(budgetsText("FORECASTED", "$4,290.00", "$4,400.00")), deps(api.http, [], env)); // 120%
        assert.deepEqual(zero.steps.map((s) => [s.from, s.to, s.state]), [[1, 0, "zero"]]);
        assert.deepEqual(parseYaml(api.get().spec.serveConfigV2 as string).applications, []);
        const [repeat] = await run(snsEvent(budgetsText("FORECASTED", "$4,290.00", "$4,400.00")), deps(api.http, [], env));
        assert.equal(repeat.acted, false);
    });

    it("a group already at its baseline (ha: replicas 2..2) is left alone", async () => {
        const api = apiServer(2, 2);
        const [out] = await run(FORECAST_100, deps(api.http, []));
        assert.equal(out.acted, false);
        assert.deepEqual(patches(api.calls), []);
    });

    it("malformed input is logged and ignored, with no call to the cluster", async () => {
        for (const event of [snsEvent("hello"), snsEvent(undefined), snsEvent(budgetsText("FORECASTED", "$3,575.00", "$3,990.12").replace(/Budgeted Amount.*\n/, "")), {}, null, { Records: [] }]) {
            const api = apiServer(1, 3);
            const lines: string[] = [];
            const outs = await run(event, deps(api.http, lines));
            assert.ok(outs.every((o) => !o.acted && o.ignored), JSON.stringify(outs));
            assert.deepEqual(api.calls, [], "no API call");
            assert.match(lines[0], /ignored a malformed notification/);
        }
    });

    it("an API error is thrown (Lambda retries the event), never swallowed", async () => {
        const http: HttpCall = async () => ({ status: 403, body: '{"reason":"Forbidden"}' });
        await assert.rejects(run(FORECAST_100, deps(http, [])), /GET llm-serving\/llm answered 403/);
    });
});

describe("AWS breaker: configuration and bundle", () => {
    it("reads its environment, and names a missing or bad variable", () => {
        const env = { [ENV.endpoint]: "https://x.eks.amazonaws.com/", [ENV.clusterName]: "c", [ENV.region]: "us-west-2", [ENV.caData]: Buffer.from("PEM").toString("base64"), [ENV.namespace]: "llm-serving", [ENV.rayService]: "llm", [ENV.forecastPercent]: "100", [ENV.stepToZero]: "false" };
        const read = readEnv(env);
        assert.equal(read.endpoint, "https://x.eks.amazonaws.com");
        assert.equal(read.caPem, "PEM");
        assert.equal(read.stepToZero, false);
        assert.throws(() => readEnv({ ...env, [ENV.clusterName]: undefined }), /BREAKER_EKS_CLUSTER is not set/);
        assert.throws(() => readEnv({ ...env, [ENV.endpoint]: "http://x" }), /must be an https URL/);
    });

    it("lowering keeps min <= max and leaves a deployment already below alone", () => {
        const cfg = "applications:\n  - name: a\n    deployments:\n      - name: d\n        autoscaling_config: { min_replicas: 3, max_replicas: 4, initial_replicas: 4 }\n      - name: e\n        autoscaling_config: { min_replicas: 1, max_replicas: 1 }\n";
        const out = parseYaml(lowerServeConfig(cfg, 2));
        assert.deepEqual(out.applications[0].deployments[0].autoscaling_config, { min_replicas: 2, max_replicas: 2, initial_replicas: 2 });
        assert.deepEqual(out.applications[0].deployments[1].autoscaling_config, { min_replicas: 1, max_replicas: 1 });
    });

    it("bundles to one CommonJS file exporting handler, with no require outside Node's built-ins", () => {
        const code = breakerBundle("aws");
        assert.match(code, /handler/);
        const requires = [...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
        assert.ok(requires.length > 0);
        for (const r of requires) assert.ok(r.startsWith("node:") || ["crypto", "https", "http", "url", "util", "stream", "events", "buffer", "process"].includes(r), `requires ${r}`);
    });

    it("the bundle runs as the Lambda loads it: index.handler ignores a malformed event with a log line and calls nothing", () => {
        const fs = require("node:fs") as typeof import("node:fs");
        const os = require("node:os") as typeof import("node:os");
        const { execFileSync } = require("node:child_process") as typeof import("node:child_process");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "breaker-aws-"));
        try {
            fs.writeFileSync(path.join(dir, "index.js"), breakerBundle("aws"));
            const env = { PATH: process.env.PATH, [ENV.endpoint]: "https://127.0.0.1:9", [ENV.clusterName]: "c", [ENV.region]: "us-west-2", [ENV.caData]: Buffer.from("PEM").toString("base64"), [ENV.namespace]: "llm-serving", [ENV.rayService]: "llm", AWS_ACCESS_KEY_ID: "A", AWS_SECRET_ACCESS_KEY: "S" };
            const script = "require('./index.js').handler({ Records: [{ Sns: { Message: 'not a budget' } }] }).then((o) => console.log(JSON.stringify(o)))";
            const out = execFileSync(process.execPath, ["-e", script], { cwd: dir, env, encoding: "utf8" });
            assert.match(out, /ignored a malformed notification/);
            assert.match(out, /"acted":false/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
