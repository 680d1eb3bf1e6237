// The pack as the CLI runs it: its own process, started through @pulumi/pulumi's run-policy-pack
// (which registers ts-node with type-checking on, as under `pulumi preview --policy-pack policies`),
// driven over the Analyzer gRPC interface, and compared with evaluatePolicies in process.
import * as assert from "node:assert/strict";
import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as readline from "node:readline";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { JavaScriptValue, Struct } from "google-protobuf/google/protobuf/struct_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as pb from "@pulumi/pulumi/proto/analyzer_pb";
import devConfig from "../../../policies/config/dev.json";
import { PACK_NAME, PlannedResource, PolicyViolation, evaluatePolicies } from "../../../policies/evaluate";
import { resolvePolicyConfig } from "../../../policies/packConfig";
import { allPolicies } from "../../../policies/rules";
import { UNKNOWN_STRING_SENTINEL } from "../../../policies/contract/keys";
import { version } from "../../../policies/package.json";
import { gcpStack as gcpFixture, ignoringCatalogAge, maxReplicasOverCap, mutatedIn, withGcpBudget } from "../../helpers/policyFixtures";

/** The GCP fixture stack with its run-time budget (runtime-budget asks for one), at dev's cap. */
const gcpStack = () => withGcpBudget(gcpFixture(), devConfig["monthly-cost-cap"].maxMonthlyUsd);

const ROOT = path.resolve(__dirname, "..", "..", "..");
const POLICIES_DIR = path.join(ROOT, "policies");
/** Resolved as the nodejs language host resolves it: from the pack's directory, walking up. */
const RUN_POLICY_PACK = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [POLICIES_DIR] });
/** ts-node type-checks the pack on start; generous, since CI machines vary. */
const START_TIMEOUT_MS = 150_000;

describe("the pack over the wire (run-policy-pack + Analyzer gRPC)", function () {
    this.timeout(START_TIMEOUT_MS + 30_000);
    let pack: ChildProcess | undefined;
    let client: AnalyzerClient | undefined;
    let stderr = "";

    before(async () => {
        const started = Date.now();
        // The CLI runs `node <run-policy-pack> <engine address> <pack dir>` with the pack dir as cwd;
        // a policy pack never dials the engine, so any address will do.
        const env = { ...process.env };
        delete env.NODE_OPTIONS; // mocha's tsx loader must not leak into the pack: it runs under ts-node.
        pack = spawn(process.execPath, [RUN_POLICY_PACK, "127.0.0.1:1", POLICIES_DIR], { cwd: POLICIES_DIR, env, stdio: ["ignore", "pipe", "pipe"] });
        pack.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        const port = await readPort(pack);
        console.log(`      (pack process serving on 127.0.0.1:${port} after ${Date.now() - started} ms)`);
        client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        await call<pb.ConfigureAnalyzerRequest, Empty>((req, cb) => analyzer().configure(req, cb), configureRequest(devConfig));
    });

    after(() => {
        client?.close();
        if (pack?.pid !== undefined && pack.exitCode === null) {
            pack.kill("SIGTERM");
        }
    });

    function analyzer(): AnalyzerClient {
        if (!client) throw new Error(`the pack did not start:\n${stderr}`);
        return client;
    }

    it("reports the pack's name, version and policies (GetAnalyzerInfo)", async () => {
        const info = await call<Empty, pb.AnalyzerInfo>((req, cb) => analyzer().getAnalyzerInfo(req, cb), new Empty());
        assert.equal(info.getName(), PACK_NAME);
        assert.equal(info.getVersion(), version);
        assert.deepEqual(
            info.getPoliciesList().map((p) => p.getName()),
            allPolicies.map((p) => p.name),
        );
        const cap = info.getPoliciesList().find((p) => p.getName() === "monthly-cost-cap");
        assert.deepEqual(cap?.getConfigschema()?.getRequiredList(), ["maxMonthlyUsd"]);
        assert.equal(cap?.getEnforcementlevel(), pb.EnforcementLevel.MANDATORY);
    });

    it("analyzes a single resource (Analyze) as evaluatePolicies does", async () => {
        const [template] = gcpStack();
        const onDemand = mutatedIn(gcpStack(), "llm-template", (i) => (i.scheduling = { provisioningModel: "STANDARD" }))[0];
        assert.deepEqual(await analyzeOne(template), []);
        const wire = await analyzeOne(onDemand);
        assert.deepEqual(wire.map(key), ["spot-required|mandatory|" + onDemand.urn]);
        const inProcess = await evaluatePolicies([onDemand], devConfig, { preview: true });
        const resourcePolicies = new Set(allPolicies.filter((p) => !("validateStack" in p)).map((p) => p.name));
        assert.deepEqual(wire, inProcess.violations.filter((v) => resourcePolicies.has(v.policy)));
    });

    it("(a) passes the compliant GCP dev stack: no mandatory violations, same as in process", async () => {
        const stack = gcpStack();
        const wire = await analyzeAll(stack);
        assert.deepEqual(wire.filter((v) => v.enforcementLevel === "mandatory"), []);
        await assertSameAsInProcess(stack, wire);
    });

    it("(b) blocks the stack whose raised maxReplicas pushes the worst case past the cap", async () => {
        const stack = mutatedIn(gcpStack(), "llm-autoscaler", (i) => ((i.autoscalingPolicy as Record<string, unknown>).maxReplicas = maxReplicasOverCap(devConfig["monthly-cost-cap"].maxMonthlyUsd)));
        const wire = await analyzeAll(stack);
        assert.deepEqual(ignoringCatalogAge(wire).map(key), ["monthly-cost-cap|mandatory|"]);
        await assertSameAsInProcess(stack, wire);
    });

    it("(c) blocks, as MANDATORY, a maxReplicas sent as an unknown value", async () => {
        const stack = mutatedIn(gcpStack(), "llm-autoscaler", (i) => ((i.autoscalingPolicy as Record<string, unknown>).maxReplicas = UNKNOWN_STRING_SENTINEL));
        const autoscaler = stack.find((r) => r.name === "llm-autoscaler");
        const wire = await analyzeAll(stack);
        // runtime-budget-share cannot check the budget against a worst case it cannot know: it fails closed too.
        assert.deepEqual(ignoringCatalogAge(wire).map(key), [`cost-known-at-preview|mandatory|${autoscaler?.urn}`, "runtime-budget-share|mandatory|"]);
        assert.ok(!wire.some((v) => v.message.includes("can't run policy")), "no policy may be downgraded to advisory");
        await assertSameAsInProcess(stack, wire);
    });

    /** What the CLI does in a preview: Analyze each resource, then AnalyzeStack once. */
    async function analyzeAll(stack: PlannedResource[]): Promise<PolicyViolation[]> {
        const perResource: PolicyViolation[] = [];
        for (const r of stack) perResource.push(...(await analyzeOne(r)));
        const response = await call<pb.AnalyzeStackRequest, pb.AnalyzeResponse>((req, cb) => analyzer().analyzeStack(req, cb), analyzeStackRequest(stack));
        return [...perResource, ...violationsOf(response)];
    }

    async function analyzeOne(r: PlannedResource): Promise<PolicyViolation[]> {
        const req = new pb.AnalyzeRequest()
            .setType(r.type)
            .setUrn(r.urn)
            .setName(r.name)
            .setProperties(Struct.fromJavaScript(jsonOf(r.inputs)))
            .setOptions(new pb.AnalyzerResourceOptions());
        return violationsOf(await call<pb.AnalyzeRequest, pb.AnalyzeResponse>((q, cb) => analyzer().analyze(q, cb), req));
    }
});

async function assertSameAsInProcess(stack: PlannedResource[], wire: PolicyViolation[]): Promise<void> {
    const inProcess = await evaluatePolicies(stack, devConfig, { preview: true });
    assert.deepEqual(wire.map(key).sort(), inProcess.violations.map(key).sort());
    assert.deepEqual(sortByKey(wire), sortByKey(inProcess.violations), "messages differ between the wire and in process");
}

function key(v: PolicyViolation): string {
    return `${v.policy}|${v.enforcementLevel}|${v.urn ?? ""}`;
}

function sortByKey(vs: PolicyViolation[]): PolicyViolation[] {
    return [...vs].sort((a, b) => (key(a) + a.message).localeCompare(key(b) + b.message));
}

/** The config the CLI sends to Configure: reconciled with schema defaults, levels as enums. */
function configureRequest(raw: Record<string, unknown>): pb.ConfigureAnalyzerRequest {
    const req = new pb.ConfigureAnalyzerRequest();
    const resolved = resolvePolicyConfig({ name: PACK_NAME, version, enforcementLevel: "advisory" }, allPolicies, raw);
    for (const [name, config] of resolved) {
        const level = { advisory: pb.EnforcementLevel.ADVISORY, mandatory: pb.EnforcementLevel.MANDATORY, remediate: pb.EnforcementLevel.REMEDIATE, disabled: pb.EnforcementLevel.DISABLED }[config.enforcementLevel];
        req.getPolicyconfigMap().set(name, new pb.PolicyConfig().setEnforcementlevel(level).setProperties(Struct.fromJavaScript(jsonOf(config.properties))));
    }
    return req;
}

function analyzeStackRequest(stack: PlannedResource[]): pb.AnalyzeStackRequest {
    return new pb.AnalyzeStackRequest().setResourcesList(
        stack.map((r) => {
            const resource = new pb.AnalyzerResource()
                .setType(r.type)
                .setUrn(r.urn)
                .setName(r.name)
                .setParent(r.parent ?? "")
                .setProperties(Struct.fromJavaScript(jsonOf(r.inputs)))
                .setOptions(new pb.AnalyzerResourceOptions())
                .setDependenciesList([...new Set(Object.values(r.propertyDependencies).flat())]);
            for (const [prop, urns] of Object.entries(r.propertyDependencies)) {
                resource.getPropertydependenciesMap().set(prop, new pb.AnalyzerPropertyDependencies().setUrnsList(urns));
            }
            return resource;
        }),
    );
}

function violationsOf(response: pb.AnalyzeResponse): PolicyViolation[] {
    return response.getDiagnosticsList().map((d) => ({
        policy: d.getPolicyname(),
        enforcementLevel: d.getEnforcementlevel() === pb.EnforcementLevel.MANDATORY ? "mandatory" : "advisory",
        ...(d.getUrn() ? { urn: d.getUrn() } : {}),
        message: d.getMessage(),
    }));
}

/** Struct.fromJavaScript takes JSON values only; our fixtures are plain JSON already. */
function jsonOf(value: Record<string, unknown>): Record<string, JavaScriptValue> {
    return JSON.parse(JSON.stringify(value)) as Record<string, JavaScriptValue>;
}

function call<Req, Res>(fn: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown, req: Req): Promise<Res> {
    return new Promise((resolve, reject) => fn(req, (err, res) => (err ? reject(err) : resolve(res))));
}

/** The pack prints its port as the first line of stdout once the server is bound. */
function readPort(child: ChildProcess): Promise<number> {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no port printed within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
        const lines = readline.createInterface({ input: child.stdout! });
        let stderr = "";
        child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        lines.on("line", (line) => {
            if (/^\d+$/.test(line.trim())) {
                clearTimeout(timer);
                lines.close();
                resolve(Number(line.trim()));
            }
        });
        child.on("exit", (code) => {
            clearTimeout(timer);
            reject(new Error(`the pack exited (${code}) before printing its port:\n${stderr}`));
        });
    });
}
