import { strict as assert } from "node:assert";
import { ConformancePlan, conformancePlans } from "./plans";
import { AWS_NAME_RULES, AZURE_NAME_RULES, autonamed, checkNames, GCP_NAME_RULES, nameProblems, NamedResource } from "./nameRules";

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

        it("a type with no rule, and a global name two stacks share, are reported", () => {
            const r = (type: string, inputs: Record<string, unknown> = {}): NamedResource => ({ type, name: "x-y", custom: true, inputs });
            assert.match(checkNames([{ label: "p", stack: "s", resources: [r("azure-native:cdn:Profile")] }]).problems.join(), /no naming rule for this type/);
            const shared = (stack: string) => ({ label: stack, stack, resources: [r("azure-native:storage:StorageAccount", { accountName: "llmconstantname" })] });
            assert.match(checkNames([shared("dev"), shared("prod")]).problems.join(), /same globally unique name in stacks dev, prod/);
            assert.deepEqual(checkNames([shared("dev"), shared("dev")]).problems, [], "the same stack may name it twice (two variants)");
        });
    });
});
