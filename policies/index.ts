// The CrossGuard pack. Only assembles: the rules live in ./rules, one per file.
// Constructing a PolicyPack starts the analyzer gRPC server, so tests never import this file.
import { PolicyPack } from "@pulumi/policy";
import { allPolicies } from "./rules";

new PolicyPack("llm-serving-guardrails", { policies: allPolicies });
