// The stack's AWS budget (issue 16). AWS Budgets bills only action-enabled budgets (budgets with a
// Budget Action attached: the first 62 budget-days a month free, then $0.10 per budget-day);
// notification-only budgets bill $0.00 per budget-day (AWS Price List, offer AWSBudgets, usage
// types BudgetsUsage and ActionEnabledBudgetsUsage, effective 2020-10-01;
// aws.amazon.com/aws-cost-management/aws-budgets/pricing/). The program attaches no Budget Action
// (the breaker reacts to the SNS notification instead), so the budget is free. A BudgetAction
// (aws:budgets/budgetAction:BudgetAction) is deliberately not a kind: the engine does not price it.
import { BUDGET_TYPES } from "../../contract/budgets";
import { Kind } from "../kind";

export const AWS_BUDGET_KINDS: ReadonlyArray<Kind> = [{ name: "aws-budget", provider: "aws", types: [BUDGET_TYPES.aws] }];
