import { strict as assert } from "node:assert";
import { findDiskPrice, findPrice } from "../../../policies/cost/catalog";
import { G2_L4_COUNT, G2_MACHINE_TYPES, GKE_REGIONS, gkeL4Schema } from "../../../targets/gkeL4/config";
import { accountId, gkeKubeconfig, nodePoolArgs } from "../../../targets/gkeL4/builders";
import { configProblems } from "../../helpers/program";
import { GKE } from "./fixtures";

const problemsOf = (change: Record<string, unknown>, drop: string[] = []) => {
    const cfg: Record<string, unknown> = { ...GKE, ...change };
    for (const key of drop) delete cfg[key];
    return configProblems({ gkeL4: cfg });
};

describe("gkeL4 config", () => {
    it("accepts the fixture and fills the defaults (every L4 zone of the region, REGULAR channel)", () => {
        assert.deepEqual(problemsOf({}), []);
        const { zones: _zones, ...rest } = GKE;
        const parsed = gkeL4Schema.parse(rest);
        assert.deepEqual(parsed.zones, ["us-central1-a", "us-central1-b", "us-central1-c"]);
        assert.equal(parsed.releaseChannel, "REGULAR");
        assert.equal(parsed.namespace, "llm-serving");
    });

    // Each bad input names the key, the value and what is allowed.
    const cases: Array<[string, Record<string, unknown>, string[], RegExp]> = [
        ["a machine type that is not a g2", { machineType: "n1-standard-8" }, [], /targets\.gkeL4\.machineType: got "n1-standard-8"; must be one of the supported g2 machine types: g2-standard-4, g2-standard-8, g2-standard-12, g2-standard-24/],
        ["a region without prices", { region: "europe-west4" }, [], /targets\.gkeL4\.region: got "europe-west4"; must be one of the supported regions: us-central1/],
        ["a zone outside the region", { zones: ["us-central1-a", "us-east1-b"] }, [], /targets\.gkeL4\.zones\[1\]: got "us-east1-b"; must be a zone of us-central1 with L4 GPUs/],
        ["a repeated zone", { zones: ["us-central1-a", "us-central1-a"] }, [], /targets\.gkeL4\.zones\[1\]: got "us-central1-a"; repeats entry 0/],
        ["min above max", { nodes: { min: 3, max: 2 } }, [], /targets\.gkeL4\.nodes: .*min must not exceed max/],
        ["no node for the system pods", { nodes: { min: 0, max: 2 } }, [], /targets\.gkeL4\.nodes\.min: got 0; must be a whole number from 1 to 20/],
        ["a pool over the limit", { nodes: { min: 1, max: 21 } }, [], /targets\.gkeL4\.nodes\.max: got 21; must be a whole number from 1 to 20/],
        ["more replicas than nodes", { replicas: 4 }, [], /targets\.gkeL4\.replicas: got 4; must not exceed nodes\.max \(3\)/],
        ["no authorized control-plane range", { masterAuthorizedCidrs: [] }, [], /targets\.gkeL4\.masterAuthorizedCidrs: got \[\]; must list at least one CIDR/],
        ["authorized ranges left out", {}, ["masterAuthorizedCidrs"], /targets\.gkeL4\.masterAuthorizedCidrs: is required; must be a list of IPv4 CIDRs/],
        ["the whole internet on the control plane", { masterAuthorizedCidrs: ["0.0.0.0/0"] }, [], /targets\.gkeL4\.masterAuthorizedCidrs\[0\]: got "0\.0\.0\.0\/0"; must be \/\d+ or narrower/],
        ["an unknown release channel", { releaseChannel: "EXTENDED" }, [], /targets\.gkeL4\.releaseChannel: got "EXTENDED"; must be one of the supported release channels: RAPID, REGULAR, STABLE/],
        ["a domain outside the ACME zone", { domain: "llm.other.org" }, [], /targets\.gkeL4\.acme\.cloudDnsZone\.dnsName: got "llm\.example\.com"; must be the DNS name of domain llm\.other\.org's zone/],
        ["acme without a domain", { plaintextHttp: true }, ["domain"], /targets\.gkeL4\.acme: got "ops@example\.com"; must only be set together with domain/],
        ["plain HTTP with a domain", { plaintextHttp: true }, [], /targets\.gkeL4\.plaintextHttp: got true; must not be true together with domain/],
        ["a typo", { nodez: { min: 1, max: 2 } }, [], /targets\.gkeL4\.nodez: unknown key; allowed keys are project, region, zones/],
        ["a bad project id", { project: "Acme" }, [], /targets\.gkeL4\.project: got "Acme"; must be a GCP project id/],
    ];
    for (const [what, change, drop, expected] of cases) {
        it(`refuses ${what}`, () => {
            const problems = problemsOf(change, drop);
            assert.ok(problems.some((p) => expected.test(p)), `expected ${expected} in:\n${problems.join("\n")}`);
        });
    }

    it("needs a certificate source for a domain: acme or the stack's certificate", () => {
        const problems = problemsOf({}, ["acme"]);
        assert.ok(problems.some((p) => /targets\.gkeL4\.domain: serving HTTPS needs a certificate: set targets\.gkeL4\.acme/.test(p)), problems.join("\n"));
    });

    it("needs a domain or an explicit plain-HTTP opt-in for its public endpoint", () => {
        const problems = problemsOf({}, ["acme", "domain"]);
        assert.ok(problems.some((p) => /targets\.gkeL4\.domain: got nothing; must be set for a public endpoint/.test(p)), problems.join("\n"));
        assert.deepEqual(problemsOf({ plaintextHttp: true }, ["acme", "domain"]), []);
    });
});

describe("gkeL4 config and the catalog", () => {
    it("offers only regions and machine types the catalog prices (on-demand and spot), with the L4s each comes with", () => {
        for (const region of GKE_REGIONS) {
            assert.ok(findDiskPrice("gcp", region, "pd-balanced"), `pd-balanced in ${region}`);
            for (const machineType of G2_MACHINE_TYPES) {
                const entry = findPrice("gcp", region, machineType);
                assert.ok(entry, `${machineType} in ${region}`);
                assert.ok(entry.spotHourlyUsd !== undefined, `${machineType} spot in ${region}`);
                assert.equal(entry.accelerators?.kind, "NVIDIA L4");
                assert.equal(entry.accelerators?.count, G2_L4_COUNT[machineType]);
            }
        }
        // Negative control: a machine type the catalog lacks is found missing.
        assert.equal(findPrice("gcp", "us-central1", "g2-standard-96"), undefined);
    });
});

describe("gkeL4 builders", () => {
    it("derives IAM account ids that fit GCP's rules from the component name", () => {
        for (const role of ["nodes", "secrets", "cert-manager"]) {
            for (const name of ["gke-l4", "a-very-long-component-name-for-gke-l4", "9x"]) {
                const id = accountId(name, role);
                assert.match(id, /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, `${name}/${role} -> ${id}`);
            }
        }
        assert.equal(accountId("gke-l4", "nodes"), "gke-l4-nodes");
    });

    it("makes the pool's ceiling exact: totals across zones, never the per-zone maxNodeCount", () => {
        const cfg = gkeL4Schema.parse({ ...GKE, zones: ["us-central1-a", "us-central1-b", "us-central1-c"], nodes: { min: 1, max: 2 } });
        const args = nodePoolArgs(cfg, { cluster: "c", nodeServiceAccount: "n@p.iam.gserviceaccount.com", labels: {} });
        const autoscaling = args.autoscaling as Record<string, unknown>;
        assert.equal(autoscaling.totalMaxNodeCount, 2);
        assert.equal(autoscaling.maxNodeCount, undefined, "a per-zone max would allow 3 zones x 2 = 6 nodes");
        assert.equal(autoscaling.minNodeCount, undefined);
    });

    it("builds a kubeconfig that signs in through gke-gcloud-auth-plugin and holds no token", () => {
        const kc = gkeKubeconfig("198.51.100.40", "Q0E=", "c1");
        assert.match(kc, /server: https:\/\/198\.51\.100\.40/);
        assert.match(kc, /certificate-authority-data: Q0E=/);
        assert.match(kc, /command: gke-gcloud-auth-plugin/);
        assert.doesNotMatch(kc, /token:/);
    });
});
