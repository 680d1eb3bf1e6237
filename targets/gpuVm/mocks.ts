import type { MockOutputs } from "../definition";

/** What Azure computes for the VM's network and its public address, for the offline plan. */
export const GPU_VM_MOCK_OUTPUTS: Readonly<Record<string, MockOutputs>> = {
    "azure-native:network:VirtualNetwork": (name) => ({ name }),
    "azure-native:network:NetworkSecurityGroup": (name) => ({ name }),
    "azure-native:network:PublicIPAddress": () => ({ ipAddress: "198.51.100.20" }),
};
