import { strict as assert } from "node:assert";
import { MockRun, PlannedResource } from "../../../plan/mocks";
import { planDocument } from "../../../plan/render";
import { LLAMA_CPP_IMAGE, VLLM_IMAGE } from "../../../components/serving";
import { one, plan, stackFrom, TEST_TAGS } from "../../helpers/program";
import { API_KEY_SENTINEL, everyText, HF_SENTINEL, SECRETS, VM } from "../../components/azure/fixtures";

const T = {
    component: "llm-serving:azure:GpuVm",
    vm: "azure-native:compute:VirtualMachine",
    nsg: "azure-native:network:NetworkSecurityGroup",
    secret: "azure-native:keyvault:Secret",
    role: "azure-native:authorization:RoleAssignment",
    ip: "azure-native:network:PublicIPAddress",
    vault: "azure-native:keyvault:Vault",
    command: "command:local:Command",
};

const cloudInit = (vm: PlannedResource) =>
    Buffer.from(String((vm.inputs.osProfile as Record<string, unknown>).customData), "base64").toString("utf8");

describe("GpuVm under mocks", function () {
    let run: MockRun<unknown>;
    let resources: PlannedResource[];
    before(async () => {
        run = await plan(stackFrom({ tags: TEST_TAGS, targets: { gpuVm: VM } }, SECRETS));
        resources = run.resources;
    });
    const obj = (r: PlannedResource, key: string) => r.inputs[key] as Record<string, any>;

    it("allows SSH keys only: password authentication disabled, no admin password", () => {
        const os = obj(one(resources, T.vm), "osProfile");
        assert.equal(os.linuxConfiguration.disablePasswordAuthentication, true);
        assert.equal(os.adminPassword, undefined);
        assert.equal(os.linuxConfiguration.ssh.publicKeys[0].keyData, VM.sshPublicKey);
    });

    it("runs spot with the eviction policy and max price the cost policy reads", () => {
        const vm = one(resources, T.vm);
        assert.equal(obj(vm, "hardwareProfile").vmSize, "Standard_NC4as_T4_v3");
        assert.equal(vm.inputs.priority, "Spot");
        assert.equal(vm.inputs.evictionPolicy, "Deallocate");
        assert.deepEqual(vm.inputs.billingProfile, { maxPrice: 0.2 });
        assert.equal(vm.inputs.location, "eastus");
    });

    it("opens no port to * or Internet, and SSH only to admin ranges", () => {
        const rules = one(resources, T.nsg).inputs.securityRules as Array<Record<string, any>>;
        for (const rule of rules) {
            const sources = [rule.sourceAddressPrefix, ...(rule.sourceAddressPrefixes ?? [])].filter(Boolean);
            for (const s of sources) assert.ok(!["*", "Internet", "0.0.0.0/0"].includes(s), `${rule.name} from ${s}`);
        }
        const ssh = rules.find((r) => r.destinationPortRange === "22");
        assert.deepEqual(ssh?.sourceAddressPrefixes, ["203.0.113.0/24"]);
    });

    it("reads secrets from Key Vault through its identity; customData carries none", () => {
        const vm = one(resources, T.vm);
        const script = cloudInit(vm);
        assert.ok(!script.includes(API_KEY_SENTINEL) && !script.includes(HF_SENTINEL));
        assert.match(script, /169\.254\.169\.254\/metadata\/identity/);
        assert.match(script, /vault\.azure\.net/);
        assert.ok(script.includes(VLLM_IMAGE));
        assert.equal(obj(vm, "identity").type, "UserAssigned");
        for (const s of resources.filter((r) => r.type === T.secret)) {
            const props = s.inputs.properties as unknown;
            // The whole properties object is secret on the wire, or at least its value.
            assert.ok(props === "[secret]" || (props as Record<string, unknown>).value === "[secret]", s.name);
        }
        // The API key, the HF token, and the (not secret) metrics ingestion URL.
        assert.equal(resources.filter((r) => r.type === T.secret).length, 3);
        assert.ok(one(resources, T.role, "gpu-vm-kv-reader").propertyDependencies.principalId?.length);
    });

    it("grants the VM's managed identity as a ServicePrincipal (azure-native sends User when unset)", () => {
        for (const name of ["gpu-vm-kv-reader", "gpu-vm-metrics-publisher"]) assert.equal(one(resources, T.role, name).inputs.principalType, "ServicePrincipal");
    });

    it("purges its vault after a destroy, so the fixed vault name is free for the next up inside the soft-delete window", () => {
        const purge = one(resources, T.command);
        const vault = one(resources, T.vault);
        assert.equal(purge.inputs.create, undefined, "does nothing on create");
        assert.match(purge.inputs.delete as string, /az keyvault purge --subscription "\$\{KV_SUBSCRIPTION\}" --name "\$\{KV_NAME\}" --location "\$\{KV_LOCATION\}"/);
        const env = purge.inputs.environment as Record<string, string>;
        assert.equal(env.KV_NAME, vault.inputs.vaultName, "purges this vault's name");
        assert.equal(env.KV_LOCATION, "eastus");
        assert.ok(vault.dependencies?.includes(purge.urn), "the vault depends on the purge, so a destroy deletes the vault first");
        assert.equal((vault.inputs.properties as Record<string, unknown>).enablePurgeProtection, undefined, "purge protection would forbid the purge");
    });

    it("parents every child, outputs the endpoint and leaks no secret into the plan", () => {
        const component = one(resources, T.component);
        for (const r of resources.filter((r) => r !== component)) assert.equal(r.parent, component.urn, `${r.type} ${r.name}`);
        const outputs = run.outputs as { endpoints: Record<string, string> };
        assert.equal(outputs.endpoints.gpuVm, "http://198.51.100.20:8000/v1");
        const text = everyText({ plan: planDocument("llm-serving", "test", resources), outputs });
        assert.ok(!text.includes(API_KEY_SENTINEL));
        assert.ok(!text.includes(HF_SENTINEL));
    });

    it("runs llama.cpp on a CPU size, and without a public IP serves on its private address", async () => {
        const { resources, outputs } = await plan(
            stackFrom({ tags: TEST_TAGS, targets: { gpuVm: { ...VM, vmSize: "Standard_D8s_v5", spot: false, spotMaxPrice: undefined, publicIp: false, allowedCidrs: [] } } }),
        );
        const vm = one(resources, T.vm);
        assert.equal(vm.inputs.priority, "Regular");
        const script = cloudInit(vm);
        assert.ok(script.includes(LLAMA_CPP_IMAGE));
        assert.ok(!script.includes("--gpus"));
        assert.ok(!script.includes("nvidia"));
        assert.equal(resources.filter((r) => r.type === T.ip).length, 0);
        assert.equal((outputs.endpoints as Record<string, string>).gpuVm, "http://10.30.1.10:8000/v1");
    });
});
