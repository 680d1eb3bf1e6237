// Compute Engine: instance templates, VMs, managed instance groups and their autoscalers, disks.
import { Capacity, GcpIdentity, Kind } from "../kind";
import { nonAbsent } from "../common";
import { Read, asNumber, asString, readAt, readElements } from "../read";

export const GCE = {
    template: "gcp:compute/instanceTemplate:InstanceTemplate",
    regionTemplate: "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate",
    instance: "gcp:compute/instance:Instance",
    regionGroup: "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager",
    zoneGroup: "gcp:compute/instanceGroupManager:InstanceGroupManager",
    regionAutoscaler: "gcp:compute/regionAutoscaler:RegionAutoscaler",
    zoneAutoscaler: "gcp:compute/autoscaler:Autoscaler",
    disk: "gcp:compute/disk:Disk",
    instanceFromTemplate: "gcp:compute/instanceFromTemplate:InstanceFromTemplate",
    instanceFromMachineImage: "gcp:compute/instanceFromMachineImage:InstanceFromMachineImage",
} as const;

export const GCE_TEMPLATES: ReadonlyArray<string> = [GCE.template, GCE.regionTemplate];
export const GCE_GROUPS: ReadonlyArray<string> = [GCE.regionGroup, GCE.zoneGroup];
export const GCE_AUTOSCALERS: ReadonlyArray<string> = [GCE.regionAutoscaler, GCE.zoneAutoscaler];
/** Templates and VMs: what carries a machine's metadata (startup script) and service account. */
export const GCE_MACHINES: ReadonlyArray<string> = [...GCE_TEMPLATES, GCE.instance];

const SPOT_FIELD = "scheduling.provisioningModel";
const HOW_TO_SPOT = 'set scheduling.provisioningModel to "SPOT" (with automaticRestart false, onHostMaintenance "TERMINATE")';

/** A template and a lone VM read alike: same machineType, guestAccelerators and scheduling. */
function machineCapacity(kind: string): (props: unknown) => Capacity[] {
    return (props) => {
        const accelerators = guestAccelerators(props);
        return [
            {
                cloud: "gcp",
                kind,
                at: "",
                skus: nonAbsent([machineSku(asString(readAt(props, ["machineType"])), accelerators)]),
                skuField: "machineType",
                spot: machineSpot(props),
                spotField: SPOT_FIELD,
                families: [],
                hasGuestAccelerators: accelerators.state !== "known" || accelerators.value.length > 0,
            },
        ];
    };
}

/**
 * A GCP machine's SKU as the catalog names it: the machine type plus its guest accelerators
 * (`n1-standard-8+1xnvidia-tesla-t4`), so allowing a host does not allow any GPU bolted onto it.
 */
function machineSku(machineType: Read<string>, accelerators: Read<string[]>): Read<string> {
    if (machineType.state !== "known") {
        return machineType;
    }
    if (accelerators.state !== "known") {
        return accelerators;
    }
    return { state: "known", value: [machineType.value, ...accelerators.value].join("+"), field: machineType.field };
}

/** `guestAccelerators` as sorted `<count>x<type>` strings; unknown if any part is unknown. */
function guestAccelerators(props: unknown): Read<string[]> {
    const list = readElements(props, ["guestAccelerators"]);
    if (!Array.isArray(list)) {
        return list.state === "unknown" ? list : { state: "known", value: [], field: list.field };
    }
    const out: string[] = [];
    for (const element of list) {
        const type = asString(readAt(element.state === "known" ? element.value : undefined, ["type"], element.field));
        const count = asNumber(readAt(element.state === "known" ? element.value : undefined, ["count"], element.field));
        if (element.state === "unknown") return element;
        if (type.state === "unknown") return type;
        if (count.state === "unknown") return count;
        if (type.state === "known" && count.state === "known" && count.value > 0) {
            out.push(`${count.value}x${type.value}`);
        }
    }
    return { state: "known", value: out.sort(), field: "guestAccelerators" };
}

/** SPOT provisioning or the older `preemptible` flag both make a GCP VM spot-priced. */
function machineSpot(props: unknown): Read<boolean> {
    const model = asString(readAt(props, ["scheduling", "provisioningModel"]));
    if (model.state === "unknown") {
        return model;
    }
    if (model.state === "known" && model.value.toUpperCase() === "SPOT") {
        return { state: "known", value: true, field: model.field };
    }
    const preemptible = readAt(props, ["scheduling", "preemptible"]);
    if (preemptible.state === "unknown") {
        return preemptible;
    }
    return { state: "known", value: preemptible.state === "known" && preemptible.value === true, field: SPOT_FIELD };
}

/** Templates and VMs name their account in serviceAccount { email, scopes }. */
function machineIdentity(props: unknown): GcpIdentity {
    return {
        account: readAt(props, ["serviceAccount"]),
        email: readAt(props, ["serviceAccount", "email"]),
        scopes: readAt(props, ["serviceAccount", "scopes"]),
        dependencyProp: "serviceAccount",
    };
}

export const GCE_KINDS: ReadonlyArray<Kind> = [
    // A template is billed through the groups that run it, so it is not compute itself.
    { name: "gcp-instance-template", provider: "gcp", types: GCE_TEMPLATES, capacity: { kind: "gcp-instance-template", howToSpot: HOW_TO_SPOT, read: machineCapacity("gcp-instance-template") }, gcpIdentity: machineIdentity },
    { name: "gcp-instance", provider: "gcp", types: [GCE.instance], compute: "priced", capacity: { kind: "gcp-instance", howToSpot: HOW_TO_SPOT, read: machineCapacity("gcp-instance") }, gcpIdentity: machineIdentity },
    // A group runs its instance template (versions[].instanceTemplate), whose SKU the template kind reads.
    { name: "gcp-instance-group", provider: "gcp", types: GCE_GROUPS, compute: "priced", skuFrom: "gcp-instance-template" },
    { name: "gcp-autoscaler", provider: "gcp", types: GCE_AUTOSCALERS },
    { name: "gcp-disk", provider: "gcp", types: [GCE.disk] },
    { name: "gcp-instance-from-template", provider: "gcp", types: [GCE.instanceFromTemplate], compute: "unpriced" },
    { name: "gcp-instance-from-machine-image", provider: "gcp", types: [GCE.instanceFromMachineImage], compute: "unpriced" },
];
