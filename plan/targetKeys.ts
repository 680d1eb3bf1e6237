// Which config key deployed which component: the plan names targets by their key.
const KEYS: Readonly<Record<string, string>> = {
    "gcp-spot-l4": "gcpSpotL4",
    "eks-inf2": "eksInf2",
    "aks-gpu": "aksGpu",
    "azure-ml": "azureMl",
    "gpu-vm": "gpuVm",
};

/** The config key of the target whose component has this logical name (the name itself if none). */
export function targetKeyOfComponent(componentName: string): string {
    return KEYS[componentName] ?? componentName;
}
