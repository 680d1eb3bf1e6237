// Azure side of the stack's notification targets: one Azure Monitor action group with an e-mail
// receiver per address. Consumption budgets (`contactGroups`) and metric alerts both take action
// group resource ids; the common alert schema is on so every receiver gets one payload shape.
import * as pulumi from "@pulumi/pulumi";
import * as monitor from "@pulumi/azure-native/monitor";
import type { NotificationsConfig } from "../../config/notifications";
import { addressSuffix } from "./names";

export interface AzureNotifyOptions {
    /** Cost-allocation tags for the action group; the stack's costLabels. */
    readonly tags?: Readonly<Record<string, string>>;
}

/**
 * An action group's short name is what SMS and e-mail subjects show, at most 12 characters
 * (ActionGroup.groupShortName in the Azure Monitor REST reference).
 */
export function actionGroupShortName(name: string): string {
    return name.replace(/[^A-Za-z0-9-]/g, "").slice(0, 12) || "llm-serving";
}

/**
 * One action group (location "global": action groups are a global resource) in
 * `resourceGroupName` with an e-mail receiver per address. Returns the action group ids to notify:
 * its own (when there are addresses) and `n.azureActionGroupId` (when set); [] when neither.
 */
export function azureActionGroups(
    name: string,
    resourceGroupName: pulumi.Input<string>,
    n: NotificationsConfig | undefined,
    opts: pulumi.ComponentResourceOptions,
    settings: AzureNotifyOptions = {},
): pulumi.Output<string[]> {
    const emails = n?.emails ?? [];
    const ids: pulumi.Input<string>[] = [];
    if (emails.length > 0) {
        const group = new monitor.ActionGroup(
            `${name}-alerts`,
            {
                resourceGroupName,
                location: "global",
                enabled: true,
                groupShortName: actionGroupShortName(name),
                emailReceivers: emails.map((email) => ({ name: `email-${addressSuffix(email)}`, emailAddress: email, useCommonAlertSchema: true })),
                tags: settings.tags ? { ...settings.tags } : undefined,
            },
            opts,
        );
        ids.push(group.id);
    }
    if (n?.azureActionGroupId !== undefined) ids.push(n.azureActionGroupId);
    return pulumi.all(ids);
}
