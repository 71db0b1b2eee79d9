/**
 * GitHub's branch and ref-name patterns (Ruby's File.fnmatch with FNM_PATHNAME): `*` and `?` stop at `/`, `**`
 * does not. Ruleset ref conditions and deployment branch policies both use them, so the policy pack and the tests
 * that derive who can change what match a branch by this one function.
 */
export function githubPatternMatches(pattern: string, subject: string): boolean {
  let regex = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*" && pattern[i + 1] === "*") {
      regex += ".*";
      i++;
    } else if (c === "*") regex += "[^/]*";
    else if (c === "?") regex += "[^/]";
    else regex += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${regex}$`).test(subject);
}
