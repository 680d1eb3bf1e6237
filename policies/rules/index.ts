// Every policy in the pack, in the order the CLI reports them. policies/index.ts builds the pack
// from this list; evaluate.ts and the tests use it directly (a PolicyPack would start a server).
import { Policies } from "@pulumi/policy";
import { allowedInstanceTypes } from "./allowedInstanceTypes";
import { boundedScaling } from "./boundedScaling";
import { costKnownAtPreview } from "./costKnownAtPreview";
import { monthlyCostCap } from "./monthlyCostCap";
import { pricedResourcesOnly } from "./pricedResourcesOnly";
import { spotRequired } from "./spotRequired";
import { aksLocalAccountsAndRbac } from "./aksLocalAccountsAndRbac";
import { apiServerNotPublic } from "./apiServerNotPublic";
import { costAllocationTags } from "./costAllocationTags";
import { endpointAuthentication } from "./endpointAuthentication";
import { endpointTls } from "./endpointTls";
import { gcpNoDefaultServiceAccount } from "./gcpNoDefaultServiceAccount";
import { imdsv2Required } from "./imdsv2Required";
import { karpenterSpotInterruptionQueue } from "./karpenterSpotInterruptionQueue";
import { minReplicas } from "./minReplicas";
import { modelServerDisruptionBudget } from "./modelServerDisruptionBudget";
import { modelServerProbes } from "./modelServerProbes";
import { noPlaintextSecrets } from "./noPlaintextSecrets";
import { noPublicAdminPorts } from "./noPublicAdminPorts";
import { pinnedImages } from "./pinnedImages";
import { vmPasswordAuthDisabled } from "./vmPasswordAuthDisabled";
import { catalogFreshness } from "./catalogFreshness";
import { modelAccess } from "./modelAccess";
import { maxCostPerMillionTokens } from "./maxCostPerMillionTokens";
import { runtimeBudget } from "./runtimeBudget";
import { runtimeBudgetShare } from "./runtimeBudgetShare";
import { breakerLeastPrivilege } from "./breakerLeastPrivilege";
import { modelServerObservability } from "./modelServerObservability";

export const allPolicies: Policies = [
    monthlyCostCap,
    pricedResourcesOnly,
    boundedScaling,
    costKnownAtPreview,
    allowedInstanceTypes,
    spotRequired,
    // Security and availability (guardrails.md's rule table; origin ids in each rule's description).
    endpointAuthentication,
    endpointTls,
    noPublicAdminPorts,
    vmPasswordAuthDisabled,
    aksLocalAccountsAndRbac,
    apiServerNotPublic,
    imdsv2Required,
    gcpNoDefaultServiceAccount,
    noPlaintextSecrets,
    pinnedImages,
    modelServerProbes,
    minReplicas,
    modelServerDisruptionBudget,
    karpenterSpotInterruptionQueue,
    costAllocationTags,
    catalogFreshness,
    modelAccess,
    maxCostPerMillionTokens,
    // Run-time budgets (issue 16).
    runtimeBudget,
    runtimeBudgetShare,
    breakerLeastPrivilege,
    modelServerObservability,
];
