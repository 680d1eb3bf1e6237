import * as pulumi from "@pulumi/pulumi";

/**
 * A mistake in the stack's configuration. Extends `pulumi.RunError` so the Pulumi CLI reports
 * the message alone, without a stack trace: the user needs the key, the value and what is
 * allowed, not our call stack.
 */
export class ConfigError extends pulumi.RunError {
    constructor(public readonly problems: readonly string[]) {
        super(
            `Invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((p) => `  - ${p}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}
