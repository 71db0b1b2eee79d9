import { ReleaseSummary } from "./release-plan";

/**
 * What a pull request's preview says when its migrations have not reached the test database yet. Seed 000 runs every
 * Vercel Preview against test, and test releases only what is merged into the production branch: a pull request
 * never migrates the shared test database itself (it would need test's write credentials in a job any agent's
 * branch starts, and a history row no release applied is refused by the next release). So the Preview of a pull
 * request that adds migrations runs its code against the schema the last release left, and this says so, with the
 * files, in the preview comment; the Preview itself stays usable for everything that does not need them.
 */
export function previewDatabaseNotice(summary: ReleaseSummary, tier: string): string[] {
  if (tier === "prod" || summary.pendingMigrations.length === 0) return [];
  const files = summary.pendingMigrations.map((m) => `${m.version}_${m.name}.sql`).join(", ");
  return [
    `DATABASE BEHIND: the ${summary.stack} database does not have ${summary.pendingMigrations.length === 1 ? "this migration" : "these migrations"} yet: ${files}. ` +
      `A Vercel Preview of this change runs against ${summary.stack} as its last release left it, so code that needs ${summary.pendingMigrations.length === 1 ? "it" : "them"} fails there until the change is merged and ${summary.stack} releases it. ` +
      "Keep a migration and the code that needs it in the same pull request, and expect its Preview to show the old schema.",
  ];
}
