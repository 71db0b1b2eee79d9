import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

// Constructing the pack starts the policy gRPC server: keep this file free of logic and never import it in tests.
new PolicyPack("deploy-guardrails", { policies });
