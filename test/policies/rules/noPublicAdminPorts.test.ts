import { noPublicAdminPorts } from "../../../policies/rules/noPublicAdminPorts";
import { UNKNOWN_STRING_SENTINEL } from "../../../policies/contract/keys";
import type { PlannedResource } from "../../../policies/evaluate";
import { assertNoViolations, assertOneViolation, runResourcePolicy } from "../../helpers/policyArgs";
import { mutated, setPath } from "../../helpers/policyFixtures";
import { awsIngressRule, awsSecurityGroup, azureNsg, gcpFirewall, loadBalancerService } from "../../helpers/policySecurityFixtures";

const CASES: ReadonlyArray<{ what: string; resource: () => PlannedResource; mutate: (i: Record<string, unknown>) => void; parts: string[] }> = [
    { what: "a GCP firewall opening the model port to 0.0.0.0/0", resource: gcpFirewall, mutate: (i) => (i.sourceRanges = ["0.0.0.0/0"]), parts: ["port 8000", "35.191.0.0/16"] },
    { what: "a GCP firewall opening all TCP ports to 0.0.0.0/0", resource: gcpFirewall, mutate: (i) => ((i.sourceRanges = ["0.0.0.0/0"]), (i.allows = [{ protocol: "tcp" }])), parts: ["port 22, 8000"] },
    { what: "an Azure NSG rule admitting SSH from Internet", resource: azureNsg, mutate: (i) => setPath(i, ["securityRules", 1, "destinationPortRange"], "20-30"), parts: ["allow-https", "port 22"] },
    { what: "an Azure NSG rule admitting the model port from *", resource: azureNsg, mutate: (i) => setPath(i, ["securityRules", 0, "sourceAddressPrefixes"], ["*"]), parts: ["allow-model-clients", "port 8000"] },
    { what: "an AWS security group admitting SSH from 0.0.0.0/0", resource: awsSecurityGroup, mutate: (i) => setPath(i, ["ingress", 1, "cidrBlocks"], ["0.0.0.0/0"]), parts: ["port 22"] },
    { what: "an AWS security group admitting every protocol from ::/0", resource: awsSecurityGroup, mutate: (i) => setPath(i, ["ingress", 0], { protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }), parts: ["port 22, 8000"] },
    { what: "an AWS ingress rule admitting the model port from 0.0.0.0/0", resource: awsIngressRule, mutate: (i) => ((i.cidrIpv4 = "0.0.0.0/0"), (i.fromPort = 8000), (i.toPort = 8000)), parts: ["port 8000"] },
    { what: "a LoadBalancer Service whose source ranges admit everyone", resource: loadBalancerService, mutate: (i) => setPath(i, ["spec", "loadBalancerSourceRanges"], ["0.0.0.0/0"]), parts: ["loadBalancerSourceRanges"] },
    {
        what: "a LoadBalancer Service exposing the model port with no source ranges",
        resource: loadBalancerService,
        mutate: (i) => ((i.spec as Record<string, unknown>).loadBalancerSourceRanges = undefined, setPath(i, ["spec", "ports", 0, "targetPort"], "model")),
        parts: ["model port", "route guard"],
    },
];

describe("policy no-public-ssh-or-model-port", () => {
    for (const c of CASES) {
        it(`passes the compliant fixture and blocks ${c.what}`, async () => {
            assertNoViolations(await runResourcePolicy(noPublicAdminPorts, c.resource()));
            const resource = mutated(c.resource(), c.mutate);
            assertOneViolation(await runResourcePolicy(noPublicAdminPorts, resource), c.parts, resource.urn);
        });
    }

    it("lets the public proxy port stay open to anyone holding the key (port 80 from 0.0.0.0/0)", async () => {
        assertNoViolations(await runResourcePolicy(noPublicAdminPorts, awsIngressRule(), {}));
        assertNoViolations(await runResourcePolicy(noPublicAdminPorts, mutated(awsIngressRule(), (i) => (i.cidrIpv4 = "0.0.0.0/0"))));
    });

    it("requires source ranges on every LoadBalancer Service where configured", async () => {
        const open = mutated(loadBalancerService(), (i) => delete (i.spec as Record<string, unknown>).loadBalancerSourceRanges);
        assertNoViolations(await runResourcePolicy(noPublicAdminPorts, open));
        assertOneViolation(await runResourcePolicy(noPublicAdminPorts, open, { requireServiceSourceRanges: true }), ["no spec.loadBalancerSourceRanges"]);
    });

    it("reports source ranges unknown at preview", async () => {
        const resource = mutated(gcpFirewall(), (i) => (i.sourceRanges = [UNKNOWN_STRING_SENTINEL]));
        assertOneViolation(await runResourcePolicy(noPublicAdminPorts, resource, {}, { preview: true }), ["unknown at preview"]);
    });
});
