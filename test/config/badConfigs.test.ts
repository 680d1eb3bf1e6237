import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { hasNotificationTarget, UNDECRYPTED_SECRET } from "../../config";
import { ConfigError, parseStackConfig } from "../../stack";

/** A valid dev-like config, as full keys to raw strings; each row changes one thing. */
const GOOD_GCP = { project: "acme-llm-dev", region: "us-central1", replicas: { min: 2, max: 3 }, plaintextHttp: true };
function raw(overrides: Record<string, unknown>, secretKeys: string[] = []) {
    const base: Record<string, unknown> = {
        "llm-serving:tags": { owner: "ml-platform", costCenter: "cc-1234" },
        "llm-serving:targets": { gcpSpotL4: GOOD_GCP },
    };
    const merged = { ...base, ...overrides };
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(merged)) {
        if (v !== undefined) values[k] = typeof v === "string" ? v : JSON.stringify(v);
    }
    return { values, secretKeys: new Set(secretKeys) };
}
const gcp = (patch: Record<string, unknown>) => ({ "llm-serving:targets": { gcpSpotL4: { ...GOOD_GCP, ...patch } } });

/** TLS inputs: PEM-shaped values (bodies are planted sentinels no message may print). */
const PEM_BODY = "PeMbOdYsEnTiNeL0123456789abcdef";
const CERT = `-----BEGIN CERTIFICATE-----\n${PEM_BODY}\n-----END CERTIFICATE-----\n`;
const KEY = `-----BEGIN PRIVATE KEY-----\n${PEM_BODY}\n-----END PRIVATE KEY-----\n`;
const CERT_KEY = "llm-serving:tlsCertificate";
const KEY_KEY = "llm-serving:tlsPrivateKey";
const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJfoWyC9ZHstsumTKS3eh/fuQYXsbvuvDYGhGjnDN5/H test@example.com";
const TLS_TARGETS = {
    aksGpu: { location: "eastus", nodes: { min: 1, max: 2 }, apiServerAuthorizedRanges: ["203.0.113.0/24"], domain: "aks.example.com" },
    gpuVm: { location: "eastus", sshPublicKey: SSH_KEY, allowedCidrs: ["203.0.113.0/24"], domain: "vm.example.com" },
    eksInf2: {
        region: "us-west-2",
        apiAccessCidrs: ["203.0.113.0/24"],
        maxNodes: 2,
        replicas: { min: 1, max: 2 },
        image: "123456789012.dkr.ecr.us-west-2.amazonaws.com/llm-serving/neuron-ray-serve:vllm0.9.1-ray2.46.0",
        domain: "eks.example.com",
    },
} as const;
const needsCertificate = (target: string) =>
    `llm-serving:targets.${target}.domain: serving HTTPS needs a certificate: ${
        target === "aksGpu" ? "set targets.aksGpu.acme (cert-manager with Let's Encrypt), or " : target === "eksInf2" ? "set targets.eksInf2.acmCertificateArn (an ACM certificate), or " : ""
    }set ${CERT_KEY} and ${KEY_KEY} (pulumi config set --secret ${CERT_KEY} "$(cat cert.pem)" and pulumi config set --secret ${KEY_KEY} "$(cat key.pem)"); or remove domain and set plaintextHttp: true (development only)`;

interface Row {
    readonly what: string;
    readonly config: ReturnType<typeof raw>;
    /** Every problem line the error must contain, exactly. */
    readonly problems: readonly (string | RegExp)[];
}

const ROWS: readonly Row[] = [
    {
        what: "unknown top-level key (a typo must not drop a target)",
        config: raw({ "llm-serving:target": { gcpSpotL4: GOOD_GCP } }),
        problems: [
            "llm-serving:target: unknown key; allowed keys are llm-serving:model, llm-serving:tags, llm-serving:targets, llm-serving:notifications, llm-serving:budgets, llm-serving:observability, llm-serving:tier, llm-serving:hfToken, llm-serving:apiKey, llm-serving:tlsCertificate, llm-serving:tlsPrivateKey",
        ],
    },
    {
        what: "unknown target",
        config: raw({ "llm-serving:targets": { gcpSpotL4: GOOD_GCP, gcpSpotL5: {} } }),
        problems: [/^llm-serving:targets\.gcpSpotL5: unknown key; allowed keys are gcpSpotL4\b/],
    },
    {
        what: "unknown field inside a target",
        config: raw(gcp({ machineTyp: "g2-standard-8" })),
        problems: [
            "llm-serving:targets.gcpSpotL4.machineTyp: unknown key; allowed keys are project, region, regions, onDemandBase, onDemandFallback, zones, machineType, replicas, targetRpsPerReplica, bootDiskGb, initialDelaySec, allowedCidrs, domain, certificate, plaintextHttp",
        ],
    },
    {
        what: "the TLS certificate in plaintext config",
        config: raw({ [CERT_KEY]: CERT, [KEY_KEY]: KEY }, [KEY_KEY]),
        problems: [`${CERT_KEY}: must be a secret; set it with: pulumi config set --secret ${CERT_KEY} <value>`],
    },
    {
        what: "a TLS certificate without its private key",
        config: raw({ [CERT_KEY]: CERT }, [CERT_KEY]),
        problems: [`${KEY_KEY}: is required when ${CERT_KEY} is set (the certificate and its private key go together)`],
    },
    {
        what: "a TLS private key without its certificate",
        config: raw({ [KEY_KEY]: KEY }, [KEY_KEY]),
        problems: [`${CERT_KEY}: is required when ${KEY_KEY} is set (the certificate and its private key go together)`],
    },
    {
        what: "a TLS certificate that is not PEM",
        config: raw({ [CERT_KEY]: PEM_BODY, [KEY_KEY]: KEY }, [CERT_KEY, KEY_KEY]),
        problems: [/^llm-serving:tlsCertificate: must be a PEM certificate: -----BEGIN CERTIFICATE-----.*\(value not shown\)$/],
    },
    {
        what: "a certificate file carrying the private key too",
        config: raw({ [CERT_KEY]: CERT + KEY, [KEY_KEY]: KEY }, [CERT_KEY, KEY_KEY]),
        problems: [`${CERT_KEY}: must hold certificates only; put the private key in ${KEY_KEY} (value not shown)`],
    },
    {
        what: "a passphrase-protected private key",
        config: raw({ [CERT_KEY]: CERT, [KEY_KEY]: KEY.replace(/PRIVATE KEY/g, "ENCRYPTED PRIVATE KEY") }, [CERT_KEY, KEY_KEY]),
        problems: [`${KEY_KEY}: must be an unencrypted PEM private key (the servers have no passphrase to open it) (value not shown)`],
    },
    {
        what: "a certificate where the private key goes",
        config: raw({ [CERT_KEY]: CERT, [KEY_KEY]: CERT }, [CERT_KEY, KEY_KEY]),
        problems: [/^llm-serving:tlsPrivateKey: must be one PEM private key/],
    },
    ...(["aksGpu", "gpuVm", "eksInf2"] as const).map((target) => ({
        what: `a domain on ${target} without the stack's certificate`,
        config: raw({ "llm-serving:targets": { [target]: TLS_TARGETS[target] } }),
        problems: [needsCertificate(target)],
    })),
    {
        what: "a domain that is not a lowercase DNS name",
        config: raw({ "llm-serving:targets": { aksGpu: { ...TLS_TARGETS.aksGpu, domain: "AKS.Example" } } }),
        problems: ['llm-serving:targets.aksGpu.domain: got "AKS.Example"; must be a lowercase DNS name such as llm.example.com'],
    },
    {
        what: "gcpSpotL4 asking for the stack's certificate when there is none",
        config: raw(gcp({ plaintextHttp: false, domain: "llm.example.com", certificate: "stack" })),
        problems: [/^llm-serving:targets\.gcpSpotL4\.certificate: "stack" needs llm-serving:tlsCertificate and llm-serving:tlsPrivateKey/],
    },
    {
        what: "gcpSpotL4 naming a certificate source without a domain",
        config: raw(gcp({ certificate: "google-managed" })),
        problems: ['llm-serving:targets.gcpSpotL4.certificate: got "google-managed"; must only be set together with domain (without a domain the endpoint is plain HTTP on the IP)'],
    },
    {
        what: "no target at all",
        config: raw({ "llm-serving:targets": {} }),
        problems: ["llm-serving:targets: got {}; must name at least one target"],
    },
    {
        what: "targets missing",
        config: raw({ "llm-serving:targets": undefined }),
        problems: ["llm-serving:targets: is required; must be an object whose keys name targets"],
    },
    {
        what: "tags missing",
        config: raw({ "llm-serving:tags": undefined }),
        problems: ["llm-serving:tags: is required; must be an object { owner, costCenter }"],
    },
    {
        what: "tag value breaking label rules",
        config: raw({ "llm-serving:tags": { owner: "ML Platform", costCenter: "cc-1234" } }),
        problems: [
            `llm-serving:tags.owner: got "ML Platform"; must start with a lowercase letter and hold at most 63 lowercase letters, digits, '-' or '_' (GCP label rules)`,
        ],
    },
    {
        what: "unsupported region",
        config: raw(gcp({ region: "europe-west4" })),
        problems: [`llm-serving:targets.gcpSpotL4.region: got "europe-west4"; must be one of the supported regions: us-central1, us-east1`],
    },
    {
        what: "both region and regions (issue 19)",
        config: raw(gcp({ regions: ["us-central1", "us-east1"] })),
        problems: [`llm-serving:targets.gcpSpotL4.regions: got ["us-central1","us-east1"]; must not be set together with region: give region (one region) or regions (a list), not both`],
    },
    {
        what: "neither region nor regions",
        config: raw(gcp({ region: undefined })),
        problems: ["llm-serving:targets.gcpSpotL4.regions: got nothing; must be set (or region): allowed regions are us-central1, us-east1"],
    },
    {
        what: "a region listed twice",
        config: raw(gcp({ region: undefined, regions: ["us-east1", "us-east1"] })),
        problems: [`llm-serving:targets.gcpSpotL4.regions[1]: got "us-east1"; repeats entry 0; list each region once`],
    },
    {
        what: "zones with several regions",
        config: raw(gcp({ region: undefined, regions: ["us-central1", "us-east1"], zones: ["us-central1-a"] })),
        problems: [`llm-serving:targets.gcpSpotL4.zones: got ["us-central1-a"]; must only be set with one region; with several, each region uses all its L4 zones`],
    },
    {
        what: "an on-demand floor and fallback that leave no spot replica",
        config: raw(gcp({ replicas: { min: 2, max: 3 }, onDemandBase: 1, onDemandFallback: 2 })),
        problems: ["llm-serving:targets.gcpSpotL4.onDemandFallback: got 2; onDemandBase + onDemandFallback (3) must leave at least one spot replica under replicas.max (3)"],
    },
    {
        what: "on-demand fallback without a floor (an empty group's autoscaler gets no signal)",
        config: raw(gcp({ replicas: { min: 1, max: 3 }, onDemandFallback: 2 })),
        problems: ["llm-serving:targets.gcpSpotL4.onDemandFallback: got 2; must be 0 unless onDemandBase is at least 1: an empty on-demand group reports no load to its autoscaler, so it would never grow (allowed: onDemandFallback 0, or onDemandBase >= 1 with it)"],
    },
    {
        what: "an on-demand floor as large as the minimum",
        config: raw(gcp({ replicas: { min: 2, max: 4 }, onDemandBase: 2 })),
        problems: ["llm-serving:targets.gcpSpotL4.onDemandBase: got 2; must be below replicas.min (2): the floor is part of the minimum and the spot group keeps at least one replica"],
    },
    {
        what: "unsupported machine type",
        config: raw(gcp({ machineType: "a2-highgpu-1g" })),
        problems: [
            `llm-serving:targets.gcpSpotL4.machineType: got "a2-highgpu-1g"; must be one of the supported g2 machine types: g2-standard-4, g2-standard-8, g2-standard-12, g2-standard-24`,
        ],
    },
    {
        what: "min greater than max",
        config: raw(gcp({ replicas: { min: 4, max: 3 } })),
        problems: [`llm-serving:targets.gcpSpotL4.replicas: got {"min":4,"max":3}; min must not exceed max`],
    },
    {
        what: "zero replicas",
        config: raw(gcp({ replicas: { min: 0, max: 3 } })),
        problems: ["llm-serving:targets.gcpSpotL4.replicas.min: got 0; must be a whole number from 1 to 20"],
    },
    {
        what: "max past the range",
        config: raw(gcp({ replicas: { min: 1, max: 50 } })),
        problems: ["llm-serving:targets.gcpSpotL4.replicas.max: got 50; must be a whole number from 1 to 20"],
    },
    {
        what: "fractional replicas",
        config: raw(gcp({ replicas: { min: 1.5, max: 3 } })),
        problems: ["llm-serving:targets.gcpSpotL4.replicas.min: got 1.5; must be a whole number from 1 to 20"],
    },
    {
        what: "replicas without a max (unbounded)",
        config: raw(gcp({ replicas: { min: 1 } })),
        problems: ["llm-serving:targets.gcpSpotL4.replicas.max: is required; must be a whole number from 1 to 20"],
    },
    {
        what: "replica count as a string",
        config: raw(gcp({ replicas: { min: "2", max: 3 } })),
        problems: [`llm-serving:targets.gcpSpotL4.replicas.min: got "2"; must be a whole number from 1 to 20`],
    },
    {
        what: "zone outside the region's L4 zones",
        config: raw(gcp({ zones: ["us-central1-f"] })),
        problems: [
            `llm-serving:targets.gcpSpotL4.zones[0]: got "us-central1-f"; must be a zone of us-central1 with L4 GPUs: us-central1-a, us-central1-b, us-central1-c`,
        ],
    },
    {
        what: "initial delay beyond GCP's limit",
        config: raw(gcp({ initialDelaySec: 7200 })),
        problems: ["llm-serving:targets.gcpSpotL4.initialDelaySec: got 7200; must be a whole number from 0 to 3600"],
    },
    {
        what: "boot disk too small for the model",
        config: raw(gcp({ bootDiskGb: 20 })),
        problems: ["llm-serving:targets.gcpSpotL4.bootDiskGb: got 20; must be a whole number from 60 to 2000"],
    },
    {
        what: "malformed CIDR",
        config: raw(gcp({ allowedCidrs: ["10.0.0.0/33"] })),
        problems: [`llm-serving:targets.gcpSpotL4.allowedCidrs[0]: got "10.0.0.0/33"; must be an IPv4 CIDR such as 203.0.113.0/24`],
    },
    {
        what: "the whole internet as an allow-list",
        config: raw(gcp({ allowedCidrs: ["0.0.0.0/0"] })),
        problems: [
            `llm-serving:targets.gcpSpotL4.allowedCidrs[0]: got "0.0.0.0/0"; must be /8 or narrower: a /0 admits the whole IPv4 internet (leave the list empty to admit any client that holds the API key)`,
        ],
    },
    {
        what: "bad project id",
        config: raw(gcp({ project: "Acme_LLM" })),
        problems: [
            `llm-serving:targets.gcpSpotL4.project: got "Acme_LLM"; must be a GCP project id: 6-30 lowercase letters, digits or hyphens, starting with a letter`,
        ],
    },
    {
        what: "domain with a scheme",
        config: raw(gcp({ domain: "https://llm.example.com" })),
        problems: [`llm-serving:targets.gcpSpotL4.domain: got "https://llm.example.com"; must be a lowercase DNS name such as llm.example.com`],
    },
    {
        what: "context length out of range",
        config: raw({ "llm-serving:model": { maxModelLen: 100 } }),
        problems: ["llm-serving:model.maxModelLen: got 100; must be a whole number from 512 to 32768"],
    },
    {
        what: "model id that is not a Hugging Face repo",
        config: raw({ "llm-serving:model": { id: "mistral" } }),
        problems: [`llm-serving:model.id: got "mistral"; must be a Hugging Face model id such as mistralai/Mistral-7B-Instruct-v0.2`],
    },
    {
        what: "API key set in plain text",
        config: raw({ "llm-serving:apiKey": "sk-plaintext" }),
        problems: ["llm-serving:apiKey: must be a secret; set it with: pulumi config set --secret llm-serving:apiKey <value>"],
    },
    {
        what: "API key with characters the route guard's config cannot carry",
        config: raw({ "llm-serving:apiKey": 'sk-"; return 200; #' }, ["llm-serving:apiKey"]),
        problems: ["llm-serving:apiKey: must contain only letters, digits and . _ ~ + / = - (e.g. openssl rand -hex 24) (value not shown)"],
    },
    {
        what: "targets given as a plain string",
        config: raw({ "llm-serving:targets": "gcpSpotL4" }),
        problems: [
            `llm-serving:targets: must be an object (set it in Pulumi.<stack>.yaml or with pulumi config set --path), got "gcpSpotL4"`,
        ],
    },
    {
        what: "more notification e-mails than the 5 a GCP budget can notify",
        config: raw({ "llm-serving:notifications": { emails: ["a@example.com", "b@example.com", "c@example.com", "d@example.com", "e@example.com", "f@example.com"] } }),
        problems: [/^llm-serving:notifications\.emails: got \[.*; must list at most 5 email addresses \(a GCP budget notifies at most 5 channels\)$/],
    },
    {
        what: "the same notification address twice",
        config: raw({ "llm-serving:notifications": { emails: ["oncall@example.com", "OnCall@example.com"] } }),
        problems: [/^llm-serving:notifications\.emails: got \[.*\]; must not list an address twice$/],
    },
    {
        what: "a notification address that is not one, and an unknown notifications key",
        config: raw({ "llm-serving:notifications": { emails: ["oncall"], slack: "#ops" } }),
        problems: [
            `llm-serving:notifications.emails[0]: got "oncall"; must be an email address`,
            "llm-serving:notifications.slack: unknown key; allowed keys are emails, awsSnsTopicArn, gcpPubsubTopic, azureActionGroupId",
        ],
    },
    {
        what: "observability thresholds out of range, and an unknown observability key",
        config: raw({ "llm-serving:observability": { kvCacheUsage: 90, queueMinutes: 0, targetInFlightPerReplica: 2.5, scaleOn: "cpu", eksManagedGrafana: "no" } }),
        problems: [
            "llm-serving:observability.kvCacheUsage: got 90; must be a number from 0.5 to 1",
            "llm-serving:observability.queueMinutes: got 0; must be a number from 1 to 60",
            "llm-serving:observability.targetInFlightPerReplica: got 2.5; must be a whole number from 1 to 256",
            `llm-serving:observability.eksManagedGrafana: got "no"; must be true or false`,
            "llm-serving:observability.scaleOn: unknown key; allowed keys are targetInFlightPerReplica, queueWaitingPerReplica, queueMinutes, kvCacheUsage, ttftP95Seconds, evictionBurst, eksManagedGrafana",
        ],
    },
    {
        what: "an SNS topic, Pub/Sub topic and action group id in the wrong form",
        config: raw({ "llm-serving:notifications": { awsSnsTopicArn: "oncall", gcpPubsubTopic: "oncall", azureActionGroupId: "oncall" } }),
        problems: [
            `llm-serving:notifications.awsSnsTopicArn: got "oncall"; must be an SNS topic ARN such as arn:aws:sns:us-west-2:123456789012:oncall`,
            `llm-serving:notifications.gcpPubsubTopic: got "oncall"; must be a Pub/Sub topic such as projects/acme-ops/topics/oncall`,
            `llm-serving:notifications.azureActionGroupId: got "oncall"; must be an action group resource id such as /subscriptions/<id>/resourceGroups/<rg>/providers/microsoft.insights/actionGroups/<name>`,
        ],
    },
];

describe("stack config: every bad value fails with its key, the value and what is allowed", () => {
    it("has at least 15 rows", () => assert.ok(ROWS.length >= 15, `${ROWS.length} rows`));

    for (const row of ROWS) {
        it(`rejects ${row.what}`, () => {
            let error: unknown;
            try {
                parseStackConfig(row.config, "dev");
            } catch (e) {
                error = e;
            }
            assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
            for (const expected of row.problems) {
                if (typeof expected === "string") {
                    assert.ok(error.problems.includes(expected), `missing problem:\n  ${expected}\ngot:\n  ${error.problems.join("\n  ")}`);
                } else {
                    assert.ok(error.problems.some((p) => expected.test(p)), `no problem matches ${expected}; got:\n  ${error.problems.join("\n  ")}`);
                }
            }
            assert.ok(!/\n\s+at /.test(error.message), "the message must not carry a stack trace");
        });
    }

    it("never prints a PEM value in a TLS problem", () => {
        for (const config of [raw({ [CERT_KEY]: PEM_BODY, [KEY_KEY]: PEM_BODY }, [CERT_KEY, KEY_KEY]), raw({ [CERT_KEY]: CERT + KEY, [KEY_KEY]: KEY }, [CERT_KEY, KEY_KEY])]) {
            assert.throws(() => parseStackConfig(config, "dev"), (e: unknown) => e instanceof ConfigError && !e.message.includes(PEM_BODY));
        }
    });

    it("accepts a domain with the stack's certificate, and the plan's undecrypted stand-in in place of PEM", () => {
        for (const target of ["aksGpu", "gpuVm", "eksInf2"] as const) {
            const parsed = parseStackConfig(raw({ "llm-serving:targets": { [target]: TLS_TARGETS[target] }, [CERT_KEY]: CERT, [KEY_KEY]: KEY }, [CERT_KEY, KEY_KEY]), "dev");
            assert.ok(parsed.tls, target);
        }
        const standIn = raw({ "llm-serving:targets": { aksGpu: TLS_TARGETS.aksGpu }, [CERT_KEY]: UNDECRYPTED_SECRET, [KEY_KEY]: UNDECRYPTED_SECRET }, [CERT_KEY, KEY_KEY]);
        assert.ok(parseStackConfig(standIn, "prod").tls);
    });

    it("refuses gkeL4 and gcpSpotL4 in one project and region (one GPU quota override each; the API refuses a second); another project is fine", () => {
        const staging = parse(fs.readFileSync(path.join(__dirname, "..", "..", "Pulumi.staging.yaml"), "utf8")) as { config: Record<string, Record<string, Record<string, unknown>>> };
        const gke = staging.config["llm-serving:targets"].gkeL4 as { project: string; region: string };
        const both = (spotProject: string) => raw({ "llm-serving:targets": { gcpSpotL4: { ...GOOD_GCP, project: spotProject, region: gke.region }, gkeL4: gke } });
        assert.throws(
            () => parseStackConfig(both(gke.project), "dev"),
            (e: unknown) =>
                e instanceof ConfigError &&
                e.problems.includes(
                    `llm-serving:targets.gkeL4.region: got "${gke.region}"; gcpSpotL4 already holds the L4 GPU quotas of project ${gke.project} in ${gke.region} ` +
                        `(consumer quota overrides, one per project, quota and region: a second is refused with 409 ALREADY_EXISTS); allowed: another region or project than gcpSpotL4's`,
                ),
        );
        // Negative control: the same two targets in different projects parse.
        assert.ok(parseStackConfig(both("acme-llm-other"), "dev").targets.gkeL4);
    });

    it("checks every region of a multi-region gcpSpotL4 against the quota overrides of other targets (issue 19)", () => {
        const staging = parse(fs.readFileSync(path.join(__dirname, "..", "..", "Pulumi.staging.yaml"), "utf8")) as { config: Record<string, Record<string, Record<string, unknown>>> };
        const gke = staging.config["llm-serving:targets"].gkeL4 as { project: string; region: string };
        const other = gke.region === "us-east1" ? "us-central1" : "us-east1";
        const spot = (regions: string[]) => ({ ...GOOD_GCP, region: undefined, project: gke.project, regions });
        // The shared region is the second of the list: a check of the first region alone would miss it.
        assert.throws(
            () => parseStackConfig(raw({ "llm-serving:targets": { gcpSpotL4: spot([other, gke.region]), gkeL4: gke } }), "dev"),
            (e: unknown) => e instanceof ConfigError && e.problems.some((p) => p.startsWith(`llm-serving:targets.gkeL4.region: got "${gke.region}"; gcpSpotL4 already holds`)),
        );
        // Negative control: the other region alone does not collide.
        assert.ok(parseStackConfig(raw({ "llm-serving:targets": { gcpSpotL4: spot([other]), gkeL4: gke } }), "dev").targets.gkeL4);
    });

    it("refuses a stack name the clouds' names and labels cannot carry (capitals, dots, underscores, over 40, a trailing hyphen), naming it and what is allowed", () => {
        for (const stack of ["Prod", "prod.v2", "prod_v2", "2prod", "prod-", "-prod", "", "a".repeat(41), "dev stack"]) {
            assert.throws(
                () => parseStackConfig(raw({}), stack),
                (e: unknown) => e instanceof ConfigError && /stack name: got .*; must be 1 to 40 lowercase letters, digits or hyphens, starting with a letter/.test(e.message),
                JSON.stringify(stack),
            );
        }
        // Controls: the committed stacks' names, a one-letter one, 40 characters and inner hyphens pass.
        for (const stack of ["dev", "prod", "staging", "ha", "showcase", "s", "a".repeat(40), "team-a-prod-2"]) {
            assert.equal(parseStackConfig(raw({}), stack).stack, stack);
        }
    });

    it("lists every problem at once, not only the first", () => {
        assert.throws(
            () => parseStackConfig(raw(gcp({ region: "europe-west4", replicas: { min: 0, max: 99 } })), "dev"),
            (e: unknown) => e instanceof ConfigError && e.problems.length === 3,
        );
    });

    it("accepts the valid base config and fills defaults", () => {
        const config = parseStackConfig(raw({}), "dev");
        const target = config.targets.gcpSpotL4!;
        assert.equal(target.machineType, "g2-standard-4");
        assert.deepEqual(target.regions, ["us-central1"], "region is shorthand for a one-region list");
        assert.deepEqual(target.zones, { "us-central1": ["us-central1-a", "us-central1-b", "us-central1-c"] });
        assert.equal(target.onDemandBase, 0);
        assert.equal(target.onDemandFallback, 0);
        assert.equal(target.initialDelaySec, 1200);
        assert.equal(config.model.id, "HuggingFaceH4/zephyr-7b-beta", "the default downloads without a token");
        assert.equal(config.tags.environment, "dev");
        assert.equal(config.apiKey, undefined);
    });

    it("carries notification targets through, and leaves them out when the stack has none", () => {
        const notifications = {
            emails: ["oncall@example.com"],
            awsSnsTopicArn: "arn:aws:sns:us-west-2:123456789012:oncall",
            gcpPubsubTopic: "projects/acme-ops/topics/oncall",
            azureActionGroupId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/ops/providers/microsoft.insights/actionGroups/oncall",
        };
        assert.deepEqual(parseStackConfig(raw({ "llm-serving:notifications": notifications }), "dev").notifications, notifications);
        assert.equal(parseStackConfig(raw({}), "dev").notifications, undefined);
        assert.equal(hasNotificationTarget(undefined), false);
        assert.equal(hasNotificationTarget({}), false);
        assert.equal(hasNotificationTarget({ gcpPubsubTopic: notifications.gcpPubsubTopic }), true);
    });

    it("ignores other namespaces (provider settings such as gcp:project)", () => {
        assert.doesNotThrow(() => parseStackConfig(raw({ "gcp:project": "anything" }), "dev"));
    });

    it("keeps secret keys secret", async () => {
        const config = parseStackConfig(raw({ "llm-serving:apiKey": "sk-sentinel" }, ["llm-serving:apiKey"]), "dev");
        const { isSecret } = await import("@pulumi/pulumi");
        assert.ok(config.apiKey);
        assert.equal(await isSecret(config.apiKey), true);
    });
});
