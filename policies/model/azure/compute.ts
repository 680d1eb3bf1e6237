// Azure compute: virtual machines and their disks, scale sets, container groups.
import { Kind } from "../kind";
import { equalsAny, nonAbsent } from "../common";
import { asString, readAt } from "../read";

export const AZURE_COMPUTE = {
    virtualMachine: "azure-native:compute:VirtualMachine",
    disk: "azure-native:compute:Disk",
    scaleSet: "azure-native:compute:VirtualMachineScaleSet",
    containerGroup: "azure-native:containerinstance:ContainerGroup",
} as const;

/** VMs and scale sets: what carries an OS profile and custom data. */
export const AZURE_VMS = { vm: AZURE_COMPUTE.virtualMachine, scaleSet: AZURE_COMPUTE.scaleSet } as const;

export const AZURE_COMPUTE_KINDS: ReadonlyArray<Kind> = [
    {
        name: "azure-vm",
        provider: "azure",
        types: [AZURE_COMPUTE.virtualMachine],
        compute: "priced",
        capacity: {
            kind: "azure-vm",
            howToSpot: 'set priority to "Spot" with an evictionPolicy and billingProfile.maxPrice',
            read: (props) => [
                {
                    cloud: "azure",
                    kind: "azure-vm",
                    at: "",
                    skus: nonAbsent([asString(readAt(props, ["hardwareProfile", "vmSize"]))]),
                    skuField: "hardwareProfile.vmSize",
                    spot: equalsAny(readAt(props, ["priority"]), ["spot", "low"]),
                    spotField: "priority",
                    families: [],
                    hasGuestAccelerators: false,
                },
            ],
        },
    },
    { name: "azure-disk", provider: "azure", types: [AZURE_COMPUTE.disk] },
    { name: "azure-vm-scale-set", provider: "azure", types: [AZURE_COMPUTE.scaleSet], compute: "unpriced" },
    { name: "azure-container-group", provider: "azure", types: [AZURE_COMPUTE.containerGroup], compute: "unpriced" },
];
