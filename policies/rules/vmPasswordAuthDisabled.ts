import { ResourceValidationPolicy } from "@pulumi/policy";
import { readIn } from "../inspect";
import { AZURE_VMS } from "../model/azure/compute";
import { Read, readAt } from "../model/read";

/** Where each VM kind keeps its OS profile. */
const OS_PROFILES: Readonly<Record<string, ReadonlyArray<string>>> = {
    [AZURE_VMS.vm]: ["osProfile"],
    [AZURE_VMS.scaleSet]: ["virtualMachineProfile", "osProfile"],
};

/**
 * VMs log in with SSH keys only (origin: CKV_AZURE_1, CKV_AZURE_149, CKV_AZURE_178,
 * AVD-AZU-0039): `linuxConfiguration.disablePasswordAuthentication: true` and no `adminPassword`.
 * A VM without an OS profile (attached from a disk) has nothing to check.
 */
export const vmPasswordAuthDisabled: ResourceValidationPolicy = {
    name: "vm-password-auth-disabled",
    description: "Azure VMs and scale sets must disable password login and set no adminPassword: SSH keys only (CKV_AZURE_1/149/178, AVD-AZU-0039).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        const path = OS_PROFILES[args.type];
        if (!path) {
            return;
        }
        const report = (message: string) => reportViolation(`${args.name} [${args.type}]: ${message}`, args.urn);
        const profile = readAt(args.props, path);
        if (profile.state === "absent") {
            return;
        }
        if (profile.state === "unknown") {
            report(`${profile.field} is unknown at preview, so password login cannot be checked. Build the OS profile from config.`);
            return;
        }
        // Never read the password's value; its presence is the violation.
        const password: Read = readIn(profile, ["adminPassword"]);
        if (password.state !== "absent") {
            report(`${password.field} is set. Remove it and log in with SSH keys (linuxConfiguration.ssh.publicKeys).`);
        }
        const disabled = readIn(profile, ["linuxConfiguration", "disablePasswordAuthentication"]);
        if (disabled.state === "unknown") {
            report(`${disabled.field} is unknown at preview. Set it to true.`);
        } else if (!(disabled.state === "known" && disabled.value === true)) {
            report(`${disabled.field} is not true, so the VM accepts password logins. Set it to true with an SSH public key.`);
        }
    },
};
