import { z } from "zod";
import { RawConfig } from "./raw";
import { Tier } from "./schema";
import { sqlTableName } from "../contracts/sql-names";

/** How the release treats the migration history of this stack's database, and whether prod runs in break-glass. */
export interface ReleaseRules {
  historyTable: string;
  baseline?: string;
  acknowledged: { version: string; reason: string }[];
  allowedOutOfOrder: string[];
  /** Prod only: the reason; the stack then runs no release step. */
  breakGlass?: string;
}

export const releaseKeys = ["migrationHistoryTable", "migrationBaseline", "acknowledgedMigrations", "allowOutOfOrderMigrations", "breakGlass"];

const version = z.string().regex(/^[0-9]{1,32}$/, "must be a migration version: the digits before the first _ of its file name, such as 20260101000000");
const reason = z.string().trim().min(8, "must say why, in a few words (at least 8 characters)").max(500);

export function parseReleaseRules(raw: RawConfig, tier: Tier | undefined): ReleaseRules | undefined {
  const historyTable = raw.read(
    "migrationHistoryTable",
    z.string().regex(sqlTableName, "must be a table name such as supabase_migrations.schema_migrations").default("supabase_migrations.schema_migrations"),
    "supabase_migrations.schema_migrations",
  );
  const baseline = raw.read("migrationBaseline", version.optional(), "20260101000000");
  const acknowledged = raw.read(
    "acknowledgedMigrations",
    z.array(z.object({ version, reason }).strict()).default([]),
    '[{"version":"20260101000000","reason":"hotfix INC-12, applied by hand"}]',
    true,
  );
  const allowedOutOfOrder = raw.read("allowOutOfOrderMigrations", z.array(version).default([]), '["20260102000000"]', true);
  const breakGlass = raw.read("breakGlass", reason.optional(), "rotate the leaked prod service role key (INC-42)");
  if (tier && tier !== "prod") {
    if (breakGlass)
      raw.issues.push({
        key: "breakGlass",
        problem: `is set on the ${tier} tier; break-glass exists for prod only, which otherwise releases nothing that has not passed on test`,
        example: "leave it unset here",
      });
    if (allowedOutOfOrder && allowedOutOfOrder.length > 0)
      raw.issues.push({
        key: "allowOutOfOrderMigrations",
        problem: `is set on the ${tier} tier, which applies out-of-order migrations anyway (that is how they get tested); only prod refuses them`,
        example: "set it in the prod stack",
      });
  }
  if (!historyTable || !acknowledged || !allowedOutOfOrder) return undefined;
  return { historyTable, baseline, acknowledged, allowedOutOfOrder, breakGlass };
}
