// The stack's GCP billing budget (issue 16). Cloud Billing budgets and their alerts bill nothing:
// "There's no charge for using budgets" (cloud.google.com/billing/docs/how-to/budgets). Its Pub/Sub
// notifications are Pub/Sub messages, a few a day, inside Pub/Sub's free 10 GiB a month
// (cloud.google.com/pubsub/pricing). A known kind with no compute and no price.
import { BUDGET_TYPES } from "../../contract/budgets";
import { Kind } from "../kind";

export const GCP_BUDGET_KINDS: ReadonlyArray<Kind> = [{ name: "gcp-billing-budget", provider: "gcp", types: [BUDGET_TYPES.gcp] }];
