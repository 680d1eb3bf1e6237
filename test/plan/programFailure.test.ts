import { strict as assert } from "node:assert";
import * as random from "@pulumi/random";
import { ProgramFailedError, runUnderMocks } from "../../plan/mocks";

/**
 * A value computed from another resource's output that throws leaves every resource depending on
 * it unregistered. `pulumi up` fails on it; the plan must too, not show the rest and exit 0 (found
 * while building the showcase stack: a check on a mocked password made the route guard vanish).
 */
describe("plan: a program that fails while registering fails the plan", () => {
    const options = { project: "llm-serving", stack: "test", config: {}, secretKeys: [] as string[] };

    it("throws ProgramFailedError naming the property, instead of returning the resources that did register", async () => {
        await assert.rejects(
            runUnderMocks(options, () => {
                const first = new random.RandomPassword("first", { length: 16 });
                const special = first.result.apply((): string => {
                    throw new Error("the check refused this value");
                });
                new random.RandomPassword("second", { length: 16, overrideSpecial: special });
                return {};
            }),
            (e: unknown) => e instanceof ProgramFailedError && /overrideSpecial/.test(e.message) && /the check refused this value/.test(e.message),
        );
    });

    it("negative control: the same program whose apply succeeds registers both resources", async () => {
        const run = await runUnderMocks(options, () => {
            const first = new random.RandomPassword("first", { length: 16 });
            new random.RandomPassword("second", { length: 16, overrideSpecial: first.result.apply(() => "-_") });
            return {};
        });
        assert.deepEqual(run.resources.map((r) => r.name).sort(), ["first", "second"]);
    });
});
