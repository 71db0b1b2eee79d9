/**
 * Resource type tokens the policies match on. Matching `args.type` strings (rather than SDK classes with
 * `isType`) keeps the pack free of provider SDKs, so it installs small and fast.
 */
export const vercel = {
  project: "vercel:index/project:Project",
  variable: "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable",
  variables: "vercel:index/projectEnvironmentVariables:ProjectEnvironmentVariables",
  sharedVariable: "vercel:index/sharedEnvironmentVariable:SharedEnvironmentVariable",
} as const;

export const github = {
  branchProtection: "github:index/branchProtection:BranchProtection",
  branchProtectionV3: "github:index/branchProtectionV3:BranchProtectionV3",
  ruleset: "github:index/repositoryRuleset:RepositoryRuleset",
  environment: "github:index/repositoryEnvironment:RepositoryEnvironment",
  deploymentPolicy: "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy",
  collaborator: "github:index/repositoryCollaborator:RepositoryCollaborator",
  actionsSecret: "github:index/actionsSecret:ActionsSecret",
  actionsEnvironmentSecret: "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret",
  actionsOrganizationSecret: "github:index/actionsOrganizationSecret:ActionsOrganizationSecret",
  dependabotSecret: "github:index/dependabotSecret:DependabotSecret",
  dependabotOrganizationSecret: "github:index/dependabotOrganizationSecret:DependabotOrganizationSecret",
  codespacesSecret: "github:index/codespacesSecret:CodespacesSecret",
  actionsVariable: "github:index/actionsVariable:ActionsVariable",
  actionsEnvironmentVariable: "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable",
  actionsOrganizationVariable: "github:index/actionsOrganizationVariable:ActionsOrganizationVariable",
} as const;

export const command = {
  local: "command:local:Command",
  remote: "command:remote:Command",
} as const;

export function isGithubType(type: string): boolean {
  return type.startsWith("github:");
}
