/**
 * Agent accounts as configured: logins (`codex-agent`) and numeric user ids (`900001`). Both lists accept both
 * forms, because reviewers are numeric ids while push allowances and bypass lists are `/login` strings.
 */
export interface AgentAccounts {
  logins: ReadonlySet<string>;
  ids: ReadonlySet<number>;
}

export function toAgentAccounts(...lists: (readonly (string | number)[] | undefined)[]): AgentAccounts {
  const logins = new Set<string>();
  const ids = new Set<number>();
  for (const list of lists) {
    for (const entry of list ?? []) {
      const text = String(entry).trim();
      if (/^\d+$/.test(text)) ids.add(Number(text));
      else if (text) logins.add(normaliseLogin(text));
    }
  }
  return { logins, ids };
}

function normaliseLogin(actor: string): string {
  return actor.trim().replace(/^[/@]/, "").toLowerCase();
}

/**
 * Whether an actor string names an agent: `/login`, `login`, `@login`, a numeric id, or a legacy GraphQL node
 * id, which is base64 of `04:User<id>`.
 */
export function isAgentActor(actor: string | number, agents: AgentAccounts): boolean {
  if (typeof actor === "number") return agents.ids.has(actor);
  const text = actor.trim();
  if (/^\d+$/.test(text)) return agents.ids.has(Number(text));
  if (agents.logins.has(normaliseLogin(text))) return true;
  const legacyNodeId = /^[A-Za-z0-9+/]+=*$/.test(text) ? Buffer.from(text, "base64").toString("latin1") : "";
  const user = /^0\d+:User(\d+)$/.exec(legacyNodeId);
  return user !== null && agents.ids.has(Number(user[1]));
}
