import { strict as assert } from "node:assert";
import { ConfigError, parseStackConfig } from "../../stack";
import { AKS, AML, VM } from "../components/azure/fixtures";

/** One Azure target per config; each row changes one field and names the message it must give. */
function raw(targets: Record<string, unknown>, model?: Record<string, unknown>) {
    const values: Record<string, string> = {
        "llm-serving:tags": JSON.stringify({ owner: "ml-platform", costCenter: "cc-1234" }),
        "llm-serving:targets": JSON.stringify(targets),
    };
    if (model) values["llm-serving:model"] = JSON.stringify(model);
    return { values, secretKeys: new Set<string>() };
}
const aks = (patch: Record<string, unknown>) => raw({ aksGpu: { ...AKS, ...patch } });
const aml = (patch: Record<string, unknown>) => raw({ azureMl: { ...AML, ...patch } });
const vm = (patch: Record<string, unknown>) => raw({ gpuVm: { ...VM, ...patch } });

const ROWS: ReadonlyArray<{ what: string; config: ReturnType<typeof raw>; problem: string | RegExp }> = [
    { what: "aksGpu: an unpriced location", config: aks({ location: "westeurope" }), problem: 'llm-serving:targets.aksGpu.location: got "westeurope"; must be one of the supported Azure locations: eastus, westus2' },
    { what: "aksGpu: a non-GPU pool size", config: aks({ vmSize: "Standard_D8s_v5" }), problem: /^llm-serving:targets\.aksGpu\.vmSize: got "Standard_D8s_v5"; must be one of the supported GPU VM sizes: Standard_NC4as_T4_v3, / },
    { what: "aksGpu: a size not priced in the location", config: aks({ location: "westus2" }), problem: 'llm-serving:targets.aksGpu.location: got "westus2"; must be a location where Standard_NC24ads_A100_v4 is priced: eastus' },
    { what: "aksGpu: spot on a size without a spot price", config: aks({ vmSize: "Standard_NC40ads_H100_v5", replicas: 1 }), problem: "llm-serving:targets.aksGpu.spot: got true; must be false for Standard_NC40ads_H100_v5: no spot price is published for it, so its cost could not be bounded" },
    { what: "aksGpu: a max price without spot", config: aks({ spot: false }), problem: "llm-serving:targets.aksGpu.spotMaxPrice: got 1; must only be set together with spot: true" },
    { what: "aksGpu: a zero max price", config: aks({ spotMaxPrice: 0 }), problem: "llm-serving:targets.aksGpu.spotMaxPrice: got 0; must be a price in USD per hour greater than 0 (at most 100), or -1 (pay up to on-demand)" },
    { what: "aksGpu: more replicas than nodes", config: aks({ replicas: 3 }), problem: /^llm-serving:targets\.aksGpu\.replicas: got 3; must not exceed nodes\.max \(2\)/ },
    { what: "aksGpu: an unbounded pool", config: aks({ nodes: { min: 1 } }), problem: /^llm-serving:targets\.aksGpu\.nodes\.max: is required; must be a whole number from 1 to 10/ },
    { what: "aksGpu: a public API server open to all", config: aks({ apiServerAuthorizedRanges: [] }), problem: /^llm-serving:targets\.aksGpu\.apiServerAuthorizedRanges: got \[\]; must list at least one CIDR/ },
    { what: "aksGpu: 0.0.0.0/0 as an API server range", config: aks({ apiServerAuthorizedRanges: ["0.0.0.0/0"] }), problem: /^llm-serving:targets\.aksGpu\.apiServerAuthorizedRanges\[0\]: got "0\.0\.0\.0\/0"; must be \/16 or narrower: a \/0 admits the whole IPv4 internet/ },
    { what: "aksGpu: a malformed cluster id", config: aks({ existingClusterId: "my-cluster" }), problem: /^llm-serving:targets\.aksGpu\.existingClusterId: got "my-cluster"; must be an AKS cluster resource id/ },
    { what: "aksGpu: an unknown network policy", config: aks({ networkPolicy: "azure" }), problem: 'llm-serving:targets.aksGpu.networkPolicy: got "azure"; must be one of the supported network policy engines: cilium, calico' },
    { what: "aksGpu: a typo'd field", config: aks({ vmsize: "x" }), problem: /^llm-serving:targets\.aksGpu\.vmsize: unknown key; allowed keys are location, existingClusterId, / },
    { what: "azureMl: an unsupported instance type", config: aml({ instanceType: "Standard_NV36ads_A10_v5" }), problem: /^llm-serving:targets\.azureMl\.instanceType: got "Standard_NV36ads_A10_v5"; must be one of the supported Azure ML GPU instance types: / },
    { what: "azureMl: anonymous auth", config: aml({ authMode: "None" }), problem: 'llm-serving:targets.azureMl.authMode: got "None"; must be one of the supported endpoint auth modes: Key, AADToken' },
    { what: "azureMl: min above max", config: aml({ instances: { min: 3, max: 2 } }), problem: 'llm-serving:targets.azureMl.instances: got {"min":3,"max":2}; min must not exceed max' },
    { what: "azureMl: a timeout above Azure ML's limit", config: aml({ requestTimeoutSeconds: 600 }), problem: "llm-serving:targets.azureMl.requestTimeoutSeconds: got 600; must be a whole number from 10 to 180" },
    { what: "gpuVm: an SSH key that is not one", config: vm({ sshPublicKey: "hunter2" }), problem: /^llm-serving:targets\.gpuVm\.sshPublicKey: got "hunter2"; must be an SSH public key in OpenSSH format/ },
    { what: "gpuVm: SSH from anywhere", config: vm({ sshAllowedCidrs: ["0.0.0.0/0"] }), problem: /^llm-serving:targets\.gpuVm\.sshAllowedCidrs\[0\]: got "0\.0\.0\.0\/0"; must be \/16 or narrower: a \/0 admits the whole IPv4 internet/ },
    { what: "gpuVm: a public IP open to every client", config: vm({ allowedCidrs: [] }), problem: /^llm-serving:targets\.gpuVm\.allowedCidrs: got \[\]; must list at least one client CIDR when publicIp is true/ },
    { what: "gpuVm: an unpriced size", config: vm({ vmSize: "Standard_B2s" }), problem: /^llm-serving:targets\.gpuVm\.vmSize: got "Standard_B2s"; must be one of the supported VM sizes: / },
    { what: "gpuVm: a reserved admin name", config: vm({ adminUsername: "admin" }), problem: 'llm-serving:targets.gpuVm.adminUsername: got "admin"; must not be a name Azure reserves (root, admin, administrator, azure)' },
    { what: "gpuVm: an eviction policy without spot", config: vm({ spot: false, spotMaxPrice: undefined, evictionPolicy: "Delete" }), problem: 'llm-serving:targets.gpuVm.evictionPolicy: got "Delete"; must only be set together with spot: true' },
    { what: "gpuVm: a CPU size for a model without a GGUF build", config: raw({ gpuVm: { ...VM, vmSize: "Standard_D8s_v5", spot: false, spotMaxPrice: undefined } }, { id: "meta-llama/Llama-3.1-8B-Instruct" }), problem: /^llm-serving:targets\.gpuVm\.vmSize: got "Standard_D8s_v5"; must be a GPU size for model meta-llama\/Llama-3\.1-8B-Instruct/ },
    { what: "gpuVm: a 16 GB GPU for a model without an AWQ build", config: raw({ gpuVm: VM }, { id: "meta-llama/Llama-3.1-8B-Instruct" }), problem: /^llm-serving:targets\.gpuVm\.vmSize: got "Standard_NC4as_T4_v3"; must have at least 24 GB of GPU memory/ },
];

describe("Azure target config: every bad value fails with its key, the value and what is allowed", () => {
    it("accepts the valid fixtures", () => {
        const cfg = parseStackConfig(raw({ aksGpu: AKS, azureMl: AML, gpuVm: VM }), "test");
        assert.equal(cfg.targets.aksGpu?.tier, "Standard");
        assert.equal(cfg.targets.azureMl?.authMode, "Key");
        assert.equal(cfg.targets.azureMl?.publicNetworkAccess, false);
        assert.equal(cfg.targets.gpuVm?.evictionPolicy, "Deallocate");
    });
    for (const row of ROWS) {
        it(`rejects ${row.what}`, () => {
            let error: unknown;
            try {
                parseStackConfig(row.config, "test");
            } catch (e) {
                error = e;
            }
            assert.ok(error instanceof ConfigError, "throws a ConfigError");
            const found = error.problems.some((p) => (typeof row.problem === "string" ? p === row.problem : row.problem.test(p)));
            assert.ok(found, `expected ${String(row.problem)} among:\n${error.problems.join("\n")}`);
        });
    }
});
