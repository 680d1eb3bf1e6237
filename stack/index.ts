// The whole stack: its config, validated against the target table, and its deployment.
export * from "./config";
export * from "./schema";
export { deployTargets } from "./deploy";
export { guardCostCap } from "./guard";
export { checkBudgetConfig, deployRuntimeBudgets } from "./runtime";
export { ConfigError } from "../config/errors";
