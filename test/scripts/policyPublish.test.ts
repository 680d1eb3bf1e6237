// npm run policy:publish against a stub `pulumi` on PATH that records its argv and working
// directory (no real CLI exists here): the commands are Pulumi's documented syntax, the config the
// group gets is the repo's file, a failed publish never enables, and bad input is exit 2 with
// nothing run.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EXIT, main, packIdentity, policyEnvironments, runPulumi } from "../../scripts/policyPublish";
import { PACK_NAME } from "../../policies/evaluate";
import { PROJECT_DIR } from "../helpers/program";

interface Call {
    cwd: string;
    args: string[];
}

describe("policy:publish (stub pulumi on PATH)", () => {
    let dir: string;
    let log: string;
    const saved = { PATH: process.env.PATH, LOG: process.env.PULUMI_STUB_LOG, FAIL: process.env.PULUMI_STUB_FAIL, VERSION: process.env.PULUMI_STUB_VERSION, EXISTS: process.env.PULUMI_STUB_EXISTS, WORDING: process.env.PULUMI_STUB_WORDING };

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "publish-stub-"));
        log = path.join(dir, "calls.jsonl");
        // One JSON line per call: the directory and every argument, exactly as received. Exits 1
        // when its second argument (publish, enable) is the one named in PULUMI_STUB_FAIL; a
        // publish prints the version in PULUMI_STUB_VERSION as the CLI reports it (current wording,
        // or the older one with PULUMI_STUB_WORDING=old). With PULUMI_STUB_EXISTS=<v>, a publish
        // fails on stderr as the service refuses a version it already has (pulumi/docs#2843).
        const stub = [
            "#!/bin/sh",
            'node -e \'const fs=require("fs");fs.appendFileSync(process.env.PULUMI_STUB_LOG, JSON.stringify({cwd: process.cwd(), args: process.argv.slice(1)}) + "\\n")\' -- "$@"',
            '[ -n "$PULUMI_STUB_FAIL" ] && [ "$2" = "$PULUMI_STUB_FAIL" ] && exit 1',
            '[ "$2" = publish ] && [ -n "$PULUMI_STUB_EXISTS" ] && echo "error: Publish policy pack failed: [400] Bad Request: Policy Pack: llm-serving-guardrails, Version Tag: $PULUMI_STUB_EXISTS already exists" >&2 && exit 255',
            '[ "$2" = publish ] && [ -n "$PULUMI_STUB_VERSION" ] && [ "$PULUMI_STUB_WORDING" = old ] && echo "Published as version $PULUMI_STUB_VERSION"',
            '[ "$2" = publish ] && [ -n "$PULUMI_STUB_VERSION" ] && [ "$PULUMI_STUB_WORDING" != old ] && echo "Publishing \\"llm-serving-guardrails\\" - version $PULUMI_STUB_VERSION to \\"$3\\""',
            "exit 0",
        ].join("\n");
        fs.writeFileSync(path.join(dir, "pulumi"), stub + "\n", { mode: 0o755 });
    });
    beforeEach(() => {
        fs.rmSync(log, { force: true });
        process.env.PATH = `${dir}${path.delimiter}${saved.PATH}`;
        process.env.PULUMI_STUB_LOG = log;
        delete process.env.PULUMI_STUB_FAIL;
        delete process.env.PULUMI_STUB_VERSION;
        delete process.env.PULUMI_STUB_EXISTS;
        delete process.env.PULUMI_STUB_WORDING;
    });
    afterEach(() => {
        process.env.PATH = saved.PATH;
        for (const [k, v] of [["PULUMI_STUB_LOG", saved.LOG], ["PULUMI_STUB_FAIL", saved.FAIL], ["PULUMI_STUB_VERSION", saved.VERSION], ["PULUMI_STUB_EXISTS", saved.EXISTS], ["PULUMI_STUB_WORDING", saved.WORDING]] as const) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const calls = (): Call[] => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Call) : []);
    async function publish(...argv: string[]) {
        let stdout = "";
        let stderr = "";
        const code = await main(argv, (s) => (stdout += s), (s) => (stderr += s), runPulumi);
        return { code, stdout, stderr };
    }

    it("publishes from policies/, then enables that version in the env's group with policies/config/<env>.json", async () => {
        const { code, stdout } = await publish("--org", "acme", "--env", "prod");
        assert.equal(code, EXIT.ok);
        const version = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "policies", "package.json"), "utf8")).version as string;
        assert.deepEqual(calls(), [
            { cwd: fs.realpathSync(path.join(PROJECT_DIR, "policies")), args: ["policy", "publish", "acme"] },
            {
                cwd: fs.realpathSync(PROJECT_DIR),
                args: ["policy", "enable", `acme/${PACK_NAME}`, version, "--policy-group", "prod", "--config", path.join(PROJECT_DIR, "policies", "config", "prod.json")],
            },
        ]);
        assert.match(stdout, /enabled in policy group prod of acme with policies\/config\/prod\.json \(sha256 [0-9a-f]{64}\)/);
    });

    it("enables the version the publish reported, when it reports one", async () => {
        process.env.PULUMI_STUB_VERSION = "7";
        const { code, stdout } = await publish("--org", "acme", "--env", "dev");
        assert.equal(code, EXIT.ok);
        assert.deepEqual(calls()[1].args.slice(2, 4), [`acme/${PACK_NAME}`, "7"]);
        assert.match(stdout, /Publishing "llm-serving-guardrails" - version 7 to "acme"\n[\s\S]*llm-serving-guardrails 7 is enabled/);
        // The older wording is read too.
        process.env.PULUMI_STUB_WORDING = "old";
        process.env.PULUMI_STUB_VERSION = "8";
        fs.rmSync(log, { force: true });
        assert.equal((await publish("--org", "acme", "--env", "dev")).code, EXIT.ok);
        assert.equal(calls()[1].args[3], "8");
    });

    it("a version the service already has (config-only change): still enables it with the env's config, and says so", async () => {
        const version = packIdentity().version;
        process.env.PULUMI_STUB_EXISTS = version;
        const { code, stdout, stderr } = await publish("--org", "acme", "--env", "prod");
        assert.equal(code, EXIT.ok, stderr);
        assert.deepEqual(calls().map((c) => c.args[1]), ["publish", "enable"]);
        assert.deepEqual(calls()[1].args.slice(2), [`acme/${PACK_NAME}`, version, "--policy-group", "prod", "--config", path.join(PROJECT_DIR, "policies", "config", "prod.json")]);
        // The CLI's own message is passed on, and the script says what it did instead.
        assert.match(stderr, /Version Tag: \S+ already exists/);
        assert.match(stdout, new RegExp(`${PACK_NAME} ${version.replace(/\./g, "\\.")} is already published; enabling it with the config`));
        assert.match(stdout, /is enabled in policy group prod of acme with policies\/config\/prod\.json/);
    });

    it("--policy-group names another group; the config is still the env's file", async () => {
        assert.equal((await publish("--org", "acme", "--env", "dev", "--policy-group", "dev-stacks")).code, EXIT.ok);
        const enable = calls()[1].args;
        assert.deepEqual(enable.slice(4), ["--policy-group", "dev-stacks", "--config", path.join(PROJECT_DIR, "policies", "config", "dev.json")]);
    });

    it("the environments are the policy configs in the repo (dev and prod at least)", () => {
        const envs = policyEnvironments();
        assert.ok(envs.includes("dev") && envs.includes("prod"), envs.join(", "));
        assert.deepEqual(envs, fs.readdirSync(path.join(PROJECT_DIR, "policies", "config")).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5)).sort());
    });

    it("the pack name is the one the pack registers (policies/package.json agrees with PACK_NAME)", () => {
        assert.equal(packIdentity().name, PACK_NAME);
    });

    it("negative control: a failed publish exits 1 and never enables", async () => {
        process.env.PULUMI_STUB_FAIL = "publish";
        const { code, stderr } = await publish("--org", "acme", "--env", "dev");
        assert.equal(code, EXIT.failed);
        assert.deepEqual(calls().map((c) => c.args[1]), ["publish"]);
        assert.match(stderr, /pulumi policy publish acme` failed \(exit 1\); nothing after it was run/);
    });

    it("a failed enable exits 1 (the stub really fails: the control above is not vacuous)", async () => {
        process.env.PULUMI_STUB_FAIL = "enable";
        const { code } = await publish("--org", "acme", "--env", "dev");
        assert.equal(code, EXIT.failed);
        assert.deepEqual(calls().map((c) => c.args[1]), ["publish", "enable"]);
    });

    it("no pulumi on PATH: exit 1 that says so", async () => {
        process.env.PATH = path.join(dir, "empty");
        const { code, stderr } = await publish("--org", "acme", "--env", "dev");
        assert.equal(code, EXIT.failed);
        assert.match(stderr, /pulumi CLI is not on PATH/);
    });

    for (const [why, argv, message] of [
        ["an env without a policy config", ["--org", "acme", "--env", "qa-nowhere"], new RegExp(`--env: got "qa-nowhere"; allowed: ${policyEnvironments().join(", ")} \\(one per policies/config/<env>\\.json\\)`)],
        ["an org that would read as a flag", ["--org", "-rf", "--env", "dev"], /--org: got "-rf"; allowed: 1-100 letters/],
        ["a group with a space", ["--org", "acme", "--env", "dev", "--policy-group", "a b"], /--policy-group: got "a b"/],
        ["a path as env", ["--org", "acme", "--env", "../dev"], /--env: got "\.\.\/dev"/],
        ["no --org", ["--env", "dev"], /required option '--org <org>'/],
        ["an unknown option", ["--org", "acme", "--env", "dev", "--yes"], /unknown option '--yes'/],
    ] as const) {
        it(`exit 2 with nothing run: ${why}`, async () => {
            const { code, stderr } = await publish(...argv);
            assert.equal(code, EXIT.usage);
            assert.match(stderr, message);
            assert.deepEqual(calls(), []);
        });
    }

    it("exit 2 with nothing run: a policy config the pack itself refuses (checked before publishing)", async () => {
        const policies = fs.mkdtempSync(path.join(os.tmpdir(), "publish-policies-"));
        fs.mkdirSync(path.join(policies, "config"));
        fs.copyFileSync(path.join(PROJECT_DIR, "policies", "package.json"), path.join(policies, "package.json"));
        const dev = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "policies", "config", "dev.json"), "utf8")) as Record<string, Record<string, unknown>>;
        fs.writeFileSync(path.join(policies, "config", "ok.json"), JSON.stringify(dev));
        fs.writeFileSync(path.join(policies, "config", "bad.json"), JSON.stringify({ ...dev, "monthly-cost-cap": { ...dev["monthly-cost-cap"], maxMonthlyUsd: "lots" } }));
        let stderr = "";
        const code = await main(["--org", "acme", "--env", "bad"], () => undefined, (s) => (stderr += s), runPulumi, policies);
        assert.equal(code, EXIT.usage);
        assert.match(stderr, /monthly-cost-cap/);
        assert.deepEqual(calls(), []);
        // Negative control: the same copy with the valid config publishes (from that directory).
        assert.equal(await main(["--org", "acme", "--env", "ok"], () => undefined, () => undefined, runPulumi, policies), EXIT.ok);
        assert.deepEqual(calls().map((c) => [c.cwd, c.args[1]]), [[fs.realpathSync(policies), "publish"], [fs.realpathSync(PROJECT_DIR), "enable"]]);
        fs.rmSync(policies, { recursive: true, force: true });
    });

    it("--dry-run prints both commands and runs none", async () => {
        const { code, stdout } = await publish("--org", "acme", "--env", "dev", "--dry-run");
        assert.equal(code, EXIT.ok);
        assert.deepEqual(calls(), []);
        assert.match(stdout, /\(cd policies && pulumi policy publish acme\)\n\$ pulumi policy enable acme\/llm-serving-guardrails \S+ --policy-group dev --config policies\/config\/dev\.json/);
    });
});
