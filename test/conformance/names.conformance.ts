import { strict as assert } from "node:assert";
import { ConformancePlan, conformancePlans } from "./plans";
import { AWS_NAME_RULES, AZURE_NAME_RULES, autonamed, checkNames, GCP_NAME_RULES, GRAFANA_NAME_RULES, kubernetesNameRule, nameProblems, NamedResource, NameRule } from "./nameRules";

/** The stack a plan ran as: committed stacks by name, variants as "conformance" (plans.ts). */
const stackOf = (p: ConformancePlan) => (p.label.startsWith("stack ") ? p.label.slice("stack ".length) : "conformance");

describe("conformance: resource names against the clouds' naming rules", () => {
    let plans: ConformancePlan[];
    before(async () => {
        plans = await conformancePlans();
    });

    it("every name the program sets, and every autonamed form, fits its type's rule; every type has a rule; no global name is shared by two stacks", () => {
        const { problems, checked } = checkNames(plans.map((p) => ({ label: p.label, stack: stackOf(p), resources: p.resources })));
        assert.deepEqual(problems, []);
        assert.ok(checked > 100, `checked ${checked} names`);
        console.log(`      ${checked} names in ${plans.length} plans`);
    });

    describe("negative controls", () => {
        const acr = AZURE_NAME_RULES["azure-native:containerregistry:Registry"];

        it("the old autonamed container registry (logical name + 8 random characters) is refused", () => {
            const old = autonamed("azure-ml-acr", acr.autoname)!;
            assert.match(nameProblems(old, acr).join(), /does not match/);
            // The same check over a plan: the registry with no registryName.
            const plan = { label: "old", stack: "prod", resources: [{ type: "azure-native:containerregistry:Registry", name: "azure-ml-acr", custom: true, inputs: {} }] };
            assert.match(checkNames([plan]).problems.join("\n"), /registryName \(autonamed\) "azure-ml-acr0a1b2c3d": does not match/);
        });

        it("names past a length limit or outside a charset are refused", () => {
            const storage = AZURE_NAME_RULES["azure-native:storage:StorageAccount"];
            assert.ok(nameProblems("llmStorage", storage).length > 0, "uppercase");
            assert.ok(nameProblems("l".repeat(25), storage).length > 0, "25 characters");
            const vault = AZURE_NAME_RULES["azure-native:keyvault:Vault"];
            assert.ok(nameProblems("kv--double", vault).length > 0, "consecutive hyphens");
            assert.ok(nameProblems("1vault", vault).length > 0, "starts with a digit");
            assert.ok(nameProblems("gpu", AZURE_NAME_RULES["azure-native:containerservice:AgentPool"]).length === 0);
            assert.ok(nameProblems("gpupool-spot1", AZURE_NAME_RULES["azure-native:containerservice:AgentPool"]).length > 0, "13 characters and a hyphen");
            assert.ok(nameProblems("sa-x", GCP_NAME_RULES["gcp:serviceaccount/account:Account"]!).length > 0, "service account id under 6");
            const elb = AWS_NAME_RULES["aws:lb/loadBalancer:LoadBalancer"]!;
            assert.ok(nameProblems(autonamed("eks-inf2-network-load-balancer", elb.autoname)!, elb).length > 0, "an autonamed ELB over 32");
            assert.ok(nameProblems(autonamed("x".repeat(57), "tfbridge")!, AWS_NAME_RULES["aws:iam/role:Role"]!).length > 0, "an autonamed IAM role over 64");
            const endpoint = AZURE_NAME_RULES["azure-native:machinelearningservices:OnlineEndpoint"];
            assert.ok(nameProblems(autonamed("azure-ml-online-endpoint-x", endpoint.autoname)!, endpoint).length > 0, "an autonamed ML endpoint over 32");
            const topic = AWS_NAME_RULES["aws:sns/topic:Topic"]!;
            assert.ok(nameProblems("alerts.fifo", topic).length === 0 && nameProblems("alerts.json", topic).length > 0, "an SNS topic may end only in .fifo");
            assert.ok(nameProblems("t".repeat(257), topic).length > 0, "an SNS topic over 256");
            assert.ok(nameProblems("llm:dev", AWS_NAME_RULES["aws:budgets/budget:Budget"]!).length > 0, "':' in an AWS budget name");
            assert.ok(nameProblems("llm|dev", AZURE_NAME_RULES["azure-native:monitor:MetricAlert"]).length > 0, "'|' in a metric alert name");
            assert.ok(nameProblems("alerts.", AZURE_NAME_RULES["azure-native:monitor:ActionGroup"]).length > 0, "an action group ending in a period");
            assert.ok(nameProblems("b".repeat(64), AZURE_NAME_RULES["azure-native:consumption:Budget"]).length > 0, "an Azure budget over 63");
        });

        it("the breakers' and the eksInf2 observability's names: out-of-rule names are refused, the program's forms pass", () => {
            const refused = (name: string, rule: NameRule | null | undefined) => nameProblems(name, rule!).length > 0;
            const bucket = GCP_NAME_RULES["gcp:storage/bucket:Bucket"];
            assert.ok(!refused("acme-llm-prod-llm-breaker-prod", bucket));
            for (const bad of ["goog-breaker", "my-google-bucket", "Acme-llm", "ab", "b".repeat(64), "bucket-", "a.b.c"]) assert.ok(refused(bad, bucket), `bucket ${bad}`);
            const role = GCP_NAME_RULES["gcp:projects/iAMCustomRole:IAMCustomRole"];
            assert.ok(!refused("llmServingBreaker_showcase", role));
            for (const bad of ["llm-serving-breaker", "ab", "r".repeat(65)]) assert.ok(refused(bad, role), `role id ${bad}`);
            assert.ok(refused(autonamed("breaker-gcp-role-p", role!.autoname)!, role), "an autonamed role id (hyphens) never fits: the program must set it");
            const fn = GCP_NAME_RULES["gcp:cloudfunctionsv2/function:Function"];
            assert.ok(!refused("llm-serving-breaker-showcase", fn));
            for (const bad of ["1breaker", "breaker-", "f".repeat(50)]) assert.ok(refused(bad, fn), `function ${bad}`);
            const topic = GCP_NAME_RULES["gcp:pubsub/topic:Topic"];
            for (const bad of ["goog-breaker", "ab", "1topic", "topic/x"]) assert.ok(refused(bad, topic), `topic ${bad}`);
            assert.ok(refused("..", GCP_NAME_RULES["gcp:storage/bucketObject:BucketObject"]) && refused("a\nb.zip", GCP_NAME_RULES["gcp:storage/bucketObject:BucketObject"]));
            const app = AZURE_NAME_RULES["azure-native:web:WebApp"];
            for (const bad of ["-app", "app-", "a", "a".repeat(61), "app_1"]) assert.ok(refused(bad, app), `web app ${bad}`);
            assert.ok(refused("p".repeat(61), AZURE_NAME_RULES["azure-native:web:AppServicePlan"]) && refused("plan_1", AZURE_NAME_RULES["azure-native:web:AppServicePlan"]));
            assert.ok(refused("breaker-azure-role", AZURE_NAME_RULES["azure-native:authorization:RoleDefinition"]), "a role definition's name is a GUID");
            const lambda = AWS_NAME_RULES["aws:lambda/function:Function"];
            for (const bad of ["llm-serving-breaker-prod.v2", "l".repeat(65)]) assert.ok(refused(bad, lambda), `lambda ${bad}`);
            assert.ok(refused("from.sns", AWS_NAME_RULES["aws:lambda/permission:Permission"]) && refused("s".repeat(101), AWS_NAME_RULES["aws:lambda/permission:Permission"]));
            assert.ok(refused("-eks-inf2", AWS_NAME_RULES["aws:amp/scraper:Scraper"]) && refused("a".repeat(101), AWS_NAME_RULES["aws:amp/workspace:Workspace"]));
            assert.ok(refused("n".repeat(65), AWS_NAME_RULES["aws:amp/ruleGroupNamespace:RuleGroupNamespace"]) && refused("llm serving", AWS_NAME_RULES["aws:amp/ruleGroupNamespace:RuleGroupNamespace"]));
            assert.ok(refused("eks inf2", AWS_NAME_RULES["aws:grafana/workspace:Workspace"]) && refused("p".repeat(129), AWS_NAME_RULES["aws:grafana/workspaceServiceAccount:WorkspaceServiceAccount"]));
            assert.ok(refused("u".repeat(41), GRAFANA_NAME_RULES["grafana:oss/dataSource:DataSource"]) && refused("llm serving", GRAFANA_NAME_RULES["grafana:oss/dataSource:DataSource"]));
        });

        it("a dashboard's uid is read from its JSON model, a custom role's display name is tenant-wide, RBAC objects are path segments", () => {
            const r = (type: string, inputs: Record<string, unknown>): NamedResource => ({ type, name: "x", custom: true, inputs });
            const dashboard = (uid: string) => r("grafana:oss/dashboard:Dashboard", { configJson: JSON.stringify({ title: "t", uid }) });
            assert.deepEqual(checkNames([{ label: "p", stack: "s", resources: [dashboard("llm-serving-eks-inf2")] }]).problems, []);
            assert.match(checkNames([{ label: "p", stack: "s", resources: [dashboard("d".repeat(41))] }]).problems.join(), /configJson\.uid "d{41}": 41 characters/);
            assert.match(checkNames([{ label: "p", stack: "s", resources: [r("grafana:oss/dashboard:Dashboard", { configJson: "{" })] }]).problems.join(), /not JSON/);
            const role = (stack: string, roleName: string) => ({ label: stack, stack, resources: [r("azure-native:authorization:RoleDefinition", { roleName })] });
            assert.match(checkNames([role("ha", "llm-serving breaker"), role("prod", "llm-serving breaker")]).problems.join(), /same globally unique name in stacks ha, prod/);
            assert.deepEqual(checkNames([role("ha", "llm-serving breaker llm-serving/ha"), role("prod", "llm-serving breaker llm-serving/prod")]).problems, []);
            const binding = kubernetesNameRule("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding");
            assert.deepEqual(nameProblems("custom-metrics:system:auth-delegator", binding), []);
            for (const bad of ["a/b", "50%", ".."]) assert.ok(nameProblems(bad, binding).length > 0, `binding ${bad}`);
            assert.ok(nameProblems("custom-metrics:system:auth-delegator", kubernetesNameRule("kubernetes:core/v1:ConfigMap")).length > 0, "other objects keep the DNS subdomain rule");
        });

        it("a type with no rule, and a global name two stacks share, are reported", () => {
            const r = (type: string, inputs: Record<string, unknown> = {}): NamedResource => ({ type, name: "x-y", custom: true, inputs });
            assert.match(checkNames([{ label: "p", stack: "s", resources: [r("azure-native:cdn:Profile")] }]).problems.join(), /no naming rule for this type/);
            const shared = (stack: string) => ({ label: stack, stack, resources: [r("azure-native:storage:StorageAccount", { accountName: "llmconstantname" })] });
            assert.match(checkNames([shared("dev"), shared("prod")]).problems.join(), /same globally unique name in stacks dev, prod/);
            assert.deepEqual(checkNames([shared("dev"), shared("dev")]).problems, [], "the same stack may name it twice (two variants)");
        });
    });
});
