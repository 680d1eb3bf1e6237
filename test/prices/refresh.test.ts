// The CLI end to end on the recorded fixtures, into a temporary copy of the catalog: the diff, the
// file it writes (deterministic, loadable), and the catalog's own tests run against the result.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CATALOG, parseCatalogData, type CatalogEntry } from "../../policies/cost/catalog";
import { FetchError } from "../../prices/fetch";
import { main, type RefreshIo } from "../../prices/refresh";
import { CATALOG_DATA_PATH, renderCatalogData } from "../../prices/writer";

const ROOT = path.resolve(__dirname, "..", "..");
const FIXTURES = path.join(__dirname, "..", "fixtures", "prices");

function io(extra: Partial<RefreshIo> = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const value: RefreshIo = {
        out: (s) => out.push(s),
        err: (s) => err.push(s),
        env: {},
        now: () => new Date("2026-12-01T12:00:00Z"),
        getJson: async (url) => {
            throw new Error(`unexpected network call to ${url}`);
        },
        ...extra,
    };
    return { io: value, out: () => out.join(""), err: () => err.join("") };
}

describe("prices:refresh CLI", () => {
    let dir: string;
    let data: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "prices-refresh-"));
        data = path.join(dir, "catalog.data.json");
        fs.copyFileSync(CATALOG_DATA_PATH, data);
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("the committed data file is exactly what the writer renders for the catalog", () => {
        assert.equal(fs.readFileSync(CATALOG_DATA_PATH, "utf8"), renderCatalogData(CATALOG));
    });

    it("--dry-run prints the changed prices and writes nothing", async () => {
        const before = fs.readFileSync(data, "utf8");
        const t = io();
        assert.equal(await main(["--from-fixtures", FIXTURES, "--dry-run", "--catalog", data], t.io), 0);
        assert.equal(fs.readFileSync(data, "utf8"), before);
        const out = t.out();
        assert.match(out, /~ azure\/eastus\/Standard_D4s_v5 on-demand: 0\.192 -> 0\.188 \$\/h/);
        assert.match(out, /~ azure\/eastus\/Standard_NC4as_T4_v3 spot: 0\.062699 -> 0\.0598 \$\/h/);
        assert.match(out, /~ aws\/us-east-1\/g6\.xlarge on-demand: 0\.8048 -> 0\.805 \$\/h/);
        assert.match(out, /note aws\/us-east-1\/inf2\.8xlarge: spot 0\.5799 kept from SkyPilot/);
        assert.match(out, /missing azure\/eastus\/Standard_B2s: no Linux pay-as-you-go price returned; left as recorded/);
        assert.match(out, /missing gcp\/us-central1\/a2-highgpu-1g/);
        assert.match(out, /dry run: nothing written/);
        // 4 changes: D4s on-demand and spot, NC4as T4 spot, g6.xlarge on-demand; GCP and the rest unchanged.
        assert.match(out, /^4 price change\(s\)/m);
    });

    it("writes the refreshed entries: changed, untouched, spot kept, same order, same bytes twice", async () => {
        assert.equal(await main(["--from-fixtures", FIXTURES, "--catalog", data], io().io), 0);
        const written = fs.readFileSync(data, "utf8");
        const entries = parseCatalogData(JSON.parse(written));
        const find = (cloud: string, region: string, sku: string): CatalogEntry => entries.find((e) => e.cloud === cloud && e.region === region && e.sku === sku)!;
        assert.deepEqual(entries.map((e) => `${e.cloud}/${e.region}/${e.sku}`), CATALOG.map((e) => `${e.cloud}/${e.region}/${e.sku}`));

        const d4 = find("azure", "eastus", "Standard_D4s_v5");
        assert.deepEqual([d4.onDemandHourlyUsd, d4.spotHourlyUsd, d4.sourceDate, d4.status], [0.188, 0.0211, "2026-12-01", "verified"]);
        const b2s = find("azure", "eastus", "Standard_B2s");
        assert.deepEqual(b2s, CATALOG.find((e) => e.sku === "Standard_B2s"));
        const inf2 = find("aws", "us-east-1", "inf2.8xlarge");
        assert.deepEqual(
            [inf2.onDemandHourlyUsd, inf2.spotHourlyUsd, inf2.sourceDate, inf2.spotSourceDate],
            // The spot figure keeps the date of the snapshot it came from (SkyPilot, dated 2025-01-01 at the earliest).
            [1.96786, 0.5799, "2026-11-20", "2025-01-01"],
        );
        const g2 = find("gcp", "us-central1", "g2-standard-8");
        assert.equal(g2.parts?.length, 2);
        assert.equal(g2.onDemandHourlyUsd, 0.85362);

        // Deterministic: the same refresh over its own output changes no byte.
        assert.equal(await main(["--from-fixtures", FIXTURES, "--catalog", data], io().io), 0);
        assert.equal(fs.readFileSync(data, "utf8"), written);
    });

    it("the catalog's own tests pass against the refreshed data", async function () {
        this.timeout(60_000);
        // A throwaway tree with catalog.ts, the refreshed data and the catalog's test file, laid out
        // as in the repository so the test's relative import resolves to the copy.
        fs.mkdirSync(path.join(dir, "policies", "cost"), { recursive: true });
        fs.mkdirSync(path.join(dir, "test", "policies", "cost"), { recursive: true });
        fs.copyFileSync(path.join(ROOT, "policies", "cost", "catalog.ts"), path.join(dir, "policies", "cost", "catalog.ts"));
        fs.copyFileSync(path.join(ROOT, "test", "policies", "cost", "catalog.test.ts"), path.join(dir, "test", "policies", "cost", "catalog.test.ts"));
        const copy = path.join(dir, "policies", "cost", "catalog.data.json");
        fs.copyFileSync(CATALOG_DATA_PATH, copy);
        assert.equal(await main(["--from-fixtures", FIXTURES, "--catalog", copy], io().io), 0);
        assert.notEqual(fs.readFileSync(copy, "utf8"), fs.readFileSync(CATALOG_DATA_PATH, "utf8"));
        const mocha = path.join(ROOT, "node_modules", "mocha", "bin", "mocha.js");
        const output = execFileSync(process.execPath, [mocha, "--no-config", "--no-package", "--require", "tsx/cjs", "--extension", "ts", "--reporter", "dot",
            path.join(dir, "test", "policies", "cost", "catalog.test.ts")], { cwd: ROOT, encoding: "utf8" });
        assert.match(output, /\b12 passing/);
        assert.doesNotMatch(output, /failing/);
    });

    it("--only limits the refresh to one cloud", async () => {
        const t = io();
        assert.equal(await main(["--from-fixtures", FIXTURES, "--dry-run", "--only", "aws", "--catalog", data], t.io), 0);
        assert.doesNotMatch(t.out(), /azure\/|gcp\//);
        assert.match(t.out(), /· aws ·/);
    });

    it("exits 2 on usage errors: an unknown cloud, --only gcp without a key, a bad --as-of", async () => {
        const a = io();
        assert.equal(await main(["--only", "oracle", "--catalog", data], a.io), 2);
        assert.match(a.err(), /Allowed choices are azure, aws, gcp/);
        const b = io();
        assert.equal(await main(["--only", "gcp", "--catalog", data], b.io), 2);
        assert.match(b.err(), /GCP_BILLING_API_KEY/);
        assert.equal(await main(["--as-of", "yesterday", "--catalog", data], io().io), 2);
    });

    it("without fixtures, fetches; a network failure names the cloud, exits 1 and writes nothing; GCP is skipped without a key", async () => {
        const before = fs.readFileSync(data, "utf8");
        const urls: string[] = [];
        const t = io({
            getJson: async (url) => {
                urls.push(url);
                throw new FetchError(`GET ${url} failed: ENOTFOUND`);
            },
        });
        assert.equal(await main(["--catalog", data], t.io), 1);
        assert.match(t.err(), /error: azure: GET https:\/\/prices\.azure\.com\/api\/retail\/prices\?\$filter=.* failed: ENOTFOUND/);
        assert.equal(fs.readFileSync(data, "utf8"), before);
        const g = io();
        assert.equal(await main(["--catalog", data, "--only", "aws"], { ...g.io, getJson: async () => { throw new Error("boom"); } }), 1);
        const k = io();
        assert.equal(await main(["--catalog", data, "--dry-run"], {
            ...k.io,
            getJson: async (url) => (url.includes("azure") ? { BillingCurrency: "USD", CustomerEntityId: "Default", CustomerEntityType: "Retail", Items: [], NextPageLink: null, Count: 0 } : JSON.parse(fs.readFileSync(path.join(FIXTURES, "aws", url.includes("us-west-2") ? "us-west-2.json" : "us-east-1.json"), "utf8"))),
        }), 0);
        assert.match(k.err(), /gcp: GCP_BILLING_API_KEY is not set; skipped/);
    });
});
