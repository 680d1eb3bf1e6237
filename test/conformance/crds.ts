import Ajv, { ValidateFunction } from "ajv";
import { parse } from "yaml";
import { readUpstream } from "./upstream";

/**
 * Custom resources against their full upstream CRDs. The API server prunes fields a structural
 * schema does not name, silently: a misspelt field would vanish on apply and its setting with it.
 * So every object schema that names its properties gets `additionalProperties: false` unless the
 * CRD keeps unknown fields (`x-kubernetes-preserve-unknown-fields`) or declares a map
 * (`additionalProperties` already set); an unknown field is then an error here.
 *
 * Not checked here: `x-kubernetes-validations` (CEL rules, run by the API server) and the
 * `metadata` of the object, which the CRD leaves to the API server's ObjectMeta validation.
 */

/** The CRD each custom resource kind is validated against: the files the pinned charts install. */
export const CRD_FILES = {
    "karpenter.sh/v1:NodePool": "karpenter-provider-aws/v1.8.1/pkg/apis/crds/karpenter.sh_nodepools.yaml",
    "karpenter.k8s.aws/v1:EC2NodeClass": "karpenter-provider-aws/v1.8.1/pkg/apis/crds/karpenter.k8s.aws_ec2nodeclasses.yaml",
    "ray.io/v1:RayService": "kuberay/v1.4.2/ray-operator/config/crd/bases/ray.io_rayservices.yaml",
} as const;
export type CrdKind = keyof typeof CRD_FILES;

interface Crd {
    spec: { group: string; names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: Record<string, unknown> } }[] };
}

type Schema = Record<string, unknown>;

/** A copy of `schema` in which every closed object (named properties, no map, no preserve flag) refuses unknown fields. */
export function closeObjects(schema: unknown): unknown {
    if (Array.isArray(schema)) return schema.map(closeObjects);
    if (schema === null || typeof schema !== "object") return schema;
    const node = schema as Schema;
    const out: Schema = {};
    for (const [key, value] of Object.entries(node)) {
        // `properties` maps names to schemas; its keys are field names, not keywords.
        out[key] = key === "properties" ? Object.fromEntries(Object.entries(value as Schema).map(([k, v]) => [k, closeObjects(v)])) : closeObjects(value);
    }
    if (node.properties !== undefined && node.additionalProperties === undefined && node["x-kubernetes-preserve-unknown-fields"] !== true) {
        out.additionalProperties = false;
    }
    return out;
}

/** The openAPIV3Schema of `kind` in the pinned CRD, with `metadata` as the API server sees it (an object). */
export function crdSchema(kind: CrdKind): Schema {
    const [groupVersion, kindName] = kind.split(":");
    const [group, version] = groupVersion.split("/");
    const crd = parse(readUpstream(CRD_FILES[kind])) as Crd;
    if (crd.spec.group !== group || crd.spec.names.kind !== kindName) throw new Error(`${CRD_FILES[kind]} is not the CRD of ${kind}`);
    const v = crd.spec.versions.find((x) => x.name === version);
    if (!v) throw new Error(`${CRD_FILES[kind]} has no version ${version}`);
    return closeObjects(v.schema.openAPIV3Schema) as Schema;
}

const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const compiled = new Map<CrdKind, ValidateFunction>();

/** A validator for `kind` against its full CRD, unknown fields refused. */
export function crdValidator(kind: CrdKind): ValidateFunction {
    let v = compiled.get(kind);
    if (!v) {
        v = ajv.compile(crdSchema(kind));
        compiled.set(kind, v);
    }
    return v;
}

/** Problems of `object` against its CRD, one line each (empty: valid). */
export function crdProblems(kind: CrdKind, object: unknown): string[] {
    const validate = crdValidator(kind);
    if (validate(object)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}${e.keyword === "additionalProperties" ? `: ${String(e.params.additionalProperty)}` : ""}`);
}
