// Where the stack's Azure alerts go (components/notify/azure.ts): an Azure Monitor action group.
// An action group bills nothing for existing; Azure Monitor bills its notifications, and the first
// 1,000 e-mails of each month are free, against a few budget and alert e-mails a month
// (azure.microsoft.com/pricing/details/monitor/, "Alerts", notifications). A known kind with no
// compute and no price: $0 by knowledge, not by being unread.
import { Kind } from "../kind";

export const AZURE_NOTIFY = {
    actionGroup: "azure-native:monitor:ActionGroup",
} as const;

export const AZURE_NOTIFY_KINDS: ReadonlyArray<Kind> = [{ name: "azure-action-group", provider: "azure", types: [AZURE_NOTIFY.actionGroup] }];
