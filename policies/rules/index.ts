// Every policy in the pack, in the order the CLI reports them. policies/index.ts builds the pack
// from this list; evaluate.ts and the tests use it directly (a PolicyPack would start a server).
import { Policies } from "@pulumi/policy";
import { allowedInstanceTypes } from "./allowedInstanceTypes";
import { boundedScaling } from "./boundedScaling";
import { costKnownAtPreview } from "./costKnownAtPreview";
import { monthlyCostCap } from "./monthlyCostCap";
import { pricedResourcesOnly } from "./pricedResourcesOnly";
import { spotRequired } from "./spotRequired";

export const allPolicies: Policies = [
    monthlyCostCap,
    pricedResourcesOnly,
    boundedScaling,
    costKnownAtPreview,
    allowedInstanceTypes,
    spotRequired,
];
