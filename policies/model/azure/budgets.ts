// The stack's Azure consumption budget (issue 16). Cost Management, budgets and their alerts
// included, is free for Azure subscriptions: "Cost Management ... is available at no additional
// cost" for Azure services (azure.microsoft.com/pricing/details/cost-management/). Its action group
// is the azure-action-group kind. A known kind with no compute and no price.
import { BUDGET_TYPES } from "../../contract/budgets";
import { Kind } from "../kind";

export const AZURE_BUDGET_KINDS: ReadonlyArray<Kind> = [{ name: "azure-consumption-budget", provider: "azure", types: [BUDGET_TYPES.azure] }];
