import * as pulumi from "@pulumi/pulumi";
import { createRasa as createRasaIn, Rasa } from "../../components/k8s/rasaResources";
import type { RasaInput, RasaPlacement } from "../../components/k8s/rasa";
import { POOL_LABEL, SERVING_NAMESPACE, SYSTEM_POOL } from "./labels";

/** Where Rasa runs on eksInf2: the serving namespace, on the system nodes (their maximum is already priced; untainted). */
export const EKS_INF2_RASA_PLACEMENT: RasaPlacement = { namespace: SERVING_NAMESPACE, nodeSelector: { [POOL_LABEL]: SYSTEM_POOL } };

/** Rasa's resources on eksInf2 (components/k8s/rasaResources.ts) at eksInf2's placement. */
export function createRasa(name: string, input: Omit<RasaInput, "placement">, parent: pulumi.Resource, k8sOpts: pulumi.CustomResourceOptions): Rasa {
    return createRasaIn(name, { ...input, placement: EKS_INF2_RASA_PLACEMENT }, parent, k8sOpts);
}
