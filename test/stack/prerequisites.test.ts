// The README's prerequisites against what the committed stacks declare (breaker on, so its
// resources count): every AWS service the stacks create resources in appears in the deploy role's
// permissions row, and every Azure resource provider they need is in the `az provider register`
// loop. A new resource type from a service or provider the README does not name fails here (the
// review of the observability work found aps, grafana, sns, lambda, Microsoft.Monitor,
// Microsoft.AlertsManagement, Microsoft.Dashboard and Microsoft.Web missing).
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { runProgram } from "../../plan/run";
import { loadStack } from "../../plan/stackFiles";

const PROJECT_DIR = path.resolve(__dirname, "../..");
const README = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
const STACKS = ["dev", "prod", "staging", "ha", "showcase"];

/** The IAM service prefix a Pulumi AWS type is created through (Service Authorization Reference prefixes). */
export function awsIamPrefix(type: string): string | undefined {
    const [, mod, rest] = /^aws:([a-z0-9]+)\/([^:]+):/.exec(type) ?? [];
    if (mod === undefined) return undefined;
    if (mod === "cloudwatch") return rest.startsWith("logGroup") ? "logs" : rest.startsWith("event") ? "events" : "cloudwatch";
    const prefixes: Record<string, string> = { amp: "aps", lb: "elasticloadbalancing", vpc: "ec2" };
    return prefixes[mod] ?? mod;
}

/** The resource provider namespace an azure-native type lives in. */
export function azureNamespace(type: string): string | undefined {
    const [, mod, name] = /^azure-native:([a-z]+):([A-Za-z]+)$/.exec(type) ?? [];
    if (mod === undefined) return undefined;
    // The monitor module holds two providers: the Azure Monitor workspace is Microsoft.Monitor, the rest Microsoft.Insights.
    if (mod === "monitor") return name === "AzureMonitorWorkspace" ? "Microsoft.Monitor" : "Microsoft.Insights";
    const namespaces: Record<string, string> = {
        alertsmanagement: "Microsoft.AlertsManagement",
        applicationinsights: "Microsoft.Insights",
        authorization: "Microsoft.Authorization",
        compute: "Microsoft.Compute",
        consumption: "Microsoft.Consumption",
        containerregistry: "Microsoft.ContainerRegistry",
        containerservice: "Microsoft.ContainerService",
        dashboard: "Microsoft.Dashboard",
        keyvault: "Microsoft.KeyVault",
        machinelearningservices: "Microsoft.MachineLearningServices",
        managedidentity: "Microsoft.ManagedIdentity",
        network: "Microsoft.Network",
        operationalinsights: "Microsoft.OperationalInsights",
        resources: "Microsoft.Resources",
        storage: "Microsoft.Storage",
        web: "Microsoft.Web",
    };
    return namespaces[mod];
}

/** Registered in every subscription (learn.microsoft.com, "Azure resource providers and types": registered by default). */
const REGISTERED_BY_DEFAULT = new Set(["Microsoft.Authorization", "Microsoft.Consumption", "Microsoft.Resources"]);

/** The deploy role's AWS permissions cell of the Prerequisites: AWS identities table. */
export function deployRoleRow(readme: string): string {
    const row = readme.split("\n").find((l) => l.includes("| `deploy.yml`: `pulumi up` | `AWS_ROLE_ARN` |"));
    assert.ok(row, "the deploy role's row");
    return row;
}

/** The namespaces of the README's `az provider register` loop. */
export function registeredNamespaces(readme: string): Set<string> {
    const loop = /for ns in ([^;]+); do\n\s+az provider register/.exec(readme);
    assert.ok(loop, "the provider registration loop");
    return new Set(loop[1].split(/[\s\\]+/).filter((w) => w.startsWith("Microsoft.")));
}

describe("README prerequisites cover what the stacks declare", function () {
    this.timeout(600_000);
    let types: Set<string>;
    before(async () => {
        types = new Set();
        for (const name of STACKS) {
            const stack = loadStack(PROJECT_DIR, name);
            const budgets = JSON.parse(stack.config["llm-serving:budgets"] ?? "{}");
            const config = { ...stack.config, "llm-serving:budgets": JSON.stringify({ ...budgets, breaker: { enabled: true, stepToZero: false } }) };
            for (const r of (await runProgram({ ...stack, config })).resources) types.add(r.type);
        }
    });

    it("the deploy role's row names every AWS service the stacks create resources through", () => {
        const row = deployRoleRow(README);
        const prefixes = new Set([...types].map(awsIamPrefix).filter((p): p is string => p !== undefined));
        for (const p of ["aps", "grafana", "sns", "lambda", "kms", "logs", "eks", "ec2"]) assert.ok(prefixes.has(p), `the stacks declare ${p} resources (the check sees them)`);
        assert.deepEqual([...prefixes].filter((p) => !row.includes(`\`${p}\``) && !row.includes(`\`${p}:`)), []);
        // What is not a resource type: the AWS_SSO workspace's Identity Center calls and the scraper's service-linked role.
        for (const action of ["sso:CreateManagedApplicationInstance", "sso:DescribeRegisteredRegions", "sso:GetSharedSsoConfiguration", "organizations:DescribeOrganization", "scraper.aps.amazonaws.com"]) assert.ok(row.includes(action), action);
    });

    it("the provider registration loop lists every Azure resource provider the stacks need", () => {
        const listed = registeredNamespaces(README);
        const needed = new Set([...types].map((t) => (t.startsWith("azure-native:") ? (azureNamespace(t) ?? `unmapped ${t}`) : undefined)).filter((n): n is string => n !== undefined));
        for (const n of ["Microsoft.Monitor", "Microsoft.AlertsManagement", "Microsoft.Dashboard", "Microsoft.Web", "Microsoft.Insights"]) assert.ok(needed.has(n), `the stacks need ${n} (the check sees it)`);
        assert.deepEqual([...needed].filter((n) => !REGISTERED_BY_DEFAULT.has(n) && !listed.has(n)), []);
    });

    it("negative controls: the README before this fix misses aps, grafana, lambda and the monitoring providers", () => {
        const before = README.replace(/, `aps` \(Amazon Managed Service[^|]*\| cluster admin/, " | cluster admin").replace(/ Microsoft\.Monitor Microsoft\.AlertsManagement \\\n\s+Microsoft\.Dashboard Microsoft\.Web;/, ";");
        const row = deployRoleRow(before);
        assert.ok(!row.includes("`aps`") && !row.includes("`grafana`") && !row.includes("`lambda`"));
        const listed = registeredNamespaces(before);
        assert.deepEqual(["Microsoft.Monitor", "Microsoft.Dashboard", "Microsoft.Web"].filter((n) => listed.has(n)), []);
        assert.equal(awsIamPrefix("aws:amp/scraper:Scraper"), "aps");
        assert.equal(azureNamespace("azure-native:monitor:AzureMonitorWorkspace"), "Microsoft.Monitor");
        assert.equal(azureNamespace("azure-native:nothing:Thing"), undefined);
    });
});
