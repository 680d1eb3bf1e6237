// `npm run prices:refresh`: rebuilds the catalog's SKU prices from the clouds' public price sources,
// keeping a source and date per entry. Only the SKUs the catalog already lists are refreshed.
//
//   npm run prices:refresh -- --dry-run                       # fetch, print the diff, write nothing
//   npm run prices:refresh -- --only azure                    # one cloud
//   npm run prices:refresh -- --from-fixtures test/fixtures/prices --dry-run   # recorded responses
//
// GCP is refreshed only with an API key (env GCP_BILLING_API_KEY). Exit codes: 0 done (missing
// SKUs are reported, not fatal); 1 a source failed; 2 usage.
import * as fs from "node:fs";
import * as path from "node:path";
import { Command, CommanderError, Option } from "commander";
import { parseCatalogData, type CatalogEntry, type Cloud } from "../policies/cost/catalog";
import { azureRetailUrl, fetchAzurePages, parseAzureRetail, type AzureRetailPage } from "./azure";
import { awsOfferUrl, parseAwsOffer, type AwsOfferFile } from "./aws";
import { FetchError, httpGetJson, type GetJson } from "./fetch";
import { fetchGcpPages, parseGcpSkus, type GcpSkuPage } from "./gcp";
import { formatReport, mergeUpdates, type MergeReport } from "./merge";
import { isoDate, type ParseResult, type Wanted } from "./types";
import { CATALOG_DATA_PATH, renderCatalogData, writeCatalogData } from "./writer";

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
const CLOUDS: ReadonlyArray<Cloud> = ["azure", "aws", "gcp"];

export interface RefreshIo {
    readonly out: (s: string) => void;
    readonly err: (s: string) => void;
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly now: () => Date;
    /** Network access; tests inject a fake. Built from --timeout when absent. */
    readonly getJson?: GetJson;
}

interface Options {
    dryRun?: boolean;
    fromFixtures?: string;
    only?: Cloud;
    catalog: string;
    asOf?: string;
    timeout: string;
}

function wantedOf(entries: ReadonlyArray<CatalogEntry>, cloud: Cloud): Wanted[] {
    return entries
        .filter((e) => e.cloud === cloud)
        .map((e) => ({
            region: e.region,
            sku: e.sku,
            vcpu: e.vcpu,
            memoryGb: e.memoryGb,
            ...(e.accelerators ? { accelerators: { kind: e.accelerators.kind, count: e.accelerators.count } } : {}),
        }));
}

const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(file, "utf8"));
const jsonFilesIn = (dir: string): string[] =>
    fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort().map((f) => path.join(dir, f)) : [];

/** Reads one cloud's prices, from fixtures or the network; undefined when the cloud is skipped. */
async function readCloud(cloud: Cloud, wanted: Wanted[], o: Options, io: RefreshIo, getJson: GetJson, asOf: string): Promise<ParseResult | undefined> {
    const regions = [...new Set(wanted.map((w) => w.region))];
    const fixtures = o.fromFixtures ? path.join(o.fromFixtures, cloud) : undefined;
    if (fixtures && !fs.existsSync(fixtures)) {
        io.err(`${cloud}: no fixtures in ${fixtures}; skipped\n`);
        return undefined;
    }
    if (cloud === "azure") {
        const pages = fixtures
            ? jsonFilesIn(fixtures).map((f) => readJson(f) as AzureRetailPage)
            : (await Promise.all(wanted.map((w) => fetchAzurePages(azureRetailUrl(w.region, w.sku), getJson)))).flat();
        return parseAzureRetail(pages, wanted, asOf);
    }
    if (cloud === "aws") {
        const results: ParseResult[] = [];
        for (const region of regions) {
            const file = fixtures ? path.join(fixtures, `${region}.json`) : undefined;
            if (file && !fs.existsSync(file)) {
                io.err(`aws: no fixture ${file}; ${region} skipped\n`);
                continue;
            }
            const offer = (file ? readJson(file) : await getJson(awsOfferUrl(region))) as AwsOfferFile;
            results.push(parseAwsOffer(offer, region, wanted, asOf));
        }
        return { updates: results.flatMap((r) => r.updates), notes: results.flatMap((r) => r.notes) };
    }
    let pages: GcpSkuPage[];
    if (fixtures) {
        pages = jsonFilesIn(fixtures).map((f) => readJson(f) as GcpSkuPage);
    } else {
        const key = io.env.GCP_BILLING_API_KEY;
        if (!key) {
            io.err("gcp: GCP_BILLING_API_KEY is not set; skipped (the Cloud Billing Catalog API needs an API key)\n");
            return undefined;
        }
        pages = await fetchGcpPages(key, getJson);
    }
    return parseGcpSkus(pages, wanted, asOf);
}

/** Runs the refresh; returns the exit code. */
export async function main(argv: readonly string[], io: RefreshIo): Promise<number> {
    const program = new Command("prices:refresh")
        .description("Refresh the price catalog's SKU prices from the clouds' public price sources.")
        .option("--dry-run", "print the price changes; write nothing")
        .option("--from-fixtures <dir>", "read recorded responses (<dir>/azure/*.json, <dir>/aws/<region>.json, <dir>/gcp/*.json) instead of fetching")
        .addOption(new Option("--only <cloud>", "refresh one cloud").choices(CLOUDS as Cloud[]))
        .option("--catalog <file>", "the catalog data file to read and write", CATALOG_DATA_PATH)
        .option("--as-of <date>", "source date for sources that serve today's price (default: today, UTC)")
        .option("--timeout <seconds>", "per-request network timeout", "120")
        .exitOverride()
        .configureOutput({ writeOut: io.out, writeErr: io.err });
    let o: Options;
    try {
        program.parse(argv as string[], { from: "user" });
        o = program.opts<Options>();
    } catch (e) {
        if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
        throw e;
    }
    const asOf = o.asOf ?? isoDate(io.now());
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf))) {
        io.err(`error: --as-of must be a date like 2026-11-23, got ${asOf}\n`);
        return EXIT.usage;
    }
    const timeoutS = Number(o.timeout);
    if (!(timeoutS > 0)) {
        io.err(`error: --timeout must be a positive number of seconds, got ${o.timeout}\n`);
        return EXIT.usage;
    }
    let entries: CatalogEntry[];
    try {
        entries = parseCatalogData(readJson(o.catalog));
    } catch (e) {
        io.err(`error: cannot read the catalog ${o.catalog}: ${(e as Error).message}\n`);
        return EXIT.usage;
    }
    if (o.only === "gcp" && !o.fromFixtures && !io.env.GCP_BILLING_API_KEY) {
        io.err("error: --only gcp needs GCP_BILLING_API_KEY (a Cloud Billing Catalog API key)\n");
        return EXIT.usage;
    }

    const getJson = io.getJson ?? httpGetJson(timeoutS * 1000);
    const refreshed: Cloud[] = [];
    const results: ParseResult[] = [];
    for (const cloud of o.only ? [o.only] : CLOUDS) {
        try {
            const r = await readCloud(cloud, wantedOf(entries, cloud), o, io, getJson, asOf);
            if (r) {
                refreshed.push(cloud);
                results.push(r);
            }
        } catch (e) {
            // Network failures (FetchError), malformed responses and files: name the cloud, stop,
            // write nothing. A half-refreshed catalog would mix dates silently.
            if (!(e instanceof Error)) throw e;
            io.err(`error: ${cloud}: ${e instanceof FetchError ? "" : `${e.name}: `}${e.message}\n`);
            return EXIT.failed;
        }
    }
    const report: MergeReport = mergeUpdates(entries, results.flatMap((r) => r.updates), refreshed);
    io.out(`prices:refresh ${o.fromFixtures ? `from fixtures ${o.fromFixtures}` : "from the network"} · ${refreshed.join(", ") || "no cloud"} · as of ${asOf}\n`);
    io.out(formatReport(report, results.flatMap((r) => r.notes)));
    if (o.dryRun) {
        io.out("dry run: nothing written\n");
        return EXIT.ok;
    }
    // Re-read what would be written with the loader catalog.ts uses: never write a file it rejects.
    parseCatalogData(JSON.parse(renderCatalogData(report.entries)));
    writeCatalogData(o.catalog, report.entries);
    io.out(`wrote ${path.relative(process.cwd(), o.catalog) || o.catalog}\n`);
    return EXIT.ok;
}

if (require.main === module) {
    main(process.argv.slice(2), {
        out: (s) => process.stdout.write(s),
        err: (s) => process.stderr.write(s),
        env: process.env,
        now: () => new Date(),
    }).then(
        (code) => process.exit(code),
        (e: unknown) => {
            process.stderr.write(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
            process.exit(70);
        },
    );
}
