// Names the program and the pack share for model-server observability (model-server-observability).
// This file imports nothing.

/** Container name of the metrics collector a VM's boot script starts beside the model server. */
export const METRICS_COLLECTOR_CONTAINER = "metrics-collector";
