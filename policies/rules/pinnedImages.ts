import { ResourceValidationPolicy } from "@pulumi/policy";
import { decodeUserData, dockerImagesIn, imageProblem, readIn, stringOf } from "../inspect";
import { EC2 } from "../model/aws/ec2";
import { AZURE_VMS } from "../model/azure/compute";
import { AZURE_ML } from "../model/azure/ml";
import { GCE_MACHINES } from "../model/gcp/compute";
import { Read, readAt } from "../model/read";
import { containerLabel, containersOf } from "../workloads";
import { gcpStartupScripts } from "./endpointAuthentication";

export interface PinnedImagesConfig {
    forbiddenTags?: string[];
    requireDigest?: boolean;
}

const SCRIPTS: Readonly<Record<string, ReadonlyArray<ReadonlyArray<string>>>> = {
    [AZURE_VMS.vm]: [["osProfile", "customData"], ["userData"]],
    [AZURE_VMS.scaleSet]: [["virtualMachineProfile", "osProfile", "customData"]],
    [EC2.instance]: [["userData"]],
    [EC2.launchTemplate]: [["userData"]],
};
const GCP_MACHINES: ReadonlySet<string> = new Set(GCE_MACHINES);
const ML_ENVIRONMENT = AZURE_ML.environmentVersion;

/**
 * Every container image is pinned to a tag other than `latest`, or to a digest (origin:
 * CKV_K8S_14; CKV_K8S_43 when `requireDigest`). Covers Kubernetes workloads (init containers
 * too), RayService head and worker pods, Azure ML environment images, and the images that
 * `docker run` starts in GCP startup scripts, Azure cloud-init and AWS user data. A moving tag
 * means a replica that restarts tomorrow may serve a different server than the one reviewed.
 * (Azure ML environments built from a Dockerfile are not covered: the base image is in the
 * build context, not in a resource property.)
 */
export const pinnedImages: ResourceValidationPolicy = {
    name: "pinned-images",
    description: "Container images must carry a tag other than latest, or a digest: Kubernetes and RayService containers, Azure ML environments, docker run in startup scripts and cloud-init (CKV_K8S_14).",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            forbiddenTags: {
                type: "array",
                items: { type: "string", minLength: 1 },
                default: ["latest"],
                description: "Tags that move and so do not pin an image.",
            },
            requireDigest: {
                type: "boolean",
                default: false,
                description: "Require @sha256 digests rather than tags (CKV_K8S_43).",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        const config = args.getConfig<PinnedImagesConfig>();
        const forbidden = config.forbiddenTags ?? ["latest"];
        const requireDigest = config.requireDigest ?? false;
        const report = (message: string) => reportViolation(`${args.name} [${args.type}]: ${message}`, args.urn);
        const fix = requireDigest ? "Pin it to a digest (image@sha256:...)." : `Pin it to a release tag or digest (never ${forbidden.join(", ")}).`;
        const checkImage = (where: string, image: Read) => {
            if (image.state === "unknown") {
                report(`${where} is unknown at preview, so its pinning cannot be checked. Set the image from config. ${fix}`);
                return;
            }
            const problem = imageProblem(stringOf(image) ?? "", forbidden, requireDigest);
            if (problem) {
                // Image references are not secrets: naming the image tells the reader which one to fix.
                report(`${where} image ${stringOf(image) ?? "(none)"} ${problem}. ${fix}`);
            }
        };
        const checkScript = (script: Read) => {
            if (script.state === "unknown") {
                report(`${script.field} is unknown at preview, so the images it runs cannot be checked. Build it from values known at preview.`);
                return;
            }
            const text = decodeUserData(stringOf(script) ?? "");
            for (const image of dockerImagesIn(text)) {
                const problem = image.includes("$") ? "is a shell variable, so what runs cannot be reviewed" : imageProblem(image, forbidden, requireDigest);
                if (problem) {
                    report(`${script.field}: docker image ${image} ${problem}. ${fix}`);
                }
            }
        };

        for (const container of containersOf(args.type, args.props)) {
            if (container.read.state === "unknown") {
                checkImage(container.field, container.read);
            } else {
                checkImage(`${containerLabel(container)} (${container.role})`, readIn(container.read, ["image"]));
            }
        }
        if (args.type === ML_ENVIRONMENT) {
            const image = readAt(args.props, ["properties", "image"]);
            if (image.state !== "absent") {
                checkImage(image.field, image);
            }
        }
        if (GCP_MACHINES.has(args.type)) {
            gcpStartupScripts(args.props).forEach(checkScript);
        }
        for (const path of SCRIPTS[args.type] ?? []) {
            const script = readAt(args.props, path);
            if (script.state !== "absent") {
                checkScript(script);
            }
        }
    },
};
