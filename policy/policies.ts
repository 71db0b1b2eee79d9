import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { agentsCannotRelease } from "./policies/agents-cannot-release";
import { breakGlassVisible } from "./policies/break-glass-visible";
import { githubGuardrailsDeclared } from "./policies/github-guardrails-declared";
import { mainBranchProtected } from "./policies/main-branch-protected";
import { noProdCredentialOutsideProd } from "./policies/no-prod-credential-outside-prod";
import { noServerSecretInPublicVariable } from "./policies/no-server-secret-in-public-variable";
import { prodSecretsInProtectedEnvironment } from "./policies/prod-secrets-in-protected-environment";
import { productionEnvironmentProtected } from "./policies/production-environment-protected";
import { releaseCommandsGated } from "./policies/release-commands-gated";
import { releaseBranchRulesetsSound } from "./policies/release-branch-rulesets-sound";
import { releaseGatePassed } from "./policies/release-gate-passed";
import { productionPromotionGated } from "./policies/production-promotion-gated";
import { rollbackVisible } from "./policies/rollback-visible";
import { secretsStaySecret } from "./policies/secrets-stay-secret";
import { valuesKnownAtPreview } from "./policies/values-known-at-preview";
import { vercelTargetsMatchStack } from "./policies/vercel-targets-match-stack";
import { writingEnvironmentsExactBranches } from "./policies/writing-environments-exact-branches";

/** Every policy of the pack, in the order of policy/README.md. Tests import this; only index.ts serves it. */
export const policies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  noProdCredentialOutsideProd,
  vercelTargetsMatchStack,
  noServerSecretInPublicVariable,
  prodSecretsInProtectedEnvironment,
  mainBranchProtected,
  releaseBranchRulesetsSound,
  productionEnvironmentProtected,
  writingEnvironmentsExactBranches,
  agentsCannotRelease,
  githubGuardrailsDeclared,
  releaseGatePassed,
  releaseCommandsGated,
  productionPromotionGated,
  breakGlassVisible,
  rollbackVisible,
  secretsStaySecret,
  valuesKnownAtPreview,
];
