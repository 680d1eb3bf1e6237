import { parse } from "yaml";
import type { PlannedResource } from "../../plan/mocks";
import { ConformancePlan, conformancePlans } from "./plans";

/**
 * The generated nginx configs, shell scripts and cloud-configs of every planned stack and variant,
 * taken from what the program registered (ConfigMaps, Deployments, instance templates, VM custom
 * data), never rebuilt from the builders: what is checked is what would be deployed.
 */

/** A route-guard template and how its container renders it (the image's envsubst entrypoint). */
export interface NginxArtifact {
    /** "stack dev: eks-inf2-front-conf". */
    readonly label: string;
    readonly template: string;
    /** NGINX_ENVSUBST_FILTER as the container gets it. */
    readonly envsubstFilter: string;
    /** NGINX_ENTRYPOINT_LOCAL_RESOLVERS is set: the entrypoint exports NGINX_LOCAL_RESOLVERS. */
    readonly localResolvers: boolean;
    /** The nginx-unprivileged image the container runs ("nginxinc/nginx-unprivileged:1.28.0-alpine"). */
    readonly image: string;
}

export interface ScriptArtifact {
    readonly label: string;
    readonly kind: "gcp-startup" | "gcp-shutdown" | "vm-write-file" | "vm-runcmd";
    /** `bash` or `sh`, from the shebang (runcmd: cloud-init runs it with sh). */
    readonly shell: "bash" | "sh";
    readonly text: string;
}

export interface CloudConfigArtifact {
    readonly label: string;
    readonly text: string;
}

const TEMPLATE_FILE = "default.conf.template";
const TEMPLATE_DIR = "/etc/nginx/templates";

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (v && typeof v === "object" ? (v as Obj) : {});
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === "string" ? v : "");

/** The cloud-configs of the planned VMs (base64 custom data). */
function vmCloudConfigs(plan: ConformancePlan): Array<{ label: string; text: string; resource: PlannedResource }> {
    return plan.resources
        .filter((r) => r.type === "azure-native:compute:VirtualMachine")
        .map((r) => ({ label: `${plan.label}: ${r.name}`, text: Buffer.from(str(asObj(r.inputs.osProfile).customData), "base64").toString("utf8"), resource: r }))
        .filter((c) => c.text.startsWith("#cloud-config"));
}

interface WriteFile {
    path: string;
    content: string;
}

function writeFiles(cloudConfig: string): WriteFile[] {
    return asList(asObj(parse(cloudConfig)).write_files).map((f) => ({ path: str(asObj(f).path), content: str(asObj(f).content) }));
}

function runcmd(cloudConfig: string): string[] {
    return asList(asObj(parse(cloudConfig)).runcmd).map((c) => (Array.isArray(c) ? c.map(String).join(" ") : String(c)));
}

/** The value `name=` gets in a script line such as `echo 'NAME=value'` (the VM's guard env file). */
function envLine(script: string, name: string): string | undefined {
    const m = script.match(new RegExp(`^\\s*echo '${name}=([^']*)'$`, "m"));
    return m?.[1];
}

export async function nginxArtifacts(): Promise<NginxArtifact[]> {
    const out: NginxArtifact[] = [];
    for (const plan of await conformancePlans()) {
        const configMaps = plan.resources.filter((r) => r.type === "kubernetes:core/v1:ConfigMap");
        for (const cm of configMaps) {
            const template = asObj(cm.inputs.data)[TEMPLATE_FILE];
            if (typeof template !== "string") continue;
            const cmName = str(asObj(cm.inputs.metadata).name);
            // The container that mounts this ConfigMap at the templates directory.
            const container = plan.resources
                .filter((r) => r.type === "kubernetes:apps/v1:Deployment")
                .flatMap((d) => {
                    const pod = asObj(asObj(asObj(d.inputs.spec).template).spec);
                    const volume = asList(pod.volumes).map(asObj).find((v) => asObj(v.configMap).name === cmName);
                    if (!volume) return [];
                    return asList(pod.containers)
                        .map(asObj)
                        .filter((c) => asList(c.volumeMounts).map(asObj).some((m) => m.name === volume.name && m.mountPath === TEMPLATE_DIR));
                })[0];
            if (!container) throw new Error(`${plan.label}: no container mounts ConfigMap ${cmName} at ${TEMPLATE_DIR}`);
            const env = new Map(asList(container.env).map(asObj).map((e) => [str(e.name), e.value]));
            out.push({
                label: `${plan.label}: ${cm.name}`,
                template,
                envsubstFilter: str(env.get("NGINX_ENVSUBST_FILTER")),
                localResolvers: Boolean(env.get("NGINX_ENTRYPOINT_LOCAL_RESOLVERS")),
                image: str(container.image),
            });
        }
        for (const vm of vmCloudConfigs(plan)) {
            const files = writeFiles(vm.text);
            const template = files.find((f) => f.path.endsWith(".conf.template"));
            if (!template) continue;
            const scripts = files.filter((f) => f.content.startsWith("#!")).map((f) => f.content).join("\n");
            // The guard's docker run mounts the template and names its image.
            const image = scripts.match(/^\s*(nginxinc\/nginx-unprivileged:\S+)$/m)?.[1] ?? "";
            out.push({
                label: `${vm.label}: ${template.path}`,
                template: template.content,
                envsubstFilter: envLine(scripts, "NGINX_ENVSUBST_FILTER") ?? "",
                localResolvers: Boolean(envLine(scripts, "NGINX_ENTRYPOINT_LOCAL_RESOLVERS")),
                image,
            });
        }
    }
    return out;
}

export async function scriptArtifacts(): Promise<ScriptArtifact[]> {
    const out: ScriptArtifact[] = [];
    for (const plan of await conformancePlans()) {
        for (const t of plan.resources.filter((r) => r.type === "gcp:compute/instanceTemplate:InstanceTemplate")) {
            const script = asObj(t.inputs.metadata)["startup-script"];
            if (typeof script === "string") out.push({ label: `${plan.label}: ${t.name} startup-script`, kind: "gcp-startup", shell: "bash", text: script });
            const shutdown = asObj(t.inputs.metadata)["shutdown-script"];
            if (typeof shutdown === "string") out.push({ label: `${plan.label}: ${t.name} shutdown-script`, kind: "gcp-shutdown", shell: "bash", text: shutdown });
        }
        for (const vm of vmCloudConfigs(plan)) {
            for (const f of writeFiles(vm.text).filter((w) => w.content.startsWith("#!"))) {
                out.push({ label: `${vm.label}: ${f.path}`, kind: "vm-write-file", shell: f.content.startsWith("#!/bin/bash") ? "bash" : "sh", text: f.content });
            }
            out.push({ label: `${vm.label}: runcmd`, kind: "vm-runcmd", shell: "sh", text: runcmdScript(runcmd(vm.text)) });
        }
    }
    return out;
}

/** cloud-init runs `runcmd` as one sh script, each string item a line. */
export function runcmdScript(items: readonly string[]): string {
    return `#!/bin/sh\n${items.join("\n")}\n`;
}

export async function cloudConfigArtifacts(): Promise<CloudConfigArtifact[]> {
    return (await conformancePlans()).flatMap((p) => vmCloudConfigs(p).map(({ label, text }) => ({ label, text })));
}

/** A VM's cloud-config split the way cloud-init applies it. */
export function cloudConfigParts(text: string): { files: WriteFile[]; runcmd: string[] } {
    return { files: writeFiles(text), runcmd: runcmd(text) };
}
