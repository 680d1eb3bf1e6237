import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { EXIT, main } from "../../plan/cli";
import { committedStacks, UNDECRYPTED_SECRET } from "../../plan/stackFiles";
import { PROJECT_DIR } from "../helpers/program";
import { scratchDir } from "../helpers/scratch";

/** Runs the plan CLI in process; returns exit code and both streams. */
async function runPlan(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const code = await main(argv, (s) => (stdout += s), (s) => (stderr += s));
    return { code, stdout, stderr };
}

function tempStackFile(yaml: string): string {
    const dir = scratchDir("plan-test-");
    const file = path.join(dir, "Pulumi.fixture.yaml");
    fs.writeFileSync(file, yaml);
    return file;
}

const URN = /^urn:pulumi:[a-z0-9-]+::llm-serving::[^:]+(:[^:]+)*::[^:]+$/;

describe("offline plan", () => {
    const stacks = committedStacks(PROJECT_DIR);

    it("finds the committed stacks", () => {
        assert.ok(stacks.includes("dev") && stacks.includes("prod"), stacks.join(", "));
    });

    for (const stack of stacks) {
        it(`--json for ${stack} is one document of the documented shape`, async () => {
            const { code, stdout } = await runPlan("--stack", stack, "--json");
            assert.notEqual(code, EXIT.usage);
            const doc = JSON.parse(stdout) as Record<string, unknown>;
            assert.equal(doc.project, "llm-serving");
            assert.equal(doc.stack, stack);
            const resources = doc.resources as Array<Record<string, unknown>>;
            assert.ok(resources.length > 10);
            const urns = new Set(resources.map((r) => r.urn));
            for (const r of resources) {
                assert.deepEqual(Object.keys(r), ["urn", "type", "name", "parent", "inputs"]);
                assert.match(String(r.urn), URN);
                assert.equal(typeof r.type, "string");
                assert.equal(typeof r.name, "string");
                assert.ok(r.parent === null || urns.has(r.parent), `parent of ${r.urn} is a planned resource`);
                assert.equal(typeof r.inputs, "object");
            }
        });

        it(`${stack} passes every mandatory policy as a new stack's first preview sees it`, async () => {
            const { code, stdout } = await runPlan("--stack", stack, "--preview", "--json");
            const report = JSON.parse(stdout) as { policies: { violations: Array<{ policy: string; enforcementLevel: string; message: string }> } };
            const mandatory = report.policies.violations.filter((v) => v.enforcementLevel === "mandatory");
            assert.deepEqual(mandatory, [], mandatory.map((v) => `${v.policy}: ${v.message}`).join("\n"));
            assert.equal(code, EXIT.ok);
            assert.match(stdout, /\[unknown until apply\]/, "preview leaves computed outputs unknown");
        });

        // With the preview case above, this is every committed stack planned both ways and passing
        // its policies, which `npm test` used to check again in a separate `plan:all` run.
        it(`text plan for ${stack} shows the resource tree and outputs, and passes every mandatory policy`, async () => {
            const { code, stdout } = await runPlan("--stack", stack);
            assert.equal(code, EXIT.ok, stdout);
            assert.match(stdout, new RegExp(`^llm-serving · stack ${stack} · \\d+ resources`));
            assert.match(stdout, /Outputs:\n {2}/);
            assert.match(stdout, /apiKeys: "\[secret\]"/);
        });
    }

    it("dev: two spot L4 replicas with health check, group, autoscaler, load balancer and firewall", async () => {
        const doc = JSON.parse((await runPlan("--stack", "dev", "--json")).stdout) as {
            resources: Array<{ type: string; inputs: Record<string, Record<string, unknown>> }>;
        };
        const types = doc.resources.map((r) => r.type);
        for (const t of [
            "gcp:compute/instanceTemplate:InstanceTemplate",
            "gcp:compute/healthCheck:HealthCheck",
            "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager",
            "gcp:compute/regionAutoscaler:RegionAutoscaler",
            "gcp:compute/backendService:BackendService",
            "gcp:compute/globalForwardingRule:GlobalForwardingRule",
            "gcp:compute/firewall:Firewall",
        ]) {
            assert.ok(types.includes(t), `dev plan lacks ${t}`);
        }
        const autoscaler = doc.resources.find((r) => r.type === "gcp:compute/regionAutoscaler:RegionAutoscaler")!;
        assert.equal(autoscaler.inputs.autoscalingPolicy.minReplicas, 2);
        assert.equal(autoscaler.inputs.autoscalingPolicy.maxReplicas, 2); // Pulumi.dev.yaml: replicas 2..2 (README, "Cost caps")
    });

    it("never prints a secure value, nor the stand-in used for it", async () => {
        const base = fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8");
        const file = tempStackFile(
            base +
                "  llm-serving:apiKey:\n    secure: v1:CIPHERTEXT-SENTINEL-API\n" +
                "  llm-serving:hfToken:\n    secure: v1:CIPHERTEXT-SENTINEL-HF\n",
        );
        for (const format of [[], ["--json"]]) {
            const { stdout, stderr } = await runPlan("--stack", "dev", "--stack-file", file, ...format);
            const all = stdout + stderr;
            assert.ok(!all.includes("CIPHERTEXT-SENTINEL"), "ciphertext printed");
            assert.ok(!all.includes(UNDECRYPTED_SECRET), "secret stand-in printed");
            assert.ok(all.includes("[secret]"));
        }
    });

    it("exits 2 with the key named on a bad config value, without a stack trace", async () => {
        const file = tempStackFile(
            "config:\n  llm-serving:tags: {owner: ml-platform, costCenter: cc-1234}\n" +
                "  llm-serving:targets:\n    gcpSpotL4: {project: acme-llm-dev, region: us-central1, replicas: {min: 2, max: 300}}\n",
        );
        const { code, stdout, stderr } = await runPlan("--stack", "dev", "--stack-file", file);
        assert.equal(code, EXIT.usage);
        assert.equal(stdout, "");
        assert.match(stderr, /llm-serving:targets\.gcpSpotL4\.replicas\.max: got 300; must be a whole number from 1 to 20/);
        assert.doesNotMatch(stderr, /\n\s+at /);
    });

    it("exits 2 on a stack name the clouds cannot carry (Prod), before the program runs; the same config as dev plans (control)", async () => {
        const file = tempStackFile(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8"));
        const policy = path.join(PROJECT_DIR, "policies", "config", "dev.json");
        const bad = await runPlan("--stack", "Prod", "--stack-file", file, "--policy-config", policy);
        assert.equal(bad.code, EXIT.usage);
        assert.equal(bad.stdout, "");
        assert.match(bad.stderr, /stack name: got "Prod"; must be 1 to 40 lowercase letters, digits or hyphens/);
        assert.doesNotMatch(bad.stderr, /\n\s+at /);
        const good = await runPlan("--stack", "prod-eu", "--stack-file", file, "--policy-config", policy, "--json");
        assert.ok(good.code === EXIT.ok || good.code === EXIT.violations, good.stderr);
    });

    it("delivers a large --json plan whole through a pipe (no truncation at exit)", () => {
        // As `npm run plan` runs it: plan/cli.ts from the cached bundle (plan/fast.cjs).
        const child = spawnSync(process.execPath, ["plan/fast.cjs", "--stack", "dev", "--json"], {
            cwd: PROJECT_DIR,
            encoding: "utf8",
            maxBuffer: 256 * 1024 * 1024,
        });
        assert.ok(child.stdout.length > 65536, `only ${child.stdout.length} bytes: the test needs a plan larger than a pipe buffer`);
        assert.doesNotThrow(() => JSON.parse(child.stdout));
        assert.ok(child.status === EXIT.ok || child.status === EXIT.violations, `exit ${child.status}: ${child.stderr}`);
    });

    it("exits 2 on usage errors: no --stack, an unknown stack, malformed YAML", async () => {
        assert.equal((await runPlan()).code, EXIT.usage);
        const unknown = await runPlan("--stack", "nope");
        assert.equal(unknown.code, EXIT.usage);
        assert.match(unknown.stderr, /no stack file .*Pulumi\.nope\.yaml; committed stacks: .*dev/);
        const broken = await runPlan("--stack", "x", "--stack-file", tempStackFile("config: [unclosed\n"));
        assert.equal(broken.code, EXIT.usage);
        assert.match(broken.stderr, /not valid YAML/);
    });
});
