import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_DIR } from "../helpers/program";

interface RegexManager {
    readonly description: string;
    readonly managerFilePatterns: string[];
    readonly matchStrings: string[];
}

const renovate = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "renovate.json"), "utf8")) as {
    customManagers: RegexManager[];
};

function filesUnder(dir: string): string[] {
    return fs.readdirSync(path.join(PROJECT_DIR, dir), { withFileTypes: true, recursive: true })
        .filter((e) => e.isFile())
        .map((e) => path.relative(PROJECT_DIR, path.join(e.parentPath, e.name)));
}

/** What one regex manager would find, as Renovate reads it: a file pattern, then the match strings. */
function matches(manager: RegexManager, files: readonly string[]): Array<Record<string, string>> {
    const filePatterns = manager.managerFilePatterns.map((p) => new RegExp(p.slice(1, -1)));
    const found: Array<Record<string, string>> = [];
    for (const file of files.filter((f) => filePatterns.some((p) => p.test(f)))) {
        const text = fs.readFileSync(path.join(PROJECT_DIR, file), "utf8");
        for (const s of manager.matchStrings) for (const m of text.matchAll(new RegExp(s, "g"))) found.push({ ...m.groups });
    }
    return found;
}

describe("Renovate keeps every pinned version in view", () => {
    const files = [...filesUnder("components"), ...filesUnder("targets"), ...filesUnder("scripts")];
    const all = renovate.customManagers.flatMap((m) => matches(m, files));

    it("every container image constant (repo:tag) in components/ and targets/ is found by a regex manager", () => {
        const pinned = files
            .filter((f) => f.endsWith(".ts"))
            .flatMap((f) => [...fs.readFileSync(path.join(PROJECT_DIR, f), "utf8").matchAll(/_IMAGE = "([^"]+:[^"]+)"/g)].map((m) => m[1]));
        assert.ok(pinned.length >= 3, `found ${pinned.length} image constants`);
        for (const image of pinned) {
            assert.ok(all.some((g) => `${g.depName}:${g.currentValue}` === image), `${image} is not seen by renovate.json`);
        }
    });

    it("every pinned Helm chart in components/ and targets/ is found by a regex manager", () => {
        const charts = files
            .filter((f) => f.endsWith(".ts"))
            .flatMap((f) => [...fs.readFileSync(path.join(PROJECT_DIR, f), "utf8").matchAll(/chart: "([^"]+)",\s*version: "([^"]+)"/g)]);
        assert.ok(charts.length >= 3, `found ${charts.length} charts`);
        for (const [, chart, version] of charts) {
            const name = chart.replace(/^oci:\/\//, "");
            assert.ok(all.some((g) => g.depName === name && g.currentValue === version), `${chart}@${version} is not seen by renovate.json`);
        }
    });

    it("both Node.js runtimes of scripts/node-runtime.sh are found", () => {
        const versions = all.filter((g) => g.currentValue && /^\d+\.\d+\.\d+$/.test(g.currentValue) && g.depName === undefined).map((g) => g.currentValue.split(".")[0]);
        assert.deepEqual(versions.sort(), ["22", "24"]);
    });

    it("negative control: an image constant the patterns cannot read is reported", () => {
        const image = matches(renovate.customManagers[0], []);
        assert.equal(image.length, 0);
        const text = 'export const ODD_IMAGE = "Registry.Example/UPPER:tag"';
        const found = renovate.customManagers[0].matchStrings.some((s) => new RegExp(s).test(text));
        assert.equal(found, false, "an upper-case registry is not a valid image reference and is not matched");
    });
});
