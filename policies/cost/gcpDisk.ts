// A GCP persistent disk's price, shared by every GCP kind that carries disks (instance templates,
// VMs, standalone disks; a GKE node pool's nodes when it is priced). Kept apart from gcp.ts so a
// kind module can price its disks without importing the GCP pass that runs it.
import { findDiskPrice } from "./catalog";
import { Sink } from "./pricing";
import { CostInputResource } from "./types";
import { Typed } from "../model/read";

/** One disk's hourly price from its type and size; reports (and returns undefined) when unpriced. */
export function diskHourly(res: CostInputResource, type: Typed<string>, size: Typed<number>, region: string | undefined, defaultType: string, sink: Sink): { hourly: number; desc: string } | undefined {
    if (sink.unusable(res, type, "disk type") || sink.unusable(res, size, "disk size")) return undefined;
    if (size.state !== "known") {
        sink.issue(res, "unpriced", `${size.field} is not set, so the disk takes its image's size, which the pack cannot see; set the size`, size.field);
        return undefined;
    }
    const t = type.state === "known" ? type.value.replace(/^.*\//, "") : defaultType;
    const price = region === undefined ? undefined : findDiskPrice("gcp", region, t);
    if (!price) {
        sink.issue(res, "unpriced", `disk type ${t} has no catalog price in region ${region ?? "(not set)"}; an unpriced disk is never counted as $0`, type.field);
        return undefined;
    }
    return { hourly: (size.value * price.monthlyUsd) / 730, desc: `${size.value} GB ${t} at $${price.monthlyUsd}/GB-month` };
}
