import * as pulumi from "@pulumi/pulumi";
import type { NotificationsConfig } from "./notifications";
import type { ObservabilityConfig } from "./observability";
import { ModelConfig, TagsConfig } from "./schema";

/**
 * The stack's settings every target receives besides its own `targets.<key>` block: the model,
 * the cost-allocation tags and the stack-wide secrets. Parsed and validated once, with the rest
 * of the stack config.
 */
export interface SharedStackConfig {
    readonly stack: string;
    readonly model: ModelConfig;
    readonly tags: TagsConfig & { readonly environment: string };
    /** Hugging Face token for gated models. */
    readonly hfToken?: pulumi.Output<string>;
    /** Bearer token clients must send; each target generates one when absent. */
    readonly apiKey?: pulumi.Output<string>;
    /** The stack's TLS certificate (PEM, leaf first) and private key, both secrets; set together or not at all. */
    readonly tls?: TlsCertificate;
    /** Where alerts and budget notifications go (`llm-serving:notifications`); absent while on-call is not set up. */
    readonly notifications?: NotificationsConfig;
    /** Alert thresholds and the autoscalers' in-flight target (`llm-serving:observability`), defaults filled in. */
    readonly observability: ObservabilityConfig;
}

/** A certificate and its private key, PEM, as Pulumi secrets. */
export interface TlsCertificate {
    /** The server certificate, then any intermediates. */
    readonly certificate: pulumi.Output<string>;
    readonly privateKey: pulumi.Output<string>;
}

/** A problem with one key below `targets.<key>`: the key ("domain") and the message after it. */
export interface TargetProblem {
    readonly key: string;
    readonly message: string;
}
