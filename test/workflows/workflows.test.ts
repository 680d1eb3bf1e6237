// Every GitHub Actions workflow is valid against the workflow schema (@action-validator/core), and
// follows the project's rules: least-privilege permissions, no long-lived cloud keys, the policy
// pack with that environment's config on every pulumi step, prod behind its protected environment.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { parse } from "yaml";
import { committedStacks, loadStack } from "../../plan/stackFiles";

const ROOT = path.resolve(__dirname, "..", "..");
const DIR = path.join(ROOT, ".github", "workflows");
const FILES = fs.readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
const read = (f: string) => fs.readFileSync(path.join(DIR, f), "utf8");
/**
 * The self-hosted runner every job that reaches a cloud runs on: its fixed egress address is in
 * the committed stacks' API server ranges (203.0.113.0/24). Also listed in .github/actionlint.yaml.
 */
const DEPLOYER_RUNNER = ["self-hosted", "linux", "llm-serving-deployer"];
/** The runner's egress range as the committed stacks name it (a documentation range; README). */
const DEPLOYER_EGRESS = "203.0.113.0/24";

/** Cluster targets of a stack whose API server the deployer cannot reach. */
function unreachableClusters(targets: Record<string, Record<string, unknown>>): string[] {
    const out: string[] = [];
    const aks = targets.aksGpu;
    if (aks && !aks.existingClusterId && !aks.privateCluster && !((aks.apiServerAuthorizedRanges as string[] | undefined) ?? []).includes(DEPLOYER_EGRESS)) {
        out.push(`aksGpu.apiServerAuthorizedRanges lacks ${DEPLOYER_EGRESS}`);
    }
    if (aks?.privateCluster) out.push("aksGpu.privateCluster: the self-hosted runner is outside the cluster's network");
    const eks = targets.eksInf2;
    if (eks && !((eks.apiAccessCidrs as string[] | undefined) ?? []).includes(DEPLOYER_EGRESS)) out.push(`eksInf2.apiAccessCidrs lacks ${DEPLOYER_EGRESS}`);
    return out;
}

interface Step { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, unknown>; if?: string; name?: string }
interface Job { "runs-on"?: unknown; permissions?: unknown; environment?: unknown; needs?: string | string[]; steps?: Step[]; strategy?: { matrix?: { stack?: string[] } } }
interface Workflow { on: unknown; permissions?: unknown; jobs: Record<string, Job> }

/** What breaks the project's rules in one workflow's text; empty when it follows them. */
function problems(source: string): string[] {
    const wf = parse(source) as Workflow;
    const out: string[] = [];
    // Long-lived credentials: cloud keys in secrets, or the inputs that take them.
    const longLived = /secrets\.[A-Z0-9_]*(_KEY|_SECRET|SECRET_ACCESS_KEY|CLIENT_SECRET|CREDENTIALS|_CREDS)\b|aws-secret-access-key|aws-access-key-id|credentials_json|\bcreds:/;
    if (longLived.test(source)) out.push(`references a long-lived credential: ${source.match(longLived)![0]}`);
    for (const m of source.matchAll(/secrets\.([A-Za-z0-9_]+)/g)) {
        if (!["PULUMI_ACCESS_TOKEN", "GITHUB_TOKEN"].includes(m[1])) out.push(`reads secret ${m[1]}`);
    }
    if (/write-all/.test(source)) out.push("grants write-all");
    for (const [name, job] of Object.entries(wf.jobs)) {
        if (job.permissions === undefined && wf.permissions === undefined) out.push(`job ${name} sets no permissions and neither does the workflow`);
        const steps = job.steps ?? [];
        const oidc = steps.some((s) => /^(google-github-actions\/auth|azure\/login|aws-actions\/configure-aws-credentials)@/.test(s.uses ?? ""));
        const perms = (job.permissions ?? {}) as Record<string, string>;
        if (oidc && perms["id-token"] !== "write") out.push(`job ${name} logs in to a cloud without id-token: write`);
        if (!oidc && perms["id-token"] === "write") out.push(`job ${name} asks for id-token: write and never uses it`);
        const pulumiAt = steps.findIndex((s) => /^pulumi\/actions@/.test(s.uses ?? ""));
        if (pulumiAt >= 0) {
            // The cluster stacks' API servers admit only the deployer's egress range.
            if (JSON.stringify(job["runs-on"]) !== JSON.stringify(DEPLOYER_RUNNER)) {
                out.push(`job ${name} runs pulumi on ${JSON.stringify(job["runs-on"])}, not the self-hosted deployer runner ${JSON.stringify(DEPLOYER_RUNNER)}`);
            }
            // AKS with Entra ID: kubelogin installed before pulumi, signing in non-interactively.
            const azureAt = steps.findIndex((s) => /^azure\/login@/.test(s.uses ?? ""));
            if (azureAt >= 0) {
                const kubeloginAt = steps.findIndex((s) => /^azure\/use-kubelogin@/.test(s.uses ?? ""));
                if (kubeloginAt < 0 || kubeloginAt > pulumiAt) out.push(`job ${name}: no kubelogin before pulumi (AKS Entra ID sign-in)`);
                if (steps[pulumiAt].env?.AAD_LOGIN_METHOD !== "azurecli") out.push(`job ${name}: pulumi step without AAD_LOGIN_METHOD=azurecli (kubelogin would ask for a device code)`);
            }
        } else if (JSON.stringify(job["runs-on"]) === JSON.stringify(DEPLOYER_RUNNER)) {
            out.push(`job ${name} takes the deployer runner without running pulumi`);
        }
        for (const s of steps) {
            if (s.uses && !/@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/.test(s.uses)) out.push(`step ${s.uses} is not pinned to a version tag or commit SHA`);
            if (/^google-github-actions\/auth@/.test(s.uses ?? "") && !s.with?.workload_identity_provider) out.push(`job ${name}: GCP auth without workload identity`);
            if (/^azure\/login@/.test(s.uses ?? "") && !s.with?.["client-id"]) out.push(`job ${name}: Azure login without a federated client-id`);
            if (/^aws-actions\/configure-aws-credentials@/.test(s.uses ?? "") && !s.with?.["role-to-assume"]) out.push(`job ${name}: AWS without role-to-assume`);
            if (/^pulumi\/actions@/.test(s.uses ?? "")) {
                const stackName = String(s.with?.["stack-name"] ?? "");
                const stack = stackName.split("/").at(-1) ?? "";
                if (s.with?.policyPacks !== "policies") out.push(`job ${name}: pulumi step without policyPacks: policies`);
                if (s.with?.policyPackConfigs !== `policies/config/${stack}.json`) {
                    out.push(`job ${name}: pulumi ${String(s.with?.command)} of ${stack} uses policy config ${String(s.with?.policyPackConfigs)}`);
                }
                if (s.env?.PULUMI_ACCESS_TOKEN !== "${{ secrets.PULUMI_ACCESS_TOKEN }}") out.push(`job ${name}: pulumi step without PULUMI_ACCESS_TOKEN from secrets`);
                if (s.with?.command === "up" && stack === "prod" && job.environment !== "prod") out.push(`job ${name}: deploys prod outside environment prod`);
            }
        }
        // pulumi/actions runs `up` through the Automation API, which skips its preview: stack
        // policies then run only after the changes were made. A preview of the same stack with the
        // same pack and config must come first, so the pack stops an over-cap change before it.
        steps.forEach((s, i) => {
            if (!/^pulumi\/actions@/.test(s.uses ?? "") || s.with?.command !== "up") return;
            const same = (p: Step) =>
                /^pulumi\/actions@/.test(p.uses ?? "") && p.with?.command === "preview" && p.with?.["stack-name"] === s.with?.["stack-name"] &&
                p.with?.policyPacks === s.with?.policyPacks && p.with?.policyPackConfigs === s.with?.policyPackConfigs && p.if === s.if;
            if (!steps.slice(0, i).some(same)) out.push(`job ${name}: pulumi up of ${String(s.with?.["stack-name"])} without a preview with the same pack and config before it`);
        });
    }
    return out;
}

/**
 * True when .ci/run's Node 22 pass runs the unit tests with the shared program runs frozen
 * (LLM_SERVING_FREEZE_SHARED_RUNS=1): the only CI pass where a test that changes a shared run fails.
 */
export function ciFreezesSharedRuns(script: string): boolean {
    const node22 = script.split(/\n\(\n/).find((block) => /PATH="\$\{node22\}/.test(block)) ?? "";
    return /^\s*(export\s+)?LLM_SERVING_FREEZE_SHARED_RUNS=1\s+npm run test:unit\s*$/m.test(node22);
}

describe(".ci/run", () => {
    it("the Node 22 pass runs the unit tests with shared runs frozen (negative control: without the variable, or in the Node 24 pass)", () => {
        const script = fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8");
        assert.equal(ciFreezesSharedRuns(script), true);
        assert.equal(ciFreezesSharedRuns(script.replace("LLM_SERVING_FREEZE_SHARED_RUNS=1 npm run test:unit", "npm run test:unit")), false);
        const moved = script.replace("LLM_SERVING_FREEZE_SHARED_RUNS=1 npm run test:unit", "npm run test:unit").replace("    npm test\n", "    LLM_SERVING_FREEZE_SHARED_RUNS=1 npm run test:unit\n");
        assert.equal(ciFreezesSharedRuns(moved), false);
    });
});

describe("GitHub Actions workflows", () => {
    it("has the preview, deploy and ci workflows", () => {
        assert.deepEqual(FILES, ["ci.yml", "deploy.yml", "preview.yml", "prices.yml"]);
    });

    for (const f of FILES) {
        it(`${f} is a valid workflow (action-validator: zero errors)`, () => {
            const { errors } = validateWorkflow(read(f));
            assert.deepEqual(errors, [], JSON.stringify(errors, null, 2));
        });
        it(`${f} follows the rules: permissions, no long-lived keys, policy pack + env config on pulumi steps`, () => {
            assert.deepEqual(problems(read(f)), []);
        });
    }

    it("the validator does catch a broken workflow", () => {
        const broken = "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    stepz:\n      - run: echo hi\n";
        assert.ok(validateWorkflow(broken).errors.length > 0);
        assert.ok(validateWorkflow("name: x\non: push\njobs: []\n").errors.length > 0);
    });

    it("the rule checks catch a stored AWS key, a missing policy config and an unprotected prod deploy", () => {
        const deploy = read("deploy.yml");
        const keyed = deploy.replace("role-to-assume: ${{ vars.AWS_ROLE_ARN }}", "aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}");
        assert.notEqual(keyed, deploy);
        assert.ok(problems(keyed).some((p) => /long-lived credential/.test(p)));
        assert.ok(problems(deploy.replaceAll("policies/config/prod.json", "policies/config/dev.json")).some((p) => /pulumi up of prod uses policy config policies\/config\/dev\.json/.test(p)));
        assert.ok(problems(deploy.replace(/^    environment: prod$/m, "")).some((p) => /deploys prod outside environment prod/.test(p)));
        // Each deploy job previews with the pack before up: without that preview, or with another
        // config on it, the job is reported.
        assert.deepEqual(problems(deploy), []);
        const noPreview = deploy.replace(/          command: preview\n(          stack-name: \$\{\{ vars\.PULUMI_ORG \}\}\/llm-serving\/prod)/, "          command: refresh\n$1");
        assert.notEqual(noPreview, deploy);
        assert.ok(problems(noPreview).some((p) => /job prod: pulumi up of .*llm-serving\/prod without a preview with the same pack and config before it/.test(p)));
        const otherConfig = deploy.replace(/(command: preview\n\s+stack-name: .*\/dev\n\s+policyPacks: policies\n\s+policyPackConfigs: )policies\/config\/dev\.json/, "$1policies/config/prod.json");
        assert.notEqual(otherConfig, deploy);
        assert.ok(problems(otherConfig).some((p) => /job dev: pulumi up of .*llm-serving\/dev without a preview/.test(p)));
        assert.ok(problems(deploy.replace(/^permissions: \{\}$/m, "").replace(/^    permissions:\n      contents: read\n      id-token: write$/m, "")).some((p) => /sets no permissions/.test(p)));
    });

    it("the rule checks catch a cluster stack deployed from a GitHub-hosted runner, and kubelogin left interactive or missing", () => {
        const deploy = read("deploy.yml");
        const hosted = deploy.replace("runs-on: [self-hosted, linux, llm-serving-deployer]", "runs-on: ubuntu-latest");
        assert.notEqual(hosted, deploy);
        assert.ok(problems(hosted).some((p) => /job dev runs pulumi on "ubuntu-latest", not the self-hosted deployer runner/.test(p)));
        const preview = read("preview.yml");
        const interactive = preview.replace("AAD_LOGIN_METHOD: azurecli", "AAD_LOGIN_METHOD: devicecode");
        assert.notEqual(interactive, preview);
        assert.ok(problems(interactive).some((p) => /pulumi step without AAD_LOGIN_METHOD=azurecli/.test(p)));
        const noKubelogin = preview.replace(/uses: azure\/use-kubelogin@[0-9a-f]{40} # v[\d.]+/, "uses: actions/cache@v4");
        assert.notEqual(noKubelogin, preview);
        assert.ok(problems(noKubelogin).some((p) => /no kubelogin before pulumi/.test(p)));
        const planOnDeployer = preview.replace(/(  plan:\n(?:.*\n)*?)    runs-on: ubuntu-latest/, "$1    runs-on: [self-hosted, linux, llm-serving-deployer]");
        assert.notEqual(planOnDeployer, preview);
        assert.ok(problems(planOnDeployer).some((p) => /job plan takes the deployer runner without running pulumi/.test(p)));
    });

    it("jobs that reach a cloud run on the self-hosted deployer runner; the offline plan and CI stay on GitHub-hosted runners", () => {
        const jobs = FILES.flatMap((f) => Object.entries((parse(read(f)) as Workflow).jobs).map(([name, job]) => ({ id: `${f}:${name}`, job })));
        const on = (id: string) => jobs.find((j) => j.id === id)!.job["runs-on"];
        for (const id of ["deploy.yml:dev", "deploy.yml:prod", "preview.yml:pulumi-preview"]) assert.deepEqual(on(id), DEPLOYER_RUNNER, id);
        for (const id of ["preview.yml:plan", "ci.yml:ci"]) assert.equal(on(id), "ubuntu-latest", id);
        // The runner's label is the one actionlint is told about.
        const config = parse(fs.readFileSync(path.join(ROOT, ".github", "actionlint.yaml"), "utf8")) as { "self-hosted-runner": { labels: string[] } };
        assert.deepEqual(config["self-hosted-runner"].labels, DEPLOYER_RUNNER.filter((l) => !["self-hosted", "linux"].includes(l)));
    });

    it("the committed stacks and the workflows agree: every cluster's API server admits the deployer runner's range", () => {
        for (const stack of committedStacks(ROOT)) {
            const raw = loadStack(ROOT, stack).config["llm-serving:targets"];
            assert.deepEqual(unreachableClusters(JSON.parse(raw) as Record<string, Record<string, unknown>>), [], stack);
        }
        // Negative controls: a range without the runner, a private EKS endpoint, a private AKS cluster.
        assert.deepEqual(unreachableClusters({ aksGpu: { apiServerAuthorizedRanges: ["198.51.100.0/24"] } }), [`aksGpu.apiServerAuthorizedRanges lacks ${DEPLOYER_EGRESS}`]);
        assert.deepEqual(unreachableClusters({ eksInf2: {} }), [`eksInf2.apiAccessCidrs lacks ${DEPLOYER_EGRESS}`]);
        assert.equal(unreachableClusters({ aksGpu: { privateCluster: true } }).length, 1);
        assert.deepEqual(unreachableClusters({ aksGpu: { existingClusterId: "/subscriptions/x" } }), [], "an existing cluster's ranges are its owner's");
    });

    it("deploy: dev on push to main, prod needs dev in the protected prod environment", () => {
        const wf = parse(read("deploy.yml")) as Workflow & { on: { push: { branches: string[] } } };
        assert.deepEqual(wf.on.push.branches, ["main"]);
        assert.equal(wf.jobs.dev.environment, "dev");
        assert.equal(wf.jobs.prod.environment, "prod");
        assert.equal(wf.jobs.prod.needs, "dev");
        const commands = (job: Job) => job.steps!.filter((s) => s.uses?.startsWith("pulumi/actions@")).map((s) => s.with!.command);
        assert.deepEqual([commands(wf.jobs.dev), commands(wf.jobs.prod)], [["preview", "up"], ["preview", "up"]]);
    });

    it("preview: every committed stack planned with --compare against the base's --json, --markdown, one sticky comment per stack, then pulumi preview of dev and prod", () => {
        const source = read("preview.yml");
        const wf = parse(source) as Workflow;
        assert.deepEqual([...(wf.jobs.plan.strategy?.matrix?.stack ?? [])].sort(), committedStacks(ROOT).sort());
        assert.deepEqual(wf.jobs["pulumi-preview"].strategy?.matrix?.stack, ["dev", "prod"]);
        const runs = wf.jobs.plan.steps!.map((s) => s.run ?? "").join("\n");
        for (const cmd of ["npm ci", "npm run typecheck", "npm run test:unit"]) assert.ok(runs.includes(cmd), cmd);
        assert.match(runs, /npm run --silent plan -- --stack "\$STACK" --json > "\$RUNNER_TEMP\/base\.json"/);
        assert.match(runs, /args=\(--stack "\$STACK" --markdown\)/);
        assert.match(runs, /args\+=\(--compare "\$RUNNER_TEMP\/base\.json"\)/);
        assert.match(runs, />> "\$GITHUB_STEP_SUMMARY"/);
        const comment = wf.jobs.plan.steps!.find((s) => s.uses?.startsWith("marocchino/sticky-pull-request-comment@"))!;
        assert.equal(comment.with?.header, "plan-${{ matrix.stack }}");
        assert.deepEqual(wf.jobs.plan.permissions, { contents: "read", "pull-requests": "write" });
        const setup = wf.jobs.plan.steps!.find((s) => s.uses?.startsWith("actions/setup-node@"))!;
        assert.deepEqual(setup.with, { "node-version": 24, cache: "npm" });
        const preview = wf.jobs["pulumi-preview"].steps!.find((s) => s.uses?.startsWith("pulumi/actions@"))!;
        assert.equal(preview.with?.command, "preview");
        assert.equal(wf.jobs["pulumi-preview"].needs, "plan");
    });

    it("every policy config a workflow names exists", () => {
        for (const f of FILES) {
            for (const m of read(f).matchAll(/policies\/config\/([a-z]+)\.json/g)) {
                assert.ok(fs.existsSync(path.join(ROOT, "policies", "config", `${m[1]}.json`)), `${f}: ${m[0]}`);
            }
        }
        for (const stack of ["dev", "prod"]) assert.ok(fs.existsSync(path.join(ROOT, "policies", "config", `${stack}.json`)));
    });

    /** `uses:` lines not pinned to a full commit SHA with the release tag in a comment. */
    function unpinned(source: string): string[] {
        return [...source.matchAll(/^\s*(?:- )?uses:\s*(.+)$/gm)]
            .map((m) => m[1].trim())
            .filter((u) => !/^[\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+(\.\d+){0,2}$/.test(u));
    }

    it("every action is pinned to a commit SHA with its release tag in a comment, and runs Node 24", () => {
        for (const f of FILES) {
            assert.deepEqual(unpinned(read(f)), [], f);
            for (const m of read(f).matchAll(/node-version:\s*(\S+)/g)) assert.equal(m[1], "24", `${f}: node-version ${m[1]}`);
        }
    });

    it("negative control: a major tag, a SHA without its tag and a short SHA are reported", () => {
        const source = "steps:\n  - uses: actions/checkout@v4\n  - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1\n  - uses: actions/checkout@3d3c42e # v7.0.1\n";
        assert.equal(unpinned(source).length, 3);
    });
});
