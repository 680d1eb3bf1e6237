// Names the program and the pack share for model-server observability (model-server-observability).
// This file imports nothing.

/** Container name of the metrics collector a VM's boot script starts beside the model server. */
export const METRICS_COLLECTOR_CONTAINER = "metrics-collector";

/**
 * llama.cpp's server serves /metrics only with this flag, or with the variable set (the flag's
 * environment form, llama.cpp's common/arg.cpp): the program starts it with the flag, the pack
 * reports a llama.cpp server without either as uncollected.
 */
export const LLAMA_CPP_METRICS_FLAG = "--metrics";
export const LLAMA_CPP_METRICS_ENV = "LLAMA_ARG_ENDPOINT_METRICS";
