// The stack config pieces every target shares (the model, tags, secrets, field builders, Azure
// sizes). Nothing here knows the targets: the table in targets/ and the stack schema in stack/
// build on this folder, never the other way round.
export { ConfigError } from "./errors";
export * from "./schema";
export * from "./shared";
export * from "./notifications";
export * from "./observability";
export * from "./endpointTls";
export * from "./azure";
export * from "./gguf";
export * from "./models";
export { certificateProblem, privateKeyProblem, splitCertificateChain, UNDECRYPTED_SECRET } from "./tls";
export * from "./budgets";
