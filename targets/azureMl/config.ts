import { z } from "zod";
import { int, oneOf, range } from "../../config/fields";
import { AZURE_LOCATIONS, checkSizeAndSpot } from "../../config/azure";

/**
 * GPU instance types of Azure ML managed online endpoints that are priced and fit a 7B model.
 * (Managed online endpoints have no spot option; Standard_NV36ads_A10_v5 is not offered there.)
 */
export const AML_INSTANCE_TYPES = [
    "Standard_NC4as_T4_v3",
    "Standard_NC8as_T4_v3",
    "Standard_NC6s_v3",
    "Standard_NC12s_v3",
    "Standard_NC24s_v3",
    "Standard_NC24ads_A100_v4",
    "Standard_NC48ads_A100_v4",
    "Standard_NC40ads_H100_v5",
] as const;

export const azureMlSchema = z
    .strictObject(
        {
            /** Azure location of the workspace and endpoint. */
            location: oneOf(AZURE_LOCATIONS, "Azure locations"),
            /** Instance type of the deployment. @default "Standard_NC24ads_A100_v4" */
            instanceType: oneOf(AML_INSTANCE_TYPES, "Azure ML GPU instance types").default("Standard_NC24ads_A100_v4"),
            /** Autoscale bounds (Azure Monitor); the cost cap and Azure ML's quota reservation use `max`. */
            instances: range(1, 20),
            /** How clients authenticate: a static key (works with OpenAI clients) or an Entra token. @default "Key" */
            authMode: oneOf(["Key", "AADToken"] as const, "endpoint auth modes").default("Key"),
            /** Workspace reachable from public networks (studio, SDK). @default false */
            publicNetworkAccess: z.boolean({ error: "must be true or false" }).default(false),
            /** Scoring endpoint reachable from the internet (key or token still required). @default true */
            endpointPublicAccess: z.boolean({ error: "must be true or false" }).default(true),
            /** Requests one instance handles at once (vLLM batches them). @default 16 */
            maxConcurrentRequestsPerInstance: int(1, 256).default(16),
            /** Seconds a request may take; Azure ML's limit is 180, generations are long. @default 180 */
            requestTimeoutSeconds: int(10, 180).default(180),
        },
        { error: "must be an object" },
    )
    .superRefine((cfg, ctx) => checkSizeAndSpot(cfg, "instanceType", ctx));

export type AzureMlConfig = z.output<typeof azureMlSchema>;
